//! The GRANDPA voter's network ([`folio_finality::GossipNetwork`]) over `folio_network`'s
//! finality gossip protocol.
//!
//! Each message travels as an [`Envelope`]: a sender's nonce (so a neighbor packet or a
//! catch-up request sent again is not taken for a duplicate by gossipsub) and the SCALE
//! `GossipMessage`. Its topic is not sent: it follows from the message (a vote's round topic,
//! else the set's global topic), so a peer cannot file a vote under another round.
//!
//! Every message from a peer goes through a [`GossipValidator`] before it reaches the voter;
//! its verdict goes back to the network, which passes on only votes and commits it keeps.
//! Neighbor packets and catch-ups are for direct peers: delivered, never relayed. The
//! validator's view follows what the local voter sends (its votes' rounds, its neighbor
//! packets' round and finalized height).

use folio_finality::gossip::{Discard, GossipValidator};
use folio_finality::messages::{global_topic, round_topic, GossipMessage, VersionedNeighborPacket};
use folio_finality::{AuthorityId, SetId, Topic};
use folio_network::{FinalityMessage, FinalityVerdict, NetworkService};
use futures::stream::BoxStream;
use futures::StreamExt;
use parity_scale_codec::{Decode, DecodeAll, Encode};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

const LOG_TARGET: &str = "folio::finality";
/// Topics whose messages are held for a voter that subscribes late (a round it has not
/// entered yet): a few rounds' worth, oldest dropped first.
const HELD_TOPICS: usize = 16;
/// Messages held per topic (a round has two votes per voter; commits and neighbor packets
/// repeat).
const HELD_PER_TOPIC: usize = 512;
/// Own votes and commits sent again (newest kept): gossipsub does not give a peer that
/// connects later what was published before, and a round whose votes it missed never ends.
const RESENT: usize = 8;

/// A GRANDPA message on the wire.
#[derive(Encode, Decode)]
struct Envelope {
    nonce: u64,
    message: Vec<u8>,
}

/// The topic a message belongs to.
fn topic_of(message: &GossipMessage) -> Topic {
    match message {
        GossipMessage::Vote(vote) => round_topic(vote.round, vote.set_id),
        GossipMessage::Commit(commit) => global_topic(commit.set_id),
        GossipMessage::Neighbor(VersionedNeighborPacket::V1(packet)) => global_topic(packet.set_id),
        GossipMessage::CatchUpRequest(request) => global_topic(request.set_id),
        GossipMessage::CatchUp(catch_up) => global_topic(catch_up.set_id),
    }
}

/// The network's verdict on a message, from the validator's.
fn verdict(checked: &Result<GossipMessage, Discard>) -> FinalityVerdict {
    match checked {
        Ok(GossipMessage::Vote(_) | GossipMessage::Commit(_)) => FinalityVerdict::Keep,
        Ok(_) => FinalityVerdict::Ignore,
        Err(Discard::Malformed | Discard::NotAVoter | Discard::BadSignature) => {
            FinalityVerdict::Reject
        }
        Err(
            Discard::UnknownSet | Discard::OldRound | Discard::FutureRound | Discard::OldCommit,
        ) => FinalityVerdict::Ignore,
    }
}

type Subscriber = futures::channel::mpsc::UnboundedSender<Vec<u8>>;

#[derive(Default)]
struct Hub {
    /// The set's global topic: never dropped (commits and catch-ups live there).
    pinned: Topic,
    held: HashMap<Topic, Vec<Vec<u8>>>,
    /// Round topics, oldest first.
    order: VecDeque<Topic>,
    subscribers: HashMap<Topic, Vec<Subscriber>>,
}

impl Hub {
    fn deliver(&mut self, topic: Topic, message: Vec<u8>) {
        if topic != self.pinned && !self.held.contains_key(&topic) {
            self.order.push_back(topic);
            while self.order.len() > HELD_TOPICS {
                if let Some(old) = self.order.pop_front() {
                    self.held.remove(&old);
                    // A voter still in that round keeps its stream; gone ones are dropped.
                    if let Some(subscribers) = self.subscribers.get_mut(&old) {
                        subscribers.retain(|s| !s.is_closed());
                        if subscribers.is_empty() {
                            self.subscribers.remove(&old);
                        }
                    }
                }
            }
        }
        let held = self.held.entry(topic).or_default();
        if held.len() < HELD_PER_TOPIC {
            held.push(message.clone());
        }
        if let Some(subscribers) = self.subscribers.get_mut(&topic) {
            subscribers.retain(|s| s.unbounded_send(message.clone()).is_ok());
        }
    }
}

/// The gossip of the node's current authority set over its network ([`Self::change_set`]
/// moves it to the next set: the new set's messages are taken, the old set's dropped).
pub struct NetworkGossip {
    network: NetworkService,
    validator: std::sync::RwLock<Arc<GossipValidator>>,
    hub: Mutex<Hub>,
    nonce: std::sync::atomic::AtomicU64,
    /// The local voter's latest votes and commits, sent again every `resend` period.
    own: Mutex<VecDeque<Vec<u8>>>,
}

impl NetworkGossip {
    /// The gossip of `set_id`, judging what `incoming` brings from peers (a task on the
    /// current tokio runtime, ending when the network's side of the channel closes).
    pub fn start(
        network: NetworkService,
        set_id: SetId,
        voters: impl IntoIterator<Item = AuthorityId>,
        mut incoming: mpsc::Receiver<FinalityMessage>,
        resend: std::time::Duration,
    ) -> Arc<Self> {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        let gossip = Arc::new(Self {
            network,
            validator: std::sync::RwLock::new(Arc::new(GossipValidator::new(set_id, voters))),
            hub: Mutex::new(Hub {
                pinned: global_topic(set_id),
                ..Hub::default()
            }),
            nonce: start.into(),
            own: Mutex::new(VecDeque::new()),
        });
        let again = Arc::downgrade(&gossip);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(resend);
            every.tick().await;
            loop {
                every.tick().await;
                let Some(gossip) = again.upgrade() else {
                    return;
                };
                gossip.resend();
            }
        });
        let judge = Arc::clone(&gossip);
        tokio::spawn(async move {
            while let Some(message) = incoming.recv().await {
                judge.on_message(message);
            }
        });
        gossip
    }

    /// The set's filter (replaced whole on a set change).
    fn validator(&self) -> Arc<GossipValidator> {
        Arc::clone(&self.validator.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The next set takes over: its messages are judged by its voters and held for its
    /// voter; the old set's held messages go. Own messages of the old set are still sent
    /// again for a while, so a peer that has not finalized the enact block yet gets the
    /// commit.
    pub fn change_set(&self, set_id: SetId, voters: impl IntoIterator<Item = AuthorityId>) {
        let validator = Arc::new(GossipValidator::new(set_id, voters));
        *self.validator.write().unwrap_or_else(|e| e.into_inner()) = validator;
        let mut hub = self.hub();
        hub.pinned = global_topic(set_id);
        hub.held.clear();
        hub.order.clear();
    }

    fn hub(&self) -> std::sync::MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A message from a peer: judged, delivered to the voter if kept, verdict to the network.
    fn on_message(&self, received: FinalityMessage) {
        let Ok(envelope) = Envelope::decode_all(&mut &received.data[..]) else {
            self.network
                .finality_verdict(received.id, FinalityVerdict::Reject);
            return;
        };
        let checked = self.validator().validate(&envelope.message);
        let verdict = verdict(&checked);
        tracing::trace!(target: LOG_TARGET, ?verdict, bytes = envelope.message.len(), "GRANDPA message from a peer");
        if let Ok(message) = &checked {
            self.hub().deliver(topic_of(message), envelope.message);
        } else if let Err(reason) = &checked {
            tracing::trace!(target: LOG_TARGET, ?reason, "GRANDPA message dropped");
        }
        self.network.finality_verdict(received.id, verdict);
    }

    fn send(&self, message: Vec<u8>) {
        let nonce = self
            .nonce
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.network
            .broadcast_finality(Envelope { nonce, message }.encode());
    }

    fn resend(&self) {
        let own: Vec<Vec<u8>> = self
            .own
            .lock()
            .map(|own| own.iter().cloned().collect())
            .unwrap_or_default();
        for message in own {
            self.send(message);
        }
    }

    /// The local voter's view moves with what it sends; its votes and commits are kept to
    /// send again.
    fn note_sent(&self, message: &[u8]) {
        let decoded = GossipMessage::decode_all(&mut &message[..]);
        if matches!(
            decoded,
            Ok(GossipMessage::Vote(_) | GossipMessage::Commit(_))
        ) {
            if let Ok(mut own) = self.own.lock() {
                own.push_back(message.to_vec());
                while own.len() > RESENT {
                    own.pop_front();
                }
            }
        }
        let validator = self.validator();
        let ours = validator.view().set_id;
        match decoded {
            Ok(GossipMessage::Vote(vote)) if vote.set_id == ours => {
                validator.note_round(vote.round)
            }
            Ok(GossipMessage::Neighbor(VersionedNeighborPacket::V1(packet)))
                if packet.set_id == ours =>
            {
                validator.note_round(packet.round);
                validator.note_finalized(packet.commit_finalized_height);
            }
            _ => {}
        }
    }
}

impl folio_finality::GossipNetwork for NetworkGossip {
    fn broadcast(&self, _topic: Topic, message: Vec<u8>) {
        self.note_sent(&message);
        tracing::trace!(target: LOG_TARGET, bytes = message.len(), "GRANDPA message to peers");
        self.send(message);
    }

    fn messages_for(&self, topic: Topic) -> BoxStream<'static, Vec<u8>> {
        let (sender, receiver) = futures::channel::mpsc::unbounded();
        let mut hub = self.hub();
        for message in hub.held.get(&topic).into_iter().flatten() {
            let _ = sender.unbounded_send(message.clone());
        }
        hub.subscribers.entry(topic).or_default().push(sender);
        receiver.boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_holds_a_few_topics_for_late_subscribers() {
        let mut hub = Hub {
            pinned: folio_finality::Hash([255; 32]),
            ..Hub::default()
        };
        hub.deliver(hub.pinned, vec![255]);
        for i in 0..(HELD_TOPICS as u8 + 4) {
            hub.deliver(folio_finality::Hash([i; 32]), vec![i]);
        }
        assert_eq!(hub.held.len(), HELD_TOPICS + 1, "the global topic stays");
        assert!(hub.held.contains_key(&hub.pinned));
        assert!(!hub.held.contains_key(&folio_finality::Hash([0; 32])));
        let newest = folio_finality::Hash([HELD_TOPICS as u8 + 3; 32]);
        assert_eq!(
            hub.held.get(&newest),
            Some(&vec![vec![HELD_TOPICS as u8 + 3]])
        );
    }

    #[test]
    fn only_votes_and_commits_are_relayed_and_bad_ones_rejected() {
        let validator = GossipValidator::new(0, []);
        let garbage = validator.validate(&[9, 9, 9]);
        assert_eq!(verdict(&garbage), FinalityVerdict::Reject);
        let neighbor = GossipMessage::Neighbor(VersionedNeighborPacket::V1(
            folio_finality::messages::NeighborPacket {
                round: 1,
                set_id: 0,
                commit_finalized_height: 0,
            },
        ))
        .encode();
        assert_eq!(
            verdict(&validator.validate(&neighbor)),
            FinalityVerdict::Ignore
        );
    }
}
