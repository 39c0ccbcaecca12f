//! The trie nodes of every stored state (archive), in the order they were first written.
//!
//! Key: the node's position, 8 bytes big-endian, increasing. Value: the node's hash (32 bytes)
//! followed by its encoding. A block's new nodes therefore go at the end of the table, on a
//! few fresh pages, where keying them by their random hashes put each on a different page of
//! the whole table. Lookups by hash go through the in-memory [`NodeIndex`], rebuilt from the
//! stored hashes by [`load_index`] when the database opens. The hash is stored beside the node
//! so that rebuilding needs no hashing, and so that a read can check it found the right node.
//!
//! A node is stored once, whichever states share it. That is what archive mode wants; pruning
//! would add a reference count per node (see [`crate::pruning`]).

use std::collections::BTreeMap;

use folio_trie::Hash;

use super::Column;
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
    node_index::NodeIndex,
};

const HASH_LEN: usize = std::mem::size_of::<Hash>();

/// The table of earlier versions: node hash → encoding (moved into this one on open).
pub(crate) const LEGACY_TABLE: &str = "trie_nodes";

/// The node with hash `hash`, if stored: from the node cache, else from the table (and then
/// cached). A node is keyed by its own hash, so a cached one is right for every snapshot.
pub(crate) fn get(snapshot: &Snapshot, hash: &Hash) -> Result<Option<Vec<u8>>, StorageError> {
    let cache = snapshot.node_cache();
    if let Some(node) = cache.get(hash) {
        return Ok(Some(node));
    }
    let Some(position) = snapshot.node_index().position(hash) else {
        return Ok(None);
    };
    let key = position.to_be_bytes();
    let node = snapshot.get_with(Column::TrieNodes, &key, |record| {
        split_record(&key, record).and_then(|(stored, node)| {
            if stored == hash {
                Ok(node.to_vec())
            } else {
                Err(corrupt(
                    &key,
                    "the stored hash is not the indexed one".into(),
                ))
            }
        })
    })?;
    let node = node.transpose()?;
    if let Some(node) = &node {
        cache.insert(*hash, node.clone());
    }
    Ok(node)
}

/// Nodes put into a write batch by [`put_all`], to [`publish`] once the batch is committed.
#[must_use = "the nodes are found only once published"]
pub(crate) struct Appended {
    positions: Vec<(Hash, u64)>,
    next: u64,
}

/// Appends those of `nodes` (hash → encoding) not stored yet after the last stored node.
pub(crate) fn put_all(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    nodes: BTreeMap<Hash, Vec<u8>>,
) -> Appended {
    let index = snapshot.node_index();
    let mut next = index.next_position();
    let mut positions = Vec::with_capacity(nodes.len());
    for (hash, node) in nodes {
        if index.contains(&hash) {
            continue;
        }
        let mut record = Vec::with_capacity(HASH_LEN.saturating_add(node.len()));
        record.extend_from_slice(&hash);
        record.extend_from_slice(&node);
        batch.put(Column::TrieNodes, next.to_be_bytes().to_vec(), record);
        positions.push((hash, next));
        next = next.saturating_add(1);
    }
    Appended { positions, next }
}

/// Makes committed nodes findable.
pub(crate) fn publish(snapshot: &Snapshot, appended: Appended) {
    snapshot
        .node_index()
        .publish(appended.positions, appended.next);
}

/// Fills the (empty) node index from the table: one pass over every stored node.
///
/// # Errors
/// A record whose key is not a position or whose value is shorter than a hash; a database
/// failure.
pub(crate) fn load_index(snapshot: &Snapshot) -> Result<(), StorageError> {
    let mut positions = Vec::new();
    let mut next = 0u64;
    snapshot.for_each(Column::TrieNodes, |key, record| {
        let position = <[u8; 8]>::try_from(key)
            .map(u64::from_be_bytes)
            .map_err(|_| corrupt(key, format!("a {}-byte position", key.len())))?;
        let (hash, _) = split_record(key, record)?;
        positions.push((*hash, position));
        next = position.saturating_add(1);
        Ok(())
    })?;
    let index: &NodeIndex = snapshot.node_index();
    index.publish(positions, next);
    Ok(())
}

/// Converts an entry of the table of earlier versions (hash → encoding) into a record.
pub(crate) fn record_from_legacy(hash: &[u8], node: &[u8]) -> Result<Vec<u8>, StorageError> {
    if hash.len() != HASH_LEN {
        return Err(corrupt(hash, "a legacy trie node key is not a hash".into()));
    }
    let mut record = Vec::with_capacity(HASH_LEN.saturating_add(node.len()));
    record.extend_from_slice(hash);
    record.extend_from_slice(node);
    Ok(record)
}

fn split_record<'a>(key: &[u8], record: &'a [u8]) -> Result<(&'a Hash, &'a [u8]), StorageError> {
    let (hash, node) = record
        .split_first_chunk::<HASH_LEN>()
        .ok_or_else(|| corrupt(key, format!("a {}-byte record", record.len())))?;
    Ok((hash, node))
}

fn corrupt(key: &[u8], reason: String) -> StorageError {
    StorageError::Corrupt {
        column: Column::TrieNodes,
        key: key.to_vec(),
        reason,
    }
}

/// Replaces (`Some`) or deletes (`None`) the stored node `hash`, for tests of damaged files.
#[cfg(test)]
pub(crate) fn damage(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    hash: &Hash,
    node: Option<&[u8]>,
) {
    let Some(position) = snapshot.node_index().position(hash) else {
        return;
    };
    let key = position.to_be_bytes().to_vec();
    match node {
        Some(node) => {
            let mut record = hash.to_vec();
            record.extend_from_slice(node);
            batch.put(Column::TrieNodes, key, record);
        }
        None => batch.delete(Column::TrieNodes, key),
    }
}
