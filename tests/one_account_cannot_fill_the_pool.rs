//! //Alice submits 8,192 transfers with far-future nonces (they fill a pool whose ready and
//! future transactions share one limit); //Charlie's ordinary transfer must still be admitted
//! and included. Against the real `folio-node --dev`, over HTTP JSON-RPC.

mod common;

use common::{account, hex_of, sign, transfer, NodeProcess};
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const FLOOD: u32 = 8_192;
/// Submissions per JSON-RPC batch request.
const PER_REQUEST: u32 = 256;

#[test]
fn far_future_transfers_from_one_account_do_not_shut_out_another() {
    let node = NodeProcess::dev(&[]);
    let genesis = node.genesis_hash();
    let spec = folio_runtime::SPEC_VERSION;

    let started = Instant::now();
    let mut admitted = 0usize;
    for chunk in (0..FLOOD).collect::<Vec<_>>().chunks(PER_REQUEST as usize) {
        let batch: Vec<Value> = chunk
            .iter()
            .map(|i| {
                let xt = sign(genesis, Alice, transfer(Bob, 1), 1_000 + i, spec);
                json!({"jsonrpc": "2.0", "id": i, "method": "author_submitExtrinsic", "params": [hex_of(&xt)]})
            })
            .collect();
        let answer = common::http_rpc(node.port, &Value::Array(batch).to_string())
            .expect("the node answers the batch");
        admitted += answer.as_array().map_or(0, |all| {
            all.iter().filter(|a| a.get("result").is_some()).count()
        });
    }
    eprintln!(
        "flood: {admitted} of {FLOOD} admitted in {:?}",
        started.elapsed()
    );
    assert!(
        admitted <= 819,
        "one account's future transactions are bounded, {admitted} admitted"
    );

    let xt = sign(genesis, Charlie, transfer(Bob, 1), 0, spec);
    node.rpc("author_submitExtrinsic", json!([hex_of(&xt)]));
    node.wait_until(
        "Charlie's transfer in a block",
        Duration::from_secs(30),
        |node| account(node, Charlie).0 == 1,
    );
    assert!(node.child_is_running());
}
