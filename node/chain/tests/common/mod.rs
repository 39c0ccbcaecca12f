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

/// Every block of `client`'s chain re-executes on its parent (as a node importing it would):
/// what the author committed is a valid block.
pub fn assert_every_block_reexecutes(client: &Client) {
    use folio_primitives::header::Block;
    let best = client.best_header().unwrap().number;
    for number in 1..=best {
        let hash = client
            .db()
            .hash_by_number(number)
            .unwrap()
            .expect("canonical");
        let header = client.header(hash).unwrap().expect("header");
        let extrinsics = client.db().body(&hash).unwrap().expect("body");
        let block = Block { header, extrinsics };
        client
            .call_at(
                block.header.parent_hash,
                "Core_execute_block",
                &block.encode(),
            )
            .unwrap_or_else(|e| panic!("block #{number} does not re-execute on its parent: {e}"));
    }
}

/// A tiny runtime whose `Core_version` never returns (and which has no other entry point).
pub fn looping_runtime() -> Vec<u8> {
    wat::parse_str(
        r#"(module
          (memory (export "memory") 2)
          (func (export "folio_alloc") (param i32) (result i32) (i32.const 1024))
          (func (export "Core_version") (param i32 i32) (result i64)
            (loop $forever (br $forever))
            (i64.const 0)))"#,
    )
    .expect("valid wat")
}

/// Events in the state of block `at`.
pub fn events_at(client: &Client, at: H256) -> Vec<folio_runtime::RuntimeEvent> {
    use parity_scale_codec::Decode;
    let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(b"Events"));
    let raw = client
        .db()
        .state_at(&at)
        .unwrap()
        .try_get(&key)
        .unwrap()
        .unwrap_or_default();
    Vec::<folio_pallet_support::events::EventRecord<folio_runtime::RuntimeEvent>>::decode(
        &mut &raw[..],
    )
    .expect("events decode")
    .into_iter()
    .map(|r| r.event)
    .collect()
}

/// `who`'s nonce at the best block.
pub fn nonce(client: &Client, who: Keyring) -> u32 {
    use parity_scale_codec::Decode;
    let raw = client
        .call_at(
            client.best_hash().unwrap(),
            "AccountNonceApi_account_nonce",
            &who.account_id().encode(),
        )
        .unwrap();
    u32::decode(&mut &raw[..]).unwrap()
}
