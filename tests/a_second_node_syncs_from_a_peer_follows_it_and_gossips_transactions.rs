//! Two real `folio-node` processes on one chain spec, on loopback ports: the first seals
//! blocks; the second, started later with an empty database and not sealing, connects to it
//! as its boot node, downloads the chain, follows each new block, and gossips a transfer
//! submitted to it to the first, which includes it; both end with the same blocks and state.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_second_node_syncs_from_a_peer_follows_it_and_gossips_transactions() {
    // `--port 0`: the OS picks free p2p ports; everything stays on 127.0.0.1 (`--chain dev`
    // listens there by default).
    let author = NodeProcess::start(&[
        "--chain",
        "dev",
        "--tmp",
        "--sealing",
        "interval=200",
        "--port",
        "0",
    ]);
    author.wait_until("40 blocks", Duration::from_secs(60), |n| {
        n.best_number() >= 40
    });
    let addresses = author.rpc("system_localListenAddresses", json!([]));
    let boot = addresses[0].as_str().expect("a listen address").to_string();
    assert!(boot.starts_with("/ip4/127.0.0.1/tcp/"), "{boot}");
    let author_id = author.rpc("system_localPeerId", json!([]));
    assert!(
        boot.ends_with(author_id.as_str().unwrap()),
        "{boot} {author_id}"
    );
    assert_eq!(
        author.rpc("system_nodeRoles", json!([])),
        json!(["Authority"])
    );

    let started = Instant::now();
    let follower = NodeProcess::start(&[
        "--chain",
        "dev",
        "--tmp",
        "--sealing",
        "manual",
        "--port",
        "0",
        "--bootnodes",
        &boot,
    ]);
    assert_eq!(follower.genesis_hash(), author.genesis_hash());
    let target = author.best_number();
    follower.wait_until("the follower syncs", Duration::from_secs(60), |n| {
        n.best_number() >= target
    });
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "synced {target} blocks in {elapsed:.2} s ({:.0} blocks/s, process start included)",
        f64::from(target) / elapsed
    );
    assert_eq!(hash_at(&follower, target), hash_at(&author, target));

    // Both report each other truthfully.
    let health = follower.rpc("system_health", json!([]));
    assert_eq!(health["peers"], 1, "{health}");
    let peers = follower.rpc("system_peers", json!([]));
    assert_eq!(peers[0]["peerId"], author_id, "{peers}");
    assert_eq!(peers[0]["roles"], "AUTHORITY", "{peers}");
    assert_eq!(follower.rpc("system_nodeRoles", json!([])), json!(["Full"]));
    let sync = follower.rpc("system_syncState", json!([]));
    assert_eq!(sync["startingBlock"], 0, "{sync}");
    assert!(
        sync["currentBlock"].as_u64().unwrap() >= u64::from(target),
        "{sync}"
    );
    author.wait_until("the author sees its peer", Duration::from_secs(10), |n| {
        n.rpc("system_health", json!([]))["peers"] == 1
    });

    // It follows: new blocks arrive by announcement.
    let later = author.best_number() + 5;
    follower.wait_until("the follower follows", Duration::from_secs(30), |n| {
        n.best_number() >= later
    });
    assert_eq!(hash_at(&follower, later), hash_at(&author, later));

    // A transfer submitted to the follower (which seals nothing) crosses to the author.
    let (_, bob_before) = account(&author, Bob);
    let amount = 1_000_000_000u128;
    let tx = sign(
        author.genesis_hash(),
        Alice,
        transfer(Bob, amount),
        0,
        folio_runtime::SPEC_VERSION,
    );
    let submitted = Instant::now();
    follower.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    author.wait_until(
        "the author includes the transfer",
        Duration::from_secs(30),
        |n| account(n, Bob).1 == bob_before + amount,
    );
    println!(
        "submitted to the follower, included by the author after {} ms",
        submitted.elapsed().as_millis()
    );
    follower.wait_until(
        "the follower imports that block",
        Duration::from_secs(30),
        |n| account(n, Bob).1 == bob_before + amount,
    );
    let height = author.best_number().min(follower.best_number());
    let header_a = author.rpc("chain_getHeader", json!([hash_at(&author, height)]));
    let header_f = follower.rpc("chain_getHeader", json!([hash_at(&follower, height)]));
    assert_eq!(header_a["stateRoot"], header_f["stateRoot"]);
    println!(
        "peak RSS: author {:.0} MiB, follower {:.0} MiB",
        peak_rss_mib(&author),
        peak_rss_mib(&follower)
    );
}
