//! `benchmark network` (issue 16, docs/network.md "Figures"): four validators of `--chain local`
//! (//Alice //Bob //Charlie //Dave, 2 s Aura slots) started as child processes of this binary on
//! free loopback ports, Alice the only boot node. In one run it measures blocks per minute with
//! 4/4 and 3/4 validators up, submission on Alice → inclusion seen on Bob (p50/p99), the sync
//! speed of a fresh non-validator node over blocks filled with transfers from the dev accounts,
//! the catch-up time of a SIGKILLed and restarted validator, and each node's peak RSS.

use super::node_process::{free_port, watch_heads, Rpc};
use super::rss;
use crate::cli::NetworkArgs;
use anyhow::Context;
use folio_primitives::crypto::native::{blake2_128, blake2_256, twox_128};
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring;
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use parity_scale_codec::Encode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];
/// `--chain local`'s slot.
const SLOT: Duration = Duration::from_secs(2);
/// Requests kept in flight per connection (under the node's default of 32).
const WINDOW: usize = 16;
/// How long any one wait of the run may take before the run fails.
const PATIENCE: Duration = Duration::from_secs(180);

/// How large the run is; `--smoke` shrinks it to check the benchmark works.
struct Sizes {
    window: Duration,
    samples: u32,
    fill_per_account: u32,
}

impl Sizes {
    fn new(args: &NetworkArgs) -> Self {
        if args.smoke {
            Self {
                window: Duration::from_secs(6),
                samples: 3,
                fill_per_account: 10,
            }
        } else {
            Self {
                window: Duration::from_secs(args.window_secs.max(10)),
                samples: args.samples.max(20),
                fill_per_account: args.transfers_per_account.max(1),
            }
        }
    }
}

/// A node child process with its own base path; killed when dropped.
struct Node {
    name: String,
    args: Vec<String>,
    rpc_port: u16,
    child: Option<Child>,
}

impl Node {
    /// Starts `folio-node --chain local` with `flags` and waits until its RPC answers.
    fn start(name: &str, base: &std::path::Path, flags: &[String]) -> anyhow::Result<Self> {
        let mut args: Vec<String> = ["--chain", "local", "--base-path"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.push(base.display().to_string());
        args.extend(["--port".to_string(), free_port()?.to_string()]);
        args.extend(["--log".to_string(), "warn".to_string()]);
        args.extend(flags.iter().cloned());
        let mut node = Self {
            name: name.to_string(),
            args,
            rpc_port: 0,
            child: None,
        };
        node.spawn()?;
        Ok(node)
    }

    /// Starts the process (again, on the same base path and p2p port) on a fresh RPC port.
    fn spawn(&mut self) -> anyhow::Result<()> {
        self.rpc_port = free_port()?;
        let child = Command::new(std::env::current_exe()?)
            .args(&self.args)
            .args(["--rpc-port", &self.rpc_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", self.name))?;
        self.child = Some(child);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(mut rpc) = Rpc::connect(&self.url()) {
                rpc.call("state_getRuntimeVersion", json!([]))?;
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "{} did not answer within {PATIENCE:?}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.rpc_port)
    }

    fn rpc(&self) -> anyhow::Result<Rpc> {
        Rpc::connect(&self.url())
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL, no clean shutdown.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> anyhow::Result<Self> {
        let path = std::env::temp_dir().join(format!(
            "folio-benchmark-network-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn number_of(header: &Value) -> Option<u64> {
    header
        .get("number")
        .and_then(Value::as_str)
        .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
}

fn best(rpc: &mut Rpc) -> anyhow::Result<u64> {
    number_of(&rpc.call("chain_getHeader", json!([]))?).context("a header has a number")
}

fn peers(rpc: &mut Rpc) -> anyhow::Result<usize> {
    Ok(rpc
        .call("system_peers", json!([]))?
        .as_array()
        .map_or(0, Vec::len))
}

/// Polls `check` every 20 ms until it holds.
fn wait_for(what: &str, mut check: impl FnMut() -> anyhow::Result<bool>) -> anyhow::Result<()> {
    let deadline = Instant::now() + PATIENCE;
    while !check()? {
        anyhow::ensure!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// Blocks per minute `rpc`'s node imports over `window`.
fn blocks_per_minute(rpc: &mut Rpc, window: Duration) -> anyhow::Result<f64> {
    let from = best(rpc)?;
    let started = Instant::now();
    std::thread::sleep(window);
    let to = best(rpc)?;
    Ok(to.saturating_sub(from) as f64 * 60.0 / started.elapsed().as_secs_f64())
}

/// `System.Account` key of `who`.
fn account_key(who: Keyring) -> String {
    let id = who.account_id().0;
    let mut key = twox_128(b"System").to_vec();
    key.extend(twox_128(b"Account"));
    key.extend(blake2_128(&id));
    key.extend(id);
    format!("0x{}", hex::encode(key))
}

/// `who`'s nonce in the best state.
fn nonce(rpc: &mut Rpc, who: Keyring) -> anyhow::Result<u32> {
    let value = rpc.call("state_getStorage", json!([account_key(who)]))?;
    let Some(hex) = value.as_str() else {
        return Ok(0);
    };
    let bytes = hex::decode(hex.trim_start_matches("0x"))?;
    let first: [u8; 4] = bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .context("an account starts with its nonce")?;
    Ok(u32::from_le_bytes(first))
}

/// A signed transfer of a tiny amount from `from` to `to`.
fn transfer(genesis: H256, from: Keyring, to: Keyring, nonce: u32) -> String {
    let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(to.account_id()),
        value: 1_000_000,
    });
    let xt = folio_runtime::signing::sign_immortal(
        &from.pair(),
        call,
        nonce,
        genesis,
        folio_runtime::SPEC_VERSION,
    );
    format!("0x{}", hex::encode(xt.encode()))
}

/// The pool is full or the server busy: the same transfer is sent again a little later.
fn is_retryable(error: &Value) -> bool {
    matches!(
        error.get("code").and_then(Value::as_i64),
        Some(1016 | -32009)
    )
}

/// Submits `transfers` in order over one connection, WINDOW in flight, resending those the
/// full pool dropped.
fn submit_all(url: &str, transfers: &[String]) -> anyhow::Result<()> {
    let mut rpc = Rpc::connect(url)?;
    let mut in_flight: HashMap<u64, usize> = HashMap::new();
    let mut next = 0;
    while next < transfers.len() || !in_flight.is_empty() {
        while let Some(transfer) = transfers.get(next).filter(|_| in_flight.len() < WINDOW) {
            let id = rpc.send("author_submitExtrinsic", json!([transfer]))?;
            in_flight.insert(id, next);
            next += 1;
        }
        let message = rpc.next_message()?;
        let Some(index) = message
            .get("id")
            .and_then(Value::as_u64)
            .and_then(|id| in_flight.remove(&id))
        else {
            continue;
        };
        match message.get("error") {
            None => {}
            Some(error) if is_retryable(error) => {
                std::thread::sleep(Duration::from_millis(50));
                let transfer = transfers.get(index).context("a transfer sent before")?;
                let id = rpc.send("author_submitExtrinsic", json!([transfer]))?;
                in_flight.insert(id, index);
            }
            Some(error) => anyhow::bail!("a transfer was refused: {error}"),
        }
    }
    Ok(())
}

/// The extrinsic hashes of block `number` on `rpc`'s node.
fn extrinsic_hashes(rpc: &mut Rpc, number: u64) -> anyhow::Result<Vec<H256>> {
    let hash = rpc.call("chain_getBlockHash", json!([number]))?;
    let block = rpc.call("chain_getBlock", json!([hash]))?;
    block
        .pointer("/block/extrinsics")
        .and_then(Value::as_array)
        .context("a block has extrinsics")?
        .iter()
        .map(|xt| {
            let bytes = hex::decode(xt.as_str().unwrap_or_default().trim_start_matches("0x"))?;
            Ok(H256(blake2_256(&bytes)))
        })
        .collect()
}

/// Submission on `a` → the including block announced on `b`, one transfer from `sender` every
/// 700 ms (not a divisor of the slot, so submissions fall at every point of it).
fn inclusion_latencies(
    a: &Node,
    b: &Node,
    genesis: H256,
    sender: Keyring,
    samples: u32,
) -> anyhow::Result<Vec<Duration>> {
    let heads = watch_heads(&b.url())?;
    let mut on_a = a.rpc()?;
    let mut on_b = b.rpc()?;
    let first_nonce = nonce(&mut on_a, sender)?;
    let from = best(&mut on_b)?.saturating_add(1);
    let mut submitted = Vec::new();
    for k in 0..samples {
        let xt = transfer(genesis, sender, Keyring::Bob, first_nonce + k);
        let bytes = hex::decode(xt.trim_start_matches("0x"))?;
        let at = Instant::now();
        on_a.call("author_submitExtrinsic", json!([xt]))?;
        submitted.push((H256(blake2_256(&bytes)), at));
        std::thread::sleep(Duration::from_millis(700));
    }
    wait_for("the samples included on B", || {
        Ok(nonce(&mut on_b, sender)? >= first_nonce + samples)
    })?;
    let to = best(&mut on_b)?;
    let mut included = HashMap::new();
    for number in from..=to {
        for hash in extrinsic_hashes(&mut on_b, number)? {
            included.insert(hash, number);
        }
    }
    let announced = heads
        .lock()
        .map_err(|_| anyhow::anyhow!("the head watcher failed"))?
        .clone();
    let mut latencies = submitted
        .iter()
        .map(|(hash, at)| {
            let number = included.get(hash).context("every sample is in a block")?;
            let shown = announced
                .get(number)
                .with_context(|| format!("block #{number} was announced on B"))?;
            Ok(shown.saturating_duration_since(*at))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    latencies.sort();
    Ok(latencies)
}

/// The `i`th of the nodes started (the benchmark starts them in a fixed order).
fn nth(nodes: &[Node], i: usize) -> anyhow::Result<&Node> {
    nodes
        .get(i)
        .with_context(|| format!("node {i} was not started"))
}

fn nth_mut(nodes: &mut [Node], i: usize) -> anyhow::Result<&mut Node> {
    nodes
        .get_mut(i)
        .with_context(|| format!("node {i} was not started"))
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let at = (sorted.len().saturating_sub(1) as f64 * q).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

/// Fills blocks: each of the four endowed dev accounts sends `per_account` transfers to the
/// next, over its own connection to its own validator. Returns (transfers, blocks they took).
fn fill_blocks(validators: &[Node], genesis: H256, per_account: u32) -> anyhow::Result<(u64, u64)> {
    let senders = &Keyring::ALL[..4];
    let mut rpc = nth(validators, 0)?.rpc()?;
    let from = best(&mut rpc)?;
    let mut targets = Vec::new();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let mut workers = Vec::new();
        for (i, sender) in senders.iter().enumerate() {
            let first = nonce(&mut rpc, *sender)?;
            targets.push((*sender, first + per_account));
            let receiver = *senders.get((i + 1) % senders.len()).context("a receiver")?;
            let transfers: Vec<String> = (0..per_account)
                .map(|k| transfer(genesis, *sender, receiver, first + k))
                .collect();
            let url = nth(validators, i % validators.len())?.url();
            workers.push(scope.spawn(move || submit_all(&url, &transfers)));
        }
        for worker in workers {
            worker
                .join()
                .map_err(|_| anyhow::anyhow!("a submitter panicked"))??;
        }
        Ok(())
    })?;
    wait_for("the filling transfers included", || {
        for (sender, target) in &targets {
            if nonce(&mut rpc, *sender)? < *target {
                return Ok(false);
            }
        }
        Ok(true)
    })?;
    let to = best(&mut rpc)?;
    Ok((
        u64::from(per_account) * senders.len() as u64,
        to.saturating_sub(from),
    ))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub fn run(args: &NetworkArgs) -> anyhow::Result<()> {
    let sizes = Sizes::new(args);
    println!(
        "network: 4 validators of --chain local (2 s slots, {:.0} slots/min) on loopback; load average {}",
        60.0 / SLOT.as_secs_f64(),
        load_average()
    );
    let bases = NAMES
        .iter()
        .map(|n| TempDir::new(n))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // The pool may hold more per sender than a public node's default, so blocks fill up.
    let validator_flags = |name: &str, boot: Option<&str>| -> Vec<String> {
        let mut flags = vec![
            format!("--{name}"),
            "--pool-sender-limit".into(),
            "8192".into(),
            "--pool-future-limit".into(),
            "8192".into(),
        ];
        if let Some(boot) = boot {
            flags.extend(["--bootnodes".to_string(), boot.to_string()]);
        }
        flags
    };
    let mut validators = vec![Node::start(
        "alice",
        &bases.first().context("Alice's base path")?.0,
        &validator_flags("alice", None),
    )?];
    let boot = nth(&validators, 0)?
        .rpc()?
        .call("system_localListenAddresses", json!([]))?
        .get(0)
        .and_then(Value::as_str)
        .context("Alice listens")?
        .to_string();
    for (name, base) in NAMES.iter().zip(&bases).skip(1) {
        validators.push(Node::start(
            name,
            &base.0,
            &validator_flags(name, Some(&boot)),
        )?);
    }
    for node in &validators {
        let mut rpc = node.rpc()?;
        wait_for("three peers each", || Ok(peers(&mut rpc)? == 3))?;
    }
    let genesis: H256 = nth(&validators, 0)?
        .rpc()?
        .call("chain_getBlockHash", json!([0]))?
        .as_str()
        .and_then(|s| s.parse().ok())
        .context("a genesis hash")?;

    let per_min_4 = blocks_per_minute(&mut nth(&validators, 0)?.rpc()?, sizes.window)?;
    println!(
        "  blocks/min 4/4 up: {per_min_4:.1} over {:.0} s",
        sizes.window.as_secs_f64()
    );

    let latencies = inclusion_latencies(
        nth(&validators, 0)?,
        nth(&validators, 1)?,
        genesis,
        Keyring::Alice,
        sizes.samples,
    )?;
    println!(
        "  submit on Alice -> inclusion seen on Bob: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({} samples)",
        quantile(&latencies, 0.5).as_secs_f64() * 1e3,
        quantile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        latencies.len()
    );

    let filled = Instant::now();
    let (transfers, fill_blocks_used) = fill_blocks(&validators, genesis, sizes.fill_per_account)?;
    println!(
        "  filled: {transfers} transfers in {fill_blocks_used} blocks ({:.0} per block) in {:.1} s",
        transfers as f64 / fill_blocks_used.max(1) as f64,
        filled.elapsed().as_secs_f64()
    );

    // A fresh non-validator node joins and syncs the whole chain.
    let tip = best(&mut nth(&validators, 0)?.rpc()?)?;
    let chain_transfers = transfers + u64::from(sizes.samples);
    let fresh_base = TempDir::new("fresh")?;
    let spawned = Instant::now();
    let fresh = Node::start(
        "fresh",
        &fresh_base.0,
        &["--bootnodes".to_string(), boot.clone()],
    )?;
    let answered = spawned.elapsed();
    let mut fresh_rpc = fresh.rpc()?;
    wait_for("the fresh node at the tip", || {
        Ok(best(&mut fresh_rpc)? >= tip)
    })?;
    let synced = spawned.elapsed();
    // Rates over the whole time from process start (its start-up included): the node may have
    // synced most of the chain before its RPC answers.
    let syncing = synced.as_secs_f64().max(1e-9);
    println!(
        "  fresh node synced {tip} blocks ({chain_transfers} transfers) in {:.2} s from process start \
         (RPC answered after {:.2} s): {:.1} blocks/s, {:.0} transfers/s",
        synced.as_secs_f64(),
        answered.as_secs_f64(),
        tip as f64 / syncing,
        chain_transfers as f64 / syncing
    );

    // Dave is SIGKILLed: three validators go on.
    let rss_before_kill: Vec<(String, f64)> = validators
        .iter()
        .map(|n| (n.name.clone(), rss::peak_mib(n.pid())))
        .collect();
    let killed_at = best(&mut nth(&validators, 0)?.rpc()?)?;
    nth_mut(&mut validators, 3)?.kill();
    let per_min_3 = blocks_per_minute(&mut nth(&validators, 0)?.rpc()?, sizes.window)?;
    println!(
        "  blocks/min 3/4 up: {per_min_3:.1} over {:.0} s (3/4 of the slot rate is {:.1})",
        sizes.window.as_secs_f64(),
        45.0 / SLOT.as_secs_f64()
    );

    // Restarted on its base path, Dave catches up.
    let target = best(&mut nth(&validators, 0)?.rpc()?)?;
    let down = target.saturating_sub(killed_at);
    let restarted = Instant::now();
    nth_mut(&mut validators, 3)?.spawn()?;
    let mut dave = nth(&validators, 3)?.rpc()?;
    wait_for("Dave caught up", || Ok(best(&mut dave)? >= target))?;
    println!(
        "  restarted validator (down {down} blocks) caught up to #{target} in {:.0} ms (process start included)",
        restarted.elapsed().as_secs_f64() * 1e3
    );

    let rss: Vec<String> = rss_before_kill
        .iter()
        .map(|(name, mib)| format!("{name} {mib:.0}"))
        .chain([format!("fresh {:.0}", rss::peak_mib(fresh.pid()))])
        .collect();
    println!("  peak RSS MiB: {}", rss.join(", "));
    println!("  load average at the end {}", load_average());
    Ok(())
}
