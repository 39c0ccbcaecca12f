//! Roots computed by [`crate::StateView::root_with_changes`], kept with their new nodes so that
//! committing the same block does not apply the same changes to the trie again.

use std::{
    collections::{BTreeMap, VecDeque},
    sync::Mutex,
};

use folio_trie::Hash;

/// How many computed roots are kept: the block being built or imported, plus a few roots asked
/// for along the way (`storage_root` host calls). Bounded so memory stays bounded.
const CAPACITY: usize = 4;

/// The changes a root was computed from: (key → value, `None` = removed).
pub(crate) type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

struct Entry {
    parent_root: Hash,
    root: Hash,
    changes: Changes,
    nodes: BTreeMap<Hash, Vec<u8>>,
}

/// The last few computed roots.
#[derive(Default)]
pub(crate) struct RootCache {
    entries: Mutex<VecDeque<Entry>>,
}

impl RootCache {
    /// Remembers that `changes` on the state with root `parent_root` give `root` and `nodes`.
    pub(crate) fn insert(
        &self,
        parent_root: Hash,
        root: Hash,
        changes: Changes,
        nodes: BTreeMap<Hash, Vec<u8>>,
    ) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.retain(|e| !(e.parent_root == parent_root && e.root == root));
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back(Entry {
            parent_root,
            root,
            changes,
            nodes,
        });
    }

    /// The nodes of `changes` on `parent_root`, if they were computed and gave `root`.
    ///
    /// The changes themselves are compared, not only the roots: the flat index is written from
    /// the committed changes and the trie from the cached nodes, so they must be the same.
    pub(crate) fn take(
        &self,
        parent_root: Hash,
        root: Hash,
        changes: &Changes,
    ) -> Option<BTreeMap<Hash, Vec<u8>>> {
        let mut entries = self.entries.lock().ok()?;
        let position = entries.iter().position(|e| {
            e.parent_root == parent_root && e.root == root && e.changes == *changes
        })?;
        entries.remove(position).map(|e| e.nodes)
    }
}
