//! [`StateView`]: the state of one stored block, as the executor's [`Backend`].

use std::{collections::BTreeMap, sync::Arc, sync::Mutex};

use folio_primitives::{externalities::Backend, H256};
use folio_trie::{Hash, LayoutV1, TrieError};
use trie_db::{Trie, TrieDBBuilder};

use crate::{
    error::StorageError,
    kv::{Pairs, Snapshot},
    node_store::{NodeOverlay, NodeReader, Nodes},
    root_cache::RootCache,
    tables::flat_state,
    BlockRef,
};

/// The state of one block, read from a snapshot of the database taken when the view was made:
/// blocks committed afterwards do not change what it sees.
///
/// At the block that was best when the view was made, reads come from the flat index; at any
/// other block they walk that block's trie. Holding a view keeps the snapshot's pages alive,
/// so drop it when the block is done.
pub struct StateView {
    snapshot: Snapshot,
    block: BlockRef,
    root: Hash,
    flat: bool,
    roots: Arc<RootCache>,
    error: Mutex<Option<StorageError>>,
}

impl std::fmt::Debug for StateView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateView")
            .field("block", &self.block)
            .field("root", &H256(self.root))
            .field("flat", &self.flat)
            .finish()
    }
}

impl StateView {
    pub(crate) fn new(
        snapshot: Snapshot,
        block: BlockRef,
        root: Hash,
        flat: bool,
        roots: Arc<RootCache>,
    ) -> Self {
        Self {
            snapshot,
            block,
            root,
            flat,
            roots,
            error: Mutex::new(None),
        }
    }

    /// The block whose state this is.
    pub fn block(&self) -> BlockRef {
        self.block
    }

    /// The block's state root.
    pub fn root(&self) -> H256 {
        H256(self.root)
    }

    /// Whether reads come from the flat index (the view is of the best block).
    pub fn reads_flat_index(&self) -> bool {
        self.flat
    }

    fn trie_error(&self, reader_error: Option<StorageError>, source: TrieError) -> StorageError {
        // A database failure explains the "missing node" trie-db saw; report it instead.
        reader_error.unwrap_or(StorageError::Trie {
            block: self.block.hash,
            source,
        })
    }

    /// The value under `key`.
    ///
    /// # Errors
    /// A database failure, or a missing or corrupt trie node.
    pub fn try_get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        if self.flat {
            return flat_state::get(&self.snapshot, key);
        }
        let reader = NodeReader::new(&self.snapshot);
        folio_trie::read_value(&reader, self.root, key)
            .map_err(|e| self.trie_error(reader.take_error(), e))
    }

    /// The first key strictly after `key`.
    ///
    /// # Errors
    /// A database failure, or a missing or corrupt trie node.
    pub fn try_next_key(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        if self.flat {
            return flat_state::next_key(&self.snapshot, key);
        }
        let reader = NodeReader::new(&self.snapshot);
        let result = (|| -> Result<Option<Vec<u8>>, TrieError> {
            let trie = TrieDBBuilder::<LayoutV1>::new(&reader, &self.root).build();
            let mut keys = trie.key_iter()?;
            keys.seek(key)?;
            for found in keys {
                let found = found?;
                if found.as_slice() > key {
                    return Ok(Some(found));
                }
            }
            Ok(None)
        })();
        result.map_err(|e| self.trie_error(reader.take_error(), e))
    }

    /// The state root after applying `changes` (`None` = removed) to this state. The new nodes
    /// are kept (by root) so that committing a block with these changes reuses them.
    ///
    /// # Errors
    /// A database failure, or a missing or corrupt trie node.
    pub fn try_root_with_changes(
        &self,
        changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    ) -> Result<H256, StorageError> {
        let (root, nodes) =
            compute_root(&self.snapshot, self.block.hash, self.root, changes, None)?;
        self.roots.insert(self.root, root, changes.clone(), nodes);
        Ok(H256(root))
    }

    /// The first error that a [`Backend`] method met and could not return (the trait is
    /// infallible), taken out. The node must check it after executing a block against this
    /// view and treat the execution as failed when it is `Some`.
    pub fn take_error(&self) -> Option<StorageError> {
        self.error.lock().ok().and_then(|mut slot| slot.take())
    }

    fn record<T>(&self, result: Result<T, StorageError>, fallback: T) -> T {
        match result {
            Ok(value) => value,
            Err(error) => {
                tracing::error!(target: "folio::storage", block = %self.block.hash, %error, "state read failed");
                if let Ok(mut slot) = self.error.lock() {
                    slot.get_or_insert(error);
                }
                fallback
            }
        }
    }
}

/// Applies `changes` to the trie at `parent_root` over `snapshot` (plus `nodes`, already
/// computed nodes to start from) and returns the new root and every new node.
pub(crate) fn compute_root(
    snapshot: &Snapshot,
    block: H256,
    parent_root: Hash,
    changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    nodes: Option<Nodes>,
) -> Result<(Hash, Nodes), StorageError> {
    let mut overlay = match nodes {
        Some(nodes) => NodeOverlay::with_nodes(snapshot, nodes),
        None => NodeOverlay::new(snapshot),
    };
    let changes = changes.iter().map(|(k, v)| (k.clone(), v.clone()));
    match folio_trie::apply_changes(&mut overlay, parent_root, changes) {
        Ok(root) => Ok((root, overlay.into_nodes())),
        Err(source) => Err(overlay
            .take_error()
            .unwrap_or(StorageError::Trie { block, source })),
    }
}

/// Every key/value pair of the trie at `root` (over `snapshot` plus `nodes`).
pub(crate) fn trie_entries(
    snapshot: &Snapshot,
    block: H256,
    root: Hash,
    nodes: Nodes,
) -> Result<(Pairs, Nodes), StorageError> {
    let overlay = NodeOverlay::with_nodes(snapshot, nodes);
    let result = (|| -> Result<Pairs, TrieError> {
        let trie = TrieDBBuilder::<LayoutV1>::new(&overlay, &root).build();
        let mut pairs = Vec::new();
        for item in trie.iter()? {
            pairs.push(item?);
        }
        Ok(pairs)
    })();
    match result {
        Ok(pairs) => Ok((pairs, overlay.into_nodes())),
        Err(source) => Err(overlay
            .take_error()
            .unwrap_or(StorageError::Trie { block, source })),
    }
}

impl Backend for StateView {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.record(self.try_get(key), None)
    }

    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.record(self.try_next_key(key), None)
    }

    /// On failure this returns the zero root, which no header carries, so the block fails its
    /// root check; the error itself is in [`StateView::take_error`].
    fn root_with_changes(&self, changes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> [u8; 32] {
        self.record(self.try_root_with_changes(changes), H256::zero())
            .0
    }
}
