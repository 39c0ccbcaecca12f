//! The key-value engine under the typed tables: redb, chosen in
//! docs/decisions/0001-database.md. Everything engine-specific lives here, so swapping the
//! engine means rewriting this file only.
//!
//! The contract the rest of the crate relies on:
//! - Writes are applied in the order they are handed over, each [`WriteBatch`] in one redb
//!   transaction, atomically and durably (fsync): a crash at any instant leaves each batch
//!   whole or absent, and never a later batch without an earlier one.
//! - [`Kv::write_behind`] hands a batch to the writer thread and returns: the batch is visible
//!   to every snapshot taken afterwards at once, and on disk shortly after (at most
//!   [`MAX_PENDING`] batches are waiting at any time; a caller beyond that waits). This lets a
//!   block execute while the previous one is being written. [`Kv::write`] and [`Kv::flush`]
//!   return only once everything handed over is on disk.
//! - A failed write stops all later ones: every later write or flush returns the error.
//! - A [`Snapshot`] sees the database as of its creation (written and waiting batches alike),
//!   whatever is written later.
//! - Every table is ordered by key bytes, so [`Snapshot::next_key`] is a range scan.

use std::{
    collections::{BTreeMap, VecDeque},
    ops::Bound,
    path::Path,
    sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, PoisonError},
    thread::JoinHandle,
};

use redb::{ReadableDatabase, TableDefinition};

use crate::{
    error::StorageError,
    node_cache::{self, NodeCache},
    tables::Column,
};

/// Key/value pairs in key order.
pub(crate) type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

type Table = TableDefinition<'static, &'static [u8], &'static [u8]>;

/// Batches handed over and not yet on disk, at most. One: a block executes while its parent is
/// written, and a crash loses at most the last block handed over (never part of one).
pub(crate) const MAX_PENDING: usize = 1;

const fn definition(column: Column) -> Table {
    TableDefinition::new(column.name())
}

/// The database file and its writer thread.
pub(crate) struct Kv {
    shared: Arc<Shared>,
    /// Dropped first on drop, which stops the writer once it has written what it holds.
    to_writer: Option<mpsc::Sender<Arc<Batch>>>,
    writer: Option<JoinHandle<()>>,
}

struct Shared {
    db: redb::Database,
    state: Mutex<WriteState>,
    /// Signalled whenever a batch is written (or fails).
    written: Condvar,
    /// Trie nodes recently read or written, shared by every snapshot (see [`NodeCache`]).
    nodes: Arc<NodeCache>,
}

#[derive(Default)]
struct WriteState {
    /// Handed over and not on disk yet, oldest first.
    pending: VecDeque<Arc<Batch>>,
    /// The snapshot of the current state, shared by every reader until the next change.
    /// Opening a read transaction and its tables costs more than most reads made through it
    /// (a transaction validated by the pool reads a handful of values), so readers share one.
    latest: Option<Snapshot>,
    /// Why a write failed; no write is attempted after one.
    failed: Option<String>,
}

impl Kv {
    /// Opens (or creates) the database file at `path`, makes sure every table exists (so
    /// snapshots can open them all) and starts the writer thread.
    pub(crate) fn open(path: &Path) -> Result<Self, StorageError> {
        let db = redb::Database::create(path).map_err(|e| StorageError::db("open")(e.into()))?;
        let tx = db
            .begin_write()
            .map_err(|e| StorageError::db("begin write")(e.into()))?;
        for column in Column::ALL {
            tx.open_table(definition(column))
                .map_err(|e| StorageError::db("create table")(e.into()))?;
        }
        tx.commit()
            .map_err(|e| StorageError::db("commit")(e.into()))?;
        let shared = Arc::new(Shared {
            db,
            state: Mutex::default(),
            written: Condvar::new(),
            nodes: Arc::new(NodeCache::new(node_cache::DEFAULT_BUDGET_BYTES)),
        });
        let (to_writer, batches) = mpsc::channel();
        let writer = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("folio-db-writer".into())
                .spawn(move || shared.write_in_order(&batches))
                .map_err(|source| StorageError::Io {
                    operation: "start the database writer thread",
                    path: path.to_path_buf(),
                    source,
                })?
        };
        Ok(Self {
            shared,
            to_writer: Some(to_writer),
            writer: Some(writer),
        })
    }

    /// Forgets the cached trie nodes (for tests that damage the file underneath).
    #[cfg(test)]
    pub(crate) fn clear_node_cache(&self) {
        self.shared.nodes.clear();
    }

    /// A consistent read-only view of the database as of the latest write handed over.
    pub(crate) fn snapshot(&self) -> Result<Snapshot, StorageError> {
        let mut state = self.shared.lock();
        if let Some(snapshot) = &state.latest {
            return Ok(snapshot.clone());
        }
        // Under the lock, so the writer cannot take a batch off `pending` in between: a batch
        // it finished meanwhile is then seen twice (on disk and pending), which reads the same.
        let snapshot = Snapshot {
            inner: Arc::new(SnapshotInner {
                tables: self.shared.open_tables()?,
                nodes: Arc::clone(&self.shared.nodes),
                pending: state.pending.iter().cloned().collect(),
            }),
        };
        state.latest = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// Hands `batch` to the writer and returns once it is visible to new snapshots (waiting
    /// first while [`MAX_PENDING`] batches are already waiting to be written).
    pub(crate) fn write_behind(&self, batch: WriteBatch) -> Result<(), StorageError> {
        let mut state = self.shared.lock();
        while state.pending.len() >= MAX_PENDING && state.failed.is_none() {
            state = self
                .shared
                .written
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if let Some(reason) = &state.failed {
            return Err(StorageError::WriteFailed {
                reason: reason.clone(),
            });
        }
        let batch = Arc::new(batch.columns);
        // Sent under the lock, so the writer receives batches in `pending` order.
        let sent = self
            .to_writer
            .as_ref()
            .is_some_and(|writer| writer.send(Arc::clone(&batch)).is_ok());
        if !sent {
            return Err(StorageError::WriteFailed {
                reason: "the database writer thread has stopped".into(),
            });
        }
        state.pending.push_back(batch);
        state.latest = None;
        Ok(())
    }

    /// Applies `batch` (after everything handed over before it) and returns once it is durable.
    pub(crate) fn write(&self, batch: WriteBatch) -> Result<(), StorageError> {
        self.write_behind(batch)?;
        self.flush()
    }

    /// Returns once every batch handed over is durable, or with the error that stopped them.
    pub(crate) fn flush(&self) -> Result<(), StorageError> {
        let mut state = self.shared.lock();
        while !state.pending.is_empty() && state.failed.is_none() {
            state = self
                .shared
                .written
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        match &state.failed {
            Some(reason) => Err(StorageError::WriteFailed {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Kv {
    fn drop(&mut self) {
        // The writer finishes what it holds, then sees the channel closed and stops.
        drop(self.to_writer.take());
        if let Some(writer) = self.writer.take() {
            if writer.join().is_err() {
                tracing::error!(target: "folio::storage", "the database writer thread panicked");
            }
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, WriteState> {
        // The state stays consistent even if a holder panicked: recover from poisoning.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn open_tables(&self) -> Result<Vec<ReadTable>, StorageError> {
        let tx = self
            .db
            .begin_read()
            .map_err(|e| StorageError::db("begin read")(e.into()))?;
        Column::ALL
            .iter()
            .map(|column| {
                tx.open_table(definition(*column))
                    .map_err(|e| StorageError::db("open table")(e.into()))
            })
            .collect()
    }

    /// The writer thread: writes batches in the order received until the channel closes.
    fn write_in_order(&self, batches: &mpsc::Receiver<Arc<Batch>>) {
        for batch in batches {
            if self.lock().failed.is_some() {
                continue; // Nothing after a failed write: it would leave a gap on disk.
            }
            let result = self.write_now(&batch);
            let mut state = self.lock();
            match result {
                Ok(()) => {
                    state.pending.pop_front();
                }
                Err(error) => {
                    tracing::error!(target: "folio::storage", %error, "writing a batch failed; no further writes");
                    state.failed = Some(error.to_string());
                }
            }
            // The cached snapshot pins redb pages the new commit may free: take a fresh one.
            state.latest = None;
            drop(state);
            self.written.notify_all();
        }
    }

    /// Applies `batch` in one transaction and returns once it is durable.
    fn write_now(&self, batch: &Batch) -> Result<(), StorageError> {
        let err = |op| {
            move |e: redb::Error| StorageError::Database {
                operation: op,
                source: e,
            }
        };
        let mut tx = self
            .db
            .begin_write()
            .map_err(|e| err("begin write")(e.into()))?;
        // Immediate is redb's default; set explicitly because the crash-safety contract above
        // rests on it (commit returns only after fsync).
        tx.set_durability(redb::Durability::Immediate)
            .map_err(|e| err("set durability")(e.into()))?;
        // Two-phase commit plus the allocator state saved with each commit: reopening after a
        // crash is then instant instead of a walk over the whole file, for 5-15% commit time
        // (measured in docs/decisions/0001-database.md).
        tx.set_quick_repair(true);
        for (column, ops) in batch {
            if ops.clear {
                tx.delete_table(definition(*column))
                    .map_err(|e| err("clear table")(e.into()))?;
            }
            let mut table = tx
                .open_table(definition(*column))
                .map_err(|e| err("open table")(e.into()))?;
            // Sorted (a BTreeMap): neighbouring keys land on the same pages.
            for (key, value) in &ops.puts {
                match value {
                    Some(value) => table.insert(&key[..], &value[..]).map(drop),
                    None => table.remove(&key[..]).map(drop),
                }
                .map_err(|e| err("write")(e.into()))?;
            }
        }
        tx.commit().map_err(|e| err("commit")(e.into()))
    }
}

type ReadTable = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

/// A read-only, point-in-time view of every table: a redb read transaction plus the batches
/// handed over but not yet written then. Cheap to clone. Holding one keeps the pages it sees
/// from being reused, so drop it when done.
#[derive(Clone)]
pub(crate) struct Snapshot {
    inner: Arc<SnapshotInner>,
}

struct SnapshotInner {
    tables: Vec<ReadTable>,
    nodes: Arc<NodeCache>,
    /// Oldest first; each overrides what is on disk and the ones before it.
    pending: Vec<Arc<Batch>>,
}

impl Snapshot {
    /// The trie node cache shared by every snapshot of this database.
    pub(crate) fn node_cache(&self) -> &NodeCache {
        &self.inner.nodes
    }

    fn table(&self, column: Column) -> Result<&ReadTable, StorageError> {
        // Every column is opened in `Shared::open_tables`; a miss would be a bug in this file,
        // so it is reported as a missing table rather than a panic.
        self.inner
            .tables
            .get(column.index())
            .ok_or(StorageError::Missing {
                column,
                key: Vec::new(),
            })
    }

    /// The waiting batches' operations on `column`, newest first, down to the newest that
    /// clears it; and whether what is on disk still shows (no waiting batch clears it).
    fn pending_ops(&self, column: Column) -> (Vec<&ColumnOps>, bool) {
        let mut ops = Vec::new();
        for batch in self.inner.pending.iter().rev() {
            if let Some(column_ops) = batch.get(&column) {
                ops.push(column_ops);
                if column_ops.clear {
                    return (ops, false);
                }
            }
        }
        (ops, true)
    }

    /// The value under `key`.
    pub(crate) fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let (pending, disk_shows) = self.pending_ops(column);
        for ops in pending {
            if let Some(value) = ops.puts.get(key) {
                return Ok(value.clone());
            }
        }
        if !disk_shows {
            return Ok(None);
        }
        let value = self
            .table(column)?
            .get(key)
            .map_err(|e| StorageError::db("read")(e.into()))?;
        Ok(value.map(|guard| guard.value().to_vec()))
    }

    /// The first key strictly after `key`.
    pub(crate) fn next_key(
        &self,
        column: Column,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let (pending, disk_shows) = self.pending_ops(column);
        let mut cursor = key.to_vec();
        loop {
            // The smallest key after the cursor that any layer mentions...
            let mut candidate = if disk_shows {
                self.disk_next_key(column, &cursor)?
            } else {
                None
            };
            for ops in &pending {
                let after = (Bound::Excluded(&cursor[..]), Bound::Unbounded);
                if let Some((next, _)) = ops.puts.range::<[u8], _>(after).next() {
                    if candidate.as_ref().is_none_or(|c| next < c) {
                        candidate = Some(next.clone());
                    }
                }
            }
            let Some(next) = candidate else {
                return Ok(None);
            };
            // ...unless the newest layer that mentions it removed it.
            if self.get(column, &next)?.is_some() {
                return Ok(Some(next));
            }
            cursor = next;
        }
    }

    fn disk_next_key(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let mut range = self
            .table(column)?
            .range::<&[u8]>((Bound::Excluded(key), Bound::Unbounded))
            .map_err(|e| StorageError::db("range")(e.into()))?;
        match range.next() {
            Some(entry) => {
                let (key, _) = entry.map_err(|e| StorageError::db("range")(e.into()))?;
                Ok(Some(key.value().to_vec()))
            }
            None => Ok(None),
        }
    }

    /// Every entry of `column`, in key order.
    pub(crate) fn entries(&self, column: Column) -> Result<Pairs, StorageError> {
        let (pending, disk_shows) = self.pending_ops(column);
        let mut entries = BTreeMap::new();
        if disk_shows {
            let range = self
                .table(column)?
                .range::<&[u8]>(..)
                .map_err(|e| StorageError::db("range")(e.into()))?;
            for entry in range {
                let (key, value) = entry.map_err(|e| StorageError::db("range")(e.into()))?;
                entries.insert(key.value().to_vec(), value.value().to_vec());
            }
        }
        for ops in pending.into_iter().rev() {
            for (key, value) in &ops.puts {
                match value {
                    Some(value) => entries.insert(key.clone(), value.clone()),
                    None => entries.remove(key),
                };
            }
        }
        Ok(entries.into_iter().collect())
    }
}

/// A batch's operations by column.
type Batch = BTreeMap<Column, ColumnOps>;

/// Writes collected in memory and applied at once by [`Kv::write`].
#[derive(Default)]
pub(crate) struct WriteBatch {
    columns: BTreeMap<Column, ColumnOps>,
}

#[derive(Default)]
struct ColumnOps {
    /// Empty the table before applying `puts`.
    clear: bool,
    puts: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl WriteBatch {
    /// Sets `key` to `value`.
    pub(crate) fn put(&mut self, column: Column, key: Vec<u8>, value: Vec<u8>) {
        self.columns
            .entry(column)
            .or_default()
            .puts
            .insert(key, Some(value));
    }

    /// Removes `key`.
    pub(crate) fn delete(&mut self, column: Column, key: Vec<u8>) {
        self.columns
            .entry(column)
            .or_default()
            .puts
            .insert(key, None);
    }

    /// Empties `column` before this batch's own writes to it.
    pub(crate) fn clear(&mut self, column: Column) {
        let ops = self.columns.entry(column).or_default();
        ops.clear = true;
        ops.puts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn open() -> (tempfile::TempDir, Kv) {
        let dir = tempfile::tempdir().unwrap();
        let kv = Kv::open(&dir.path().join("db")).unwrap();
        (dir, kv)
    }

    fn put(key: &[u8], value: &[u8]) -> WriteBatch {
        let mut batch = WriteBatch::default();
        batch.put(Column::FlatState, key.to_vec(), value.to_vec());
        batch
    }

    fn value(snapshot: &Snapshot, key: &[u8]) -> Option<Vec<u8>> {
        snapshot.get(Column::FlatState, key).unwrap()
    }

    #[test]
    fn readers_share_a_snapshot_until_the_next_write() {
        let (_dir, kv) = open();
        kv.write(put(b"k", b"1")).unwrap();
        let first = kv.snapshot().unwrap();
        let shared = kv.snapshot().unwrap();
        assert!(Arc::ptr_eq(&first.inner, &shared.inner));
        assert_eq!(value(&first, b"k"), Some(b"1".to_vec()));

        kv.write_behind(put(b"k", b"2")).unwrap();
        // Visible at once, whether or not the writer has got to it yet.
        let after = kv.snapshot().unwrap();
        assert!(!Arc::ptr_eq(&first.inner, &after.inner));
        assert_eq!(value(&after, b"k"), Some(b"2".to_vec()));
        // A snapshot taken earlier keeps its point in time.
        assert_eq!(value(&first, b"k"), Some(b"1".to_vec()));
        kv.flush().unwrap();
        assert_eq!(value(&kv.snapshot().unwrap(), b"k"), Some(b"2".to_vec()));
    }

    #[test]
    fn everything_handed_over_is_on_disk_after_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let kv = Kv::open(&path).unwrap();
            for i in 0u8..20 {
                kv.write_behind(put(&[i], &[i, i])).unwrap();
            }
        }
        let kv = Kv::open(&path).unwrap();
        let entries = kv.snapshot().unwrap().entries(Column::FlatState).unwrap();
        assert_eq!(entries.len(), 20);
        assert_eq!(entries.last(), Some(&(vec![19], vec![19, 19])));
    }

    /// One step of the model test: a batch of puts and deletes, maybe clearing the table first.
    #[derive(Clone, Debug)]
    struct Step {
        clear: bool,
        ops: Vec<(u8, Option<u8>)>,
    }

    fn step() -> impl Strategy<Value = Step> {
        (
            prop::bool::weighted(0.1),
            prop::collection::vec((0u8..24, prop::option::of(any::<u8>())), 0..8),
        )
            .prop_map(|(clear, ops)| Step { clear, ops })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Reads merge the batches still waiting with what is on disk exactly as if every
        /// batch had been applied in order, whatever the writer has reached.
        #[test]
        fn reads_see_waiting_batches_as_if_written(steps in prop::collection::vec(step(), 1..12)) {
            let (_dir, kv) = open();
            let mut model = BTreeMap::<Vec<u8>, Vec<u8>>::new();
            for step in steps {
                let mut batch = WriteBatch::default();
                if step.clear {
                    batch.clear(Column::FlatState);
                    model.clear();
                }
                for (key, value) in &step.ops {
                    match value {
                        Some(v) => {
                            batch.put(Column::FlatState, vec![*key], vec![*v]);
                            model.insert(vec![*key], vec![*v]);
                        }
                        None => {
                            batch.delete(Column::FlatState, vec![*key]);
                            model.remove(&vec![*key]);
                        }
                    }
                }
                kv.write_behind(batch).unwrap();
                let snapshot = kv.snapshot().unwrap();
                let expected: Pairs = model.clone().into_iter().collect();
                prop_assert_eq!(snapshot.entries(Column::FlatState).unwrap(), expected);
                for key in 0u8..25 {
                    prop_assert_eq!(value(&snapshot, &[key]), model.get(&vec![key]).cloned());
                    let next = model
                        .range::<Vec<u8>, _>((Bound::Excluded(vec![key]), Bound::Unbounded))
                        .next()
                        .map(|(k, _)| k.clone());
                    prop_assert_eq!(snapshot.next_key(Column::FlatState, &[key]).unwrap(), next);
                }
                prop_assert_eq!(
                    snapshot.next_key(Column::FlatState, &[]).unwrap(),
                    model.keys().next().cloned()
                );
            }
            kv.flush().unwrap();
            let expected: Pairs = model.into_iter().collect();
            prop_assert_eq!(kv.snapshot().unwrap().entries(Column::FlatState).unwrap(), expected);
        }
    }
}
