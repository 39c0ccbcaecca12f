//! [`TrieError`]: what can go wrong reading or updating a trie.

use std::fmt;

use crate::{Hash, NodeCodecError};

/// Why a trie read, update or proof check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrieError {
    /// The root node is not in the database (or, for a proof, no proof node hashes to it).
    ///
    /// During [`crate::apply_changes`], trie-db also reports a missing node below the root
    /// this way (its lookups there start from an already loaded parent), so `root` may then be
    /// that node's hash.
    #[error("state root {} is not in the database or proof", Hex(.root))]
    InvalidStateRoot {
        /// The root that was asked for.
        root: Hash,
    },
    /// A node below the root is missing (a pruned state, or a proof that does not cover the
    /// key).
    #[error("trie node {} is missing from the database or proof", Hex(.hash))]
    MissingNode {
        /// Hash of the missing node.
        hash: Hash,
    },
    /// A node's bytes are not a valid node.
    #[error("trie node {} is corrupt: {source}", Hex(.hash))]
    Decode {
        /// Hash under which the node was found.
        hash: Hash,
        /// What is wrong with it.
        source: NodeCodecError,
    },
    /// A value sits at a key with an odd number of nibbles, which no byte key can reach.
    #[error("value at incomplete key {} plus nibble {nibble:#x}", Hex(.key))]
    ValueAtIncompleteKey {
        /// The whole bytes of the key.
        key: Vec<u8>,
        /// The trailing half byte.
        nibble: u8,
    },
    /// A node reference that is not a 32-byte hash.
    #[error("node {} refers to a child by a {} byte hash", Hex(.hash), .bad.len())]
    InvalidHash {
        /// The node holding the reference.
        hash: Hash,
        /// The malformed reference.
        bad: Vec<u8>,
    },
}

impl From<Box<trie_db::TrieError<Hash, NodeCodecError>>> for TrieError {
    fn from(error: Box<trie_db::TrieError<Hash, NodeCodecError>>) -> Self {
        match *error {
            trie_db::TrieError::InvalidStateRoot(root) => TrieError::InvalidStateRoot { root },
            trie_db::TrieError::IncompleteDatabase(hash) => TrieError::MissingNode { hash },
            trie_db::TrieError::DecoderError(hash, source) => TrieError::Decode { hash, source },
            trie_db::TrieError::ValueAtIncompleteKey(key, nibble) => {
                TrieError::ValueAtIncompleteKey { key, nibble }
            }
            trie_db::TrieError::InvalidHash(hash, bad) => TrieError::InvalidHash { hash, bad },
        }
    }
}

/// Displays bytes as `0x`-prefixed lower-case hex.
#[derive(Clone, Copy, Debug)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}
