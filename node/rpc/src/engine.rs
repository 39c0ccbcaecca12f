//! `engine_*`: sealing blocks on request, for dev chains started with `--sealing manual`
//! (the names and JSON of Substrate's manual-seal RPC, which polkadot-js knows).

use crate::error::{ApiError, RpcError};
use crate::json::HexHash;
use crate::module::{method, Module, Safety};
use serde::Serialize;

/// `{"hash": "0x…", "aux": {"header_only": false}}`, as Substrate's `CreatedBlock`.
#[derive(Clone, Serialize)]
struct CreatedBlock {
    hash: String,
    aux: ImportedAux,
}

#[derive(Clone, Serialize)]
struct ImportedAux {
    header_only: bool,
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["engine_createBlock"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let create_empty = args.optional::<bool>("createEmpty")?.unwrap_or(true);
            // Every block is final at once on a dev chain; a parent other than the best block
            // is not supported.
            let _finalize = args.optional::<bool>("finalize")?;
            let parent = args.optional::<HexHash>("parentHash")?;
            if let Some(parent) = parent {
                if parent.0 != ctx.backend.best_hash() {
                    return Err(ApiError::invalid_params(
                        "parentHash must be the best block",
                    ));
                }
            }
            let hash = ctx
                .backend
                .seal_block(create_empty)
                .await
                .map_err(ApiError::Chain)?;
            Ok(CreatedBlock {
                hash: hash.to_hex(),
                aux: ImportedAux { header_only: false },
            })
        },
    )?;
    method(
        module,
        &["engine_finalizeBlock"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let hash = args.required::<HexHash>("hash")?;
            // Blocks are final as soon as they are sealed: known blocks are already final.
            let known = ctx
                .backend
                .header(hash.0)
                .await
                .map_err(ApiError::Chain)?
                .is_some();
            if !known {
                return Err(ApiError::invalid_params("unknown block"));
            }
            Ok(true)
        },
    )?;
    Ok(())
}
