//! Weights of the e-invoice pallet's calls.
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm. Issuing
//! is linear in the line count (the arithmetic check, the encoded size and the content
//! digest); money-moving calls add two currency transfers.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

fn reads_writes(reads: u64, writes: u64) -> Weight {
    READ.saturating_mul(reads)
        .saturating_add(WRITE.saturating_mul(writes))
}

/// Checking, encoding and hashing one line.
fn per_line(lines: usize) -> Weight {
    Weight::from_parts(2_000_000, 200).saturating_mul(lines as u64)
}

/// Two currency transfers (four accounts read and written, events).
fn transfers() -> Weight {
    Weight::from_parts(80_000_000, 0).saturating_add(reads_writes(6, 6))
}

pub fn register_issuer(series: usize) -> Weight {
    Weight::from_parts(20_000_000, 0)
        .saturating_add(Weight::from_parts(500_000, 4).saturating_mul(series as u64))
        .saturating_add(reads_writes(2, 3))
}
pub fn set_quota() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(2, 2))
}
pub fn close_period() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(3, 2))
}
pub fn issue_invoice(lines: usize) -> Weight {
    Weight::from_parts(40_000_000, 0)
        .saturating_add(per_line(lines))
        .saturating_add(reads_writes(6, 10))
}
pub fn prepare_invoice(lines: usize) -> Weight {
    Weight::from_parts(30_000_000, 0)
        .saturating_add(per_line(lines))
        .saturating_add(reads_writes(4, 4))
}
pub fn cancel_draft() -> Weight {
    Weight::from_parts(10_000_000, 0).saturating_add(reads_writes(2, 3))
}
/// A draft holds at most `MaxLines` lines; this bound assumes 256.
pub fn pay_and_issue() -> Weight {
    issue_invoice(256)
        .saturating_add(transfers())
        .saturating_add(reads_writes(2, 4))
}
pub fn acknowledge() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(4, 4))
}
pub fn dispute() -> Weight {
    acknowledge()
}
pub fn pay_invoice() -> Weight {
    Weight::from_parts(30_000_000, 0)
        .saturating_add(transfers())
        .saturating_add(reads_writes(4, 6))
}
pub fn request_credit(lines: usize) -> Weight {
    Weight::from_parts(40_000_000, 0)
        .saturating_add(per_line(lines))
        .saturating_add(reads_writes(8, 14))
}
/// The stored request holds at most `MaxLines` lines; this bound assumes 256.
pub fn confirm_credit() -> Weight {
    request_credit(256)
}
pub fn withdraw_credit_request() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(3, 4))
}
pub fn authorise_reimburser() -> Weight {
    Weight::from_parts(10_000_000, 0).saturating_add(reads_writes(1, 2))
}
pub fn revoke_reimburser() -> Weight {
    authorise_reimburser()
}
pub fn lock_for_reimbursement() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(4, 4))
}
pub fn unlock() -> Weight {
    lock_for_reimbursement()
}
pub fn reimburse() -> Weight {
    lock_for_reimbursement().saturating_add(transfers())
}
pub fn offer_financing() -> Weight {
    Weight::from_parts(15_000_000, 0).saturating_add(reads_writes(3, 4))
}
pub fn accept_financing() -> Weight {
    offer_financing().saturating_add(transfers())
}
pub fn release_lien() -> Weight {
    offer_financing()
}
pub fn enforce_lien() -> Weight {
    offer_financing()
}
