//! What a block from a peer must pass before the chain executes it, in Substrate's Aura
//! order: the seal is the slot author's (authorities of the parent's state), the slot is not
//! in the future and follows the parent's, and the runtime accepts its inherents against the
//! local clock (`BlockBuilder_check_inherents`). Executing it then checks the rest (the
//! timestamp is in the slot, roots, digest).
//!
//! Every checked header is remembered by (slot, author) for a while: a second, different
//! header of one author in one slot is an equivocation, logged as such.

use crate::aura::{self, Slot};
use crate::{authorities_at, ConsensusError};
use folio_chain::Client;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Block, Header};
use folio_primitives::inherent::{InherentData, TIMESTAMP_INHERENT};
use parity_scale_codec::{Decode, Encode};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How many slots into the future a block may be: one, for clocks a little apart (as
/// Substrate's `slot_now + 1`).
const FUTURE_SLOTS: Slot = 1;

/// How many recent slots' authors are remembered for equivocation detection.
const EQUIVOCATION_WINDOW: Slot = 1_024;

/// An equivocation: one author, one slot, two headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Equivocation {
    pub slot: Slot,
    pub author: [u8; 32],
    pub first: H256,
    pub second: H256,
}

/// The headers seen per (slot, author), recent slots only.
#[derive(Default)]
struct SeenHeaders {
    by_slot: BTreeMap<(Slot, [u8; 32]), H256>,
}

impl SeenHeaders {
    fn note(&mut self, slot: Slot, author: [u8; 32], hash: H256) -> Option<Equivocation> {
        let oldest = slot.saturating_sub(EQUIVOCATION_WINDOW);
        self.by_slot = self.by_slot.split_off(&(oldest, [0; 32]));
        match self.by_slot.get(&(slot, author)) {
            Some(first) if *first != hash => Some(Equivocation {
                slot,
                author,
                first: *first,
                second: hash,
            }),
            Some(_) => None,
            None => {
                self.by_slot.insert((slot, author), hash);
                None
            }
        }
    }
}

/// Checks blocks from peers (and notes the node's own for equivocation detection).
pub struct AuraVerifier {
    client: Arc<Client>,
    slot_duration_ms: u64,
    seen: Mutex<SeenHeaders>,
    clock: Box<dyn Fn() -> u64 + Send + Sync>,
}

impl std::fmt::Debug for AuraVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuraVerifier")
            .field("slot_duration_ms", &self.slot_duration_ms)
            .finish()
    }
}

/// `sp_inherents::CheckInherentsResult`.
#[derive(Decode)]
struct CheckInherentsResult {
    okay: bool,
    _fatal_error: bool,
    errors: InherentData,
}

impl AuraVerifier {
    /// A verifier for slots of `slot_duration_ms`, on the local clock.
    pub fn new(client: Arc<Client>, slot_duration_ms: u64) -> Self {
        Self::with_clock(
            client,
            slot_duration_ms,
            Box::new(folio_chain::author::now_ms),
        )
    }

    /// A verifier reading the time (milliseconds since the epoch) from `clock`.
    pub fn with_clock(
        client: Arc<Client>,
        slot_duration_ms: u64,
        clock: Box<dyn Fn() -> u64 + Send + Sync>,
    ) -> Self {
        Self {
            client,
            slot_duration_ms,
            seen: Mutex::new(SeenHeaders::default()),
            clock,
        }
    }

    pub fn slot_duration_ms(&self) -> u64 {
        self.slot_duration_ms
    }

    /// Checks a block whose parent is known, before it is executed.
    ///
    /// # Errors
    /// Why the block is bad ([`ConsensusError::is_bad_block`]), or why it could not be checked.
    pub fn verify(&self, block: &Block<OpaqueExtrinsic>) -> Result<(), ConsensusError> {
        let header = &block.header;
        let parent = self
            .client
            .header(header.parent_hash)?
            .ok_or(folio_chain::ChainError::UnknownBlock(header.parent_hash))?;
        let authorities = authorities_at(&self.client, header.parent_hash)?;
        if authorities.is_empty() {
            // A chain without authorities (the dev chain) has no seals; the runtime refuses a
            // slot digest it cannot check.
            return Ok(());
        }
        let sealed = aura::check_seal(header, &authorities)?;
        let now = aura::slot_at((self.clock)(), self.slot_duration_ms);
        if sealed.slot > now.saturating_add(FUTURE_SLOTS) {
            return Err(ConsensusError::FutureSlot {
                slot: sealed.slot,
                now,
            });
        }
        let parent_slot = aura::find_slot(&parent)?.unwrap_or(0);
        if sealed.slot <= parent_slot {
            return Err(ConsensusError::SlotNotIncreasing {
                slot: sealed.slot,
                parent: parent_slot,
            });
        }
        self.check_inherents(block)?;
        self.note_header(sealed.slot, sealed.author, header.hash());
        Ok(())
    }

    /// Runs `BlockBuilder_check_inherents` on the pre-seal block with the local clock.
    fn check_inherents(&self, block: &Block<OpaqueExtrinsic>) -> Result<(), ConsensusError> {
        let pre_seal = Block {
            header: folio_chain::client::pre_seal_header(&block.header),
            extrinsics: block.extrinsics.clone(),
        };
        let mut data = InherentData::default();
        data.put(TIMESTAMP_INHERENT, &(self.clock)());
        let raw = self.client.call_at(
            block.header.parent_hash,
            "BlockBuilder_check_inherents",
            &(pre_seal, data).encode(),
        )?;
        let result = CheckInherentsResult::decode(&mut &raw[..])
            .map_err(|e| ConsensusError::Runtime(format!("BlockBuilder_check_inherents: {e}")))?;
        if result.okay {
            return Ok(());
        }
        let reason: String = result
            .errors
            .get(&TIMESTAMP_INHERENT)
            .unwrap_or_else(|| "an inherent is invalid".into());
        Err(ConsensusError::Inherents(reason))
    }

    /// Remembers that `author` made `hash` in `slot`; logs (and returns) an equivocation
    /// when it made another header in that slot before.
    pub fn note_header(&self, slot: Slot, author: [u8; 32], hash: H256) -> Option<Equivocation> {
        let equivocation = self.seen.lock().ok()?.note(slot, author, hash);
        if let Some(e) = &equivocation {
            tracing::warn!(
                target: "folio::aura",
                slot = e.slot,
                author = %hex::encode(e.author),
                first = %e.first,
                second = %e.second,
                "equivocation: the author sealed two blocks in one slot"
            );
        }
        equivocation
    }

    /// The slot and author of a sealed header, if it is one (for noting headers the node
    /// imports without verifying, such as its own).
    pub fn sealed_by(&self, header: &Header) -> Option<aura::SealedBy> {
        let authorities = authorities_at(&self.client, header.parent_hash).ok()?;
        aura::check_seal(header, &authorities).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_header_of_one_author_in_one_slot_is_an_equivocation() {
        let mut seen = SeenHeaders::default();
        let alice = [1; 32];
        assert_eq!(seen.note(7, alice, H256([1; 32])), None);
        assert_eq!(
            seen.note(7, alice, H256([1; 32])),
            None,
            "the same header again"
        );
        assert_eq!(seen.note(7, [2; 32], H256([2; 32])), None, "another author");
        let e = seen.note(7, alice, H256([3; 32])).unwrap();
        assert_eq!(
            (e.slot, e.first, e.second),
            (7, H256([1; 32]), H256([3; 32]))
        );
    }

    #[test]
    fn old_slots_are_forgotten() {
        let mut seen = SeenHeaders::default();
        seen.note(1, [1; 32], H256([1; 32]));
        seen.note(1 + EQUIVOCATION_WINDOW + 1, [1; 32], H256([2; 32]));
        assert_eq!(seen.by_slot.len(), 1);
    }
}
