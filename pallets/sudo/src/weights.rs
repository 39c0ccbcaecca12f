//! Weights of the sudo pallet's calls (without the wrapped call's own weight).
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm: each call
//! reads the key; `set_key` and `remove_key` write it; all deposit one event.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

pub fn sudo() -> Weight {
    Weight::from_parts(10_000_000, 0).saturating_add(READ)
}
pub fn sudo_as() -> Weight {
    Weight::from_parts(10_000_000, 0).saturating_add(READ)
}
pub fn set_key() -> Weight {
    Weight::from_parts(10_000_000, 0)
        .saturating_add(READ)
        .saturating_add(WRITE)
}
pub fn remove_key() -> Weight {
    Weight::from_parts(10_000_000, 0)
        .saturating_add(READ)
        .saturating_add(WRITE)
}
