//! `archive_v1_*` of the new JSON-RPC spec (paritytech/json-rpc-interface-spec): reading any
//! block by hash or height. Folio keeps every block, so every known block answers.
//! `archive_v1_storage` streams its results as `archive_v1_storageEvent`s until
//! `storageDone` (the spec's version without `continue`: the client resumes a descendants
//! query with `paginationStartKey`).

use crate::backend::BackendError;
use crate::error::{ApiError, RpcError};
use crate::json::{to_hex, HexBytes, HexHash};
use crate::module::{hex_answer, method, notify, subscription, Ctx, Module, Safety};
use crate::params::Args;
use crate::state::check_call_name;
use crate::storage_query::{Cursor, StorageItem, StorageQuery, ITEMS_PER_PAGE};
use folio_primitives::hash::H256;
use folio_primitives::BlockNumber;
use jsonrpsee::SubscriptionSink;
use parity_scale_codec::Encode;
use serde::Serialize;
use std::sync::Arc;

/// The methods this module serves (not listed in `rpc_methods` until the new spec is complete).
pub(crate) const METHODS: &[&str] = &[
    "archive_v1_body",
    "archive_v1_call",
    "archive_v1_finalizedHeight",
    "archive_v1_genesisHash",
    "archive_v1_hashByHeight",
    "archive_v1_header",
    "archive_v1_stopStorage",
    "archive_v1_storage",
];

/// `archive_v1_storageEvent`'s `result`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
enum StorageEvent {
    Storage(StorageItem),
    StorageDone,
    StorageError { error: String },
}

/// `archive_v1_call`'s answer: the runtime's output, or why the call failed (never a
/// JSON-RPC error, as the spec asks).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum CallResult {
    Success { success: bool, value: String },
    Failure { success: bool, error: String },
}

/// `Ok(None)` for an unknown block, as the spec answers `null`.
fn unknown_is_none<T>(result: Result<Option<T>, BackendError>) -> Result<Option<T>, ApiError> {
    match result {
        Ok(value) => Ok(value),
        Err(BackendError::UnknownBlock(_)) => Ok(None),
        Err(e) => Err(ApiError::Chain(e)),
    }
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["archive_v1_genesisHash"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.genesis_hash().to_hex()) },
    )?;
    method(
        module,
        &["archive_v1_finalizedHeight"],
        Safety::Safe,
        |_, ctx| async move {
            let finalized = ctx.backend.finalized_hash();
            let header = unknown_is_none(ctx.backend.header(finalized).await)?
                .ok_or_else(|| ApiError::Internal("finalized header missing".into()))?;
            Ok(header.number)
        },
    )?;
    method(
        module,
        &["archive_v1_hashByHeight"],
        Safety::Safe,
        |mut args, ctx| async move {
            let height: BlockNumber = args.required("height")?;
            // The node indexes its canonical chain by height: one block per height, the
            // finalized one at or below the finalized height.
            let hash = unknown_is_none(ctx.backend.hash_by_number(height).await)?;
            Ok(hash.map(|h| h.to_hex()).into_iter().collect::<Vec<_>>())
        },
    )?;
    method(
        module,
        &["archive_v1_header"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexHash(hash) = args.required("hash")?;
            let header = unknown_is_none(ctx.backend.header(hash).await)?;
            Ok(header.map(|h| to_hex(&h.encode())))
        },
    )?;
    method(
        module,
        &["archive_v1_body"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexHash(hash) = args.required("hash")?;
            let body = unknown_is_none(ctx.backend.body(hash).await)?;
            Ok(body.map(|xts| {
                xts.iter()
                    .map(|xt| to_hex(xt.as_bytes()))
                    .collect::<Vec<_>>()
            }))
        },
    )?;
    method(
        module,
        &["archive_v1_call"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexHash(at) = args.required("hash")?;
            let function: String = args.required("function")?;
            let HexBytes(input) = args.required("callParameters")?;
            check_call_name(&ctx, &function)?;
            if unknown_is_none(ctx.backend.header(at).await)?.is_none() {
                return Ok(None);
            }
            let output = ctx
                .heavy(move |backend| async move { Ok(backend.call(at, function, input).await) })
                .await?;
            Ok(Some(match output {
                Ok(bytes) => CallResult::Success {
                    success: true,
                    value: hex_answer(bytes).await?,
                },
                Err(e) => CallResult::Failure {
                    success: false,
                    error: e.to_string(),
                },
            }))
        },
    )?;
    subscription(
        module,
        &["archive_v1_storage"],
        "archive_v1_storageEvent",
        &["archive_v1_stopStorage"],
        |mut args, pending, ctx| async move {
            let request = match storage_request(&mut args, &ctx) {
                Ok(request) => request,
                Err(e) => return pending.reject(e).await,
            };
            let Ok(sink) = pending.accept().await else {
                return;
            };
            stream_storage(&ctx, &sink, request).await;
        },
    )?;
    crate::chain_head::answer_null(module, "archive_v1_stopStorage")?;
    Ok(())
}

/// `archive_v1_storage`'s parameters.
struct StorageRequest {
    at: H256,
    items: Vec<StorageQuery>,
    child_trie: Option<HexBytes>,
}

fn storage_request(args: &mut Args, ctx: &Ctx) -> Result<StorageRequest, ApiError> {
    let HexHash(at) = args.required("hash")?;
    let items: Vec<StorageQuery> = args.required("items")?;
    let child_trie = args.optional("childTrie")?;
    ctx.check_key_count(items.len())?;
    Ok(StorageRequest {
        at,
        items,
        child_trie,
    })
}

/// Sends every result as a `storage` event, a page of reads at a time (the sink's
/// back-pressure paces a slow client), then `storageDone`; `storageError` on a failed read.
async fn stream_storage(ctx: &Arc<Ctx>, sink: &SubscriptionSink, request: StorageRequest) {
    if request.child_trie.is_some() {
        let error = "Folio's state has no child tries".to_string();
        notify(sink, &StorageEvent::StorageError { error }).await;
        return;
    }
    for query in request.items {
        let mut cursor = Cursor::new(query);
        while !cursor.is_done() {
            let page = match cursor
                .next_page(ctx.backend.as_ref(), request.at, ITEMS_PER_PAGE)
                .await
            {
                Ok(page) => page,
                Err(e) => {
                    let error = e.to_string();
                    notify(sink, &StorageEvent::StorageError { error }).await;
                    return;
                }
            };
            for item in page {
                if !notify(sink, &StorageEvent::Storage(item)).await {
                    return;
                }
            }
        }
    }
    notify(sink, &StorageEvent::StorageDone).await;
}
