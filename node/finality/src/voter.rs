//! Runs the GRANDPA voter for one authority set: resumes after the last round it completed
//! (from its [`VoteStore`]), takes commits and catch-ups from the set's global topic, answers
//! catch-up requests and sends neighbor packets so a peer that fell behind can catch up.

use crate::authority_set::SharedAuthoritySet;
use crate::backend::{FinalityBackend, GossipNetwork};
use crate::environment::{
    catch_up_signatures_hold, commit_message, commit_signatures_hold, GrandpaEnvironment,
};
use crate::gossip::GossipValidator;
use crate::messages::{
    global_topic, CatchUp, CatchUpRequestMessage, FullCatchUpMessage, GossipMessage, Message,
    NeighborPacket, VersionedNeighborPacket,
};
use crate::store::VoteStore;
use crate::{AuthorityId, AuthoritySignature, BlockNumber, FinalityError, Hash, SetId};
use finality_grandpa::voter::{Callback, CommunicationIn, CommunicationOut, Voter};
use finality_grandpa::voter_set::VoterSet;
use finality_grandpa::{SignedPrecommit, SignedPrevote};
use folio_primitives::keyring::Ed25519Pair;
use futures::{future, FutureExt, StreamExt};
use parity_scale_codec::Encode;
use std::sync::Arc;
use std::time::Duration;

type In = CommunicationIn<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
type Out = CommunicationOut<Hash, BlockNumber, AuthoritySignature, AuthorityId>;

/// Where a running voter's state report is handed out (`grandpa_roundState`).
pub type ReportSlot = Arc<
    std::sync::Mutex<
        Option<Box<dyn finality_grandpa::voter::VoterState<AuthorityId> + Send + Sync>>,
    >,
>;

/// What a voter runs with.
pub struct VoterParams<B, N, S> {
    pub backend: Arc<B>,
    pub network: Arc<N>,
    pub store: Arc<S>,
    /// The local `gran` key (none: the node only follows commits).
    pub key: Option<Ed25519Pair>,
    pub set_id: SetId,
    pub authorities: Vec<(AuthorityId, u64)>,
    /// Substrate's default is 1 s with 6 s blocks; Folio's local testnet uses 333 ms.
    pub gossip_duration: Duration,
    /// Receives the voter's state report once it runs (none: nobody asks).
    pub report: Option<ReportSlot>,
    /// The node's set bookkeeping, which stops votes at a change's enact block (none: the set
    /// never changes, as in tests of one set).
    pub authority_set: Option<Arc<SharedAuthoritySet>>,
}

/// The votes of the last completed round as a catch-up for a peer behind.
fn catch_up_of<S: VoteStore>(store: &S, set_id: SetId) -> Option<CatchUp> {
    let state = store.state();
    let completed = state.completed.filter(|_| state.set_id == set_id)?;
    let mut prevotes = Vec::new();
    let mut precommits = Vec::new();
    for vote in completed.votes {
        match vote.message {
            Message::Prevote(prevote) => prevotes.push(SignedPrevote {
                prevote,
                signature: vote.signature,
                id: vote.id,
            }),
            Message::Precommit(precommit) => precommits.push(SignedPrecommit {
                precommit,
                signature: vote.signature,
                id: vote.id,
            }),
            Message::PrimaryPropose(_) => {}
        }
    }
    Some(CatchUp {
        round_number: completed.round,
        prevotes,
        precommits,
        base_hash: completed.base.0,
        base_number: completed.base.1,
    })
}

/// What the voter takes from the set's global topic; answers catch-up requests and asks for a
/// catch-up when a neighbor is more than one round ahead.
fn global_in<S: VoteStore, N: GossipNetwork>(
    network: Arc<N>,
    store: Arc<S>,
    validator: Arc<GossipValidator>,
    set_id: SetId,
) -> futures::stream::BoxStream<'static, Result<In, FinalityError>> {
    let topic = global_topic(set_id);
    network
        .clone()
        .messages_for(topic)
        .filter_map(move |bytes| {
            let item = match validator.validate(&bytes) {
                Ok(GossipMessage::Commit(commit))
                    if commit_signatures_hold(set_id, commit.round, &commit.message) =>
                {
                    Some(Ok(CommunicationIn::Commit(
                        commit.round,
                        commit.message,
                        Callback::Blank,
                    )))
                }
                Ok(GossipMessage::CatchUp(catch_up))
                    if catch_up_signatures_hold(set_id, &catch_up.message) =>
                {
                    Some(Ok(CommunicationIn::CatchUp(
                        catch_up.message,
                        Callback::Blank,
                    )))
                }
                Ok(GossipMessage::CatchUpRequest(request)) => {
                    if let Some(catch_up) =
                        catch_up_of(&*store, set_id).filter(|c| c.round_number >= request.round)
                    {
                        let answer = GossipMessage::CatchUp(FullCatchUpMessage {
                            set_id,
                            message: catch_up,
                        });
                        network.broadcast(topic, answer.encode());
                    }
                    None
                }
                Ok(GossipMessage::Neighbor(VersionedNeighborPacket::V1(packet))) => {
                    let ours = validator.view().round;
                    if packet.set_id == set_id && packet.round > ours.saturating_add(1) {
                        let request = GossipMessage::CatchUpRequest(CatchUpRequestMessage {
                            round: ours,
                            set_id,
                        });
                        network.broadcast(topic, request.encode());
                    }
                    None
                }
                _ => None,
            };
            future::ready(item)
        })
        .boxed()
}

/// Commits the voter makes, gossiped on the global topic.
fn global_out<N: GossipNetwork>(
    network: Arc<N>,
    set_id: SetId,
) -> std::pin::Pin<Box<dyn futures::Sink<Out, Error = FinalityError> + Send>> {
    Box::pin(futures::sink::unfold(
        network,
        move |network, out: Out| async move {
            let CommunicationOut::Commit(round, commit) = out;
            network.broadcast(
                global_topic(set_id),
                commit_message(set_id, round, commit).encode(),
            );
            Ok(network)
        },
    ))
}

/// Sends a neighbor packet every `period`: where this voter is, so peers behind ask to catch
/// up.
async fn neighbor_packets<N: GossipNetwork>(
    network: Arc<N>,
    validator: Arc<GossipValidator>,
    period: Duration,
) {
    loop {
        futures_timer::Delay::new(period).await;
        let view = validator.view();
        let packet = GossipMessage::Neighbor(VersionedNeighborPacket::V1(NeighborPacket {
            round: view.round,
            set_id: view.set_id,
            commit_finalized_height: view.finalized,
        }));
        network.broadcast(global_topic(view.set_id), packet.encode());
    }
}

/// Runs the voter until it fails (a store or chain error); the future may be dropped to stop
/// it at any point, as a crash would.
///
/// # Errors
/// The set is empty or has no weight, or the voter stopped on an error.
pub async fn run<B: FinalityBackend, N: GossipNetwork, S: VoteStore>(
    params: VoterParams<B, N, S>,
) -> Result<(), FinalityError> {
    let voters = VoterSet::new(params.authorities.iter().cloned())
        .ok_or(FinalityError::BadJustification("empty authority set"))?;
    let validator = Arc::new(GossipValidator::new(
        params.set_id,
        params.authorities.iter().map(|(id, _)| *id),
    ));
    let finalized = params.backend.finalized();
    validator.note_finalized(finalized.1);
    let state = params.store.state();
    let (last_round, last_votes, last_base) = match state.completed {
        Some(completed) if state.set_id == params.set_id => {
            (completed.round, completed.votes, completed.base)
        }
        _ => (0, Vec::new(), finalized),
    };
    validator.note_round(last_round.saturating_add(1));
    let env = Arc::new(GrandpaEnvironment {
        backend: params.backend.clone(),
        network: params.network.clone(),
        store: params.store.clone(),
        set_id: params.set_id,
        voters: voters.clone(),
        key: params.key,
        gossip_duration: params.gossip_duration,
        validator: validator.clone(),
        authority_set: params.authority_set.clone(),
    });
    let global = (
        global_in(
            params.network.clone(),
            params.store.clone(),
            validator.clone(),
            params.set_id,
        ),
        global_out(params.network.clone(), params.set_id),
    );
    let voter = Voter::new(
        env, voters, global, last_round, last_votes, last_base, finalized,
    );
    if let Some(slot) = &params.report {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(voter.voter_state());
        }
    }
    let neighbors = neighbor_packets(
        params.network,
        validator,
        params.gossip_duration.saturating_mul(3),
    );
    match future::select(voter, neighbors.boxed()).await {
        future::Either::Left((result, _)) => result,
        future::Either::Right(((), _)) => Ok(()),
    }
}
