//! GRANDPA finality for Folio, on Parity's `finality-grandpa` voter (the one Polkadot runs).
//!
//! The node is reached through two small traits this crate defines, so the voter is tested
//! in-process and wired to `folio_chain::Client` and `folio_network` by the binary:
//! - [`FinalityBackend`]: headers by hash, the best and finalized blocks, finalizing a block
//!   with its justification;
//! - [`GossipNetwork`]: broadcast encoded messages on a topic and read a topic's messages.
//!
//! On top of them: [`environment::GrandpaEnvironment`] implements finality-grandpa's `Chain`
//! and `voter::Environment`; [`messages`] are Substrate's `GossipMessage` SCALE shapes, votes
//! signed with the `gran` ed25519 key over `(message, round, set_id)`; [`store`] persists the
//! voter's own votes and completed rounds before anything is sent, so a restarted voter never
//! votes twice in a round; [`justification`] builds and checks Substrate's
//! `GrandpaJustification`; [`gossip`] is the round- and set-aware filter; [`voter`] runs it all.
//! [`memory`] holds the in-memory chain and network the tests use.

// Votes, commits and justifications arrive from peers: nothing here may panic on them.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod authority_set;
pub mod backend;
pub mod cast;
pub mod crypto;
pub mod environment;
pub mod error;
pub mod gossip;
pub mod justification;
pub mod memory;
pub mod messages;
pub mod round_state;
pub mod store;
pub mod synced;
pub mod voter;

pub use backend::{FinalityBackend, GossipNetwork, Topic};
pub use crypto::{AuthorityId, AuthoritySignature};
pub use error::FinalityError;
pub use justification::GrandpaJustification;

/// GRANDPA's consensus engine id: justifications are stored as `(FRNK, bytes)`.
pub const GRANDPA_ENGINE_ID: [u8; 4] = *b"FRNK";

/// The block hash and number types the voter works with.
pub use folio_primitives::hash::H256 as Hash;
pub type BlockNumber = folio_primitives::BlockNumber;
pub type SetId = u64;
pub type RoundNumber = u64;
