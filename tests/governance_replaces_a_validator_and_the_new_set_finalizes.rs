//! Five real `--chain local` nodes on loopback ports 28000-28499: //Alice, //Bob, //Charlie
//! and //Dave validate (Aura and GRANDPA), //Eve runs with its keys but is in neither set.
//! Sudo (Alice) calls `Grandpa.set_validators` with Alice, Bob, Charlie and Eve (each one's
//! sr25519 Aura key and ed25519 `gran` key): the change is announced in its block and enacted
//! `SetChangeDelay` blocks later. Then:
//! - every node follows the change once the enact block is final, and finality goes on past
//!   it (the enact block carries the old set's justification; `grandpa_roundState` names set 1);
//! - Dave, removed, is killed: finality goes on (it no longer counts);
//! - Eve is killed: Alice, Bob and Charlie are 3 of 4 of the new set, finality goes on;
//! - Charlie is killed: 2 of 4, finality stalls while Alice and Bob go on authoring.

mod common;

use common::grandpa::{assert_no_conflicting_finality, boot_list, finalized_number, start_local};
use common::*;
use folio_primitives::keyring::{Ed25519Pair, Keyring, Sr25519Pair};
use folio_runtime::RuntimeCall;
use serde_json::json;
use std::time::{Duration, Instant};

const NAMES: [&str; 5] = ["alice", "bob", "charlie", "dave", "eve"];
const P2P_BASE: u16 = 28_000;
const RPC_BASE: u16 = 28_100;

/// `(aura sr25519, gran ed25519)` of the dev account `name` ("Alice" …).
fn validator_keys(name: &str) -> ([u8; 32], [u8; 32]) {
    let uri = format!("//{name}");
    (
        Sr25519Pair::from_uri(&uri).expect("dev key").public(),
        Ed25519Pair::from_uri(&uri).expect("dev key").public(),
    )
}

/// The enact block number the node logged when it followed the set change.
fn enacted_at(node: &NodeProcess) -> Option<u32> {
    let log = node.log_text();
    let line = log
        .lines()
        .find(|line| line.contains("GRANDPA authority set changed"))?;
    let (_, rest) = line.split_once("enacted_at=")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Waits until `node` finalizes `blocks` more blocks than now.
fn finality_goes_on(node: &NodeProcess, what: &str, blocks: u32) {
    let from = finalized_number(node);
    node.wait_until(what, Duration::from_secs(25), |n| {
        finalized_number(n) >= from + blocks
    });
}

#[test]
fn governance_replaces_a_validator_and_the_new_set_finalizes() {
    let started = Instant::now();
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let mut nodes: Vec<Option<NodeProcess>> = Vec::new();
    for (index, name) in NAMES.iter().enumerate() {
        let boot = boot_list(nodes.iter().flatten());
        let boot = (!boot.is_empty()).then_some(boot);
        nodes.push(Some(start_local(
            Some(name),
            &bases[index],
            P2P_BASE + index as u16,
            RPC_BASE + index as u16,
            boot.as_deref(),
            &[],
        )));
    }
    for running in nodes.iter().flatten() {
        running.wait_until("four peers", Duration::from_secs(20), |n| {
            n.rpc("system_health", json!([]))["peers"].as_u64() >= Some(4)
        });
    }
    let first = nodes[0].as_ref().expect("alice");
    first.wait_until("a GRANDPA finalization", Duration::from_secs(25), |n| {
        finalized_number(n) >= 2
    });

    // Sudo replaces Dave by Eve.
    let validators: Vec<([u8; 32], [u8; 32])> = ["Alice", "Bob", "Charlie", "Eve"]
        .iter()
        .map(|name| validator_keys(name))
        .collect();
    let call = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::Grandpa(
            folio_pallet_grandpa::Call::set_validators { validators },
        )),
    });
    let xt = sign(
        first.genesis_hash(),
        Keyring::Alice,
        call,
        0,
        folio_runtime::SPEC_VERSION,
    );
    first.rpc("author_submitExtrinsic", json!([hex_of(&xt)]));

    // Every node follows the change once its enact block is final.
    let mut enact = 0;
    for running in nodes.iter().flatten() {
        running.wait_until("the set change followed", Duration::from_secs(40), |n| {
            enacted_at(n).is_some()
        });
        let at = enacted_at(running).expect("logged");
        assert!(
            enact == 0 || enact == at,
            "nodes enacted at {enact} and {at}"
        );
        enact = at;
    }
    eprintln!(
        "set change enacted at #{enact} after {:?}",
        started.elapsed()
    );
    // The old set finalized the enact block itself, with its justification.
    let enact_hash = first.rpc("chain_getBlockHash", json!([enact]));
    let block = first.rpc("chain_getBlock", json!([enact_hash]));
    let justifications = block["justifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        justifications.iter().any(|j| j[0] == json!(b"FRNK")),
        "the enact block #{enact} has a FRNK justification: {justifications:?}"
    );
    // The new set finalizes past the enact block.
    first.wait_until(
        "finality past the enact block",
        Duration::from_secs(25),
        |n| finalized_number(n) >= enact + 2,
    );
    let round_state = first.rpc("grandpa_roundState", json!([]));
    assert_eq!(round_state["setId"], json!(1), "{round_state}");

    // Dave is out of the set: killing it changes nothing.
    nodes[3].take().expect("dave").kill();
    finality_goes_on(
        nodes[0].as_ref().expect("alice"),
        "finality without the removed Dave",
        2,
    );
    // Eve is in: without it, Alice, Bob and Charlie are 3 of 4.
    nodes[4].take().expect("eve").kill();
    finality_goes_on(
        nodes[0].as_ref().expect("alice"),
        "finality with 3 of the 4 new voters",
        2,
    );
    // Without Charlie, 2 of 4: no supermajority.
    nodes[2].take().expect("charlie").kill();
    let first = nodes[0].as_ref().expect("alice");
    // A round in flight may still complete.
    std::thread::sleep(Duration::from_secs(3));
    let stalled_at = finalized_number(first);
    let best_before = first.best_number();
    std::thread::sleep(Duration::from_secs(10));
    assert_eq!(
        finalized_number(first),
        stalled_at,
        "2 of 4 voters finalized something"
    );
    assert!(
        first.best_number() >= best_before + 2,
        "Alice and Bob go on authoring"
    );
    let survivors: Vec<&NodeProcess> = nodes.iter().flatten().collect();
    assert_no_conflicting_finality(&survivors);
    eprintln!("done in {:?}", started.elapsed());
}
