//! Every `folio-node benchmark` subcommand runs in its tiny smoke mode, so they keep working
//! (docs/benchmarks.md). Nothing here asserts a timing: only that each run completes, measures
//! what it says (every figure present and positive) and reports it beside its floor.

mod common;

use common::node_binary;
use std::process::Command;

/// Runs `folio-node benchmark <args> --smoke` and returns what it printed.
fn smoke(args: &[&str]) -> String {
    let output = Command::new(node_binary())
        .arg("benchmark")
        .args(args)
        .arg("--smoke")
        .output()
        .expect("folio-node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "benchmark {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The numbers on the first line containing `label`, in order.
fn figures(output: &str, label: &str) -> Vec<f64> {
    let line = output
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line with {label:?} in:\n{output}"));
    line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|word| word.trim_matches('.').parse::<f64>().ok())
        .collect()
}

fn assert_floor_measured(output: &str) {
    let one = figures(output, "one core:");
    let all = figures(output, "cores:");
    assert_eq!(one.len(), 2, "single and batched on one core: {one:?}");
    assert!(one.iter().all(|rate| *rate > 0.0), "{one:?}");
    assert!(all.iter().skip(1).all(|rate| *rate > 0.0), "{all:?}");
}

#[test]
fn verify_reports_single_and_batched_rates() {
    let output = smoke(&["verify"]);
    assert_floor_measured(&output);
}

#[test]
fn import_reports_its_rate_against_the_floor_and_native_execution() {
    let output = smoke(&["import"]);
    assert_floor_measured(&output);
    assert!(output.contains("accounts in state"), "{output}");
    let import = figures(&output, "import ");
    assert!(import[0] > 0.0, "transfers per second: {import:?}");
    let wasm = figures(&output, "wasm execution");
    assert!(
        wasm.len() >= 3 && wasm[1] > 0.0,
        "wasm/native ratio: {wasm:?}"
    );
    assert!(figures(&output, "peak RSS")[0] > 0.0);
}

#[test]
fn import_runs_with_every_lever_off() {
    let output = smoke(&[
        "import",
        "--disable",
        "parallel-batch-verification,flat-reads,one-instance-per-block,reuse-pool-signatures,\
         batched-pool-validation",
    ]);
    assert!(
        output.contains("parallel_batch_verification: false"),
        "{output}"
    );
    assert!(figures(&output, "import ")[0] > 0.0);
}

#[test]
fn authoring_reports_pool_admission_and_block_building() {
    let output = smoke(&["authoring"]);
    assert_floor_measured(&output);
    assert!(figures(&output, "authoring ")[0] > 0.0, "{output}");
    let parts = figures(&output, "pool admission");
    assert!(
        parts.iter().all(|f| *f >= 0.0) && parts[0] > 0.0,
        "{parts:?}"
    );
}

#[test]
fn authoring_runs_without_batched_pool_validation() {
    let output = smoke(&["authoring", "--disable", "batched-pool-validation"]);
    assert!(
        output.contains("batched_pool_validation: false"),
        "{output}"
    );
    assert!(figures(&output, "authoring ")[0] > 0.0, "{output}");
}

#[test]
fn end_to_end_with_interval_sealing_includes_every_transfer() {
    let output = smoke(&["end-to-end", "--sealing", "interval=100"]);
    assert!(output.contains("sealing interval=100"), "{output}");
    for phase in ["saturation", "half load"] {
        let numbers = figures(&output, phase);
        assert_eq!(numbers[0], 300.0, "every transfer counted: {numbers:?}");
    }
}

#[test]
fn end_to_end_counts_included_transfers_and_latency() {
    let output = smoke(&["end-to-end"]);
    assert_floor_measured(&output);
    for phase in ["saturation", "half load"] {
        let numbers = figures(&output, phase);
        assert_eq!(
            numbers[0], 300.0,
            "every transfer of the phase counted (150 per connection, over the node's default \
             limit of 32 in flight): {numbers:?}"
        );
        assert!(numbers[2] > 0.0, "transfers per second: {numbers:?}");
    }
    assert!(output.contains("p99"), "{output}");
    assert!(figures(&output, "node peak RSS")[0] > 0.0);
}

#[test]
fn attacks_are_refused_and_honest_transfers_still_included() {
    let output = smoke(&["attacks"]);
    let attacks = output.matches("attack: ").count();
    assert_eq!(attacks, 6, "six attacks:\n{output}");
    assert_eq!(
        output.matches("honest transfer: included in").count(),
        attacks,
        "an honest transfer made during each attack is included:\n{output}"
    );
    for refusal in [
        "error -32602, error -32602",
        "error -32008",
        "error -32602 (20000 keys)",
        "error -32601",
        "refused with 1016",
    ] {
        assert!(output.contains(refusal), "{refusal} missing:\n{output}");
    }
}

#[test]
fn network_reports_every_figure_of_four_validators() {
    let output = smoke(&["network"]);
    // "blocks/min 4/4 up: 30.0 over 60 s": the rate is the third number on its line.
    assert!(figures(&output, "blocks/min 4/4 up")[2] > 0.0, "{output}");
    assert!(figures(&output, "blocks/min 3/4 up")[2] > 0.0, "{output}");
    // "p50 1028 ms, p99 1633 ms, max 1633 ms (3 samples)": the labels' digits come first.
    let latency = figures(&output, "inclusion seen on Bob");
    let (p50, p99) = (latency[1], latency[3]);
    assert!(p50 > 0.0 && p99 >= p50, "p50 {p50}, p99 {p99}: {latency:?}");
    let sync = figures(&output, "fresh node synced");
    assert!(sync[0] > 0.0 && sync.iter().all(|f| *f > 0.0), "{sync:?}");
    assert!(
        output.contains("restarted validator (down") && output.contains("caught up to #"),
        "{output}"
    );
    let rss = figures(&output, "peak RSS MiB");
    assert_eq!(rss.len(), 5, "four validators and the fresh node: {rss:?}");
    assert!(rss.iter().all(|mib| *mib > 0.0), "{rss:?}");
}
