//! Weights of the currency pallet's calls.
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm: a transfer
//! reads and writes two accounts and deposits events.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

fn reads_writes(reads: u64, writes: u64) -> Weight {
    READ.saturating_mul(reads)
        .saturating_add(WRITE.saturating_mul(writes))
}

pub fn transfer_allow_death() -> Weight {
    Weight::from_parts(40_000_000, 0).saturating_add(reads_writes(3, 3))
}
pub fn transfer_keep_alive() -> Weight {
    Weight::from_parts(35_000_000, 0).saturating_add(reads_writes(2, 2))
}
pub fn force_transfer() -> Weight {
    transfer_allow_death()
}
pub fn transfer_all() -> Weight {
    transfer_allow_death()
}
pub fn force_set_balance() -> Weight {
    Weight::from_parts(20_000_000, 0).saturating_add(reads_writes(2, 2))
}
pub fn force_adjust_total_issuance() -> Weight {
    Weight::from_parts(10_000_000, 0).saturating_add(reads_writes(1, 1))
}
pub fn burn() -> Weight {
    Weight::from_parts(30_000_000, 0).saturating_add(reads_writes(3, 3))
}
