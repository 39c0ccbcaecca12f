//! Big-endian block number ‖ hash → nothing: every stored block by height, canonical or not,
//! so finality can find and prune the branches that no longer descend from it.

use folio_primitives::{BlockNumber, H256};

use super::Column;
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

fn key(number: BlockNumber, hash: &H256) -> Vec<u8> {
    let mut key = number.to_be_bytes().to_vec();
    key.extend_from_slice(hash.as_bytes());
    key
}

/// Records block `hash` at `number`.
pub(crate) fn put(batch: &mut WriteBatch, number: BlockNumber, hash: &H256) {
    batch.put(Column::BlocksByNumber, key(number, hash), Vec::new());
}

/// Forgets block `hash` at `number` (pruned).
pub(crate) fn delete(batch: &mut WriteBatch, number: BlockNumber, hash: &H256) {
    batch.delete(Column::BlocksByNumber, key(number, hash));
}

/// Every stored block at `number`.
pub(crate) fn at(snapshot: &Snapshot, number: BlockNumber) -> Result<Vec<H256>, StorageError> {
    let prefix = number.to_be_bytes();
    let mut hashes = Vec::new();
    let mut cursor = prefix.to_vec();
    while let Some(next) = snapshot.next_key(Column::BlocksByNumber, &cursor)? {
        let Some(hash) = next.strip_prefix(&prefix[..]) else {
            break;
        };
        let hash: [u8; 32] = hash.try_into().map_err(|_| StorageError::Corrupt {
            column: Column::BlocksByNumber,
            key: next.clone(),
            reason: "not a number and a hash".into(),
        })?;
        hashes.push(H256(hash));
        cursor = next;
    }
    Ok(hashes)
}
