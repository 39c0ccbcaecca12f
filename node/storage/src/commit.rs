//! Writing blocks: genesis, imported blocks and finality, each in one write transaction.

use std::{collections::BTreeMap, time::Instant};

use folio_primitives::{extrinsic::OpaqueExtrinsic, header::Header, BlockNumber, H256};
use folio_trie::EMPTY_ROOT;

use crate::{
    database::Database,
    error::StorageError,
    kv::{Snapshot, WriteBatch},
    state::{compute_root, trie_entries},
    tables::{bodies, canonical, flat_state, headers, meta, meta::Key, trie_nodes},
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
    ///
    /// The block becomes best when it is longer than the best chain (or is committed as
    /// finalized) and descends from the finalized block; the flat index, the canonical index
    /// and the metadata move with it. Trie nodes, flat updates, header, body, index and
    /// metadata are written in one transaction: after a crash the database holds the block
    /// whole or not at all.
    ///
    /// # Errors
    /// [`StorageError::AlreadyImported`], [`StorageError::UnknownParent`],
    /// [`StorageError::InvalidNumber`], [`StorageError::StateRootMismatch`] (nothing is
    /// written), [`StorageError::FinalityConflict`] for a finalized block that does not descend
    /// from the finalized block; a missing trie node or a database failure.
    pub fn commit_block(&self, block: CommitBlock) -> Result<H256, StorageError> {
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
        let final_block = meta::require(&snapshot, Key::Finalized)?;
        let mut becomes_best = finalized || number > best.number;
        if becomes_best && !descends_from(&snapshot, header.parent_hash, number, final_block)? {
            if finalized {
                return Err(StorageError::FinalityConflict {
                    hash,
                    finalized: final_block.hash,
                });
            }
            becomes_best = false;
        }

        let node_count = nodes.len();
        let mut batch = WriteBatch::default();
        let nodes = if becomes_best {
            if header.parent_hash == best.hash {
                flat_state::apply(&mut batch, &changes);
                nodes
            } else {
                // The best block moves to another fork: rebuild the flat index from the new
                // state's trie. O(state), but forks are rare (a dev chain never has one).
                tracing::info!(target: "folio::storage", %hash, number, old_best = %best.hash, "reorg: rebuilding flat state");
                let (pairs, nodes) = trie_entries(&snapshot, hash, root, nodes)?;
                flat_state::replace(&mut batch, pairs);
                nodes
            }
        } else {
            nodes
        };
        // The next block's root starts from the upper-level nodes this one wrote. (Genesis
        // nodes are not cached: the whole state would only churn the cache.)
        snapshot.node_cache().insert_all(&nodes);
        let appended = trie_nodes::put_all(&snapshot, &mut batch, nodes);
        headers::put(&mut batch, &hash, &header);
        bodies::put(&mut batch, &hash, &body);
        if becomes_best {
            set_canonical(&snapshot, &mut batch, this, header.parent_hash, best.number)?;
            meta::put(&mut batch, Key::Best, this);
        }
        if finalized {
            meta::put(&mut batch, Key::Finalized, this);
        }
        self.kv.write(batch)?;
        trie_nodes::publish(&snapshot, appended);
        tracing::debug!(
            target: "folio::storage",
            number, %hash, nodes = node_count, best = becomes_best, finalized,
            elapsed = ?started.elapsed(), "committed block"
        );
        Ok(header.state_root)
    }

    /// Finalizes canonical block `hash` (and so every block before it).
    ///
    /// # Errors
    /// [`StorageError::UnknownBlock`], [`StorageError::NotCanonical`],
    /// [`StorageError::FinalityReversal`]; a database failure.
    pub fn set_finalized(&self, hash: &H256) -> Result<(), StorageError> {
        let _guard = self.commit_lock.lock();
        let snapshot = self.snapshot()?;
        let header = headers::require(&snapshot, hash)?;
        if canonical::get(&snapshot, header.number)? != Some(*hash) {
            return Err(StorageError::NotCanonical {
                hash: *hash,
                number: header.number,
            });
        }
        let current = meta::require(&snapshot, Key::Finalized)?;
        if header.number < current.number {
            return Err(StorageError::FinalityReversal {
                finalized: current.number,
                requested: header.number,
            });
        }
        let mut batch = WriteBatch::default();
        meta::put(
            &mut batch,
            Key::Finalized,
            BlockRef {
                hash: *hash,
                number: header.number,
            },
        );
        self.kv.write(batch)?;
        tracing::debug!(target: "folio::storage", number = header.number, %hash, "finalized");
        Ok(())
    }
}

/// Whether the block at `number` with parent `parent` descends from (or is) `ancestor`.
fn descends_from(
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

/// Makes `block` (with parent `parent`) the head of the canonical index, replacing the entries
/// of the old best chain back to the fork point and dropping those above the new head.
fn set_canonical(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    block: BlockRef,
    parent: H256,
    old_best: BlockNumber,
) -> Result<(), StorageError> {
    canonical::put(batch, block.number, &block.hash);
    let mut cursor = parent;
    let mut height = block.number;
    while let Some(below) = height.checked_sub(1) {
        if canonical::get(snapshot, below)? == Some(cursor) {
            break;
        }
        canonical::put(batch, below, &cursor);
        cursor = headers::require(snapshot, &cursor)?.parent_hash;
        height = below;
    }
    let mut above = block.number;
    while above < old_best {
        above = above.saturating_add(1);
        canonical::delete(batch, above);
    }
    Ok(())
}
