//! Folio's pallet framework: the small set of pieces every pallet is written with.
//!
//! - [`storage`]: typed storage values, maps and double maps over FRAME's key layout, declared
//!   with the [`storage!`] macro so each item also describes itself for the metadata;
//! - [`transactional`]: nested storage transactions, so a failed call leaves no trace;
//! - [`origin`], [`dispatch`]: who calls, what a call weighs, how errors become
//!   `DispatchError::Module`;
//! - [`events`]: the `System.Events` log every pallet deposits into;
//! - [`hooks`]: block-level entry points;
//! - [`currency`]: the glue trait through which pallets move and hold money;
//! - [`metadata`]: what a pallet tells clients about itself;
//! - [`benchmarking`]: the benchmark cases `folio-node benchmark pallet` measures;
//! - `testing` (std): the `StateBuilder` that re-checks invariants after every test.
//!
//! It owns no chain logic and no pallet's storage beyond the event log.
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

pub mod benchmarking;
pub mod currency;
pub mod dispatch;
pub mod events;
pub mod hooks;
pub mod invariants;
pub mod metadata;
pub mod origin;
pub mod storage;
pub mod storage_version;
#[cfg(feature = "std")]
pub mod testing;
pub mod transactional;
pub mod weights;

pub use folio_primitives as primitives;
pub use frame_metadata;
pub use parity_scale_codec as codec;
pub use scale_info;

/// What most pallet files need.
pub mod prelude {
    pub use crate::dispatch::{
        module_error, CallWeight, DispatchErrorWithPostInfo, DispatchInfo,
        DispatchResultWithPostInfo, PostDispatchInfo,
    };
    pub use crate::hooks::Hooks;
    pub use crate::origin::{ensure_none, ensure_root, ensure_signed, Origin};
    pub use crate::storage::{OptionQuery, StorageDoubleMap, StorageMap, StorageValue, ValueQuery};
    pub use crate::transactional::with_transaction;
    pub use folio_primitives::dispatch::{
        ArithmeticError, DispatchError, DispatchResult, TokenError,
    };
    pub use folio_primitives::storage::{Blake2_128Concat, Identity, Twox64Concat};
    pub use folio_primitives::weight::{DispatchClass, Pays, Weight};
    pub use folio_primitives::{AccountId, Balance, BlockNumber, Moment, Nonce};
    pub use parity_scale_codec::{Compact, Decode, Encode, MaxEncodedLen};
    pub use scale_info::TypeInfo;
}
