//! SIGKILL at random moments while transactions pour in, 20 times: every restart opens cleanly
//! on the last complete block — contiguous chain, state that matches the blocks (Alice's nonce
//! equals the transactions she has in them), and a chain that keeps building.
//! Replay a run with `FOLIO_KILL_SEED=<seed printed below>`.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use folio_runtime::UncheckedExtrinsic;
use parity_scale_codec::Decode;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low)
    }
}

/// Walks the chain from genesis: checks parent links and counts Alice's transactions.
fn check_chain(node: &NodeProcess) -> (u32, u32) {
    let best = node.best_number();
    let mut parent = Value::String(format!("0x{}", "00".repeat(32)));
    let mut alice_txs = 0u32;
    let alice = Alice.account_id();
    for number in 0..=best {
        let hash = node.rpc("chain_getBlockHash", json!([number]));
        assert!(hash.is_string(), "block {number} of {best} is missing");
        let block = node.rpc("chain_getBlock", json!([hash]));
        assert_eq!(
            block["block"]["header"]["parentHash"], parent,
            "block {number} links to its parent"
        );
        for xt in block["block"]["extrinsics"].as_array().expect("extrinsics") {
            let bytes = hex::decode(xt.as_str().unwrap().trim_start_matches("0x")).unwrap();
            let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("stored extrinsics decode");
            if xt.signature.as_ref().and_then(|s| s.address.lookup()) == Some(alice) {
                alice_txs += 1;
            }
        }
        parent = hash;
    }
    (best, alice_txs)
}

#[test]
fn sigkill_during_heavy_submission_never_leaves_a_partial_block() {
    let seed = std::env::var("FOLIO_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("FOLIO_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let base = TempDir::new("sigkill");
    let args = ["--dev", "--base-path", &base.arg()];
    let mut highest_seen = 0;
    for round in 0..20 {
        let node = NodeProcess::start(&args);
        let (best, alice_txs) = check_chain(&node);
        let (nonce, _) = account(&node, Alice);
        assert_eq!(
            nonce, alice_txs,
            "round {round}: state matches the blocks (seed {seed})"
        );
        assert!(
            best >= highest_seen.min(best),
            "never below what a previous round saw finished"
        );
        highest_seen = best;

        let genesis = node.genesis_hash();
        let port = node.port;
        let stop = Arc::new(AtomicBool::new(false));
        // The node answers RPC before its runtime is compiled; the kill clock starts once
        // transactions are being accepted, so every kill lands while blocks are being made.
        let (accepting, first_accepted) = std::sync::mpsc::channel();
        let submitter = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut next = nonce;
                while !stop.load(Ordering::Relaxed) {
                    let tx = sign(
                        genesis,
                        Alice,
                        transfer(Bob, 1_000_000_000),
                        next,
                        folio_runtime::SPEC_VERSION,
                    );
                    let body = json!({"id": 1, "jsonrpc": "2.0", "method": "author_submitExtrinsic", "params": [hex_of(&tx)]});
                    match http_rpc(port, &body.to_string()) {
                        Ok(answer) if answer.get("result").is_some() => {
                            if next == nonce {
                                let _ = accepting.send(());
                            }
                            next += 1;
                        }
                        Ok(_) => std::thread::sleep(Duration::from_millis(2)),
                        Err(_) => break,
                    }
                }
            })
        };
        first_accepted
            .recv_timeout(Duration::from_secs(60))
            .expect("the node accepts transactions");
        std::thread::sleep(Duration::from_millis(rng.range(50, 700)));
        node.kill();
        stop.store(true, Ordering::Relaxed);
        let _ = submitter.join();
    }
    // After the last kill: open once more, check, and build on top.
    let node = NodeProcess::start(&args);
    let (_, alice_txs) = check_chain(&node);
    assert_eq!(account(&node, Alice).0, alice_txs);
    let tx = sign(
        node.genesis_hash(),
        Alice,
        transfer(Bob, 1),
        alice_txs,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    node.wait_until(
        "a new block after the kills",
        Duration::from_secs(20),
        |n| account(n, Alice).0 == alice_txs + 1,
    );
    assert!(highest_seen > 0, "blocks were sealed under load");
}
