//! The key-value engine under the typed tables: redb, chosen in
//! docs/decisions/0001-database.md. Everything engine-specific lives here, so swapping the
//! engine means rewriting this file only.
//!
//! The contract the rest of the crate relies on:
//! - [`Kv::write`] applies a whole [`WriteBatch`] atomically and durably: when it returns the
//!   batch is on disk (fsync), and a crash at any instant leaves either all of it or none.
//! - A [`Snapshot`] sees the database as of its creation, whatever is written later.
//! - Every table is ordered by key bytes, so [`Snapshot::next_key`] is a range scan.

use std::{
    collections::BTreeMap,
    ops::Bound,
    path::Path,
    sync::{Arc, Mutex, PoisonError},
};

use redb::{ReadableDatabase, TableDefinition, TableHandle};

use crate::{
    error::StorageError,
    node_cache::{self, NodeCache},
    node_index::NodeIndex,
    tables::Column,
};

/// Key/value pairs in key order.
pub(crate) type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

type Table = TableDefinition<'static, &'static [u8], &'static [u8]>;

const fn definition(column: Column) -> Table {
    TableDefinition::new(column.name())
}

/// The database file.
pub(crate) struct Kv {
    db: redb::Database,
    latest: Mutex<Latest>,
    /// Trie nodes recently read or written, shared by every snapshot (see [`NodeCache`]).
    nodes: Arc<NodeCache>,
    /// Where each stored trie node is (see [`NodeIndex`]), shared by every snapshot.
    node_index: Arc<NodeIndex>,
}

/// The snapshot of the latest commit, shared by every reader until the next commit. Opening a
/// read transaction and its tables costs more than most reads made through it (a transaction
/// validated by the pool reads a handful of values), so readers share one.
#[derive(Default)]
struct Latest {
    /// Counts commits: a snapshot opened before a commit finished is not kept.
    generation: u64,
    snapshot: Option<Snapshot>,
}

impl Kv {
    /// Opens (or creates) the database file at `path` and makes sure every table exists, so
    /// snapshots can open them all.
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
        Ok(Self {
            db,
            latest: Mutex::default(),
            nodes: Arc::new(NodeCache::new(node_cache::DEFAULT_BUDGET_BYTES)),
            node_index: Arc::default(),
        })
    }

    /// Moves every entry of table `legacy` (a table of an earlier version of this database)
    /// into the empty table `into`, converting each with `convert(key, value, ordinal)`
    /// (ordinals count from 0, in key order), and deletes `legacy`; in one transaction, so a
    /// crash leaves the database before or after the move. Returns how many entries moved
    /// (0 when there is no such table).
    pub(crate) fn migrate_legacy_table(
        &self,
        legacy: &'static str,
        into: Column,
        mut convert: impl FnMut(&[u8], &[u8], u64) -> Result<(Vec<u8>, Vec<u8>), StorageError>,
    ) -> Result<u64, StorageError> {
        let err = |op| {
            move |e: redb::Error| StorageError::Database {
                operation: op,
                source: e,
            }
        };
        let tx = self
            .db
            .begin_write()
            .map_err(|e| err("begin write")(e.into()))?;
        let exists = tx
            .list_tables()
            .map_err(|e| err("list tables")(e.into()))?
            .any(|table| table.name() == legacy);
        if !exists {
            return Ok(0);
        }
        let legacy_definition: Table = TableDefinition::new(legacy);
        let mut moved = 0u64;
        {
            let from = tx
                .open_table(legacy_definition)
                .map_err(|e| err("open table")(e.into()))?;
            let mut to = tx
                .open_table(definition(into))
                .map_err(|e| err("open table")(e.into()))?;
            let entries = redb::ReadableTable::range::<&[u8]>(&from, ..)
                .map_err(|e| err("range")(e.into()))?;
            for entry in entries {
                let (key, value) = entry.map_err(|e| err("range")(e.into()))?;
                let (key, value) = convert(key.value(), value.value(), moved)?;
                to.insert(&key[..], &value[..])
                    .map_err(|e| err("write")(e.into()))?;
                moved = moved.saturating_add(1);
            }
        }
        tx.delete_table(legacy_definition)
            .map_err(|e| err("delete table")(e.into()))?;
        tx.commit().map_err(|e| err("commit")(e.into()))?;
        Ok(moved)
    }

    /// Forgets the cached trie nodes (for tests that damage the file underneath).
    #[cfg(test)]
    pub(crate) fn clear_node_cache(&self) {
        self.nodes.clear();
    }

    /// Writes `pairs` into a table by name, outside the typed columns: tests build the files
    /// of earlier versions with it.
    #[cfg(test)]
    pub(crate) fn write_raw_table(&self, name: &'static str, pairs: Pairs) {
        let tx = self.db.begin_write().unwrap();
        {
            let definition: Table = TableDefinition::new(name);
            let mut table = tx.open_table(definition).unwrap();
            for (key, value) in pairs {
                table.insert(&key[..], &value[..]).unwrap();
            }
        }
        tx.commit().unwrap();
    }

    /// A consistent read-only view of the database as of the latest commit.
    pub(crate) fn snapshot(&self) -> Result<Snapshot, StorageError> {
        let generation = {
            let latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(snapshot) = &latest.snapshot {
                return Ok(snapshot.clone());
            }
            latest.generation
        };
        let snapshot = self.open_snapshot()?;
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        // A commit that finished meanwhile may not be in this snapshot: share it only if none did.
        if latest.generation == generation && latest.snapshot.is_none() {
            latest.snapshot = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    fn open_snapshot(&self) -> Result<Snapshot, StorageError> {
        let tx = self
            .db
            .begin_read()
            .map_err(|e| StorageError::db("begin read")(e.into()))?;
        let mut tables = Vec::with_capacity(Column::ALL.len());
        for column in Column::ALL {
            let table = tx
                .open_table(definition(column))
                .map_err(|e| StorageError::db("open table")(e.into()))?;
            tables.push(table);
        }
        Ok(Snapshot {
            tables: Arc::new(tables),
            nodes: Arc::clone(&self.nodes),
            node_index: Arc::clone(&self.node_index),
        })
    }

    /// Applies `batch` in one transaction and returns once it is durable.
    pub(crate) fn write(&self, batch: WriteBatch) -> Result<(), StorageError> {
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
        for (column, ops) in batch.columns {
            if ops.clear {
                tx.delete_table(definition(column))
                    .map_err(|e| err("clear table")(e.into()))?;
            }
            let mut table = tx
                .open_table(definition(column))
                .map_err(|e| err("open table")(e.into()))?;
            // Sorted (a BTreeMap): neighbouring keys land on the same pages.
            for (key, value) in ops.puts {
                match value {
                    Some(value) => table.insert(&key[..], &value[..]).map(drop),
                    None => table.remove(&key[..]).map(drop),
                }
                .map_err(|e| err("write")(e.into()))?;
            }
        }
        let committed = tx.commit().map_err(|e| err("commit")(e.into()));
        // Even a failed commit may have changed what a new snapshot sees: drop the shared one.
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.generation = latest.generation.wrapping_add(1);
        latest.snapshot = None;
        committed
    }
}

/// A read-only, point-in-time view of every table. Cheap to clone. Holding one keeps the pages
/// it sees from being reused, so drop it when done.
#[derive(Clone)]
pub(crate) struct Snapshot {
    tables: Arc<Vec<redb::ReadOnlyTable<&'static [u8], &'static [u8]>>>,
    nodes: Arc<NodeCache>,
    node_index: Arc<NodeIndex>,
}

impl Snapshot {
    /// The trie node cache shared by every snapshot of this database.
    pub(crate) fn node_cache(&self) -> &NodeCache {
        &self.nodes
    }

    /// Where each stored trie node is, shared by every snapshot of this database.
    pub(crate) fn node_index(&self) -> &NodeIndex {
        &self.node_index
    }

    fn table(
        &self,
        column: Column,
    ) -> Result<&redb::ReadOnlyTable<&'static [u8], &'static [u8]>, StorageError> {
        // Every column is opened in `Kv::snapshot`; a miss would be a bug in this file, so it
        // is reported as a missing table rather than a panic.
        self.tables
            .get(column.index())
            .ok_or(StorageError::Missing {
                column,
                key: Vec::new(),
            })
    }

    /// The value under `key`.
    pub(crate) fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let value = self
            .table(column)?
            .get(key)
            .map_err(|e| StorageError::db("read")(e.into()))?;
        Ok(value.map(|guard| guard.value().to_vec()))
    }

    /// `read(value)` of the value under `key`, without copying it first.
    pub(crate) fn get_with<T>(
        &self,
        column: Column,
        key: &[u8],
        read: impl FnOnce(&[u8]) -> T,
    ) -> Result<Option<T>, StorageError> {
        let value = self
            .table(column)?
            .get(key)
            .map_err(|e| StorageError::db("read")(e.into()))?;
        Ok(value.map(|guard| read(guard.value())))
    }

    /// Calls `visit(key, value)` on every entry of `column` in key order, stopping at its
    /// first error.
    pub(crate) fn for_each(
        &self,
        column: Column,
        mut visit: impl FnMut(&[u8], &[u8]) -> Result<(), StorageError>,
    ) -> Result<(), StorageError> {
        let range = self
            .table(column)?
            .range::<&[u8]>(..)
            .map_err(|e| StorageError::db("range")(e.into()))?;
        for entry in range {
            let (key, value) = entry.map_err(|e| StorageError::db("range")(e.into()))?;
            visit(key.value(), value.value())?;
        }
        Ok(())
    }

    /// The first key strictly after `key`.
    pub(crate) fn next_key(
        &self,
        column: Column,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StorageError> {
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
        let range = self
            .table(column)?
            .range::<&[u8]>(..)
            .map_err(|e| StorageError::db("range")(e.into()))?;
        range
            .map(|entry| {
                let (key, value) = entry.map_err(|e| StorageError::db("range")(e.into()))?;
                Ok((key.value().to_vec(), value.value().to_vec()))
            })
            .collect()
    }
}

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

    fn value(snapshot: &Snapshot, key: &[u8]) -> Option<Vec<u8>> {
        snapshot.get(Column::FlatState, key).unwrap()
    }

    #[test]
    fn readers_share_a_snapshot_until_the_next_commit() {
        let dir = tempfile::tempdir().unwrap();
        let kv = Kv::open(&dir.path().join("db")).unwrap();
        let mut batch = WriteBatch::default();
        batch.put(Column::FlatState, b"k".to_vec(), b"1".to_vec());
        kv.write(batch).unwrap();

        let first = kv.snapshot().unwrap();
        let shared = kv.snapshot().unwrap();
        assert!(Arc::ptr_eq(&first.tables, &shared.tables));
        assert_eq!(value(&first, b"k"), Some(b"1".to_vec()));

        let mut batch = WriteBatch::default();
        batch.put(Column::FlatState, b"k".to_vec(), b"2".to_vec());
        kv.write(batch).unwrap();
        let after = kv.snapshot().unwrap();
        assert!(!Arc::ptr_eq(&first.tables, &after.tables));
        assert_eq!(value(&after, b"k"), Some(b"2".to_vec()));
        // A snapshot taken earlier keeps its point in time.
        assert_eq!(value(&first, b"k"), Some(b"1".to_vec()));
    }
}
