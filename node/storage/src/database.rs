//! [`Database`]: opening, the chain accessors, state views and proofs.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use folio_primitives::{extrinsic::OpaqueExtrinsic, header::Header, BlockNumber, H256};

use crate::{
    error::StorageError,
    kv::{Kv, Snapshot},
    node_store::NodeReader,
    pruning::StatePruning,
    root_cache::RootCache,
    state::StateView,
    tables::{bodies, canonical, flat_state, headers, meta, meta::Key, trie_nodes, Column},
    BlockRef,
};

/// The file inside the base directory.
const FILE_NAME: &str = "folio.redb";

/// The node's database: blocks, the canonical chain, chain metadata and every block's state.
///
/// Share it behind an `Arc`; every method takes `&self`. Commits are serialised internally;
/// reads never wait for them.
pub struct Database {
    pub(crate) kv: Kv,
    /// Held for a whole commit: the checks and the write must see the same chain.
    pub(crate) commit_lock: Mutex<()>,
    pub(crate) roots: Arc<RootCache>,
    path: PathBuf,
    // Last: the directory is deleted only after the database file is closed.
    _temp: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (or creates) the archive database in directory `path`.
    ///
    /// # Errors
    /// The directory cannot be created, the file is corrupt or locked by another process.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        Self::open_with(path, StatePruning::Archive)
    }

    /// Opens (or creates) the database in directory `path` with a state pruning mode.
    ///
    /// # Errors
    /// As [`Database::open`]; [`StorageError::PruningUnsupported`] for
    /// [`StatePruning::KeepLast`] (designed, not implemented).
    pub fn open_with(path: impl AsRef<Path>, pruning: StatePruning) -> Result<Self, StorageError> {
        Self::open_inner(path.as_ref(), pruning, None)
    }

    /// Opens a new, empty database in a temporary directory that is deleted when the database
    /// is dropped (`--tmp`, tests).
    ///
    /// # Errors
    /// The temporary directory cannot be created.
    pub fn open_temporary() -> Result<Self, StorageError> {
        let dir = tempfile::Builder::new()
            .prefix("folio-db-")
            .tempdir()
            .map_err(|source| StorageError::Io {
                operation: "create temporary directory",
                path: std::env::temp_dir(),
                source,
            })?;
        let path = dir.path().to_path_buf();
        Self::open_inner(&path, StatePruning::Archive, Some(dir))
    }

    fn open_inner(
        path: &Path,
        pruning: StatePruning,
        temp: Option<tempfile::TempDir>,
    ) -> Result<Self, StorageError> {
        if pruning != StatePruning::Archive {
            return Err(StorageError::PruningUnsupported { mode: pruning });
        }
        std::fs::create_dir_all(path).map_err(|source| StorageError::Io {
            operation: "create database directory",
            path: path.to_path_buf(),
            source,
        })?;
        let kv = Kv::open(&path.join(FILE_NAME))?;
        let migrated = kv.migrate_legacy_table(
            trie_nodes::LEGACY_TABLE,
            Column::TrieNodes,
            |hash, node, position| {
                let record = trie_nodes::record_from_legacy(hash, node)?;
                Ok((position.to_be_bytes().to_vec(), record))
            },
        )?;
        if migrated > 0 {
            tracing::info!(target: "folio::storage", nodes = migrated, "trie nodes moved to the node log (database format of 2026-11-22)");
        }
        let started = std::time::Instant::now();
        let snapshot = kv.snapshot()?;
        trie_nodes::load_index(&snapshot)?;
        // Info: the index is held in memory and grows with the archive, so operators see it.
        tracing::info!(
            target: "folio::storage",
            path = %path.display(), trie_nodes = snapshot.node_index().len(),
            index_built_in = ?started.elapsed(), "database opened"
        );
        drop(snapshot);
        Ok(Self {
            kv,
            commit_lock: Mutex::new(()),
            roots: Arc::default(),
            path: path.to_path_buf(),
            _temp: temp,
        })
    }

    /// The directory holding the database.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn snapshot(&self) -> Result<Snapshot, StorageError> {
        self.kv.snapshot()
    }

    /// The best block (head of the canonical chain).
    ///
    /// # Errors
    /// [`StorageError::NoGenesis`] before [`Database::commit_genesis`]; a database failure.
    pub fn best(&self) -> Result<BlockRef, StorageError> {
        meta::require(&self.snapshot()?, Key::Best)
    }

    /// The last finalized block.
    ///
    /// # Errors
    /// [`StorageError::NoGenesis`] before [`Database::commit_genesis`]; a database failure.
    pub fn finalized(&self) -> Result<BlockRef, StorageError> {
        meta::require(&self.snapshot()?, Key::Finalized)
    }

    /// The genesis hash, or `None` for a new database.
    ///
    /// # Errors
    /// A database failure.
    pub fn genesis_hash(&self) -> Result<Option<H256>, StorageError> {
        Ok(meta::get(&self.snapshot()?, Key::Genesis)?.map(|block| block.hash))
    }

    /// The header of block `hash`, if stored (canonical or not).
    ///
    /// # Errors
    /// A database failure or a corrupt entry.
    pub fn header(&self, hash: &H256) -> Result<Option<Header>, StorageError> {
        headers::get(&self.snapshot()?, hash)
    }

    /// The extrinsics of block `hash`, if stored.
    ///
    /// # Errors
    /// A database failure or a corrupt entry.
    pub fn body(&self, hash: &H256) -> Result<Option<Vec<OpaqueExtrinsic>>, StorageError> {
        bodies::get(&self.snapshot()?, hash)
    }

    /// The hash of the canonical block at `number`, if the best chain is that long.
    ///
    /// # Errors
    /// A database failure or a corrupt entry.
    pub fn hash_by_number(&self, number: BlockNumber) -> Result<Option<H256>, StorageError> {
        canonical::get(&self.snapshot()?, number)
    }

    /// The number of block `hash`, if stored.
    ///
    /// # Errors
    /// A database failure or a corrupt entry.
    pub fn number_of(&self, hash: &H256) -> Result<Option<BlockNumber>, StorageError> {
        Ok(self.header(hash)?.map(|header| header.number))
    }

    /// The state of block `hash`: from the flat index if it is the best block, through its
    /// trie otherwise.
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`]; a database failure.
    pub fn state_at(&self, hash: &H256) -> Result<StateView, StorageError> {
        self.view(hash, true)
    }

    /// The state of block `hash`, always read through its trie, even at the best block: for
    /// checking the flat index against the trie.
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`]; a database failure.
    pub fn trie_state_at(&self, hash: &H256) -> Result<StateView, StorageError> {
        self.view(hash, false)
    }

    fn view(&self, hash: &H256, flat_if_best: bool) -> Result<StateView, StorageError> {
        let snapshot = self.snapshot()?;
        let header = headers::require(&snapshot, hash)?;
        let best = meta::require(&snapshot, Key::Best)?;
        let flat = flat_if_best && best.hash == *hash;
        let block = BlockRef {
            hash: *hash,
            number: header.number,
        };
        Ok(StateView::new(
            snapshot,
            block,
            header.state_root.0,
            flat,
            self.roots.clone(),
        ))
    }

    /// The trie nodes proving the values of `keys` (absent keys included) in the state of
    /// block `hash`: the answer to `state_getReadProof`, sorted and without duplicates.
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`]; a missing or corrupt node; a database failure.
    pub fn read_proof<K: AsRef<[u8]>>(
        &self,
        hash: &H256,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<Vec<Vec<u8>>, StorageError> {
        let snapshot = self.snapshot()?;
        let header = headers::require(&snapshot, hash)?;
        let reader = NodeReader::new(&snapshot);
        folio_trie::read_proof(&reader, header.state_root.0, keys).map_err(|source| {
            reader.take_error().unwrap_or(StorageError::Trie {
                block: *hash,
                source,
            })
        })
    }

    /// Recomputes the best block's state root from the flat index and checks it against the
    /// best header: the flat index and the trie describe the same state. Reads the whole
    /// state, so it is for tests, `--check` style commands and recovery diagnostics.
    ///
    /// # Errors
    /// [`StorageError::StateRootMismatch`] when they differ; a database failure.
    pub fn verify_best_state(&self) -> Result<H256, StorageError> {
        let snapshot = self.snapshot()?;
        let best = meta::require(&snapshot, Key::Best)?;
        let header = headers::require(&snapshot, &best.hash)?;
        let got = H256(folio_trie::state_root(flat_state::entries(&snapshot)?));
        if got != header.state_root {
            return Err(StorageError::StateRootMismatch {
                expected: header.state_root,
                got,
            });
        }
        Ok(got)
    }
}
