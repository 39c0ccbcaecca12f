//! The Aura pallet: who may author blocks (the authority set), the slot of the latest block,
//! and how long a slot lasts.
//!
//! Laid out as FRAME's `pallet_aura` — pallet name `Aura`, storage `Authorities` and
//! `CurrentSlot`, constant `SlotDuration`, the `aura` pre-runtime digest carrying the slot as a
//! SCALE `u64` — so polkadot-js and subxt show authors and block times as for any Aura chain.
//! Authoring and seal checks are the node's (`folio-consensus`); the runtime checks what only
//! the state knows:
//! - a block of a chain with authorities carries exactly one `aura` pre-runtime digest;
//! - its slot is greater than the previous block's;
//! - its timestamp falls in that slot (`timestamp / slot_duration == slot`).
//!
//! One difference from FRAME: the slot duration is part of the genesis config (stored under
//! `Aura::SlotDuration`), not compiled in, because one runtime serves both the dev chain, whose
//! blocks are sealed on demand many times a second, and `--chain local` with 2 s slots. The
//! metadata constant `SlotDuration` carries the stored value.
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

mod genesis;
#[cfg(test)]
mod tests;

pub use genesis::GenesisConfig;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::prelude::*;
use folio_pallet_support::storage::StorageItem;
use folio_primitives::header::DigestItem;

/// The consensus engine id of Aura's digest items (`PreRuntime`, `Seal`).
pub const AURA_ENGINE_ID: [u8; 4] = *b"aura";

/// The least slot duration a chain may configure, in milliseconds: a slot must leave room for
/// the timestamp's minimum period (half a slot) to be at least one millisecond.
pub const MIN_SLOT_DURATION: Moment = 2;

/// Most authorities in the set (FRAME's `MaxAuthorities` of the node template).
pub const MAX_AUTHORITIES: u32 = 32;

/// An authority's sr25519 public key (`sp_consensus_aura::sr25519::AuthorityId`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen)]
pub struct Public(pub [u8; 32]);

impl TypeInfo for Public {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        use scale_info::{build::Fields, Path, Type};
        Type::builder()
            .path(Path::new(
                "Public",
                "sp_consensus_aura::sr25519::app_sr25519",
            ))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("sr25519::Public")))
    }
}

/// What the runtime tells the Aura pallet.
pub trait Config: 'static {
    /// This pallet's index in the runtime.
    const INDEX: u8;
}

folio_pallet_support::storage! {
    pallet "Aura";
    /// The current authority set.
    pub Authorities: Value<Vec<Public>, ValueQuery>;
    /// The current slot of this block.
    ///
    /// This will be set in `on_initialize`.
    pub CurrentSlot: Value<u64, ValueQuery>;
    /// The slot duration in milliseconds (Folio: set by the genesis config).
    pub SlotDurationMillis: Value<Moment, ValueQuery>;
}

/// Why a block breaks Aura's rules (the block is invalid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuraError {
    /// A chain with authorities needs the slot in an `aura` pre-runtime digest.
    MissingSlot,
    /// More than one `aura` pre-runtime digest, or one that is not a SCALE `u64`.
    BadPreDigest,
    /// The slot is not greater than the previous block's.
    SlotNotIncreasing,
    /// The block's timestamp is not in its slot.
    TimestampNotInSlot,
}

impl AuraError {
    pub fn message(self) -> &'static str {
        match self {
            Self::MissingSlot => "aura: the block carries no slot",
            Self::BadPreDigest => "aura: malformed pre-runtime digest",
            Self::SlotNotIncreasing => "aura: slot must increase",
            Self::TimestampNotInSlot => "aura: timestamp slot must match the block's slot",
        }
    }
}

/// The slot of the `aura` pre-runtime digest among `logs`: `Ok(None)` when there is none.
///
/// # Errors
/// [`AuraError::BadPreDigest`] for two such digests or one that is not a `u64`.
pub fn find_slot(logs: &[DigestItem]) -> Result<Option<u64>, AuraError> {
    let mut found = None;
    for item in logs {
        if let DigestItem::PreRuntime(engine, data) = item {
            if *engine != AURA_ENGINE_ID {
                continue;
            }
            if found.is_some() {
                return Err(AuraError::BadPreDigest);
            }
            let slot = u64::decode(&mut &data[..]).map_err(|_| AuraError::BadPreDigest)?;
            found = Some(slot);
        }
    }
    Ok(found)
}

/// The Aura pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    /// The authority set (`AuraApi_authorities`).
    pub fn authorities() -> Vec<Public> {
        Authorities::get()
    }

    /// The slot duration in milliseconds (`AuraApi_slot_duration`), never below
    /// [`MIN_SLOT_DURATION`].
    pub fn slot_duration() -> Moment {
        SlotDurationMillis::get().max(MIN_SLOT_DURATION)
    }

    /// The timestamp's minimum period: half a slot, so two blocks are never in one slot.
    pub fn minimum_period() -> Moment {
        Self::slot_duration().saturating_div(2)
    }

    pub fn current_slot() -> u64 {
        CurrentSlot::get()
    }

    /// Checks a block's slot (from its pre-runtime digest `logs`) and its timestamp `now`
    /// against the previous block's slot, and records the slot. A chain without authorities
    /// (the dev chain, sealed on demand) carries no slot and is not checked.
    ///
    /// # Errors
    /// The rule the block breaks; nothing is written then.
    pub fn note_block(logs: &[DigestItem], now: Moment) -> Result<(), AuraError> {
        let slot = find_slot(logs)?;
        if Authorities::get().is_empty() && slot.is_none() {
            return Ok(());
        }
        let slot = slot.ok_or(AuraError::MissingSlot)?;
        if slot <= CurrentSlot::get() {
            return Err(AuraError::SlotNotIncreasing);
        }
        if now.checked_div(Self::slot_duration()) != Some(slot) {
            return Err(AuraError::TimestampNotInSlot);
        }
        CurrentSlot::put(&slot);
        Ok(())
    }

    /// The pallet's metadata.
    pub fn metadata() -> PalletDescription {
        PalletDescription {
            name: "Aura",
            index: T::INDEX,
            storage: alloc::vec![Authorities::metadata(), CurrentSlot::metadata()],
            calls: None,
            event: None,
            error: None,
            constants: alloc::vec![constant(
                "SlotDuration",
                &Self::slot_duration(),
                &[
                    " The slot duration Aura should run with, expressed in milliseconds.",
                    " The effective value of this type should not change while the chain is running.",
                ],
            )],
            docs: alloc::vec![" Aura: the block authors' set and the slot of the latest block."],
        }
    }
}
