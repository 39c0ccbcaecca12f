//! `benchmark import` and `benchmark authoring` (DESIGN.md §9).
//!
//! Per size of state: a genesis with that many funded accounts; one pre-signed transfer per
//! sender. *Authoring* submits them all to the pool at once (as an RPC server with many requests
//! in flight would; the admission workers validate them in batches)
//! and builds blocks of `--tx-per-block` from it. *Import* takes those blocks to a fresh node
//! with the same genesis and imports them: executed in wasm, state root computed and checked,
//! committed to the database. The same blocks are also executed natively on the same state,
//! and the raw sr25519 rates are measured first, so every figure is printed beside its floor.

use super::load::Load;
use super::rss;
use super::verify::{self, VerifyRates};
use crate::cli::ThroughputArgs;
use anyhow::Context;
use folio_chain::{Admission, Client, FastPath, ImportedBlock, Pool, PoolConfig, Sealing};
use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::externalities::{set_and_run_with_externalities, Overlay, OverlayedExt};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::header::Block;
use folio_storage::Database;
use parity_scale_codec::Encode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Import,
    Authoring,
}

/// The sizes of one run.
struct Plan {
    accounts: Vec<u32>,
    tx_per_block: u32,
    blocks: u32,
    signatures: usize,
    fast_path: FastPath,
}

fn plan(args: &ThroughputArgs) -> anyhow::Result<Plan> {
    let fast_path = fast_path_without(&args.disable)?;
    Ok(if args.smoke {
        Plan {
            accounts: vec![300],
            tx_per_block: 20,
            blocks: 2,
            signatures: 1_000,
            fast_path,
        }
    } else {
        Plan {
            accounts: args.accounts.clone(),
            tx_per_block: args.tx_per_block.max(1),
            blocks: args.blocks.max(1),
            signatures: 20_000,
            fast_path,
        }
    })
}

/// The default fast path with the named levers off.
pub fn fast_path_without(disabled: &[String]) -> anyhow::Result<FastPath> {
    let mut fast_path = FastPath::default();
    for lever in disabled {
        match lever.as_str() {
            "parallel-batch-verification" => fast_path.parallel_batch_verification = false,
            "reuse-pool-signatures" => fast_path.reuse_pool_signatures = false,
            "one-instance-per-block" => fast_path.one_instance_per_block = false,
            "flat-reads" => fast_path.flat_reads = false,
            "batched-pool-validation" => fast_path.batched_pool_validation = false,
            other => anyhow::bail!(
                "unknown lever {other:?}: expected parallel-batch-verification, \
                 reuse-pool-signatures, one-instance-per-block, flat-reads or \
                 batched-pool-validation"
            ),
        }
    }
    Ok(fast_path)
}

fn client(load: &Load, executor: &Executor, fast_path: FastPath) -> anyhow::Result<Arc<Client>> {
    let client = Client::new(
        Database::open_temporary()?,
        executor.clone(),
        load.storage.clone(),
    )?
    .with_fast_path(fast_path);
    // Compile the runtime before any clock starts.
    client.runtime_version_at(client.best_hash()?)?;
    Ok(Arc::new(client))
}

/// Authored blocks and what authoring them took.
struct Authored {
    blocks: Vec<Block<OpaqueExtrinsic>>,
    pool: Duration,
    build: Duration,
    build_commit: Duration,
}

/// Submits every transaction to the pool (on every core) and builds blocks until it is empty.
fn author(
    client: &Arc<Client>,
    transactions: &[OpaqueExtrinsic],
    tx_per_block: u32,
) -> anyhow::Result<Authored> {
    let pool = Arc::new(Pool::new(PoolConfig {
        max_count: transactions.len().saturating_add(16),
        max_bytes: usize::MAX,
        max_future: usize::MAX,
        max_per_sender: usize::MAX,
        ..PoolConfig::default()
    }));
    let (author, author_thread) =
        folio_chain::author::start(Arc::clone(client), Arc::clone(&pool), Sealing::Manual)?;
    // Everything is queued before any answer is awaited: the queue holds it all.
    let admission = Admission::start_bounded(
        Arc::clone(client),
        Arc::clone(&pool),
        author.clone(),
        transactions.len().saturating_add(16),
    )?;
    let started = Instant::now();
    // Every transfer is submitted before any answer is awaited, as an RPC server with many
    // requests in flight does; the admission workers validate what has queued in batches.
    let answers: Vec<_> = transactions
        .iter()
        .map(|xt| admission.submit(xt.as_bytes().to_vec(), None))
        .collect();
    for answer in answers {
        answer
            .blocking_recv()
            .map_err(|_| anyhow::anyhow!("admission stopped"))?
            .map_err(|e| anyhow::anyhow!("pool refused a transfer: {e:?}"))?;
    }
    let pool_time = started.elapsed();

    let building = Instant::now();
    let mut blocks = Vec::new();
    let mut build_commit = Duration::ZERO;
    while pool.status().0 > 0 {
        let imported = folio_chain::author::seal_at_most(client, &pool, tx_per_block as usize)?;
        build_commit += Duration::from_micros(imported.timings.commit_micros);
        anyhow::ensure!(
            imported.extrinsics > 1,
            "block #{} took no transaction from a pool of {}",
            imported.header.number,
            pool.status().0
        );
        blocks.push(stored_block(client, &imported)?);
    }
    let build = building.elapsed();
    author.stop();
    let _ = author_thread.join();
    Ok(Authored {
        blocks,
        pool: pool_time,
        build,
        build_commit,
    })
}

fn stored_block(
    client: &Client,
    imported: &ImportedBlock,
) -> anyhow::Result<Block<OpaqueExtrinsic>> {
    let extrinsics = client
        .db()
        .body(&imported.hash)?
        .context("a block just built has a body")?;
    Ok(Block {
        header: imported.header.clone(),
        extrinsics,
    })
}

/// Import figures of one size.
struct Imported {
    total: Duration,
    wasm_execute: Duration,
    native_execute: Duration,
    commit: Duration,
}

/// Executes `block` natively on its parent's state in `client` (changes discarded).
fn execute_natively(client: &Client, block: &Block<OpaqueExtrinsic>) -> anyhow::Result<Duration> {
    let state = client.db().state_at(&block.header.parent_hash)?;
    let mut overlay = Overlay::default();
    let mut ext = OverlayedExt::new(&state, &mut overlay, None);
    let encoded = block.encode();
    let started = Instant::now();
    set_and_run_with_externalities(&mut ext, || {
        folio_runtime::apis::call("Core_execute_block", &encoded)
    })
    .map_err(|e| anyhow::anyhow!("native execution failed: {}", e.message()))?;
    let elapsed = started.elapsed();
    if let Some(error) = state.take_error() {
        anyhow::bail!("reading state during native execution: {error}");
    }
    Ok(elapsed)
}

/// Imports `blocks` into `client`, executing each natively first on the same state.
fn import(client: &Client, blocks: &[Block<OpaqueExtrinsic>]) -> anyhow::Result<Imported> {
    let mut figures = Imported {
        total: Duration::ZERO,
        wasm_execute: Duration::ZERO,
        native_execute: Duration::ZERO,
        commit: Duration::ZERO,
    };
    for block in blocks {
        figures.native_execute += execute_natively(client, block)?;
        let started = Instant::now();
        let imported = client.import_block(block.clone())?;
        figures.total += started.elapsed();
        figures.wasm_execute += Duration::from_micros(imported.timings.execute_micros);
        figures.commit += Duration::from_micros(imported.timings.commit_micros);
    }
    Ok(figures)
}

fn per_second(count: usize, time: Duration) -> f64 {
    count as f64 / time.as_secs_f64().max(1e-9)
}

fn percent(part: f64, whole: f64) -> f64 {
    100.0 * part / whole.max(1e-9)
}

pub fn run(measure: Measure, args: &ThroughputArgs) -> anyhow::Result<()> {
    let plan = plan(args)?;
    let rates = verify::measure(plan.signatures)?;
    rates.print();
    println!("fast path: {:?}", plan.fast_path);
    let executor = Executor::new(ExecutorConfig::default())?;
    for &accounts in &plan.accounts {
        rss::reset_peak(None);
        let senders = plan.tx_per_block.saturating_mul(plan.blocks);
        let load = Load::new(accounts, senders)?;
        let transactions = load.transfers()?;
        let authoring_client = client(&load, &executor, plan.fast_path)?;
        let authored = author(&authoring_client, &transactions, plan.tx_per_block)?;
        let included: usize = authored
            .blocks
            .iter()
            .map(|b| b.extrinsics.len().saturating_sub(1))
            .sum();
        anyhow::ensure!(
            included == transactions.len(),
            "{} of {} transfers were included",
            included,
            transactions.len()
        );
        println!();
        println!(
            "{} accounts in state, {} blocks of {} transfers ({} transfers)",
            load.accounts(),
            authored.blocks.len(),
            plan.tx_per_block,
            included
        );
        match measure {
            Measure::Authoring => report_authoring(&authored, included, &rates),
            Measure::Import => {
                let importing_client = client(&load, &executor, plan.fast_path)?;
                let imported = import(&importing_client, &authored.blocks)?;
                report_import(&imported, included, &rates);
            }
        }
        println!("  peak RSS {:.0} MiB", rss::peak_mib(None));
    }
    Ok(())
}

fn report_authoring(authored: &Authored, count: usize, rates: &VerifyRates) {
    let total = authored.pool + authored.build;
    let tps = per_second(count, total);
    println!(
        "  authoring {:>8.0} tx/s = {:>5.1}% of batched sr25519 on all cores ({:.1}% of single)",
        tps,
        percent(tps, rates.batched_all_cores),
        percent(tps, rates.single_all_cores),
    );
    println!(
        "    pool admission {:>8.0} tx/s ({:.0} ms), block building {:>8.0} tx/s ({:.0} ms, of which commit {:.0} ms)",
        per_second(count, authored.pool),
        authored.pool.as_secs_f64() * 1e3,
        per_second(count, authored.build),
        authored.build.as_secs_f64() * 1e3,
        authored.build_commit.as_secs_f64() * 1e3,
    );
}

fn report_import(imported: &Imported, count: usize, rates: &VerifyRates) {
    let tps = per_second(count, imported.total);
    println!(
        "  import    {:>8.0} tx/s = {:>5.1}% of batched sr25519 on all cores ({:.1}% of single)",
        tps,
        percent(tps, rates.batched_all_cores),
        percent(tps, rates.single_all_cores),
    );
    println!(
        "    wasm execution {:.0} ms = {:.2}x native ({:.0} ms); commit {:.0} ms ({:.0}% of import)",
        imported.wasm_execute.as_secs_f64() * 1e3,
        imported.wasm_execute.as_secs_f64() / imported.native_execute.as_secs_f64().max(1e-9),
        imported.native_execute.as_secs_f64() * 1e3,
        imported.commit.as_secs_f64() * 1e3,
        percent(
            imported.commit.as_secs_f64(),
            imported.total.as_secs_f64()
        ),
    );
}
