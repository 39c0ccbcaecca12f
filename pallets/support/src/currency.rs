//! The glue through which pallets move, hold and freeze money without touching the currency
//! pallet's storage. The currency pallet implements [`Currency`]; other pallets name it in
//! their `Config` and call it.

use folio_primitives::dispatch::DispatchResult;
use folio_primitives::{AccountId, Balance};
use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Why money is held. A hold keeps money in its owner's account (it counts in the total) but
/// out of reach until the pallet that placed it releases it or moves it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
pub enum HoldReason {
    /// An investor's commitment to an open crowdfunding campaign.
    #[codec(index = 0)]
    CrowdfundingCommitment,
    /// Funds set aside for a dividend distribution.
    #[codec(index = 1)]
    DividendFunds,
    /// An acceptor's margin for a commercial bill.
    #[codec(index = 2)]
    BillMargin,
    /// A buyer's price in a pending delivery-versus-payment.
    #[codec(index = 3)]
    PendingDelivery,
    /// A deposit for a governance proposal.
    #[codec(index = 4)]
    GovernanceDeposit,
    /// A campaign issuer's deposit.
    #[codec(index = 5)]
    IssuerDeposit,
    /// A bill drawer's deposit, held until the bill is closed or withdrawn.
    #[codec(index = 6)]
    BillDeposit,
}

/// Why money is frozen. A freeze is a floor under an account's total balance.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
pub enum FreezeReason {
    /// Vesting of a grant.
    #[codec(index = 0)]
    Vesting,
    /// Balance backing a referendum vote, until the referendum ends.
    #[codec(index = 1)]
    GovernanceVote,
}

/// Whether an operation may reap the account it takes money from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preservation {
    /// The account may fall below the existential deposit and be reaped.
    Expendable,
    /// The account must keep at least the existential deposit.
    Preserve,
}

/// Where moved held funds arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// In the recipient's free balance.
    Free,
    /// Held for the recipient under the same reason.
    OnHold,
}

/// Money operations available to pallets. Every method checks and either fully applies or
/// changes nothing, and emits the currency pallet's events.
pub trait Currency {
    /// The existential deposit.
    fn minimum_balance() -> Balance;
    fn total_issuance() -> Balance;
    fn free_balance(who: &AccountId) -> Balance;
    /// Free plus held.
    fn total_balance(who: &AccountId) -> Balance;
    /// What `who` could transfer now, respecting holds, freezes and `preservation`.
    fn reducible_balance(who: &AccountId, preservation: Preservation) -> Balance;
    /// Moves free balance.
    fn transfer(
        from: &AccountId,
        to: &AccountId,
        amount: Balance,
        preservation: Preservation,
    ) -> DispatchResult;
    /// Moves `amount` of `who`'s free balance on hold for `reason`.
    fn hold(reason: HoldReason, who: &AccountId, amount: Balance) -> DispatchResult;
    /// Returns `amount` held for `reason` to `who`'s free balance.
    fn release(reason: HoldReason, who: &AccountId, amount: Balance) -> DispatchResult;
    fn balance_on_hold(reason: HoldReason, who: &AccountId) -> Balance;
    /// Moves `amount` held from `from` for `reason` to `to` (delivery-versus-payment).
    fn transfer_on_hold(
        reason: HoldReason,
        from: &AccountId,
        to: &AccountId,
        amount: Balance,
        arrival: Arrival,
    ) -> DispatchResult;
    /// Sets the freeze for `reason` on `who` to `amount` (replacing any previous one).
    fn set_freeze(reason: FreezeReason, who: &AccountId, amount: Balance) -> DispatchResult;
    /// Removes the freeze for `reason`.
    fn thaw(reason: FreezeReason, who: &AccountId);
    fn balance_frozen(reason: FreezeReason, who: &AccountId) -> Balance;
}
