//! What the chain's integration tests share: a development chain's genesis and a client on it.

#![allow(dead_code, reason = "each test binary uses part of this module")]

use folio_chain::chain_spec::{ChainSpec, ChainType, Genesis, RuntimeGenesis};
use folio_chain::{Client, FastPath};
use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring;
use folio_runtime::RuntimeCall;
use folio_storage::Database;
use parity_scale_codec::Encode;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The genesis storage of the development chain spec, with the wasm runtime built for tests.
pub fn dev_storage(executor: &Executor) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let code = folio_runtime::WASM_BINARY.expect("built with the wasm runtime");
    let patch = folio_runtime::genesis::preset(Some(b"development")).unwrap();
    let spec = ChainSpec {
        name: "Development".into(),
        id: "dev".into(),
        chain_type: ChainType::Development,
        boot_nodes: vec![],
        telemetry_endpoints: None,
        protocol_id: None,
        properties: Default::default(),
        code_substitutes: Default::default(),
        genesis: Genesis::RuntimeGenesis(RuntimeGenesis {
            code: format!("0x{}", hex::encode(code)),
            patch: serde_json::from_slice(&patch).unwrap(),
        }),
    };
    spec.genesis_storage(executor).expect("genesis builds")
}

/// A client on a fresh development chain in a temporary database.
pub fn dev_client(fast_path: FastPath) -> Arc<Client> {
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let storage = dev_storage(&executor);
    let client = Client::new(Database::open_temporary().unwrap(), executor, storage).unwrap();
    Arc::new(client.with_fast_path(fast_path))
}

/// `call` signed by `who` with `nonce`, immortal, for the runtime `spec_version` of the chain
/// with genesis `genesis`: the encoded extrinsic.
pub fn signed(
    genesis: H256,
    spec_version: u32,
    who: Keyring,
    call: RuntimeCall,
    nonce: u32,
) -> Vec<u8> {
    folio_runtime::signing::sign_immortal(&who.pair(), call, nonce, genesis, spec_version).encode()
}
