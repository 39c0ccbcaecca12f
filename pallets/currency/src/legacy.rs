//! FRAME's older balance items, `Balances.Locks`, `Balances.Reserves` and
//! `Balances.InactiveIssuance`, with FRAME's types and always empty (zero).
//!
//! Folio has freezes and holds only (FRAME's successors of locks and named reserves) and never
//! deactivates issuance. Tools still read these items unconditionally: Sidecar's balance-info
//! calls `query.balances.locks` and answers 500 without it, and polkadot-js's
//! `derive.balances.all` warns `Unable to resolve type PalletBalancesReserveData` when
//! `Reserves` is missing. Nothing writes them, so they read as FRAME's defaults: no locks, no
//! reserves, zero inactive issuance.

use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// `pallet_balances::types::Reasons`: which withdrawals a lock binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("legacy", "types"))]
pub enum Reasons {
    /// Paying transaction fees.
    #[codec(index = 0)]
    Fee,
    /// Anything but paying transaction fees.
    #[codec(index = 1)]
    Misc,
    /// Any withdrawal.
    #[codec(index = 2)]
    All,
}

/// `pallet_balances::types::BalanceLock`: a lock's identifier, amount and reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("legacy", "types"))]
pub struct BalanceLock<Balance> {
    /// `LockIdentifier`: eight bytes naming the lock.
    pub id: [u8; 8],
    pub amount: Balance,
    pub reasons: Reasons,
}

/// `pallet_balances::types::ReserveData`: a named reserve's identifier and amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("legacy", "types"))]
pub struct ReserveData<ReserveIdentifier, Balance> {
    pub id: ReserveIdentifier,
    pub amount: Balance,
}

folio_pallet_support::storage! {
    pallet "Balances";
    /// The total units of outstanding deactivated balance in the system. Always zero: Folio
    /// deactivates nothing.
    pub InactiveIssuance: Value<Balance, ValueQuery>;
    /// Any liquidity locks on some account balances. Always empty: Folio binds balances with
    /// freezes (`Freezes`), FRAME's successor of locks.
    pub Locks: Map<Blake2_128Concat, AccountId, Vec<BalanceLock<Balance>>, ValueQuery>;
    /// Named reserves on some account balances. Always empty: Folio reserves with holds
    /// (`Holds`), FRAME's successor of named reserves.
    pub Reserves: Map<Blake2_128Concat, AccountId, Vec<ReserveData<[u8; 8], Balance>>, ValueQuery>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_pallet_support::storage::StorageItem;
    use folio_primitives::externalities::TestExternalities;

    #[test]
    fn they_read_empty_and_zero_like_frames_defaults() {
        TestExternalities::default().execute_with(|| {
            let who = AccountId::new([7; 32]);
            assert!(Locks::get(&who).is_empty());
            assert!(Reserves::get(&who).is_empty());
            assert_eq!(InactiveIssuance::get(), 0);
        });
        assert_eq!(Locks::metadata().default, alloc::vec![0u8]);
        assert_eq!(Reserves::metadata().default, alloc::vec![0u8]);
        assert_eq!(InactiveIssuance::metadata().default, 0u128.encode());
    }

    #[test]
    fn a_lock_encodes_as_frames() {
        let lock = BalanceLock {
            id: *b"vesting ",
            amount: 5u128,
            reasons: Reasons::All,
        };
        let mut expected = b"vesting ".to_vec();
        expected.extend_from_slice(&5u128.to_le_bytes());
        expected.push(2);
        assert_eq!(lock.encode(), expected);
        let reserve = ReserveData {
            id: *b"deposit ",
            amount: 1u128,
        };
        assert_eq!(reserve.encode().len(), 8 + 16);
    }
}
