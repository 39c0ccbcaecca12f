//! Block authoring on a dev chain: `instant` seals a block as soon as transactions are ready,
//! `interval` seals one every interval (empty or not), `manual` only when asked. Every block
//! is final at once.

use crate::client::{Applied, Client, ImportedBlock};
use crate::dev_clock::{DevClock, TimeTravelError};
use crate::pool::Pool;
use crate::ChainError;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, DigestItem};
use folio_primitives::transaction_validity::{InvalidTransaction, TransactionValidityError};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// When blocks are sealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
    /// As soon as transactions are ready.
    Instant,
    /// Every interval, with or without transactions.
    Interval(Duration),
    /// Only when [`AuthorHandle::seal_now`] is called.
    Manual,
}

impl std::str::FromStr for Sealing {
    type Err = String;
    /// `instant`, `manual` or `interval=<ms>`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "instant" => Ok(Self::Instant),
            "manual" => Ok(Self::Manual),
            other => match other.strip_prefix("interval=").map(str::parse::<u64>) {
                Some(Ok(ms)) if ms > 0 => Ok(Self::Interval(Duration::from_millis(ms))),
                _ => Err(format!(
                    "invalid sealing {other:?}: expected instant, manual or interval=<ms>"
                )),
            },
        }
    }
}

/// What wakes the author.
enum Wake {
    /// Transactions became ready.
    Ready,
    /// Seal now (manual), replying with the result.
    SealNow(mpsc::Sender<Result<ImportedBlock, String>>),
    /// Panic, as a bug would (the test hook [`AuthorHandle::inject_panic`]).
    Panic,
    Stop,
}

/// Talks to the author thread.
#[derive(Clone)]
pub struct AuthorHandle {
    wake: mpsc::Sender<Wake>,
    /// How many times the author thread panicked and was restarted.
    restarts: Arc<AtomicU64>,
    /// Whether the author is running (false while it waits to restart, or once it stopped).
    up: Arc<AtomicBool>,
    /// The time the author puts in its blocks (moved forward by `dev_timeTravel`).
    clock: Arc<DevClock>,
}

impl std::fmt::Debug for AuthorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthorHandle")
    }
}

impl AuthorHandle {
    /// Transactions became ready (instant sealing reacts).
    pub fn notify_ready(&self) {
        let _ = self.wake.send(Wake::Ready);
    }

    /// Seals a block now, whatever the sealing mode; waits for it.
    pub fn seal_now(&self) -> Result<ImportedBlock, String> {
        let (reply, result) = mpsc::channel();
        self.wake
            .send(Wake::SealNow(reply))
            .map_err(|_| "author stopped".to_string())?;
        result.recv().map_err(|_| "author stopped".to_string())?
    }

    /// Makes the dev author's blocks carry `target_ms` (and later times) from the next block on.
    /// Only for chains this author seals: on a chain authored by slot the node refuses it.
    pub fn travel_to(&self, target_ms: u64) -> Result<u64, TimeTravelError> {
        self.clock.travel_to(target_ms)
    }

    pub fn stop(&self) {
        let _ = self.wake.send(Wake::Stop);
    }

    /// How many times the author panicked and was restarted (health and metrics report it).
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Whether the author is running: false between a panic and its restart, and after it
    /// stopped (`system_health` then fails and `/health` answers 500).
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// Test hook: makes the author thread panic once, as a bug would, so tests can check that
    /// it is restarted and counted (docs/security.md). Not reachable from RPC or the CLI.
    pub fn inject_panic(&self) {
        let _ = self.wake.send(Wake::Panic);
    }
}

/// How long a panicked author waits before it starts again: a bug that panics at once on
/// every start costs a log line a second, not a core; health reports the author down meanwhile.
pub const RESTART_BACKOFF: Duration = Duration::from_secs(1);

/// Most transactions tried per block, so a huge pool cannot stall sealing.
const MAX_TRIES_PER_BLOCK: usize = 20_000;

/// Starts the author thread.
pub fn start(
    client: Arc<Client>,
    pool: Arc<Pool>,
    sealing: Sealing,
) -> std::io::Result<(AuthorHandle, JoinHandle<()>)> {
    let (wake, wakes) = mpsc::channel();
    let restarts = Arc::new(AtomicU64::new(0));
    let up = Arc::new(AtomicBool::new(true));
    let clock = Arc::new(DevClock::default());
    let (counted, running, time) = (Arc::clone(&restarts), Arc::clone(&up), Arc::clone(&clock));
    let handle = std::thread::Builder::new()
        .name("folio-author".into())
        .spawn(move || {
            // Supervised: a panic (a bug) is logged and counted and the author starts again
            // after a back-off, instead of sealing stopping silently with the thread.
            while std::panic::catch_unwind(AssertUnwindSafe(|| {
                run(&client, &pool, sealing, &time, &wakes)
            }))
            .is_err()
            {
                running.store(false, Ordering::Relaxed);
                let count = counted.fetch_add(1, Ordering::Relaxed).saturating_add(1);
                tracing::error!(target: "folio::author", restarts = count, "the author panicked; restarting it");
                std::thread::sleep(RESTART_BACKOFF);
                running.store(true, Ordering::Relaxed);
            }
            running.store(false, Ordering::Relaxed);
        })?;
    Ok((
        AuthorHandle {
            wake,
            restarts,
            up,
            clock,
        },
        handle,
    ))
}

fn run(
    client: &Client,
    pool: &Pool,
    sealing: Sealing,
    clock: &DevClock,
    wakes: &mpsc::Receiver<Wake>,
) {
    // Interval sealing keeps its own clock: notifications arriving more often than the
    // interval must not postpone the next block (they used to restart the wait, so a steady
    // stream of submissions held every block back until it paused).
    let mut next_block = match sealing {
        Sealing::Interval(every) => Some(Instant::now() + every),
        _ => None,
    };
    // Instant sealing: the last block left ready transactions behind (it filled up), so the
    // next one is sealed without waiting for a new submission.
    let mut more_ready = false;
    loop {
        let wake = if more_ready {
            more_ready = false;
            match wakes.try_recv() {
                Ok(wake) => Some(wake),
                Err(mpsc::TryRecvError::Empty) => Some(Wake::Ready),
                Err(mpsc::TryRecvError::Disconnected) => return,
            }
        } else {
            match next_block {
                Some(due) => {
                    match wakes.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(wake) => Some(wake),
                        Err(mpsc::RecvTimeoutError::Timeout) => None,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                None => match wakes.recv() {
                    Ok(wake) => Some(wake),
                    Err(_) => return,
                },
            }
        };
        match wake {
            Some(Wake::Stop) => return,
            #[allow(clippy::panic, reason = "the test hook's purpose")]
            Some(Wake::Panic) => panic!("author panic injected by a test"),
            Some(Wake::SealNow(reply)) => {
                let sealed = seal_counting(client, pool, MAX_TRIES_PER_BLOCK, clock.now_ms());
                let _ = reply.send(sealed.map(|(block, _)| block).map_err(|e| e.to_string()));
            }
            Some(Wake::Ready) => {
                // Collapse a burst of notifications into one block, keeping any seal requests
                // that arrived meanwhile: they are answered by that block.
                let mut requests = Vec::new();
                while let Ok(next) = wakes.try_recv() {
                    match next {
                        Wake::Stop => return,
                        Wake::SealNow(reply) => requests.push(reply),
                        #[allow(clippy::panic, reason = "the test hook's purpose")]
                        Wake::Panic => panic!("author panic injected by a test"),
                        Wake::Ready => {}
                    }
                }
                if !requests.is_empty() {
                    let result = seal_counting(client, pool, MAX_TRIES_PER_BLOCK, clock.now_ms())
                        .map(|(block, _)| block)
                        .map_err(|e| e.to_string());
                    for reply in requests {
                        let _ = reply.send(result.clone());
                    }
                } else if sealing == Sealing::Instant && pool.status().0 > 0 {
                    match seal_counting(client, pool, MAX_TRIES_PER_BLOCK, clock.now_ms()) {
                        // A block that settled transactions (included or dropped) and left ready
                        // ones behind was full: go on. One that settled none would only repeat
                        // itself (the rest wait for a state change), so wait for a wake.
                        Ok((_, settled)) => more_ready = settled > 0 && pool.status().0 > 0,
                        Err(e) => {
                            tracing::error!(target: "folio::author", error = %e, "sealing failed")
                        }
                    }
                }
            }
            None => {}
        }
        if let (Sealing::Interval(every), Some(due)) = (sealing, next_block.as_mut()) {
            if Instant::now() >= *due {
                if let Err(e) = seal_counting(client, pool, MAX_TRIES_PER_BLOCK, clock.now_ms()) {
                    tracing::error!(target: "folio::author", error = %e, "sealing failed");
                }
                // Due one interval after this block was due; if sealing overran the interval,
                // right away (but never a burst of blocks to catch up).
                *due = (*due + every).max(Instant::now());
            }
        }
    }
}

/// The local clock in milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Builds a block from the pool's ready transactions on the best block and commits it.
pub fn seal(client: &Client, pool: &Pool) -> Result<ImportedBlock, ChainError> {
    seal_at_most(client, pool, MAX_TRIES_PER_BLOCK)
}

/// Transactions handed to the runtime per call while building (one wasm instance each): large
/// enough that instantiation is negligible, small enough to stay far inside the call timeout.
const APPLY_BATCH: usize = 1_024;

/// [`seal`], trying at most `max_transactions` of the pool's ready transactions.
pub fn seal_at_most(
    client: &Client,
    pool: &Pool,
    max_transactions: usize,
) -> Result<ImportedBlock, ChainError> {
    seal_counting(client, pool, max_transactions, now_ms()).map(|(block, _)| block)
}

/// What a consensus engine decides about a block it authors: its parent, its time, the
/// pre-runtime digest items of its header and the seal put on it once built. Dev sealing
/// uses none of this (best block, local clock, no digest, no seal).
pub struct BlockPlan<'a> {
    pub parent: H256,
    pub now_ms: u64,
    pub pre_digest: Digest,
    /// Makes the seal from the pre-seal header's hash (`None`: no seal).
    pub seal: &'a dyn Fn(&H256) -> Result<Option<DigestItem>, String>,
}

/// Builds a block as `plan` says from the pool's ready transactions, commits it, and updates
/// the pool (the consensus engine's authoring entry point).
pub fn author_block(
    client: &Client,
    pool: &Pool,
    plan: &BlockPlan<'_>,
) -> Result<ImportedBlock, ChainError> {
    seal_planned(client, pool, MAX_TRIES_PER_BLOCK, plan).map(|(block, _)| block)
}

/// [`seal_at_most`], also saying how many pool transactions it settled (included or dropped).
fn seal_counting(
    client: &Client,
    pool: &Pool,
    max_transactions: usize,
    now_ms: u64,
) -> Result<(ImportedBlock, usize), ChainError> {
    let plan = BlockPlan {
        parent: client.best_hash()?,
        now_ms,
        pre_digest: Digest::default(),
        seal: &|_| Ok(None),
    };
    seal_planned(client, pool, max_transactions, &plan)
}

fn seal_planned(
    client: &Client,
    pool: &Pool,
    max_transactions: usize,
    plan: &BlockPlan<'_>,
) -> Result<(ImportedBlock, usize), ChainError> {
    let started = Instant::now();
    let mut builder = client.block_builder_with_digest(plan.parent, plan.pre_digest.clone())?;
    builder.push_inherents(plan.now_ms)?;
    let mut included = Vec::new();
    let mut invalid = Vec::new();
    let mut candidates = Vec::new();
    for tx in pool.ready_for_block().into_iter().take(max_transactions) {
        match OpaqueExtrinsic::from_bytes(&tx.bytes) {
            Ok(xt) => candidates.push((tx.hash, xt)),
            Err(_) => invalid.push(tx.hash),
        }
    }
    'building: for chunk in candidates.chunks(APPLY_BATCH) {
        let batch: Vec<OpaqueExtrinsic> = chunk.iter().map(|(_, xt)| xt.clone()).collect();
        let results = builder.push_batch(&batch)?;
        for ((hash, _), applied) in chunk.iter().zip(results) {
            let result = match applied {
                Applied::Result(result) => result,
                // Trapped or timed out: dropped and banned like an invalid one, so it is not
                // tried again on every block.
                Applied::Failed(_) => {
                    invalid.push(*hash);
                    continue;
                }
            };
            match result {
                Ok(_) => included.push(*hash),
                Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
                    break 'building
                }
                // Waits for an earlier nonce that is not in this block: stays in the pool.
                Err(TransactionValidityError::Invalid(InvalidTransaction::Future)) => {}
                Err(error) => {
                    tracing::debug!(target: "folio::author", %hash, ?error, "dropping invalid transaction");
                    invalid.push(*hash);
                }
            }
        }
    }
    let imported = builder.build_seal_and_commit(started, plan.seal)?;
    pool.on_block(imported.hash, imported.header.number, &included, &invalid);
    revalidate(client, pool, &imported);
    Ok((imported, included.len().saturating_add(invalid.len())))
}

/// Most pool transactions rechecked against the runtime after each block.
const REVALIDATE_PER_BLOCK: usize = 64;

/// Rechecks a bounded, rotating batch of pool transactions against the new best block:
/// transactions that became invalid (e.g. their sender can no longer pay) leave the pool.
fn revalidate(client: &Client, pool: &Pool, best: &ImportedBlock) {
    use folio_primitives::transaction_validity::{TransactionSource, TransactionValidity};
    use parity_scale_codec::{Decode, Encode};
    let mut results = Vec::new();
    for tx in pool.revalidation_batch(REVALIDATE_PER_BLOCK) {
        let Ok(xt) = OpaqueExtrinsic::from_bytes(&tx.bytes) else {
            continue;
        };
        let input = (TransactionSource::External, &xt, best.hash).encode();
        let validity = client
            .validate_transaction(best.hash, &input)
            .ok()
            .and_then(|raw| TransactionValidity::decode(&mut &raw[..]).ok());
        if let Some(validity) = validity {
            results.push((tx.hash, validity));
        }
    }
    // One readiness recomputation for the batch, not one per transaction (each is O(pool)).
    pool.revalidated(results, best.header.number);
}
