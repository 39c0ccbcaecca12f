//! Errors of the currency pallet (FRAME's `pallet_balances` indices).

use folio_pallet_support::prelude::*;

/// Why a currency operation failed. Each variant says when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// The transfer would take the account below one of its freezes.
    #[codec(index = 1)]
    LiquidityRestrictions,
    /// The account's free (or held, for hold operations) balance is too low.
    #[codec(index = 2)]
    InsufficientBalance,
    /// The amount would create an account below the existential deposit.
    #[codec(index = 3)]
    ExistentialDeposit,
    /// The operation would reap an account that must stay alive (keep-alive, or it has holds or
    /// freezes), or leave an account with holds less than the existential deposit free.
    #[codec(index = 4)]
    Expendability,
    /// The account does not exist.
    #[codec(index = 6)]
    DeadAccount,
    /// The account has `MaxHolds` holds already.
    #[codec(index = 8)]
    TooManyHolds,
    /// The account has `MaxFreezes` freezes already.
    #[codec(index = 9)]
    TooManyFreezes,
    /// The total issuance adjustment was zero.
    #[codec(index = 11)]
    DeltaZero,
    /// The total issuance cannot go below zero or above the maximum.
    #[codec(index = 12)]
    IssuanceOutOfRange,
    /// The address does not name an account Folio can resolve (only `Id` addresses do).
    #[codec(index = 13)]
    UnknownAddress,
}
