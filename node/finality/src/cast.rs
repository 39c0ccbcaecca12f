//! The votes this node casts: a debug line for each (what was signed, and whether the store
//! gave back an earlier vote instead of the one the voter proposed) and counts for
//! Substrate's metrics `substrate_finality_grandpa_prevotes_total` and
//! `substrate_finality_grandpa_precommits_total` ("cast locally").
//!
//! The counts are process-wide, as Substrate's counters are: a node runs one voter at a time,
//! and a voter started again (after an error or for a new set) goes on counting.

use crate::messages::Message;
use crate::{RoundNumber, SetId};
use std::sync::atomic::{AtomicU64, Ordering};

const LOG_TARGET: &str = "folio::grandpa";

/// Prevotes and precommits cast (signed and sent) since the process started.
#[derive(Debug, Default)]
pub struct CastVotes {
    prevotes: AtomicU64,
    precommits: AtomicU64,
}

/// The node's counts.
pub static CAST: CastVotes = CastVotes::new();

impl CastVotes {
    pub const fn new() -> Self {
        Self {
            prevotes: AtomicU64::new(0),
            precommits: AtomicU64::new(0),
        }
    }

    pub fn prevotes(&self) -> u64 {
        self.prevotes.load(Ordering::Relaxed)
    }

    pub fn precommits(&self) -> u64 {
        self.precommits.load(Ordering::Relaxed)
    }

    fn count(&self, message: &Message) {
        match message {
            Message::Prevote(_) => self.prevotes.fetch_add(1, Ordering::Relaxed),
            Message::Precommit(_) => self.precommits.fetch_add(1, Ordering::Relaxed),
            Message::PrimaryPropose(_) => return,
        };
    }
}

fn kind(message: &Message) -> &'static str {
    match message {
        Message::Prevote(_) => "prevote",
        Message::Precommit(_) => "precommit",
        Message::PrimaryPropose(_) => "primary",
    }
}

/// Notes that `sent` is signed and sent in `round` of `set_id`, where the voter proposed
/// `proposed` (they differ when the store gave back the vote of that kind signed before a
/// restart: the line then shows what a voter without its store would have equivocated with).
pub fn note_cast(round: RoundNumber, set_id: SetId, proposed: &Message, sent: &Message) {
    CAST.count(sent);
    let (hash, number) = sent.target();
    if proposed == sent {
        tracing::debug!(target: LOG_TARGET, round, set_id, vote = kind(sent), target_number = number, target_hash = %hash, "cast a vote");
    } else {
        let (proposed_hash, proposed_number) = proposed.target();
        tracing::debug!(
            target: LOG_TARGET,
            round,
            set_id,
            vote = kind(sent),
            target_number = number,
            target_hash = %hash,
            proposed_number,
            proposed_hash = %proposed_hash,
            "cast a vote replayed from the store"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hash;
    use finality_grandpa::{Precommit, Prevote, PrimaryPropose};

    #[test]
    fn prevotes_and_precommits_are_counted_apart_and_proposals_not_at_all() {
        let counts = CastVotes::new();
        counts.count(&Message::Prevote(Prevote::new(Hash([1; 32]), 1)));
        counts.count(&Message::Prevote(Prevote::new(Hash([2; 32]), 2)));
        counts.count(&Message::Precommit(Precommit::new(Hash([1; 32]), 1)));
        counts.count(&Message::PrimaryPropose(PrimaryPropose::new(
            Hash([1; 32]),
            1,
        )));
        assert_eq!((counts.prevotes(), counts.precommits()), (2, 1));
    }
}
