//! Moving the best block between branches: the route from the old head to the new one
//! through their common ancestor, and the flat index moved along it incrementally.
//!
//! Every block that is not final journals its own state changes (`tables::journals`). A
//! switch sets each key a retracted block changed back to its value at the common ancestor
//! (read through the ancestor's trie), then replays the enacted blocks' journals in order:
//! O(keys the two branches touched), not O(state). A block stored before journals existed has
//! none; the switch then rebuilds the flat index from the new head's trie, as it used to.

use std::{collections::BTreeSet, sync::Arc};

use folio_primitives::H256;

use crate::{
    error::StorageError,
    kv::{Snapshot, WriteBatch},
    node_store::Nodes,
    root_cache::RootCache,
    state::{trie_entries, StateView},
    tables::{canonical, flat_state, headers, journals, journals::Changes},
    BlockRef,
};

/// The way from one block to another: down from `from` to their common ancestor, then up to
/// `to`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeRoute {
    /// The last block both chains share.
    pub common: Option<BlockRef>,
    /// Blocks left behind, from the old head down (the common ancestor excluded).
    pub retracted: Vec<BlockRef>,
    /// Blocks taken, ascending, ending with the new head (the common ancestor excluded).
    pub enacted: Vec<BlockRef>,
}

fn parent_of(snapshot: &Snapshot, block: BlockRef) -> Result<BlockRef, StorageError> {
    let header = headers::require(snapshot, &block.hash)?;
    Ok(BlockRef {
        hash: header.parent_hash,
        number: block.number.saturating_sub(1),
    })
}

/// The route from stored block `from` to `to`, whose parent `to_parent` is stored (`to`
/// itself may be the block being committed).
pub(crate) fn tree_route(
    snapshot: &Snapshot,
    from: BlockRef,
    to: BlockRef,
    to_parent: H256,
) -> Result<TreeRoute, StorageError> {
    let mut enacted = vec![to];
    let mut up = BlockRef {
        hash: to_parent,
        number: to.number.saturating_sub(1),
    };
    let mut down = from;
    let mut retracted = Vec::new();
    if to.hash == from.hash {
        return Ok(TreeRoute {
            common: Some(from),
            retracted,
            enacted: Vec::new(),
        });
    }
    while up.number > down.number {
        enacted.push(up);
        up = parent_of(snapshot, up)?;
    }
    while down.number > up.number {
        retracted.push(down);
        down = parent_of(snapshot, down)?;
    }
    while down.hash != up.hash {
        if down.number == 0 {
            // Two geneses: cannot happen in one database, but never loop on corruption.
            return Err(StorageError::UnknownBlock { hash: down.hash });
        }
        retracted.push(down);
        enacted.push(up);
        down = parent_of(snapshot, down)?;
        up = parent_of(snapshot, up)?;
    }
    enacted.reverse();
    Ok(TreeRoute {
        common: Some(down),
        retracted,
        enacted,
    })
}

/// What moving the best block to the end of a route needs besides the stored journals.
pub(crate) struct NewHead<'a> {
    /// The new head.
    pub block: BlockRef,
    pub state_root: H256,
    /// Its changes, when it is the block being committed (not yet journaled).
    pub changes: Option<&'a Changes>,
    /// Trie nodes written with it but not yet stored.
    pub nodes: Nodes,
}

/// Moves the flat index and the canonical index from the route's old head to `head`; returns
/// the trie nodes handed in (`head.nodes`), to be written with the batch.
pub(crate) fn switch_best(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    roots: &Arc<RootCache>,
    route: &TreeRoute,
    old_best: BlockRef,
    head: NewHead<'_>,
) -> Result<Nodes, StorageError> {
    let common = route.common.ok_or(StorageError::UnknownBlock {
        hash: head.block.hash,
    })?;
    if !flat_incrementally(snapshot, batch, roots, route, common, &head)? {
        tracing::info!(
            target: "folio::storage", hash = %head.block.hash, number = head.block.number,
            "branch switch over blocks without journals: rebuilding the flat state"
        );
        let (pairs, nodes) =
            trie_entries(snapshot, head.block.hash, head.state_root.0, head.nodes)?;
        flat_state::replace(batch, pairs);
        set_canonical(batch, route, old_best);
        return Ok(nodes);
    }
    set_canonical(batch, route, old_best);
    Ok(head.nodes)
}

/// The flat index moved along `route` from the journals; `false` when a block on it has none
/// (nothing was written then).
fn flat_incrementally(
    snapshot: &Snapshot,
    batch: &mut WriteBatch,
    roots: &Arc<RootCache>,
    route: &TreeRoute,
    common: BlockRef,
    head: &NewHead<'_>,
) -> Result<bool, StorageError> {
    let mut undone = BTreeSet::new();
    for block in &route.retracted {
        let Some(journal) = journals::get(snapshot, &block.hash)? else {
            return Ok(false);
        };
        undone.extend(journal.into_keys());
    }
    let mut enacted = Vec::with_capacity(route.enacted.len());
    for block in &route.enacted {
        if block.hash == head.block.hash {
            if let Some(changes) = head.changes {
                enacted.push(std::borrow::Cow::Borrowed(changes));
                continue;
            }
        }
        match journals::get(snapshot, &block.hash)? {
            Some(journal) => enacted.push(std::borrow::Cow::Owned(journal)),
            None => return Ok(false),
        }
    }
    let mut updates = Changes::new();
    if !undone.is_empty() {
        let root = headers::require(snapshot, &common.hash)?.state_root;
        let ancestor = StateView::new(snapshot.clone(), common, root.0, false, Arc::clone(roots));
        for key in undone {
            let value = ancestor.try_get(&key)?;
            updates.insert(key, value);
        }
    }
    for changes in &enacted {
        for (key, change) in changes.iter() {
            updates.insert(key.clone(), change.clone());
        }
    }
    tracing::info!(
        target: "folio::storage",
        hash = %head.block.hash, number = head.block.number,
        retracted = route.retracted.len(), enacted = route.enacted.len(), keys = updates.len(),
        "branch switch: flat state moved incrementally"
    );
    flat_state::apply(batch, &updates);
    Ok(true)
}

/// Points the canonical index at the route's enacted blocks and drops the entries of the old
/// chain above the new head.
fn set_canonical(batch: &mut WriteBatch, route: &TreeRoute, old_best: BlockRef) {
    let Some(head) = route.enacted.last() else {
        return;
    };
    for block in &route.enacted {
        canonical::put(batch, block.number, &block.hash);
    }
    let mut above = head.number;
    while above < old_best.number {
        above = above.saturating_add(1);
        canonical::delete(batch, above);
    }
}
