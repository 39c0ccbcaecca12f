//! Storage key → value in the state of the best block: reads of the latest state answered
//! without walking the trie. Always equal to the best block's trie (same write transaction).

use std::collections::BTreeMap;

use super::Column;
use crate::{
    error::StorageError,
    kv::{Pairs, Snapshot, WriteBatch},
};

/// The best state's value under `key`.
pub(crate) fn get(snapshot: &Snapshot, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
    snapshot.get(Column::FlatState, key)
}

/// The best state's first key strictly after `key`.
pub(crate) fn next_key(snapshot: &Snapshot, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
    snapshot.next_key(Column::FlatState, key)
}

/// The whole best state, in key order.
pub(crate) fn entries(snapshot: &Snapshot) -> Result<Pairs, StorageError> {
    snapshot.entries(Column::FlatState)
}

/// Applies a block's changes (`None` = removed).
pub(crate) fn apply(batch: &mut WriteBatch, changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>) {
    for (key, change) in changes {
        match change {
            Some(value) => batch.put(Column::FlatState, key.clone(), value.clone()),
            None => batch.delete(Column::FlatState, key.clone()),
        }
    }
}

/// Replaces the whole flat state by `pairs` (after the best block moved to another fork).
pub(crate) fn replace(batch: &mut WriteBatch, pairs: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>) {
    batch.clear(Column::FlatState);
    for (key, value) in pairs {
        batch.put(Column::FlatState, key, value);
    }
}
