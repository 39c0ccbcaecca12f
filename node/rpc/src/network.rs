//! What the RPC layer needs from the network, for `system_health`, `system_peers`,
//! `system_syncState`, `system_localPeerId`, `system_localListenAddresses` and
//! `system_nodeRoles`. The binary implements [`NetworkBackend`] over the running network; a
//! node without networking (`--dev`) has none, and those methods report a lone node.

use folio_primitives::hash::H256;
use folio_primitives::BlockNumber;

/// A connected peer, as `system_peers` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPeer {
    pub peer_id: String,
    /// Substrate's role names in capitals: `FULL`, `AUTHORITY`, `LIGHT`.
    pub roles: String,
    pub best_hash: H256,
    pub best_number: BlockNumber,
}

/// Where sync stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetworkSync {
    pub starting_block: BlockNumber,
    pub current_block: BlockNumber,
    pub highest_block: BlockNumber,
    pub is_syncing: bool,
}

/// The running network as the RPC layer sees it. Every method is a cheap read.
pub trait NetworkBackend: Send + Sync + 'static {
    fn local_peer_id(&self) -> String;
    /// Listen multiaddresses, each ending in `/p2p/<PeerId>`.
    fn listen_addresses(&self) -> Vec<String>;
    fn peers(&self) -> Vec<NetworkPeer>;
    fn sync(&self) -> NetworkSync;
    /// `system_nodeRoles`: `["Full"]` or `["Authority"]`.
    fn roles(&self) -> Vec<String>;
    /// Whether this node is meant to have peers (`system_health.shouldHavePeers`).
    fn should_have_peers(&self) -> bool {
        true
    }
}
