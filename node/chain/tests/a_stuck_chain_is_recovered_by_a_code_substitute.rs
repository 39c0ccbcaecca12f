//! An operator recovers a chain whose runtime cannot build blocks with the chain spec's
//! `codeSubstitutes` (parsed, and once ignored): from the given block on, the substitute runs
//! instead of the code on chain, blocks are built and re-execute on their parents.

mod common;

use common::{assert_every_block_reexecutes, dev_storage, looping_runtime};
use folio_chain::author;
use folio_chain::{ChainSpec, Client, Pool, PoolConfig};
use folio_executor::{Executor, ExecutorConfig};
use folio_storage::Database;
use std::collections::BTreeMap;

/// A chain whose genesis runtime is the looping one: nothing can be built on it.
fn stuck_chain(substitutes: BTreeMap<u32, Vec<u8>>) -> Client {
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let mut storage = dev_storage(&executor);
    storage.insert(folio_primitives::storage::CODE.to_vec(), looping_runtime());
    Client::new(Database::open_temporary().unwrap(), executor, storage)
        .unwrap()
        .with_code_substitutes(substitutes)
}

#[test]
fn without_a_substitute_the_chain_is_stuck_and_with_one_it_goes_on() {
    let pool = Pool::new(PoolConfig::default());
    let stuck = stuck_chain(BTreeMap::new());
    assert!(
        author::seal(&stuck, &pool).is_err(),
        "the looping runtime cannot build"
    );

    let code = folio_runtime::WASM_BINARY.expect("built with the wasm runtime");
    let spec_json = serde_json::json!({
        "name": "Development",
        "id": "dev",
        "chainType": "Development",
        "codeSubstitutes": { "0": format!("0x{}", hex::encode(code)) },
        "genesis": { "raw": { "top": {} } }
    });
    let spec = ChainSpec::from_json(spec_json.to_string().as_bytes()).unwrap();
    let recovered = stuck_chain(spec.code_substitutes().unwrap());
    for _ in 0..3 {
        author::seal(&recovered, &pool).expect("the substitute builds blocks");
    }
    assert_eq!(recovered.best_header().unwrap().number, 3);
    assert_every_block_reexecutes(&recovered);
}

#[test]
fn a_bad_substitute_key_is_refused() {
    let spec_json = serde_json::json!({
        "name": "x", "id": "x", "chainType": "Development",
        "codeSubstitutes": { "tomorrow": "0x00" },
        "genesis": { "raw": { "top": {} } }
    });
    let spec = ChainSpec::from_json(spec_json.to_string().as_bytes()).unwrap();
    assert!(spec.code_substitutes().is_err());
}
