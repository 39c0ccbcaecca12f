//! [`NodeCache`]: recently read or written trie nodes, in memory, shared by every state view.
//!
//! Computing a block's state root walks the paths of every changed key, and the upper levels
//! of the trie are on every path: read from the database each time, those reads were a tenth
//! of executing a block of transfers (docs/benchmarks.md). Nodes are keyed by their own hash,
//! so a cached node can never be stale: whatever block asks, the bytes are the same.
//!
//! Bounded by bytes with two generations (a cheap approximation of least-recently-used): new
//! nodes go into the current generation; when it holds half the budget it becomes the previous
//! one and the old previous one is dropped; a node found in the previous generation moves back
//! to the current one. The nodes a commit writes go in too, since the next block's root starts
//! from exactly those upper-level nodes.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use folio_trie::Hash;

/// The default budget: the upper four levels of a trie of a million accounts take ~35 MiB.
pub(crate) const DEFAULT_BUDGET_BYTES: usize = 128 << 20;

/// Recently used trie nodes by hash.
pub(crate) struct NodeCache {
    budget: usize,
    generations: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    current: HashMap<Hash, Vec<u8>>,
    current_bytes: usize,
    previous: HashMap<Hash, Vec<u8>>,
}

impl NodeCache {
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            budget,
            generations: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A cache: whatever state a panicking holder left is still a valid cache.
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The node with hash `hash`, if cached.
    pub(crate) fn get(&self, hash: &Hash) -> Option<Vec<u8>> {
        let mut generations = self.lock();
        if let Some(node) = generations.current.get(hash) {
            return Some(node.clone());
        }
        let node = generations.previous.remove(hash)?;
        let copy = node.clone();
        generations.insert(self.budget, *hash, node);
        Some(copy)
    }

    /// Caches `node` under `hash`.
    pub(crate) fn insert(&self, hash: Hash, node: Vec<u8>) {
        self.lock().insert(self.budget, hash, node);
    }

    /// Caches every node of `nodes`.
    pub(crate) fn insert_all<'a>(&self, nodes: impl IntoIterator<Item = (&'a Hash, &'a Vec<u8>)>) {
        let mut generations = self.lock();
        for (hash, node) in nodes {
            generations.insert(self.budget, *hash, node.clone());
        }
    }

    /// Forgets every node (tests that damage the file read it afresh, as a new process would).
    #[cfg(test)]
    pub(crate) fn clear(&self) {
        *self.lock() = Generations::default();
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        let generations = self.lock();
        generations.current.len() + generations.previous.len()
    }
}

impl Generations {
    fn insert(&mut self, budget: usize, hash: Hash, node: Vec<u8>) {
        let size = node.len().saturating_add(std::mem::size_of::<Hash>());
        if let Some(old) = self.current.insert(hash, node) {
            self.current_bytes = self.current_bytes.saturating_sub(old.len());
        } else {
            self.current_bytes = self.current_bytes.saturating_add(size);
        }
        if self.current_bytes > budget / 2 {
            self.previous = std::mem::take(&mut self.current);
            self.current_bytes = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(i: u8) -> Hash {
        [i; 32]
    }

    #[test]
    fn nodes_come_back_until_two_generations_have_passed() {
        // Room for about four nodes of 100 bytes per generation.
        let cache = NodeCache::new(2 * 4 * (100 + 32));
        cache.insert(hash(0), vec![0; 100]);
        assert_eq!(cache.get(&hash(0)), Some(vec![0; 100]));
        for i in 1..=4 {
            cache.insert(hash(i), vec![i; 100]);
        }
        // Node 0 went to the previous generation with the rotation; a hit brings it back.
        assert_eq!(cache.get(&hash(0)), Some(vec![0; 100]));
        for i in 5..=20 {
            cache.insert(hash(i), vec![i; 100]);
        }
        assert_eq!(cache.get(&hash(1)), None, "dropped with an old generation");
        assert_eq!(cache.get(&hash(20)), Some(vec![20; 100]));
        assert!(cache.len() <= 10, "bounded: {} nodes", cache.len());
    }
}
