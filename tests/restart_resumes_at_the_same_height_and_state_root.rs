//! A node restarted on the same `--base-path` resumes at the same height and state root, and
//! keeps building on it.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::json;
use std::time::Duration;

#[test]
fn restart_resumes_at_the_same_height_and_state_root() {
    let base = TempDir::new("restart");
    let args = ["--dev", "--base-path", &base.arg()];
    let node = NodeProcess::start(&args);
    let genesis = node.genesis_hash();
    for nonce in 0..3 {
        let tx = sign(
            genesis,
            Alice,
            transfer(Bob, 1_000_000_000),
            nonce,
            folio_runtime::SPEC_VERSION,
        );
        node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    }
    node.wait_until("three transfers sealed", Duration::from_secs(20), |n| {
        account(n, Alice).0 == 3
    });
    let header_before = node.rpc("chain_getHeader", json!([]));
    let alice_before = account(&node, Alice);
    let status = node.terminate();
    assert!(status.success(), "clean shutdown on SIGTERM: {status:?}");

    let node = NodeProcess::start(&args);
    assert_eq!(node.genesis_hash(), genesis);
    assert_eq!(
        node.rpc("chain_getHeader", json!([])),
        header_before,
        "same best block and state root"
    );
    assert_eq!(account(&node, Alice), alice_before);

    let tx = sign(
        genesis,
        Alice,
        transfer(Bob, 1),
        3,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    node.wait_until("a block on top", Duration::from_secs(20), |n| {
        account(n, Alice).0 == 4
    });
    let parent = node.rpc("chain_getHeader", json!([]))["parentHash"].clone();
    let previous_best = node.rpc("chain_getBlockHash", json!([header_before["number"]]));
    assert_eq!(
        parent, previous_best,
        "the chain continues from the block it stopped at"
    );
}
