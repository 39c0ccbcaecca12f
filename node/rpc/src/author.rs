//! `author_*`: submitting and watching transactions, and the pool's contents; plus
//! `payment_queryInfo` and `payment_queryFeeDetails`.

use crate::backend::{SubmitError, TransactionStatus};
use crate::error::{ApiError, RpcError};
use crate::json::{
    to_hex, DispatchInfoJson, ExtrinsicOrHash, FeeDetailsJson, HexBytes, TransactionStatusJson,
};
use crate::module::{method, notify, subscription, Ctx, Module, Safety, LOG_TARGET};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::weight::RuntimeDispatchInfo;
use jsonrpsee::core::server::MethodCallback;
use jsonrpsee::{MethodResponse, ResponsePayload};
use parity_scale_codec::{Decode, Encode};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `finalized` is held back after `inBlock` on one watch. With instant finality both
/// come at once, and polkadot-js (whose status stream is a `switchMap`) drops the `InBlock`
/// result while it still fetches that block's events, so a dApp's callback never saw InBlock.
/// chopsticks waits 100 ms for the same reason. On a chain whose finality lags it never waits.
const IN_BLOCK_GRACE: Duration = Duration::from_millis(250);

/// Checks that `bytes` are one length-prefixed extrinsic (1001 otherwise).
fn check_format(bytes: &[u8]) -> Result<(), ApiError> {
    OpaqueExtrinsic::from_bytes(bytes)
        .map(|_| ())
        .map_err(|e| ApiError::BadFormat(e.to_string()))
}

fn submit_error(error: SubmitError, extrinsic: &[u8]) -> ApiError {
    ApiError::Submit {
        error,
        tx_hash: H256(blake2_256(extrinsic)),
    }
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["author_submitExtrinsic"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexBytes(extrinsic) = args.required("extrinsic")?;
            check_format(&extrinsic)?;
            match ctx.backend.submit(extrinsic.clone()).await {
                Ok(hash) => Ok(hash.to_hex()),
                Err(e) => Err(submit_error(e, &extrinsic)),
            }
        },
    )?;

    method(
        module,
        &["author_pendingExtrinsics"],
        Safety::Safe,
        |_, ctx| async move {
            Ok(ctx
                .backend
                .pending_extrinsics()
                .iter()
                .map(|xt| to_hex(xt))
                .collect::<Vec<_>>())
        },
    )?;

    method(
        module,
        &["author_removeExtrinsic"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let targets: Vec<ExtrinsicOrHash> = args.required("bytesOrHash")?;
            let hashes = targets
                .into_iter()
                .map(|target| match target {
                    ExtrinsicOrHash::Hash(hash) => hash.0,
                    ExtrinsicOrHash::Extrinsic(HexBytes(bytes)) => H256(blake2_256(&bytes)),
                })
                .collect();
            let removed = ctx.backend.remove_extrinsics(hashes);
            Ok(removed.iter().map(H256::to_hex).collect::<Vec<_>>())
        },
    )?;

    subscription(
        module,
        &["author_submitAndWatchExtrinsic"],
        "author_extrinsicUpdate",
        &["author_unwatchExtrinsic"],
        |mut args, pending, ctx| async move {
            let extrinsic = match args.required::<HexBytes>("extrinsic") {
                Ok(HexBytes(bytes)) => bytes,
                Err(e) => return pending.reject(e).await,
            };
            if let Err(e) = check_format(&extrinsic) {
                return pending.reject(e).await;
            }
            // A refused transaction is an error on this call, not a subscription.
            let (hash, mut updates) = match ctx.backend.submit_and_watch(extrinsic.clone()).await {
                Ok(watch) => watch,
                Err(e) => return pending.reject(submit_error(e, &extrinsic)).await,
            };
            // `accept` writes the subscription id to the connection before any notification.
            let Ok(sink) = pending.accept().await else {
                return;
            };
            tracing::debug!(target: LOG_TARGET, %hash, "watching transaction");
            let mut in_block_sent: Option<Instant> = None;
            loop {
                let status = tokio::select! {
                    _ = sink.closed() => return,
                    status = updates.recv() => match status {
                        Some(status) => status,
                        None => return,
                    },
                };
                if let (TransactionStatus::Finalized(_), Some(sent)) = (&status, in_block_sent) {
                    let wait = IN_BLOCK_GRACE.saturating_sub(sent.elapsed());
                    tokio::select! {
                        _ = sink.closed() => return,
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
                if !notify(&sink, &TransactionStatusJson::from(&status)).await || status.is_final()
                {
                    return;
                }
                if let TransactionStatus::InBlock(_) = status {
                    in_block_sent = Some(Instant::now());
                }
            }
        },
    )?;
    // Substrate answers `true`; jsonrpsee would answer `false` once the watch ended by
    // itself (after a final status), and subxt unwatches exactly then.
    if let Some(MethodCallback::Unsubscription(unwatch)) =
        module.remove_method("author_unwatchExtrinsic")
    {
        module
            .verify_and_insert(
                "author_unwatchExtrinsic",
                MethodCallback::Unsubscription(Arc::new(
                    move |id, params, conn, max, extensions| {
                        let _ = unwatch(id.clone(), params, conn, max, extensions.clone());
                        MethodResponse::response(id, ResponsePayload::success(true), max)
                            .with_extensions(extensions)
                    },
                )),
            )
            .map_err(|e| RpcError::Register(e.to_string()))?;
    }

    method(
        module,
        &["payment_queryInfo"],
        Safety::Safe,
        |mut args, ctx| async move {
            let extrinsic: HexBytes = args.required("extrinsic")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let output = query_payment(
                &ctx,
                at,
                extrinsic,
                "TransactionPaymentApi_query_info",
                ApiError::PaymentDecode,
                ApiError::PaymentRuntime,
            )
            .await?;
            let info = RuntimeDispatchInfo::decode(&mut &output[..]).map_err(|e| {
                ApiError::PaymentRuntime(format!("cannot decode RuntimeDispatchInfo: {e}"))
            })?;
            Ok(DispatchInfoJson::from(&info))
        },
    )?;
    method(
        module,
        &["payment_queryFeeDetails"],
        Safety::Safe,
        |mut args, ctx| async move {
            let extrinsic: HexBytes = args.required("extrinsic")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let output = query_payment(
                &ctx,
                at,
                extrinsic,
                "TransactionPaymentApi_query_fee_details",
                ApiError::FeeDetailsDecode,
                ApiError::FeeDetailsRuntime,
            )
            .await?;
            FeeDetailsJson::decode_scale(&output)
                .map_err(|e| ApiError::FeeDetailsRuntime(format!("cannot decode FeeDetails: {e}")))
        },
    )?;
    Ok(())
}

/// Calls `api` (a `TransactionPaymentApi` method taking `(extrinsic, len)`) at `at`, as
/// Substrate's payment RPC does: the bytes must be one extrinsic (`decode_error`, code 2),
/// and a failed call is `runtime_error` (code 1).
async fn query_payment(
    ctx: &Ctx,
    at: H256,
    HexBytes(extrinsic): HexBytes,
    api: &'static str,
    decode_error: fn(String) -> ApiError,
    runtime_error: fn(String) -> ApiError,
) -> Result<Vec<u8>, ApiError> {
    OpaqueExtrinsic::from_bytes(&extrinsic).map_err(|e| decode_error(e.to_string()))?;
    let length =
        u32::try_from(extrinsic.len()).map_err(|_| decode_error("extrinsic too long".into()))?;
    let mut input = extrinsic;
    length.encode_to(&mut input);
    ctx.heavy(move |backend| async move {
        backend
            .call(at, api.into(), input)
            .await
            .map_err(|e| runtime_error(e.to_string()))
    })
    .await
}
