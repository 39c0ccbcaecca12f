//! Building the method table: the shared context, registration helpers that parse
//! parameters and enforce the safe/unsafe policy in one place, and subscription helpers.

use crate::backend::RpcBackend;
use crate::budget::Budget;
use crate::error::{ApiError, RpcError};
use crate::json::HexHash;
use crate::params::Args;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use jsonrpsee::{ConnectionId, PendingSubscriptionSink, RpcModule, SubscriptionSink};
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::broadcast;

pub(crate) const LOG_TARGET: &str = "folio::rpc";

/// Requests whose parameters are longer than this are parsed and decoded (JSON, hex, SS58)
/// on the blocking pool, so one large request never holds an async worker (there are as many
/// as cores) for long. Smaller ones decode in microseconds where they are.
pub(crate) const LARGE_REQUEST_BYTES: usize = 64 * 1024;

/// What every method sees.
pub(crate) struct Ctx {
    pub backend: Arc<dyn RpcBackend>,
    /// The network, when the node has one (not on `--dev`).
    pub network: Option<Arc<dyn crate::network::NetworkBackend>>,
    /// Refuse unsafe methods ([`crate::RpcMethods::Safe`]).
    pub deny_unsafe: bool,
    /// RPC's share of the node's work ([`crate::budget`]).
    pub budget: Budget,
    /// [`crate::RpcConfig::max_keys_per_request`].
    pub max_keys: u32,
    /// [`crate::RpcConfig::max_response_size`]: answers built piece by piece stop here.
    pub max_response_size: u32,
    /// The node's keystore, behind the `author_*Key*` methods (none: they fail).
    pub keys: Option<Arc<dyn crate::keys::KeystoreBackend>>,
    /// `transaction_v1_broadcast`'s running operations.
    pub broadcasts: crate::transaction::Broadcasts,
    /// `chainHead_v1_follow`'s running subscriptions.
    pub follows: Arc<crate::chain_head::Follows>,
}

impl Ctx {
    /// Refuses a request naming more than `max_keys_per_request` keys, before any is read.
    pub fn check_key_count(&self, count: usize) -> Result<(), ApiError> {
        if count > self.max_keys as usize {
            Err(ApiError::TooManyKeys {
                count,
                max: self.max_keys,
            })
        } else {
            Ok(())
        }
    }

    /// Runs backend work within RPC's budget ([`Budget::run`]).
    pub async fn heavy<T, F, Fut>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<dyn RpcBackend>) -> Fut,
        Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
    {
        self.budget.run(&self.backend, work).await
    }

    /// The block a method reads: the one given, else the best block.
    pub fn at_or_best(&self, at: Option<HexHash>) -> H256 {
        at.map_or_else(|| self.backend.best_hash(), |h| h.0)
    }

    /// Fails with the unsafe-method error when the server is in safe mode.
    pub fn check_unsafe(&self) -> Result<(), ApiError> {
        if self.deny_unsafe {
            Err(ApiError::UnsafeDenied)
        } else {
            Ok(())
        }
    }
}

pub(crate) type Module = RpcModule<Ctx>;

/// Whether a method is refused in [`crate::RpcMethods::Safe`] mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    Safe,
    Unsafe,
}

fn register_error(e: impl std::fmt::Display) -> RpcError {
    RpcError::Register(e.to_string())
}

/// Registers `names[0]` with `names[1..]` as aliases.
pub(crate) fn method<T, F, Fut>(
    module: &mut Module,
    names: &[&'static str],
    safety: Safety,
    handler: F,
) -> Result<(), RpcError>
where
    T: Serialize + Clone + Send + 'static,
    F: Fn(Args, Arc<Ctx>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    method_on_connection(module, names, safety, move |args, ctx, _| {
        handler(args, ctx)
    })
}

/// [`method`] for a handler that needs to know the caller's connection (state kept per
/// connection, such as `transaction_v1_broadcast`'s operations). `None` over HTTP.
pub(crate) fn method_on_connection<T, F, Fut>(
    module: &mut Module,
    names: &[&'static str],
    safety: Safety,
    handler: F,
) -> Result<(), RpcError>
where
    T: Serialize + Clone + Send + 'static,
    F: Fn(Args, Arc<Ctx>, Option<ConnectionId>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    let Some((&name, aliases)) = names.split_first() else {
        return Err(RpcError::Register("a method needs a name".into()));
    };
    module
        .register_async_method(name, move |params, ctx, extensions| {
            let handler = handler.clone();
            async move {
                let connection = extensions.get::<ConnectionId>().copied();
                let _in_flight = ctx.budget.enter(connection)?;
                if safety == Safety::Unsafe {
                    ctx.check_unsafe()?;
                }
                let handler = move |args, ctx| handler(args, ctx, connection);
                if params
                    .as_str()
                    .is_some_and(|p| p.len() > LARGE_REQUEST_BYTES)
                {
                    return off_the_workers(params, ctx, handler).await;
                }
                let args = Args::parse(&params)?;
                handler(args, ctx).await
            }
        })
        .map_err(register_error)?;
    for &alias in aliases {
        module.register_alias(alias, name).map_err(register_error)?;
    }
    Ok(())
}

/// `0x…` hex of a runtime call's output or a storage value; a large one (a runtime's code is
/// megabytes) is encoded off the async workers.
pub(crate) async fn hex_answer(bytes: Vec<u8>) -> Result<String, ApiError> {
    if bytes.len() <= LARGE_REQUEST_BYTES {
        return Ok(crate::json::to_hex(&bytes));
    }
    tokio::task::spawn_blocking(move || crate::json::to_hex(&bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("RPC worker failed: {e}")))
}

/// Runs a large request's whole handler (parameter parsing, hex and SS58 decoding, answer
/// encoding) on the blocking pool, a bounded number at a time.
async fn off_the_workers<T, F, Fut>(
    params: jsonrpsee::types::Params<'static>,
    ctx: Arc<Ctx>,
    handler: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: Fn(Args, Arc<Ctx>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    let slot = ctx
        .budget
        .large_request_slot()
        .await
        .ok_or(ApiError::Busy)?;
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        runtime.block_on(async move {
            let args = Args::parse(&params)?;
            handler(args, ctx).await
        })
    })
    .await
    .map_err(|e| ApiError::Internal(format!("RPC worker failed: {e}")))?
}

/// Registers a subscription: `subscribe[0]` (aliases `subscribe[1..]`) sends
/// `notification`s until `unsubscribe[0]` (aliases `unsubscribe[1..]`). The handler must
/// `accept` or `reject` the pending sink; bad parameters are rejected before it runs.
pub(crate) fn subscription<F, Fut>(
    module: &mut Module,
    subscribe: &[&'static str],
    notification: &'static str,
    unsubscribe: &[&'static str],
    handler: F,
) -> Result<(), RpcError>
where
    F: Fn(Args, PendingSubscriptionSink, Arc<Ctx>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (Some((&sub, sub_aliases)), Some((&unsub, unsub_aliases))) =
        (subscribe.split_first(), unsubscribe.split_first())
    else {
        return Err(RpcError::Register("a subscription needs names".into()));
    };
    module
        .register_subscription(sub, notification, unsub, move |params, pending, ctx, _| {
            let handler = handler.clone();
            async move {
                match Args::parse(&params) {
                    Ok(args) => handler(args, pending, ctx).await,
                    Err(e) => pending.reject(e).await,
                }
            }
        })
        .map_err(register_error)?;
    for &alias in sub_aliases {
        module.register_alias(alias, sub).map_err(register_error)?;
    }
    for &alias in unsub_aliases {
        module
            .register_alias(alias, unsub)
            .map_err(register_error)?;
    }
    Ok(())
}

/// Sends one notification; `false` once the subscription is gone.
pub(crate) async fn notify<T: Serialize>(sink: &SubscriptionSink, item: &T) -> bool {
    match serde_json::value::to_raw_value(item) {
        Ok(raw) => sink.send(raw).await.is_ok(),
        Err(e) => {
            tracing::warn!(target: LOG_TARGET, method = sink.method_name(), "cannot serialize notification: {e}");
            false
        }
    }
}

/// The next header from `heads`, or `None` once the client unsubscribed, disconnected, or
/// the node stopped announcing. Skips over notifications this subscriber was too slow for.
pub(crate) async fn next_header(
    sink: &SubscriptionSink,
    heads: &mut broadcast::Receiver<Header>,
) -> Option<Header> {
    loop {
        tokio::select! {
            _ = sink.closed() => return None,
            received = heads.recv() => match received {
                Ok(header) => return Some(header),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(target: LOG_TARGET, method = sink.method_name(), missed, "subscriber lagged behind block announcements");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        }
    }
}
