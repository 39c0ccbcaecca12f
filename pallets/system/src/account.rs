//! `AccountInfo`: the 80-byte value of `System.Account`, field for field FRAME's, so
//! `api.query.system.account` decodes it.

use folio_pallet_support::prelude::*;

/// Balance flags; accounts get `IS_NEW_LOGIC` when created, as FRAME's balances do. The
/// default (an absent account) is zero, which clients read for unknown accounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "pallet_balances"))]
#[scale_info(replace_segment("account", "types"))]
pub struct ExtraFlags(pub u128);

impl ExtraFlags {
    /// FRAME's marker for accounts under the holds-and-freezes logic.
    pub const IS_NEW_LOGIC: u128 = 1 << 127;
}

/// The balances of an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "pallet_balances"))]
#[scale_info(replace_segment("account", "types"))]
pub struct AccountData {
    /// Spendable balance (minus what freezes lock).
    pub free: Balance,
    /// Held balance: the sum of all holds.
    pub reserved: Balance,
    /// The largest freeze: a floor under free + reserved.
    pub frozen: Balance,
    pub flags: ExtraFlags,
}

impl AccountData {
    /// Free plus held, or `None` on overflow (which total issuance rules out).
    pub fn total(&self) -> Option<Balance> {
        self.free.checked_add(self.reserved)
    }
}
