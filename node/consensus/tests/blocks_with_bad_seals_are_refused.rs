//! Blocks of the local testnet (four Aura authorities, 2 s slots) built by a real client and
//! checked by another's verifier before import: a block sealed by someone else than the
//! slot's author, an unsealed one, one whose header was changed after sealing, and one two
//! slots ahead are refused; one a slot ahead (clocks a little apart) passes; the slot
//! author's block passes and imports to the same hash.
//!
//! The verifier's clock is pinned to the test's start: building a block takes seconds on a
//! busy machine, and a slot computed at the start from the real clock is in the past by the
//! time it is checked (an earlier version of this test saw a block "three slots ahead" pass
//! for that reason; the verifier was right).

use folio_chain::author::{author_block, now_ms, BlockPlan};
use folio_chain::chain_spec::{ChainSpec, ChainType, Genesis, RuntimeGenesis};
use folio_chain::{Client, ImportedBlock, Pool, PoolConfig};
use folio_consensus::aura::{self, Slot};
use folio_consensus::{AuraVerifier, ConsensusError};
use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::header::Block;
use folio_primitives::keyring::Keyring;
use folio_storage::Database;
use std::sync::Arc;

const SLOT_MS: u64 = 2_000;

fn local_client() -> Arc<Client> {
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let code = folio_runtime::WASM_BINARY.expect("built with the wasm runtime");
    let patch = folio_runtime::genesis::preset(Some(b"local_testnet")).unwrap();
    let spec = ChainSpec {
        name: "Local Testnet".into(),
        id: "local_testnet".into(),
        chain_type: ChainType::Local,
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
    let storage = spec.genesis_storage(&executor).unwrap();
    Arc::new(Client::new(Database::open_temporary().unwrap(), executor, storage).unwrap())
}

const AUTHORITIES: [Keyring; 4] = [
    Keyring::Alice,
    Keyring::Bob,
    Keyring::Charlie,
    Keyring::Dave,
];

/// Builds (and commits, on `client`) a block in `slot` sealed by `signer`.
fn build(client: &Client, slot: Slot, signer: Keyring) -> ImportedBlock {
    let pool = Pool::new(PoolConfig::default());
    let start = slot * SLOT_MS;
    let seal = |pre_hash: &folio_primitives::hash::H256| {
        Ok(Some(aura::seal_item(
            signer.pair().sign(pre_hash.as_bytes()),
        )))
    };
    let plan = BlockPlan {
        parent: client.best_hash().unwrap(),
        now_ms: now_ms().clamp(start, start + SLOT_MS - 1),
        pre_digest: aura::pre_digest(slot),
        seal: &seal,
    };
    author_block(client, &pool, &plan).unwrap()
}

fn block_of(
    client: &Client,
    built: &ImportedBlock,
) -> Block<folio_primitives::extrinsic::OpaqueExtrinsic> {
    Block {
        header: built.header.clone(),
        extrinsics: client.db().body(&built.hash).unwrap().unwrap(),
    }
}

#[test]
fn only_the_slot_authors_sealed_block_passes() {
    let honest = local_client();
    let start = now_ms();
    let verifier = AuraVerifier::with_clock(Arc::clone(&honest), SLOT_MS, Box::new(move || start));
    let slot = aura::slot_at(start, SLOT_MS);
    let author = AUTHORITIES[(slot % 4) as usize];
    let other = AUTHORITIES[((slot + 1) % 4) as usize];

    let forger = local_client();
    let forged = build(&forger, slot, other);
    let forged = block_of(&forger, &forged);
    assert!(matches!(
        verifier.verify(&forged),
        Err(ConsensusError::BadSeal)
    ));

    let mut unsealed = forged.clone();
    unsealed.header.digest.logs.pop();
    assert!(matches!(
        verifier.verify(&unsealed),
        Err(ConsensusError::MissingSeal)
    ));

    // Two slots ahead of the verifier's clock: refused before anything runs.
    let future = local_client();
    let ahead = slot + 2;
    let built = build(&future, ahead, AUTHORITIES[(ahead % 4) as usize]);
    let err = verifier.verify(&block_of(&future, &built)).unwrap_err();
    assert!(
        matches!(err, ConsensusError::FutureSlot { slot: s, now } if s == ahead && now == slot),
        "{err}"
    );

    // One slot ahead: allowed, for clocks a little apart (as Substrate).
    let near = local_client();
    let next = slot + 1;
    let built = build(&near, next, AUTHORITIES[(next % 4) as usize]);
    verifier.verify(&block_of(&near, &built)).unwrap();

    let peer = local_client();
    let built = build(&peer, slot, author);
    let good = block_of(&peer, &built);
    let mut changed = good.clone();
    changed.header.state_root = folio_primitives::hash::H256([9; 32]);
    assert!(matches!(
        verifier.verify(&changed),
        Err(ConsensusError::BadSeal)
    ));

    verifier.verify(&good).unwrap();
    let imported = honest.import_block(good).unwrap();
    assert_eq!(imported.hash, built.hash);
    assert_eq!(honest.best_hash().unwrap(), built.hash);
}
