//! Building the method table: the shared context, registration helpers that parse
//! parameters and enforce the safe/unsafe policy in one place, and subscription helpers.

use crate::backend::RpcBackend;
use crate::error::{ApiError, RpcError};
use crate::json::HexHash;
use crate::params::Args;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use jsonrpsee::{PendingSubscriptionSink, RpcModule, SubscriptionSink};
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::broadcast;

pub(crate) const LOG_TARGET: &str = "folio::rpc";

/// What every method sees.
pub(crate) struct Ctx {
    pub backend: Arc<dyn RpcBackend>,
    /// The network, when the node has one (not on `--dev`).
    pub network: Option<Arc<dyn crate::network::NetworkBackend>>,
    /// Refuse unsafe methods ([`crate::RpcMethods::Safe`]).
    pub deny_unsafe: bool,
    /// The node's keystore, behind the `author_*Key*` methods (none: they fail).
    pub keys: Option<Arc<dyn crate::keys::KeystoreBackend>>,
}

impl Ctx {
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
    let Some((&name, aliases)) = names.split_first() else {
        return Err(RpcError::Register("a method needs a name".into()));
    };
    module
        .register_async_method(name, move |params, ctx, _| {
            let handler = handler.clone();
            async move {
                if safety == Safety::Unsafe {
                    ctx.check_unsafe()?;
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
