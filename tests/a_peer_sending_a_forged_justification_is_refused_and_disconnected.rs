//! Real `--chain local` binaries on loopback ports 27900-27999: Alice and Bob (validators)
//! author block #1; a keyless follower that knows no peer is offered that real block by a
//! misbehaving peer (folio-network's test peer) with a forged `FRNK` justification: three
//! precommits for it under Alice's, Bob's and Charlie's `gran` ids, signed by another key.
//! The follower refuses the block, disconnects the peer and finalizes nothing; the same block
//! offered without a justification by another peer is imported (so the justification, not
//! the block, was refused) and still not finalized.

mod common;

use common::grandpa::*;
use common::*;
use finality_grandpa::{Precommit, SignedPrecommit};
use folio_finality::crypto::sign;
use folio_finality::messages::{Commit, Message};
use folio_finality::{AuthorityId, GrandpaJustification, GRANDPA_ENGINE_ID};
use folio_network::test_peer::{Answer, Outcome, TestPeer};
use folio_primitives::header::Header;
use folio_primitives::keyring::Ed25519Pair;
use parity_scale_codec::Encode;
use serde_json::json;
use std::time::Duration;

const P2P_BASE: u16 = 27_900;
const RPC_BASE: u16 = 27_950;

/// A justification of `header` claiming Alice's, Bob's and Charlie's precommits, each signed
/// by //Eve's key instead.
fn forged_justification(header: &Header) -> Vec<u8> {
    let forger = Ed25519Pair::from_uri("//Eve").expect("a key");
    let precommit = Precommit {
        target_hash: header.hash(),
        target_number: header.number,
    };
    let precommits = ["//Alice", "//Bob", "//Charlie"]
        .iter()
        .map(|uri| SignedPrecommit {
            precommit: precommit.clone(),
            signature: sign(&forger, 1, 0, &Message::Precommit(precommit.clone())),
            id: AuthorityId(Ed25519Pair::from_uri(uri).expect("a key").public()),
        })
        .collect();
    GrandpaJustification {
        round: 1,
        commit: Commit {
            target_hash: header.hash(),
            target_number: header.number,
            precommits,
        },
        votes_ancestries: Vec::new(),
    }
    .encode()
}

/// Connects a new test peer to `node`, offers it `answer` for `header` (again every second,
/// as an announce may come before the node listens) and returns how it ended.
fn offer(
    runtime: &tokio::runtime::Runtime,
    node: &NodeProcess,
    header: &Header,
    answer: Answer,
    until_imported: bool,
) -> Outcome {
    let genesis = node.genesis_hash();
    let mut peer = runtime
        .block_on(TestPeer::connect(
            &address(node),
            genesis,
            (header.number, header.hash()),
        ))
        .expect("the test peer connects");
    let mut outcome = Outcome::StillConnected;
    for _ in 0..15 {
        peer.announce(header, answer.clone());
        outcome = runtime.block_on(peer.run_for(Duration::from_secs(1)));
        if outcome == Outcome::Disconnected || (until_imported && node.best_number() >= 1) {
            break;
        }
    }
    outcome
}

#[test]
fn a_peer_sending_a_forged_justification_is_refused_and_disconnected() {
    let alice_base = TempDir::new("alice");
    let alice = start_local(Some("alice"), &alice_base, P2P_BASE, RPC_BASE, None, &[]);
    // A validator alone waits for a peer before it authors: Bob keeps Alice company (two of
    // four: blocks, no finality).
    let bob_base = TempDir::new("bob");
    let _bob = start_local(
        Some("bob"),
        &bob_base,
        P2P_BASE + 2,
        RPC_BASE + 2,
        Some(&address(&alice)),
        &[],
    );
    alice.wait_until("Alice authors #1", Duration::from_secs(30), |n| {
        n.best_number() >= 1
    });
    let block = block_at(&alice, 1);
    let follower_base = TempDir::new("follower");
    let follower = start_local(None, &follower_base, P2P_BASE + 1, RPC_BASE + 1, None, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");

    let forged = Answer::JustifiedBlock(
        block.header.clone(),
        block.extrinsics.clone(),
        vec![(GRANDPA_ENGINE_ID, forged_justification(&block.header))],
    );
    let outcome = offer(&runtime, &follower, &block.header, forged, false);
    assert_eq!(
        outcome,
        Outcome::Disconnected,
        "the follower kept the forger; log:\n{}",
        follower.log_text()
    );
    let log = follower.log_text();
    assert!(
        log.contains("refused a block with a bad justification"),
        "{log}"
    );
    assert_eq!(
        follower.best_number(),
        0,
        "the block came in with the forgery"
    );
    assert_eq!(finalized_number(&follower), 0);
    let genesis = follower.rpc("chain_getBlockHash", json!([0]));
    assert_eq!(follower.rpc("chain_getFinalizedHead", json!([])), genesis);

    // The same block without a justification is fine: it was the justification refused.
    let plain = Answer::Block(block.header.clone(), block.extrinsics.clone());
    let outcome = offer(&runtime, &follower, &block.header, plain, true);
    follower.wait_until("#1 imported", Duration::from_secs(10), |n| {
        n.best_number() >= 1
    });
    assert_eq!(
        follower.rpc("chain_getBlockHash", json!([1])),
        alice.rpc("chain_getBlockHash", json!([1]))
    );
    assert_eq!(finalized_number(&follower), 0, "finalized without a proof");
    println!("forged justification: refused, forger disconnected; the plain block imported ({outcome:?})");
}
