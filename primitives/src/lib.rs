//! Folio's core types, wire formats and host interface.
//!
//! This crate is shared by both sides of the runtime boundary: built without `std` it is linked
//! into the wasm runtime, built with `std` it serves the node and native tests. It owns every
//! byte-level format that Substrate clients (polkadot-js, subxt) recompute or decode — accounts,
//! addresses, signatures, eras, extrinsics v4, headers, runtime versions, dispatch errors and
//! storage keys — and the host functions the runtime imports ([`io`]).
//!
//! It must not contain chain logic: pallets and the runtime decide what the formats mean.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::float_arithmetic
    )
)]

extern crate alloc;

pub mod address;
pub mod crypto;
pub mod dev;
pub mod dispatch;
pub mod era;
pub mod extensions;
pub mod extrinsic;
pub mod hash;
pub mod header;
pub mod inherent;
pub mod io;
pub mod signature;
pub mod ss58;
pub mod storage;
pub mod transaction_validity;
pub mod version;
pub mod weight;

#[cfg(feature = "std")]
pub mod externalities;
#[cfg(feature = "std")]
pub mod keyring;
#[cfg(feature = "std")]
pub mod transaction_pool;
#[cfg(feature = "std")]
pub mod verification;

pub use address::MultiAddress;
pub use crypto::AccountId32;
pub use dispatch::{DispatchError, DispatchResult};
pub use era::Era;
pub use hash::H256;
pub use signature::MultiSignature;
pub use weight::Weight;

/// The account identifier: a 32-byte public key (sr25519 or ed25519).
pub type AccountId = AccountId32;
/// Block numbers, as in Substrate's default configuration.
pub type BlockNumber = u32;
/// Amounts of the native currency in its smallest unit.
pub type Balance = u128;
/// A transaction counter per account (`System.Account.nonce`).
pub type Nonce = u32;
/// Milliseconds since the Unix epoch, as set by the timestamp inherent.
pub type Moment = u64;

/// The SS58 address prefix of Folio chains unless a chain spec says otherwise (generic Substrate).
pub const SS58_PREFIX: u16 = 42;
