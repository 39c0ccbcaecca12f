//! Events of the currency pallet (FRAME's `pallet_balances` indices and field names).

use folio_pallet_support::currency::HoldReason;
use folio_pallet_support::prelude::*;

/// What the currency pallet reports: every change of a balance or of the issuance.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// An account was created with some free balance.
    #[codec(index = 0)]
    Endowed {
        account: AccountId,
        free_balance: Balance,
    },
    /// An account was removed whose balance was non-zero but below ExistentialDeposit,
    /// resulting in an outright loss.
    #[codec(index = 1)]
    DustLost { account: AccountId, amount: Balance },
    /// Transfer succeeded.
    #[codec(index = 2)]
    Transfer {
        from: AccountId,
        to: AccountId,
        amount: Balance,
    },
    /// A balance was set by root.
    #[codec(index = 3)]
    BalanceSet { who: AccountId, free: Balance },
    /// Some amount was deposited (e.g. for transaction fees).
    #[codec(index = 7)]
    Deposit { who: AccountId, amount: Balance },
    /// Some amount was withdrawn from the account (e.g. for transaction fees).
    #[codec(index = 8)]
    Withdraw { who: AccountId, amount: Balance },
    /// Some amount was minted into an account.
    #[codec(index = 10)]
    Minted { who: AccountId, amount: Balance },
    /// Some amount was burned from an account.
    #[codec(index = 11)]
    Burned { who: AccountId, amount: Balance },
    /// Some balance was frozen.
    #[codec(index = 19)]
    Frozen { who: AccountId, amount: Balance },
    /// Some balance was thawed.
    #[codec(index = 20)]
    Thawed { who: AccountId, amount: Balance },
    /// The `TotalIssuance` was forcefully changed.
    #[codec(index = 21)]
    TotalIssuanceForced { old: Balance, new: Balance },
    /// Some balance was placed on hold.
    #[codec(index = 22)]
    Held {
        reason: HoldReason,
        who: AccountId,
        amount: Balance,
    },
    /// Held balance was transferred to another account.
    #[codec(index = 24)]
    TransferOnHold {
        reason: HoldReason,
        source: AccountId,
        dest: AccountId,
        amount: Balance,
    },
    /// Some balance was released from hold.
    #[codec(index = 26)]
    Released {
        reason: HoldReason,
        who: AccountId,
        amount: Balance,
    },
}
