//! The pool following the chain: whatever imports a block (the dev author, the slot worker,
//! sync), the pool hears of it through the client's [`ChainEvent`]s, in order.
//!
//! - A block joining the best chain: its transactions leave the pool with `inBlock`.
//! - A block leaving it (a reorg): its transactions' watchers hear `retracted`; those not in
//!   the new branch go back to the pool, validated against the new best block, with their
//!   watchers, and are included again by the next block; those in the new branch hear
//!   `inBlock` of the block that has them.
//! - Blocks becoming final: their transactions' watchers hear `finalized`.

use crate::client::Client;
use crate::finality::ChainEvent;
use crate::pool::Pool;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::transaction_validity::TransactionValidity;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

const LOG_TARGET: &str = "folio::pool";

/// Keeps `pool` in step with `client` from now on.
pub fn attach(client: &Client, pool: Arc<Pool>) {
    client.add_listener(move |client, event| match event {
        ChainEvent::Imported { .. } => {}
        ChainEvent::NewBest {
            retracted, enacted, ..
        } => on_new_best(client, &pool, retracted, enacted),
        ChainEvent::Finalized { blocks, pruned } => pool.on_finalized(blocks, pruned),
    });
}

/// A block's extrinsics (none if its body cannot be read: logged).
fn body(client: &Client, block: &H256) -> Vec<OpaqueExtrinsic> {
    match client.db().body(block) {
        Ok(Some(body)) => body,
        Ok(None) => Vec::new(),
        Err(error) => {
            tracing::warn!(target: LOG_TARGET, %block, %error, "cannot read a block body for the pool");
            Vec::new()
        }
    }
}

fn on_new_best(client: &Client, pool: &Pool, retracted: &[H256], enacted: &[H256]) {
    let mut included_anew: HashMap<H256, H256> = HashMap::new();
    let mut enacted_txs = Vec::with_capacity(enacted.len());
    for block in enacted {
        let hashes: Vec<H256> = body(client, block)
            .iter()
            .map(OpaqueExtrinsic::hash)
            .collect();
        for tx in &hashes {
            included_anew.insert(*tx, *block);
        }
        enacted_txs.push((*block, hashes));
    }
    let mut watchers = HashMap::new();
    let mut back = Vec::new();
    let mut seen = HashSet::new();
    for block in retracted {
        watchers.extend(pool.on_retracted(*block));
        for xt in body(client, block) {
            let hash = xt.hash();
            if !included_anew.contains_key(&hash) && seen.insert(hash) {
                back.push(xt);
            }
        }
    }
    for (block, hashes) in &enacted_txs {
        let number = client.db().number_of(block).ok().flatten().unwrap_or(0);
        // Watchers of a retracted transaction the new branch also has move to its block.
        for tx in hashes {
            if let Some(moved) = watchers.remove(tx) {
                pool.watch_included(*block, *tx, moved);
            }
        }
        pool.on_block(*block, number, hashes, &[]);
    }
    if !back.is_empty() {
        reimport(client, pool, back, watchers);
    }
}

/// Validates the retracted transactions against the new best block and puts the valid ones
/// back (inherents and those the new branch made invalid are refused here).
fn reimport(
    client: &Client,
    pool: &Pool,
    back: Vec<OpaqueExtrinsic>,
    mut watchers: HashMap<H256, crate::pool::Watchers>,
) {
    let best = match client.best_header() {
        Ok(best) => best,
        Err(error) => {
            tracing::warn!(target: LOG_TARGET, %error, "no best block to revalidate retracted transactions");
            return;
        }
    };
    let validities: Vec<TransactionValidity> = match client
        .validate_transactions(best.hash(), &back)
    {
        Ok(validities) => validities,
        Err(error) => {
            tracing::warn!(target: LOG_TARGET, %error, "retracted transactions could not be revalidated");
            return;
        }
    };
    let mut returned = 0usize;
    for (xt, validity) in back.into_iter().zip(validities) {
        let hash = xt.hash();
        let watching = watchers.remove(&hash).unwrap_or_default();
        if pool
            .reimport_retracted(
                hash,
                xt.as_bytes().to_vec(),
                validity,
                best.number,
                watching,
            )
            .is_ok()
        {
            returned = returned.saturating_add(1);
        }
    }
    tracing::info!(target: LOG_TARGET, returned, "transactions of retracted blocks back in the pool");
}
