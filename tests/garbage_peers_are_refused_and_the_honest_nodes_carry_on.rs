//! Two real validators of `--chain local` (//Alice, //Bob, 2 s slots) and a misbehaving peer
//! (folio-network's test peer, in this process, a new identity each time) that passes the
//! status handshake and then sends: random bytes on each protocol, an undecodable block
//! response, and children of Alice's best block that must not import (a bad seal, a slot
//! three slots ahead, a wrong state root with no timestamp, sealed by the slot's author).
//! Each
//! time Alice refuses it, logs the misbehaviour against its PeerId and disconnects it; the
//! honest validators go on authoring and agree on the best chain.

mod common;

use common::*;
use folio_network::test_peer::{Answer, Outcome, Protocol, TestPeer};
use folio_primitives::hash::H256;
use folio_primitives::header::{DigestItem, Header};
use folio_primitives::keyring::Keyring;
use parity_scale_codec::Encode;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SLOT_MS: u64 = 2_000;
const AUTHORITIES: [Keyring; 4] = [
    Keyring::Alice,
    Keyring::Bob,
    Keyring::Charlie,
    Keyring::Dave,
];

fn start_validator(name: &str, base: &TempDir, boot: Option<&str>) -> NodeProcess {
    let port = free_port().to_string();
    let flag = format!("--{name}");
    let base = base.arg();
    let mut args = vec![
        "--chain",
        "local",
        flag.as_str(),
        "--base-path",
        base.as_str(),
        "--port",
        port.as_str(),
    ];
    if let Some(boot) = boot {
        args.extend(["--bootnodes", boot]);
    }
    NodeProcess::start(&args)
}

fn peer_count(node: &NodeProcess) -> u64 {
    node.rpc("system_health", json!([]))["peers"]
        .as_u64()
        .unwrap_or(0)
}

/// Deterministic random bytes (the seed is printed, so a failure can be replayed).
fn random_bytes(seed: &mut u64, len: usize) -> Vec<u8> {
    (0..len)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (*seed >> 56) as u8
        })
        .collect()
}

fn slot_now() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis();
    u64::try_from(ms).expect("ms") / SLOT_MS
}

/// `header` with its seal replaced by `signer`'s signature of the pre-seal hash.
fn reseal(mut header: Header, signer: Keyring) -> Header {
    if matches!(header.digest.logs.last(), Some(DigestItem::Seal(..))) {
        header.digest.logs.pop();
    }
    let signature = signer.pair().sign(header.hash().as_bytes());
    header
        .digest
        .logs
        .push(DigestItem::Seal(*b"aura", signature.encode()));
    header
}

fn author_of(slot: u64) -> Keyring {
    AUTHORITIES[(slot % 4) as usize]
}

/// What the rogue does after the handshake.
#[derive(Clone, Copy, Debug)]
enum Misdeed {
    Garbage(Protocol),
    /// Announces a child of the best block and answers the request for it with bytes that
    /// are no block response.
    UndecodableResponse,
    /// A child of the best block sealed by someone else than the slot's author.
    BadSeal,
    /// A child sealed by the author of a slot three slots ahead.
    FutureSlot,
    /// A child sealed by the author of the current slot (one of the validators that are not
    /// running, so no honest block races it) whose state root is wrong and body empty.
    WrongStateRoot,
}

/// A child of `parent` in `slot`, sealed by `signer`, with an empty body.
fn child(parent: &Header, slot: u64, signer: Keyring, state_root: H256) -> Header {
    let header = Header {
        parent_hash: parent.hash(),
        number: parent.number + 1,
        state_root,
        extrinsics_root: parent.extrinsics_root,
        digest: folio_primitives::header::Digest {
            logs: vec![DigestItem::PreRuntime(*b"aura", slot.encode())],
        },
    };
    reseal(header, signer)
}

/// The block the rogue offers for `misdeed` on top of `best`.
fn bad_child(misdeed: Misdeed, best: &Header) -> Header {
    let now = slot_now();
    match misdeed {
        Misdeed::BadSeal => child(best, now, author_of(now + 1), best.state_root),
        Misdeed::FutureSlot => child(best, now + 3, author_of(now + 3), best.state_root),
        _ => child(best, now, author_of(now), H256([9; 32])),
    }
}

struct Rogue {
    runtime: tokio::runtime::Runtime,
    address: String,
    genesis: H256,
    seed: u64,
}

impl Rogue {
    /// Connects a new rogue to Alice, does `misdeed`, and returns its PeerId once Alice has
    /// disconnected it (garbage is sent again every second: gossip needs a moment to mesh).
    fn misbehave(&mut self, alice: &NodeProcess, what: &str, misdeed: Misdeed) -> String {
        let best = alice.best_number();
        let best_hash = parse_hash(&hash_at(alice, best));
        let mut peer = self
            .runtime
            .block_on(TestPeer::connect(
                &self.address,
                self.genesis,
                (best, best_hash),
            ))
            .unwrap_or_else(|e| panic!("{what}: the rogue cannot connect: {e}"));
        let id = peer.peer_id();
        let started = Instant::now();
        let mut outcome = Outcome::StillConnected;
        for _ in 0..15 {
            // Made anew each time, on the best block of the moment, so that the block is
            // refused for what is wrong with it and not for being on an old parent.
            let best = block_at(alice, alice.best_number()).header;
            match misdeed {
                Misdeed::Garbage(protocol) => {
                    let bytes = random_bytes(&mut self.seed, 200);
                    peer.send_garbage(protocol, bytes);
                }
                Misdeed::UndecodableResponse => {
                    let garbage = random_bytes(&mut self.seed, 300);
                    peer.announce(
                        &bad_child(Misdeed::BadSeal, &best),
                        Answer::Garbage(garbage),
                    );
                }
                Misdeed::WrongStateRoot => {
                    // Wait for a slot of Charlie or Dave (not running).
                    while slot_now() % 4 < 2 {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    let best = block_at(alice, alice.best_number()).header;
                    peer.announce(
                        &bad_child(misdeed, &best),
                        Answer::Block(bad_child(misdeed, &best), Vec::new()),
                    );
                }
                Misdeed::BadSeal | Misdeed::FutureSlot => {
                    let header = bad_child(misdeed, &best);
                    peer.announce(&header, Answer::Block(header.clone(), Vec::new()));
                }
            }
            outcome = self.runtime.block_on(peer.run_for(Duration::from_secs(1)));
            if outcome == Outcome::Disconnected {
                break;
            }
        }
        assert_eq!(
            outcome,
            Outcome::Disconnected,
            "{what}: Alice kept the rogue; log:\n{}",
            alice.log_text()
        );
        println!(
            "{what}: disconnected after {} ms",
            started.elapsed().as_millis()
        );
        id
    }
}

#[test]
fn garbage_peers_are_refused_and_the_honest_nodes_carry_on() {
    let (alice_base, bob_base) = (TempDir::new("alice"), TempDir::new("bob"));
    let alice = start_validator("alice", &alice_base, None);
    let bob = start_validator("bob", &bob_base, Some(&address(&alice)));
    for node in [&alice, &bob] {
        node.wait_until("a peer", Duration::from_secs(30), |n| peer_count(n) >= 1);
        node.wait_until("block 1", Duration::from_secs(30), |n| n.best_number() >= 1);
    }
    let seed = 0x5eed_f011_u64;
    println!("garbage seed {seed:#x}");
    let mut rogue = Rogue {
        runtime: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio"),
        address: address(&alice),
        genesis: alice.genesis_hash(),
        seed,
    };
    let height_before = alice.best_number();

    let misdeeds = [
        ("random status", Misdeed::Garbage(Protocol::Status)),
        ("random announcement", Misdeed::Garbage(Protocol::Announces)),
        (
            "random block request",
            Misdeed::Garbage(Protocol::BlockRequests),
        ),
        (
            "random transaction",
            Misdeed::Garbage(Protocol::Transactions),
        ),
        ("undecodable block response", Misdeed::UndecodableResponse),
        ("bad seal", Misdeed::BadSeal),
        ("future slot", Misdeed::FutureSlot),
        ("wrong state root", Misdeed::WrongStateRoot),
    ];
    for (what, misdeed) in misdeeds {
        let id = rogue.misbehave(&alice, what, misdeed);
        // The rogue sees the disconnection first; Alice's log and peer list follow shortly.
        alice.wait_until(
            &format!("{what}: a misbehaviour logged against {id}"),
            Duration::from_secs(5),
            |n| {
                n.log_text()
                    .lines()
                    .any(|line| line.contains("misbehaved") && line.contains(&id))
            },
        );
        alice.wait_until(
            &format!("{what}: {id} gone from system_peers"),
            Duration::from_secs(5),
            |n| !n.rpc("system_peers", json!([])).to_string().contains(&id),
        );
        let log = alice.log_text();
        // Why a block was refused: the check that caught it.
        let reason = match misdeed {
            Misdeed::BadSeal => Some("seal"),
            Misdeed::FutureSlot => Some("in the future"),
            _ => None,
        };
        if let Some(reason) = reason {
            assert!(
                log.lines().any(|line| line.contains(&id)
                    && line.contains("bad block")
                    && line.contains(reason)),
                "{what}: not refused for its {reason}; log:\n{log}"
            );
        }
    }

    // The honest validators go on and agree.
    let target = alice.best_number().max(height_before) + 2;
    for node in [&alice, &bob] {
        node.wait_until("blocks after the garbage", Duration::from_secs(30), |n| {
            n.best_number() >= target
        });
        assert_eq!(peer_count(node), 1, "Alice and Bob are still peers");
    }
    assert_eq!(hash_at(&alice, target), hash_at(&bob, target));
}
