//! //Alice (sudo on `--dev`) submits `sudo(system.set_code(LOOP))`, LOOP a tiny wasm whose
//! `Core_version` loops. Sealing used to stall for 20 s (the candidate's version was read by
//! running it inside the block, twice out of time) and the next block carried Alice's nonce
//! and fee without her extrinsic. Now the upgrade fails as a failed call does, the chain goes
//! on at once, and every block the node sealed re-executes on its parent.

mod common;

use common::NodeProcess;
use common::{account, assert_every_block_reexecutes, hex_of, looping_runtime, sign, transfer};
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie};
use folio_runtime::RuntimeCall;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_looping_candidate_runtime_neither_stalls_sealing_nor_leaves_a_trace() {
    let node = NodeProcess::dev(&[]);
    let genesis = node.genesis_hash();
    let spec = folio_runtime::SPEC_VERSION;
    let code_before = node.rpc("state_getStorage", json!(["0x3a636f6465"]));
    let (_, alice_free) = account(&node, Alice);

    let upgrade = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::System(folio_pallet_system::Call::set_code {
            code: looping_runtime(),
        })),
    });
    let started = Instant::now();
    node.rpc(
        "author_submitExtrinsic",
        json!([hex_of(&sign(genesis, Alice, upgrade, 0, spec))]),
    );
    node.wait_until(
        "Alice's upgrade in a block",
        Duration::from_secs(30),
        |node| account(node, Alice).0 == 1,
    );
    let took = started.elapsed();
    eprintln!("the failed upgrade was sealed {took:?} after submission");
    assert!(
        took < Duration::from_secs(5),
        "sealing stalled for {took:?}"
    );
    assert_eq!(
        node.rpc("state_getStorage", json!(["0x3a636f6465"])),
        code_before,
        "the runtime did not change"
    );
    // Sudo pays no fee: a failed sudo call leaves only the nonce behind.
    assert_eq!(account(&node, Alice).1, alice_free);

    // The chain goes on with its runtime.
    node.rpc(
        "author_submitExtrinsic",
        json!([hex_of(&sign(genesis, Charlie, transfer(Bob, 1), 0, spec))]),
    );
    node.wait_until("Charlie's transfer", Duration::from_secs(30), |node| {
        account(node, Charlie).0 == 1
    });
    assert_every_block_reexecutes(&node);
}
