//! Folio's chain: what turns the database, the executor and the runtime into a running chain.
//!
//! - [`chain_spec`]: chain specs (Substrate's JSON format) and genesis building;
//! - [`client`]: runtime calls at any block, block building and import, commit and
//!   notifications;
//! - [`pool`]: the transaction pool (tags, priority, replacement, bounds, bans);
//! - [`admission`]: submissions validated in batches on their way into the pool;
//! - [`author`]: dev sealing (instant, interval, manual) with instant finality;
//!
//! It owns no wire format (primitives do) and no RPC, network or CLI concerns (the binary
//! wires those to it: `node/cli/src/service/`).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod admission;
pub mod author;
pub mod chain_spec;
pub mod client;
pub mod dev_clock;
mod error;
pub mod finality;
pub mod maintain;
pub mod pool;

pub use admission::Admission;
pub use author::{AuthorHandle, Sealing};
pub use chain_spec::{ChainSpec, ChainType};
pub use client::{Applied, BlockTimings, Client, FastPath, ImportedBlock};
pub use error::ChainError;
pub use finality::{ChainEvent, Finality};
pub use pool::{Pool, PoolConfig};
