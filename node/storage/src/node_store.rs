//! The database as a trie node store: what `trie-db` reads nodes from and writes new nodes to.
//!
//! [`NodeReader`] reads committed nodes from a snapshot; [`NodeOverlay`] puts the nodes of
//! changes not committed yet on top and keeps them in memory, so a root can be computed (and
//! cached) without writing, and committed later as one batch.

use std::{collections::BTreeMap, sync::Mutex};

use folio_trie::{Blake2Hasher, Hash, EMPTY_ROOT};
use hash_db::{AsHashDB, HashDB, HashDBRef, Hasher, Prefix};

use crate::{error::StorageError, kv::Snapshot, tables::trie_nodes};

/// New trie nodes by hash.
pub(crate) type Nodes = BTreeMap<Hash, Vec<u8>>;

/// The encoding of the empty trie's root node: never stored, always known (as in Substrate).
const EMPTY_NODE: &[u8] = &[0x00];

/// Committed nodes, read from a snapshot. trie-db's node store interface cannot fail, so a
/// database error is kept here (the first one) and reported by [`NodeReader::take_error`]
/// after trie-db turned it into a "missing node".
pub(crate) struct NodeReader<'a> {
    snapshot: &'a Snapshot,
    error: Mutex<Option<StorageError>>,
}

impl<'a> NodeReader<'a> {
    pub(crate) fn new(snapshot: &'a Snapshot) -> Self {
        Self {
            snapshot,
            error: Mutex::new(None),
        }
    }

    fn read(&self, hash: &Hash) -> Option<Vec<u8>> {
        if *hash == EMPTY_ROOT {
            return Some(EMPTY_NODE.to_vec());
        }
        match trie_nodes::get(self.snapshot, hash) {
            Ok(node) => node,
            Err(error) => {
                if let Ok(mut slot) = self.error.lock() {
                    slot.get_or_insert(error);
                }
                None
            }
        }
    }

    /// The database error behind a failed trie operation, if there was one.
    pub(crate) fn take_error(&self) -> Option<StorageError> {
        self.error.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl HashDBRef<Blake2Hasher, Vec<u8>> for NodeReader<'_> {
    fn get(&self, key: &Hash, _prefix: Prefix) -> Option<Vec<u8>> {
        self.read(key)
    }
    fn contains(&self, key: &Hash, _prefix: Prefix) -> bool {
        self.read(key).is_some()
    }
}

/// New nodes in memory over committed ones.
pub(crate) struct NodeOverlay<'a> {
    reader: NodeReader<'a>,
    new: BTreeMap<Hash, Vec<u8>>,
}

impl<'a> NodeOverlay<'a> {
    pub(crate) fn new(snapshot: &'a Snapshot) -> Self {
        Self {
            reader: NodeReader::new(snapshot),
            new: BTreeMap::new(),
        }
    }

    /// Starts from nodes computed earlier (a cached root) over `snapshot`.
    pub(crate) fn with_nodes(snapshot: &'a Snapshot, nodes: BTreeMap<Hash, Vec<u8>>) -> Self {
        Self {
            reader: NodeReader::new(snapshot),
            new: nodes,
        }
    }

    /// The new nodes, to be committed.
    pub(crate) fn into_nodes(self) -> BTreeMap<Hash, Vec<u8>> {
        self.new
    }

    /// The database error behind a failed trie operation, if there was one.
    pub(crate) fn take_error(&self) -> Option<StorageError> {
        self.reader.take_error()
    }

    fn read(&self, hash: &Hash) -> Option<Vec<u8>> {
        match self.new.get(hash) {
            Some(node) => Some(node.clone()),
            None => self.reader.read(hash),
        }
    }
}

impl HashDBRef<Blake2Hasher, Vec<u8>> for NodeOverlay<'_> {
    fn get(&self, key: &Hash, _prefix: Prefix) -> Option<Vec<u8>> {
        self.read(key)
    }
    fn contains(&self, key: &Hash, _prefix: Prefix) -> bool {
        self.read(key).is_some()
    }
}

impl HashDB<Blake2Hasher, Vec<u8>> for NodeOverlay<'_> {
    fn get(&self, key: &Hash, _prefix: Prefix) -> Option<Vec<u8>> {
        self.read(key)
    }

    fn contains(&self, key: &Hash, _prefix: Prefix) -> bool {
        self.read(key).is_some()
    }

    fn insert(&mut self, _prefix: Prefix, value: &[u8]) -> Hash {
        let hash = Blake2Hasher::hash(value);
        if hash != EMPTY_ROOT {
            self.new.insert(hash, value.to_vec());
        }
        hash
    }

    fn emplace(&mut self, key: Hash, _prefix: Prefix, value: Vec<u8>) {
        if key != EMPTY_ROOT {
            self.new.insert(key, value);
        }
    }

    // Archive: a node replaced in the new state is still part of the parent's state, so it is
    // kept. (Nodes are keyed by hash alone, so removing one could also break another state.)
    fn remove(&mut self, _key: &Hash, _prefix: Prefix) {}
}

impl AsHashDB<Blake2Hasher, Vec<u8>> for NodeOverlay<'_> {
    fn as_hash_db(&self) -> &dyn HashDB<Blake2Hasher, Vec<u8>> {
        self
    }
    fn as_hash_db_mut<'b>(&'b mut self) -> &'b mut (dyn HashDB<Blake2Hasher, Vec<u8>> + 'b) {
        self
    }
}
