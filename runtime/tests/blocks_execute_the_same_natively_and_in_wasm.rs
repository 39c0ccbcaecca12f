//! Blocks built and imported through the runtime API entry points (initialize, inherents,
//! signed transfers, finalize), natively and in wasm: same state, same events, same roots.

mod common;

use common::*;
use folio_pallet_currency::Event as BalancesEvent;
use folio_pallet_system::Event as SystemEvent;
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie, Dave};
use folio_runtime::RuntimeEvent;

fn scenario(
    backend: Backend,
) -> (
    Chain,
    Vec<folio_primitives::header::Block<folio_primitives::extrinsic::OpaqueExtrinsic>>,
) {
    let mut chain = Chain::dev(backend);
    let alice_before = chain.free(Alice);
    let bob_before = chain.free(Bob);
    let t1 = chain.sign(Alice, transfer(Bob, 12_345), 0, 0);
    let t2 = chain.sign(Alice, transfer(Charlie, 1_000), 1, 7);
    let (block1, results) = chain.build_block(&[t1, t2]);
    assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(()))]);
    assert_eq!(block1.extrinsics.len(), 3, "timestamp + two transfers");

    // Balances moved by exactly the amounts; Alice also paid two fees to the treasury.
    let bob_after = chain.free(Bob);
    assert_eq!(bob_after, bob_before + 12_345);
    let alice_after = chain.free(Alice);
    let fees_paid = alice_before - alice_after - 12_345 - 1_000;
    assert!(fees_paid > 0, "fees are charged");
    assert_eq!(chain.account(&Alice.account_id()).nonce, 2);

    let events = chain.events();
    assert!(
        events.contains(&RuntimeEvent::Balances(BalancesEvent::Transfer {
            from: Alice.account_id(),
            to: Bob.account_id(),
            amount: 12_345
        }))
    );
    let outcomes: Vec<_> = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                RuntimeEvent::System(
                    SystemEvent::ExtrinsicSuccess { .. } | SystemEvent::ExtrinsicFailed { .. }
                )
            )
        })
        .collect();
    assert_eq!(
        outcomes.len(),
        3,
        "every extrinsic ends with ExtrinsicSuccess/Failed"
    );
    let fee_events: u128 = events
        .iter()
        .filter_map(|e| match e {
            RuntimeEvent::TransactionPayment(
                folio_pallet_currency::FeeEvent::TransactionFeePaid { actual_fee, .. },
            ) => Some(*actual_fee),
            _ => None,
        })
        .sum();
    assert_eq!(fee_events, fees_paid, "fee events account for every fee");

    // A failing call is included: fee and nonce taken, its transfer not.
    let too_much = chain.sign(Dave, transfer(Bob, u128::MAX / 2), 0, 0);
    let (block2, results) = chain.build_block(&[too_much]);
    assert!(
        matches!(results[0], Ok(Err(_))),
        "included with a dispatch error"
    );
    assert_eq!(chain.account(&Dave.account_id()).nonce, 1);
    assert_eq!(chain.free(Bob), bob_after);
    (chain, vec![block1, block2])
}

#[test]
fn native_blocks_build_and_reimport() {
    let (built, blocks) = scenario(Backend::Native);
    let mut importer = Chain::dev(Backend::Native);
    for block in &blocks {
        importer.import(block).expect("a built block imports");
    }
    assert_eq!(importer.state_root(), built.state_root());
    assert_eq!(importer.state_root(), blocks[1].header.state_root);
}

#[test]
fn wasm_and_native_give_identical_blocks_and_state_roots() {
    let (native, native_blocks) = scenario(Backend::Native);
    let (wasm, wasm_blocks) = scenario(Backend::wasm());
    assert_eq!(native.genesis_hash(), wasm.genesis_hash());
    // sr25519 signatures are randomized, so bodies differ; state roots may not.
    for (n, w) in native_blocks.iter().zip(&wasm_blocks) {
        assert_eq!(n.header.number, w.header.number);
    }
    // Import the wasm-built blocks natively and the native-built ones in wasm.
    let mut native_importer = Chain::dev(Backend::Native);
    let mut wasm_importer = Chain::dev(Backend::wasm());
    for block in &wasm_blocks {
        native_importer
            .import(block)
            .expect("native imports wasm-built block");
    }
    for block in &native_blocks {
        wasm_importer
            .import(block)
            .expect("wasm imports native-built block");
    }
    assert_eq!(native_importer.state_root(), wasm.state_root());
    assert_eq!(wasm_importer.state_root(), native.state_root());
}

#[test]
fn wasm_core_version_matches_native() {
    let mut wasm = Chain::dev(Backend::wasm());
    let mut native = Chain::dev(Backend::Native);
    assert_eq!(
        wasm.call("Core_version", &[]),
        native.call("Core_version", &[])
    );
    assert_eq!(
        wasm.call("Metadata_metadata_at_version", &15u32.to_le_bytes()),
        native.call("Metadata_metadata_at_version", &15u32.to_le_bytes())
    );
}

#[test]
fn tampered_blocks_are_rejected() {
    let (_, blocks) = scenario(Backend::Native);
    let mut block = blocks[0].clone();
    block.header.state_root.0[0] ^= 1;
    let mut importer = Chain::dev(Backend::Native);
    assert_eq!(
        importer.import(&block),
        Err("state root does not match the header".into())
    );

    let mut block = blocks[0].clone();
    block.extrinsics.remove(0);
    assert!(
        importer.import(&block).is_err(),
        "a block without timestamp is invalid"
    );

    // A bad signature in an imported block fails the batch check.
    let mut block = blocks[0].clone();
    let mut bytes = block.extrinsics[1].as_bytes().to_vec();
    let signature_byte = 2 + 1 + 33 + 1 + 10;
    bytes[signature_byte] ^= 0xff;
    block.extrinsics[1] = folio_primitives::extrinsic::OpaqueExtrinsic::from_bytes(&bytes).unwrap();
    assert!(importer.import(&block).is_err());
    let mut wasm_importer = Chain::dev(Backend::wasm());
    assert!(wasm_importer.import(&block).is_err(), "wasm rejects it too");

    // Inherents must come first.
    let mut block = blocks[0].clone();
    block.extrinsics.swap(0, 1);
    assert!(importer.import(&block).is_err());
}
