//! `dev_timeTravel` (chopsticks' name) moves a dev chain's block time forward, so windows days
//! away (cancellation, deadlines, reflection periods, record dates) can be reached in a test;
//! time never moves back, and a chain authored by slot refuses it.

mod common;

use common::{hex_of, NodeProcess, TempDir};
use folio_primitives::crypto::native::twox_128;
use serde_json::json;

const DAY_MS: u64 = 86_400_000;

/// `Timestamp.Now` at the best block.
fn block_time(node: &NodeProcess) -> u64 {
    let key = [twox_128(b"Timestamp"), twox_128(b"Now")].concat();
    let value = node.rpc("state_getStorage", json!([hex_of(&key)]));
    let bytes = hex::decode(
        value
            .as_str()
            .expect("a block time")
            .trim_start_matches("0x"),
    )
    .expect("hex");
    u64::from_le_bytes(bytes.try_into().expect("a u64"))
}

#[test]
fn the_next_block_carries_the_time_travelled_to_and_time_never_goes_back() {
    let node = NodeProcess::dev(&["--tmp"]);
    node.rpc("engine_createBlock", json!([true, true]));
    let before = block_time(&node);

    let target = before + 30 * DAY_MS;
    assert_eq!(node.rpc("dev_timeTravel", json!([target])), json!(target));
    node.rpc("engine_createBlock", json!([true, true]));
    let after = block_time(&node);
    assert!(
        after >= target && after < target + 60_000,
        "block time {after} should be just past {target}"
    );

    // A later block runs on from there, never back to the wall clock.
    node.rpc("engine_createBlock", json!([true, true]));
    assert!(block_time(&node) >= after);

    let error = node.rpc_error("dev_timeTravel", json!([before]));
    assert_eq!(error["code"], json!(-32602), "{error}");
    assert!(
        error.to_string().contains("time only moves forward"),
        "{error}"
    );
    let error = node.rpc_error("dev_timeTravel", json!(["next tuesday"]));
    assert_eq!(error["code"], json!(-32602), "{error}");
}

#[test]
fn a_chain_authored_by_slot_refuses_to_travel() {
    let base = TempDir::new("time-travel-local");
    let base = base.arg();
    let node = NodeProcess::start(&[
        "--chain",
        "local",
        "--base-path",
        base.as_str(),
        "--port",
        "0",
    ]);
    let error = node.rpc_error("dev_timeTravel", json!([u64::MAX / 2]));
    assert!(error.to_string().contains("authored by slot"), "{error}");
}
