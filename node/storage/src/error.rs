//! [`StorageError`]: everything the database can refuse or fail at, with typed context.

use folio_primitives::{BlockNumber, H256};

use crate::{pruning::StatePruning, tables::Column};

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The embedded database failed (I/O, a corrupt file, a lock held by another process).
    #[error("database {operation} failed: {source}")]
    Database {
        /// What was being done.
        operation: &'static str,
        /// The database engine's error.
        #[source]
        source: redb::Error,
    },
    /// A file-system operation around the database failed.
    #[error("{operation} {path}: {source}")]
    Io {
        /// What was being done.
        operation: &'static str,
        /// The path involved.
        path: std::path::PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// An entry of a table does not decode: the file is corrupt or from another version.
    #[error("corrupt entry in table {column:?} under key {}: {reason}", folio_trie::Hex(.key))]
    Corrupt {
        /// The table holding the entry.
        column: Column,
        /// The entry's key.
        key: Vec<u8>,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry that another entry refers to is missing (e.g. a canonical hash without header).
    #[error("table {column:?} lacks key {} that the database refers to", folio_trie::Hex(.key))]
    Missing {
        /// The table that should hold the entry.
        column: Column,
        /// The missing key.
        key: Vec<u8>,
    },
    /// Reading or updating a block's state trie failed (a missing or corrupt node).
    #[error("state trie of block {block}: {source}")]
    Trie {
        /// The block whose state was being read or built on.
        block: H256,
        /// What went wrong in the trie.
        #[source]
        source: folio_trie::TrieError,
    },
    /// No block with this hash is stored.
    #[error("unknown block {hash}")]
    UnknownBlock {
        /// The hash that was asked for.
        hash: H256,
    },
    /// A block's parent is not stored.
    #[error("parent {parent} of block {hash} (#{number}) is unknown")]
    UnknownParent {
        /// The block being committed.
        hash: H256,
        /// Its number.
        number: BlockNumber,
        /// The parent hash it names.
        parent: H256,
    },
    /// A block's number is not its parent's plus one.
    #[error("block {hash} has number {number}, its parent has {parent_number}")]
    InvalidNumber {
        /// The block being committed.
        hash: H256,
        /// Its number.
        number: BlockNumber,
        /// Its parent's number.
        parent_number: BlockNumber,
    },
    /// The state root computed from the block's changes differs from its header's.
    #[error("state root mismatch: header says {expected}, the changes give {got}")]
    StateRootMismatch {
        /// The root in the header.
        expected: H256,
        /// The root the database computed.
        got: H256,
    },
    /// The block is already stored.
    #[error("block {hash} is already stored")]
    AlreadyImported {
        /// The block's hash.
        hash: H256,
    },
    /// No genesis block has been committed yet.
    #[error("the database holds no genesis block")]
    NoGenesis,
    /// A genesis header must have number 0.
    #[error("a genesis header has number 0, this one has {number}")]
    InvalidGenesisNumber {
        /// The header's number.
        number: BlockNumber,
    },
    /// The database already holds another chain.
    #[error("the database holds genesis {existing}, not {given}")]
    GenesisMismatch {
        /// The stored genesis hash.
        existing: H256,
        /// The genesis hash that was offered.
        given: H256,
    },
    /// Only canonical blocks (on the chain of the best block) can be finalized.
    #[error("block {hash} (#{number}) is not on the best chain")]
    NotCanonical {
        /// The block.
        hash: H256,
        /// Its number.
        number: BlockNumber,
    },
    /// Finality never moves backwards.
    #[error("block #{requested} cannot be finalized: #{finalized} already is")]
    FinalityReversal {
        /// Number of the finalized block.
        finalized: BlockNumber,
        /// Number of the block asked to be finalized.
        requested: BlockNumber,
    },
    /// A block committed as finalized does not descend from the finalized block.
    #[error("block {hash} does not descend from finalized block {finalized}")]
    FinalityConflict {
        /// The block.
        hash: H256,
        /// The finalized block.
        finalized: H256,
    },
    /// The state pruning mode is designed but not implemented.
    #[error("state pruning {mode:?} is not implemented; use StatePruning::Archive")]
    PruningUnsupported {
        /// The mode asked for.
        mode: StatePruning,
    },
}

impl StorageError {
    pub(crate) fn db(operation: &'static str) -> impl FnOnce(redb::Error) -> Self {
        move |source| Self::Database { operation, source }
    }
}
