//! Weights of the bills pallet's calls.
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm. A call
//! reads and writes its bill, the ranges it touches (finding or closing a range walks at most
//! `MaxRanges` of them), the bill's history, the holder index and, for payments, two accounts.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

fn reads_writes(reads: u64, writes: u64) -> Weight {
    READ.saturating_mul(reads)
        .saturating_add(WRITE.saturating_mul(writes))
}

/// Ranges a call may walk (the runtime's `MaxRanges` is at most this).
const RANGE_WALK: u64 = 64;

pub fn issue(invoices: u32) -> Weight {
    let invoices = u64::from(invoices);
    Weight::from_parts(30_000_000, 0).saturating_add(reads_writes(
        3_u64.saturating_add(invoices),
        8_u64.saturating_add(invoices),
    ))
}
pub fn request_acceptance() -> Weight {
    Weight::from_parts(20_000_000, 0).saturating_add(reads_writes(2, 2))
}
pub fn accept() -> Weight {
    Weight::from_parts(30_000_000, 0).saturating_add(reads_writes(4, 4))
}
pub fn refuse_acceptance() -> Weight {
    request_acceptance()
}
pub fn withdraw() -> Weight {
    Weight::from_parts(30_000_000, 0).saturating_add(reads_writes(8, 8))
}
pub fn deliver() -> Weight {
    Weight::from_parts(25_000_000, 0).saturating_add(reads_writes(3, 5))
}
/// `endorse`, `endorse_for_collection`, `offer_discount`, `pledge`.
pub fn offer() -> Weight {
    Weight::from_parts(40_000_000, 0).saturating_add(reads_writes(RANGE_WALK.saturating_add(3), 7))
}
/// `sign`, `reject`, `revoke`, `release`, `present`, `refuse_payment`, `claim_recourse`,
/// `freeze`, `unfreeze`.
pub fn answer() -> Weight {
    Weight::from_parts(25_000_000, 0).saturating_add(reads_writes(4, 6))
}
pub fn take_discount() -> Weight {
    Weight::from_parts(45_000_000, 0).saturating_add(reads_writes(6, 8))
}
/// Paying one range (margin and free balance) and writing it and its history.
fn settle_range() -> Weight {
    Weight::from_parts(60_000_000, 0).saturating_add(reads_writes(8, 10))
}
/// `pay`, `pay_recourse`: money, range, and possibly closing the bill (walks its ranges).
pub fn pay() -> Weight {
    settle_range().saturating_add(reads_writes(RANGE_WALK, 0))
}
/// Ending every overdue operation of one bill: at worst a payment from the margin per range.
pub fn expire() -> Weight {
    settle_range()
        .saturating_mul(RANGE_WALK)
        .saturating_add(reads_writes(RANGE_WALK.saturating_mul(2), 1))
}
/// Looking at `bills` bills and expiring what is overdue on each.
pub fn sweep(bills: u32) -> Weight {
    Weight::from_parts(5_000_000, 0)
        .saturating_add(reads_writes(2, 1))
        .saturating_add(expire().saturating_mul(u64::from(bills)))
}
