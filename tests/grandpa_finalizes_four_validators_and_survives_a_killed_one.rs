//! Four real validators of `--chain local` (//Alice … //Dave, 2 s Aura slots, each with its
//! `gran` key) on loopback ports 25500-25999 run the GRANDPA voter: `chain_getFinalizedHead`
//! follows the best block within a few blocks, every node agrees on the finalized block (the
//! voter finalizes it, with a `FRNK` justification), a fifth node without a key follows by
//! the commits, and with one validator SIGKILLed the other three (3 of 4 weight, a
//! supermajority) go on finalizing. Prints inclusion→finality p50/p99 and the lag in blocks.

mod common;

use common::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const P2P_BASE: u16 = 25_500;
const RPC_BASE: u16 = 25_600;

fn start_validator(index: usize, base: &TempDir, boot: Option<&str>) -> NodeProcess {
    let port = (P2P_BASE + index as u16).to_string();
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
        "info,folio::grandpa=debug",
    ];
    if let Some(boot) = boot {
        args.extend(["--bootnodes", boot]);
    }
    NodeProcess::start_on(RPC_BASE + index as u16, &args)
}

fn finalized_number(node: &NodeProcess) -> u32 {
    let hash = node.rpc("chain_getFinalizedHead", json!([]));
    number_of(&node.rpc("chain_getHeader", json!([hash])))
}

/// When each block number was first seen best and first seen finalized on `node`, and the
/// best−finalized lag at each sample, over `period`.
struct Watch {
    best_at: BTreeMap<u32, Instant>,
    final_at: BTreeMap<u32, Instant>,
    lags: Vec<u32>,
}

fn watch(node: &NodeProcess, period: Duration, watch: &mut Watch) {
    let started = Instant::now();
    while started.elapsed() < period {
        let best = node.best_number();
        let finalized = finalized_number(node);
        let now = Instant::now();
        watch.best_at.entry(best).or_insert(now);
        for number in 1..=finalized {
            watch.final_at.entry(number).or_insert(now);
        }
        watch.lags.push(best.saturating_sub(finalized));
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn percentile(sorted: &[u128], p: usize) -> u128 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[test]
fn grandpa_finalizes_four_validators_and_survives_a_killed_one() {
    let bases: Vec<TempDir> = NAMES.iter().map(|n| TempDir::new(n)).collect();
    let alice = start_validator(0, &bases[0], None);
    let mut validators = vec![alice];
    for (index, base) in bases.iter().enumerate().skip(1) {
        let boots = validators.iter().map(address).collect::<Vec<_>>().join(",");
        validators.push(start_validator(index, base, Some(&boots)));
    }
    for node in &validators {
        node.wait_until("three peers", Duration::from_secs(20), |n| {
            n.rpc("system_health", json!([]))["peers"].as_u64() >= Some(3)
        });
    }

    // A fifth node without a key observes: it finalizes from the voters' commits.
    let observer_base = TempDir::new("observer");
    let observer_path = observer_base.arg();
    let observer_port = (P2P_BASE + 4).to_string();
    let boots = validators.iter().map(address).collect::<Vec<_>>().join(",");
    let observer = NodeProcess::start_on(
        RPC_BASE + 4,
        &[
            "--chain",
            "local",
            "--base-path",
            &observer_path,
            "--port",
            &observer_port,
            "--bootnodes",
            &boots,
        ],
    );

    // (a) Four voters: finality follows the best block.
    let mut seen = Watch {
        best_at: BTreeMap::new(),
        final_at: BTreeMap::new(),
        lags: Vec::new(),
    };
    validators[0].wait_until("a GRANDPA finalization", Duration::from_secs(20), |n| {
        finalized_number(n) >= 2
    });
    watch(&validators[0], Duration::from_secs(14), &mut seen);
    let finalized = finalized_number(&validators[0]);
    let best = validators[0].best_number();
    assert!(
        finalized + 3 >= best,
        "finalized {finalized} lags best {best}"
    );
    // Every node agrees on the finalized block, and it carries a GRANDPA justification.
    let hash = validators[0].rpc("chain_getBlockHash", json!([finalized]));
    for node in &validators[1..] {
        node.wait_until("the same finalized block", Duration::from_secs(10), |n| {
            finalized_number(n) >= finalized
        });
        assert_eq!(node.rpc("chain_getBlockHash", json!([finalized])), hash);
    }
    observer.wait_until(
        "the observer follows finality",
        Duration::from_secs(15),
        |n| finalized_number(n) >= finalized,
    );
    assert_eq!(observer.rpc("chain_getBlockHash", json!([finalized])), hash);
    // grandpa_roundState: Substrate's ReportedRoundStates of the running voter.
    let rounds = validators[0].rpc("grandpa_roundState", json!([]));
    assert_eq!(rounds["setId"], json!(0), "{rounds}");
    assert!(rounds["best"]["round"].as_u64() >= Some(2), "{rounds}");
    assert_eq!(rounds["best"]["totalWeight"], json!(4), "{rounds}");
    // The finalized head was a commit's target: chain_getBlock shows its FRNK justification.
    let head = validators[0].rpc("chain_getFinalizedHead", json!([]));
    let block = validators[0].rpc("chain_getBlock", json!([head]));
    assert_eq!(
        block["justifications"][0][0],
        json!(b"FRNK"),
        "{}",
        block["justifications"]
    );
    assert!(block["justifications"][0][1]
        .as_array()
        .is_some_and(|j| !j.is_empty()));
    assert!(
        validators[0]
            .log_text()
            .contains("folio::grandpa: finalized"),
        "GRANDPA (not the depth rule) finalizes"
    );

    // (b) Dave is SIGKILLed: three of four voters still finalize.
    validators.remove(3).kill();
    let before = finalized_number(&validators[0]);
    let killed_at = Instant::now();
    let mut after = Watch {
        best_at: BTreeMap::new(),
        final_at: BTreeMap::new(),
        lags: Vec::new(),
    };
    watch(&validators[0], Duration::from_secs(12), &mut after);
    let later = finalized_number(&validators[0]);
    assert!(
        later >= before + 3,
        "finality stalled with 3/4 voters: {before} -> {later} in {:?}",
        killed_at.elapsed()
    );
    for node in &validators[1..] {
        node.wait_until("the others finalize too", Duration::from_secs(10), |n| {
            finalized_number(n) >= later
        });
    }

    let mut latencies: Vec<u128> = seen
        .best_at
        .iter()
        .chain(after.best_at.iter())
        .filter_map(|(number, best)| {
            let done = seen.final_at.get(number).or(after.final_at.get(number))?;
            Some(done.saturating_duration_since(*best).as_millis())
        })
        .collect();
    latencies.sort();
    assert!(latencies.len() >= 5, "{latencies:?}");
    let mut lags = seen.lags.clone();
    lags.sort();
    let mut lags_3 = after.lags.clone();
    lags_3.sort();
    println!(
        "inclusion -> finality (Alice's view, {} blocks): p50 {} ms, p99 {} ms",
        latencies.len(),
        percentile(&latencies, 50),
        percentile(&latencies, 99)
    );
    println!(
        "best - finalized lag in blocks: 4/4 median {} max {}; 3/4 median {} max {}",
        lags[lags.len() / 2],
        lags[lags.len() - 1],
        lags_3[lags_3.len() / 2],
        lags_3[lags_3.len() - 1]
    );
    println!("finalized {before} -> {later} in the 12 s after the kill");
}
