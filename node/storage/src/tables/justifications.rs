//! Block hash → the block's justifications (consensus engine id, encoded proof of finality),
//! SCALE `Vec<([u8; 4], Vec<u8>)>` as Substrate's `Justifications`.

use folio_primitives::H256;
use parity_scale_codec::Encode;

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// One justification: the engine id (e.g. `*b"FRNK"`) and its encoded proof.
pub type Justification = ([u8; 4], Vec<u8>);

/// The justifications of block `hash`, if any.
pub(crate) fn get(
    snapshot: &Snapshot,
    hash: &H256,
) -> Result<Option<Vec<Justification>>, StorageError> {
    snapshot
        .get(Column::Justifications, hash.as_bytes())?
        .map(|bytes| decode(Column::Justifications, hash.as_bytes(), &bytes))
        .transpose()
}

/// Stores the justifications of block `hash`.
pub(crate) fn put(batch: &mut WriteBatch, hash: &H256, justifications: &[Justification]) {
    batch.put(
        Column::Justifications,
        hash.as_bytes().to_vec(),
        justifications.encode(),
    );
}

/// Forgets the justifications of block `hash` (pruned).
pub(crate) fn delete(batch: &mut WriteBatch, hash: &H256) {
    batch.delete(Column::Justifications, hash.as_bytes().to_vec());
}
