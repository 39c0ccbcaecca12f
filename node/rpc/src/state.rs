//! `state_*`: runtime calls, storage reads, metadata, runtime version, proofs and the
//! storage and runtime-version subscriptions.

use crate::error::{ApiError, RpcError};
use crate::json::{to_hex, HexBytes, ReadProof, RuntimeVersionJson, StorageChangeSet};
use crate::module::{hex_answer, method, next_header, notify, subscription, Ctx, Module, Safety};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::hash::H256;
use jsonrpsee::PendingSubscriptionSink;
use std::sync::Arc;

/// Runtime entries `state_call` refuses: the runtime's benchmark entries
/// (`folio_runtime::apis::BENCHMARK_PREFIX`) run setups that write whatever state a benchmark
/// needs, for `folio-node benchmark pallet` only.
pub const NODE_ONLY_PREFIX: &str = "FolioBenchmark_";

/// Substrate's `STORAGE_KEYS_PAGED_MAX_COUNT`.
pub const MAX_KEYS_PAGED: u32 = 1000;

/// Longest runtime function name `state_call` accepts (the longest real one has 50 bytes).
const MAX_METHOD_NAME: usize = 256;

/// Whether `name` is a runtime entry point only the node itself may call: executing or
/// building blocks (Folio checks signatures after dispatch, so a caller could have a block of
/// fake-signed calls dispatched, and could have its own wasm compiled by `Core_execute_block`
/// of a block that sets code), Folio's batched internals, and building a genesis state. Safe
/// RPC refuses them; `BlockBuilder_check_inherents` stays, as clients use it.
pub fn is_node_internal(name: &str) -> bool {
    match name {
        "Core_execute_block" | "GenesisBuilder_build_state" => true,
        "BlockBuilder_check_inherents" => false,
        _ => name.starts_with("BlockBuilder_") || name.starts_with("Folio"),
    }
}

/// The JSON length of `bytes` as a `"0x…"` string.
fn hex_json_len(bytes: usize) -> usize {
    bytes.saturating_mul(2).saturating_add(4)
}

/// Refuses a runtime function RPC must not call (`state_call`, `archive_v1_call`): names too
/// long, the node's benchmark entries, and node-internal entries over safe RPC.
pub(crate) fn check_call_name(ctx: &Ctx, name: &str) -> Result<(), ApiError> {
    if name.len() > MAX_METHOD_NAME {
        return Err(ApiError::invalid_params(format!(
            "parameter 0 `name`: {} bytes, the longest runtime function name is {MAX_METHOD_NAME}",
            name.len()
        )));
    }
    if name.starts_with(NODE_ONLY_PREFIX) {
        return Err(ApiError::StateUnsupported(format!(
            "{name} is for the node's own benchmark command, not for state_call"
        )));
    }
    if ctx.deny_unsafe && is_node_internal(name) {
        return Err(ApiError::InternalEntry(name.to_string()));
    }
    Ok(())
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["state_call", "state_callAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let name: String = args.required("name")?;
            check_call_name(&ctx, &name)?;
            let HexBytes(input) = args.required("bytes")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let output = ctx
                .heavy(move |backend| async move {
                    backend.call(at, name, input).await.map_err(ApiError::State)
                })
                .await?;
            hex_answer(output).await
        },
    )?;

    method(
        module,
        &["state_getStorage", "state_getStorageAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexBytes(key) = args.required("key")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let value = ctx
                .backend
                .storage(at, key)
                .await
                .map_err(ApiError::State)?;
            match value {
                Some(value) => hex_answer(value).await.map(Some),
                None => Ok(None),
            }
        },
    )?;

    method(
        module,
        &["state_getStorageHash", "state_getStorageHashAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexBytes(key) = args.required("key")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let value = ctx
                .backend
                .storage(at, key)
                .await
                .map_err(ApiError::State)?;
            Ok(value.map(|v| H256(blake2_256(&v)).to_hex()))
        },
    )?;

    method(
        module,
        &["state_getStorageSize", "state_getStorageSizeAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let HexBytes(key) = args.required("key")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            let value = ctx
                .backend
                .storage(at, key)
                .await
                .map_err(ApiError::State)?;
            Ok(value.map(|v| v.len() as u64))
        },
    )?;

    method(
        module,
        &["state_getMetadata"],
        Safety::Safe,
        |mut args, ctx| async move {
            let at = ctx.at_or_best(args.optional("hash")?);
            let metadata =
                ctx.heavy(move |backend| async move {
                    backend.metadata(at).await.map_err(ApiError::State)
                })
                .await?;
            hex_answer(metadata).await
        },
    )?;

    method(
        module,
        &["state_getRuntimeVersion", "chain_getRuntimeVersion"],
        Safety::Safe,
        |mut args, ctx| async move {
            let at = ctx.at_or_best(args.optional("hash")?);
            let version = ctx
                .backend
                .runtime_version(at)
                .await
                .map_err(ApiError::State)?;
            Ok(RuntimeVersionJson::from(&version))
        },
    )?;

    method(
        module,
        &["state_queryStorageAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let keys: Vec<HexBytes> = args.required("keys")?;
            ctx.check_key_count(keys.len())?;
            let at = ctx.at_or_best(args.optional("at")?);
            let keys: Arc<Vec<Vec<u8>>> = Arc::new(keys.into_iter().map(|k| k.0).collect());
            let values = read_keys(&ctx, at, Arc::clone(&keys)).await?;
            // Up to `max_response_size` of hex: built off the async workers.
            let changes = tokio::task::spawn_blocking(move || {
                keys.iter()
                    .zip(values)
                    .map(|(k, v)| (to_hex(k), v.map(|v| to_hex(&v))))
                    .collect()
            })
            .await
            .map_err(|e| ApiError::Internal(format!("RPC worker failed: {e}")))?;
            Ok(vec![StorageChangeSet {
                block: at.to_hex(),
                changes,
            }])
        },
    )?;

    method(
        module,
        &["state_getKeysPaged", "state_getKeysPagedAt"],
        Safety::Safe,
        |mut args, ctx| async move {
            let prefix: Option<HexBytes> = args.optional("prefix")?;
            let count: u32 = args.required("count")?;
            let start_key: Option<HexBytes> = args.optional("startKey")?;
            let at = ctx.at_or_best(args.optional("hash")?);
            if count > MAX_KEYS_PAGED {
                return Err(ApiError::StateInvalidCount {
                    value: count,
                    max: MAX_KEYS_PAGED,
                });
            }
            let prefix = prefix.map(|p| p.0).unwrap_or_default();
            let start_key = start_key.map(|k| k.0);
            let keys = ctx
                .heavy(move |backend| async move {
                    backend
                        .storage_keys_paged(at, prefix, count, start_key)
                        .await
                        .map_err(ApiError::State)
                })
                .await?;
            Ok(keys.iter().map(|k| to_hex(k)).collect::<Vec<_>>())
        },
    )?;

    method(
        module,
        &["state_getReadProof"],
        Safety::Safe,
        |mut args, ctx| async move {
            let keys: Vec<HexBytes> = args.required("keys")?;
            ctx.check_key_count(keys.len())?;
            let at = ctx.at_or_best(args.optional("hash")?);
            // The same key twice proves nothing more.
            let keys: Vec<Vec<u8>> = keys
                .into_iter()
                .map(|k| k.0)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let proof = ctx
                .heavy(move |backend| async move {
                    backend.read_proof(at, keys).await.map_err(ApiError::State)
                })
                .await?;
            let size = proof.iter().fold(0usize, |sum, node| {
                sum.saturating_add(hex_json_len(node.len()))
            });
            if size > ctx.max_response_size as usize {
                return Err(ApiError::ResponseTooBig {
                    max: ctx.max_response_size,
                });
            }
            Ok(ReadProof {
                at: at.to_hex(),
                proof: proof.iter().map(|node| to_hex(node)).collect(),
            })
        },
    )?;

    subscription(
        module,
        &[
            "state_subscribeRuntimeVersion",
            "chain_subscribeRuntimeVersion",
        ],
        "state_runtimeVersion",
        &[
            "state_unsubscribeRuntimeVersion",
            "chain_unsubscribeRuntimeVersion",
        ],
        |_, pending, ctx| follow_runtime_version(pending, ctx),
    )?;

    subscription(
        module,
        &["state_subscribeStorage"],
        "state_storage",
        &["state_unsubscribeStorage"],
        |mut args, pending, ctx| async move {
            match args.optional::<Vec<HexBytes>>("keys") {
                Ok(Some(keys)) => match ctx.check_key_count(keys.len()) {
                    Ok(()) => follow_storage(pending, ctx, keys).await,
                    Err(e) => pending.reject(e).await,
                },
                // Every key of the state: unsafe in Substrate, and not offered here at all.
                Ok(None) => {
                    let refusal = ctx.check_unsafe().err().unwrap_or_else(|| {
                        ApiError::StateUnsupported(
                            "subscribing to every storage change is not supported; pass the keys \
                             to watch"
                                .into(),
                        )
                    });
                    pending.reject(refusal).await
                }
                Err(e) => pending.reject(e).await,
            }
        },
    )?;
    Ok(())
}

/// The values of `keys` at `at`, in order, read within RPC's budget. Counts the answer's JSON
/// size as it goes and stops with "response too big" as soon as it passes
/// `max_response_size`, so memory stays bounded whatever the keys are.
async fn read_keys(
    ctx: &Ctx,
    at: H256,
    keys: Arc<Vec<Vec<u8>>>,
) -> Result<Vec<Option<Vec<u8>>>, ApiError> {
    let max = ctx.max_response_size;
    ctx.heavy(move |backend| async move {
        let mut values = Vec::with_capacity(keys.len());
        let mut size = 0usize;
        for key in keys.iter() {
            let value = backend
                .storage(at, key.clone())
                .await
                .map_err(ApiError::State)?;
            // `["0x<key>","0x<value>"],` or `["0x<key>",null],`
            let entry = hex_json_len(key.len())
                .saturating_add(value.as_ref().map_or(4, |v| hex_json_len(v.len())))
                .saturating_add(4);
            size = size.saturating_add(entry);
            if size > max as usize {
                return Err(ApiError::ResponseTooBig { max });
            }
            values.push(value);
        }
        Ok(values)
    })
    .await
}

/// First notification: every key at the best block. Then, at each new best block, the keys
/// whose value changed, and nothing when none did (`state_full.rs subscribe_storage`).
async fn follow_storage(pending: PendingSubscriptionSink, ctx: Arc<Ctx>, keys: Vec<HexBytes>) {
    let keys: Arc<Vec<Vec<u8>>> = Arc::new(keys.into_iter().map(|k| k.0).collect());
    let mut heads = ctx.backend.subscribe_new_heads();
    let best = ctx.backend.best_hash();
    let mut last = match read_keys(&ctx, best, Arc::clone(&keys)).await {
        Ok(values) => values,
        Err(e) => return pending.reject(e).await,
    };
    let Ok(sink) = pending.accept().await else {
        return;
    };
    let initial = StorageChangeSet {
        block: best.to_hex(),
        changes: keys
            .iter()
            .zip(&last)
            .map(|(k, v)| (to_hex(k), v.as_deref().map(to_hex)))
            .collect(),
    };
    if !notify(&sink, &initial).await {
        return;
    }
    while let Some(header) = next_header(&sink, &mut heads).await {
        let hash = header.hash();
        let values = match read_keys(&ctx, hash, Arc::clone(&keys)).await {
            Ok(values) => values,
            Err(e) => {
                tracing::debug!(target: crate::module::LOG_TARGET, %hash, "storage subscription read failed: {e:?}");
                continue;
            }
        };
        let changes: Vec<_> = keys
            .iter()
            .zip(last.iter().zip(&values))
            .filter(|(_, (old, new))| old != new)
            .map(|(k, (_, new))| (to_hex(k), new.as_deref().map(to_hex)))
            .collect();
        last = values;
        if !changes.is_empty()
            && !notify(
                &sink,
                &StorageChangeSet {
                    block: hash.to_hex(),
                    changes,
                },
            )
            .await
        {
            return;
        }
    }
}

/// First notification: the version at the best block. Then only when the version at a new
/// best block differs (`state_full.rs subscribe_runtime_version`).
async fn follow_runtime_version(pending: PendingSubscriptionSink, ctx: Arc<Ctx>) {
    let mut heads = ctx.backend.subscribe_new_heads();
    let best = ctx.backend.best_hash();
    let mut last = match ctx.backend.runtime_version(best).await {
        Ok(version) => version,
        Err(e) => return pending.reject(ApiError::State(e)).await,
    };
    let Ok(sink) = pending.accept().await else {
        return;
    };
    if !notify(&sink, &RuntimeVersionJson::from(&last)).await {
        return;
    }
    while let Some(header) = next_header(&sink, &mut heads).await {
        let hash = header.hash();
        match ctx.backend.runtime_version(hash).await {
            Ok(version) if version != last => {
                if !notify(&sink, &RuntimeVersionJson::from(&version)).await {
                    return;
                }
                last = version;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(target: crate::module::LOG_TARGET, %hash, "runtime version read failed: {e}");
            }
        }
    }
}
