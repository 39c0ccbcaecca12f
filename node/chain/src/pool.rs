//! The transaction pool: validated transactions waiting for a block.
//!
//! Transactions are ordered by the tags the runtime gives them (`provides`/`requires`: for a
//! signed transaction, its sender and nonce). A transaction is *ready* when every tag it
//! requires is provided by a ready transaction (tags already satisfied on chain are not
//! required), otherwise *future*. Blocks take ready transactions by priority (the tip) in an
//! order that respects their dependencies. A transaction that provides the same tag as one
//! in the pool replaces it only with a higher priority. The pool is bounded; transactions found
//! invalid are banned for a while; after each block, included transactions leave with
//! `inBlock`/`finalized`, their tags are pruned, stale and expired ones are dropped.

use folio_primitives::hash::H256;
use folio_primitives::transaction_pool::{SubmitError, TransactionStatus};
use folio_primitives::transaction_validity::{TransactionValidityError, ValidTransaction};
use folio_primitives::BlockNumber;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// An opaque ordering tag.
pub type Tag = Vec<u8>;

/// The watchers of one transaction.
pub type Watchers = Vec<mpsc::UnboundedSender<TransactionStatus>>;

/// Limits of the pool.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Most transactions held (ready and future together; `--pool-limit`).
    pub max_count: usize,
    /// Most bytes held (`--pool-kbytes`).
    pub max_bytes: usize,
    /// Most future transactions held, a share of `max_count` so that transactions which may
    /// never become ready cannot crowd out ready ones (`--pool-future-limit`).
    pub max_future: usize,
    /// Most transactions one sender may have in the pool (`--pool-sender-limit`).
    pub max_per_sender: usize,
    /// How long an invalid transaction's hash stays banned (`--tx-ban-seconds`).
    pub ban_time: Duration,
    /// Most banned hashes remembered; the oldest ban goes first (`--tx-ban-limit`).
    pub max_banned: usize,
}

impl Default for PoolConfig {
    /// Substrate's defaults for count, bytes and ban time; a tenth of the count for the future
    /// queue (as Substrate's future limit).
    fn default() -> Self {
        Self {
            max_count: 8_192,
            max_bytes: 20 * 1024 * 1024,
            max_future: 819,
            max_per_sender: 512,
            ban_time: Duration::from_secs(30 * 60),
            max_banned: 65_536,
        }
    }
}

/// The sender part of a provided tag: the runtime's nonce tags are `(AccountId, Nonce)`
/// encoded, so all but the last four bytes. Tags of another shape count as their own sender.
fn sender_of(provides: &[Tag]) -> Option<Tag> {
    let tag = provides.first()?;
    let end = tag.len().checked_sub(4).filter(|end| *end > 0)?;
    tag.get(..end).map(<[u8]>::to_vec)
}

/// One transaction in the pool.
#[derive(Debug)]
struct PoolTx {
    bytes: Arc<Vec<u8>>,
    priority: u64,
    requires: Vec<Tag>,
    provides: Vec<Tag>,
    /// The first block number at which it is no longer valid (era death).
    valid_till: BlockNumber,
    /// Arrival order: older first among equal priorities.
    seq: u64,
    watchers: Vec<mpsc::UnboundedSender<TransactionStatus>>,
}

#[derive(Debug, Default)]
struct Inner {
    txs: HashMap<H256, PoolTx>,
    ready: HashSet<H256>,
    /// The transactions that are not ready (`txs` minus `ready`), so admitting a ready one only
    /// looks at these for what it unlocks.
    future: HashSet<H256>,
    /// Which transaction provides a tag.
    provider: HashMap<Tag, H256>,
    banned: HashMap<H256, Instant>,
    bytes: usize,
    next_seq: u64,
    /// Where the last revalidation batch stopped (a `seq`).
    revalidation_cursor: Option<u64>,
    /// Tags recent blocks satisfied, with the block that did: a transaction validated against
    /// an older best block (while a new one was being sealed) may still require one of them.
    pruned_tags: HashMap<Tag, BlockNumber>,
    /// How many transactions each sender has in the pool.
    per_sender: HashMap<Tag, usize>,
    /// The watchers of included transactions, by block, until it is final or retracted.
    in_block: HashMap<H256, Vec<(H256, Watchers)>>,
}

/// How many blocks a pruned tag is remembered.
const PRUNED_TAGS_KEPT_FOR: BlockNumber = 64;

/// A ready transaction handed to the block author.
#[derive(Clone, Debug)]
pub struct ReadyTx {
    pub hash: H256,
    pub bytes: Arc<Vec<u8>>,
}

/// The transaction pool. All methods are cheap and never call the runtime: validation results
/// are passed in by the caller.
#[derive(Debug)]
pub struct Pool {
    config: PoolConfig,
    inner: Mutex<Inner>,
}

fn send(watchers: &mut Vec<mpsc::UnboundedSender<TransactionStatus>>, status: &TransactionStatus) {
    watchers.retain(|w| w.send(status.clone()).is_ok());
}

impl Pool {
    pub fn new(config: PoolConfig) -> Self {
        Self {
            config,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock would be a bug in this module; keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `hash` may be submitted (not in the pool, not banned).
    pub fn check_new(&self, hash: &H256) -> Result<(), SubmitError> {
        let mut inner = self.lock();
        if inner.txs.contains_key(hash) {
            return Err(SubmitError::AlreadyImported);
        }
        let ban_time = self.config.ban_time;
        if let Some(since) = inner.banned.get(hash) {
            if since.elapsed() < ban_time {
                return Err(SubmitError::TemporarilyBanned);
            }
            inner.banned.remove(hash);
        }
        Ok(())
    }

    /// Bans `hash` for the configured time; the ban list stays within its bound by dropping
    /// expired bans, then the oldest.
    fn ban(&self, inner: &mut Inner, hash: H256) {
        if inner.banned.len() >= self.config.max_banned {
            let ban_time = self.config.ban_time;
            inner.banned.retain(|_, since| since.elapsed() < ban_time);
        }
        while inner.banned.len() >= self.config.max_banned.max(1) {
            let oldest = inner
                .banned
                .iter()
                .min_by_key(|(_, since)| **since)
                .map(|(h, _)| *h);
            match oldest {
                Some(oldest) => inner.banned.remove(&oldest),
                None => break,
            };
        }
        inner.banned.insert(hash, Instant::now());
    }

    /// Adds a validated transaction seen at block `at_number`. Returns whether it is ready.
    /// `watcher` receives `ready`/`future` at once, then the rest of its life.
    pub fn import(
        &self,
        hash: H256,
        bytes: Vec<u8>,
        validity: Result<ValidTransaction, TransactionValidityError>,
        at_number: BlockNumber,
        watcher: Option<mpsc::UnboundedSender<TransactionStatus>>,
    ) -> Result<bool, SubmitError> {
        self.import_inner(
            hash,
            bytes,
            validity,
            at_number,
            watcher.into_iter().collect(),
            false,
        )
    }

    /// Puts back a transaction of a block that left the best chain, validated against the new
    /// best block, with the watchers it had. The tags its old block provided are no longer
    /// taken (that block is not on the best chain any more).
    ///
    /// # Errors
    /// As [`Pool::import`].
    pub fn reimport_retracted(
        &self,
        hash: H256,
        bytes: Vec<u8>,
        validity: Result<ValidTransaction, TransactionValidityError>,
        at_number: BlockNumber,
        watchers: Vec<mpsc::UnboundedSender<TransactionStatus>>,
    ) -> Result<bool, SubmitError> {
        self.import_inner(hash, bytes, validity, at_number, watchers, true)
    }

    fn import_inner(
        &self,
        hash: H256,
        bytes: Vec<u8>,
        validity: Result<ValidTransaction, TransactionValidityError>,
        at_number: BlockNumber,
        watchers: Vec<mpsc::UnboundedSender<TransactionStatus>>,
        retracted: bool,
    ) -> Result<bool, SubmitError> {
        self.check_new(&hash)?;
        let valid = match validity {
            Ok(valid) => valid,
            Err(error) => {
                if matches!(error, TransactionValidityError::Invalid(_)) {
                    let mut inner = self.lock();
                    self.ban(&mut inner, hash);
                }
                return Err(SubmitError::Invalid(error));
            }
        };
        let mut inner = self.lock();
        // Submitted twice at once: the first to get here wins.
        if inner.txs.contains_key(&hash) {
            return Err(SubmitError::AlreadyImported);
        }
        if retracted {
            for tag in &valid.provides {
                inner.pruned_tags.remove(tag);
            }
        }
        // Validated against an older best block: what a newer block already provided is either
        // satisfied (a required tag) or taken (a provided tag: the transaction is stale).
        let mut valid = valid;
        if valid
            .provides
            .iter()
            .any(|t| inner.pruned_tags.contains_key(t))
        {
            return Err(SubmitError::Invalid(
                folio_primitives::transaction_validity::InvalidTransaction::Stale.into(),
            ));
        }
        valid
            .requires
            .retain(|t| !inner.pruned_tags.contains_key(t));
        // Replacement: a transaction providing the same tag must have a lower priority.
        let mut usurped = Vec::new();
        for tag in &valid.provides {
            if let Some(existing) = inner.provider.get(tag) {
                let existing_priority = inner.txs.get(existing).map_or(0, |t| t.priority);
                if valid.priority <= existing_priority {
                    return Err(SubmitError::TooLowPriority);
                }
                usurped.push(*existing);
            }
        }
        let sender = sender_of(&valid.provides);
        if let Some(sender) = &sender {
            let held = inner.per_sender.get(sender).copied().unwrap_or(0);
            // A replacement takes its predecessor's place, so it never counts as one more.
            if usurped.is_empty() && held >= self.config.max_per_sender {
                return Err(SubmitError::PoolFull);
            }
        }
        let replaced = !usurped.is_empty();
        for old in usurped {
            if let Some(mut tx) = Self::remove_tx(&mut inner, &old) {
                send(&mut tx.watchers, &TransactionStatus::Usurped(hash));
            }
        }
        let seq = inner.next_seq;
        inner.next_seq = seq.saturating_add(1);
        let valid_till =
            at_number.saturating_add(u32::try_from(valid.longevity).unwrap_or(u32::MAX));
        for tag in &valid.provides {
            inner.provider.insert(tag.clone(), hash);
        }
        if let Some(sender) = sender {
            let held = inner.per_sender.entry(sender).or_insert(0);
            *held = held.saturating_add(1);
        }
        inner.bytes = inner.bytes.saturating_add(bytes.len());
        inner.txs.insert(
            hash,
            PoolTx {
                bytes: Arc::new(bytes),
                priority: valid.priority,
                requires: valid.requires,
                provides: valid.provides,
                valid_till,
                seq,
                watchers,
            },
        );
        // Without a replacement, admitting one transaction only changes its own readiness and
        // that of the future transactions it unlocks: no need to recompute the whole pool.
        let mut newly_ready = if replaced {
            Self::recompute_ready(&mut inner)
        } else {
            Self::admit(&mut inner, hash)
        };
        newly_ready.extend(self.evict_over_limits(&mut inner));
        if !inner.txs.contains_key(&hash) {
            // The newcomer was the least worth keeping: refused, the pool as it was (but for
            // what eviction made ready, whose watchers hear it).
            Self::notify_ready(&mut inner, newly_ready);
            return Err(SubmitError::PoolFull);
        }
        let ready = inner.ready.contains(&hash);
        if let Some(tx) = inner.txs.get_mut(&hash) {
            let status = if ready {
                TransactionStatus::Ready
            } else {
                TransactionStatus::Future
            };
            send(&mut tx.watchers, &status);
        }
        for other in newly_ready.into_iter().filter(|h| *h != hash) {
            if let Some(tx) = inner.txs.get_mut(&other) {
                send(&mut tx.watchers, &TransactionStatus::Ready);
            }
        }
        Ok(ready)
    }

    fn notify_ready(inner: &mut Inner, hashes: Vec<H256>) {
        for hash in hashes {
            if let Some(tx) = inner.txs.get_mut(&hash) {
                send(&mut tx.watchers, &TransactionStatus::Ready);
            }
        }
    }

    /// The transaction to evict from `candidates`: the lowest priority, the newest among
    /// equals (the oldest waited longest and is kept).
    fn worst<'a>(inner: &Inner, candidates: impl Iterator<Item = &'a H256>) -> Option<H256> {
        candidates
            .filter_map(|hash| inner.txs.get(hash).map(|tx| (tx.priority, tx.seq, *hash)))
            .min_by_key(|(priority, seq, _)| (*priority, std::cmp::Reverse(*seq)))
            .map(|(_, _, hash)| hash)
    }

    /// Brings the pool back within its limits after an admission: future transactions go
    /// first (over the future limit, or over the whole pool's), then the lowest-priority ready
    /// ones. Evicted transactions are told `dropped`; returns those that became ready.
    fn evict_over_limits(&self, inner: &mut Inner) -> Vec<H256> {
        let mut newly_ready = Vec::new();
        loop {
            let over_future = inner.future.len() > self.config.max_future;
            let over_pool =
                inner.txs.len() > self.config.max_count || inner.bytes > self.config.max_bytes;
            if !over_future && !over_pool {
                return newly_ready;
            }
            let victim = Self::worst(inner, inner.future.iter())
                .or_else(|| Self::worst(inner, inner.ready.iter()));
            let Some(victim) = victim else {
                return newly_ready;
            };
            let was_ready = inner.ready.contains(&victim);
            if let Some(mut tx) = Self::remove_tx(inner, &victim) {
                send(&mut tx.watchers, &TransactionStatus::Dropped);
            }
            tracing::debug!(target: "folio::pool", hash = %victim, was_ready, "evicted: pool over its limits");
            if was_ready {
                // Its dependents lost their provider.
                newly_ready.extend(Self::recompute_ready(inner));
            }
        }
    }

    fn remove_tx(inner: &mut Inner, hash: &H256) -> Option<PoolTx> {
        let tx = inner.txs.remove(hash)?;
        inner.ready.remove(hash);
        inner.future.remove(hash);
        if let Some(sender) = sender_of(&tx.provides) {
            if let Some(held) = inner.per_sender.get_mut(&sender) {
                *held = held.saturating_sub(1);
                if *held == 0 {
                    inner.per_sender.remove(&sender);
                }
            }
        }
        for tag in &tx.provides {
            if inner.provider.get(tag) == Some(hash) {
                inner.provider.remove(tag);
            }
        }
        inner.bytes = inner.bytes.saturating_sub(tx.bytes.len());
        Some(tx)
    }

    /// Recomputes which transactions are ready; returns those that became ready.
    fn recompute_ready(inner: &mut Inner) -> Vec<H256> {
        let before = std::mem::take(&mut inner.ready);
        // Index: which transactions wait for a tag.
        let mut waiting: HashMap<&Tag, Vec<H256>> = HashMap::new();
        let mut missing: HashMap<H256, usize> = HashMap::new();
        let mut queue = Vec::new();
        for (hash, tx) in &inner.txs {
            if tx.requires.is_empty() {
                queue.push(*hash);
            } else {
                missing.insert(*hash, tx.requires.len());
                for tag in &tx.requires {
                    waiting.entry(tag).or_default().push(*hash);
                }
            }
        }
        let mut ready = HashSet::new();
        while let Some(hash) = queue.pop() {
            if !ready.insert(hash) {
                continue;
            }
            let Some(tx) = inner.txs.get(&hash) else {
                continue;
            };
            for tag in &tx.provides {
                // Only the transaction the pool credits with the tag unlocks it.
                if inner.provider.get(tag) != Some(&hash) {
                    continue;
                }
                for dependent in waiting.get(tag).into_iter().flatten() {
                    if let Some(count) = missing.get_mut(dependent) {
                        *count = count.saturating_sub(1);
                        if *count == 0 {
                            queue.push(*dependent);
                        }
                    }
                }
            }
        }
        let newly: Vec<H256> = ready.difference(&before).copied().collect();
        inner.future = inner
            .txs
            .keys()
            .filter(|hash| !ready.contains(*hash))
            .copied()
            .collect();
        inner.ready = ready;
        newly
    }

    /// Whether every tag `hash` requires is provided by a ready transaction.
    fn requirements_met(inner: &Inner, hash: &H256) -> bool {
        inner.txs.get(hash).is_some_and(|tx| {
            tx.requires.iter().all(|tag| {
                inner
                    .provider
                    .get(tag)
                    .is_some_and(|provider| inner.ready.contains(provider))
            })
        })
    }

    /// Readiness after adding `hash` (already in `txs`, credited with its tags): it is ready if
    /// its requirements are, and then so may become future transactions waiting on it.
    /// Returns those that became ready. Agrees with [`Self::recompute_ready`] (tested).
    fn admit(inner: &mut Inner, hash: H256) -> Vec<H256> {
        let mut newly = Vec::new();
        let mut queue = vec![hash];
        inner.future.insert(hash);
        while let Some(next) = queue.pop() {
            if inner.ready.contains(&next) || !Self::requirements_met(inner, &next) {
                continue;
            }
            inner.future.remove(&next);
            inner.ready.insert(next);
            newly.push(next);
            let Some(tx) = inner.txs.get(&next) else {
                continue;
            };
            let unlocks: Vec<H256> = inner
                .future
                .iter()
                .filter(|waiting| {
                    inner
                        .txs
                        .get(*waiting)
                        .is_some_and(|w| w.requires.iter().any(|tag| tx.provides.contains(tag)))
                })
                .copied()
                .collect();
            queue.extend(unlocks);
        }
        newly
    }

    /// Readiness after only included transactions left the pool: the ready ones stay ready
    /// (each requirement was provided by a transaction still ready, or by one now on chain,
    /// whose tag was pruned from it), and future ones whose requirements are now met become
    /// ready with what they unlock. O(future) instead of [`Self::recompute_ready`]'s O(pool);
    /// agrees with it (tested).
    fn promote_future(inner: &mut Inner) -> Vec<H256> {
        let waiting: Vec<H256> = inner.future.iter().copied().collect();
        let mut newly = Vec::new();
        for hash in waiting {
            if inner.future.contains(&hash) && Self::requirements_met(inner, &hash) {
                newly.extend(Self::admit(inner, hash));
            }
        }
        newly
    }

    /// Ready transactions in the order a block should take them: highest priority first among
    /// those whose requirements are met by earlier ones.
    pub fn ready_for_block(&self) -> Vec<ReadyTx> {
        let inner = self.lock();
        #[derive(PartialEq, Eq)]
        struct Candidate(u64, std::cmp::Reverse<u64>, H256);
        impl Ord for Candidate {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                (self.0, &self.1).cmp(&(other.0, &other.1))
            }
        }
        impl PartialOrd for Candidate {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        let mut provided: HashSet<&Tag> = HashSet::new();
        let mut heap = BinaryHeap::new();
        let mut waiting: HashMap<&Tag, Vec<H256>> = HashMap::new();
        for hash in &inner.ready {
            let Some(tx) = inner.txs.get(hash) else {
                continue;
            };
            if tx.requires.is_empty() {
                heap.push(Candidate(tx.priority, std::cmp::Reverse(tx.seq), *hash));
            }
            for tag in &tx.requires {
                waiting.entry(tag).or_default().push(*hash);
            }
        }
        let mut order = Vec::with_capacity(inner.ready.len());
        while let Some(Candidate(_, _, hash)) = heap.pop() {
            let Some(tx) = inner.txs.get(&hash) else {
                continue;
            };
            order.push(ReadyTx {
                hash,
                bytes: Arc::clone(&tx.bytes),
            });
            for tag in &tx.provides {
                provided.insert(tag);
                for dependent in waiting.get(tag).into_iter().flatten() {
                    if let Some(dep) = inner.txs.get(dependent) {
                        if dep.requires.iter().all(|t| provided.contains(t)) {
                            heap.push(Candidate(
                                dep.priority,
                                std::cmp::Reverse(dep.seq),
                                *dependent,
                            ));
                        }
                    }
                }
            }
        }
        order
    }

    /// After block `hash` (number `number`) joined the best chain: included transactions leave
    /// with `inBlock` (their watchers wait for `finalized` or `retracted`, see
    /// [`Pool::on_finalized`], [`Pool::on_retracted`]); invalid ones are banned; the tags the
    /// block provided are pruned, transactions that provided them too are stale and dropped,
    /// expired ones are dropped.
    pub fn on_block(
        &self,
        block_hash: H256,
        number: BlockNumber,
        included: &[H256],
        invalid: &[H256],
    ) {
        let mut inner = self.lock();
        let mut pruned: HashSet<Tag> = HashSet::new();
        // Whether anything left besides the included transactions (then readiness is
        // recomputed in full: a ready transaction may have lost its provider).
        let mut others_left = false;
        for hash in included {
            if let Some(mut tx) = Self::remove_tx(&mut inner, hash) {
                pruned.extend(tx.provides.iter().cloned());
                send(&mut tx.watchers, &TransactionStatus::InBlock(block_hash));
                if !tx.watchers.is_empty() {
                    inner
                        .in_block
                        .entry(block_hash)
                        .or_default()
                        .push((*hash, std::mem::take(&mut tx.watchers)));
                }
            }
        }
        for hash in invalid {
            self.ban(&mut inner, *hash);
            if let Some(mut tx) = Self::remove_tx(&mut inner, hash) {
                others_left = true;
                send(&mut tx.watchers, &TransactionStatus::Invalid);
            }
        }
        let stale: Vec<H256> = inner
            .txs
            .iter()
            .filter(|(_, tx)| {
                tx.provides.iter().any(|t| pruned.contains(t)) || tx.valid_till <= number
            })
            .map(|(h, _)| *h)
            .collect();
        for hash in stale {
            if let Some(mut tx) = Self::remove_tx(&mut inner, &hash) {
                others_left = true;
                send(&mut tx.watchers, &TransactionStatus::Invalid);
            }
        }
        for tx in inner.txs.values_mut() {
            tx.requires.retain(|t| !pruned.contains(t));
        }
        let oldest_kept = number.saturating_sub(PRUNED_TAGS_KEPT_FOR);
        inner.pruned_tags.retain(|_, at| *at >= oldest_kept);
        inner
            .pruned_tags
            .extend(pruned.into_iter().map(|tag| (tag, number)));
        let newly_ready = if others_left {
            Self::recompute_ready(&mut inner)
        } else {
            Self::promote_future(&mut inner)
        };
        for hash in newly_ready {
            if let Some(tx) = inner.txs.get_mut(&hash) {
                send(&mut tx.watchers, &TransactionStatus::Ready);
            }
        }
        let ban_time = self.config.ban_time;
        inner.banned.retain(|_, since| since.elapsed() < ban_time);
    }

    /// These blocks became final (ascending): the watchers of their transactions hear
    /// `finalized`; those of `pruned` blocks are let go.
    pub fn on_finalized(&self, blocks: &[H256], pruned: &[H256]) {
        let mut inner = self.lock();
        for block in blocks {
            for (_, mut watchers) in inner.in_block.remove(block).unwrap_or_default() {
                send(&mut watchers, &TransactionStatus::Finalized(*block));
            }
        }
        for block in pruned {
            inner.in_block.remove(block);
        }
    }

    /// The watchers of transaction `tx`, included in `block` (which joined the best chain),
    /// hear `inBlock` and wait for that block to be final or retracted.
    pub fn watch_included(
        &self,
        block: H256,
        tx: H256,
        mut watchers: Vec<mpsc::UnboundedSender<TransactionStatus>>,
    ) {
        send(&mut watchers, &TransactionStatus::InBlock(block));
        if !watchers.is_empty() {
            self.lock()
                .in_block
                .entry(block)
                .or_default()
                .push((tx, watchers));
        }
    }

    /// Block `block` left the best chain: the watchers of its transactions hear `retracted`
    /// and are handed back by transaction hash, for the transactions put back in the pool.
    pub fn on_retracted(
        &self,
        block: H256,
    ) -> HashMap<H256, Vec<mpsc::UnboundedSender<TransactionStatus>>> {
        let mut inner = self.lock();
        let mut watched = HashMap::new();
        for (hash, mut watchers) in inner.in_block.remove(&block).unwrap_or_default() {
            send(&mut watchers, &TransactionStatus::Retracted(block));
            watched.insert(hash, watchers);
        }
        watched
    }

    /// Replaces transactions' validity after revalidation against block `at_number`, or drops
    /// them (`Invalid`). Readiness is recomputed once for the whole batch.
    pub fn revalidated(
        &self,
        results: impl IntoIterator<Item = (H256, Result<ValidTransaction, TransactionValidityError>)>,
        at_number: BlockNumber,
    ) {
        let mut inner = self.lock();
        for (hash, validity) in results {
            match validity {
                Ok(valid) => {
                    if let Some(tx) = inner.txs.get_mut(&hash) {
                        tx.priority = valid.priority;
                        tx.requires = valid.requires;
                        tx.valid_till = at_number
                            .saturating_add(u32::try_from(valid.longevity).unwrap_or(u32::MAX));
                    }
                }
                Err(_) => {
                    self.ban(&mut inner, hash);
                    if let Some(mut tx) = Self::remove_tx(&mut inner, &hash) {
                        send(&mut tx.watchers, &TransactionStatus::Invalid);
                    }
                }
            }
        }
        let newly_ready = Self::recompute_ready(&mut inner);
        for hash in newly_ready {
            if let Some(tx) = inner.txs.get_mut(&hash) {
                send(&mut tx.watchers, &TransactionStatus::Ready);
            }
        }
    }

    /// The next `limit` transactions to revalidate, round-robin over the pool by age, so every
    /// transaction is rechecked within a few blocks at a bounded cost per block.
    pub fn revalidation_batch(&self, limit: usize) -> Vec<ReadyTx> {
        let mut inner = self.lock();
        let mut all: Vec<(u64, H256)> = inner.txs.iter().map(|(h, t)| (t.seq, *h)).collect();
        all.sort_unstable();
        let cursor = inner.revalidation_cursor;
        let start = cursor.map_or(0, |cursor| all.partition_point(|(seq, _)| *seq <= cursor));
        let batch: Vec<(u64, H256)> = all
            .iter()
            .cycle()
            .skip(start)
            .take(limit.min(all.len()))
            .copied()
            .collect();
        if let Some((seq, _)) = batch.last() {
            inner.revalidation_cursor = Some(*seq);
        }
        batch
            .into_iter()
            .filter_map(|(_, hash)| {
                inner.txs.get(&hash).map(|t| ReadyTx {
                    hash,
                    bytes: Arc::clone(&t.bytes),
                })
            })
            .collect()
    }

    /// Every transaction (hash and bytes), oldest first.
    pub fn all(&self) -> Vec<ReadyTx> {
        let inner = self.lock();
        let mut all: Vec<_> = inner
            .txs
            .iter()
            .map(|(h, t)| {
                (
                    t.seq,
                    ReadyTx {
                        hash: *h,
                        bytes: Arc::clone(&t.bytes),
                    },
                )
            })
            .collect();
        all.sort_by_key(|(seq, _)| *seq);
        all.into_iter().map(|(_, tx)| tx).collect()
    }

    /// Removes transactions by hash (`author_removeExtrinsic`); returns those removed.
    pub fn remove(&self, hashes: &[H256]) -> Vec<H256> {
        let mut inner = self.lock();
        let removed: Vec<H256> = hashes
            .iter()
            .filter_map(|hash| {
                Self::remove_tx(&mut inner, hash).map(|mut tx| {
                    send(&mut tx.watchers, &TransactionStatus::Dropped);
                    *hash
                })
            })
            .collect();
        Self::recompute_ready(&mut inner);
        removed
    }

    /// The account's next nonce: `chain_nonce` raised past its ready transactions.
    pub fn next_nonce(&self, account: &[u8; 32], chain_nonce: u32) -> u32 {
        let inner = self.lock();
        let mut nonce = chain_nonce;
        loop {
            let mut tag = account.to_vec();
            tag.extend_from_slice(&nonce.to_le_bytes());
            match inner.provider.get(&tag) {
                Some(hash) if inner.ready.contains(hash) => nonce = nonce.saturating_add(1),
                _ => return nonce,
            }
        }
    }

    /// `(ready, future)` counts.
    pub fn status(&self) -> (usize, usize) {
        let inner = self.lock();
        (
            inner.ready.len(),
            inner.txs.len().saturating_sub(inner.ready.len()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::transaction_validity::InvalidTransaction;

    fn tag(who: u8, nonce: u32) -> Tag {
        let mut t = vec![who; 32];
        t.extend_from_slice(&nonce.to_le_bytes());
        t
    }

    fn valid(who: u8, nonce: u32, chain_nonce: u32, tip: u64) -> ValidTransaction {
        ValidTransaction {
            priority: tip,
            requires: if nonce > chain_nonce {
                vec![tag(who, nonce - 1)]
            } else {
                vec![]
            },
            provides: vec![tag(who, nonce)],
            longevity: 64,
            propagate: true,
        }
    }

    fn h(n: u8) -> H256 {
        H256([n; 32])
    }

    fn import(
        pool: &Pool,
        id: u8,
        validity: ValidTransaction,
    ) -> (
        Result<bool, SubmitError>,
        mpsc::UnboundedReceiver<TransactionStatus>,
    ) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            pool.import(h(id), vec![id; 10], Ok(validity), 1, Some(tx)),
            rx,
        )
    }

    fn drain(rx: &mut mpsc::UnboundedReceiver<TransactionStatus>) -> Vec<TransactionStatus> {
        let mut out = vec![];
        while let Ok(s) = rx.try_recv() {
            out.push(s);
        }
        out
    }

    #[test]
    fn admitting_one_transaction_agrees_with_recomputing_the_whole_pool() {
        // Three senders' nonces 0..4 arriving in a scrambled order, with a higher-tip
        // replacement now and then (which takes the full recomputation path).
        let pool = Pool::new(PoolConfig::default());
        let mut id = 0u8;
        let mut saw_future_and_ready = false;
        for step in 0..15u32 {
            let who = (step % 3) as u8 + 1;
            let nonce = (step * 7 + u32::from(who)) % 5;
            id += 1;
            let tip = u64::from(step % 4 == 3);
            let _ = pool.import(h(id), vec![id; 10], Ok(valid(who, nonce, 0, tip)), 1, None);
            let mut inner = pool.lock();
            let (ready, future) = (inner.ready.clone(), inner.future.clone());
            Pool::recompute_ready(&mut inner);
            assert_eq!(ready, inner.ready, "ready after step {step}");
            assert_eq!(future, inner.future, "future after step {step}");
            assert_eq!(ready.len() + future.len(), inner.txs.len());
            saw_future_and_ready |= !ready.is_empty() && !future.is_empty();
        }
        assert!(saw_future_and_ready, "the sequence exercised both states");
    }

    #[test]
    fn a_block_of_included_transactions_leaves_readiness_as_a_full_recomputation_would() {
        // Four senders, nonces 0..5 each, some with a gap (nonce 3 missing for sender 4), and
        // a sender whose chain nonce will jump past the pool (sender 3's nonce 0 included).
        let pool = Pool::new(PoolConfig::default());
        let mut id = 0u8;
        let mut ids = std::collections::HashMap::new();
        for who in 1..=4u8 {
            for nonce in 0..5u32 {
                if who == 4 && nonce == 3 {
                    continue;
                }
                id += 1;
                ids.insert((who, nonce), h(id));
                pool.import(h(id), vec![id; 10], Ok(valid(who, nonce, 0, 0)), 1, None)
                    .unwrap();
            }
        }
        for (number, block) in [
            vec![(1, 0), (1, 1), (2, 0), (3, 0)],
            vec![(1, 2), (2, 1), (4, 0), (4, 1), (4, 2)],
            vec![(1, 3), (3, 1), (3, 2)],
        ]
        .into_iter()
        .enumerate()
        {
            let included: Vec<H256> = block.iter().map(|key| ids[key]).collect();
            let number = u32::try_from(number).unwrap() + 2;
            pool.on_block(h(200), number, &included, &[]);
            let mut inner = pool.lock();
            let (ready, future) = (inner.ready.clone(), inner.future.clone());
            Pool::recompute_ready(&mut inner);
            assert_eq!(ready, inner.ready, "ready after block {number}");
            assert_eq!(future, inner.future, "future after block {number}");
        }
        // Sender 4's nonce 4 still waits for the missing 3.
        assert!(pool.lock().future.contains(&ids[&(4, 4)]));
    }

    #[test]
    fn future_becomes_ready_when_the_gap_is_filled() {
        let pool = Pool::new(PoolConfig::default());
        let (r, mut w2) = import(&pool, 2, valid(1, 1, 0, 0));
        assert!(!r.unwrap());
        assert_eq!(drain(&mut w2), vec![TransactionStatus::Future]);
        let (r, mut w1) = import(&pool, 1, valid(1, 0, 0, 0));
        assert!(r.unwrap());
        assert_eq!(drain(&mut w1), vec![TransactionStatus::Ready]);
        assert_eq!(drain(&mut w2), vec![TransactionStatus::Ready]);
        let order: Vec<_> = pool.ready_for_block().into_iter().map(|t| t.hash).collect();
        assert_eq!(order, vec![h(1), h(2)], "dependency order");
        assert_eq!(pool.next_nonce(&[1; 32], 0), 2);
    }

    #[test]
    fn higher_tip_goes_first_among_independent_senders() {
        let pool = Pool::new(PoolConfig::default());
        import(&pool, 1, valid(1, 0, 0, 5)).0.unwrap();
        import(&pool, 2, valid(2, 0, 0, 50)).0.unwrap();
        import(&pool, 3, valid(3, 0, 0, 10)).0.unwrap();
        let order: Vec<_> = pool.ready_for_block().into_iter().map(|t| t.hash).collect();
        assert_eq!(order, vec![h(2), h(3), h(1)]);
    }

    #[test]
    fn replacement_needs_a_higher_priority() {
        let pool = Pool::new(PoolConfig::default());
        let (_, mut old) = import(&pool, 1, valid(1, 0, 0, 5));
        assert!(matches!(
            import(&pool, 2, valid(1, 0, 0, 5)).0,
            Err(SubmitError::TooLowPriority)
        ));
        assert!(import(&pool, 3, valid(1, 0, 0, 6)).0.unwrap());
        assert_eq!(
            drain(&mut old),
            vec![TransactionStatus::Ready, TransactionStatus::Usurped(h(3))]
        );
        assert_eq!(pool.status(), (1, 0));
    }

    #[test]
    fn duplicates_banned_and_full_are_refused() {
        let pool = Pool::new(PoolConfig {
            max_count: 2,
            ..PoolConfig::default()
        });
        import(&pool, 1, valid(1, 0, 0, 0)).0.unwrap();
        assert!(matches!(
            import(&pool, 1, valid(1, 0, 0, 0)).0,
            Err(SubmitError::AlreadyImported)
        ));
        let bad = pool.import(
            h(9),
            vec![9],
            Err(InvalidTransaction::BadProof.into()),
            1,
            None,
        );
        assert!(matches!(bad, Err(SubmitError::Invalid(_))));
        assert!(matches!(
            pool.check_new(&h(9)),
            Err(SubmitError::TemporarilyBanned)
        ));
        import(&pool, 2, valid(2, 0, 0, 0)).0.unwrap();
        assert!(matches!(
            import(&pool, 3, valid(3, 0, 0, 0)).0,
            Err(SubmitError::PoolFull)
        ));
    }

    #[test]
    fn the_future_queue_has_its_own_limit_and_ready_transactions_evict_future_ones() {
        let pool = Pool::new(PoolConfig {
            max_count: 4,
            max_future: 2,
            ..PoolConfig::default()
        });
        // Far-future nonces of one sender: two are kept, the third refused.
        import(&pool, 10, valid(1, 5, 0, 0)).0.unwrap();
        let (_, mut newest_future) = import(&pool, 11, valid(1, 6, 0, 0));
        assert!(matches!(
            import(&pool, 12, valid(1, 7, 0, 0)).0,
            Err(SubmitError::PoolFull)
        ));
        assert_eq!(pool.status(), (0, 2));
        import(&pool, 20, valid(2, 0, 0, 0)).0.unwrap();
        import(&pool, 30, valid(3, 0, 0, 0)).0.unwrap();
        // The pool is full; an ordinary ready transfer takes the newest future one's place.
        assert!(import(&pool, 40, valid(4, 0, 0, 0)).0.unwrap());
        assert_eq!(pool.status(), (3, 1));
        assert_eq!(
            drain(&mut newest_future),
            vec![TransactionStatus::Future, TransactionStatus::Dropped]
        );
        // With only ready ones left to evict, a higher tip evicts the lowest one.
        import(&pool, 13, valid(5, 0, 0, 0)).0.unwrap();
        assert_eq!(pool.status(), (4, 0));
        assert!(matches!(
            import(&pool, 14, valid(6, 0, 0, 0)).0,
            Err(SubmitError::PoolFull)
        ));
        assert!(import(&pool, 15, valid(6, 0, 0, 9)).0.unwrap());
        assert_eq!(pool.status(), (4, 0));
    }

    #[test]
    fn one_sender_holds_at_most_its_share_of_the_pool() {
        let pool = Pool::new(PoolConfig {
            max_per_sender: 2,
            ..PoolConfig::default()
        });
        import(&pool, 1, valid(1, 0, 0, 0)).0.unwrap();
        import(&pool, 2, valid(1, 1, 0, 0)).0.unwrap();
        assert!(matches!(
            import(&pool, 3, valid(1, 2, 0, 0)).0,
            Err(SubmitError::PoolFull)
        ));
        // A replacement is not one more.
        assert!(import(&pool, 4, valid(1, 1, 0, 5)).0.unwrap());
        assert!(import(&pool, 5, valid(2, 0, 0, 0)).0.unwrap());
        // Once one leaves in a block, the sender may submit again.
        pool.on_block(h(99), 2, &[h(1)], &[]);
        assert!(import(&pool, 3, valid(1, 2, 0, 0)).0.unwrap());
    }

    #[test]
    fn the_ban_list_is_bounded_and_forgets_the_oldest_ban_first() {
        let pool = Pool::new(PoolConfig {
            max_banned: 2,
            ..PoolConfig::default()
        });
        for id in [1, 2, 3] {
            let _ = pool.import(
                h(id),
                vec![id],
                Err(InvalidTransaction::BadProof.into()),
                1,
                None,
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(pool.check_new(&h(1)).is_ok(), "the oldest ban was dropped");
        for id in [2, 3] {
            assert!(matches!(
                pool.check_new(&h(id)),
                Err(SubmitError::TemporarilyBanned)
            ));
        }
    }

    #[test]
    fn block_inclusion_finalizes_prunes_and_promotes() {
        let pool = Pool::new(PoolConfig::default());
        let (_, mut first) = import(&pool, 1, valid(1, 0, 0, 0));
        // A competing transaction for the same nonce with the same priority is refused.
        assert!(matches!(
            pool.import(h(7), vec![7], Ok(valid(1, 0, 0, 0)), 1, None),
            Err(SubmitError::TooLowPriority)
        ));
        let (_, mut second) = import(&pool, 2, valid(1, 1, 0, 0));
        drain(&mut first);
        drain(&mut second);
        pool.on_block(h(100), 2, &[h(1)], &[]);
        assert_eq!(drain(&mut first), vec![TransactionStatus::InBlock(h(100))]);
        // `finalized` only once the block is final, not at inclusion.
        pool.on_finalized(&[h(100)], &[]);
        assert_eq!(
            drain(&mut first),
            vec![TransactionStatus::Finalized(h(100))]
        );
        assert!(drain(&mut second).is_empty(), "still ready, no new status");
        let order: Vec<_> = pool.ready_for_block().into_iter().map(|t| t.hash).collect();
        assert_eq!(order, vec![h(2)]);
    }

    #[test]
    fn revalidation_batches_cycle_through_the_pool() {
        let pool = Pool::new(PoolConfig::default());
        for id in 1..=5u8 {
            import(&pool, id, valid(id, 0, 0, 0)).0.unwrap();
        }
        let first: Vec<_> = pool
            .revalidation_batch(2)
            .into_iter()
            .map(|t| t.hash)
            .collect();
        let second: Vec<_> = pool
            .revalidation_batch(2)
            .into_iter()
            .map(|t| t.hash)
            .collect();
        let third: Vec<_> = pool
            .revalidation_batch(2)
            .into_iter()
            .map(|t| t.hash)
            .collect();
        assert_eq!(first, vec![h(1), h(2)]);
        assert_eq!(second, vec![h(3), h(4)]);
        assert_eq!(third, vec![h(5), h(1)], "wraps around");
        pool.revalidated([(h(3), Err(InvalidTransaction::Payment.into()))], 2);
        assert!(matches!(
            pool.check_new(&h(3)),
            Err(SubmitError::TemporarilyBanned)
        ));
        assert_eq!(pool.status(), (4, 0));
    }

    #[test]
    fn a_transaction_validated_before_the_latest_block_is_not_stranded() {
        let pool = Pool::new(PoolConfig::default());
        import(&pool, 1, valid(1, 0, 0, 0)).0.unwrap();
        pool.on_block(h(100), 1, &[h(1)], &[]);
        // Validated against the block before: it still requires nonce 0, which block 1 provided.
        let (ready, mut watcher) = import(&pool, 2, valid(1, 1, 0, 0));
        assert!(ready.unwrap(), "ready, not stranded in future");
        assert_eq!(drain(&mut watcher), vec![TransactionStatus::Ready]);
        // And one for the nonce block 1 already used is stale.
        assert!(matches!(
            import(&pool, 3, valid(1, 0, 0, 9)).0,
            Err(SubmitError::Invalid(_))
        ));
    }

    #[test]
    fn expired_and_invalid_transactions_leave() {
        let pool = Pool::new(PoolConfig::default());
        let (_, mut w) = import(&pool, 1, valid(1, 0, 0, 0));
        drain(&mut w);
        pool.on_block(h(100), 70, &[], &[]);
        assert_eq!(
            drain(&mut w),
            vec![TransactionStatus::Invalid],
            "past its era"
        );
        let (_, mut w) = import(&pool, 2, valid(2, 0, 0, 0));
        drain(&mut w);
        pool.on_block(h(101), 2, &[], &[h(2)]);
        assert_eq!(drain(&mut w), vec![TransactionStatus::Invalid]);
        assert!(matches!(
            pool.check_new(&h(2)),
            Err(SubmitError::TemporarilyBanned)
        ));
    }
}
