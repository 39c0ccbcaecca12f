//! State pruning: how many old states the database keeps.
//!
//! Only [`StatePruning::Archive`] is implemented. The design for [`StatePruning::KeepLast`]:
//! - `trie_nodes` values gain a reference count (a node is shared by every state that did not
//!   change it), kept in the same write transaction as the node.
//! - Each committed block journals the nodes its changes *replaced* (trie-db reports them as
//!   removals during `apply_changes`, which archive mode ignores) under its number.
//! - When block `f` is finalized, the journals of canonical blocks up to `f - n` are replayed:
//!   each replaced node's count is decremented and the node deleted at zero; the journals of
//!   non-canonical blocks at those heights are undone instead (their inserted nodes
//!   decremented), so forks die with their nodes.
//! - `state_at` of a pruned block returns [`crate::StorageError::Trie`] (a missing root).

/// How many old states to keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatePruning {
    /// Keep the state of every block (the default).
    #[default]
    Archive,
    /// Keep the states of the last `n` finalized blocks and everything after them. Designed
    /// (see the module docs), not implemented: opening with it fails with
    /// [`crate::StorageError::PruningUnsupported`].
    KeepLast(u32),
}
