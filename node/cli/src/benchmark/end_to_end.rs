//! `benchmark end-to-end` (DESIGN.md §9): this binary started as a node (a child process, with
//! a genesis of pre-funded accounts), and clients that submit pre-signed transfers over
//! WebSocket (`author_submitExtrinsic`). A transfer counts when it is in a block whose events
//! record its success; its latency is from its submission to that block's announcement on a
//! `chain_subscribeNewHeads` subscription.
//!
//! Two phases, each with its own senders: *saturation* submits as fast as the clients can and
//! gives the sustained rate; *half load* then submits at half that rate and gives the latency
//! (p50/p99) an operator sees at a comfortable load.

use super::load::Load;
use super::rss;
use super::verify;
use crate::cli::EndToEndArgs;
use anyhow::Context;
use folio_chain::ChainType;
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_runtime::RuntimeEvent;
use parity_scale_codec::Decode;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Requests one connection keeps in flight.
const WINDOW: usize = 256;
/// How long to wait for the last transfers to be included.
const SETTLE: Duration = Duration::from_secs(60);

/// A JSON-RPC connection over WebSocket that matches answers to requests by id.
struct Rpc {
    socket: Socket,
    next_id: u64,
}

impl Rpc {
    fn connect(url: &str) -> anyhow::Result<Self> {
        let (socket, _) =
            tungstenite::connect(url).with_context(|| format!("connecting to {url}"))?;
        Ok(Self { socket, next_id: 1 })
    }

    fn send(&mut self, method: &str, params: Value) -> anyhow::Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.socket.send(Message::text(request.to_string()))?;
        Ok(id)
    }

    /// The next JSON message (an answer or a notification).
    fn next_message(&mut self) -> anyhow::Result<Value> {
        loop {
            match self.socket.read()? {
                Message::Text(text) => return Ok(serde_json::from_str(text.as_str())?),
                Message::Close(_) => anyhow::bail!("the node closed the connection"),
                _ => {}
            }
        }
    }

    fn call(&mut self, method: &str, params: Value) -> anyhow::Result<Value> {
        let id = self.send(method, params)?;
        loop {
            let message = self.next_message()?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    anyhow::bail!("{method} failed: {error}");
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }
}

/// The node under test, killed when dropped.
struct NodeUnderTest {
    child: Child,
    url: String,
    _dir: TempDir,
}

impl Drop for NodeUnderTest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A directory removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn start_node(load: &Load, sealing: &str) -> anyhow::Result<NodeUnderTest> {
    let dir = TempDir(std::env::temp_dir().join(format!(
        "folio-benchmark-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    )));
    std::fs::create_dir_all(&dir.0)?;
    let spec = crate::specs::spec_with_patch(
        "Folio benchmark",
        "folio_benchmark",
        ChainType::Development,
        serde_json::to_value(&load.config)?,
    )?;
    let spec_path = dir.0.join("spec.json");
    std::fs::write(&spec_path, spec.to_json()?)?;
    let port = free_port()?;
    let child = Command::new(std::env::current_exe()?)
        .arg("--chain")
        .arg(&spec_path)
        .args([
            "--tmp",
            "--sealing",
            sealing,
            "--rpc-methods",
            "unsafe",
            "--log",
            "warn",
        ])
        .args(["--rpc-port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the node")?;
    let node = NodeUnderTest {
        child,
        url: format!("ws://127.0.0.1:{port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(mut rpc) = Rpc::connect(&node.url) {
            let genesis = rpc.call("chain_getBlockHash", json!([0]))?;
            anyhow::ensure!(
                genesis.as_str() == Some(format!("{:?}", load.genesis_hash).as_str()),
                "the node's genesis {genesis} is not the load's {:?}",
                load.genesis_hash
            );
            // Wait until the node has compiled its runtime, which it does once at start.
            rpc.call("state_getRuntimeVersion", json!([]))?;
            return Ok(node);
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the node did not answer within 120 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// When each block was announced, by number.
type Announcements = Arc<Mutex<HashMap<u64, Instant>>>;

/// Records when each new head is announced, until the connection closes.
fn watch_heads(url: &str) -> anyhow::Result<Announcements> {
    let mut rpc = Rpc::connect(url)?;
    rpc.call("chain_subscribeNewHeads", json!([]))?;
    let seen: Announcements = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::Builder::new()
        .name("benchmark-heads".into())
        .spawn(move || {
            while let Ok(message) = rpc.next_message() {
                let now = Instant::now();
                let number = message
                    .pointer("/params/result/number")
                    .and_then(Value::as_str)
                    .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok());
                if let Some(number) = number {
                    if let Ok(mut seen) = record.lock() {
                        seen.entry(number).or_insert(now);
                    }
                }
            }
        })?;
    Ok(seen)
}

/// Submits `transactions` over `connections` sockets, at `rate` per second overall (0: as
/// fast as possible); returns each one's submission time.
fn submit(
    url: &str,
    transactions: &[OpaqueExtrinsic],
    connections: usize,
    rate: f64,
) -> anyhow::Result<Vec<(H256, Instant)>> {
    let per_connection = transactions.len().div_ceil(connections.max(1)).max(1);
    let started = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = transactions
            .chunks(per_connection)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || -> anyhow::Result<Vec<(H256, Instant)>> {
                    let mut rpc = Rpc::connect(url)?;
                    let mut submitted = Vec::with_capacity(part.len());
                    let mut in_flight = VecDeque::new();
                    for (i, xt) in part.iter().enumerate() {
                        if rate > 0.0 {
                            // The overall k-th submission is due at k / rate.
                            let k = (i * connections + c) as f64;
                            let due = started + Duration::from_secs_f64(k / rate);
                            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                                std::thread::sleep(wait);
                            }
                        }
                        let id = send_transfer(&mut rpc, xt)?;
                        submitted.push((xt.hash(), Instant::now()));
                        in_flight.push_back((id, xt));
                        while in_flight.len() >= WINDOW {
                            expect_answer(&mut rpc, &mut in_flight)?;
                        }
                    }
                    while !in_flight.is_empty() {
                        expect_answer(&mut rpc, &mut in_flight)?;
                    }
                    Ok(submitted)
                })
            })
            .collect();
        let mut all = Vec::with_capacity(transactions.len());
        for worker in workers {
            all.extend(
                worker
                    .join()
                    .map_err(|_| anyhow::anyhow!("a submitter panicked"))??,
            );
        }
        Ok(all)
    })
}

fn send_transfer(rpc: &mut Rpc, xt: &OpaqueExtrinsic) -> anyhow::Result<u64> {
    let hex = format!("0x{}", hex::encode(xt.as_bytes()));
    rpc.send("author_submitExtrinsic", json!([hex]))
}

/// The pool's "Immediately Dropped" (full): the client backs off and submits again.
const POOL_FULL: i64 = 1016;

/// Reads one answer; a transfer the full pool dropped is sent again (its latency still counts
/// from its first submission), any other refusal fails the run.
fn expect_answer(
    rpc: &mut Rpc,
    in_flight: &mut VecDeque<(u64, &OpaqueExtrinsic)>,
) -> anyhow::Result<()> {
    let message = rpc.next_message()?;
    let Some(id) = message.get("id").and_then(Value::as_u64) else {
        return Ok(());
    };
    let Some(position) = in_flight.iter().position(|(pending, _)| *pending == id) else {
        return Ok(());
    };
    let Some((_, xt)) = in_flight.remove(position) else {
        return Ok(());
    };
    match message.get("error") {
        None => Ok(()),
        Some(error) if error["code"].as_i64() == Some(POOL_FULL) => {
            std::thread::sleep(Duration::from_millis(5));
            let id = send_transfer(rpc, xt)?;
            in_flight.push_back((id, xt));
            Ok(())
        }
        Some(error) => anyhow::bail!("the node refused a transfer: {error}"),
    }
}

/// Each successful transfer's block number, from blocks `from..=to`.
fn successes(rpc: &mut Rpc, from: u64, to: u64) -> anyhow::Result<HashMap<H256, u64>> {
    let events_key = format!(
        "0x{}{}",
        hex::encode(folio_primitives::crypto::native::twox_128(b"System")),
        hex::encode(folio_primitives::crypto::native::twox_128(b"Events"))
    );
    let mut included = HashMap::new();
    for number in from..=to {
        let hash = rpc.call("chain_getBlockHash", json!([number]))?;
        let block = rpc.call("chain_getBlock", json!([hash]))?;
        let extrinsics: Vec<Vec<u8>> = block
            .pointer("/block/extrinsics")
            .and_then(Value::as_array)
            .context("a block has extrinsics")?
            .iter()
            .map(|x| hex::decode(x.as_str().unwrap_or_default().trim_start_matches("0x")))
            .collect::<Result<_, _>>()?;
        let raw = rpc.call("state_getStorage", json!([events_key, hash]))?;
        let raw = hex::decode(raw.as_str().unwrap_or_default().trim_start_matches("0x"))?;
        let events = Vec::<EventRecord<RuntimeEvent>>::decode(&mut &raw[..])
            .context("decoding System.Events")?;
        for record in events {
            if let (
                Phase::ApplyExtrinsic(index),
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. }),
            ) = (record.phase, &record.event)
            {
                if let Some(bytes) = extrinsics.get(index as usize) {
                    included.insert(H256(blake2_256(bytes)), number);
                }
            }
        }
    }
    Ok(included)
}

/// Figures of one phase.
struct PhaseFigures {
    transfers: usize,
    tps: f64,
    p50: Duration,
    p99: Duration,
    blocks: u64,
    mean_interval: Duration,
}

fn best_number(rpc: &mut Rpc) -> anyhow::Result<u64> {
    let header = rpc.call("chain_getHeader", json!([]))?;
    header
        .get("number")
        .and_then(Value::as_str)
        .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
        .context("a header has a number")
}

fn run_phase(
    node: &NodeUnderTest,
    heads: &Announcements,
    transactions: &[OpaqueExtrinsic],
    connections: usize,
    rate: f64,
) -> anyhow::Result<PhaseFigures> {
    let mut rpc = Rpc::connect(&node.url)?;
    let first_block = best_number(&mut rpc)?.saturating_add(1);
    let submitted = submit(&node.url, transactions, connections, rate)?;
    let deadline = Instant::now() + SETTLE;
    let mut checked_to = first_block.saturating_sub(1);
    let ours: std::collections::HashSet<H256> = submitted.iter().map(|(hash, _)| *hash).collect();
    let mut included = HashMap::new();
    while included.len() < submitted.len() {
        let best = best_number(&mut rpc)?;
        if best > checked_to {
            // Inherents succeed too: count only the transfers of this phase.
            included.extend(
                successes(&mut rpc, checked_to + 1, best)?
                    .into_iter()
                    .filter(|(hash, _)| ours.contains(hash)),
            );
            checked_to = best;
        } else {
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {} of {} transfers succeeded within {:?}",
                included.len(),
                submitted.len(),
                SETTLE
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let announced = heads
        .lock()
        .map_err(|_| anyhow::anyhow!("head watcher failed"))?
        .clone();
    let mut latencies = Vec::with_capacity(submitted.len());
    let mut last_inclusion = None::<Instant>;
    for (hash, at) in &submitted {
        let block = included.get(hash).context("every transfer succeeded")?;
        let shown = *announced
            .get(block)
            .with_context(|| format!("block #{block} was announced"))?;
        latencies.push(shown.saturating_duration_since(*at));
        last_inclusion = Some(last_inclusion.map_or(shown, |l| l.max(shown)));
    }
    latencies.sort();
    let first_submit = submitted
        .iter()
        .map(|(_, at)| *at)
        .min()
        .context("submitted")?;
    let span = last_inclusion
        .context("included")?
        .saturating_duration_since(first_submit);
    let blocks = checked_to.saturating_sub(first_block).saturating_add(1);
    // Between the announcements of the phase's first and last blocks when there are two or
    // more; otherwise the whole span stands for the one interval.
    let mean_interval = match (announced.get(&first_block), announced.get(&checked_to)) {
        (Some(first), Some(last)) if blocks > 1 => {
            last.saturating_duration_since(*first) / u32::try_from(blocks - 1).unwrap_or(u32::MAX)
        }
        _ => span,
    };
    // `submitted` is non-empty (checked above), so every quantile index is in range.
    let quantile = |q: f64| {
        let at = (latencies.len().saturating_sub(1) as f64 * q).round() as usize;
        latencies.get(at).copied().unwrap_or_default()
    };
    Ok(PhaseFigures {
        transfers: submitted.len(),
        tps: submitted.len() as f64 / span.as_secs_f64().max(1e-9),
        p50: quantile(0.50),
        p99: quantile(0.99),
        blocks,
        mean_interval,
    })
}

fn print_phase(name: &str, phase: &PhaseFigures, batched: f64) {
    println!(
        "  {name:<11} {:>6} transfers in {:>4} blocks: {:>7.0} tx/s = {:>5.1}% of batched sr25519 on all cores",
        phase.transfers,
        phase.blocks,
        phase.tps,
        100.0 * phase.tps / batched.max(1e-9)
    );
    println!(
        "              submit→inclusion p50 {:.0} ms, p99 {:.0} ms; mean block interval {:.0} ms (p99 = {:.1} intervals)",
        phase.p50.as_secs_f64() * 1e3,
        phase.p99.as_secs_f64() * 1e3,
        phase.mean_interval.as_secs_f64() * 1e3,
        phase.p99.as_secs_f64() / phase.mean_interval.as_secs_f64().max(1e-9)
    );
}

pub fn run(args: &EndToEndArgs) -> anyhow::Result<()> {
    let (accounts, transactions, connections, signatures) = if args.smoke {
        (200, 100, 2, 1_000)
    } else {
        (
            args.accounts,
            args.transactions.max(2),
            args.connections.max(1) as usize,
            20_000,
        )
    };
    let rates = verify::measure(signatures)?;
    rates.print();
    let load = Load::new(accounts, transactions)?;
    let all = load.transfers()?;
    let (saturating, half_load) = all.split_at(all.len() / 2);
    let node = start_node(&load, &args.sealing)?;
    let heads = watch_heads(&node.url)?;
    println!();
    println!(
        "end to end: {} accounts in state, {} WebSocket connections, sealing {}, node pid {}",
        load.accounts(),
        connections,
        args.sealing,
        node.child.id()
    );
    let rate = if args.rate > 0 {
        f64::from(args.rate)
    } else {
        0.0
    };
    let saturation = run_phase(&node, &heads, saturating, connections, rate)?;
    print_phase("saturation", &saturation, rates.batched_all_cores);
    let half = run_phase(&node, &heads, half_load, connections, saturation.tps / 2.0)?;
    print_phase("half load", &half, rates.batched_all_cores);
    println!(
        "  node peak RSS {:.0} MiB",
        rss::peak_mib(Some(node.child.id()))
    );
    Ok(())
}
