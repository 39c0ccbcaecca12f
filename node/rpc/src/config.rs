//! Server configuration: where to listen, which methods to expose, and the limits.

use std::net::SocketAddr;
use std::time::Duration;

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
    /// Keys (or block numbers) one request may name: `state_queryStorageAt`,
    /// `state_getReadProof`, `state_subscribeStorage`, the list form of `chain_getBlockHash`.
    /// More get error -32602 before anything is read.
    pub max_keys_per_request: u32,
    /// Runtime calls and multi-key reads that RPC runs at once, all connections together. The
    /// executor has a fixed number of instance slots shared with admission, authoring and
    /// import; RPC never takes more than this many of them, so a flood of `state_call` cannot
    /// starve block production. A call that finds the budget spent waits up to
    /// `call_timeout`, then gets -32009 "Server is busy".
    pub max_concurrent_calls: u32,
    /// Longest an RPC request waits for its runtime call or read (queueing included) before it
    /// answers an error. The call itself stops at the executor's own timeout and keeps its
    /// budget slot until then, so the budget stays true.
    pub call_timeout: Duration,
    /// Requests one connection may have running at once (a WebSocket client pipelining
    /// thousands of calls); more get -32009 at once. Subscriptions have their own cap.
    pub max_in_flight_per_connection: u32,
    /// `transaction_v1_broadcast` operations one connection may run at once (the spec asks for
    /// at least 4); more answer `null`.
    pub max_broadcasts_per_connection: u32,
    /// `chainHead_v1_follow` subscriptions one connection may hold (the spec asks for at least
    /// 2); more get error -32800.
    pub max_follow_subscriptions_per_connection: u32,
    /// Blocks one follow subscription may keep pinned (reported and not yet unpinned); one
    /// more ends the subscription with a `stop` event, as the spec asks.
    pub max_pinned_blocks_per_follow: u32,
    /// Operations (`chainHead_v1_body`/`_call`, one per `_storage` item) one follow
    /// subscription may run at once (the spec asks for at least 16); more answer
    /// `limitReached` or discard the storage items past the limit.
    pub max_operations_per_follow: u32,
    /// WebSocket ping period; `None` disables pings and the idle timeout.
    pub ws_ping_interval: Option<Duration>,
    /// A WebSocket connection that has sent nothing (no message, no pong) for this long after a
    /// ping is closed.
    pub ws_idle_timeout: Duration,
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
    /// requests and responses, 100 connections, 1024 subscriptions per connection; Folio's own
    /// limits (docs/security.md): 1000 keys per request, 4 concurrent runtime calls, 5 s per
    /// call, 32 requests in flight per connection, 16 broadcasts per connection, 4 follow
    /// subscriptions per connection with 512 pinned blocks and 16 operations each, a ping every
    /// 30 s and 60 s idle timeout.
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
            max_keys_per_request: 1000,
            max_concurrent_calls: 4,
            call_timeout: Duration::from_secs(5),
            max_in_flight_per_connection: 32,
            max_broadcasts_per_connection: 16,
            max_follow_subscriptions_per_connection: 4,
            max_pinned_blocks_per_follow: 512,
            max_operations_per_follow: 16,
            ws_ping_interval: Some(Duration::from_secs(30)),
            ws_idle_timeout: Duration::from_secs(60),
        }
    }
}
