//! Folio's peer-to-peer network: a rust-libp2p swarm (TCP, noise, yamux, identify, ping,
//! Kademlia for peer discovery, request-response, gossipsub) carrying Folio's protocols, and block sync.
//!
//! It owns the wire protocols ([`protocol`]: status handshake, block announcements, block
//! requests, transaction gossip, all SCALE and namespaced by the genesis hash), peer
//! reputation and limits, and sync. It reaches the chain only through [`ChainAccess`] and
//! must not depend on the chain, the RPC server or the CLI; libp2p types never leave it, so
//! a move to another stack (or Substrate's wire protocols) touches this crate only.
//!
//! ```no_run
//! # async fn run(chain: std::sync::Arc<dyn folio_network::ChainAccess>) -> Result<(), folio_network::NetworkError> {
//! let config = folio_network::NetworkConfig::new(folio_network::NodeKey::generate());
//! let (network, worker) = folio_network::start(config, chain).await?;
//! println!("I am {}", network.local_peer_id());
//! worker.stop().await;
//! # Ok(()) }
//! ```

// Everything here handles what peers send: nothing may panic on it.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)
)]

mod addresses;
mod behaviour;
pub mod chain;
mod codec;
pub mod config;
mod error;
pub mod finality_gossip;
mod key;
pub mod protocol;
mod rate;
mod reputation;
mod service;
mod sync;
#[cfg(feature = "test-peer")]
pub mod test_peer;
mod transport;
mod worker;

pub use chain::{
    ChainAccess, ChainAccessError, ChainStatus, ImportOutcome, IncomingBlock, StoredBlock,
    TransactionOutcome,
};
pub use config::NetworkConfig;
pub use error::NetworkError;
pub use finality_gossip::{FinalityMessage, FinalityMessageId, FinalityVerdict};
pub use key::NodeKey;
pub use protocol::Roles;
pub use rate::RateLimit;
pub use service::{NetworkService, PeerInfo, SyncState};
pub use sync::MAJOR_SYNC_GAP;
pub use worker::{start, NetworkWorker};

/// Checks a multiaddress given by a user (a flag or a chain spec), without starting anything.
pub fn check_address(address: &str) -> Result<(), NetworkError> {
    addresses::parse(address).map(|_| ())
}

/// Checks a boot node address (`/ip4/…/tcp/…/p2p/<PeerId>`).
pub fn check_boot_node(address: &str) -> Result<(), NetworkError> {
    addresses::parse_boot_node(address).map(|_| ())
}
#[cfg(test)]
mod tests;
