//! The slot worker: wakes at the start of every slot and, when the keystore holds the key of
//! the slot's author (`authorities[slot % n]` of the best block's state), builds a block on
//! the best block with the slot in its pre-runtime digest and seals it.

use crate::aura::{self, Slot};
use crate::keystore::{self, Keystore};
use crate::{authorities_at, AuraVerifier, ConsensusError};
use folio_chain::author::{author_block, now_ms, BlockPlan};
use folio_chain::{Client, Pool};
use folio_primitives::header::Header;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const LOG_TARGET: &str = "folio::aura";

/// Whether the node may author on this best block now: not while it is syncing (its best
/// block is behind its peers'), or a block built on a stale parent would fork it off the chain.
pub type CanAuthor = Arc<dyn Fn(&Header) -> bool + Send + Sync>;

/// What the slot worker runs with.
#[derive(Clone)]
pub struct SlotWorkerConfig {
    pub slot_duration_ms: u64,
    pub can_author: CanAuthor,
}

/// The running slot worker; stops when asked or dropped.
pub struct SlotWorker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SlotWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SlotWorker")
    }
}

/// What one slot came to.
#[derive(Debug, PartialEq, Eq)]
enum SlotOutcome {
    Authored,
    NotOurs,
    Skipped(&'static str),
}

impl SlotWorker {
    /// Starts the worker thread.
    ///
    /// # Errors
    /// The thread cannot be spawned.
    pub fn start(
        client: Arc<Client>,
        pool: Arc<Pool>,
        keystore: Arc<Keystore>,
        verifier: Arc<AuraVerifier>,
        config: SlotWorkerConfig,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("folio-aura".into())
            .spawn(move || {
                tracing::info!(target: LOG_TARGET, slot_ms = config.slot_duration_ms, "Aura slot worker started");
                // The slot under way when the node starts is half over: the first is the next.
                let mut last_slot = aura::slot_at(now_ms(), config.slot_duration_ms);
                while !stopping.load(Ordering::Relaxed) {
                    let Some(slot) =
                        wait_for_next_slot(config.slot_duration_ms, last_slot, &stopping)
                    else {
                        break;
                    };
                    last_slot = slot;
                    match on_slot(&client, &pool, &keystore, &verifier, &config, slot) {
                        Ok(SlotOutcome::Skipped(why)) => {
                            tracing::debug!(target: LOG_TARGET, slot, why, "slot skipped")
                        }
                        Ok(_) => {}
                        Err(error) => {
                            tracing::error!(target: LOG_TARGET, slot, %error, "authoring failed")
                        }
                    }
                }
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the worker and waits for its thread.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SlotWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Sleeps until a slot after `last_slot` starts (in short steps, so a stop is noticed);
/// `None` when stopped.
fn wait_for_next_slot(slot_ms: u64, last_slot: Slot, stop: &AtomicBool) -> Option<Slot> {
    const STEP_MS: u64 = 50;
    loop {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let now = now_ms();
        let slot = aura::slot_at(now, slot_ms);
        if slot > last_slot {
            return Some(slot);
        }
        let next_start = slot.saturating_add(1).saturating_mul(slot_ms.max(1));
        let wait = next_start.saturating_sub(now).clamp(1, STEP_MS);
        std::thread::sleep(Duration::from_millis(wait));
    }
}

fn on_slot(
    client: &Client,
    pool: &Pool,
    keystore: &Keystore,
    verifier: &AuraVerifier,
    config: &SlotWorkerConfig,
    slot: Slot,
) -> Result<SlotOutcome, ConsensusError> {
    let best = client.best_header()?;
    if aura::find_slot(&best)?.is_some_and(|parent| parent >= slot) {
        return Ok(SlotOutcome::Skipped(
            "the best block is of this slot or later",
        ));
    }
    let authorities = authorities_at(client, best.hash())?;
    let Some(author) = aura::slot_author(slot, &authorities) else {
        return Ok(SlotOutcome::Skipped("no authorities"));
    };
    if !keystore.has_key(keystore::AURA, &author) {
        return Ok(SlotOutcome::NotOurs);
    }
    if !(config.can_author)(&best) {
        return Ok(SlotOutcome::Skipped("syncing"));
    }
    // The block's time must fall in its slot (the runtime checks `timestamp / slot == slot`).
    let slot_start = slot.saturating_mul(config.slot_duration_ms);
    let slot_end = slot_start.saturating_add(config.slot_duration_ms.saturating_sub(1));
    let now = now_ms().clamp(slot_start, slot_end);
    let seal = |pre_hash: &folio_primitives::hash::H256| {
        keystore
            .sign(keystore::AURA, &author, pre_hash.as_bytes())
            .map(|signature| Some(aura::seal_item(signature)))
            .ok_or_else(|| "the slot's key left the keystore".to_string())
    };
    let plan = BlockPlan {
        parent: best.hash(),
        now_ms: now,
        pre_digest: aura::pre_digest(slot),
        seal: &seal,
    };
    let block = author_block(client, pool, &plan)?;
    verifier.note_header(slot, author, block.hash);
    tracing::info!(
        target: LOG_TARGET,
        slot,
        number = block.header.number,
        hash = %block.hash,
        extrinsics = block.extrinsics,
        "Authored #{} ({}) in slot {}",
        block.header.number,
        block.hash,
        slot
    );
    Ok(SlotOutcome::Authored)
}
