//! The round- and set-aware gossip filter: what a node passes on to the voter (and to its
//! peers). A vote for a round long past or far ahead, anything of a set the node is not in, a
//! vote by a non-voter or with a bad signature is dropped, as Substrate's gossip validator
//! drops it.

use crate::crypto::verify;
use crate::messages::{GossipMessage, VoteMessage};
use crate::{AuthorityId, BlockNumber, RoundNumber, SetId};
use parity_scale_codec::DecodeAll;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Where the local voter is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub set_id: SetId,
    pub round: RoundNumber,
    pub finalized: BlockNumber,
}

/// Why a message was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discard {
    Malformed,
    UnknownSet,
    OldRound,
    FutureRound,
    NotAVoter,
    BadSignature,
    OldCommit,
}

/// How far ahead of the local round a vote may be and still be kept: the next round starts
/// as soon as this one completes, so peers may be one ahead.
const FUTURE_ROUNDS: RoundNumber = 1;

/// The filter, with the local view it judges by.
pub struct GossipValidator {
    view: Mutex<View>,
    voters: BTreeSet<AuthorityId>,
}

impl GossipValidator {
    pub fn new(set_id: SetId, voters: impl IntoIterator<Item = AuthorityId>) -> Self {
        Self {
            view: Mutex::new(View {
                set_id,
                ..View::default()
            }),
            voters: voters.into_iter().collect(),
        }
    }

    pub fn view(&self) -> View {
        self.view.lock().map(|v| *v).unwrap_or_default()
    }

    /// The voter entered `round` (views only move forward).
    pub fn note_round(&self, round: RoundNumber) {
        if let Ok(mut view) = self.view.lock() {
            view.round = view.round.max(round);
        }
    }

    /// A block of `number` was finalized.
    pub fn note_finalized(&self, number: BlockNumber) {
        if let Ok(mut view) = self.view.lock() {
            view.finalized = view.finalized.max(number);
        }
    }

    /// The decoded message if it is kept, else why not.
    ///
    /// # Errors
    /// The [`Discard`] reason.
    pub fn validate(&self, bytes: &[u8]) -> Result<GossipMessage, Discard> {
        let message = GossipMessage::decode_all(&mut &bytes[..]).map_err(|_| Discard::Malformed)?;
        let view = self.view();
        match &message {
            GossipMessage::Vote(vote) => self.check_vote(&view, vote)?,
            GossipMessage::Commit(commit) => {
                if commit.set_id != view.set_id {
                    return Err(Discard::UnknownSet);
                }
                if commit.message.target_number <= view.finalized && view.finalized > 0 {
                    return Err(Discard::OldCommit);
                }
            }
            GossipMessage::Neighbor(_) => {}
            GossipMessage::CatchUpRequest(request) => {
                if request.set_id != view.set_id {
                    return Err(Discard::UnknownSet);
                }
            }
            GossipMessage::CatchUp(catch_up) => {
                if catch_up.set_id != view.set_id {
                    return Err(Discard::UnknownSet);
                }
                if catch_up.message.round_number <= view.round {
                    return Err(Discard::OldRound);
                }
            }
        }
        Ok(message)
    }

    fn check_vote(&self, view: &View, vote: &VoteMessage) -> Result<(), Discard> {
        if vote.set_id != view.set_id {
            return Err(Discard::UnknownSet);
        }
        // The previous round still takes votes (its estimate may move); older ones do not.
        if vote.round.saturating_add(1) < view.round {
            return Err(Discard::OldRound);
        }
        if vote.round > view.round.saturating_add(FUTURE_ROUNDS) {
            return Err(Discard::FutureRound);
        }
        let signed = &vote.message;
        if !self.voters.contains(&signed.id) {
            return Err(Discard::NotAVoter);
        }
        if !verify(
            &signed.id,
            &signed.signature,
            vote.round,
            vote.set_id,
            &signed.message,
        ) {
            return Err(Discard::BadSignature);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sign;
    use crate::messages::{Message, SignedMessage};
    use crate::Hash;
    use folio_primitives::keyring::Ed25519Pair;
    use parity_scale_codec::Encode;

    fn vote(pair: &Ed25519Pair, round: RoundNumber, set_id: SetId) -> Vec<u8> {
        let message = Message::Prevote(finality_grandpa::Prevote {
            target_hash: Hash([1; 32]),
            target_number: 1,
        });
        let signature = sign(pair, round, set_id, &message);
        GossipMessage::Vote(VoteMessage {
            round,
            set_id,
            message: SignedMessage {
                message,
                signature,
                id: AuthorityId(pair.public()),
            },
        })
        .encode()
    }

    #[test]
    fn votes_are_kept_only_for_this_set_near_this_round_from_voters_signed() {
        let alice = Ed25519Pair::from_uri("//Alice").unwrap();
        let eve = Ed25519Pair::from_uri("//Eve").unwrap();
        let validator = GossipValidator::new(2, [AuthorityId(alice.public())]);
        validator.note_round(10);
        assert!(validator.validate(&vote(&alice, 10, 2)).is_ok());
        assert!(validator.validate(&vote(&alice, 9, 2)).is_ok());
        assert!(validator.validate(&vote(&alice, 11, 2)).is_ok());
        assert_eq!(
            validator.validate(&vote(&alice, 8, 2)),
            Err(Discard::OldRound)
        );
        assert_eq!(
            validator.validate(&vote(&alice, 12, 2)),
            Err(Discard::FutureRound)
        );
        assert_eq!(
            validator.validate(&vote(&alice, 10, 3)),
            Err(Discard::UnknownSet)
        );
        assert_eq!(
            validator.validate(&vote(&eve, 10, 2)),
            Err(Discard::NotAVoter)
        );
        // Signed for another round than it claims: the signature does not hold.
        let mut forged = GossipMessage::decode_all(&mut &vote(&alice, 9, 2)[..]).unwrap();
        if let GossipMessage::Vote(v) = &mut forged {
            v.round = 10;
        }
        assert_eq!(
            validator.validate(&forged.encode()),
            Err(Discard::BadSignature)
        );
        assert_eq!(validator.validate(&[9, 9]), Err(Discard::Malformed));
    }
}
