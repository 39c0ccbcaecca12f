//! Block hash → header.

use folio_primitives::{header::Header, H256};
use parity_scale_codec::Encode;

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// The header of block `hash`, if stored.
pub(crate) fn get(snapshot: &Snapshot, hash: &H256) -> Result<Option<Header>, StorageError> {
    snapshot
        .get(Column::Headers, hash.as_bytes())?
        .map(|bytes| decode(Column::Headers, hash.as_bytes(), &bytes))
        .transpose()
}

/// The header of block `hash`, or [`StorageError::UnknownBlock`].
pub(crate) fn require(snapshot: &Snapshot, hash: &H256) -> Result<Header, StorageError> {
    get(snapshot, hash)?.ok_or(StorageError::UnknownBlock { hash: *hash })
}

/// Stores `header` under `hash` (its hash, computed once by the caller).
pub(crate) fn put(batch: &mut WriteBatch, hash: &H256, header: &Header) {
    batch.put(Column::Headers, hash.as_bytes().to_vec(), header.encode());
}

/// Forgets the header of block `hash` (pruned).
pub(crate) fn delete(batch: &mut WriteBatch, hash: &H256) {
    batch.delete(Column::Headers, hash.as_bytes().to_vec());
}
