//! Starting and stopping the server: jsonrpsee with the limits from [`RpcConfig`], the CORS
//! middleware, `GET /health`, and the method table.

use crate::backend::RpcBackend;
use crate::budget::Budget;
use crate::config::{RpcConfig, RpcMethods};
use crate::cors::CorsLayer;
use crate::error::RpcError;
use crate::keys::KeystoreBackend;
use crate::module::{Ctx, Module, LOG_TARGET};
use crate::network::NetworkBackend;
use jsonrpsee::server::middleware::http::ProxyGetRequestLayer;
use jsonrpsee::server::{
    BatchRequestConfig, PingConfig, RandomStringIdProvider, Server, ServerConfig, ServerHandle,
};
use std::net::SocketAddr;
use std::sync::Arc;

/// A running server. Dropping it stops the server too.
#[derive(Debug)]
pub struct RpcHandle {
    handle: ServerHandle,
    local_addr: SocketAddr,
}

impl RpcHandle {
    /// The address actually bound (tells the port when the config asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Asks the server to stop: no new connections; open ones are closed. Idempotent.
    pub fn stop(&self) {
        // Err only means it was already stopped.
        let _ = self.handle.stop();
    }

    /// Completes once the server has stopped.
    pub async fn stopped(self) {
        self.handle.stopped().await
    }
}

/// Builds the full method table over `backend`, `rpc_methods` included.
fn build_module(
    backend: Arc<dyn RpcBackend>,
    network: Option<Arc<dyn NetworkBackend>>,
    keys: Option<Arc<dyn KeystoreBackend>>,
    config: &RpcConfig,
) -> Result<Module, RpcError> {
    let mut module = Module::new(Ctx {
        backend,
        network,
        deny_unsafe: config.methods == RpcMethods::Safe,
        budget: Budget::new(
            config.max_concurrent_calls,
            config.call_timeout,
            config.max_in_flight_per_connection,
        ),
        max_keys: config.max_keys_per_request,
        max_response_size: config.max_response_size,
        keys,
        broadcasts: crate::transaction::Broadcasts::new(config.max_broadcasts_per_connection),
        follows: crate::chain_head::Follows::new(crate::chain_head::FollowLimits {
            per_connection: config.max_follow_subscriptions_per_connection as usize,
            pinned_blocks: config.max_pinned_blocks_per_follow as usize,
            operations: config.max_operations_per_follow as usize,
        }),
    });
    crate::chain::register(&mut module)?;
    crate::state::register(&mut module)?;
    crate::system::register(&mut module)?;
    crate::author::register(&mut module)?;
    crate::engine::register(&mut module)?;
    crate::keys::register(&mut module)?;
    crate::grandpa::register(&mut module)?;
    crate::system::register_rpc_methods(&mut module)?;
    // Registered after `rpc_methods`, so not listed there: polkadot-js warns about every
    // listed method it does not know ("RPC methods not decorated"), and dev tools call
    // `dev_*` by name.
    crate::dev::register(&mut module)?;
    // The new JSON-RPC spec, served but not listed until all of it is: clients (PAPI, Dedot,
    // subxt) pick the new spec when `rpc_methods` lists `chainHead_v1_*`.
    crate::chain_spec::register(&mut module)?;
    crate::transaction::register(&mut module)?;
    crate::archive::register(&mut module)?;
    crate::chain_head::register(&mut module)?;
    Ok(module)
}

/// Whether `name` is served but left out of `rpc_methods`.
fn unlisted(name: &str) -> bool {
    crate::dev::UNLISTED.contains(&name)
        || crate::chain_spec::METHODS.contains(&name)
        || crate::transaction::METHODS.contains(&name)
        || crate::archive::METHODS.contains(&name)
        || crate::chain_head::METHODS.contains(&name)
}

/// Every method name the server answers (aliases, subscribe and unsubscribe names included),
/// sorted: exactly what `rpc_methods` lists.
pub fn rpc_module_method_names(backend: Arc<dyn RpcBackend>) -> Result<Vec<String>, RpcError> {
    let module = build_module(backend, None, None, &RpcConfig::default())?;
    let mut names: Vec<String> = module
        .method_names()
        .filter(|name| !unlisted(name))
        .map(String::from)
        .collect();
    names.sort();
    Ok(names)
}

/// Binds `config.listen_addr` and serves HTTP and WebSocket JSON-RPC on it until the
/// returned handle is stopped or dropped.
pub async fn start_server(
    config: RpcConfig,
    backend: Arc<dyn RpcBackend>,
) -> Result<RpcHandle, RpcError> {
    start_server_with_network(config, backend, None).await
}

/// [`start_server`] for a node with a network: the `system_*` methods about peers and sync
/// report `network`.
pub async fn start_server_with_network(
    config: RpcConfig,
    backend: Arc<dyn RpcBackend>,
    network: Option<Arc<dyn NetworkBackend>>,
) -> Result<RpcHandle, RpcError> {
    start_server_with_keys(config, backend, network, None).await
}

/// [`start_server_with_network`] for a node with a keystore: the `author_*Key*` methods use
/// `keys`.
pub async fn start_server_with_keys(
    config: RpcConfig,
    backend: Arc<dyn RpcBackend>,
    network: Option<Arc<dyn NetworkBackend>>,
    keys: Option<Arc<dyn KeystoreBackend>>,
) -> Result<RpcHandle, RpcError> {
    let module = build_module(backend, network, keys, &config)?;

    let batch = match config.max_batch_size {
        0 => BatchRequestConfig::Disabled,
        limit => BatchRequestConfig::Limit(limit),
    };
    let mut server_config = ServerConfig::builder();
    if let Some(interval) = config.ws_ping_interval {
        // Dead peers and silent clients are dropped instead of holding a connection slot.
        server_config = server_config.enable_ws_ping(
            PingConfig::new()
                .ping_interval(interval)
                .inactive_limit(config.ws_idle_timeout),
        );
    }
    let server_config = server_config
        .max_request_body_size(config.max_request_size)
        .max_response_body_size(config.max_response_size)
        .max_connections(config.max_connections)
        .max_subscriptions_per_connection(config.max_subscriptions_per_connection)
        .set_batch_request_config(batch)
        // Substrate's subscription ids: random 16-character strings.
        .set_id_provider(RandomStringIdProvider::new(16))
        .build();
    let health = ProxyGetRequestLayer::new([("/health", "system_health")])
        .map_err(|e| RpcError::Register(e.to_string()))?;
    let http_middleware = tower::ServiceBuilder::new()
        .layer(CorsLayer::new(config.cors.as_deref()))
        .layer(health);

    let server = Server::builder()
        .set_config(server_config)
        .set_http_middleware(http_middleware)
        .build(config.listen_addr)
        .await
        .map_err(|source| RpcError::Bind {
            addr: config.listen_addr,
            source,
        })?;
    let local_addr = server.local_addr().map_err(|source| RpcError::Bind {
        addr: config.listen_addr,
        source,
    })?;
    let handle = server.start(module);
    tracing::info!(
        target: LOG_TARGET,
        %local_addr,
        methods = ?config.methods,
        "JSON-RPC server listening (HTTP and WebSocket)"
    );
    Ok(RpcHandle { handle, local_addr })
}
