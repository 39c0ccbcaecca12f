//! What the runtime's host functions act on, natively: a storage backend seen through a
//! nested overlay of changes, plus signature batching and runtime-version reading.
//!
//! The node executes blocks against an [`OverlayedExt`] over its database backend; tests use
//! [`TestExternalities`] (the same overlay over an in-memory map). Keeping one overlay type for
//! both means the transactional semantics tested natively are the ones the chain runs.

use crate::crypto::SignatureKind;
use crate::io::{LogLevel, NoOpenTransaction};
use parity_scale_codec::{Compact, Decode, Encode};
use std::collections::BTreeMap;

/// The host-side view of state and services that the runtime's imports act on.
pub trait Externalities {
    fn storage(&self, key: &[u8]) -> Option<Vec<u8>>;
    fn set_storage(&mut self, key: Vec<u8>, value: Vec<u8>);
    fn clear_storage(&mut self, key: &[u8]);
    fn exists_storage(&self, key: &[u8]) -> bool {
        self.storage(key).is_some()
    }
    fn clear_prefix(&mut self, prefix: &[u8], limit: Option<u32>) -> u32;
    fn append_storage(&mut self, key: Vec<u8>, item: Vec<u8>);
    fn next_storage_key(&self, key: &[u8]) -> Option<Vec<u8>>;
    fn storage_root(&mut self) -> [u8; 32];
    fn start_transaction(&mut self);
    fn commit_transaction(&mut self) -> Result<(), NoOpenTransaction>;
    fn rollback_transaction(&mut self) -> Result<(), NoOpenTransaction>;
    /// Checks a signature now, or defers it when a batch is open.
    fn verify(
        &mut self,
        kind: SignatureKind,
        sig: &[u8; 64],
        msg: &[u8],
        public: &[u8; 32],
    ) -> bool;
    fn start_batch_verify(&mut self);
    fn finish_batch_verify(&mut self) -> bool;
    /// The SCALE `RuntimeVersion` of `code`, read by whoever can execute it.
    fn runtime_version(&mut self, code: &[u8]) -> Option<Vec<u8>>;
    /// A new key in the node's keystore (`SessionKeys_generate_session_keys`); `None` when this
    /// call has no keystore, as for every block the chain executes.
    fn generate_key(
        &mut self,
        _kind: SignatureKind,
        _key_type: [u8; 4],
        _seed: Option<&[u8]>,
    ) -> Option<[u8; 32]> {
        None
    }
}

/// The node's keystore as a runtime call sees it: only calls made for `author_rotateKeys`
/// carry one, so no block can create keys.
pub trait KeyGenerator {
    /// Creates a key of `kind` under `key_type`, from `seed` (a secret URI) when given, else
    /// from a random seed, and returns its public key.
    fn generate(
        &self,
        kind: SignatureKind,
        key_type: [u8; 4],
        seed: Option<&str>,
    ) -> Result<[u8; 32], String>;
}

environmental::environmental!(ext: trait Externalities);

/// Runs `f` with `externalities` installed for this thread, so [`crate::io`] acts on it.
pub fn set_and_run_with_externalities<R>(
    externalities: &mut dyn Externalities,
    f: impl FnOnce() -> R,
) -> R {
    ext::using(externalities, f)
}

/// Gives `f` the installed externalities.
///
/// # Panics
/// When no externalities are installed: native runtime code must run inside
/// [`set_and_run_with_externalities`] (a programming error in a test or the node, not input).
#[allow(clippy::expect_used)]
pub fn with_externalities<R>(f: impl FnOnce(&mut dyn Externalities) -> R) -> R {
    ext::with(f).expect("runtime code called a host function outside of externalities")
}

/// Where the runtime's log lines go natively: `tracing`-free on purpose (primitives stay small),
/// the node installs its own sink via [`set_log_sink`].
pub fn log_message(level: LogLevel, target: &str, message: &str) {
    let sink = LOG_SINK.with(|s| *s.borrow());
    match sink {
        Some(sink) => sink(level, target, message),
        None if level as u8 <= LogLevel::Warn as u8 => eprintln!("[{target}] {message}"),
        None => {}
    }
}

/// A function that receives runtime log lines.
pub type LogSink = fn(LogLevel, &str, &str);

thread_local! {
    static LOG_SINK: std::cell::RefCell<Option<LogSink>> = const { std::cell::RefCell::new(None) };
}

/// Routes this thread's runtime log lines to `sink`.
pub fn set_log_sink(sink: LogSink) {
    LOG_SINK.with(|s| *s.borrow_mut() = Some(sink));
}

/// Read access to committed state, beneath every overlay.
pub trait Backend {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;
    /// The first key strictly after `key`.
    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>>;
    /// The state root after applying `changes` (`None` = removed) to this backend.
    fn root_with_changes(&self, changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> [u8; 32];
}

/// A plain in-memory state: genesis building and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InMemoryBackend(pub BTreeMap<Vec<u8>, Vec<u8>>);

impl Backend for InMemoryBackend {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key).cloned()
    }
    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.0
            .range::<[u8], _>((Excluded(key), Unbounded))
            .next()
            .map(|(k, _)| k.clone())
    }
    fn root_with_changes(&self, changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> [u8; 32] {
        let mut merged = self.0.clone();
        apply_changes(&mut merged, changes.clone());
        folio_trie::state_root(merged)
    }
}

impl InMemoryBackend {
    /// The state root of this state.
    pub fn root(&self) -> [u8; 32] {
        folio_trie::state_root(self.0.clone())
    }
}

/// Applies a change set to a plain map.
pub fn apply_changes(
    state: &mut BTreeMap<Vec<u8>, Vec<u8>>,
    changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
) {
    for (key, value) in changes {
        match value {
            Some(value) => state.insert(key, value),
            None => state.remove(&key),
        };
    }
}

/// One key's change in one layer of an [`Overlay`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    /// The value is this (`None`: removed).
    Set(Option<Vec<u8>>),
    /// The value of the layers beneath, with `count` more SCALE items (their bytes `items`)
    /// appended. Appending to the event log once per extrinsic layer costs the new items, not a
    /// copy of the whole log.
    Append { count: u32, items: Vec<u8> },
}

type Layer = BTreeMap<Vec<u8>, Change>;

/// Changes not yet written to the backend: a committed layer plus one layer per open
/// transaction. Reads look from the innermost layer outwards.
///
/// Appends (`storage_append`, used for `System.Events`) are kept as deltas in transaction
/// layers and folded into the value beneath in place when a layer commits, so a block's event
/// log is built in time proportional to its size. Invariant: whenever a transaction layer holds
/// an `Append` for a key, the committed layer holds a `Set` for it (its value at the start of
/// the block, put there by [`Overlay::append`]).
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    committed: Layer,
    transactions: Vec<Layer>,
}

/// Appends `count` encoded items to the encoded `Vec` in `value`, rewriting its length prefix
/// in place. A value that is not a valid vector is replaced by the items alone.
fn append_in_place(value: &mut Vec<u8>, count: u32, items: &[u8]) {
    let mut rest = &value[..];
    let decoded = Compact::<u32>::decode(&mut rest)
        .ok()
        .and_then(|Compact(old)| old.checked_add(count).map(|new| (old, new)));
    let Some((_, new_count)) = decoded else {
        *value = Compact(count).encode();
        value.extend_from_slice(items);
        return;
    };
    let old_prefix_len = value.len().saturating_sub(rest.len());
    let prefix = Compact(new_count).encode();
    if prefix.len() == old_prefix_len {
        if let Some(old_prefix) = value.get_mut(..old_prefix_len) {
            old_prefix.copy_from_slice(&prefix);
        }
    } else {
        // Only when the count crosses a compact-encoding boundary (64, 2^14, 2^30).
        value.splice(..old_prefix_len, prefix);
    }
    value.extend_from_slice(items);
}

/// A fresh encoded `Vec` of `count` items.
fn fresh_vec(count: u32, items: &[u8]) -> Vec<u8> {
    let mut value = Compact(count).encode();
    value.extend_from_slice(items);
    value
}

/// Folds `change` (from the layer above) into `layer`.
fn fold_into(layer: &mut Layer, key: Vec<u8>, change: Change) {
    match change {
        Change::Set(value) => {
            layer.insert(key, Change::Set(value));
        }
        Change::Append { count, items } => match layer.get_mut(&key) {
            Some(Change::Set(Some(value))) => append_in_place(value, count, &items),
            Some(slot @ Change::Set(None)) => *slot = Change::Set(Some(fresh_vec(count, &items))),
            Some(Change::Append {
                count: below,
                items: below_items,
            }) => {
                *below = below.saturating_add(count);
                below_items.extend_from_slice(&items);
            }
            None => {
                layer.insert(key, Change::Append { count, items });
            }
        },
    }
}

impl Overlay {
    /// `Some(value)` if the overlay touched `key` (`Some(None)`: removed).
    pub fn get(&self, key: &[u8]) -> Option<Option<Vec<u8>>> {
        let mut appended: Vec<(u32, &[u8])> = Vec::new();
        for layer in self
            .transactions
            .iter()
            .rev()
            .chain(std::iter::once(&self.committed))
        {
            match layer.get(key) {
                None => {}
                Some(Change::Append { count, items }) => appended.push((*count, items)),
                Some(Change::Set(base)) => {
                    if appended.is_empty() {
                        return Some(base.clone());
                    }
                    let mut value = base.clone();
                    for (count, items) in appended.into_iter().rev() {
                        match &mut value {
                            Some(value) => append_in_place(value, count, items),
                            None => value = Some(fresh_vec(count, items)),
                        }
                    }
                    return Some(value);
                }
            }
        }
        // By the invariant an append always has a `Set` beneath it; without one the key is
        // untouched.
        None
    }

    fn top(&mut self) -> &mut Layer {
        match self.transactions.last_mut() {
            Some(layer) => layer,
            None => &mut self.committed,
        }
    }

    pub fn set(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) {
        self.top().insert(key, Change::Set(value));
    }

    /// Appends one encoded item to the encoded `Vec` at `key`. `original` gives the value
    /// of `key` beneath the overlay (the backend's), read only the first time it is touched.
    pub fn append(
        &mut self,
        key: Vec<u8>,
        item: &[u8],
        original: impl FnOnce(&[u8]) -> Option<Vec<u8>>,
    ) {
        let touched = self.committed.contains_key(&key)
            || self
                .transactions
                .iter()
                .any(|layer| layer.contains_key(&key));
        if !touched {
            let value = original(&key);
            self.committed.insert(key.clone(), Change::Set(value));
        }
        fold_into(
            self.top(),
            key,
            Change::Append {
                count: 1,
                items: item.to_vec(),
            },
        );
    }

    /// The first key strictly after `key` touched by any layer (set or removed).
    pub fn next_changed_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.transactions
            .iter()
            .chain(std::iter::once(&self.committed))
            .filter_map(|layer| {
                layer
                    .range::<[u8], _>((Excluded(key), Unbounded))
                    .next()
                    .map(|(k, _)| k)
            })
            .min()
            .cloned()
    }

    pub fn start_transaction(&mut self) {
        self.transactions.push(BTreeMap::new());
    }

    pub fn commit_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        let layer = self.transactions.pop().ok_or(NoOpenTransaction)?;
        let below = self.top();
        for (key, change) in layer {
            fold_into(below, key, change);
        }
        Ok(())
    }

    pub fn rollback_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        self.transactions.pop().map(|_| ()).ok_or(NoOpenTransaction)
    }

    /// How many transactions are open.
    pub fn transaction_depth(&self) -> usize {
        self.transactions.len()
    }

    /// Every change, merged across layers (open transactions included).
    pub fn merged(&self) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        let mut flat = self.committed.clone();
        for layer in &self.transactions {
            for (key, change) in layer {
                fold_into(&mut flat, key.clone(), change.clone());
            }
        }
        Self::settle(flat)
    }

    /// The final value of every key of a fully folded layer.
    fn settle(layer: Layer) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        layer
            .into_iter()
            .map(|(key, change)| {
                let value = match change {
                    Change::Set(value) => value,
                    // Unreachable by the invariant (the committed layer holds a `Set`).
                    Change::Append { count, items } => Some(fresh_vec(count, &items)),
                };
                (key, value)
            })
            .collect()
    }

    /// Takes every change out, leaving the overlay empty. Open transactions are committed.
    pub fn drain(&mut self) -> BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        while self.commit_transaction().is_ok() {}
        let committed = std::mem::take(&mut self.committed);
        *self = Self::default();
        Self::settle(committed)
    }
}

/// The reference meaning of `storage_append` (the overlay's in-place appends are checked
/// against it): appends one SCALE item to an encoded `Vec` by rewriting its length prefix. A value that
/// is not a valid vector is replaced by a one-item vector (as Substrate does).
#[cfg(test)]
fn append_to_encoded_vec(existing: Option<&[u8]>, item: &[u8]) -> Vec<u8> {
    let fresh = || {
        let mut out = Compact(1u32).encode();
        out.extend_from_slice(item);
        out
    };
    let Some(mut existing) = existing else {
        return fresh();
    };
    let original = existing;
    let Ok(Compact(count)) = Compact::<u32>::decode(&mut existing) else {
        return fresh();
    };
    let Some(new_count) = count.checked_add(1) else {
        return fresh();
    };
    let items = existing;
    let mut out = Compact(new_count).encode();
    out.reserve(items.len().saturating_add(item.len()));
    out.extend_from_slice(items);
    out.extend_from_slice(item);
    debug_assert!(original.len() >= items.len());
    out
}

pub use crate::verification::{BatchMode, BatchVerifier, SignatureReuse, VerifiedSignatures};

/// Reads the runtime version of candidate code (the node plugs in its executor).
pub type RuntimeVersionReader = Box<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send>;

/// Externalities over a backend `B`, with a nested overlay of changes.
pub struct OverlayedExt<'a, B: Backend> {
    backend: &'a B,
    overlay: &'a mut Overlay,
    batch: BatchVerifier,
    version_reader: Option<&'a RuntimeVersionReader>,
    verified: Option<(&'a VerifiedSignatures, SignatureReuse)>,
    keys: Option<&'a dyn KeyGenerator>,
    /// Signatures deferred into the open batch while recording: remembered as valid only once
    /// the batch is (a batch with one bad signature fails as a whole).
    unconfirmed: Vec<[u8; 32]>,
    /// The overlay's transaction depth when the call began: the runtime may close only the
    /// transactions it opened, and those it leaves open (a trap, a timeout, a bug) are rolled
    /// back when the call ends, so they can never be committed with the block.
    base_depth: usize,
}

impl<B: Backend> Drop for OverlayedExt<'_, B> {
    fn drop(&mut self) {
        while self.overlay.transaction_depth() > self.base_depth {
            if self.overlay.rollback_transaction().is_err() {
                break;
            }
        }
    }
}

impl<'a, B: Backend> OverlayedExt<'a, B> {
    pub fn new(
        backend: &'a B,
        overlay: &'a mut Overlay,
        version_reader: Option<&'a RuntimeVersionReader>,
    ) -> Self {
        let base_depth = overlay.transaction_depth();
        Self {
            base_depth,
            backend,
            overlay,
            batch: BatchVerifier::default(),
            version_reader,
            verified: None,
            keys: None,
            unconfirmed: Vec::new(),
        }
    }

    /// How batches the runtime opens are checked (default: in parallel while it runs).
    pub fn with_batch_mode(mut self, mode: BatchMode) -> Self {
        self.batch = BatchVerifier::new(mode);
        self
    }

    /// Records valid signatures into `verified`, or answers from it (see [`SignatureReuse`]).
    pub fn with_verified_signatures(
        mut self,
        verified: &'a VerifiedSignatures,
        reuse: SignatureReuse,
    ) -> Self {
        self.verified = Some((verified, reuse));
        self
    }

    /// Lets the call create keys in `keys` (`SessionKeys_generate_session_keys`).
    pub fn with_keys(mut self, keys: &'a dyn KeyGenerator) -> Self {
        self.keys = Some(keys);
        self
    }
}

impl<B: Backend> Externalities for OverlayedExt<'_, B> {
    fn storage(&self, key: &[u8]) -> Option<Vec<u8>> {
        match self.overlay.get(key) {
            Some(value) => value,
            None => self.backend.get(key),
        }
    }
    fn set_storage(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.overlay.set(key, Some(value));
    }
    fn clear_storage(&mut self, key: &[u8]) {
        self.overlay.set(key.to_vec(), None);
    }
    fn clear_prefix(&mut self, prefix: &[u8], limit: Option<u32>) -> u32 {
        let mut removed = 0u32;
        let mut cursor = prefix.to_vec();
        if self.exists_storage(prefix) {
            self.clear_storage(prefix);
            removed = removed.saturating_add(1);
        }
        while limit.is_none_or(|l| removed < l) {
            let Some(key) = self.next_storage_key(&cursor) else {
                break;
            };
            if !key.starts_with(prefix) {
                break;
            }
            self.clear_storage(&key);
            removed = removed.saturating_add(1);
            cursor = key;
        }
        removed
    }
    fn append_storage(&mut self, key: Vec<u8>, item: Vec<u8>) {
        let backend = self.backend;
        self.overlay.append(key, &item, |key| backend.get(key));
    }
    fn next_storage_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        let mut cursor = key.to_vec();
        loop {
            let from_backend = self.backend.next_key(&cursor);
            let from_overlay = self.overlay.next_changed_key(&cursor);
            let candidate = match (from_backend, from_overlay) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b)?,
            };
            if self.storage(&candidate).is_some() {
                return Some(candidate);
            }
            cursor = candidate;
        }
    }
    fn storage_root(&mut self) -> [u8; 32] {
        self.backend.root_with_changes(&self.overlay.merged())
    }
    fn start_transaction(&mut self) {
        self.overlay.start_transaction()
    }
    fn commit_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        if self.overlay.transaction_depth() <= self.base_depth {
            return Err(NoOpenTransaction);
        }
        self.overlay.commit_transaction()
    }
    fn rollback_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        if self.overlay.transaction_depth() <= self.base_depth {
            return Err(NoOpenTransaction);
        }
        self.overlay.rollback_transaction()
    }
    fn verify(
        &mut self,
        kind: SignatureKind,
        sig: &[u8; 64],
        msg: &[u8],
        public: &[u8; 32],
    ) -> bool {
        let Some((verified, reuse)) = self.verified else {
            return self.batch.verify(kind, sig, msg, public);
        };
        let key = VerifiedSignatures::key(kind, sig, msg, public);
        match reuse {
            SignatureReuse::Consume if verified.take(&key) => true,
            SignatureReuse::Consume => self.batch.verify(kind, sig, msg, public),
            SignatureReuse::Record if self.batch.is_open() => {
                self.unconfirmed.push(key);
                self.batch.verify(kind, sig, msg, public)
            }
            SignatureReuse::Record => {
                let valid = crate::crypto::native::verify(kind, sig, msg, public);
                if valid {
                    verified.record(key);
                }
                valid
            }
        }
    }
    fn start_batch_verify(&mut self) {
        self.batch.start()
    }
    fn finish_batch_verify(&mut self) -> bool {
        let valid = self.batch.finish();
        let unconfirmed = core::mem::take(&mut self.unconfirmed);
        if let (true, Some((verified, SignatureReuse::Record))) = (valid, self.verified) {
            for key in unconfirmed {
                verified.record(key);
            }
        }
        valid
    }
    fn runtime_version(&mut self, code: &[u8]) -> Option<Vec<u8>> {
        self.version_reader.and_then(|read| read(code))
    }
    fn generate_key(
        &mut self,
        kind: SignatureKind,
        key_type: [u8; 4],
        seed: Option<&[u8]>,
    ) -> Option<[u8; 32]> {
        let keys = self.keys?;
        // A seed is a secret URI (`//Alice`, a phrase, a `0x` seed): text, or no key at all.
        let seed = match seed.map(core::str::from_utf8) {
            Some(Ok(seed)) => Some(seed),
            Some(Err(_)) => return None,
            None => None,
        };
        keys.generate(kind, key_type, seed).ok()
    }
}

/// In-memory state plus overlay for native tests: `execute_with` runs runtime code against it.
#[derive(Default)]
pub struct TestExternalities {
    pub backend: InMemoryBackend,
    pub overlay: Overlay,
    version_reader: Option<RuntimeVersionReader>,
}

impl TestExternalities {
    pub fn new(state: BTreeMap<Vec<u8>, Vec<u8>>) -> Self {
        Self {
            backend: InMemoryBackend(state),
            ..Self::default()
        }
    }

    /// Lets `set_code` read candidate versions in tests.
    pub fn with_runtime_version_reader(mut self, reader: RuntimeVersionReader) -> Self {
        self.version_reader = Some(reader);
        self
    }

    /// Runs `f` with this state installed as the thread's externalities.
    pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let mut ext = OverlayedExt::new(
            &self.backend,
            &mut self.overlay,
            self.version_reader.as_ref(),
        );
        set_and_run_with_externalities(&mut ext, f)
    }

    /// As [`Self::execute_with`], with a keystore the call may create keys in.
    pub fn execute_with_keys<R>(&mut self, keys: &dyn KeyGenerator, f: impl FnOnce() -> R) -> R {
        let mut ext = OverlayedExt::new(
            &self.backend,
            &mut self.overlay,
            self.version_reader.as_ref(),
        )
        .with_keys(keys);
        set_and_run_with_externalities(&mut ext, f)
    }

    /// Writes the overlay into the backend (what importing a block does).
    pub fn commit_all(&mut self) {
        apply_changes(&mut self.backend.0, self.overlay.drain());
    }

    /// The whole state as it is now, overlay included.
    pub fn snapshot(&self) -> BTreeMap<Vec<u8>, Vec<u8>> {
        let mut state = self.backend.0.clone();
        apply_changes(&mut state, self.overlay.merged());
        state
    }
}

/// Counts the distinct storage keys a call reads and writes (what a weight's database part
/// prices), passing every call on to `inner`. A key written first is not also counted as read;
/// keys in `uncounted` (a benchmark's whitelist) and `also_uncounted` (its own bookkeeping key)
/// are not counted. Used by `folio-node benchmark pallet` and by the runtime's weight tests.
pub struct KeyCounting<'a> {
    inner: &'a mut dyn Externalities,
    uncounted: &'a std::collections::BTreeSet<Vec<u8>>,
    also_uncounted: &'a [u8],
    reads: std::cell::RefCell<std::collections::BTreeSet<Vec<u8>>>,
    writes: std::collections::BTreeSet<Vec<u8>>,
}

impl<'a> KeyCounting<'a> {
    /// Counts what is done through `inner`, except the keys `uncounted` and `also_uncounted`.
    pub fn new(
        inner: &'a mut dyn Externalities,
        uncounted: &'a std::collections::BTreeSet<Vec<u8>>,
        also_uncounted: &'a [u8],
    ) -> Self {
        Self {
            inner,
            uncounted,
            also_uncounted,
            reads: Default::default(),
            writes: Default::default(),
        }
    }
    fn counted(&self, key: &[u8]) -> bool {
        key != self.also_uncounted && !self.uncounted.contains(key)
    }
    fn read(&self, key: &[u8]) {
        if self.counted(key) && !self.writes.contains(key) {
            self.reads.borrow_mut().insert(key.to_vec());
        }
    }
    fn write(&mut self, key: &[u8]) {
        if self.counted(key) {
            self.writes.insert(key.to_vec());
        }
    }
    /// The distinct keys read (not written before) and written so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.reads.borrow().len() as u64, self.writes.len() as u64)
    }
}

impl Externalities for KeyCounting<'_> {
    fn storage(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.read(key);
        self.inner.storage(key)
    }
    fn set_storage(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.write(&key);
        self.inner.set_storage(key, value)
    }
    fn clear_storage(&mut self, key: &[u8]) {
        self.write(key);
        self.inner.clear_storage(key)
    }
    fn exists_storage(&self, key: &[u8]) -> bool {
        self.read(key);
        self.inner.exists_storage(key)
    }
    fn clear_prefix(&mut self, prefix: &[u8], limit: Option<u32>) -> u32 {
        // Every key removed is a write; walk them first so each is counted by name.
        let mut cursor = prefix.to_vec();
        let mut seen = 0u32;
        while limit.is_none_or(|l| seen < l) {
            match self.inner.next_storage_key(&cursor) {
                Some(key) if key.starts_with(prefix) => {
                    self.write(&key);
                    cursor = key;
                    seen = seen.saturating_add(1);
                }
                _ => break,
            }
        }
        self.inner.clear_prefix(prefix, limit)
    }
    fn append_storage(&mut self, key: Vec<u8>, item: Vec<u8>) {
        self.write(&key);
        self.inner.append_storage(key, item)
    }
    fn next_storage_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        let next = self.inner.next_storage_key(key);
        if let Some(next) = &next {
            self.read(next);
        }
        next
    }
    fn storage_root(&mut self) -> [u8; 32] {
        self.inner.storage_root()
    }
    fn start_transaction(&mut self) {
        self.inner.start_transaction()
    }
    fn commit_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        self.inner.commit_transaction()
    }
    fn rollback_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        self.inner.rollback_transaction()
    }
    fn verify(
        &mut self,
        kind: SignatureKind,
        sig: &[u8; 64],
        msg: &[u8],
        public: &[u8; 32],
    ) -> bool {
        self.inner.verify(kind, sig, msg, public)
    }
    fn start_batch_verify(&mut self) {
        self.inner.start_batch_verify()
    }
    fn finish_batch_verify(&mut self) -> bool {
        self.inner.finish_batch_verify()
    }
    fn runtime_version(&mut self, code: &[u8]) -> Option<Vec<u8>> {
        self.inner.runtime_version(code)
    }
    fn generate_key(
        &mut self,
        kind: SignatureKind,
        key_type: [u8; 4],
        seed: Option<&[u8]>,
    ) -> Option<[u8; 32]> {
        self.inner.generate_key(kind, key_type, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext_with(pairs: &[(&[u8], &[u8])]) -> TestExternalities {
        TestExternalities::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_vec(), v.to_vec()))
                .collect(),
        )
    }

    #[test]
    fn signatures_checked_in_a_batch_are_recorded_only_when_the_whole_batch_is_valid() {
        use crate::crypto::SignatureKind;
        use crate::keyring::Sr25519Pair;
        let pair = Sr25519Pair::from_seed(&[1; 32]).unwrap();
        let public = pair.public();
        let good = pair.sign(b"good");
        let other = pair.sign(b"other");
        let bad = pair.sign(b"not what was signed");
        let backend = InMemoryBackend::default();
        let verified = VerifiedSignatures::default();
        let mut overlay = Overlay::default();
        let mut ext = OverlayedExt::new(&backend, &mut overlay, None)
            .with_verified_signatures(&verified, SignatureReuse::Record);

        ext.start_batch_verify();
        assert!(ext.verify(SignatureKind::Sr25519, &good, b"good", &public));
        assert!(
            ext.verify(SignatureKind::Sr25519, &bad, b"bad", &public),
            "deferred"
        );
        assert!(!ext.finish_batch_verify());
        assert_eq!(
            verified.len(),
            0,
            "nothing from a failed batch is remembered"
        );

        ext.start_batch_verify();
        assert!(ext.verify(SignatureKind::Sr25519, &good, b"good", &public));
        assert!(ext.verify(SignatureKind::Sr25519, &other, b"other", &public));
        assert!(ext.finish_batch_verify());
        assert_eq!(verified.len(), 2);
        assert!(verified.take(&VerifiedSignatures::key(
            SignatureKind::Sr25519,
            &good,
            b"good",
            &public
        )));
    }

    #[test]
    fn rolled_back_transaction_leaves_no_trace() {
        let mut ext = ext_with(&[(b"a", b"1")]);
        ext.execute_with(|| {
            crate::io::start_transaction();
            crate::io::storage_set(b"a", b"2");
            crate::io::storage_set(b"b", b"3");
            crate::io::start_transaction();
            crate::io::storage_clear(b"a");
            assert_eq!(crate::io::storage_get(b"a"), None);
            assert_eq!(crate::io::rollback_transaction(), Ok(()));
            assert_eq!(crate::io::storage_get(b"a"), Some(b"2".to_vec()));
            assert_eq!(crate::io::rollback_transaction(), Ok(()));
            assert_eq!(crate::io::storage_get(b"a"), Some(b"1".to_vec()));
            assert_eq!(crate::io::storage_get(b"b"), None);
            assert_eq!(crate::io::rollback_transaction(), Err(NoOpenTransaction));
        });
    }

    #[test]
    fn committed_nested_transaction_is_kept() {
        let mut ext = ext_with(&[]);
        ext.execute_with(|| {
            crate::io::start_transaction();
            crate::io::start_transaction();
            crate::io::storage_set(b"k", b"v");
            assert_eq!(crate::io::commit_transaction(), Ok(()));
            assert_eq!(crate::io::commit_transaction(), Ok(()));
        });
        assert_eq!(ext.snapshot().get(&b"k"[..]), Some(&b"v".to_vec()));
    }

    #[test]
    fn next_key_merges_backend_and_overlay_and_skips_removed() {
        let mut ext = ext_with(&[(b"a", b""), (b"c", b""), (b"e", b"")]);
        ext.execute_with(|| {
            crate::io::storage_set(b"b", b"x");
            crate::io::storage_clear(b"c");
            assert_eq!(crate::io::storage_next_key(b"a"), Some(b"b".to_vec()));
            assert_eq!(crate::io::storage_next_key(b"b"), Some(b"e".to_vec()));
            assert_eq!(crate::io::storage_next_key(b"e"), None);
        });
    }

    #[test]
    fn clear_prefix_honours_limit() {
        let mut ext = ext_with(&[(b"p1", b""), (b"p2", b""), (b"p3", b""), (b"q", b"")]);
        ext.execute_with(|| {
            assert_eq!(crate::io::storage_clear_prefix(b"p", Some(2)), 2);
            assert_eq!(crate::io::storage_clear_prefix(b"p", None), 1);
            assert!(crate::io::storage_exists(b"q"));
        });
    }

    #[test]
    fn appends_survive_commits_and_vanish_with_rollbacks_across_a_compact_boundary() {
        let mut ext = ext_with(&[]);
        ext.execute_with(|| {
            for i in 0u32..60 {
                crate::io::storage_append(b"v", &i.encode());
            }
            // Each "extrinsic" in its own layer; the count crosses 63 → 64 (a longer prefix).
            for i in 60u32..70 {
                crate::io::start_transaction();
                crate::io::storage_append(b"v", &i.encode());
                crate::io::start_transaction();
                crate::io::storage_append(b"v", &1000u32.encode());
                assert_eq!(crate::io::rollback_transaction(), Ok(()));
                assert_eq!(crate::io::commit_transaction(), Ok(()));
            }
            crate::io::start_transaction();
            crate::io::storage_append(b"v", &2000u32.encode());
            assert_eq!(crate::io::rollback_transaction(), Ok(()));
        });
        let value = ext.snapshot().remove(&b"v"[..]).unwrap();
        assert_eq!(
            Vec::<u32>::decode(&mut &value[..]).unwrap(),
            (0..70).collect::<Vec<_>>()
        );
    }

    /// One step of the overlay property test.
    #[derive(Clone, Debug)]
    enum Step {
        Set(u8, Vec<u8>),
        Clear(u8),
        Append(u8, Vec<u8>),
        Start,
        Commit,
        Rollback,
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        let key = 0u8..4;
        prop_oneof![
            1 => (key.clone(), proptest::collection::vec(any::<u8>(), 0..4))
                .prop_map(|(k, v)| Step::Set(k, v)),
            1 => key.clone().prop_map(Step::Clear),
            3 => (key, proptest::collection::vec(any::<u8>(), 0..3))
                .prop_map(|(k, v)| Step::Append(k, v)),
            2 => Just(Step::Start),
            1 => Just(Step::Commit),
            1 => Just(Step::Rollback),
        ]
    }

    proptest::proptest! {
        /// The overlay (appends as deltas, folded in place) means exactly what full copies
        /// with the reference append mean, after every step of any sequence.
        #[test]
        fn overlay_appends_match_the_reference_model(
            initial in proptest::collection::vec(proptest::option::of(proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6)), 3),
            steps in proptest::collection::vec(step(), 0..60),
        ) {
            let key = |k: u8| vec![b'k', k];
            let backend: BTreeMap<Vec<u8>, Vec<u8>> = initial
                .iter()
                .enumerate()
                .filter_map(|(k, v)| v.clone().map(|v| (key(k as u8), v)))
                .collect();
            let mut ext = TestExternalities::new(backend.clone());
            // The model: the whole state, and a saved copy per open transaction.
            let mut model: BTreeMap<Vec<u8>, Vec<u8>> = backend;
            let mut saved: Vec<BTreeMap<Vec<u8>, Vec<u8>>> = Vec::new();
            // One runtime call runs the whole sequence: the host rolls back what a call leaves
            // open when it ends, so transactions cannot span calls.
            ext.execute_with(|| -> Result<(), proptest::test_runner::TestCaseError> {
            for step in steps {
                match &step {
                    Step::Set(k, v) => {
                        crate::io::storage_set(&key(*k), v);
                        model.insert(key(*k), v.clone());
                    }
                    Step::Clear(k) => {
                        crate::io::storage_clear(&key(*k));
                        model.remove(&key(*k));
                    }
                    Step::Append(k, item) => {
                        crate::io::storage_append(&key(*k), item);
                        let next = append_to_encoded_vec(model.get(&key(*k)).map(Vec::as_slice), item);
                        model.insert(key(*k), next);
                    }
                    Step::Start => {
                        crate::io::start_transaction();
                        saved.push(model.clone());
                    }
                    Step::Commit => {
                        let open = saved.pop().is_some();
                        assert_eq!(crate::io::commit_transaction().is_ok(), open);
                    }
                    Step::Rollback => {
                        let restored = saved.pop();
                        assert_eq!(crate::io::rollback_transaction().is_ok(), restored.is_some());
                        if let Some(restored) = restored {
                            model = restored;
                        }
                    }
                }
                for k in 0..4u8 {
                    let seen = crate::io::storage_get(&key(k));
                    proptest::prop_assert_eq!(seen, model.get(&key(k)).cloned(), "after {:?}", step);
                }
                // Key order across the backend and every layer (set, removed, appended).
                let mut keys = Vec::new();
                let mut cursor = Vec::new();
                while let Some(next) = crate::io::storage_next_key(&cursor) {
                    keys.push(next.clone());
                    cursor = next;
                }
                proptest::prop_assert_eq!(&keys, &model.keys().cloned().collect::<Vec<_>>(), "after {:?}", step);
            }
            Ok(())
            })?;
            // Transactions still open when the call ended were rolled back by the host.
            if let Some(before_outermost) = saved.into_iter().next() {
                model = before_outermost;
            }
            // What a block would commit.
            proptest::prop_assert_eq!(ext.snapshot(), model);
        }
    }

    #[test]
    fn append_builds_a_decodable_vec() {
        let mut ext = ext_with(&[]);
        ext.execute_with(|| {
            for i in 0u32..70 {
                crate::io::storage_append(b"v", &i.encode());
            }
            let raw = crate::io::storage_get(b"v").unwrap_or_default();
            let items = Vec::<u32>::decode(&mut &raw[..]).expect("valid vec");
            assert_eq!(items, (0..70).collect::<Vec<_>>());
        });
    }

    #[test]
    fn root_includes_overlay() {
        let mut ext = ext_with(&[(b"a", b"1")]);
        let before = ext.backend.root();
        let during = ext.execute_with(|| {
            crate::io::storage_set(b"b", b"2");
            crate::io::storage_root()
        });
        assert_ne!(before, during);
        ext.commit_all();
        assert_eq!(ext.backend.root(), during);
    }
}
