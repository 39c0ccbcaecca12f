//! [`NodeIndex`]: where each stored trie node is, by its hash, held in memory.
//!
//! Trie nodes are stored in the order they are first written, under an increasing position
//! ([`crate::tables::trie_nodes`]), so a block's new nodes are appended at the end of one
//! B-tree instead of being scattered over it by their random hashes: keyed by hash, each of a
//! block's ten thousand and more new nodes landed on a different page, and at a million
//! accounts the commit rewrote a third of the table every block. The cost of appending is this
//! index, a node's hash → its position, rebuilt by one scan of the table when the database
//! opens and extended after every commit: about 50 bytes per stored node
//! (docs/decisions/0002-trie-node-log.md).

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hasher, RandomState},
    sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard},
};

use folio_trie::Hash;

/// Positions of stored trie nodes by hash, and the next free position.
#[derive(Default)]
pub(crate) struct NodeIndex {
    inner: RwLock<Positions>,
}

#[derive(Default)]
struct Positions {
    by_hash: HashMap<Hash, u64, KeyedFold>,
    next: u64,
}

impl NodeIndex {
    // The index only grows, and each insertion is whole before the lock is released: what a
    // panicking holder left is still a valid index.
    fn read(&self) -> RwLockReadGuard<'_, Positions> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Positions> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The position of the node with hash `hash`, if stored.
    pub(crate) fn position(&self, hash: &Hash) -> Option<u64> {
        self.read().by_hash.get(hash).copied()
    }

    /// Whether a node with hash `hash` is stored.
    pub(crate) fn contains(&self, hash: &Hash) -> bool {
        self.read().by_hash.contains_key(hash)
    }

    /// The position the next stored node gets. Only the committer (under the database's
    /// commit lock) asks, and it [`publish`](Self::publish)es what it stored before the next.
    pub(crate) fn next_position(&self) -> u64 {
        self.read().next
    }

    /// Records nodes that are now stored (committed) at their positions; `next` is the first
    /// position after them.
    pub(crate) fn publish(&self, stored: impl IntoIterator<Item = (Hash, u64)>, next: u64) {
        let mut positions = self.write();
        positions.by_hash.extend(stored);
        positions.next = positions.next.max(next);
    }

    /// How many nodes are indexed.
    pub(crate) fn len(&self) -> usize {
        self.read().by_hash.len()
    }
}

/// Node hashes are blake2-256 outputs, uniformly distributed, so a multiply-and-fold of their
/// four words spreads them as well as SipHash at a fraction of the cost. The fold is keyed per
/// process: whoever can choose storage values (and so grind node hashes) cannot aim them at
/// one bucket without knowing the key.
#[derive(Clone)]
struct KeyedFold {
    key: u64,
}

impl Default for KeyedFold {
    fn default() -> Self {
        // One draw from the standard library's per-process random keys, made odd so that the
        // multiplication below is a bijection.
        Self {
            key: RandomState::new().hash_one(0u64) | 1,
        }
    }
}

impl BuildHasher for KeyedFold {
    type Hasher = FoldHasher;

    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            key: self.key,
            state: self.key,
        }
    }
}

struct FoldHasher {
    key: u64,
    state: u64,
}

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        // The high bits of a product depend on every input bit; hashbrown uses both ends.
        self.state ^ (self.state >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (to, from) in word.iter_mut().zip(chunk) {
                *to = *from;
            }
            self.state = (self.state ^ u64::from_le_bytes(word)).wrapping_mul(self.key);
        }
    }

    // Keys are 32-byte hashes: their length prefix adds nothing.
    fn write_usize(&mut self, _length: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_nodes_are_found_and_positions_move_on() {
        let index = NodeIndex::default();
        assert_eq!(index.next_position(), 0);
        assert_eq!(index.position(&[1; 32]), None);
        index.publish([([1; 32], 0), ([2; 32], 1)], 2);
        assert_eq!(index.position(&[1; 32]), Some(0));
        assert_eq!(index.position(&[2; 32]), Some(1));
        assert!(index.contains(&[2; 32]));
        assert!(!index.contains(&[3; 32]));
        assert_eq!(index.next_position(), 2);
        assert_eq!(index.len(), 2);
    }

    #[test]
    fn the_fold_is_keyed_and_every_word_counts() {
        let (one, other) = (KeyedFold::default(), KeyedFold::default());
        assert_ne!(one.key, other.key);
        let hash: Hash = [0x5a; 32];
        let base = one.hash_one(hash);
        assert_ne!(other.hash_one(hash), base);
        // Each step of the fold is a bijection, so a flipped bit anywhere changes the result.
        for byte in [0, 7, 8, 15, 16, 24, 31] {
            let mut flipped = hash;
            flipped[byte] ^= 1;
            assert_ne!(one.hash_one(flipped), base, "byte {byte}");
        }
    }

    #[test]
    fn hashes_sharing_their_first_bytes_stay_apart() {
        let index = NodeIndex::default();
        let mut a = [7; 32];
        let mut b = [7; 32];
        a[31] = 1;
        b[31] = 2;
        index.publish([(a, 5), (b, 6)], 7);
        assert_eq!(index.position(&a), Some(5));
        assert_eq!(index.position(&b), Some(6));
    }
}
