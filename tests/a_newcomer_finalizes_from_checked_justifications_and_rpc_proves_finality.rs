//! Four real `--chain local` validators (2 s slots) on loopback ports 27600-27799 finalize
//! some blocks; then:
//! - `grandpa_subscribeJustifications` sends the SCALE `GrandpaJustification` of each block
//!   GRANDPA finalizes, and it verifies against the set (//Alice … //Dave `gran` keys);
//! - `grandpa_proveFinality(n)` answers Substrate's `FinalityProof { block, justification,
//!   unknown_headers }` that links block n to a justified block, and refuses a block not
//!   final yet;
//! - a newcomer without a key started only now syncs, checks the `FRNK` justifications that
//!   come with the synced blocks and finalizes from them, ending on the validators'
//!   finalized chain. (A forged justification is refused: `folio_finality::synced` tests.)
//! - Alice's Prometheus endpoint serves Substrate's `substrate_block_height` and
//!   `substrate_finality_grandpa_round`.

mod common;

use common::grandpa::*;
use common::*;
use finality_grandpa::voter_set::VoterSet;
use folio_finality::{AuthorityId, GrandpaJustification};
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::keyring::Ed25519Pair;
use parity_scale_codec::{Decode, DecodeAll};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tungstenite::Message;

const P2P_BASE: u16 = 27_600;
const RPC_BASE: u16 = 27_700;
/// Alice's Prometheus endpoint.
const METRICS_PORT: u16 = 27_799;

/// The value of the sample `name` (with its labels) in a scrape.
fn sample(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Substrate's `FinalityProof`, as `grandpa_proveFinality` encodes it.
#[derive(Decode)]
struct FinalityProof {
    block: H256,
    justification: Vec<u8>,
    unknown_headers: Vec<Header>,
}

fn voters() -> VoterSet<AuthorityId> {
    let ids = ["//Alice", "//Bob", "//Charlie", "//Dave"].map(|uri| {
        let pair = Ed25519Pair::from_uri(uri).expect("a dev key");
        (AuthorityId(pair.public()), 1)
    });
    VoterSet::new(ids).expect("a set")
}

fn bytes_of(hex: &Value) -> Vec<u8> {
    let text = hex.as_str().expect("hex").trim_start_matches("0x");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The justification `bytes` proves `hash` (at `number`) final for set 0.
fn assert_proves(bytes: &[u8], hash: H256, number: u32) {
    GrandpaJustification::decode_and_verify(bytes, (hash, number), 0, &voters())
        .unwrap_or_else(|e| panic!("the justification of #{number} does not hold: {e}"));
}

/// The first `grandpa_justifications` notification on `node`.
fn first_justification(node: &NodeProcess) -> Vec<u8> {
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket connects");
    socket
        .send(Message::text(
            json!({"id": 1, "jsonrpc": "2.0", "method": "grandpa_subscribeJustifications", "params": []})
                .to_string(),
        ))
        .expect("send");
    loop {
        let text = match socket.read().expect("socket open") {
            Message::Text(text) => text,
            _ => continue,
        };
        let value: Value = serde_json::from_str(&text).expect("json");
        if value["id"] == json!(1) {
            assert!(value["result"].is_string(), "{value}");
        }
        if value["method"] == json!("grandpa_justifications") {
            return bytes_of(&value["params"]["result"]);
        }
    }
}

#[test]
fn a_newcomer_finalizes_from_checked_justifications_and_rpc_proves_finality() {
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let mut validators = Vec::new();
    let metrics_port = METRICS_PORT.to_string();
    for (index, base) in bases.iter().enumerate() {
        let boots = (!validators.is_empty()).then(|| boot_list(&validators));
        let extra: &[&str] = if index == 0 {
            &["--prometheus-port", &metrics_port]
        } else {
            &[]
        };
        validators.push(start_local(
            Some(NAMES[index]),
            base,
            P2P_BASE + index as u16,
            RPC_BASE + index as u16,
            boots.as_deref(),
            extra,
        ));
    }
    let alice = &validators[0];
    alice.wait_until("GRANDPA finalizes", Duration::from_secs(25), |n| {
        finalized_number(n) >= 3
    });

    // Substrate's metric names: heights and the highest completed GRANDPA round.
    let scrape = metrics(METRICS_PORT);
    let finalized = sample(&scrape, "substrate_block_height{status=\"finalized\"}");
    assert!(finalized >= Some(3), "{scrape}");
    assert!(sample(&scrape, "substrate_block_height{status=\"best\"}") >= finalized);
    assert!(
        sample(&scrape, "substrate_finality_grandpa_round") >= Some(1),
        "{scrape}"
    );

    // The justification of the next block GRANDPA finalizes, as a client receives it.
    let justification = first_justification(alice);
    let decoded = GrandpaJustification::decode_all(&mut &justification[..]).expect("SCALE");
    let target = (decoded.commit.target_hash, decoded.commit.target_number);
    assert_eq!(
        parse_hash(&alice.rpc("chain_getBlockHash", json!([target.1]))),
        target.0
    );
    assert_proves(&justification, target.0, target.1);

    // A proof that block 1 is final: a justified block and the headers from 1 to it.
    let proof = bytes_of(&alice.rpc("grandpa_proveFinality", json!([1])));
    let proof = FinalityProof::decode_all(&mut &proof[..]).expect("a FinalityProof");
    let proved = proof.unknown_headers.last().map_or(1, |h| h.number);
    assert_eq!(
        proof.block,
        parse_hash(&alice.rpc("chain_getBlockHash", json!([proved])))
    );
    let numbers: Vec<u32> = proof.unknown_headers.iter().map(|h| h.number).collect();
    assert_eq!(numbers, (2..=proved).collect::<Vec<_>>());
    let mut parent = parse_hash(&alice.rpc("chain_getBlockHash", json!([1])));
    for header in &proof.unknown_headers {
        assert_eq!(header.parent_hash, parent, "the headers form a chain");
        parent = header.hash();
    }
    assert_proves(&proof.justification, proof.block, proved);
    let not_final = alice.best_number() + 100;
    let error = alice.rpc_error("grandpa_proveFinality", json!([not_final]));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("not finalized")),
        "{error}"
    );

    // A newcomer joins late: it must reach the finalized head by checked justifications.
    let joined_at = finalized_number(alice);
    let newcomer_base = TempDir::new("newcomer");
    let started = Instant::now();
    let newcomer = start_local(
        None,
        &newcomer_base,
        P2P_BASE + 4,
        RPC_BASE + 4,
        Some(&boot_list(&validators)),
        &[],
    );
    newcomer.wait_until(
        "the newcomer reaches the finalized head",
        Duration::from_secs(30),
        |n| finalized_number(n) >= joined_at,
    );
    let caught_up = started.elapsed();
    assert!(
        newcomer
            .log_text()
            .contains("finalized by a synced justification"),
        "the newcomer finalized from the justifications of synced blocks"
    );
    let mut all: Vec<&NodeProcess> = validators.iter().collect();
    all.push(&newcomer);
    assert_no_conflicting_finality(&all);
    println!(
        "newcomer reached finalized #{joined_at} {} ms after it started (validators at #{})",
        caught_up.as_millis(),
        finalized_number(alice)
    );
}
