//! `transaction_v1_*` and `transactionWatch_v1_*` of the new JSON-RPC spec
//! (paritytech/json-rpc-interface-spec): submitting a transaction, with or without watching it.
//!
//! Folio's pool gossips a transaction as soon as it is admitted, so a broadcast is one
//! submission; its operation lasts until `transaction_v1_stop` or until the transaction leaves
//! the pool (included and finalized, dropped, found invalid), whichever comes first.

use crate::backend::{SubmitError, TransactionStatus};
use crate::error::{ApiError, RpcError};
use crate::json::HexBytes;
use crate::module::{method_on_connection, notify, subscription, Ctx, Module, Safety, LOG_TARGET};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use jsonrpsee::core::server::MethodCallback;
use jsonrpsee::{ConnectionId, MethodResponse, ResponsePayload};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// The methods this module serves (not listed in `rpc_methods` until the new spec is complete).
pub(crate) const METHODS: &[&str] = &[
    "transactionWatch_v1_submitAndWatch",
    "transactionWatch_v1_unwatch",
    "transaction_v1_broadcast",
    "transaction_v1_stop",
];

/// One running broadcast: who started it, and the line that ends its watcher when dropped.
struct Operation {
    connection: Option<ConnectionId>,
    _stop: oneshot::Sender<()>,
}

/// `transaction_v1_broadcast`'s running operations, all connections together.
pub(crate) struct Broadcasts {
    /// [`crate::RpcConfig::max_broadcasts_per_connection`].
    max_per_connection: usize,
    next_id: AtomicU64,
    running: Mutex<HashMap<String, Operation>>,
}

impl Broadcasts {
    pub fn new(max_per_connection: u32) -> Self {
        Self {
            max_per_connection: max_per_connection as usize,
            next_id: AtomicU64::new(1),
            running: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Operation>> {
        // A panic elsewhere while holding the lock leaves the map usable.
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new operation for `connection`, or `None` when it already runs the maximum.
    fn start(&self, connection: Option<ConnectionId>) -> Option<(String, oneshot::Receiver<()>)> {
        let mut running = self.lock();
        let owned = running
            .values()
            .filter(|op| op.connection == connection)
            .count();
        if owned >= self.max_per_connection {
            return None;
        }
        let id = format!("broadcast-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let (stop, stopped) = oneshot::channel();
        running.insert(
            id.clone(),
            Operation {
                connection,
                _stop: stop,
            },
        );
        Some((id, stopped))
    }

    /// Ends `id` if `connection` started it; whether it did.
    fn stop(&self, id: &str, connection: Option<ConnectionId>) -> bool {
        let mut running = self.lock();
        if running
            .get(id)
            .is_some_and(|op| op.connection == connection)
        {
            running.remove(id);
            true
        } else {
            false
        }
    }

    /// Forgets `id` once its transaction has left the pool.
    fn finished(&self, id: &str) {
        self.lock().remove(id);
    }
}

/// `transactionWatch_v1_watchEvent`'s `result`, as the spec writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub(crate) enum WatchEvent {
    Validated,
    BestChainBlockIncluded { block: Option<IncludedIn> },
    Finalized { block: IncludedIn },
    Error { error: String },
    Invalid { error: String },
    Dropped { error: String },
}

impl WatchEvent {
    fn is_final(&self) -> bool {
        !matches!(self, Self::Validated | Self::BestChainBlockIncluded { .. })
    }
}

/// A block holding the transaction, and its 0-based position in the block's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct IncludedIn {
    pub hash: String,
    pub index: u32,
}

/// What a refused submission tells the watcher: the spec answers every outcome with an event,
/// never with an error on the call (except for bytes that are not hex).
fn refused(error: &SubmitError) -> WatchEvent {
    match error {
        SubmitError::PoolFull | SubmitError::TooLowPriority => WatchEvent::Dropped {
            error: error.to_string(),
        },
        SubmitError::Verification(_) => WatchEvent::Error {
            error: error.to_string(),
        },
        SubmitError::BadFormat(_)
        | SubmitError::Invalid(_)
        | SubmitError::TemporarilyBanned
        | SubmitError::AlreadyImported => WatchEvent::Invalid {
            error: error.to_string(),
        },
    }
}

/// The position of transaction `tx` in block `block`'s body; `None` if it is not there.
async fn index_in(ctx: &Ctx, block: H256, tx: H256) -> Option<u32> {
    let body = ctx.backend.body(block).await.ok()??;
    let position = body.iter().position(|xt| xt.hash() == tx)?;
    u32::try_from(position).ok()
}

async fn included(ctx: &Ctx, block: H256, tx: H256) -> IncludedIn {
    let index = index_in(ctx, block, tx).await.unwrap_or_else(|| {
        tracing::warn!(target: LOG_TARGET, %block, %tx, "transaction reported in a block whose body lacks it");
        0
    });
    IncludedIn {
        hash: block.to_hex(),
        index,
    }
}

/// The spec's event for one of the pool's status updates (`Future` and `Ready` are both
/// `validated`: the runtime accepted the transaction either way).
async fn event_for(ctx: &Ctx, status: &TransactionStatus, tx: H256) -> WatchEvent {
    match status {
        TransactionStatus::Future | TransactionStatus::Ready => WatchEvent::Validated,
        TransactionStatus::InBlock(block) => WatchEvent::BestChainBlockIncluded {
            block: Some(included(ctx, *block, tx).await),
        },
        TransactionStatus::Retracted(_) => WatchEvent::BestChainBlockIncluded { block: None },
        TransactionStatus::Finalized(block) => WatchEvent::Finalized {
            block: included(ctx, *block, tx).await,
        },
        TransactionStatus::Usurped(by) => WatchEvent::Invalid {
            error: format!("replaced by transaction {by}"),
        },
        TransactionStatus::Dropped => WatchEvent::Dropped {
            error: "dropped from the pool".into(),
        },
        TransactionStatus::Invalid => WatchEvent::Invalid {
            error: "no longer valid".into(),
        },
    }
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    subscription(
        module,
        &["transactionWatch_v1_submitAndWatch"],
        "transactionWatch_v1_watchEvent",
        &["transactionWatch_v1_unwatch"],
        |mut args, pending, ctx| async move {
            // Bytes that are not hex are an error on the call (-32602); anything else is
            // told as an event.
            let extrinsic = match args.required::<HexBytes>("transaction") {
                Ok(HexBytes(bytes)) => bytes,
                Err(e) => return pending.reject(e).await,
            };
            let submitted = match OpaqueExtrinsic::from_bytes(&extrinsic) {
                Ok(_) => ctx.backend.submit_and_watch(extrinsic).await,
                Err(e) => Err(SubmitError::BadFormat(e.to_string())),
            };
            let Ok(sink) = pending.accept().await else {
                return;
            };
            let (tx, mut updates) = match submitted {
                Ok(watch) => watch,
                Err(e) => {
                    notify(&sink, &refused(&e)).await;
                    return;
                }
            };
            tracing::debug!(target: LOG_TARGET, %tx, "watching transaction (new spec)");
            loop {
                let status = tokio::select! {
                    _ = sink.closed() => return,
                    status = updates.recv() => match status {
                        Some(status) => status,
                        None => return,
                    },
                };
                let event = event_for(&ctx, &status, tx).await;
                if !notify(&sink, &event).await || event.is_final() {
                    return;
                }
            }
        },
    )?;
    // The spec answers `null`, and an error for a subscription that is not running
    // (jsonrpsee answers `true`/`false`).
    if let Some(MethodCallback::Unsubscription(unwatch)) =
        module.remove_method("transactionWatch_v1_unwatch")
    {
        module
            .verify_and_insert(
                "transactionWatch_v1_unwatch",
                MethodCallback::Unsubscription(Arc::new(
                    move |id, params, conn, max, extensions| {
                        let answer = unwatch(id.clone(), params, conn, max, extensions.clone());
                        let stopped =
                            serde_json::from_str::<serde_json::Value>(answer.as_json().get())
                                .is_ok_and(|v| {
                                    v.get("result") == Some(&serde_json::Value::Bool(true))
                                });
                        let payload = if stopped {
                            ResponsePayload::success(serde_json::Value::Null)
                        } else {
                            ResponsePayload::error(jsonrpsee::types::ErrorObjectOwned::from(
                                ApiError::invalid_params("no such transaction watch"),
                            ))
                        };
                        MethodResponse::response(id, payload, max).with_extensions(extensions)
                    },
                )),
            )
            .map_err(|e| RpcError::Register(e.to_string()))?;
    }

    method_on_connection(
        module,
        &["transaction_v1_broadcast"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let HexBytes(extrinsic) = args.required("transaction")?;
            let Some((id, stopped)) = ctx.broadcasts.start(connection) else {
                return Ok(None);
            };
            let runner = ctx.clone();
            let operation = id.clone();
            tokio::spawn(async move { broadcast(runner, operation, extrinsic, stopped).await });
            Ok(Some(id))
        },
    )?;
    method_on_connection(
        module,
        &["transaction_v1_stop"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let id: String = args.required("operationId")?;
            if ctx.broadcasts.stop(&id, connection) {
                Ok(serde_json::Value::Null)
            } else {
                Err(ApiError::invalid_params("no such broadcast operation"))
            }
        },
    )?;
    Ok(())
}

/// Submits one broadcast's transaction and keeps its operation until the transaction leaves
/// the pool or the operation is stopped. An invalid transaction ends it at once, silently,
/// as the spec asks.
async fn broadcast(
    ctx: Arc<Ctx>,
    id: String,
    extrinsic: Vec<u8>,
    mut stopped: oneshot::Receiver<()>,
) {
    let submitted = match OpaqueExtrinsic::from_bytes(&extrinsic) {
        Ok(_) => ctx.backend.submit_and_watch(extrinsic).await,
        Err(e) => Err(SubmitError::BadFormat(e.to_string())),
    };
    match submitted {
        Ok((tx, mut updates)) => {
            tracing::debug!(target: LOG_TARGET, %tx, operation = %id, "broadcasting transaction");
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    status = updates.recv() => match status {
                        Some(status) if !status.is_final() => {}
                        _ => break,
                    },
                }
            }
        }
        Err(e) => {
            tracing::debug!(target: LOG_TARGET, operation = %id, "broadcast transaction refused: {e}");
        }
    }
    ctx.broadcasts.finished(&id);
}
