//! Justifications that come with blocks a node syncs from its peers: checked against the set
//! the node knows before the block is imported, so a newcomer finalizes from proofs it
//! verified itself, never from a peer's word.
//!
//! A block may carry several engines' justifications; only `FRNK` is GRANDPA's. One that
//! does not decode, names another block, lacks a supermajority or has a signature that does
//! not hold for the set is refused: the block (and its sender) is refused with it.

use crate::authority_set::SharedAuthoritySet;
use crate::backend::FinalityBackend;
use crate::justification::GrandpaJustification;
use crate::{AuthorityId, FinalityError, SetId, GRANDPA_ENGINE_ID};
use finality_grandpa::voter_set::VoterSet;
use folio_primitives::header::Header;
use std::sync::Arc;

/// Which set a justification is checked against.
enum Sets {
    /// One set, whatever the block.
    Fixed(SetId, VoterSet<AuthorityId>),
    /// The set of each block, as the node's set bookkeeping names it (a block after a
    /// change's enact block is the next set's).
    Following(Arc<SharedAuthoritySet>, Arc<dyn FinalityBackend>),
}

/// A checker of the justifications synced blocks carry.
pub struct SyncedJustifications {
    sets: Sets,
}

impl SyncedJustifications {
    /// A checker for `set_id`'s `authorities`; `None` for an empty or zero-weight set.
    pub fn new(
        set_id: SetId,
        authorities: impl IntoIterator<Item = (AuthorityId, u64)>,
    ) -> Option<Self> {
        Some(Self {
            sets: Sets::Fixed(set_id, VoterSet::new(authorities)?),
        })
    }

    /// A checker that follows the node's set changes, reading block ancestry from `backend`.
    pub fn following(set: Arc<SharedAuthoritySet>, backend: Arc<dyn FinalityBackend>) -> Self {
        Self {
            sets: Sets::Following(set, backend),
        }
    }

    /// The `FRNK` justification among `justifications`, checked to prove `header` final:
    /// `Ok(Some(bytes))` to finalize with, `Ok(None)` when there is none (or when the block
    /// is of a set older than the node's, whose keys it no longer keeps: such a block is
    /// below the finalized one and not imported anyway).
    ///
    /// # Errors
    /// A `FRNK` justification that does not prove `header` final for the block's set.
    pub fn check(
        &self,
        header: &Header,
        justifications: &[([u8; 4], Vec<u8>)],
    ) -> Result<Option<Vec<u8>>, FinalityError> {
        let Some((_, bytes)) = justifications
            .iter()
            .find(|(engine, _)| *engine == GRANDPA_ENGINE_ID)
        else {
            return Ok(None);
        };
        let target = (header.hash(), header.number);
        match &self.sets {
            Sets::Fixed(set_id, voters) => {
                GrandpaJustification::decode_and_verify(bytes, target, *set_id, voters)?;
            }
            Sets::Following(set, backend) => {
                let Some((set_id, authorities)) = set.set_of(&**backend, header) else {
                    return Ok(None);
                };
                let voters = VoterSet::new(authorities)
                    .ok_or(FinalityError::BadJustification("empty authority set"))?;
                GrandpaJustification::decode_and_verify(bytes, target, set_id, &voters)?;
            }
        }
        Ok(Some(bytes.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sign;
    use crate::messages::{Commit, Message};
    use crate::Hash;
    use finality_grandpa::{Precommit, SignedPrecommit};
    use folio_primitives::header::Digest;
    use folio_primitives::keyring::Ed25519Pair;
    use parity_scale_codec::Encode;

    fn keys() -> Vec<Ed25519Pair> {
        (1..=4u8)
            .map(|i| Ed25519Pair::from_seed(&[i; 32]))
            .collect()
    }

    fn checker() -> SyncedJustifications {
        SyncedJustifications::new(7, keys().iter().map(|k| (AuthorityId(k.public()), 1)))
            .expect("a set")
    }

    fn header(number: u32) -> Header {
        Header {
            parent_hash: Hash([9; 32]),
            number,
            state_root: Hash::default(),
            extrinsics_root: Hash::default(),
            digest: Digest::default(),
        }
    }

    /// A justification of `header` signed by the first `signers` keys for `set_id`.
    fn justification(header: &Header, signers: usize, set_id: SetId) -> Vec<u8> {
        let precommit = Precommit {
            target_hash: header.hash(),
            target_number: header.number,
        };
        let precommits = keys()
            .iter()
            .take(signers)
            .map(|key| SignedPrecommit {
                precommit: precommit.clone(),
                signature: sign(key, 3, set_id, &Message::Precommit(precommit.clone())),
                id: AuthorityId(key.public()),
            })
            .collect();
        GrandpaJustification {
            round: 3,
            commit: Commit {
                target_hash: header.hash(),
                target_number: header.number,
                precommits,
            },
            votes_ancestries: Vec::new(),
        }
        .encode()
    }

    #[test]
    fn a_supermajority_of_the_set_proves_the_block_final() {
        let block = header(5);
        let bytes = justification(&block, 3, 7);
        let found = checker()
            .check(
                &block,
                &[(*b"aura", vec![1]), (GRANDPA_ENGINE_ID, bytes.clone())],
            )
            .expect("a valid justification");
        assert_eq!(found, Some(bytes));
        assert_eq!(
            checker().check(&block, &[(*b"aura", vec![1])]).ok(),
            Some(None)
        );
    }

    #[test]
    fn forged_justifications_are_refused() {
        let block = header(5);
        let refused = |bytes: Vec<u8>| {
            checker()
                .check(&block, &[(GRANDPA_ENGINE_ID, bytes)])
                .is_err()
        };
        // Two of four is no supermajority.
        assert!(refused(justification(&block, 2, 7)));
        // Signed for another set.
        assert!(refused(justification(&block, 4, 8)));
        // For another block.
        assert!(refused(justification(&header(6), 4, 7)));
        // Garbage, and a valid one with a flipped signature byte.
        assert!(refused(vec![0xff; 40]));
        let mut tampered = justification(&block, 3, 7);
        let at = tampered.len() - 40;
        tampered[at] ^= 1;
        assert!(refused(tampered));
        // Signed by keys outside the set.
        let outsider = Ed25519Pair::from_seed(&[42; 32]);
        let precommit = Precommit {
            target_hash: block.hash(),
            target_number: 5,
        };
        let forged = GrandpaJustification {
            round: 3,
            commit: Commit {
                target_hash: block.hash(),
                target_number: 5,
                precommits: (0..3)
                    .map(|_| SignedPrecommit {
                        precommit: precommit.clone(),
                        signature: sign(&outsider, 3, 7, &Message::Precommit(precommit.clone())),
                        id: AuthorityId(outsider.public()),
                    })
                    .collect(),
            },
            votes_ancestries: Vec::new(),
        };
        assert!(refused(forged.encode()));
    }
}
