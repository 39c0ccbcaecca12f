//! `grandpa_*`: the voter's rounds (`grandpa_roundState`, Substrate's `ReportedRoundStates`),
//! the justifications of blocks as they are finalized (`grandpa_subscribeJustifications`),
//! and a proof that a block is final (`grandpa_proveFinality`, Substrate's `FinalityProof`).

use crate::backend::BackendError;
use crate::error::{ApiError, RpcError};
use crate::json::{to_hex, NumberOrHex};
use crate::module::{method, next_header, notify, subscription, Ctx, Module, Safety};
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::BlockNumber;
use parity_scale_codec::Encode;

/// GRANDPA's engine id: the justification stored under it is a `GrandpaJustification`.
const GRANDPA_ENGINE_ID: [u8; 4] = *b"FRNK";

/// Substrate's `sc_consensus_grandpa::FinalityProof`: `justification` proves `block` final,
/// and `unknown_headers` link the requested block to it (the headers after the requested
/// one up to `block`, in order).
#[derive(Debug, Encode)]
pub(crate) struct FinalityProof {
    pub block: H256,
    pub justification: Vec<u8>,
    pub unknown_headers: Vec<Header>,
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["grandpa_roundState"],
        Safety::Safe,
        |_, ctx| async move {
            ctx.backend
                .grandpa_round_state()
                .ok_or_else(|| ApiError::ChainOther("GRANDPA RPC endpoint not ready".into()))
        },
    )?;

    method(
        module,
        &["grandpa_proveFinality"],
        Safety::Safe,
        |mut args, ctx| async move {
            let block: NumberOrHex = args.required("block")?;
            let number = block.to_block_number().map_err(ApiError::InvalidParams)?;
            let proof = prove_finality(&ctx, number).await?;
            Ok(proof.map(|proof| to_hex(&proof.encode())))
        },
    )?;

    subscription(
        module,
        &["grandpa_subscribeJustifications"],
        "grandpa_justifications",
        &["grandpa_unsubscribeJustifications"],
        |_, pending, ctx| async move {
            let mut heads = ctx.backend.subscribe_finalized_heads();
            let Ok(sink) = pending.accept().await else {
                return;
            };
            // Every finalized block passes by; only those GRANDPA finalized with a commit
            // (the commit's target) carry a justification.
            while let Some(header) = next_header(&sink, &mut heads).await {
                let Ok(Some(justification)) = grandpa_justification(&ctx, header.hash()).await
                else {
                    continue;
                };
                if !notify(&sink, &to_hex(&justification)).await {
                    return;
                }
            }
        },
    )
}

/// The `FRNK` justification stored for `hash`, if any.
async fn grandpa_justification(ctx: &Ctx, hash: H256) -> Result<Option<Vec<u8>>, ApiError> {
    let stored = match ctx.backend.justifications(hash).await {
        Ok(stored) => stored,
        Err(BackendError::UnknownBlock(_)) => None,
        Err(e) => return Err(ApiError::Chain(e)),
    };
    Ok(stored.and_then(|all| {
        all.into_iter()
            .find(|(engine, _)| *engine == GRANDPA_ENGINE_ID)
            .map(|(_, bytes)| bytes)
    }))
}

/// The proof that block `number` is final: the first block from `number` on (up to the
/// finalized head) with a GRANDPA justification, and the headers leading to it. `None` when
/// no block there has one (finalized by another rule); an error when `number` is not final.
pub(crate) async fn prove_finality(
    ctx: &Ctx,
    number: BlockNumber,
) -> Result<Option<FinalityProof>, ApiError> {
    let finalized = header_of(ctx, ctx.backend.finalized_hash())
        .await?
        .ok_or_else(|| ApiError::ChainOther("the finalized block is missing".into()))?;
    if number > finalized.number {
        return Err(ApiError::ChainOther(format!(
            "Requested block #{number} is not finalized (finalized #{})",
            finalized.number
        )));
    }
    let mut unknown_headers = Vec::new();
    let mut size = 0usize;
    for current in number..=finalized.number {
        let hash = ctx
            .backend
            .hash_by_number(current)
            .await
            .map_err(ApiError::Chain)?
            .ok_or_else(|| ApiError::ChainOther(format!("no finalized block #{current}")))?;
        if current > number {
            let header = header_of(ctx, hash)
                .await?
                .ok_or_else(|| ApiError::ChainOther(format!("header #{current} missing")))?;
            // Hex doubles the bytes: stop before the answer could pass the response limit.
            size = size.saturating_add(header.encoded_size().saturating_mul(2));
            if size > ctx.max_response_size as usize {
                return Err(ApiError::ResponseTooBig {
                    max: ctx.max_response_size,
                });
            }
            unknown_headers.push(header);
        }
        if let Some(justification) = grandpa_justification(ctx, hash).await? {
            return Ok(Some(FinalityProof {
                block: hash,
                justification,
                unknown_headers,
            }));
        }
    }
    Ok(None)
}

async fn header_of(ctx: &Ctx, hash: H256) -> Result<Option<Header>, ApiError> {
    match ctx.backend.header(hash).await {
        Ok(header) => Ok(header),
        Err(BackendError::UnknownBlock(_)) => Ok(None),
        Err(e) => Err(ApiError::Chain(e)),
    }
}
