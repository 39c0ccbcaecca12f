//! `benchmark attacks` (docs/security.md): the attacks of the hardening review, each run over
//! RPC against a node started by this binary, as a public node serves them (`--rpc-methods
//! safe`, instant sealing). For each: the node's answer, the time it took, the node's peak
//! resident memory during the attack, and whether an honest transfer submitted meanwhile was
//! included (and how long it took). The tests assert the bounds; this prints the figures.

use super::load::Load;
use super::node_process::{start_node, NodeUnderTest, Rpc};
use crate::cli::AttacksArgs;
use anyhow::Context;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How long an honest transfer may take to reach a block before it counts as shut out.
const INCLUSION_DEADLINE: Duration = Duration::from_secs(30);

/// How large each attack is; `--smoke` shrinks the expensive ones.
struct Sizes {
    account_text_bytes: usize,
    code_copies: usize,
    keys: usize,
    pipelined_calls: usize,
    future_transfers: u32,
}

impl Sizes {
    fn new(smoke: bool) -> Self {
        if smoke {
            Self {
                account_text_bytes: 64 * 1024,
                code_copies: 20,
                keys: 20_000,
                pipelined_calls: 200,
                future_transfers: 600,
            }
        } else {
            Self {
                account_text_bytes: 1024 * 1024,
                code_copies: 300,
                keys: 20_000,
                pipelined_calls: 2_000,
                future_transfers: 8_192,
            }
        }
    }
}

/// What one attack showed.
struct Outcome {
    attack: String,
    answer: String,
    took: Duration,
    peak_rss_mib: f64,
    honest: Option<Duration>,
}

pub fn run(args: &AttacksArgs) -> anyhow::Result<()> {
    let sizes = Sizes::new(args.smoke);
    // Sender 0 floods the pool; each attack's honest transfer comes from a sender of its own.
    let load = Load::new(16, 16)?;
    let node = start_node(&load, "instant", "safe", &[])?;
    let pid = node.child.id();
    println!(
        "node: --dev genesis plus 16 senders, --rpc-methods safe, instant sealing; \
         peak RSS at start {:.0} MiB",
        super::rss::peak_mib(Some(pid))
    );
    let attacks: [(&str, AttackFn); 6] = [
        (
            "system_accountNextIndex, two overlong strings at once",
            overlong_account_text,
        ),
        ("state_queryStorageAt, copies of :code", many_code_copies),
        ("state_queryStorageAt, too many keys", too_many_keys),
        (
            "state_call Core_execute_block on safe RPC",
            internal_entry_point,
        ),
        (
            "one connection pipelines state_call Core_version",
            pipelined_calls,
        ),
        (
            "one account floods the pool with far-future nonces",
            pool_flood,
        ),
    ];
    for (index, (name, attack)) in attacks.iter().enumerate() {
        super::rss::reset_peak(Some(pid));
        let honest = load.transfer(u32::try_from(index)?.saturating_add(1), 0)?;
        let outcome = run_attack(name, *attack, &node, &load, &sizes, &honest)
            .with_context(|| format!("attack {name:?}"))?;
        print_outcome(&outcome);
    }
    Ok(())
}

/// An attack: returns its answer (an error code, or what was accepted) and leaves the honest
/// transfer's inclusion to `run_attack`.
type AttackFn = fn(&NodeUnderTest, &Load, &Sizes) -> anyhow::Result<String>;

/// Runs `attack` while an honest transfer is submitted and watched on another connection.
fn run_attack(
    name: &str,
    attack: AttackFn,
    node: &NodeUnderTest,
    load: &Load,
    sizes: &Sizes,
    honest: &OpaqueExtrinsic,
) -> anyhow::Result<Outcome> {
    std::thread::scope(|scope| {
        let attacker = scope.spawn(|| {
            let started = Instant::now();
            attack(node, load, sizes).map(|answer| (answer, started.elapsed()))
        });
        // Give the attack a head start, so the honest transfer meets it.
        std::thread::sleep(Duration::from_millis(50));
        let honest = watch_inclusion(&node.url, honest)?;
        let (answer, took) = attacker
            .join()
            .map_err(|_| anyhow::anyhow!("the attacker thread panicked"))??;
        Ok(Outcome {
            attack: name.to_string(),
            answer,
            took,
            peak_rss_mib: super::rss::peak_mib(Some(node.child.id())),
            honest,
        })
    })
}

/// Submits `xt` with `author_submitAndWatchExtrinsic`; the time until it is in a block, or
/// `None` if it is refused or not included within the deadline.
fn watch_inclusion(url: &str, xt: &OpaqueExtrinsic) -> anyhow::Result<Option<Duration>> {
    let mut rpc = Rpc::connect(url)?;
    rpc.set_read_timeout(Duration::from_secs(1))?;
    let started = Instant::now();
    let hex = format!("0x{}", hex::encode(xt.as_bytes()));
    let answer = rpc.answer("author_submitAndWatchExtrinsic", json!([hex]))?;
    if answer.get("error").is_some() {
        return Ok(None);
    }
    while started.elapsed() < INCLUSION_DEADLINE {
        let message = match rpc.next_message() {
            Ok(message) => message,
            // The read timeout: nothing yet, wait on.
            Err(e) if is_timeout(&e) => continue,
            // The connection is gone: no status will come.
            Err(_) => return Ok(None),
        };
        let status = message.pointer("/params/result");
        if status.and_then(|s| s.get("inBlock")).is_some() {
            return Ok(Some(started.elapsed()));
        }
        if status.is_some_and(|s| s.get("dropped").is_some() || s.get("invalid").is_some()) {
            return Ok(None);
        }
    }
    Ok(None)
}

/// Whether `error` is a read that timed out (the socket's read timeout), not a failure.
fn is_timeout(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<tungstenite::Error>(),
        Some(tungstenite::Error::Io(io))
            if matches!(io.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
    )
}

/// The error code of an answer, or "ok".
fn code_of(answer: &Value) -> String {
    match answer.pointer("/error/code").and_then(Value::as_i64) {
        Some(code) => format!("error {code}"),
        None => "ok".to_string(),
    }
}

/// Two connections each ask for the nonce of a long string (base58 decoding is quadratic);
/// a third times `system_health` meanwhile.
fn overlong_account_text(
    node: &NodeUnderTest,
    _load: &Load,
    sizes: &Sizes,
) -> anyhow::Result<String> {
    let text = "1".repeat(sizes.account_text_bytes);
    std::thread::scope(|scope| {
        let attackers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<Value> {
                    Rpc::connect(&node.url)?.answer("system_accountNextIndex", json!([text]))
                })
            })
            .collect();
        let health_started = Instant::now();
        Rpc::connect(&node.url)?.call("system_health", json!([]))?;
        let health = health_started.elapsed();
        let mut codes = Vec::new();
        for attacker in attackers {
            let answer = attacker
                .join()
                .map_err(|_| anyhow::anyhow!("an attacker panicked"))??;
            codes.push(code_of(&answer));
        }
        Ok(format!(
            "{} ({} KiB each); system_health meanwhile {:.1} ms",
            codes.join(", "),
            sizes.account_text_bytes / 1024,
            health.as_secs_f64() * 1e3
        ))
    })
}

/// The runtime's code, read many times in one answer.
fn many_code_copies(node: &NodeUnderTest, _load: &Load, sizes: &Sizes) -> anyhow::Result<String> {
    let code_key = format!("0x{}", hex::encode(b":code"));
    let keys = vec![code_key; sizes.code_copies];
    let answer = Rpc::connect(&node.url)?.answer("state_queryStorageAt", json!([keys]))?;
    Ok(format!(
        "{} ({} copies)",
        code_of(&answer),
        sizes.code_copies
    ))
}

/// More keys than one request may name.
fn too_many_keys(node: &NodeUnderTest, _load: &Load, sizes: &Sizes) -> anyhow::Result<String> {
    let keys: Vec<String> = (0..sizes.keys)
        .map(|i| format!("0x{}", hex::encode((i as u64).to_le_bytes())))
        .collect();
    let answer = Rpc::connect(&node.url)?.answer("state_queryStorageAt", json!([keys]))?;
    Ok(format!("{} ({} keys)", code_of(&answer), sizes.keys))
}

/// A node-internal runtime entry point, asked for on safe RPC.
fn internal_entry_point(
    node: &NodeUnderTest,
    _load: &Load,
    _sizes: &Sizes,
) -> anyhow::Result<String> {
    let answer =
        Rpc::connect(&node.url)?.answer("state_call", json!(["Core_execute_block", "0x00"]))?;
    Ok(code_of(&answer))
}

/// Many runtime calls sent on one connection before any answer is read.
fn pipelined_calls(node: &NodeUnderTest, _load: &Load, sizes: &Sizes) -> anyhow::Result<String> {
    let mut rpc = Rpc::connect(&node.url)?;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..sizes.pipelined_calls {
        ids.insert(rpc.send("state_call", json!(["Core_version", "0x"]))?);
    }
    let (mut served, mut busy, mut other) = (0usize, 0usize, 0usize);
    while !ids.is_empty() {
        let message = rpc.next_message()?;
        let Some(id) = message.get("id").and_then(Value::as_u64) else {
            continue;
        };
        if !ids.remove(&id) {
            continue;
        }
        match message.pointer("/error/code").and_then(Value::as_i64) {
            None => served += 1,
            Some(-32009) => busy += 1,
            Some(_) => other += 1,
        }
    }
    Ok(format!(
        "{served} served, {busy} refused busy (-32009), {other} other errors, of {}",
        sizes.pipelined_calls
    ))
}

/// One sender's transfers with nonces far beyond its next one: they can never be ready.
fn pool_flood(node: &NodeUnderTest, load: &Load, sizes: &Sizes) -> anyhow::Result<String> {
    let flood = load.transfers_with_nonces(0, 1_000..1_000 + sizes.future_transfers)?;
    let mut rpc = Rpc::connect(&node.url)?;
    let (mut accepted, mut refused) = (0usize, std::collections::BTreeMap::<i64, usize>::new());
    for xt in &flood {
        let hex = format!("0x{}", hex::encode(xt.as_bytes()));
        let answer = rpc.answer("author_submitExtrinsic", json!([hex]))?;
        match answer.pointer("/error/code").and_then(Value::as_i64) {
            None => accepted += 1,
            Some(code) => *refused.entry(code).or_default() += 1,
        }
    }
    let refused: Vec<String> = refused
        .iter()
        .map(|(code, n)| format!("{n} refused with {code}"))
        .collect();
    Ok(format!(
        "{accepted} accepted, {} of {}",
        if refused.is_empty() {
            "none refused".to_string()
        } else {
            refused.join(", ")
        },
        sizes.future_transfers
    ))
}

fn print_outcome(outcome: &Outcome) {
    let honest = match outcome.honest {
        Some(took) => format!("included in {:.0} ms", took.as_secs_f64() * 1e3),
        None => "NOT included".to_string(),
    };
    println!(
        "attack: {}\n  answer: {}\n  took {:.0} ms; node peak RSS {:.0} MiB; honest transfer: {honest}",
        outcome.attack,
        outcome.answer,
        outcome.took.as_secs_f64() * 1e3,
        outcome.peak_rss_mib,
    );
}
