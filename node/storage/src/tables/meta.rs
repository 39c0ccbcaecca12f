//! Chain metadata: which blocks are the genesis, the best and the finalized one.

use folio_primitives::{BlockNumber, H256};
use parity_scale_codec::{Decode, Encode};

use super::{decode, Column};
use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
};

/// A block by hash and number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlockRef {
    /// The block hash.
    pub hash: H256,
    /// The block number.
    pub number: BlockNumber,
}

/// Which metadata entry.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Key {
    Genesis,
    Best,
    Finalized,
}

impl Key {
    fn bytes(self) -> &'static [u8] {
        match self {
            Key::Genesis => b"genesis",
            Key::Best => b"best",
            Key::Finalized => b"finalized",
        }
    }
}

/// The block recorded under `key`, if any.
pub(crate) fn get(snapshot: &Snapshot, key: Key) -> Result<Option<BlockRef>, StorageError> {
    snapshot
        .get(Column::Meta, key.bytes())?
        .map(|bytes| decode(Column::Meta, key.bytes(), &bytes))
        .transpose()
}

/// The block recorded under `key`, or [`StorageError::NoGenesis`] before genesis.
pub(crate) fn require(snapshot: &Snapshot, key: Key) -> Result<BlockRef, StorageError> {
    get(snapshot, key)?.ok_or(StorageError::NoGenesis)
}

/// Records `block` under `key`.
pub(crate) fn put(batch: &mut WriteBatch, key: Key, block: BlockRef) {
    batch.put(Column::Meta, key.bytes().to_vec(), block.encode());
}
