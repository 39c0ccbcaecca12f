//! Four real validators of `--chain local` (//Alice //Bob //Charlie //Dave, 2 s Aura slots)
//! on free loopback ports, each given Alice alone as boot node: they find each other (identify
//! and Kademlia) and end fully meshed, author in turn by slot and agree on every
//! block; a transfer submitted to one lands in a block all have, with one state root; a fifth,
//! non-validator node started later syncs from genesis and follows; one validator SIGKILLed,
//! the other three go on, and restarted on its base path it catches up and authors again.
//! Prints blocks per minute with 4/4 and 3/4 validators, submit→inclusion on another node,
//! the restarted validator's catch-up time and each node's peak RSS.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const SLOT: Duration = Duration::from_secs(2);

fn start_validator(index: usize, base: &TempDir, boot: Option<&str>) -> NodeProcess {
    // Ports the OS says are free now, never fixed ones: a fixed port in the ephemeral range
    // can be held by any outgoing connection on the machine.
    let port = free_port().to_string();
    let flag = format!("--{}", NAMES[index]);
    let base = base.arg();
    let mut args = vec![
        "--chain",
        "local",
        flag.as_str(),
        "--base-path",
        base.as_str(),
        "--port",
        port.as_str(),
        "--log",
        "info,folio::aura=debug",
    ];
    if let Some(boot) = boot {
        args.extend(["--bootnodes", boot]);
    }
    NodeProcess::start(&args)
}

/// The slot in a header's `aura` pre-runtime digest (JSON `0x06 61757261 20 <u64 LE>`).
fn slot_of(header: &Value) -> Option<u64> {
    header["digest"]["logs"].as_array()?.iter().find_map(|log| {
        let bytes = hex::decode(log.as_str()?.trim_start_matches("0x")).ok()?;
        if bytes.get(..6)? != [6, b'a', b'u', b'r', b'a', 0x20] {
            return None;
        }
        Some(u64::from_le_bytes(bytes.get(6..14)?.try_into().ok()?))
    })
}

fn header_at(node: &NodeProcess, number: u32) -> Value {
    node.rpc("chain_getHeader", json!([hash_at(node, number)]))
}

/// Every node has the same hash at every height up to `height`.
fn assert_agree(nodes: &[&NodeProcess], height: u32) {
    for number in 1..=height {
        let first = hash_at(nodes[0], number);
        for node in &nodes[1..] {
            assert_eq!(hash_at(node, number), first, "block {number}");
        }
    }
}

fn wait_all(nodes: &[&NodeProcess], height: u32, limit: Duration) {
    for node in nodes {
        node.wait_until(&format!("block {height}"), limit, |n| {
            n.best_number() >= height
        });
    }
}

#[test]
fn four_validators_author_in_turn_and_survive_a_killed_one() {
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let alice = start_validator(0, &bases[0], None);
    let boot = address(&alice);
    assert!(boot.starts_with("/ip4/127.0.0.1/tcp/"), "{boot}");
    let mut validators = vec![alice];
    for (index, base) in bases.iter().enumerate().skip(1) {
        validators.push(start_validator(index, base, Some(&boot)));
    }
    assert_eq!(validators[0].rpc("system_name", json!([])), "Alice");
    assert_eq!(
        validators[1].rpc("system_nodeRoles", json!([])),
        json!(["Authority"])
    );
    // Only Alice is anyone's boot node: the others are found through her.
    let meshed = Instant::now();
    for node in &validators {
        node.wait_until("three peers", Duration::from_secs(30), |n| {
            n.rpc("system_peers", json!([])).as_array().map(Vec::len) == Some(3)
        });
    }
    let mesh_ms = meshed.elapsed().as_millis();

    // (a) They author in turn, each block by its slot's author, and agree on the hashes.
    let all: Vec<&NodeProcess> = validators.iter().collect();
    let start_height = all.iter().map(|n| n.best_number()).max().unwrap();
    let started = Instant::now();
    wait_all(&all, start_height + 8, SLOT * 20);
    let per_min_4 = 8.0 * 60.0 / started.elapsed().as_secs_f64();
    let height = all.iter().map(|n| n.best_number()).min().unwrap();
    assert_agree(&all, height);
    let mut slots = Vec::new();
    for number in 1..=height {
        slots.push(slot_of(&header_at(all[0], number)).expect("an aura slot"));
    }
    assert!(slots.windows(2).all(|w| w[0] < w[1]), "{slots:?}");
    let authors: std::collections::BTreeSet<u64> = slots.iter().map(|s| s % 4).collect();
    assert_eq!(authors.len(), 4, "all four author: slots {slots:?}");

    // A transfer submitted to Bob lands in a block every node has, with one state root.
    let genesis = all[0].genesis_hash();
    let (_, bob_before) = account(all[3], Bob);
    let mut inclusion_ms = Vec::new();
    for nonce in 0..3u32 {
        let amount = 1_000_000_000u128;
        let tx = sign(
            genesis,
            Alice,
            transfer(Bob, amount),
            nonce,
            folio_runtime::SPEC_VERSION,
        );
        let submitted = Instant::now();
        all[1].rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
        let expected = bob_before + amount * u128::from(nonce + 1);
        all[3].wait_until("Dave sees the transfer", SLOT * 10, |n| {
            account(n, Bob).1 == expected
        });
        inclusion_ms.push(submitted.elapsed().as_millis());
    }
    for node in &all {
        node.wait_until("the transfers everywhere", SLOT * 5, |n| {
            account(n, Bob).1 == bob_before + 3_000_000_000
        });
    }
    let height = all.iter().map(|n| n.best_number()).min().unwrap();
    let roots: Vec<Value> = all
        .iter()
        .map(|n| header_at(n, height)["stateRoot"].clone())
        .collect();
    assert!(roots.iter().all(|r| *r == roots[0]), "{roots:?}");

    // (b) A fifth node, not a validator, started later with an empty base path, syncs from
    // genesis and follows.
    let fifth_base = TempDir::new("ferdie-follower");
    let fifth_port = free_port().to_string();
    let fifth_path = fifth_base.arg();
    let fifth = NodeProcess::start(&[
        "--chain",
        "local",
        "--base-path",
        &fifth_path,
        "--port",
        &fifth_port,
        "--bootnodes",
        &boot,
    ]);
    assert_eq!(fifth.rpc("system_nodeRoles", json!([])), json!(["Full"]));
    let target = all[0].best_number() + 2;
    fifth.wait_until("the fifth node follows", SLOT * 15, |n| {
        n.best_number() >= target
    });
    assert_eq!(hash_at(&fifth, target), hash_at(all[0], target));

    // (c) Charlie is SIGKILLed: the other three go on.
    let rss: BTreeMap<&str, f64> = NAMES
        .iter()
        .zip(&all)
        .map(|(n, p)| (*n, peak_rss_mib(p)))
        .collect();
    let charlie = validators.remove(2);
    charlie.kill();
    let three: Vec<&NodeProcess> = validators.iter().collect();
    let from = three.iter().map(|n| n.best_number()).max().unwrap();
    let started = Instant::now();
    wait_all(&three, from + 6, SLOT * 20);
    let per_min_3 = 6.0 * 60.0 / started.elapsed().as_secs_f64();
    let height = three.iter().map(|n| n.best_number()).min().unwrap();
    assert_agree(&three, height);

    // Restarted on its base path, it catches up and authors again.
    let restarted_at = Instant::now();
    let charlie = start_validator(2, &bases[2], Some(&boot));
    let tip = three[0].best_number();
    charlie.wait_until("Charlie catches up", SLOT * 15, |n| n.best_number() >= tip);
    let catch_up = restarted_at.elapsed();
    let from = charlie.best_number();
    charlie.wait_until("Charlie authors again", SLOT * 20, |n| {
        let best = n.best_number();
        (from + 1..=best).any(|number| slot_of(&header_at(n, number)).is_some_and(|s| s % 4 == 2))
    });
    let height = charlie.best_number().min(three[0].best_number());
    assert_eq!(hash_at(&charlie, height), hash_at(three[0], height));

    inclusion_ms.sort();
    println!("fully meshed (3 peers each) {mesh_ms} ms after the fourth started");
    println!("blocks/min: {per_min_4:.1} with 4/4 validators, {per_min_3:.1} with 3/4 (2 s slots)");
    println!(
        "submit to Bob -> seen on Dave: p50 {} ms, max {} ms (of {})",
        inclusion_ms[inclusion_ms.len() / 2],
        inclusion_ms[inclusion_ms.len() - 1],
        inclusion_ms.len()
    );
    println!(
        "restarted validator caught up in {} ms (process start included)",
        catch_up.as_millis()
    );
    println!(
        "peak RSS MiB before the kill: {rss:?}; fifth {:.0}",
        peak_rss_mib(&fifth)
    );
}
