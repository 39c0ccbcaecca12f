//! The native currency of Folio, shown to clients as the pallet `Balances`.
//!
//! Balances live in `System.Account` (`free`, `reserved` = held, `frozen`), exactly where
//! FRAME's balances pallet keeps them, so wallets read them unchanged. This pallet owns
//! `TotalIssuance`, the per-account `Holds` and `Freezes`, and transaction fees.
//!
//! Rules (docs/decisions/0003-holds-stay-movable.md):
//! - An account exists while its total (free + held) is at least the existential deposit.
//!   An account whose total would fall below it is reaped, unless the operation must keep it
//!   alive (then it fails). The remainder ("dust") goes to the treasury with a `DustLost` event.
//! - A hold keeps money in its owner's account, counted in the total, until the pallet that
//!   placed it releases it or moves it ([`Currency::transfer_on_hold`]). That pallet can always
//!   move the whole hold: nothing the owner does (freezes, votes, other holds, transfers out)
//!   can stop it. To make that so, an account with holds keeps at least the existential
//!   deposit in its free balance (FRAME's rule), so moving a hold never reaps it.
//! - A freeze is a floor under the total that binds the owner: no transfer, burn or fee takes
//!   an account below its largest freeze. Freezes overlap holds (held money counts towards the
//!   floor) and do not bind the pallet moving a hold, so after such a move a freeze may
//!   exceed the total; the owner can then move nothing out until it is lowered or thawed.
//!
//! Invariants ([`invariants::check_invariants`]): total issuance = Σ(free + held); no live
//! account below the existential deposit; held = Σ holds; frozen = the largest freeze; an
//! account with holds has at least the existential deposit free.
//!
//! Every operation validates everything before it writes anything, and either applies
//! completely or returns an error having changed nothing.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::float_arithmetic
    )
)]

extern crate alloc;

pub mod benchmarking;
mod call;
mod currency;
mod error;
mod event;
pub mod fee_multiplier;
pub mod fees;
mod genesis;
pub mod invariants;
pub mod legacy;
mod metadata;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use call::{AdjustmentDirection, Call};
pub use error::Error;
pub use event::Event;
pub use fees::FeeEvent;
pub use genesis::{GenesisConfig, GenesisError};
pub use metadata::{fee_metadata, metadata};

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::currency::{FreezeReason, HoldReason};
use folio_pallet_support::prelude::*;

/// What the runtime tells the currency pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime (`Balances`).
    const INDEX: u8;
    /// The index of the `TransactionPayment` pallet entry that reports fees.
    const FEE_EVENTS_INDEX: u8;
    /// The least total an account may hold and exist.
    const EXISTENTIAL_DEPOSIT: Balance;
    /// Most holds (distinct reasons) per account.
    const MAX_HOLDS: u32;
    /// Most freezes (distinct reasons) per account.
    const MAX_FREEZES: u32;
    /// The account that receives dust and fees.
    const TREASURY: AccountId;
    /// The fee every transaction pays regardless of size or weight.
    const BASE_FEE: Balance;
    /// The fee per byte of the encoded transaction.
    const BYTE_FEE: Balance;
    /// How many units of `ref_time` cost one unit of currency.
    const REF_TIME_PER_FEE_UNIT: u64;
}

/// A reason and an amount: one entry of `Holds` or `Freezes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "frame_support"))]
pub struct IdAmount<Id> {
    pub id: Id,
    pub amount: Balance,
}

folio_pallet_support::storage! {
    pallet "Balances";
    /// The total units issued in the system.
    pub TotalIssuance: Value<Balance, ValueQuery>;
    /// Holds on account balances, by reason (at most `MaxHolds` per account).
    pub Holds: Map<Blake2_128Concat, AccountId, Vec<IdAmount<HoldReason>>, ValueQuery>;
    /// Freeze locks on account balances, by reason (at most `MaxFreezes` per account).
    pub Freezes: Map<Blake2_128Concat, AccountId, Vec<IdAmount<FreezeReason>>, ValueQuery>;
}

/// The currency pallet's functions. Other pallets use it through
/// [`folio_pallet_support::currency::Currency`].
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }
}
