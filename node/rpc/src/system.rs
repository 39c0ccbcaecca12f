//! `system_*` (node and chain facts, health, nonces, dry runs) and `rpc_methods`.

use crate::error::{ApiError, RpcError};
use crate::json::{to_hex, ChainType, Health, HexBytes, PeerJson, RpcMethodsJson, SyncState};
use crate::module::{method, Module, Safety};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::ss58;

/// Longest account text `system_accountNextIndex` decodes: `0x` + 64 hex digits, or an SS58
/// address (at most 50 characters for a 32-byte key with a two-byte prefix). Base58 decoding
/// is quadratic in the input length, so longer input is refused before it is decoded.
pub const MAX_ACCOUNT_TEXT: usize = 66;

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["system_name"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.system_info().node_name) },
    )?;
    method(
        module,
        &["system_version"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.system_info().node_version) },
    )?;
    method(
        module,
        &["system_chain"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.system_info().chain_name) },
    )?;
    method(
        module,
        &["system_chainType"],
        Safety::Safe,
        |_, ctx| async move {
            Ok(ChainType::from(
                ctx.backend.system_info().chain_type.as_str(),
            ))
        },
    )?;
    method(
        module,
        &["system_properties"],
        Safety::Safe,
        |_, ctx| async move {
            Ok(serde_json::Value::Object(
                ctx.backend.system_info().properties,
            ))
        },
    )?;
    method(
        module,
        &["system_health"],
        Safety::Safe,
        |_, ctx| async move {
            if !ctx.backend.author_is_up() {
                return Err(ApiError::NotHealthy(
                    "the block author is not running".into(),
                ));
            }
            Ok(match &ctx.network {
                Some(network) => {
                    let peers = network.peers().len();
                    Health {
                        peers: u32::try_from(peers).unwrap_or(u32::MAX),
                        is_syncing: network.sync().is_syncing,
                        should_have_peers: network.should_have_peers(),
                    }
                }
                None => Health {
                    peers: 0,
                    is_syncing: ctx.backend.is_syncing(),
                    should_have_peers: false,
                },
            })
        },
    )?;
    method(
        module,
        &["system_localPeerId"],
        Safety::Safe,
        |_, ctx| async move {
            if let Some(network) = &ctx.network {
                return Ok(network.local_peer_id());
            }
            Ok(ctx.backend.local_peer_id().unwrap_or_else(|| {
                peer_id_from_ed25519(&blake2_256(ctx.backend.genesis_hash().as_bytes()))
            }))
        },
    )?;
    method(
        module,
        &["system_localListenAddresses"],
        Safety::Safe,
        |_, ctx| async move {
            Ok(match &ctx.network {
                Some(network) => network.listen_addresses(),
                None => ctx.backend.local_listen_addresses(),
            })
        },
    )?;
    // Unsafe in Substrate (it tells who the node talks to).
    method(
        module,
        &["system_peers"],
        Safety::Unsafe,
        |_, ctx| async move {
            let peers = ctx.network.as_ref().map(|n| n.peers()).unwrap_or_default();
            Ok(peers.into_iter().map(PeerJson::from).collect::<Vec<_>>())
        },
    )?;
    method(
        module,
        &["system_nodeRoles"],
        Safety::Safe,
        |_, ctx| async move {
            // A node without a network authors every block itself.
            Ok(ctx
                .network
                .as_ref()
                .map_or_else(|| vec!["Authority".to_string()], |n| n.roles()))
        },
    )?;
    method(
        module,
        &["system_syncState"],
        Safety::Safe,
        |_, ctx| async move {
            if let Some(network) = &ctx.network {
                let sync = network.sync();
                return Ok(SyncState {
                    starting_block: sync.starting_block,
                    current_block: sync.current_block,
                    highest_block: sync.highest_block,
                });
            }
            let best = ctx.backend.best_hash();
            let header = ctx.backend.header(best).await.map_err(ApiError::Chain)?;
            let current = header.map_or(0, |h| h.number);
            Ok(SyncState {
                starting_block: 0,
                current_block: current,
                highest_block: current,
            })
        },
    )?;

    method(
        module,
        &["system_accountNextIndex", "account_nextIndex"],
        Safety::Safe,
        |mut args, ctx| async move {
            let text: String = args.required("accountId")?;
            if text.len() > MAX_ACCOUNT_TEXT {
                return Err(ApiError::invalid_params(format!(
                    "parameter 0 `accountId`: {} characters, an SS58 address or 0x-prefixed \
                     32-byte hex has at most {MAX_ACCOUNT_TEXT}",
                    text.len()
                )));
            }
            let account = ss58::parse_account(&text).map_err(|e| {
                ApiError::invalid_params(format!(
                    "parameter 0 `accountId`: expected an SS58 address or 0x-prefixed 32-byte \
                     hex, got {text:?} ({e:?})"
                ))
            })?;
            ctx.heavy(move |backend| async move {
                backend
                    .account_next_index(account.0)
                    .await
                    .map_err(ApiError::NonceQuery)
            })
            .await
        },
    )?;

    method(
        module,
        &["system_dryRun", "system_dryRunAt"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let HexBytes(extrinsic) = args.required("extrinsic")?;
            let at = ctx.at_or_best(args.optional("at")?);
            OpaqueExtrinsic::from_bytes(&extrinsic)
                .map_err(|e| ApiError::DryRunDecode(e.to_string()))?;
            let result = ctx
                .heavy(move |backend| async move {
                    backend
                        .call(at, "BlockBuilder_apply_extrinsic".into(), extrinsic)
                        .await
                        .map_err(ApiError::DryRunRuntime)
                })
                .await?;
            Ok(to_hex(&result))
        },
    )?;
    Ok(())
}

/// Registers `rpc_methods`, listing every method registered so far and itself. Call last.
pub(crate) fn register_rpc_methods(module: &mut Module) -> Result<(), RpcError> {
    let mut methods: Vec<String> = module.method_names().map(String::from).collect();
    methods.push("rpc_methods".into());
    methods.sort();
    let listing = RpcMethodsJson {
        version: 1,
        methods,
    };
    method(module, &["rpc_methods"], Safety::Safe, move |_, _| {
        let listing = listing.clone();
        async move { Ok(listing) }
    })
}

/// A libp2p PeerId for an ed25519 public key: base58 of the identity multihash of the
/// protobuf-encoded key (`12D3KooW…`).
pub fn peer_id_from_ed25519(public: &[u8; 32]) -> String {
    // multihash: identity (0x00), length 36; protobuf: KeyType = Ed25519 (field 1 = 1),
    // Data (field 2, 32 bytes).
    let mut bytes = Vec::with_capacity(38);
    bytes.extend_from_slice(&[0x00, 0x24, 0x08, 0x01, 0x12, 0x20]);
    bytes.extend_from_slice(public);
    bs58::encode(bytes).into_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn peer_ids_look_like_libp2p_ed25519_ids() {
        let id = super::peer_id_from_ed25519(&[7; 32]);
        assert!(id.starts_with("12D3KooW"), "{id}");
        assert_eq!(id.len(), 52);
    }
}
