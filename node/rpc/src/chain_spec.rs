//! `chainSpec_v1_*` of the new JSON-RPC spec (paritytech/json-rpc-interface-spec): the
//! chain's name, genesis hash and properties, fixed for the node's lifetime.

use crate::error::RpcError;
use crate::module::{method, Module, Safety};

/// The methods this module serves (not listed in `rpc_methods` until the new spec is complete).
pub(crate) const METHODS: &[&str] = &[
    "chainSpec_v1_chainName",
    "chainSpec_v1_genesisHash",
    "chainSpec_v1_properties",
];

pub(crate) fn register(module: &mut Module) -> Result<(), RpcError> {
    method(
        module,
        &["chainSpec_v1_chainName"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.system_info().chain_name) },
    )?;
    method(
        module,
        &["chainSpec_v1_genesisHash"],
        Safety::Safe,
        |_, ctx| async move { Ok(ctx.backend.genesis_hash().to_hex()) },
    )?;
    method(
        module,
        &["chainSpec_v1_properties"],
        Safety::Safe,
        |_, ctx| async move {
            Ok(serde_json::Value::Object(
                ctx.backend.system_info().properties,
            ))
        },
    )?;
    Ok(())
}
