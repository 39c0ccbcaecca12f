//! A reorg on real binaries (`--chain local`, 2 s Aura slots, loopback ports 22100-22103):
//! Alice+Charlie and Bob+Dave start without each other and build competing branches from
//! genesis, Alice's side with a head start; a transfer is submitted on Bob's side only and
//! sealed there. Bob is then restarted with every other node as boot node: the longest chain
//! (Alice's) wins on all four nodes, Bob's block is retracted, its transfer goes back to the
//! pool and is included again on the winning chain, and every node ends with one state root.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Ferdie};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const P2P_BASE: u16 = 22_100;
const SLOT: Duration = Duration::from_secs(2);

fn start_validator(index: usize, base: &TempDir, boot: &[&NodeProcess]) -> NodeProcess {
    let port = (P2P_BASE + index as u16).to_string();
    let flag = format!("--{}", NAMES[index]);
    let base = base.arg();
    let boots = boot
        .iter()
        .map(|n| address(n))
        .collect::<Vec<_>>()
        .join(",");
    let mut args = vec![
        "--chain",
        "local",
        flag.as_str(),
        "--base-path",
        base.as_str(),
        "--port",
        port.as_str(),
        // No branch may become final while the sides are apart.
        "--finality-depth",
        "1000",
        "--log",
        "info,folio::storage=debug",
    ];
    if !boots.is_empty() {
        args.extend(["--bootnodes", boots.as_str()]);
    }
    NodeProcess::start_on(free_port(), &args)
}

fn peers(node: &NodeProcess) -> u64 {
    node.rpc("system_health", json!([]))["peers"]
        .as_u64()
        .unwrap_or(0)
}

fn state_root(node: &NodeProcess, number: u32) -> Value {
    node.rpc("chain_getHeader", json!([hash_at(node, number)]))["stateRoot"].clone()
}

#[test]
fn two_isolated_sides_reconnect_and_the_longest_chain_wins() {
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    // Alice and Charlie: a side of their own, with a head start.
    let alice = start_validator(0, &bases[0], &[]);
    let charlie = start_validator(2, &bases[2], &[&alice]);
    alice.wait_until("Alice's side authors", SLOT * 15, |n| n.best_number() >= 3);

    // Bob and Dave: the other side, from genesis, never told of Alice or Charlie.
    let bob = start_validator(1, &bases[1], &[]);
    let dave = start_validator(3, &bases[3], &[&bob]);
    bob.wait_until("Bob's side authors", SLOT * 15, |n| n.best_number() >= 1);
    assert_eq!(peers(&bob), 1, "Bob sees Dave only");
    assert_ne!(
        hash_at(&bob, 1),
        hash_at(&alice, 1),
        "two branches from genesis"
    );

    // A transfer only Bob's side sees, sealed there.
    let genesis = alice.genesis_hash();
    let (_, ferdie_before) = account(&bob, Ferdie);
    let amount = 7_000_000_000u128;
    let tx = sign(
        genesis,
        Alice,
        transfer(Ferdie, amount),
        0,
        folio_runtime::SPEC_VERSION,
    );
    bob.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    bob.wait_until("the transfer sealed on Bob's side", SLOT * 10, |n| {
        account(n, Ferdie).1 == ferdie_before + amount
    });
    let sealed_at = bob.best_number();
    let bob_block = hash_at(&bob, sealed_at);
    assert_eq!(
        account(&alice, Ferdie).1,
        ferdie_before,
        "Alice's side has not seen it"
    );

    // Alice's side stays ahead (it started earlier; both sides author half the slots).
    alice.wait_until("Alice's side is ahead", SLOT * 20, |n| {
        n.best_number() > bob.best_number() + 1
    });

    // Bob restarts with everyone as boot node: the sides meet.
    drop(bob);
    let reconnected = Instant::now();
    let bob = start_validator(1, &bases[1], &[&alice, &charlie, &dave]);
    let all = [&alice, &bob, &charlie, &dave];
    for node in all {
        node.wait_until("the longest chain everywhere", SLOT * 30, |n| {
            let height = alice.best_number().min(n.best_number());
            height > sealed_at && hash_at(n, height) == hash_at(&alice, height)
        });
    }
    let switched = reconnected.elapsed();
    assert_ne!(
        hash_at(&bob, sealed_at),
        bob_block,
        "Bob's block was retracted"
    );

    // The retracted transfer is included again on the winning chain, everywhere.
    for node in all {
        node.wait_until("the transfer re-included", SLOT * 30, |n| {
            account(n, Ferdie).1 == ferdie_before + amount
        });
    }
    let height = all.iter().map(|n| n.best_number()).min().unwrap();
    let hashes: Vec<Value> = all.iter().map(|n| hash_at(n, height)).collect();
    assert!(hashes.iter().all(|h| *h == hashes[0]), "{hashes:?}");
    let roots: Vec<Value> = all.iter().map(|n| state_root(n, height)).collect();
    assert!(roots.iter().all(|r| *r == roots[0]), "{roots:?}");
    // Bob's database moved its flat state along the journals (no rebuild from the trie).
    let log = bob.log_text();
    assert!(
        log.contains("flat state moved incrementally"),
        "Bob switched branches incrementally"
    );
    assert!(!log.contains("rebuilding the flat state"));
    println!(
        "sides reconnected: one chain everywhere {} ms after Bob's restart",
        switched.as_millis()
    );
}
