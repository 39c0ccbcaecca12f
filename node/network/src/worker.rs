//! The swarm loop: one task that owns the libp2p swarm, answers peers, runs sync, and
//! publishes what the [`NetworkService`] handle reports.
//!
//! Slow work (reading many blocks for a response, importing blocks, validating a gossiped
//! transaction) runs on blocking threads; its result comes back to the loop on a channel,
//! so the loop itself only does quick things.

use crate::addresses;
use crate::behaviour::{Behaviour, BehaviourEvent};
use crate::chain::{ChainAccess, ImportOutcome, IncomingBlock, TransactionOutcome};
use crate::codec::{is_bad_message, Decoded};
use crate::config::NetworkConfig;
use crate::error::NetworkError;
use crate::finality_gossip;
use crate::protocol::{
    Ack, BlockAnnounce, BlockData, BlockFields, BlockRequest, BlockResponse, Direction, FromBlock,
    ProtocolNames, Status, MAX_BLOCKS_PER_RESPONSE, MAX_RESPONSE_BYTES,
};
use crate::rate::RateLimiter;
use crate::reputation::{Misbehaviour, Reputations};
use crate::service::{Command, NetworkService, PeerInfo, Published, SyncState};
use crate::sync::{Job, Sync, SyncStep};
use crate::transport::{Filtered, TrustedAddresses};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::header::Header;
use futures::StreamExt;
use libp2p::core::Transport;
use libp2p::request_response::{self, OutboundRequestId, ResponseChannel};
use libp2p::swarm::{ConnectionId, SwarmEvent};
use libp2p::{gossipsub, identify, kad, Multiaddr, PeerId, Swarm};
use parity_scale_codec::Encode;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

pub(crate) const LOG_TARGET: &str = "folio::network";
/// How often the loop redials boot nodes, decays reputations and re-drives sync.
const TICK: Duration = Duration::from_millis(500);
/// How often lost boot nodes are dialed again.
const REDIAL: Duration = Duration::from_secs(5);

/// The running swarm task. Dropping it does not stop the swarm: call [`NetworkWorker::stop`].
#[derive(Debug)]
pub struct NetworkWorker {
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl NetworkWorker {
    /// Stops the swarm (connections are closed) and waits for the task to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = self.task.await;
    }
}

/// Results of blocking work, back to the loop.
enum Done {
    Served {
        peer: PeerId,
        channel: ResponseChannel<BlockResponse>,
        response: BlockResponse,
    },
    Imported {
        peer: PeerId,
        /// Number and hash of the last block handed to import.
        last: (u32, folio_primitives::hash::H256),
        outcomes: Vec<ImportOutcome>,
    },
    Transaction {
        peer: PeerId,
        message_id: gossipsub::MessageId,
        outcome: TransactionOutcome,
    },
}

/// A connected peer.
struct Peer {
    outbound: bool,
    /// From the status handshake, then raised by announcements.
    status: Option<Status>,
}

/// What an outgoing block request was for.
#[derive(Clone, Copy, Debug)]
enum Purpose {
    Sync,
    Fetch,
}

/// Starts the network: builds the swarm, listens, dials the boot nodes, and spawns the loop
/// on the current tokio runtime.
pub async fn start(
    config: NetworkConfig,
    chain: Arc<dyn ChainAccess>,
) -> Result<(NetworkService, NetworkWorker), NetworkError> {
    let status = chain.status()?;
    let names = ProtocolNames::new(&status.genesis_hash);
    let keypair = config.node_key.keypair();
    let local_peer_id = keypair.public().to_peer_id();
    let trusted = TrustedAddresses::default();
    let mut boot_nodes = Vec::new();
    for address in &config.boot_nodes {
        let (peer, multiaddr) = addresses::parse_boot_node(address)?;
        if peer != local_peer_id {
            trusted.insert(multiaddr.clone());
            boot_nodes.push((peer, multiaddr));
        }
    }
    let boot_peers: Vec<PeerId> = boot_nodes.iter().map(|(peer, _)| *peer).collect();
    let behaviour = Behaviour::new(&keypair, &names, &config, &boot_peers)?;
    let allow_private = config.allow_private_ip;
    let dial_filter = trusted.clone();
    let mut swarm = libp2p::SwarmBuilder::with_existing_identity(keypair)
        .with_tokio()
        .with_other_transport(|key| {
            let tcp =
                libp2p::tcp::tokio::Transport::new(libp2p::tcp::Config::default().nodelay(true));
            let noise = libp2p::noise::Config::new(key)?;
            Ok::<_, Box<dyn std::error::Error + Send + std::marker::Sync>>(
                Filtered::new(tcp, allow_private, dial_filter)
                    .upgrade(libp2p::core::upgrade::Version::V1Lazy)
                    .authenticate(noise)
                    .multiplex(libp2p::yamux::Config::default()),
            )
        })
        .map_err(|e| NetworkError::Setup(format!("transport: {e}")))?
        .with_behaviour(|_| behaviour)
        .map_err(|e| NetworkError::Setup(format!("behaviour: {e}")))?
        // Peers exchange announcements every block; an idle connection is still a peer.
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(u64::MAX)))
        .build();

    let topic = gossipsub::IdentTopic::new(names.transactions.clone());
    swarm
        .behaviour_mut()
        .transactions
        .subscribe(&topic)
        .map_err(|e| NetworkError::Setup(format!("gossipsub subscribe: {e}")))?;
    let grandpa_topic = gossipsub::IdentTopic::new(names.grandpa.clone());
    swarm
        .behaviour_mut()
        .transactions
        .subscribe(&grandpa_topic)
        .map_err(|e| NetworkError::Setup(format!("gossipsub subscribe: {e}")))?;

    for address in &config.listen_addresses {
        let multiaddr = addresses::parse(address)?;
        swarm
            .listen_on(multiaddr)
            .map_err(|e| NetworkError::Listen {
                address: address.clone(),
                reason: e.to_string(),
            })?;
    }

    // Wait for the listeners to bind, so the handle reports real addresses (and ports, when
    // port 0 was asked for) from the start.
    let mut listen_addresses = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while listen_addresses.len() < config.listen_addresses.len() {
        match tokio::time::timeout_at(deadline, swarm.select_next_some()).await {
            Ok(SwarmEvent::NewListenAddr { address, .. }) => {
                listen_addresses.push(address.with(libp2p::multiaddr::Protocol::P2p(local_peer_id)))
            }
            Ok(SwarmEvent::ListenerError { error, .. })
            | Ok(SwarmEvent::ListenerClosed {
                reason: Err(error), ..
            }) => {
                return Err(NetworkError::Listen {
                    address: config.listen_addresses.join(", "),
                    reason: error.to_string(),
                })
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    for address in &listen_addresses {
        tracing::info!(target: LOG_TARGET, %address, "listening for peers");
    }

    let published = Arc::new(RwLock::new(Published {
        listen_addresses: listen_addresses.iter().map(|a| a.to_string()).collect(),
        peers: Vec::new(),
        sync: SyncState {
            starting_block: status.best_number,
            current_block: status.best_number,
            highest_block: status.best_number,
            is_syncing: false,
        },
    }));
    let (commands_tx, commands) = mpsc::unbounded_channel();
    let (done_tx, done) = mpsc::unbounded_channel();
    let (stop_tx, stop) = oneshot::channel();
    let service = NetworkService {
        local_peer_id: local_peer_id.to_base58(),
        roles: config.roles,
        published: Arc::clone(&published),
        commands: commands_tx,
    };
    let mut worker = Worker {
        block_rate: RateLimiter::new(config.block_request_rate),
        announce_rate: RateLimiter::new(config.announce_rate),
        config,
        chain,
        swarm,
        topic,
        grandpa_topic,
        published,
        starting_block: status.best_number,
        boot_nodes,
        trusted,
        learned: HashMap::new(),
        peers: HashMap::new(),
        reputations: Reputations::default(),
        requests: HashMap::new(),
        sync: Sync::default(),
        done_tx,
        last_redial: None,
    };
    worker.dial_boot_nodes(Instant::now());
    let task = tokio::spawn(async move { worker.run(commands, done, stop).await });
    Ok((
        service,
        NetworkWorker {
            stop: Some(stop_tx),
            task,
        },
    ))
}

struct Worker {
    config: NetworkConfig,
    chain: Arc<dyn ChainAccess>,
    swarm: Swarm<Behaviour>,
    topic: gossipsub::IdentTopic,
    /// GRANDPA gossip shares the gossipsub behaviour under its own topic.
    grandpa_topic: gossipsub::IdentTopic,
    published: Arc<RwLock<Published>>,
    starting_block: u32,
    boot_nodes: Vec<(PeerId, Multiaddr)>,
    /// Addresses the user gave (boot nodes), which the transport dials whatever their range.
    trusted: TrustedAddresses,
    /// Dialable addresses peers told us they listen on (identify, Kademlia).
    learned: HashMap<PeerId, Vec<Multiaddr>>,
    peers: HashMap<PeerId, Peer>,
    reputations: Reputations,
    block_rate: RateLimiter,
    announce_rate: RateLimiter,
    requests: HashMap<OutboundRequestId, (PeerId, Purpose)>,
    sync: Sync,
    done_tx: mpsc::UnboundedSender<Done>,
    last_redial: Option<Instant>,
}

impl Worker {
    async fn run(
        &mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        mut done: mpsc::UnboundedReceiver<Done>,
        mut stop: oneshot::Receiver<()>,
    ) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = self.swarm.select_next_some() => self.on_swarm_event(event),
                command = commands.recv() => match command {
                    Some(command) => self.on_command(command),
                    // Every handle is gone: the node is shutting down.
                    None => break,
                },
                Some(result) = done.recv() => self.on_done(result),
                _ = tick.tick() => self.on_tick(),
                _ = &mut stop => break,
            }
        }
        tracing::debug!(target: LOG_TARGET, "network stopped");
    }

    // ----- commands and periodic work -----

    fn on_command(&mut self, command: Command) {
        match command {
            Command::AnnounceBlock(header) => self.announce(header),
            Command::BroadcastTransaction(bytes) => {
                match self
                    .swarm
                    .behaviour_mut()
                    .transactions
                    .publish(self.topic.clone(), bytes)
                {
                    Ok(_) | Err(gossipsub::PublishError::Duplicate) => {}
                    Err(error) => {
                        tracing::debug!(target: LOG_TARGET, %error, "transaction not gossiped")
                    }
                }
            }
            Command::BroadcastFinality(bytes) => self.publish_finality(bytes),
            Command::FinalityVerdict(id, verdict) => {
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .transactions
                    .report_message_validation_result(
                        &id.message_id,
                        &id.source,
                        verdict.acceptance(),
                    );
                if verdict == crate::FinalityVerdict::Reject {
                    self.report(id.source, Misbehaviour::BadMessage);
                }
            }
            Command::Dial(address) => match addresses::parse_boot_node(&address) {
                Ok((peer, multiaddr)) => {
                    self.trusted.insert(multiaddr.clone());
                    self.boot_nodes.push((peer, multiaddr.clone()));
                    let limits = self.swarm.behaviour_mut().limits.limits_mut();
                    *limits = crate::behaviour::outgoing_limits(
                        self.config.out_peers,
                        self.boot_nodes.len(),
                    );
                    self.swarm.behaviour_mut().limits.bypass_peer_id(&peer);
                    self.dial(peer, multiaddr);
                }
                Err(error) => tracing::warn!(target: LOG_TARGET, %error, "cannot dial"),
            },
        }
    }

    fn on_tick(&mut self) {
        let now = Instant::now();
        self.reputations.decay(now);
        if self
            .last_redial
            .is_none_or(|last| now.duration_since(last) >= REDIAL)
        {
            self.dial_boot_nodes(now);
            self.dial_learned();
        }
        self.drive_sync();
        self.publish();
    }

    fn dial(&mut self, peer: PeerId, address: Multiaddr) {
        let options = libp2p::swarm::dial_opts::DialOpts::peer_id(peer)
            .addresses(vec![address])
            .condition(libp2p::swarm::dial_opts::PeerCondition::DisconnectedAndNotDialing)
            .build();
        if let Err(error) = self.swarm.dial(options) {
            tracing::debug!(target: LOG_TARGET, %peer, %error, "dial failed");
        }
    }

    fn dial_boot_nodes(&mut self, now: Instant) {
        self.last_redial = Some(now);
        for (peer, address) in self.boot_nodes.clone() {
            if !self.swarm.is_connected(&peer) && !self.reputations.is_banned(&peer, now) {
                self.dial(peer, address);
            }
        }
    }

    /// Reconnects to peers we learned of, while below `--out-peers`.
    fn dial_learned(&mut self) {
        let now = Instant::now();
        let mut outbound = self.peers.values().filter(|p| p.outbound).count();
        let candidates: Vec<(PeerId, Multiaddr)> = self
            .learned
            .iter()
            .filter(|(peer, _)| !self.swarm.is_connected(peer))
            .filter_map(|(peer, addrs)| addrs.first().map(|a| (*peer, a.clone())))
            .collect();
        for (peer, address) in candidates {
            if outbound >= self.config.out_peers as usize {
                break;
            }
            if !self.reputations.is_banned(&peer, now) {
                self.dial(peer, address);
                outbound += 1;
            }
        }
    }

    fn our_status(&self) -> Option<Status> {
        match self.chain.status() {
            Ok(s) => Some(Status {
                roles: self.config.roles,
                best_number: s.best_number,
                best_hash: s.best_hash,
                finalized_number: s.finalized_number,
                finalized_hash: s.finalized_hash,
                genesis_hash: s.genesis_hash,
            }),
            Err(error) => {
                tracing::error!(target: LOG_TARGET, %error, "cannot read the chain's status");
                None
            }
        }
    }

    /// Refreshes what the handle reports.
    fn publish(&self) {
        let current = self
            .chain
            .status()
            .map(|s| s.best_number)
            .unwrap_or(self.starting_block);
        let peers: Vec<PeerInfo> = self
            .peers
            .iter()
            .filter_map(|(id, peer)| {
                peer.status.as_ref().map(|s| PeerInfo {
                    peer_id: id.to_base58(),
                    roles: s.roles,
                    best_hash: s.best_hash,
                    best_number: s.best_number,
                })
            })
            .collect();
        let highest = peers
            .iter()
            .map(|p| p.best_number)
            .max()
            .unwrap_or(0)
            .max(current);
        let sync = SyncState {
            starting_block: self.starting_block,
            current_block: current,
            highest_block: highest,
            is_syncing: crate::sync::is_major_sync(current, highest),
        };
        let mut published = self
            .published
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        published.peers = peers;
        published.sync = sync;
    }

    fn report(&mut self, peer: PeerId, what: Misbehaviour) {
        let points_before = self.reputations.points(&peer);
        if self.reputations.report(peer, what, Instant::now()) {
            tracing::warn!(target: LOG_TARGET, %peer, ?what, "peer misbehaved: disconnected and banned");
            let _ = self.swarm.disconnect_peer_id(peer);
            // Neither redialed from what we learned nor handed to others by discovery.
            self.learned.remove(&peer);
            self.swarm.behaviour_mut().kademlia.remove_peer(&peer);
        } else {
            tracing::debug!(target: LOG_TARGET, %peer, ?what, points_before, "peer reputation lowered");
        }
    }

    // ----- swarm events -----

    fn on_swarm_event(&mut self, event: SwarmEvent<BehaviourEvent>) {
        match event {
            SwarmEvent::NewListenAddr { address, .. } => {
                let local = *self.swarm.local_peer_id();
                let full = address.with(libp2p::multiaddr::Protocol::P2p(local));
                tracing::info!(target: LOG_TARGET, address = %full, "listening for peers");
                let mut published = self
                    .published
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let text = full.to_string();
                if !published.listen_addresses.contains(&text) {
                    published.listen_addresses.push(text);
                }
            }
            SwarmEvent::ConnectionEstablished {
                peer_id,
                endpoint,
                num_established,
                connection_id,
                ..
            } => self.on_connected(
                peer_id,
                endpoint.is_dialer(),
                num_established.get(),
                connection_id,
            ),
            SwarmEvent::ConnectionClosed {
                peer_id,
                num_established: 0,
                ..
            } => self.on_disconnected(peer_id),
            SwarmEvent::Behaviour(event) => self.on_behaviour_event(event),
            _ => {}
        }
    }

    fn on_connected(
        &mut self,
        peer: PeerId,
        outbound: bool,
        connections: u32,
        connection: ConnectionId,
    ) {
        if self.reputations.is_banned(&peer, Instant::now()) {
            let _ = self.swarm.close_connection(connection);
            return;
        }
        if connections > 1 {
            return;
        }
        let inbound_count = self.peers.values().filter(|p| !p.outbound).count();
        if !outbound && inbound_count >= self.config.in_peers as usize {
            tracing::debug!(target: LOG_TARGET, %peer, "refused: too many inbound peers");
            let _ = self.swarm.close_connection(connection);
            return;
        }
        tracing::debug!(target: LOG_TARGET, %peer, outbound, "connected");
        self.peers.insert(
            peer,
            Peer {
                outbound,
                status: None,
            },
        );
        if let Some(status) = self.our_status() {
            self.swarm
                .behaviour_mut()
                .status
                .send_request(&peer, Decoded::Ok(status));
        }
    }

    fn on_disconnected(&mut self, peer: PeerId) {
        if self.peers.remove(&peer).is_some() {
            tracing::info!(target: LOG_TARGET, %peer, "peer disconnected");
        }
        self.block_rate.remove(&peer);
        self.announce_rate.remove(&peer);
        self.sync.peer_gone(&peer);
        self.publish();
    }

    fn on_behaviour_event(&mut self, event: BehaviourEvent) {
        match event {
            BehaviourEvent::Status(event) => self.on_status_event(event),
            BehaviourEvent::Announces(event) => self.on_announce_event(event),
            BehaviourEvent::Blocks(event) => self.on_blocks_event(event),
            BehaviourEvent::Transactions(event) => self.on_gossip_event(event),
            BehaviourEvent::Identify(identify::Event::Received { peer_id, info, .. }) => {
                let dialable: Vec<Multiaddr> = info
                    .listen_addrs
                    .into_iter()
                    .filter(|a| addresses::is_dialable(a, self.config.allow_private_ip))
                    .collect();
                // Kademlia learns a peer's listen addresses from here (the address of an
                // inbound connection is the remote's outgoing port, not one to dial).
                for address in &dialable {
                    self.swarm
                        .behaviour_mut()
                        .kademlia
                        .add_address(&peer_id, address.clone());
                }
                if !dialable.is_empty() {
                    self.learned.insert(peer_id, dialable);
                }
            }
            BehaviourEvent::Kademlia(kad::Event::RoutingUpdated {
                peer, addresses, ..
            }) => {
                let dialable: Vec<Multiaddr> = addresses
                    .iter()
                    .filter(|a| addresses::is_dialable(a, self.config.allow_private_ip))
                    .cloned()
                    .collect();
                if !dialable.is_empty() && peer != *self.swarm.local_peer_id() {
                    tracing::debug!(target: LOG_TARGET, %peer, "discovered a peer");
                    self.learned.insert(peer, dialable);
                }
            }
            BehaviourEvent::Kademlia(_) | BehaviourEvent::Identify(_) | BehaviourEvent::Ping(_) => {
            }
            BehaviourEvent::Limits(never) => match never {},
        }
    }

    /// A failed exchange: the peer's fault only when it sent bad bytes.
    fn blame_failure(&mut self, peer: PeerId, io_error: Option<&std::io::Error>, timeout: bool) {
        if io_error.is_some_and(is_bad_message) {
            self.report(peer, Misbehaviour::BadMessage);
        } else if timeout {
            self.report(peer, Misbehaviour::Timeout);
        }
    }

    fn on_status_event(&mut self, event: request_response::Event<Decoded<Status>, Status>) {
        use request_response::{Event, Message};
        match event {
            Event::Message {
                peer,
                message:
                    Message::Request {
                        request, channel, ..
                    },
                ..
            } => {
                let Decoded::Ok(request) = request else {
                    return self.report(peer, Misbehaviour::BadMessage);
                };
                if let Some(ours) = self.our_status() {
                    let _ = self
                        .swarm
                        .behaviour_mut()
                        .status
                        .send_response(channel, ours);
                }
                self.on_peer_status(peer, request);
            }
            Event::Message {
                peer,
                message: Message::Response { response, .. },
                ..
            } => self.on_peer_status(peer, response),
            Event::OutboundFailure { peer, error, .. } => match error {
                // A peer that does not speak our genesis' status protocol is of another chain.
                request_response::OutboundFailure::UnsupportedProtocols => {
                    tracing::info!(target: LOG_TARGET, %peer, "peer is on another chain (no common protocol)");
                    self.report(peer, Misbehaviour::GenesisMismatch)
                }
                request_response::OutboundFailure::Io(e) => {
                    self.blame_failure(peer, Some(&e), false)
                }
                request_response::OutboundFailure::Timeout => self.blame_failure(peer, None, true),
                _ => {}
            },
            Event::InboundFailure { peer, error, .. } => {
                if let request_response::InboundFailure::Io(e) = error {
                    self.blame_failure(peer, Some(&e), false)
                }
            }
            Event::ResponseSent { .. } => {}
        }
    }

    fn on_peer_status(&mut self, peer: PeerId, status: Status) {
        let Some(ours) = self.our_status() else {
            return;
        };
        if status.genesis_hash != ours.genesis_hash {
            tracing::info!(target: LOG_TARGET, %peer, theirs = %status.genesis_hash, "peer has another genesis");
            self.report(peer, Misbehaviour::GenesisMismatch);
            return;
        }
        let Some(entry) = self.peers.get_mut(&peer) else {
            return;
        };
        if entry.status.is_none() {
            tracing::info!(
                target: LOG_TARGET,
                %peer,
                best = status.best_number,
                roles = ?status.roles,
                "peer connected"
            );
        }
        // Both sides send their status; keep the higher best of the two we hear.
        let keep_old = entry
            .status
            .as_ref()
            .is_some_and(|old| old.best_number > status.best_number);
        if !keep_old {
            entry.status = Some(status);
        }
        self.publish();
        self.drive_sync();
    }

    // ----- announcements -----

    fn announce(&mut self, header: Header) {
        let hash = header.hash();
        let targets: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| p.status.as_ref().is_some_and(|s| s.best_hash != hash))
            .map(|(id, _)| *id)
            .collect();
        for peer in targets {
            self.swarm.behaviour_mut().announces.send_request(
                &peer,
                Decoded::Ok(BlockAnnounce {
                    header: header.clone(),
                    is_best: true,
                }),
            );
        }
    }

    fn on_announce_event(&mut self, event: request_response::Event<Decoded<BlockAnnounce>, Ack>) {
        use request_response::{Event, Message};
        match event {
            Event::Message {
                peer,
                message:
                    Message::Request {
                        request, channel, ..
                    },
                ..
            } => {
                let Decoded::Ok(request) = request else {
                    return self.report(peer, Misbehaviour::BadMessage);
                };
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .announces
                    .send_response(channel, Ack);
                if !self.announce_rate.allow(peer, Instant::now()) {
                    self.report(peer, Misbehaviour::TooManyRequests);
                    return;
                }
                self.on_block_announce(peer, request);
            }
            Event::OutboundFailure { peer, error, .. } => match error {
                request_response::OutboundFailure::Io(e) => {
                    self.blame_failure(peer, Some(&e), false)
                }
                request_response::OutboundFailure::Timeout => self.blame_failure(peer, None, true),
                _ => {}
            },
            Event::InboundFailure { peer, error, .. } => {
                if let request_response::InboundFailure::Io(e) = error {
                    self.blame_failure(peer, Some(&e), false)
                }
            }
            Event::Message { .. } | Event::ResponseSent { .. } => {}
        }
    }

    fn on_block_announce(&mut self, peer: PeerId, announce: BlockAnnounce) {
        let header = announce.header;
        let hash = header.hash();
        let Some(entry) = self.peers.get_mut(&peer) else {
            return;
        };
        let Some(status) = entry.status.as_mut() else {
            // No handshake yet: nothing to attach the announcement to.
            return;
        };
        if announce.is_best && header.number >= status.best_number {
            status.best_number = header.number;
            status.best_hash = hash;
        }
        let known = matches!(self.chain.header(hash), Ok(Some(_)));
        let parent_known = matches!(self.chain.header(header.parent_hash), Ok(Some(_)));
        tracing::debug!(target: LOG_TARGET, %peer, number = header.number, %hash, known, parent_known, "block announced");
        if !known && parent_known {
            self.sync.want_block(peer, hash);
        }
        self.drive_sync();
    }

    // ----- block requests -----

    fn on_blocks_event(
        &mut self,
        event: request_response::Event<Decoded<BlockRequest>, BlockResponse>,
    ) {
        use request_response::{Event, Message};
        match event {
            Event::Message {
                peer,
                message:
                    Message::Request {
                        request, channel, ..
                    },
                ..
            } => {
                let Decoded::Ok(request) = request else {
                    return self.report(peer, Misbehaviour::BadMessage);
                };
                if !self.block_rate.allow(peer, Instant::now()) {
                    // Dropping the channel refuses the request.
                    self.report(peer, Misbehaviour::TooManyRequests);
                    return;
                }
                self.serve_blocks(peer, request, channel);
            }
            Event::Message {
                peer,
                message:
                    Message::Response {
                        request_id,
                        response,
                    },
                ..
            } => {
                if let Some((_, purpose)) = self.requests.remove(&request_id) {
                    self.on_blocks_response(peer, purpose, response);
                }
            }
            Event::OutboundFailure {
                peer,
                request_id,
                error,
                ..
            } => {
                tracing::debug!(target: LOG_TARGET, %peer, %error, "block request failed");
                if self.requests.remove(&request_id).is_some() {
                    self.sync.request_failed(&peer);
                }
                match error {
                    request_response::OutboundFailure::Io(e) => {
                        self.blame_failure(peer, Some(&e), false)
                    }
                    request_response::OutboundFailure::Timeout => {
                        self.blame_failure(peer, None, true)
                    }
                    _ => {}
                }
                self.drive_sync();
            }
            Event::InboundFailure { peer, error, .. } => {
                if let request_response::InboundFailure::Io(e) = error {
                    self.blame_failure(peer, Some(&e), false)
                }
            }
            Event::ResponseSent { .. } => {}
        }
    }

    /// Reads the requested blocks on a blocking thread and answers.
    fn serve_blocks(
        &mut self,
        peer: PeerId,
        request: BlockRequest,
        channel: ResponseChannel<BlockResponse>,
    ) {
        let chain = Arc::clone(&self.chain);
        let done = self.done_tx.clone();
        tokio::task::spawn_blocking(move || {
            let response = read_blocks(chain.as_ref(), &request);
            let _ = done.send(Done::Served {
                peer,
                channel,
                response,
            });
        });
    }

    fn send_block_request(&mut self, peer: PeerId, request: BlockRequest, purpose: Purpose) {
        let id = self
            .swarm
            .behaviour_mut()
            .blocks
            .send_request(&peer, Decoded::Ok(request));
        self.requests.insert(id, (peer, purpose));
    }

    fn on_blocks_response(&mut self, peer: PeerId, purpose: Purpose, response: BlockResponse) {
        if response.blocks.len() > MAX_BLOCKS_PER_RESPONSE as usize {
            self.report(peer, Misbehaviour::BadResponse);
            self.sync.request_failed(&peer);
            return;
        }
        let step = match purpose {
            Purpose::Sync => self.sync.on_response(peer, response, self.chain.as_ref()),
            Purpose::Fetch => self.sync.on_fetched(peer, response),
        };
        self.apply_step(peer, step);
        self.drive_sync();
    }

    fn apply_step(&mut self, peer: PeerId, step: SyncStep) {
        match step {
            SyncStep::Nothing => {}
            SyncStep::Misbehaved(what) => self.report(peer, what),
            SyncStep::Import(blocks) => self.import(peer, blocks),
        }
    }

    fn import(&mut self, peer: PeerId, blocks: Vec<IncomingBlock>) {
        let Some(last) = blocks.last().map(|b| (b.header.number, b.header.hash())) else {
            return;
        };
        let chain = Arc::clone(&self.chain);
        let done = self.done_tx.clone();
        tokio::task::spawn_blocking(move || {
            let outcomes = chain.import_blocks(blocks);
            let _ = done.send(Done::Imported {
                peer,
                last,
                outcomes,
            });
        });
    }

    /// Starts the next sync request if none is running.
    fn drive_sync(&mut self) {
        if self.sync.busy() {
            return;
        }
        let Ok(ours) = self.chain.status() else {
            return;
        };
        let peers: Vec<(PeerId, u32, folio_primitives::hash::H256)> = self
            .peers
            .iter()
            .filter_map(|(id, p)| p.status.as_ref().map(|s| (*id, s.best_number, s.best_hash)))
            .collect();
        if let Some((peer, request, job)) = self.sync.next(&ours, &peers, self.chain.as_ref()) {
            let purpose = match job {
                Job::Fetch => Purpose::Fetch,
                Job::Sync => Purpose::Sync,
            };
            self.send_block_request(peer, request, purpose);
        }
    }

    // ----- transactions -----

    fn on_gossip_event(&mut self, event: gossipsub::Event) {
        let gossipsub::Event::Message {
            propagation_source,
            message_id,
            message,
        } = event
        else {
            return;
        };
        if message.topic == self.grandpa_topic.hash() {
            self.on_finality_message(propagation_source, message_id, message.data);
            return;
        }
        if OpaqueExtrinsic::from_bytes(&message.data).is_err() {
            let _ = self
                .swarm
                .behaviour_mut()
                .transactions
                .report_message_validation_result(
                    &message_id,
                    &propagation_source,
                    gossipsub::MessageAcceptance::Reject,
                );
            self.report(propagation_source, Misbehaviour::BadMessage);
            return;
        }
        let chain = Arc::clone(&self.chain);
        let done = self.done_tx.clone();
        let bytes = message.data;
        tokio::task::spawn_blocking(move || {
            let outcome = chain.submit_transaction(bytes);
            let _ = done.send(Done::Transaction {
                peer: propagation_source,
                message_id,
                outcome,
            });
        });
    }

    // ----- GRANDPA gossip -----

    fn publish_finality(&mut self, bytes: Vec<u8>) {
        if bytes.len() > self.config.max_finality_message_bytes {
            tracing::warn!(target: LOG_TARGET, bytes = bytes.len(), "GRANDPA message too large to gossip");
            return;
        }
        match self
            .swarm
            .behaviour_mut()
            .transactions
            .publish(self.grandpa_topic.clone(), bytes)
        {
            Ok(_) | Err(gossipsub::PublishError::Duplicate) => {}
            Err(error) => {
                tracing::debug!(target: LOG_TARGET, %error, "GRANDPA message not gossiped")
            }
        }
    }

    fn on_finality_message(
        &mut self,
        source: PeerId,
        message_id: gossipsub::MessageId,
        data: Vec<u8>,
    ) {
        let id = crate::FinalityMessageId {
            message_id: message_id.clone(),
            source,
        };
        let received = finality_gossip::receive(
            self.config.finality_messages.as_ref(),
            self.config.max_finality_message_bytes,
            data,
            id,
        );
        if let finality_gossip::Received::Judged(acceptance, blame) = received {
            let _ = self
                .swarm
                .behaviour_mut()
                .transactions
                .report_message_validation_result(&message_id, &source, acceptance);
            if let Some(blame) = blame {
                self.report(source, blame);
            }
        }
    }

    // ----- results of blocking work -----

    fn on_done(&mut self, done: Done) {
        match done {
            Done::Served {
                peer,
                channel,
                response,
            } => {
                if self
                    .swarm
                    .behaviour_mut()
                    .blocks
                    .send_response(channel, response)
                    .is_err()
                {
                    tracing::debug!(target: LOG_TARGET, %peer, "block response not sent (peer gone)");
                }
            }
            Done::Imported {
                peer,
                last,
                outcomes,
            } => {
                let step = self.sync.on_imported(peer, last, &outcomes);
                self.apply_step(peer, step);
                self.publish();
                self.drive_sync();
            }
            Done::Transaction {
                peer,
                message_id,
                outcome,
            } => {
                let acceptance = match &outcome {
                    TransactionOutcome::Accepted => gossipsub::MessageAcceptance::Accept,
                    TransactionOutcome::AlreadyKnown | TransactionOutcome::Refused(_) => {
                        gossipsub::MessageAcceptance::Ignore
                    }
                    TransactionOutcome::Malformed(_) => gossipsub::MessageAcceptance::Reject,
                };
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .transactions
                    .report_message_validation_result(&message_id, &peer, acceptance);
                match outcome {
                    TransactionOutcome::Malformed(reason) => {
                        tracing::debug!(target: LOG_TARGET, %peer, reason, "malformed transaction");
                        self.report(peer, Misbehaviour::BadMessage)
                    }
                    TransactionOutcome::Refused(reason) => {
                        tracing::debug!(target: LOG_TARGET, %peer, reason, "transaction refused");
                        self.report(peer, Misbehaviour::RefusedTransaction)
                    }
                    TransactionOutcome::Accepted | TransactionOutcome::AlreadyKnown => {}
                }
            }
        }
    }
}

/// The blocks a request asks for, within [`MAX_BLOCKS_PER_RESPONSE`] and
/// [`MAX_RESPONSE_BYTES`] (at least one block, if the first exists and fits).
pub(crate) fn read_blocks(chain: &dyn ChainAccess, request: &BlockRequest) -> BlockResponse {
    let max = request.max.clamp(1, MAX_BLOCKS_PER_RESPONSE);
    let mut next = match request.from {
        FromBlock::Hash(hash) => Some(hash),
        FromBlock::Number(number) => chain.hash_by_number(number).ok().flatten(),
    };
    let mut blocks = Vec::new();
    // The response's own framing (the vector's length) is a few bytes.
    let mut size = 8usize;
    while let Some(hash) = next {
        if blocks.len() >= max as usize {
            break;
        }
        let Ok(Some(stored)) = chain.block(hash, request.fields) else {
            break;
        };
        let data = BlockData {
            hash,
            header: request
                .fields
                .has(BlockFields::HEADER)
                .then(|| stored.header.clone()),
            body: if request.fields.has(BlockFields::BODY) {
                stored.body.clone()
            } else {
                None
            },
            justifications: if request.fields.has(BlockFields::JUSTIFICATION) {
                stored.justifications.clone()
            } else {
                None
            },
        };
        size = size.saturating_add(data.encoded_size());
        if size > MAX_RESPONSE_BYTES {
            break;
        }
        blocks.push(data);
        next = match request.direction {
            Direction::Descending if stored.header.number > 0 => Some(stored.header.parent_hash),
            Direction::Descending => None,
            Direction::Ascending => stored
                .header
                .number
                .checked_add(1)
                .and_then(|n| chain.hash_by_number(n).ok().flatten()),
        };
    }
    BlockResponse { blocks }
}
