//! Server configuration: where to listen, which methods to expose, and the limits.

use std::net::SocketAddr;

/// 1 MiB.
const MIB: u32 = 1024 * 1024;

/// Which methods callers may use (Substrate's `--rpc-methods`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpcMethods {
    /// Unsafe methods (`author_removeExtrinsic`, `system_dryRun`, `system_peers`, …) answer
    /// `-32601 "RPC call is unsafe to be called externally"`. They stay listed in `rpc_methods`,
    /// as in Substrate.
    Safe,
    /// Every method works.
    Unsafe,
}

impl RpcMethods {
    /// Substrate's `--rpc-methods auto`: unsafe methods only when listening on loopback.
    pub fn auto(listen_addr: &SocketAddr) -> Self {
        if listen_addr.ip().is_loopback() {
            Self::Unsafe
        } else {
            Self::Safe
        }
    }
}

/// Everything [`crate::start_server`] needs to know.
#[derive(Debug, Clone)]
pub struct RpcConfig {
    /// HTTP and WebSocket share this address. Port 0 picks a free port
    /// ([`crate::RpcHandle::local_addr`] tells which).
    pub listen_addr: SocketAddr,
    pub methods: RpcMethods,
    /// Browser origins allowed to call the node (`--rpc-cors`). `None` allows every origin
    /// (`--rpc-cors all`). An entry may end in `:*` to allow any port. Requests without an
    /// `Origin` header (non-browser clients) are always allowed.
    pub cors: Option<Vec<String>>,
    /// Largest request (HTTP body or WebSocket message) in bytes.
    pub max_request_size: u32,
    /// Largest response in bytes; larger answers become error -32008.
    pub max_response_size: u32,
    /// Open connections (HTTP and WebSocket together); more get HTTP 429.
    pub max_connections: u32,
    /// Open subscriptions per WebSocket connection; more get error -32006.
    pub max_subscriptions_per_connection: u32,
    /// Calls per JSON-RPC batch; larger batches get error -32010.
    pub max_batch_size: u32,
}

impl RpcConfig {
    /// The origins Substrate allows by default (`--rpc-cors` unset on a non-dev chain).
    pub fn default_cors() -> Vec<String> {
        [
            "http://localhost:*",
            "http://127.0.0.1:*",
            "https://localhost:*",
            "https://127.0.0.1:*",
            "https://polkadot.js.org",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    }
}

impl Default for RpcConfig {
    /// Substrate's defaults: 127.0.0.1:9944, safe methods, localhost origins, 15 MiB
    /// requests and responses, 100 connections, 1024 subscriptions per connection.
    fn default() -> Self {
        Self {
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 9944)),
            methods: RpcMethods::Safe,
            cors: Some(Self::default_cors()),
            max_request_size: 15 * MIB,
            max_response_size: 15 * MIB,
            max_connections: 100,
            max_subscriptions_per_connection: 1024,
            max_batch_size: 1000,
        }
    }
}
