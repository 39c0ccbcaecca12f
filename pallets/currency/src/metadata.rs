//! What the currency pallet tells clients: the `Balances` and `TransactionPayment` entries.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Balances` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Balances",
        index: <T as Config>::INDEX,
        // FRAME's order; `Account` lives in `System` as in FRAME.
        storage: alloc::vec![
            TotalIssuance::metadata(),
            legacy::InactiveIssuance::metadata(),
            legacy::Locks::metadata(),
            legacy::Reserves::metadata(),
            Holds::metadata(),
            Freezes::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant(
                "ExistentialDeposit",
                &T::EXISTENTIAL_DEPOSIT,
                &[" The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!"],
            ),
            constant("MaxHolds", &T::MAX_HOLDS, &[" The maximum number of holds that can exist on an account at any time."]),
            constant("MaxFreezes", &T::MAX_FREEZES, &[" The maximum number of individual freeze locks that can exist on an account at any time."]),
        ],
        docs: alloc::vec![" The native currency: balances, holds, freezes and total issuance."],
    }
}

/// The `TransactionPayment` pallet entry (fee events and fee constants).
pub fn fee_metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "TransactionPayment",
        index: T::FEE_EVENTS_INDEX,
        storage: alloc::vec![fee_multiplier::NextFeeMultiplier::metadata()],
        calls: None,
        event: Some(meta_type::<FeeEvent>()),
        error: None,
        constants: alloc::vec![
            constant(
                "BaseFee",
                &T::BASE_FEE,
                &[" The fee every transaction pays."]
            ),
            constant(
                "ByteFee",
                &T::BYTE_FEE,
                &[" The fee per byte of an encoded transaction."]
            ),
        ],
        docs: alloc::vec![" Transaction fees: base + length + weight, plus an optional tip."],
    }
}
