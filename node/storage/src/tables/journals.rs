//! Block hash → the block's own state changes (key → new value, `None` = removed): what a
//! branch switch replays to move the flat index incrementally. Kept only for blocks that are
//! not final (a final block can never be retracted), deleted when they become final.

use std::collections::BTreeMap;

use folio_primitives::H256;
use parity_scale_codec::Encode;

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// A block's state changes.
pub(crate) type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// The changes of block `hash`, if journaled.
pub(crate) fn get(snapshot: &Snapshot, hash: &H256) -> Result<Option<Changes>, StorageError> {
    snapshot
        .get(Column::Journals, hash.as_bytes())?
        .map(|bytes| decode(Column::Journals, hash.as_bytes(), &bytes))
        .transpose()
}

/// Journals the changes of block `hash`.
pub(crate) fn put(batch: &mut WriteBatch, hash: &H256, changes: &Changes) {
    batch.put(Column::Journals, hash.as_bytes().to_vec(), changes.encode());
}

/// Forgets the journal of block `hash` (final, or pruned).
pub(crate) fn delete(batch: &mut WriteBatch, hash: &H256) {
    batch.delete(Column::Journals, hash.as_bytes().to_vec());
}
