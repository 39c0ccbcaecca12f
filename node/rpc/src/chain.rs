//! `chain_*`: block hashes, headers, blocks and head subscriptions.

use crate::backend::BackendError;
use crate::error::{ApiError, RpcError};
use crate::json::{
    to_hex, BlockJson, HeaderJson, HexHash, ListOrValue, NumberOrHex, SignedBlockJson,
};
use crate::module::{method, next_header, notify, subscription, Ctx, Module, Safety};
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use jsonrpsee::PendingSubscriptionSink;
use std::sync::Arc;
use tokio::sync::broadcast;

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["chain_getBlockHash", "chain_getHead"],
        Safety::Safe,
        |mut args, ctx| async move {
            let numbers: Option<ListOrValue<NumberOrHex>> = args.optional("blockNumber")?;
            Ok(match numbers {
                None => ListOrValue::Value(Some(ctx.backend.best_hash().to_hex())),
                Some(ListOrValue::Value(number)) => {
                    ListOrValue::Value(hash_of(&ctx, number).await?)
                }
                Some(ListOrValue::List(numbers)) => {
                    ctx.check_key_count(numbers.len())?;
                    let mut hashes = Vec::with_capacity(numbers.len());
                    for number in numbers {
                        hashes.push(hash_of(&ctx, number).await?);
                    }
                    ListOrValue::List(hashes)
                }
            })
        },
    )?;

    method(
        module,
        &["chain_getHeader"],
        Safety::Safe,
        |mut args, ctx| async move {
            let at = ctx.at_or_best(args.optional::<HexHash>("hash")?);
            Ok(header(&ctx, at).await?.as_ref().map(HeaderJson::from))
        },
    )?;

    method(
        module,
        &["chain_getBlock"],
        Safety::Safe,
        |mut args, ctx| async move {
            let at = ctx.at_or_best(args.optional::<HexHash>("hash")?);
            let Some(header) = header(&ctx, at).await? else {
                return Ok(None);
            };
            let body = match ctx.backend.body(at).await {
                Ok(Some(body)) => body,
                Ok(None) | Err(BackendError::UnknownBlock(_)) => return Ok(None),
                Err(e) => return Err(ApiError::Chain(e)),
            };
            Ok(Some(SignedBlockJson {
                block: BlockJson {
                    header: HeaderJson::from(&header),
                    extrinsics: body.iter().map(|xt| to_hex(xt.as_bytes())).collect(),
                },
                justifications: ctx.backend.justifications(at).await.unwrap_or(None),
            }))
        },
    )?;

    method(
        module,
        &["chain_getFinalizedHead", "chain_getFinalisedHead"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.finalized_hash().to_hex()) },
    )?;

    subscription(
        module,
        &["chain_subscribeAllHeads"],
        "chain_allHead",
        &["chain_unsubscribeAllHeads"],
        |_, pending, ctx| async move {
            let heads = ctx.backend.subscribe_all_heads();
            let first = ctx.backend.best_hash();
            follow_headers(pending, ctx, first, heads).await
        },
    )?;
    subscription(
        module,
        &[
            "chain_subscribeNewHeads",
            "chain_subscribeNewHead",
            "subscribe_newHead",
        ],
        "chain_newHead",
        &[
            "chain_unsubscribeNewHeads",
            "chain_unsubscribeNewHead",
            "unsubscribe_newHead",
        ],
        |_, pending, ctx| async move {
            let heads = ctx.backend.subscribe_new_heads();
            let first = ctx.backend.best_hash();
            follow_headers(pending, ctx, first, heads).await
        },
    )?;
    subscription(
        module,
        &[
            "chain_subscribeFinalizedHeads",
            "chain_subscribeFinalisedHeads",
        ],
        "chain_finalizedHead",
        &[
            "chain_unsubscribeFinalizedHeads",
            "chain_unsubscribeFinalisedHeads",
        ],
        |_, pending, ctx| async move {
            let heads = ctx.backend.subscribe_finalized_heads();
            let first = ctx.backend.finalized_hash();
            follow_headers(pending, ctx, first, heads).await
        },
    )?;
    Ok(())
}

/// The header of `at`; `None` when the block is unknown.
async fn header(ctx: &Ctx, at: H256) -> Result<Option<Header>, ApiError> {
    match ctx.backend.header(at).await {
        Ok(header) => Ok(header),
        Err(BackendError::UnknownBlock(_)) => Ok(None),
        Err(e) => Err(ApiError::Chain(e)),
    }
}

async fn hash_of(ctx: &Ctx, number: NumberOrHex) -> Result<Option<String>, ApiError> {
    let number = number.to_block_number().map_err(ApiError::ChainOther)?;
    let hash = ctx
        .backend
        .hash_by_number(number)
        .await
        .map_err(ApiError::Chain)?;
    Ok(hash.map(|h| h.to_hex()))
}

/// Sends the header of `first` at once (as Substrate does), then every header from `heads`.
/// `heads` must be subscribed before `first` is read, so no block falls in between.
async fn follow_headers(
    pending: PendingSubscriptionSink,
    ctx: Arc<Ctx>,
    first: H256,
    mut heads: broadcast::Receiver<Header>,
) {
    let initial = match header(&ctx, first).await {
        Ok(Some(header)) => header,
        Ok(None) => {
            pending
                .reject(ApiError::ChainOther("Best header missing.".into()))
                .await;
            return;
        }
        Err(e) => {
            pending.reject(e).await;
            return;
        }
    };
    let Ok(sink) = pending.accept().await else {
        return;
    };
    if !notify(&sink, &HeaderJson::from(&initial)).await {
        return;
    }
    while let Some(header) = next_header(&sink, &mut heads).await {
        // The block read as `first` may also be waiting in the stream.
        if header.hash() == first {
            continue;
        }
        if !notify(&sink, &HeaderJson::from(&header)).await {
            return;
        }
    }
}
