//! Folio's consensus: Aura slot authoring on Substrate's byte formats.
//!
//! - [`keystore`]: the node's keys, in Substrate's keystore layout;
//! - [`aura`]: slots, digests and seals;
//! - [`import`]: what a block from a peer must pass before the chain executes it (seal
//!   against the parent's authorities, slot, inherents) and equivocation detection;
//! - [`worker`]: the slot worker, which authors when the keystore holds the slot's key.
//!
//! The chain (`folio-chain`) builds, executes and commits blocks; this crate decides when and
//! what: which parent, which slot, which seal.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod aura;
mod error;
pub mod import;
pub mod keystore;
pub mod worker;

pub use error::ConsensusError;
pub use import::AuraVerifier;
pub use keystore::Keystore;
pub use worker::{SlotWorker, SlotWorkerConfig};

use folio_chain::Client;
use folio_primitives::hash::H256;
use parity_scale_codec::Decode;

/// The Aura authorities in the state of block `at` (`AuraApi_authorities`).
///
/// # Errors
/// The runtime call fails or answers something that is not a list of keys.
pub fn authorities_at(client: &Client, at: H256) -> Result<Vec<[u8; 32]>, ConsensusError> {
    let raw = client.call_at(at, "AuraApi_authorities", &[])?;
    Vec::<[u8; 32]>::decode(&mut &raw[..])
        .map_err(|e| ConsensusError::Runtime(format!("AuraApi_authorities: {e}")))
}

/// The slot duration in milliseconds in the state of block `at` (`AuraApi_slot_duration`).
///
/// # Errors
/// The runtime call fails or its answer is not a `u64`.
pub fn slot_duration_at(client: &Client, at: H256) -> Result<u64, ConsensusError> {
    let raw = client.call_at(at, "AuraApi_slot_duration", &[])?;
    u64::decode(&mut &raw[..])
        .map_err(|e| ConsensusError::Runtime(format!("AuraApi_slot_duration: {e}")))
}
