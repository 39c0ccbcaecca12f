//! Finality in the database: a finalized block and its ancestors become final, their
//! justifications are kept, their change journals dropped (a final block is never
//! retracted), and every branch that does not descend from the finalized block is pruned
//! (headers, bodies, journals; the trie nodes stay, as in archive mode every state does).

use std::collections::HashSet;

use folio_primitives::H256;

use crate::{
    commit::descends_from,
    database::Database,
    error::StorageError,
    fork::{switch_best, tree_route, NewHead, TreeRoute},
    kv::{Snapshot, WriteBatch},
    node_store::Nodes,
    tables::{
        blocks_by_number, bodies, canonical, headers, journals, justifications,
        justifications::Justification, meta, meta::Key,
    },
    BlockRef,
};

/// What a finalization did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finalization {
    /// The blocks that became final, ascending (empty when the block already was).
    pub finalized: Vec<BlockRef>,
    /// The blocks pruned because they do not descend from the finalized block.
    pub pruned: Vec<H256>,
}

/// A finalization that also moved the best block (the finalized block was not on the best
/// chain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finalized {
    pub finality: Finalization,
    /// The blocks the best chain left and took, when it moved.
    pub route: Option<TreeRoute>,
}

/// The blocks from just above `old_final` up to `target` (whose parent is `parent`),
/// ascending.
pub(crate) fn newly_final(
    snapshot: &Snapshot,
    old_final: BlockRef,
    target: BlockRef,
    parent: H256,
) -> Result<Vec<BlockRef>, StorageError> {
    let mut blocks = vec![target];
    let mut cursor = BlockRef {
        hash: parent,
        number: target.number.saturating_sub(1),
    };
    while cursor.number > old_final.number {
        blocks.push(cursor);
        let header = headers::require(snapshot, &cursor.hash)?;
        cursor = BlockRef {
            hash: header.parent_hash,
            number: cursor.number.saturating_sub(1),
        };
    }
    blocks.reverse();
    Ok(blocks)
}

/// Writes into `batch` that `newly` (ascending, ending with the new finalized block) became
/// final after `old_final`, and prunes what does not descend from it. `pending` is a block of
/// this batch not yet in the snapshot (it descends from the finalized block). Returns the
/// pruned blocks.
pub(crate) fn finalize_in_batch(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    old_final: BlockRef,
    newly: &[BlockRef],
    pending: Option<BlockRef>,
) -> Result<Vec<H256>, StorageError> {
    let Some(target) = newly.last().copied() else {
        return Ok(Vec::new());
    };
    for block in newly {
        if Some(*block) != pending {
            journals::delete(batch, &block.hash);
        }
    }
    meta::put(batch, Key::Finalized, target);
    let live: HashSet<H256> = newly.iter().map(|block| block.hash).collect();
    let mut dead: HashSet<H256> = HashSet::new();
    let mut pruned = Vec::new();
    let mut height = old_final.number;
    loop {
        height = height.saturating_add(1);
        let stored = blocks_by_number::at(snapshot, height)?;
        if stored.is_empty() {
            break;
        }
        for hash in stored {
            let is_dead = if height <= target.number {
                !live.contains(&hash)
            } else {
                let parent = headers::require(snapshot, &hash)?.parent_hash;
                dead.contains(&parent)
            };
            if is_dead {
                headers::delete(batch, &hash);
                bodies::delete(batch, &hash);
                journals::delete(batch, &hash);
                justifications::delete(batch, &hash);
                blocks_by_number::delete(batch, height, &hash);
                dead.insert(hash);
                pruned.push(hash);
            }
        }
    }
    Ok(pruned)
}

/// The highest stored descendant of `block` (or `block` itself): the head the best chain
/// moves to when `block` is finalized off it.
fn highest_descendant(snapshot: &Snapshot, block: BlockRef) -> Result<BlockRef, StorageError> {
    let mut head = block;
    let mut frontier: HashSet<H256> = HashSet::from([block.hash]);
    let mut height = block.number;
    while !frontier.is_empty() {
        height = height.saturating_add(1);
        let mut next = HashSet::new();
        for hash in blocks_by_number::at(snapshot, height)? {
            if frontier.contains(&headers::require(snapshot, &hash)?.parent_hash) {
                // The first seen at the greatest height, as fork choice keeps ties.
                if next.is_empty() {
                    head = BlockRef {
                        hash,
                        number: height,
                    };
                }
                next.insert(hash);
            }
        }
        frontier = next;
    }
    Ok(head)
}

impl Database {
    /// Finalizes canonical block `hash` (and so every block before it).
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`], [`StorageError::NotCanonical`],
    /// [`StorageError::FinalityReversal`]; a database failure.
    pub fn set_finalized(&self, hash: &H256) -> Result<(), StorageError> {
        let snapshot = self.snapshot()?;
        let header = headers::require(&snapshot, hash)?;
        if canonical::get(&snapshot, header.number)? != Some(*hash) {
            return Err(StorageError::NotCanonical {
                hash: *hash,
                number: header.number,
            });
        }
        drop(snapshot);
        self.finalize(hash, None).map(drop)
    }

    /// Finalizes block `hash` and its ancestors, keeps `justification` for it, prunes the
    /// branches that do not descend from it. A block off the best chain makes the best block
    /// move to its highest descendant: finality beats length.
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`], [`StorageError::FinalityReversal`] (below the finalized
    /// block), [`StorageError::FinalityConflict`] (not descending from it); a missing trie node
    /// or a database failure.
    pub fn finalize(
        &self,
        hash: &H256,
        justification: Option<Justification>,
    ) -> Result<Finalized, StorageError> {
        let _guard = self.commit_lock.lock();
        let snapshot = self.snapshot()?;
        let header = headers::require(&snapshot, hash)?;
        let target = BlockRef {
            hash: *hash,
            number: header.number,
        };
        let current = meta::require(&snapshot, Key::Finalized)?;
        if header.number < current.number {
            return Err(StorageError::FinalityReversal {
                finalized: current.number,
                requested: header.number,
            });
        }
        let mut batch = WriteBatch::default();
        if let Some(justification) = justification {
            let mut stored = justifications::get(&snapshot, hash)?.unwrap_or_default();
            stored.retain(|(engine, _)| *engine != justification.0);
            stored.push(justification);
            justifications::put(&mut batch, hash, &stored);
        }
        if current.hash == *hash {
            self.kv.write(batch)?;
            return Ok(Finalized::default());
        }
        if !descends_from(&snapshot, header.parent_hash, header.number, current)? {
            return Err(StorageError::FinalityConflict {
                hash: *hash,
                finalized: current.hash,
            });
        }
        let mut route = None;
        if canonical::get(&snapshot, header.number)? != Some(*hash) {
            let best = meta::require(&snapshot, Key::Best)?;
            let head = highest_descendant(&snapshot, target)?;
            let head_header = headers::require(&snapshot, &head.hash)?;
            let moved = tree_route(&snapshot, best, head, head_header.parent_hash)?;
            let new_head = NewHead {
                block: head,
                state_root: head_header.state_root,
                changes: None,
                nodes: Nodes::new(),
            };
            let nodes = switch_best(&snapshot, &mut batch, &self.roots, &moved, best, new_head)?;
            debug_assert!(nodes.is_empty(), "a stored head brings no new nodes");
            meta::put(&mut batch, Key::Best, head);
            tracing::info!(target: "folio::storage", %hash, head = %head.hash, "finalized a block off the best chain: best follows it");
            route = Some(moved);
        }
        let newly = newly_final(&snapshot, current, target, header.parent_hash)?;
        let pruned = finalize_in_batch(&snapshot, &mut batch, current, &newly, None)?;
        self.kv.write(batch)?;
        tracing::debug!(target: "folio::storage", number = header.number, %hash, pruned = pruned.len(), "finalized");
        Ok(Finalized {
            finality: Finalization {
                finalized: newly,
                pruned,
            },
            route,
        })
    }

    /// The justifications stored for block `hash`.
    ///
    /// # Errors
    /// A database failure or a corrupt entry.
    pub fn justifications(&self, hash: &H256) -> Result<Option<Vec<Justification>>, StorageError> {
        justifications::get(&self.snapshot()?, hash)
    }
}
