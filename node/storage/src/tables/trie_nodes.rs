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

/// The node with hash `hash`, if stored: from the node cache, else from the table (and then
/// cached). A node is keyed by its own hash, so a cached one is right for every snapshot.
pub(crate) fn get(snapshot: &Snapshot, hash: &Hash) -> Result<Option<Vec<u8>>, StorageError> {
    let cache = snapshot.node_cache();
    if let Some(node) = cache.get(hash) {
        return Ok(Some(node));
    }
    let node = snapshot.get(Column::TrieNodes, hash)?;
    if let Some(node) = &node {
        cache.insert(*hash, node.clone());
    }
    Ok(node)
}

/// Stores `nodes` (hash → encoding).
pub(crate) fn put_all(batch: &mut WriteBatch, nodes: BTreeMap<Hash, Vec<u8>>) {
    for (hash, node) in nodes {
        batch.put(Column::TrieNodes, hash.to_vec(), node);
    }
}
