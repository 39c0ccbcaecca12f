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
            patch: serde_json::from_slice(&patch)?,
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

pub fn build_spec(args: &BuildSpecArgs) -> anyhow::Result<()> {
    let chain = if args.dev { "dev" } else { args.chain.as_str() };
    let mut spec = load(chain)?;
    if args.raw {
        let executor = Executor::new(ExecutorConfig::default())?;
        spec = spec.into_raw(&executor)?;
    }
    println!("{}", spec.to_json()?);
    Ok(())
}
