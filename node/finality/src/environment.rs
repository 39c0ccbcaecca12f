//! finality-grandpa's `Chain` and `voter::Environment` over a [`FinalityBackend`], a
//! [`GossipNetwork`] and a [`VoteStore`]: what the voter asks of the node.

use crate::authority_set::SharedAuthoritySet;
use crate::backend::{ancestry, FinalityBackend, GossipNetwork};
use crate::crypto::{sign, verify};
use crate::gossip::GossipValidator;
use crate::justification::GrandpaJustification;
use crate::messages::{
    round_topic, CatchUp, Commit, CompactCommit, FullCommitMessage, GossipMessage, Message,
    SignedMessage, VoteMessage,
};
use crate::store::{CompletedRound, VoteStore};
use crate::{
    AuthorityId, AuthoritySignature, BlockNumber, FinalityError, Hash, RoundNumber, SetId,
};
use finality_grandpa::voter::{Environment, RoundData};
use finality_grandpa::{
    voter_set::VoterSet, Chain, Equivocation, HistoricalVotes, Precommit, Prevote, PrimaryPropose,
};
use folio_primitives::header::Header;
use folio_primitives::keyring::Ed25519Pair;
use futures::channel::mpsc;
use futures::future::{self, BoxFuture};
use futures::stream::BoxStream;
use futures::{FutureExt, Sink, StreamExt};
use parity_scale_codec::Encode;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub type Timer = BoxFuture<'static, Result<(), FinalityError>>;
pub type Incoming = BoxStream<'static, Result<SignedMessage, FinalityError>>;
pub type Outgoing = Pin<Box<dyn Sink<Message, Error = FinalityError> + Send>>;

/// How many gossip durations a vote waits for its block before it is dropped.
pub const BLOCK_WAIT: u32 = 300;
/// Votes of one round waiting for their blocks at once (a round has one prevote, one
/// precommit and one proposal per voter; more is spam and waits its turn).
const MAX_WAITING_VOTES: usize = 256;

/// Whether `hash` is (or becomes, within [`BLOCK_WAIT`] polls) a known block.
pub async fn wait_for_block<B: FinalityBackend>(
    backend: Arc<B>,
    hash: Hash,
    poll: Duration,
) -> bool {
    for _ in 0..BLOCK_WAIT {
        if backend.header(hash).is_some() {
            return true;
        }
        futures_timer::Delay::new(poll).await;
    }
    backend.header(hash).is_some()
}

fn delay(duration: Duration) -> Timer {
    futures_timer::Delay::new(duration).map(Ok).boxed()
}

/// The voter's view of the node for one authority set.
pub struct GrandpaEnvironment<B, N, S> {
    pub backend: Arc<B>,
    pub network: Arc<N>,
    pub store: Arc<S>,
    pub set_id: SetId,
    pub voters: VoterSet<AuthorityId>,
    /// The local `gran` key, if it is one of the voters'.
    pub key: Option<Ed25519Pair>,
    /// Substrate's `gossip_duration`: prevotes after 2×, precommits after 4× from a round's
    /// start.
    pub gossip_duration: Duration,
    pub validator: Arc<GossipValidator>,
    /// The node's set bookkeeping: votes stop at a change's enact block (none: one set only).
    pub authority_set: Option<Arc<SharedAuthoritySet>>,
}

/// The ancestor of `block` at `number` (`block` itself if it is not higher).
fn ancestor_at<B: FinalityBackend + ?Sized>(
    backend: &B,
    block: Header,
    number: BlockNumber,
) -> Option<Header> {
    let mut current = block;
    while current.number > number {
        current = backend.header(current.parent_hash)?;
    }
    Some(current)
}

impl<B: FinalityBackend, N: GossipNetwork, S: VoteStore> GrandpaEnvironment<B, N, S> {
    fn local_id(&self) -> Option<AuthorityId> {
        let id = AuthorityId(self.key.as_ref()?.public());
        self.voters.contains(&id).then_some(id)
    }

    /// The votes of `round` from the network, kept by the gossip filter. A vote for a block
    /// not yet imported waits for it (finality-grandpa ignores votes for unknown blocks, and a
    /// vote lost so can stall the round), up to [`BLOCK_WAIT`] gossip durations.
    fn incoming(&self, round: RoundNumber) -> Incoming {
        let validator = self.validator.clone();
        let backend = self.backend.clone();
        let poll = self.gossip_duration;
        let set_id = self.set_id;
        self.network
            .messages_for(round_topic(round, set_id))
            .filter_map(move |bytes| {
                let kept = match validator.validate(&bytes) {
                    Ok(GossipMessage::Vote(vote)) if vote.round == round => Some(vote.message),
                    _ => None,
                };
                future::ready(kept)
            })
            .map(move |vote| {
                let target = *vote.message.target().0;
                wait_for_block(backend.clone(), target, poll)
                    .map(move |known| known.then_some(vote))
            })
            .buffer_unordered(MAX_WAITING_VOTES)
            .filter_map(|vote| future::ready(vote.map(Ok)))
            .boxed()
    }

    /// The sink of the local voter's votes in `round`: each is stored (or the stored one of its
    /// kind taken instead) before it is signed, fed back to the local voter and gossiped.
    fn outgoing(
        &self,
        round: RoundNumber,
        loopback: mpsc::UnboundedSender<SignedMessage>,
    ) -> Outgoing {
        struct Out<S, N> {
            store: Arc<S>,
            network: Arc<N>,
            key: Option<Ed25519Pair>,
            set_id: SetId,
            round: RoundNumber,
            loopback: mpsc::UnboundedSender<SignedMessage>,
        }
        let out = Out {
            store: self.store.clone(),
            network: self.network.clone(),
            key: self.local_id().and(self.key.clone()),
            set_id: self.set_id,
            round,
            loopback,
        };
        Box::pin(futures::sink::unfold(
            out,
            |out, message: Message| async move {
                let Some(key) = &out.key else {
                    return Ok(out);
                };
                let proposed = message;
                let message = out
                    .store
                    .record_vote(out.set_id, out.round, proposed.clone())?;
                crate::cast::note_cast(out.round, out.set_id, &proposed, &message);
                let signed = SignedMessage {
                    signature: sign(key, out.round, out.set_id, &message),
                    message,
                    id: AuthorityId(key.public()),
                };
                // The local voter counts its own vote from here, as peers do from the gossip.
                let _ = out.loopback.unbounded_send(signed.clone());
                let gossip = GossipMessage::Vote(VoteMessage {
                    round: out.round,
                    set_id: out.set_id,
                    message: signed,
                });
                out.network
                    .broadcast(round_topic(out.round, out.set_id), gossip.encode());
                Ok(out)
            },
        ))
    }

    fn record_round(
        &self,
        round: RoundNumber,
        base: (Hash, BlockNumber),
        votes: &[SignedMessage],
    ) -> Result<(), FinalityError> {
        self.store.record_completed(
            self.set_id,
            CompletedRound {
                round,
                base,
                votes: votes.to_vec(),
            },
        )?;
        self.validator.note_round(round.saturating_add(1));
        Ok(())
    }
}

impl<B: FinalityBackend, N: GossipNetwork, S: VoteStore> Chain<Hash, BlockNumber>
    for GrandpaEnvironment<B, N, S>
{
    fn ancestry(&self, base: Hash, block: Hash) -> Result<Vec<Hash>, finality_grandpa::Error> {
        ancestry(&*self.backend, base, block).ok_or(finality_grandpa::Error::NotDescendent)
    }
}

impl<B: FinalityBackend, N: GossipNetwork, S: VoteStore> Environment<Hash, BlockNumber>
    for GrandpaEnvironment<B, N, S>
{
    type Timer = Timer;
    type BestChain = future::Ready<Result<Option<(Hash, BlockNumber)>, FinalityError>>;
    type Id = AuthorityId;
    type Signature = AuthoritySignature;
    type In = Incoming;
    type Out = Outgoing;
    type Error = FinalityError;

    /// The best block if it descends from `base`, else `base` itself (a vote for the base
    /// never conflicts with what the round may finalize). Never past the enact block of a set
    /// change: the old set finalizes up to it, the next set from it on.
    fn best_chain_containing(&self, base: Hash) -> Self::BestChain {
        let best = self.backend.best_header();
        let limit = self
            .authority_set
            .as_ref()
            .and_then(|set| set.vote_limit(&*self.backend, self.set_id, &best));
        let best = match limit {
            Some(limit) => ancestor_at(&*self.backend, best, limit),
            None => Some(best),
        };
        let target = best
            .map(|best| (best.hash(), best.number))
            .filter(|(hash, _)| ancestry(&*self.backend, base, *hash).is_some())
            .or_else(|| {
                self.backend
                    .header(base)
                    .map(|header| (base, header.number))
            });
        future::ready(Ok(target))
    }

    fn round_data(&self, round: u64) -> RoundData<AuthorityId, Timer, Incoming, Outgoing> {
        self.validator.note_round(round);
        let (loopback, own_votes) = mpsc::unbounded();
        let incoming = futures::stream::select(self.incoming(round), own_votes.map(Ok)).boxed();
        RoundData {
            voter_id: self.local_id(),
            prevote_timer: delay(self.gossip_duration.saturating_mul(2)),
            precommit_timer: delay(self.gossip_duration.saturating_mul(4)),
            incoming,
            outgoing: self.outgoing(round, loopback),
        }
    }

    /// Up to a second, so the voters do not all send the same commit at once.
    fn round_commit_timer(&self) -> Timer {
        delay(Duration::from_millis(rand::random::<u64>() % 1_000))
    }

    // The votes themselves are persisted by the outgoing sink, before they are signed.
    fn proposed(
        &self,
        _round: u64,
        _propose: PrimaryPropose<Hash, BlockNumber>,
    ) -> Result<(), FinalityError> {
        Ok(())
    }

    fn prevoted(
        &self,
        _round: u64,
        _prevote: Prevote<Hash, BlockNumber>,
    ) -> Result<(), FinalityError> {
        Ok(())
    }

    fn precommitted(
        &self,
        _round: u64,
        _precommit: Precommit<Hash, BlockNumber>,
    ) -> Result<(), FinalityError> {
        Ok(())
    }

    fn completed(
        &self,
        round: u64,
        _state: finality_grandpa::round::State<Hash, BlockNumber>,
        base: (Hash, BlockNumber),
        votes: &HistoricalVotes<Hash, BlockNumber, AuthoritySignature, AuthorityId>,
    ) -> Result<(), FinalityError> {
        tracing::debug!(target: "folio::grandpa", round, set_id = self.set_id, "round completed");
        self.record_round(round, base, votes.seen())
    }

    fn concluded(
        &self,
        round: u64,
        _state: finality_grandpa::round::State<Hash, BlockNumber>,
        base: (Hash, BlockNumber),
        votes: &HistoricalVotes<Hash, BlockNumber, AuthoritySignature, AuthorityId>,
    ) -> Result<(), FinalityError> {
        self.record_round(round, base, votes.seen())
    }

    fn finalize_block(
        &self,
        hash: Hash,
        number: BlockNumber,
        round: u64,
        commit: Commit,
    ) -> Result<(), FinalityError> {
        if number <= self.backend.finalized().1 {
            return Ok(());
        }
        let justification = GrandpaJustification::from_commit(&*self.backend, round, commit)?;
        self.backend.finalize(hash, justification.encode())?;
        self.validator.note_finalized(number);
        tracing::info!(target: "folio::grandpa", %number, round, set_id = self.set_id, "finalized");
        Ok(())
    }

    fn prevote_equivocation(
        &self,
        round: u64,
        equivocation: Equivocation<AuthorityId, Prevote<Hash, BlockNumber>, AuthoritySignature>,
    ) {
        tracing::warn!(target: "folio::grandpa", round, voter = ?equivocation.identity, "prevote equivocation");
    }

    fn precommit_equivocation(
        &self,
        round: u64,
        equivocation: Equivocation<AuthorityId, Precommit<Hash, BlockNumber>, AuthoritySignature>,
    ) {
        tracing::warn!(target: "folio::grandpa", round, voter = ?equivocation.identity, "precommit equivocation");
    }
}

/// Whether every signature of a compact commit is its voter's over the precommit in `round`
/// of `set_id` (finality-grandpa checks weights and ancestry, not signatures).
pub fn commit_signatures_hold(set_id: SetId, round: RoundNumber, commit: &CompactCommit) -> bool {
    commit.precommits.len() == commit.auth_data.len()
        && commit
            .precommits
            .iter()
            .zip(&commit.auth_data)
            .all(|(precommit, (signature, id))| {
                verify(
                    id,
                    signature,
                    round,
                    set_id,
                    &Message::Precommit(precommit.clone()),
                )
            })
}

/// Whether every vote of a catch-up is signed by its voter for its round and `set_id`.
pub fn catch_up_signatures_hold(set_id: SetId, catch_up: &CatchUp) -> bool {
    let round = catch_up.round_number;
    catch_up.prevotes.iter().all(|v| {
        verify(
            &v.id,
            &v.signature,
            round,
            set_id,
            &Message::Prevote(v.prevote.clone()),
        )
    }) && catch_up.precommits.iter().all(|v| {
        verify(
            &v.id,
            &v.signature,
            round,
            set_id,
            &Message::Precommit(v.precommit.clone()),
        )
    })
}

/// The commit message to gossip.
pub fn commit_message(set_id: SetId, round: RoundNumber, commit: Commit) -> GossipMessage {
    GossipMessage::Commit(FullCommitMessage {
        round,
        set_id,
        message: commit.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority_set::{AuthoritySet, ScheduledChange};
    use crate::memory::{MemoryChain, MemoryNetwork, MemoryPeer};
    use crate::store::MemoryVoteStore;
    use crate::GRANDPA_ENGINE_ID;
    use folio_primitives::header::DigestItem;

    /// Genesis, then 8 blocks; block 2 announces a change with delay 3 (enact block 5).
    fn chain() -> (MemoryChain, Vec<Hash>) {
        let chain = MemoryChain::new();
        let mut hashes = vec![chain.genesis()];
        for number in 1..=8u32 {
            let mut header = Header {
                parent_hash: *hashes.last().expect("genesis"),
                number,
                state_root: Hash::default(),
                extrinsics_root: Hash::default(),
                digest: Default::default(),
            };
            if number == 2 {
                let mut log = vec![1u8];
                log.extend(
                    ScheduledChange {
                        next_authorities: vec![(AuthorityId([9; 32]), 1)],
                        delay: 3,
                    }
                    .encode(),
                );
                header
                    .digest
                    .logs
                    .push(DigestItem::Consensus(GRANDPA_ENGINE_ID, log));
            }
            hashes.push(header.hash());
            chain.import(header);
        }
        chain.set_best(hashes[8]);
        (chain, hashes)
    }

    fn environment(
        chain: &MemoryChain,
        set_id: SetId,
        set: Option<Arc<SharedAuthoritySet>>,
    ) -> GrandpaEnvironment<MemoryChain, MemoryPeer, MemoryVoteStore> {
        let voters = vec![(AuthorityId([1; 32]), 1)];
        GrandpaEnvironment {
            backend: Arc::new(chain.clone()),
            network: Arc::new(MemoryNetwork::default().node(0)),
            store: Arc::new(MemoryVoteStore::default()),
            set_id,
            voters: VoterSet::new(voters.clone()).expect("a set"),
            key: None,
            gossip_duration: Duration::from_millis(10),
            validator: Arc::new(GossipValidator::new(
                set_id,
                voters.iter().map(|(id, _)| *id),
            )),
            authority_set: set,
        }
    }

    fn best_containing(
        env: &GrandpaEnvironment<MemoryChain, MemoryPeer, MemoryVoteStore>,
        base: Hash,
    ) -> Option<(Hash, BlockNumber)> {
        futures::executor::block_on(env.best_chain_containing(base)).expect("no error")
    }

    #[test]
    fn the_old_set_votes_up_to_the_enact_block_and_never_past_it() {
        let (chain, hashes) = chain();
        let set = SharedAuthoritySet::open(None, || {
            AuthoritySet::new(0, vec![(AuthorityId([1; 32]), 1)], (hashes[0], 0))
        })
        .expect("in memory");
        // Without the bookkeeping (one set forever) the best block is the target.
        assert_eq!(
            best_containing(&environment(&chain, 0, None), hashes[0]),
            Some((hashes[8], 8))
        );
        let old = environment(&chain, 0, Some(Arc::clone(&set)));
        assert_eq!(best_containing(&old, hashes[0]), Some((hashes[5], 5)));
        assert_eq!(best_containing(&old, hashes[5]), Some((hashes[5], 5)));
        // Once the enact block is final the next set takes over: it votes on the best block,
        // the old set's voter (if still running) on nothing past the enact block.
        let changed = set
            .note_finalized(&chain, &chain.header(hashes[5]).expect("known"), |e| {
                e.next_authorities.clone()
            })
            .expect("in memory");
        assert_eq!(changed, Some(1));
        assert_eq!(best_containing(&old, hashes[5]), Some((hashes[5], 5)));
        let new = environment(&chain, 1, Some(set));
        assert_eq!(best_containing(&new, hashes[5]), Some((hashes[8], 8)));
    }
}
