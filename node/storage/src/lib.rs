//! Folio's embedded, crash-safe database: blocks and the state of every block.
//!
//! It owns, in one redb file (chosen by measurement: `docs/decisions/0001-database.md`):
//! headers, bodies, the canonical number → hash index, chain metadata (genesis, best,
//! finalized), every block's state as Substrate's Merkle-Patricia trie (folio-trie, layout V1,
//! blake2-256) and a flat key → value index of the best block's state, so reads of the latest
//! state do not walk the trie. [`Database::state_at`] gives any stored block's state as the
//! executor's [`folio_primitives::externalities::Backend`].
//!
//! A block is committed in one write transaction that is durable when
//! [`Database::commit_block`] returns; a process killed at any instant reopens on the last
//! fully committed block. The state root of every commit is recomputed here and checked
//! against the header, so the flat index and the trie can never disagree.
//!
//! It must not execute blocks, choose what to import or decide finality (the chain crate
//! does), hand-roll trie algorithms (folio-trie and trie-db do), or panic on anything read
//! from disk: a corrupt entry or a missing node is a [`StorageError`].

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod commit;
mod database;
mod error;
mod finality;
mod fork;
mod kv;
mod node_cache;
mod node_index;
mod node_store;
mod pruning;
mod root_cache;
mod state;
mod tables;
#[cfg(test)]
mod tests;

pub use commit::{CommitBlock, Committed};
pub use database::Database;
pub use error::StorageError;
pub use finality::{Finalization, Finalized};
pub use fork::TreeRoute;
pub use pruning::StatePruning;
pub use state::StateView;
pub use tables::{justifications::Justification, meta::BlockRef, Column};
