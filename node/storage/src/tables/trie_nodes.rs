//! Node hash → encoded trie node, for the state of every stored block (archive).
//!
//! Keyed by hash alone (not by hash and position, as `MemoryDB` is): identical nodes are stored
//! once. That is what archive mode wants; pruning would add a reference count per node (see
//! [`crate::pruning`]).

use std::collections::BTreeMap;

use folio_trie::Hash;

use super::Column;
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// The node with hash `hash`, if stored.
pub(crate) fn get(snapshot: &Snapshot, hash: &Hash) -> Result<Option<Vec<u8>>, StorageError> {
    snapshot.get(Column::TrieNodes, hash)
}

/// Stores `nodes` (hash → encoding).
pub(crate) fn put_all(batch: &mut WriteBatch, nodes: BTreeMap<Hash, Vec<u8>>) {
    for (hash, node) in nodes {
        batch.put(Column::TrieNodes, hash.to_vec(), node);
    }
}
