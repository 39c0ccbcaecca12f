//! The GRANDPA pallet: who finalizes blocks (the authority set, each with a voting weight), the
//! id of the current set, and the change of set a governance call schedules.
//!
//! Laid out as FRAME's `pallet_grandpa` — pallet name `Grandpa`, storage `Authorities`,
//! `CurrentSetId` and `PendingChange` (`StoredPendingChange`), event `NewAuthorities`, the
//! `Consensus(*b"FRNK", ConsensusLog::ScheduledChange)` digest announcing a change — so
//! polkadot-js, subxt and the node's voter read them as on any Substrate chain. The voting is
//! the node's (`folio-finality`); the runtime keeps the set and announces its changes:
//! - [`Call::set_validators`] (Root: sudo or a governance motion/referendum) replaces the block
//!   authors (Aura) and the finality authorities (GRANDPA) together. The change is scheduled in
//!   the block that makes it: the set id goes up by one at once (as FRAME's does when it
//!   schedules), the block carries the `FRNK` digest, and `SET_CHANGE_DELAY` blocks later both
//!   sets are replaced (`NewAuthorities`). The voters switch when that block is finalized.
//! - One change at a time: a second call while one is pending fails with `ChangePending`.
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

mod call;
mod digest;
mod error;
mod event;
mod genesis;
mod metadata;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use digest::{find_scheduled_change, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
pub use error::Error;
pub use event::Event;
pub use genesis::{GenesisConfig, GenesisError};
pub use metadata::metadata;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::prelude::*;
use folio_primitives::header::DigestItem;

/// Most authorities in a set (FRAME's `MaxAuthorities` of the node template).
pub const MAX_AUTHORITIES: u32 = 32;

/// An authority's ed25519 public key (`sp_consensus_grandpa::app::Public`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen)]
pub struct AuthorityId(pub [u8; 32]);

impl TypeInfo for AuthorityId {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        use scale_info::{build::Fields, Path, Type};
        Type::builder()
            .path(Path::new("Public", "sp_consensus_grandpa::app"))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("ed25519::Public")))
    }
}

/// An authority's voting weight (`sp_consensus_grandpa::AuthorityWeight`).
pub type AuthorityWeight = u64;
/// The authority set with weights (`sp_consensus_grandpa::AuthorityList`).
pub type AuthorityList = Vec<(AuthorityId, AuthorityWeight)>;
/// The id of an authority set (`sp_consensus_grandpa::SetId`).
pub type SetId = u64;

/// A change of set waiting for its block (FRAME's `StoredPendingChange`, same field order).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_grandpa", "pallet_grandpa"))]
pub struct StoredPendingChange {
    /// The block that scheduled the change (and carries its `FRNK` digest).
    pub scheduled_at: BlockNumber,
    /// Blocks from `scheduled_at` to the block in which the new set takes over.
    pub delay: BlockNumber,
    /// The new finality set.
    pub next_authorities: AuthorityList,
    /// Folio schedules no forced changes: always `None`.
    pub forced: Option<BlockNumber>,
}

impl StoredPendingChange {
    /// The block in whose `on_finalize` the new sets take over.
    pub fn enacted_at(&self) -> BlockNumber {
        self.scheduled_at.saturating_add(self.delay)
    }
}

/// How the GRANDPA pallet replaces the block authors (the runtime writes Aura's set): kept as
/// a trait so the pallet depends on no other pallet.
pub trait BlockAuthors {
    /// Replaces the block authors' sr25519 keys.
    fn set_authors(authors: &[[u8; 32]]);
}

/// What the runtime tells the GRANDPA pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime.
    const INDEX: u8;
    /// Blocks between the one that schedules a change and the one that enacts it.
    const SET_CHANGE_DELAY: BlockNumber;
    /// Replaces the block authors when a change is enacted.
    type Authors: BlockAuthors;
}

folio_pallet_support::storage! {
    pallet "Grandpa";
    /// Pending change: (signaled at, scheduled change).
    pub PendingChange: Value<StoredPendingChange, OptionQuery>;
    /// The number of changes (both in terms of keys and underlying economic responsibilities)
    /// in the "set" of Grandpa validators from genesis.
    pub CurrentSetId: Value<SetId, ValueQuery>;
    /// The current list of authorities.
    pub Authorities: Value<AuthorityList, ValueQuery>;
    /// Folio: the block authors' (Aura) keys the pending change installs.
    pub PendingAuthors: Value<Vec<[u8; 32]>, ValueQuery>;
}

/// The GRANDPA pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }

    /// The current finality set (`GrandpaApi_grandpa_authorities`).
    pub fn grandpa_authorities() -> AuthorityList {
        Authorities::get()
    }

    /// The id of the current set (`GrandpaApi_current_set_id`): raised when a change is
    /// scheduled, as FRAME's.
    pub fn current_set_id() -> SetId {
        CurrentSetId::get()
    }

    /// The change waiting for its block, if any.
    pub fn pending_change() -> Option<StoredPendingChange> {
        PendingChange::get()
    }

    /// Schedules `next_authorities` (and the block `authors` with them) to take over
    /// `SET_CHANGE_DELAY` blocks from now.
    ///
    /// # Errors
    /// `ChangePending` while another change waits.
    pub(crate) fn schedule_change(
        next_authorities: AuthorityList,
        authors: Vec<[u8; 32]>,
    ) -> DispatchResult {
        if PendingChange::exists() {
            return Err(Self::error(Error::ChangePending));
        }
        let change = StoredPendingChange {
            scheduled_at: folio_pallet_system::Pallet::<T>::block_number(),
            delay: T::SET_CHANGE_DELAY,
            next_authorities,
            forced: None,
        };
        PendingChange::put(&change);
        PendingAuthors::put(&authors);
        CurrentSetId::mutate(|id| *id = id.saturating_add(1));
        Ok(())
    }

    /// Announces a change in the block that scheduled it and enacts it in the block
    /// `delay` later (both in one block when the delay is 0).
    fn finalize(now: BlockNumber) {
        let Some(change) = PendingChange::get() else {
            return;
        };
        if now == change.scheduled_at {
            let log = ConsensusLog::ScheduledChange(ScheduledChange::from(&change));
            folio_pallet_system::Pallet::<T>::deposit_log(DigestItem::Consensus(
                GRANDPA_ENGINE_ID,
                log.encode(),
            ));
        }
        if now >= change.enacted_at() {
            Authorities::put(&change.next_authorities);
            T::Authors::set_authors(&PendingAuthors::get());
            PendingAuthors::kill();
            PendingChange::kill();
            Self::deposit_event(Event::NewAuthorities {
                authority_set: change.next_authorities,
            });
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {
    fn on_finalize(n: BlockNumber) {
        Self::finalize(n);
    }
}
