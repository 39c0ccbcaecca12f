//! finality-grandpa's `Chain` and `voter::Environment` over a [`FinalityBackend`], a
//! [`GossipNetwork`] and a [`VoteStore`]: what the voter asks of the node.

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
    /// never conflicts with what the round may finalize).
    fn best_chain_containing(&self, base: Hash) -> Self::BestChain {
        let best = self.backend.best_header();
        let best_hash = best.hash();
        let target = if ancestry(&*self.backend, base, best_hash).is_some() {
            Some((best_hash, best.number))
        } else {
            self.backend
                .header(base)
                .map(|header| (base, header.number))
        };
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
