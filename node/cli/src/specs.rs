//! The built-in chain specs (`dev`, `local`) and `build-spec`.

use crate::cli::BuildSpecArgs;
use anyhow::Context;
use folio_chain::chain_spec::{ChainSpec, ChainType, Genesis, RuntimeGenesis};
use folio_executor::{Executor, ExecutorConfig};
use std::collections::BTreeMap;

fn runtime_code() -> anyhow::Result<&'static [u8]> {
    folio_runtime::WASM_BINARY
        .context("this folio-node was built with SKIP_WASM_BUILD: it has no wasm runtime to start a chain with")
}

fn properties() -> serde_json::Map<String, serde_json::Value> {
    let mut properties = serde_json::Map::new();
    properties.insert("ss58Format".into(), folio_primitives::SS58_PREFIX.into());
    properties.insert("tokenDecimals".into(), folio_runtime::TOKEN_DECIMALS.into());
    properties.insert("tokenSymbol".into(), folio_runtime::TOKEN_SYMBOL.into());
    properties
}

fn spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> anyhow::Result<ChainSpec> {
    let patch = folio_runtime::genesis::preset(Some(preset.as_bytes()))
        .context("built-in preset exists")?;
    spec_with_patch(name, id, chain_type, serde_json::from_slice(&patch)?)
}

/// A spec running this node's runtime with the genesis config `patch`.
pub fn spec_with_patch(
    name: &str,
    id: &str,
    chain_type: ChainType,
    patch: serde_json::Value,
) -> anyhow::Result<ChainSpec> {
    Ok(ChainSpec {
        name: name.into(),
        id: id.into(),
        chain_type,
        boot_nodes: Vec::new(),
        telemetry_endpoints: None,
        protocol_id: Some("folio".into()),
        properties: properties(),
        code_substitutes: BTreeMap::new(),
        genesis: Genesis::RuntimeGenesis(RuntimeGenesis {
            code: format!("0x{}", hex::encode(runtime_code()?)),
            patch,
        }),
    })
}

/// `dev`, `local`, or a spec file.
pub fn load(chain: &str) -> anyhow::Result<ChainSpec> {
    match chain {
        "dev" => spec("Development", "dev", ChainType::Development, "development"),
        "local" | "" => spec(
            "Local Testnet",
            "local_testnet",
            ChainType::Local,
            "local_testnet",
        ),
        path => {
            let json = std::fs::read(path).with_context(|| format!("reading chain spec {path}"))?;
            Ok(ChainSpec::from_json(&json)?)
        }
    }
}

/// The genesis storage of `spec`. When the spec's runtime is exactly the one this node was built
/// with, its genesis config is built by that runtime natively (the same code, so the same state:
/// `native_and_wasm_genesis_agree` checks it), which spares compiling the wasm before the node
/// can answer; any other runtime is run in wasm.
pub fn genesis_storage(
    spec: &ChainSpec,
    executor: &Executor,
) -> anyhow::Result<BTreeMap<Vec<u8>, Vec<u8>>> {
    if let Genesis::RuntimeGenesis(genesis) = &spec.genesis {
        let built_in = runtime_code()?;
        let code =
            hex::decode(genesis.code.trim_start_matches("0x")).context("genesis code is hex")?;
        if code == built_in {
            let json = serde_json::to_vec(&genesis.patch)?;
            let mut ext = folio_primitives::externalities::TestExternalities::default();
            ext.execute_with(|| {
                folio_primitives::io::storage_set(folio_primitives::storage::CODE, &code);
                folio_runtime::genesis::build_state(&json)
            })
            .map_err(anyhow::Error::msg)?;
            ext.commit_all();
            return Ok(ext.backend.0);
        }
    }
    Ok(spec.genesis_storage(executor)?)
}

pub fn build_spec(args: &BuildSpecArgs) -> anyhow::Result<()> {
    let chain = if args.dev { "dev" } else { args.chain.as_str() };
    let mut spec = load(chain)?;
    if spec.boot_nodes.is_empty() {
        if let Some(key) = &args.node_key {
            let peer_id = folio_network::NodeKey::from_hex(key)?.peer_id();
            spec.boot_nodes
                .push(format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", args.port));
        }
    }
    if args.raw {
        let executor = Executor::new(ExecutorConfig::default())?;
        spec = spec.into_raw(&executor)?;
    }
    println!("{}", spec.to_json()?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_and_wasm_genesis_agree() {
        let executor = Executor::new(ExecutorConfig::default()).unwrap();
        for chain in ["dev", "local"] {
            let spec = load(chain).unwrap();
            let native = genesis_storage(&spec, &executor).unwrap();
            let wasm = spec.genesis_storage(&executor).unwrap();
            assert_eq!(native, wasm, "{chain}");
            assert!(native.contains_key(folio_primitives::storage::CODE));
        }
    }
}
