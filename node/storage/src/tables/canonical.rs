//! Block number → hash of the canonical block (on the chain of the best block) at that height.
//! Keys are big-endian so the table is ordered by number.

use folio_primitives::{BlockNumber, H256};

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

fn key(number: BlockNumber) -> [u8; 4] {
    number.to_be_bytes()
}

/// The canonical hash at `number`, if the best chain is that long.
pub(crate) fn get(snapshot: &Snapshot, number: BlockNumber) -> Result<Option<H256>, StorageError> {
    let key = key(number);
    snapshot
        .get(Column::Canonical, &key)?
        .map(|bytes| decode(Column::Canonical, &key, &bytes))
        .transpose()
}

/// Makes `hash` the canonical block at `number`.
pub(crate) fn put(batch: &mut WriteBatch, number: BlockNumber, hash: &H256) {
    batch.put(
        Column::Canonical,
        key(number).to_vec(),
        hash.as_bytes().to_vec(),
    );
}

/// Forgets the canonical block at `number` (the best chain got shorter).
pub(crate) fn delete(batch: &mut WriteBatch, number: BlockNumber) {
    batch.delete(Column::Canonical, key(number).to_vec());
}
