//! Writing blocks: genesis, imported blocks and finality, each in one write transaction.

use std::{collections::BTreeMap, time::Instant};

use folio_primitives::{extrinsic::OpaqueExtrinsic, header::Header, BlockNumber, H256};
use folio_trie::EMPTY_ROOT;

use crate::{
    database::Database,
    error::StorageError,
    finality::{finalize_in_batch, newly_final, Finalization},
    fork::{switch_best, tree_route, NewHead, TreeRoute},
    kv::{Snapshot, WriteBatch},
    state::compute_root,
    tables::{
        blocks_by_number, bodies, canonical, flat_state, headers, journals, meta, meta::Key,
        trie_nodes,
    },
    BlockRef,
};

/// A block to commit, with the state changes its execution produced.
#[derive(Clone, Debug)]
pub struct CommitBlock {
    /// The header; its `state_root` must equal the root the changes give.
    pub header: Header,
    /// The extrinsics.
    pub body: Vec<OpaqueExtrinsic>,
    /// Changes to the parent's state: `Some(value)` sets, `None` removes.
    pub changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// Finalize the block with the commit (it then also becomes the best block).
    pub finalized: bool,
}

impl Database {
    /// Commits the genesis block with its whole state; it becomes best and finalized.
    /// Committing the same genesis again changes nothing.
    ///
    /// # Errors
    /// [`StorageError::InvalidGenesisNumber`], [`StorageError::GenesisMismatch`] when another
    /// genesis is stored, [`StorageError::StateRootMismatch`] when `state` does not give
    /// `header.state_root` (nothing is written); a database failure.
    pub fn commit_genesis(
        &self,
        header: Header,
        state: BTreeMap<Vec<u8>, Vec<u8>>,
    ) -> Result<H256, StorageError> {
        let started = Instant::now();
        let _guard = self.commit_lock.lock();
        let hash = header.hash();
        if header.number != 0 {
            return Err(StorageError::InvalidGenesisNumber {
                number: header.number,
            });
        }
        let snapshot = self.snapshot()?;
        if let Some(existing) = meta::get(&snapshot, Key::Genesis)? {
            return if existing.hash == hash {
                Ok(header.state_root)
            } else {
                Err(StorageError::GenesisMismatch {
                    existing: existing.hash,
                    given: hash,
                })
            };
        }
        let changes = state
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect();
        let (root, nodes) = compute_root(&snapshot, hash, EMPTY_ROOT, &changes, None)?;
        if H256(root) != header.state_root {
            return Err(StorageError::StateRootMismatch {
                expected: header.state_root,
                got: H256(root),
            });
        }
        let node_count = nodes.len();
        let block = BlockRef { hash, number: 0 };
        let mut batch = WriteBatch::default();
        let appended = trie_nodes::put_all(&snapshot, &mut batch, nodes);
        flat_state::replace(&mut batch, state);
        headers::put(&mut batch, &hash, &header);
        bodies::put(&mut batch, &hash, &[]);
        canonical::put(&mut batch, 0, &hash);
        blocks_by_number::put(&mut batch, 0, &hash);
        for key in [Key::Genesis, Key::Best, Key::Finalized] {
            meta::put(&mut batch, key, block);
        }
        self.kv.write(batch)?;
        trie_nodes::publish(&snapshot, appended);
        tracing::debug!(
            target: "folio::storage",
            number = 0, %hash, nodes = node_count, elapsed = ?started.elapsed(),
            "committed genesis"
        );
        Ok(header.state_root)
    }

    /// Commits a block on top of its (stored) parent's state and returns its state root.
    /// See [`Database::commit_block_routed`].
    ///
    /// # Errors
    /// As [`Database::commit_block_routed`].
    pub fn commit_block(&self, block: CommitBlock) -> Result<H256, StorageError> {
        self.commit_block_routed(block)
            .map(|committed| committed.state_root)
    }

    /// Commits a block on top of its (stored) parent's state, whichever branch that is, and
    /// says where the best block went.
    ///
    /// The block becomes best when it is longer than the best chain (ties: the block seen
    /// first stays) or is committed as finalized; it must descend from the finalized block.
    /// A block on another branch moves the flat index incrementally (`crate::fork`). A block
    /// not committed as finalized journals its changes for a later branch switch. Trie nodes,
    /// flat updates, header, body, indexes and metadata are written in one transaction: after
    /// a crash the database holds the block whole or not at all.
    ///
    /// # Errors
    /// [`StorageError::AlreadyImported`], [`StorageError::UnknownParent`],
    /// [`StorageError::InvalidNumber`], [`StorageError::StateRootMismatch`] (nothing is
    /// written), [`StorageError::FinalityConflict`] for a block that does not descend from the
    /// finalized block; a missing trie node or a database failure.
    pub fn commit_block_routed(&self, block: CommitBlock) -> Result<Committed, StorageError> {
        let started = Instant::now();
        let _guard = self.commit_lock.lock();
        let CommitBlock {
            header,
            body,
            changes,
            finalized,
        } = block;
        let hash = header.hash();
        let number = header.number;
        let snapshot = self.snapshot()?;
        if headers::get(&snapshot, &hash)?.is_some() {
            return Err(StorageError::AlreadyImported { hash });
        }
        let parent =
            headers::get(&snapshot, &header.parent_hash)?.ok_or(StorageError::UnknownParent {
                hash,
                number,
                parent: header.parent_hash,
            })?;
        if parent.number.checked_add(1) != Some(number) {
            return Err(StorageError::InvalidNumber {
                hash,
                number,
                parent_number: parent.number,
            });
        }
        let final_block = meta::require(&snapshot, Key::Finalized)?;
        if !descends_from(&snapshot, header.parent_hash, number, final_block)? {
            return Err(StorageError::FinalityConflict {
                hash,
                finalized: final_block.hash,
            });
        }

        let parent_root = parent.state_root.0;
        let (root, nodes) = match self.roots.take(parent_root, header.state_root.0, &changes) {
            Some(nodes) => (header.state_root.0, nodes),
            None => compute_root(&snapshot, header.parent_hash, parent_root, &changes, None)?,
        };
        if H256(root) != header.state_root {
            return Err(StorageError::StateRootMismatch {
                expected: header.state_root,
                got: H256(root),
            });
        }

        let this = BlockRef { hash, number };
        let best = meta::require(&snapshot, Key::Best)?;
        let becomes_best = finalized || number > best.number;

        let node_count = nodes.len();
        let mut batch = WriteBatch::default();
        let mut route = TreeRoute::default();
        let nodes = if !becomes_best {
            nodes
        } else if header.parent_hash == best.hash {
            flat_state::apply(&mut batch, &changes);
            canonical::put(&mut batch, number, &hash);
            route = TreeRoute {
                common: Some(best),
                retracted: Vec::new(),
                enacted: vec![this],
            };
            nodes
        } else {
            route = tree_route(&snapshot, best, this, header.parent_hash)?;
            let head = NewHead {
                block: this,
                state_root: header.state_root,
                changes: Some(&changes),
                nodes,
            };
            switch_best(&snapshot, &mut batch, &self.roots, &route, best, head)?
        };
        if !finalized {
            journals::put(&mut batch, &hash, &changes);
        }
        // The next block's root starts from the upper-level nodes this one wrote. (Genesis
        // nodes are not cached: the whole state would only churn the cache.)
        snapshot.node_cache().insert_all(&nodes);
        let appended = trie_nodes::put_all(&snapshot, &mut batch, nodes);
        headers::put(&mut batch, &hash, &header);
        bodies::put(&mut batch, &hash, &body);
        blocks_by_number::put(&mut batch, number, &hash);
        if becomes_best {
            meta::put(&mut batch, Key::Best, this);
        }
        let finality = if finalized {
            let newly = newly_final(&snapshot, final_block, this, header.parent_hash)?;
            let pruned = finalize_in_batch(&snapshot, &mut batch, final_block, &newly, Some(this))?;
            Finalization {
                finalized: newly,
                pruned,
            }
        } else {
            Finalization::default()
        };
        self.kv.write(batch)?;
        trie_nodes::publish(&snapshot, appended);
        tracing::debug!(
            target: "folio::storage",
            number, %hash, nodes = node_count, best = becomes_best, finalized,
            retracted = route.retracted.len(), elapsed = ?started.elapsed(), "committed block"
        );
        Ok(Committed {
            state_root: header.state_root,
            best: becomes_best,
            route,
            finality,
        })
    }
}

/// Where a committed block went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Committed {
    /// Its state root.
    pub state_root: H256,
    /// Whether it became the best block.
    pub best: bool,
    /// When it became best: the blocks left and taken (empty otherwise).
    pub route: TreeRoute,
    /// When it was committed as finalized: the blocks that became final with it.
    pub finality: Finalization,
}

/// Whether the block at `number` with parent `parent` descends from (or is) `ancestor`.
pub(crate) fn descends_from(
    snapshot: &Snapshot,
    parent: H256,
    number: BlockNumber,
    ancestor: BlockRef,
) -> Result<bool, StorageError> {
    if number <= ancestor.number {
        return Ok(false);
    }
    // Walk parents down to the ancestor's height. The canonical chain answers at once when the
    // walk reaches it, so only the fork part of the path is walked.
    let mut cursor = parent;
    let mut height = number.saturating_sub(1);
    loop {
        if height == ancestor.number {
            return Ok(cursor == ancestor.hash);
        }
        if canonical::get(snapshot, height)? == Some(cursor) {
            // On the canonical chain, which contains the finalized block.
            return Ok(true);
        }
        cursor = headers::require(snapshot, &cursor)?.parent_hash;
        height = height.saturating_sub(1);
    }
}
