//! Block hash → body (the block's extrinsics, opaque).

use folio_primitives::{extrinsic::OpaqueExtrinsic, H256};
use parity_scale_codec::Encode;

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// The extrinsics of block `hash`, if stored.
pub(crate) fn get(
    snapshot: &Snapshot,
    hash: &H256,
) -> Result<Option<Vec<OpaqueExtrinsic>>, StorageError> {
    snapshot
        .get(Column::Bodies, hash.as_bytes())?
        .map(|bytes| decode(Column::Bodies, hash.as_bytes(), &bytes))
        .transpose()
}

/// Stores the extrinsics of block `hash`.
pub(crate) fn put(batch: &mut WriteBatch, hash: &H256, body: &[OpaqueExtrinsic]) {
    batch.put(Column::Bodies, hash.as_bytes().to_vec(), body.encode());
}

/// Forgets the body of block `hash` (pruned).
pub(crate) fn delete(batch: &mut WriteBatch, hash: &H256) {
    batch.delete(Column::Bodies, hash.as_bytes().to_vec());
}
