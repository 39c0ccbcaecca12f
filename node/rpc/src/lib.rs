//! Folio's JSON-RPC server: Substrate's legacy ("v1") RPC methods, byte-exact, over HTTP
//! and WebSocket on one port, so polkadot-js and subxt work against a Folio node unmodified.
//!
//! It owns the wire format (method names and aliases, parameter parsing, JSON shapes, hex,
//! error codes, subscription behaviour) and the server's limits. It reaches the node only
//! through [`RpcBackend`]; it must not know about the database, the executor or the pool,
//! and it must never list a method it does not implement (clients switch behaviour on
//! `rpc_methods`, so no `chainHead_v1_*` / `archive_v1_*` / `transaction_v1_*` names).
//!
//! ```no_run
//! # async fn run(backend: std::sync::Arc<dyn folio_rpc::RpcBackend>) -> Result<(), folio_rpc::RpcError> {
//! let handle = folio_rpc::start_server(folio_rpc::RpcConfig::default(), backend).await?;
//! println!("RPC on {}", handle.local_addr());
//! handle.stop();
//! handle.stopped().await;
//! # Ok(()) }
//! ```

// Input comes from the network: nothing here may panic on it.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod archive;
mod author;
pub mod backend;
mod budget;
mod chain;
mod chain_head;
mod chain_spec;
mod config;
mod cors;
mod dev;
mod engine;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod grandpa;
mod json;
pub mod keys;
mod module;
pub mod network;
mod params;
mod server;
mod state;
mod storage_query;
mod system;
mod transaction;

pub use backend::{
    BackendError, BoxFuture, RpcBackend, SubmitError, SystemInfo, TransactionStatus,
};
pub use config::{RpcConfig, RpcMethods};
pub use error::RpcError;
pub use keys::KeystoreBackend;
pub use network::{NetworkBackend, NetworkPeer, NetworkSync};
pub use server::{
    rpc_module_method_names, start_server, start_server_with_keys, start_server_with_network,
    RpcHandle,
};
pub use state::{is_node_internal, MAX_KEYS_PAGED};
pub use system::peer_id_from_ed25519;
