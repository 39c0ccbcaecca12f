//! Substrate's `GrandpaJustification { round, commit, votes_ancestries }`: the proof that a
//! block is final, stored with it under `FRNK` and checked before a block is finalized from
//! one received.

use crate::backend::FinalityBackend;
use crate::crypto::verify;
use crate::messages::{Commit, Message};
use crate::{AuthorityId, BlockNumber, FinalityError, Hash, RoundNumber, SetId};
use finality_grandpa::voter_set::VoterSet;
use folio_primitives::header::Header;
use parity_scale_codec::{Decode, DecodeAll, Encode};
use std::collections::{BTreeMap, BTreeSet};

/// A commit with the headers that link each precommit to the committed block.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct GrandpaJustification {
    pub round: RoundNumber,
    pub commit: Commit,
    pub votes_ancestries: Vec<Header>,
}

/// The headers of a justification as a chain finality-grandpa can walk.
struct AncestryChain(BTreeMap<Hash, Header>);

impl finality_grandpa::Chain<Hash, BlockNumber> for AncestryChain {
    fn ancestry(&self, base: Hash, block: Hash) -> Result<Vec<Hash>, finality_grandpa::Error> {
        let mut route = Vec::new();
        let mut current = block;
        while current != base {
            let header = self
                .0
                .get(&current)
                .ok_or(finality_grandpa::Error::NotDescendent)?;
            current = header.parent_hash;
            route.push(current);
        }
        // The walk ended on the base itself, which the route does not include.
        route.pop();
        Ok(route)
    }
}

fn bad(reason: &'static str) -> FinalityError {
    FinalityError::BadJustification(reason)
}

impl GrandpaJustification {
    /// The justification of `commit` (round `round`), with the headers from each precommit's
    /// target back to the committed block.
    ///
    /// # Errors
    /// A precommit's target is unknown or does not descend from the committed block.
    pub fn from_commit<B: FinalityBackend + ?Sized>(
        backend: &B,
        round: RoundNumber,
        commit: Commit,
    ) -> Result<Self, FinalityError> {
        let mut seen = BTreeSet::new();
        let mut votes_ancestries = Vec::new();
        for signed in &commit.precommits {
            let mut current = signed.precommit.target_hash;
            while current != commit.target_hash {
                if !seen.insert(current) {
                    break;
                }
                let header = backend
                    .header(current)
                    .ok_or(FinalityError::UnknownBlock(current))?;
                if header.number <= commit.target_number {
                    return Err(bad("a precommit is not on the committed chain"));
                }
                current = header.parent_hash;
                votes_ancestries.push(header);
            }
        }
        Ok(Self {
            round,
            commit,
            votes_ancestries,
        })
    }

    /// Decodes a justification and checks it proves `target` final for `set_id`'s `voters`.
    ///
    /// # Errors
    /// It does not decode or does not hold (see [`Self::verify`]).
    pub fn decode_and_verify(
        bytes: &[u8],
        target: (Hash, BlockNumber),
        set_id: SetId,
        voters: &VoterSet<AuthorityId>,
    ) -> Result<Self, FinalityError> {
        let justification =
            Self::decode_all(&mut &bytes[..]).map_err(|_| bad("does not decode"))?;
        if (
            justification.commit.target_hash,
            justification.commit.target_number,
        ) != target
        {
            return Err(bad("for another block"));
        }
        justification.verify(set_id, voters)?;
        Ok(justification)
    }

    /// Checks that the precommits are a supermajority of `voters` for the committed block
    /// (finality-grandpa's `validate_commit`), each signed by its voter for this round and
    /// set, each linked to the block through `votes_ancestries`, with no header unused.
    ///
    /// # Errors
    /// What does not hold.
    pub fn verify(
        &self,
        set_id: SetId,
        voters: &VoterSet<AuthorityId>,
    ) -> Result<(), FinalityError> {
        let chain = AncestryChain(
            self.votes_ancestries
                .iter()
                .map(|header| (header.hash(), header.clone()))
                .collect(),
        );
        let result = finality_grandpa::validate_commit(&self.commit, voters, &chain)
            .map_err(|_| bad("a precommit is not on the committed chain"))?;
        if !result.is_valid() {
            return Err(bad("not a supermajority of the set"));
        }
        let mut used = BTreeSet::new();
        for signed in &self.commit.precommits {
            let message = Message::Precommit(signed.precommit.clone());
            if !verify(&signed.id, &signed.signature, self.round, set_id, &message) {
                return Err(bad("a precommit's signature does not hold"));
            }
            if signed.precommit.target_hash == self.commit.target_hash {
                continue;
            }
            let route = finality_grandpa::Chain::ancestry(
                &chain,
                self.commit.target_hash,
                signed.precommit.target_hash,
            )
            .map_err(|_| bad("a precommit is not linked to the committed block"))?;
            used.insert(signed.precommit.target_hash);
            used.extend(route);
        }
        if used.len() != chain.0.len() {
            return Err(bad("headers that no precommit needs"));
        }
        Ok(())
    }
}
