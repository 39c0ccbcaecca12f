//! `author_insertKey`, `author_rotateKeys`, `author_hasKey`, `author_hasSessionKeys`: the
//! node's keystore over RPC, all unsafe (they hand out or create signing keys). Names,
//! parameters and answers as Substrate's.

use crate::error::{ApiError, RpcError};
use crate::json::HexBytes;
use crate::module::{method, Module, Safety};
use std::sync::Arc;

/// The keystore as the RPC layer reaches it.
pub trait KeystoreBackend: Send + Sync + 'static {
    /// Inserts the key of `suri` under `key_type` (four ASCII bytes, e.g. `aura`), checking
    /// it is `public`'s.
    fn insert_key(&self, key_type: [u8; 4], suri: &str, public: &[u8]) -> Result<(), String>;
    /// Generates new session keys in the keystore; returns their SCALE encoding.
    fn rotate_keys(&self) -> Result<Vec<u8>, String>;
    fn has_key(&self, public: &[u8], key_type: [u8; 4]) -> bool;
    /// Whether the keystore holds every key of encoded session keys (`Err`: they do not
    /// decode).
    fn has_session_keys(&self, session_keys: &[u8]) -> Result<bool, String>;
}

fn key_type(text: &str) -> Result<[u8; 4], ApiError> {
    text.as_bytes()
        .try_into()
        .map_err(|_| ApiError::invalid_params("a key type is four characters, e.g. \"aura\""))
}

fn keys(ctx: &crate::module::Ctx) -> Result<Arc<dyn KeystoreBackend>, ApiError> {
    ctx.keys
        .clone()
        .ok_or_else(|| ApiError::Keystore("this node has no keystore".into()))
}

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["author_insertKey"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let kind = key_type(&args.required::<String>("keyType")?)?;
            let suri = args.required::<String>("suri")?;
            let public = args.required::<HexBytes>("publicKey")?;
            keys(&ctx)?
                .insert_key(kind, &suri, &public.0)
                .map_err(ApiError::Keystore)?;
            Ok(())
        },
    )?;
    method(
        module,
        &["author_rotateKeys"],
        Safety::Unsafe,
        |_args, ctx| async move {
            let encoded = keys(&ctx)?.rotate_keys().map_err(ApiError::Keystore)?;
            Ok(format!("0x{}", hex::encode(encoded)))
        },
    )?;
    method(
        module,
        &["author_hasKey"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let public = args.required::<HexBytes>("publicKey")?;
            let kind = key_type(&args.required::<String>("keyType")?)?;
            Ok(keys(&ctx)?.has_key(&public.0, kind))
        },
    )?;
    method(
        module,
        &["author_hasSessionKeys"],
        Safety::Unsafe,
        |mut args, ctx| async move {
            let encoded = args.required::<HexBytes>("sessionKeys")?;
            keys(&ctx)?
                .has_session_keys(&encoded.0)
                .map_err(ApiError::Keystore)
        },
    )?;
    Ok(())
}
