//! The network's settings, with the defaults the CLI flags show.

use crate::key::NodeKey;
use crate::protocol::Roles;
use crate::rate::RateLimit;
use std::time::Duration;

/// How the network is set up. Addresses are multiaddress strings; they are checked when the
/// network starts.
#[derive(Clone, Debug)]
pub struct NetworkConfig {
    pub node_key: NodeKey,
    /// Where to listen, e.g. `/ip4/0.0.0.0/tcp/30333`.
    pub listen_addresses: Vec<String>,
    /// Peers dialed at start and whenever the connection is lost, each
    /// `/ip4/…/tcp/…/p2p/<PeerId>`.
    pub boot_nodes: Vec<String>,
    pub roles: Roles,
    /// Most peers that dialed us (`--in-peers`).
    pub in_peers: u32,
    /// Most peers we dial beyond the boot nodes (`--out-peers`).
    pub out_peers: u32,
    /// Dial learned addresses in private ranges too (`--allow-private-ip`).
    pub allow_private_ip: bool,
    /// Largest transaction gossiped, in bytes.
    pub max_transaction_bytes: usize,
    /// Block requests a peer may send: burst and sustained rate.
    pub block_request_rate: RateLimit,
    /// Block announcements a peer may send: burst and sustained rate.
    pub announce_rate: RateLimit,
    /// How long an outgoing request may wait for its answer.
    pub request_timeout: Duration,
    /// Largest GRANDPA gossip message, in bytes (`--max-grandpa-message-bytes`).
    pub max_finality_message_bytes: usize,
    /// Where GRANDPA messages from peers go for the node's verdict; `None`: the node runs no
    /// finality gadget and relays none.
    pub finality_messages: Option<tokio::sync::mpsc::Sender<crate::FinalityMessage>>,
    /// A name for logs (the node's `--name`, or empty).
    pub node_name: String,
}

impl NetworkConfig {
    /// Defaults (as the CLI flags give them) around a node key.
    pub fn new(node_key: NodeKey) -> Self {
        Self {
            node_key,
            listen_addresses: vec!["/ip4/127.0.0.1/tcp/30333".into()],
            boot_nodes: Vec::new(),
            roles: Roles::FULL,
            in_peers: 25,
            out_peers: 8,
            allow_private_ip: false,
            max_transaction_bytes: 16 * 1024 * 1024,
            block_request_rate: RateLimit {
                burst: 64,
                per_second: 32,
            },
            announce_rate: RateLimit {
                burst: 64,
                per_second: 16,
            },
            request_timeout: Duration::from_secs(20),
            max_finality_message_bytes: 1024 * 1024,
            finality_messages: None,
            node_name: String::new(),
        }
    }
}
