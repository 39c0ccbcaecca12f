//! Weights of the crowdfunding pallet's calls.
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm. A batch
//! call is charged for its full `limit` (each step reads a slot and a commitment and moves or
//! releases one hold); `limit` is capped at `MAX_BATCH`.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

fn reads_writes(reads: u64, writes: u64) -> Weight {
    READ.saturating_mul(reads)
        .saturating_add(WRITE.saturating_mul(writes))
}

fn base(ref_time: u64, reads: u64, writes: u64) -> Weight {
    Weight::from_parts(ref_time, 0).saturating_add(reads_writes(reads, writes))
}

/// One step of a batch: slot, commitment, ledger, currency account and holds (plus the share
/// account and up to a few checkpoint entries for `settle`).
fn per_item() -> Weight {
    base(40_000_000, 8, 8)
}

fn batch(limit: u32) -> Weight {
    base(20_000_000, 3, 3).saturating_add(per_item().saturating_mul(u64::from(limit)))
}

pub fn add_claim_issuer() -> Weight {
    base(10_000_000, 1, 1)
}
pub fn remove_claim_issuer() -> Weight {
    base(10_000_000, 1, 1)
}
pub fn issue_claim() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn revoke_claim() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn create_share_class() -> Weight {
    base(15_000_000, 1, 2)
}
pub fn create_campaign() -> Weight {
    base(40_000_000, 4, 5)
}
pub fn edit_campaign() -> Weight {
    base(20_000_000, 2, 1)
}
pub fn submit_campaign() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn approve_campaign() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn reject_campaign() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn commit() -> Weight {
    base(60_000_000, 8, 7)
}
pub fn cancel_commitment() -> Weight {
    base(50_000_000, 6, 6)
}
pub fn amend_terms() -> Weight {
    base(25_000_000, 2, 1)
}
pub fn reconfirm() -> Weight {
    base(20_000_000, 2, 2)
}
pub fn release_unconfirmed(limit: u32) -> Weight {
    batch(limit)
}
pub fn pause_campaign() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn resume_campaign() -> Weight {
    base(15_000_000, 1, 1)
}
pub fn cancel_campaign() -> Weight {
    base(35_000_000, 3, 4)
}
pub fn advance_campaign() -> Weight {
    base(35_000_000, 3, 4)
}
pub fn settle(limit: u32) -> Weight {
    batch(limit).saturating_add(base(0, 2, 2))
}
pub fn refund(limit: u32) -> Weight {
    batch(limit)
}
/// Two share accounts, the class, and up to `MAX_LIVE_CHECKPOINTS` checkpoint entries for
/// each of them (bounded by the runtime's constant, 8 in the reference runtime).
pub fn transfer_shares() -> Weight {
    base(40_000_000, 5, 4).saturating_add(reads_writes(24, 16))
}
pub fn force_transfer_shares() -> Weight {
    transfer_shares()
}
pub fn create_distribution() -> Weight {
    base(45_000_000, 5, 6)
}
pub fn claim_dividend() -> Weight {
    base(50_000_000, 8, 6)
}
pub fn reclaim_dividend() -> Weight {
    base(40_000_000, 5, 5)
}
pub fn create_motion() -> Weight {
    base(25_000_000, 3, 4)
}
pub fn vote() -> Weight {
    base(25_000_000, 5, 2)
}
pub fn close_motion() -> Weight {
    base(25_000_000, 4, 2)
}
/// The class and the categories entry.
pub fn set_transfer_categories() -> Weight {
    base(15_000_000, 1, 1)
}
/// The campaign, its class and the rules entry (at most `MAX_TIERS` tiers).
pub fn set_campaign_rules() -> Weight {
    base(25_000_000, 2, 1)
}
/// The class, the share account and the schedule.
pub fn set_vesting() -> Weight {
    base(20_000_000, 3, 1)
}
/// The checkpoint, its class, and up to `limit` balance entries read and removed.
pub fn prune_checkpoint(limit: u32) -> Weight {
    base(20_000_000, 2, 1).saturating_add(reads_writes(1, 1).saturating_mul(u64::from(limit)))
}
