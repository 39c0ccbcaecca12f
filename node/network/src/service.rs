//! The handle the node holds ([`NetworkService`]) and what it reports: peers, listen
//! addresses, sync state. The swarm itself runs in [`crate::worker`]; the handle only sends it
//! commands and reads the state it publishes.

use crate::protocol::Roles;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::BlockNumber;
use std::sync::{Arc, RwLock};
use tokio::sync::mpsc;

/// A connected peer that completed the status handshake, as `system_peers` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    /// Base58 PeerId.
    pub peer_id: String,
    pub roles: Roles,
    pub best_hash: H256,
    pub best_number: BlockNumber,
}

/// Where sync stands, as `system_syncState` and `system_health` show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Our best block when the network started.
    pub starting_block: BlockNumber,
    /// Our best block now.
    pub current_block: BlockNumber,
    /// The highest best block of any peer, or ours if higher.
    pub highest_block: BlockNumber,
    /// Whether we are far behind our peers and downloading.
    pub is_syncing: bool,
}

/// What the worker publishes for the handle to read.
#[derive(Debug, Default)]
pub(crate) struct Published {
    pub listen_addresses: Vec<String>,
    pub peers: Vec<PeerInfo>,
    pub sync: SyncState,
}

pub(crate) enum Command {
    AnnounceBlock(Header),
    BroadcastTransaction(Vec<u8>),
    /// Publishes a GRANDPA message on the finality topic.
    BroadcastFinality(Vec<u8>),
    /// The node's verdict on a received GRANDPA message.
    FinalityVerdict(crate::FinalityMessageId, crate::FinalityVerdict),
    /// Tests: dial an address (`/ip4/…/tcp/…/p2p/<PeerId>`).
    Dial(String),
}

/// The running network, as the rest of the node uses it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct NetworkService {
    pub(crate) local_peer_id: String,
    pub(crate) roles: Roles,
    pub(crate) published: Arc<RwLock<Published>>,
    pub(crate) commands: mpsc::UnboundedSender<Command>,
}

impl NetworkService {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Published> {
        self.published
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn send(&self, command: Command) {
        // Fails only once the worker has stopped (shutdown): nothing left to tell.
        let _ = self.commands.send(command);
    }

    /// Tells peers about a new block (they fetch it if they want it).
    pub fn announce_block(&self, header: Header) {
        self.send(Command::AnnounceBlock(header));
    }

    /// Gossips a transaction (its full encoding) to peers.
    pub fn broadcast_transaction(&self, encoded: Vec<u8>) {
        self.send(Command::BroadcastTransaction(encoded));
    }

    /// Publishes a GRANDPA message (votes, commits, ...) to peers on the finality topic.
    pub fn broadcast_finality(&self, message: Vec<u8>) {
        self.send(Command::BroadcastFinality(message));
    }

    /// The node's verdict on a GRANDPA message from a peer: only what it keeps is passed on.
    pub fn finality_verdict(&self, id: crate::FinalityMessageId, verdict: crate::FinalityVerdict) {
        self.send(Command::FinalityVerdict(id, verdict));
    }

    /// Dials a peer at `/ip4/…/tcp/…/p2p/<PeerId>` (as a boot node is dialed).
    pub fn dial(&self, address: &str) {
        self.send(Command::Dial(address.into()));
    }

    /// Peers that completed the handshake.
    pub fn peers(&self) -> Vec<PeerInfo> {
        self.read().peers.clone()
    }

    /// The node's PeerId (base58).
    pub fn local_peer_id(&self) -> String {
        self.local_peer_id.clone()
    }

    /// The addresses the node listens on, each ending in `/p2p/<PeerId>`.
    pub fn listen_addresses(&self) -> Vec<String> {
        self.read().listen_addresses.clone()
    }

    pub fn sync_state(&self) -> SyncState {
        self.read().sync
    }

    pub fn is_syncing(&self) -> bool {
        self.read().sync.is_syncing
    }

    pub fn roles(&self) -> Roles {
        self.roles
    }

    /// Whether the worker is still running.
    pub fn is_running(&self) -> bool {
        !self.commands.is_closed()
    }
}
