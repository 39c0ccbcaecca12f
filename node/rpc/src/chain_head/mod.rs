//! `chainHead_v1_*` of the new JSON-RPC spec (paritytech/json-rpc-interface-spec): following
//! the head of the chain with pinned blocks, and reading a pinned block's header, body,
//! storage and runtime through operations whose results arrive as follow events.

mod events;
mod follows;

use crate::backend::BackendError;
use crate::error::{ApiError, RpcError};
use crate::json::{to_hex, HexBytes, HexHash};
use crate::module::{method_on_connection, notify, Ctx, Module, Safety};
use crate::params::Args;
use crate::state::check_call_name;
use crate::storage_query::{Cursor, StorageQuery, ITEMS_PER_PAGE};
use events::{Announcements, FollowEvent};
use folio_primitives::hash::H256;
use follows::Follow;
pub(crate) use follows::{FollowLimits, Follows};
use jsonrpsee::core::server::MethodCallback;
use jsonrpsee::types::SubscriptionId;
use jsonrpsee::{ConnectionId, MethodResponse, ResponsePayload};
use parity_scale_codec::Encode;
use serde::Serialize;
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;

/// The methods this module serves.
pub(crate) const METHODS: &[&str] = &[
    "chainHead_v1_body",
    "chainHead_v1_call",
    "chainHead_v1_continue",
    "chainHead_v1_follow",
    "chainHead_v1_header",
    "chainHead_v1_stopOperation",
    "chainHead_v1_storage",
    "chainHead_v1_unfollow",
    "chainHead_v1_unpin",
];

/// The spec's error codes.
const TOO_MANY_FOLLOWS: i32 = -32800;
const NOT_PINNED: i32 = -32801;
const NO_RUNTIME: i32 = -32802;
const NOT_WAITING: i32 = -32803;
const DUPLICATE_HASHES: i32 = -32804;

fn spec_error(code: i32, message: impl Into<String>) -> ApiError {
    ApiError::Spec {
        code,
        message: message.into(),
    }
}

/// The answer of `_body`, `_call` and `_storage`.
#[derive(Debug, Clone, Serialize)]
#[serde(
    tag = "result",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
enum Started {
    Started {
        operation_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        discarded_items: Option<usize>,
    },
    LimitReached,
}

fn subscription_id_text(id: SubscriptionId<'_>) -> String {
    match id {
        SubscriptionId::Num(n) => n.to_string(),
        SubscriptionId::Str(s) => s.into_owned(),
    }
}

/// The subscription named by the first parameter, if it runs and the caller owns it.
fn follow_of(
    args: &mut Args,
    ctx: &Ctx,
    connection: Option<ConnectionId>,
) -> Result<Option<Arc<Follow>>, ApiError> {
    let id: String = args.required("followSubscription")?;
    Ok(ctx.follows.get(&id, connection))
}

/// The block named by the next parameter, which `follow` must have pinned.
fn pinned_block(args: &mut Args, follow: &Follow) -> Result<H256, ApiError> {
    let HexHash(hash) = args.required("hash")?;
    if follow.is_pinned(&hash) {
        Ok(hash)
    } else {
        Err(spec_error(
            NOT_PINNED,
            format!("block {hash} is not pinned"),
        ))
    }
}

/// Starts an operation taking `slots` slots on `follow` and runs `work` as its task; the
/// task's last event ends the operation.
fn spawn_operation<F, Fut>(follow: &Arc<Follow>, slots: usize, work: F) -> Option<(String, usize)>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (id, granted) = follow.start_operation(slots)?;
    let task = work(id.clone());
    let done = follow.clone();
    let operation = id.clone();
    let handle = tokio::spawn(async move {
        task.await;
        done.finish_operation(&operation);
    });
    follow.set_task(&id, handle.abort_handle());
    Some((id, granted))
}

/// The event for a failed read: the block is gone (inaccessible) or the read itself failed.
fn failure(operation_id: String, error: BackendError) -> FollowEvent {
    match error {
        BackendError::UnknownBlock(_) => FollowEvent::OperationInaccessible { operation_id },
        other => FollowEvent::OperationError {
            operation_id,
            error: other.to_string(),
        },
    }
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    register_follow(module)?;
    method_on_connection(
        module,
        &["chainHead_v1_header"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let Some(follow) = follow_of(&mut args, &ctx, connection)? else {
                return Ok(None);
            };
            let hash = pinned_block(&mut args, &follow)?;
            let header = ctx
                .backend
                .header(hash)
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .ok_or_else(|| ApiError::Internal(format!("pinned block {hash} is missing")))?;
            Ok(Some(to_hex(&header.encode())))
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_body"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let Some(follow) = follow_of(&mut args, &ctx, connection)? else {
                return Ok(Started::LimitReached);
            };
            let hash = pinned_block(&mut args, &follow)?;
            let sink = follow.sink.clone();
            let started = spawn_operation(&follow, 1, |operation_id| async move {
                let event = match ctx.backend.body(hash).await {
                    Ok(Some(body)) => FollowEvent::OperationBodyDone {
                        operation_id,
                        value: body.iter().map(|xt| to_hex(xt.as_bytes())).collect(),
                    },
                    Ok(None) => FollowEvent::OperationInaccessible { operation_id },
                    Err(e) => failure(operation_id, e),
                };
                notify(&sink, &event).await;
            });
            Ok(started_answer(started, None))
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_call"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let Some(follow) = follow_of(&mut args, &ctx, connection)? else {
                return Ok(Started::LimitReached);
            };
            let hash = pinned_block(&mut args, &follow)?;
            let function: String = args.required("function")?;
            let HexBytes(input) = args.required("callParameters")?;
            if !follow.with_runtime {
                return Err(spec_error(
                    NO_RUNTIME,
                    "the follow subscription was started with withRuntime false",
                ));
            }
            check_call_name(&ctx, &function)?;
            let sink = follow.sink.clone();
            let started = spawn_operation(&follow, 1, |operation_id| async move {
                let output = ctx
                    .heavy(
                        move |backend| async move { Ok(backend.call(hash, function, input).await) },
                    )
                    .await;
                let event = match output {
                    Ok(Ok(bytes)) => FollowEvent::OperationCallDone {
                        operation_id,
                        output: crate::module::hex_answer(bytes).await.unwrap_or_default(),
                    },
                    Ok(Err(e)) => failure(operation_id, e),
                    // The node is busy or the call timed out: trying again may work.
                    Err(_) => FollowEvent::OperationInaccessible { operation_id },
                };
                notify(&sink, &event).await;
            });
            Ok(started_answer(started, None))
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_storage"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let Some(follow) = follow_of(&mut args, &ctx, connection)? else {
                return Ok(Started::LimitReached);
            };
            let hash = pinned_block(&mut args, &follow)?;
            let items: Vec<StorageQuery> = args.required("items")?;
            let child_trie: Option<HexBytes> = args.optional("childTrie")?;
            ctx.check_key_count(items.len())?;
            let wanted = items.len().max(1);
            let runner = follow.clone();
            let started = spawn_operation(&follow, wanted, |operation_id| {
                let granted = runner.clone();
                async move {
                    storage_operation(ctx, granted, operation_id, hash, items, child_trie).await
                }
            });
            // Items past the slots granted are discarded: the task reads only as many as its
            // operation holds slots.
            let discarded = started
                .as_ref()
                .map(|(_, granted)| wanted.saturating_sub(*granted));
            Ok(started_answer(started, discarded))
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_continue"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let follow = follow_of(&mut args, &ctx, connection)?;
            let operation: String = args.required("operationId")?;
            match follow {
                Some(follow) if !follow.resume(&operation) => Err(spec_error(
                    NOT_WAITING,
                    "the operation is not waiting for continue",
                )),
                _ => Ok(Value::Null),
            }
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_stopOperation"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let follow = follow_of(&mut args, &ctx, connection)?;
            let operation: String = args.required("operationId")?;
            if let Some(follow) = follow {
                follow.stop_operation(&operation);
            }
            Ok(Value::Null)
        },
    )?;
    method_on_connection(
        module,
        &["chainHead_v1_unpin"],
        Safety::Safe,
        |mut args, ctx, connection| async move {
            let follow = follow_of(&mut args, &ctx, connection)?;
            let hashes = hashes_to_unpin(args.required("hashOrHashes")?)?;
            if let Some(follow) = follow {
                follow.unpin(&hashes).map_err(|missing| {
                    spec_error(NOT_PINNED, format!("block {missing} is not pinned"))
                })?;
            }
            Ok(Value::Null)
        },
    )?;
    Ok(())
}

fn started_answer(started: Option<(String, usize)>, discarded: Option<usize>) -> Started {
    match started {
        Some((operation_id, _)) => Started::Started {
            operation_id,
            discarded_items: discarded,
        },
        None => Started::LimitReached,
    }
}

/// `hashOrHashes`: one hash or a list of distinct hashes.
fn hashes_to_unpin(value: Value) -> Result<Vec<H256>, ApiError> {
    let parse = |v: Value| {
        serde_json::from_value::<HexHash>(v)
            .map(|h| h.0)
            .map_err(|e| ApiError::invalid_params(format!("parameter 2 `hashOrHashes`: {e}")))
    };
    match value {
        Value::Array(list) => {
            let hashes = list.into_iter().map(parse).collect::<Result<Vec<_>, _>>()?;
            let mut distinct = hashes.clone();
            distinct.sort_unstable_by_key(|h| h.0);
            distinct.dedup();
            if distinct.len() != hashes.len() {
                return Err(spec_error(DUPLICATE_HASHES, "a hash is listed twice"));
            }
            Ok(hashes)
        }
        single => Ok(vec![parse(single)?]),
    }
}

/// Answers `items` at `at`: each page as `operationStorageItems`, then waits for
/// `chainHead_v1_continue` while more remain; `operationStorageDone` at the end.
async fn storage_operation(
    ctx: Arc<Ctx>,
    follow: Arc<Follow>,
    operation_id: String,
    at: H256,
    items: Vec<StorageQuery>,
    child_trie: Option<HexBytes>,
) {
    let sink = follow.sink.clone();
    if child_trie.is_some() {
        let event = FollowEvent::OperationError {
            operation_id,
            error: "Folio's state has no child tries".into(),
        };
        notify(&sink, &event).await;
        return;
    }
    let granted = follow.operation_slots(&operation_id).unwrap_or(0);
    let mut cursors: Vec<Cursor> = items.into_iter().take(granted).map(Cursor::new).collect();
    for cursor in &mut cursors {
        while !cursor.is_done() {
            let page = match cursor
                .next_page(ctx.backend.as_ref(), at, ITEMS_PER_PAGE)
                .await
            {
                Ok(page) => page,
                Err(e) => {
                    notify(&sink, &failure(operation_id, e)).await;
                    return;
                }
            };
            if !page.is_empty() {
                let event = FollowEvent::OperationStorageItems {
                    operation_id: operation_id.clone(),
                    items: page,
                };
                if !notify(&sink, &event).await {
                    return;
                }
                if !cursor.is_done() && !wait_for_continue(&follow, &operation_id).await {
                    return;
                }
            }
        }
    }
    notify(&sink, &FollowEvent::OperationStorageDone { operation_id }).await;
}

/// Sends `operationWaitingForContinue` and waits for `chainHead_v1_continue`; `false` if the
/// subscription went away first.
async fn wait_for_continue(follow: &Follow, operation_id: &str) -> bool {
    let Some(mut resumed) = follow.wait_for_continue(operation_id) else {
        return false;
    };
    let event = FollowEvent::OperationWaitingForContinue {
        operation_id: operation_id.to_string(),
    };
    if !notify(&follow.sink, &event).await {
        return false;
    }
    tokio::select! {
        _ = follow.sink.closed() => false,
        resumed = resumed.recv() => resumed.is_some(),
    }
}

fn register_follow(module: &mut Module) -> Result<(), RpcError> {
    module
        .register_subscription(
            "chainHead_v1_follow",
            "chainHead_v1_followEvent",
            "chainHead_v1_unfollow",
            |params, pending, ctx, _| async move {
                let with_runtime = match Args::parse(&params)
                    .and_then(|mut args| args.required::<bool>("withRuntime"))
                {
                    Ok(with_runtime) => with_runtime,
                    Err(e) => return pending.reject(e).await,
                };
                let Some(mut slot) = ctx.follows.reserve(pending.connection_id()) else {
                    return pending
                        .reject(spec_error(
                            TOO_MANY_FOLLOWS,
                            "too many chainHead_v1_follow subscriptions on this connection",
                        ))
                        .await;
                };
                // Subscribed before the first block is read, so none falls in between.
                let heads = Announcements {
                    all: ctx.backend.subscribe_all_heads(),
                    best: ctx.backend.subscribe_new_heads(),
                    finalized: ctx.backend.subscribe_finalized_heads(),
                };
                let Ok(sink) = pending.accept().await else {
                    return;
                };
                let id = subscription_id_text(sink.subscription_id());
                let follow = ctx.follows.register(&mut slot, id, sink, with_runtime);
                events::run(ctx, follow, heads).await;
                drop(slot);
            },
        )
        .map_err(|e| RpcError::Register(e.to_string()))?;
    answer_null(module, "chainHead_v1_unfollow")
}

/// Makes unsubscription method `name` answer `null` (the new spec's answer) instead of
/// jsonrpsee's `true`/`false`; an unknown subscription is not an error.
pub(crate) fn answer_null(module: &mut Module, name: &'static str) -> Result<(), RpcError> {
    let Some(MethodCallback::Unsubscription(inner)) = module.remove_method(name) else {
        return Err(RpcError::Register(format!(
            "{name} is not an unsubscription"
        )));
    };
    module
        .verify_and_insert(
            name,
            MethodCallback::Unsubscription(Arc::new(move |id, params, conn, max, extensions| {
                let _ = inner(id.clone(), params, conn, max, extensions.clone());
                MethodResponse::response(id, ResponsePayload::success(json!(null)), max)
                    .with_extensions(extensions)
            })),
        )
        .map_err(|e| RpcError::Register(e.to_string()))?;
    Ok(())
}
