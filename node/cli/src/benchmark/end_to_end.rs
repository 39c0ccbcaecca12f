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
use super::node_process::{start_node, watch_heads, Announcements, NodeUnderTest, Rpc};
use super::rss;
use super::verify;
use crate::cli::EndToEndArgs;
use anyhow::Context;
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_runtime::RuntimeEvent;
use parity_scale_codec::Decode;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Requests one connection keeps in flight.
const WINDOW: usize = 256;
/// How long to wait for the last transfers to be included.
const SETTLE: Duration = Duration::from_secs(60);

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
/// "Server is busy": more requests in flight than the connection may have; again later.
const SERVER_BUSY: i64 = -32009;

/// Reads one answer; a transfer the full pool dropped, or the busy server refused, is sent
/// again (its latency still counts from its first submission), any other refusal fails the run.
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
        Some(error)
            if matches!(
                error.get("code").and_then(Value::as_i64),
                Some(POOL_FULL | SERVER_BUSY)
            ) =>
        {
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
        // Over the node's default of 32 requests in flight per connection, so the smoke run
        // meets the limit the full run meets.
        (1_000, 600, 2, 1_000)
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
    // The clients keep WINDOW requests in flight per connection: the node is told to allow
    // that many (its default, --rpc-max-in-flight-per-connection 32, is for public nodes).
    let window = WINDOW.to_string();
    let node = start_node(
        &load,
        &args.sealing,
        "unsafe",
        &["--rpc-max-in-flight-per-connection", &window],
    )?;
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
