//! Weights of the governance pallet's calls and of its `on_initialize`.
//!
//! Hand-set upper bounds until `folio-node benchmark pallet` measures them in wasm. Calls are
//! weighed without the runtime's configuration (`CallWeight` has no `Config`), so they assume
//! the bounds below; genesis refuses a configuration above them.

use folio_pallet_support::prelude::*;
use folio_pallet_system::weights::{READ, WRITE};

/// The largest `MAX_MEMBERS` these weights cover.
pub const MEMBERS_BOUND: u32 = 100;
/// The largest `MAX_MOTIONS` these weights cover.
pub const MOTIONS_BOUND: u32 = 100;
/// The largest `MAX_REFERENDA` these weights cover.
pub const REFERENDA_BOUND: u32 = 100;

fn reads_writes(reads: u64, writes: u64) -> Weight {
    READ.saturating_mul(reads)
        .saturating_add(WRITE.saturating_mul(writes))
}

fn base(ref_time: u64, reads: u64, writes: u64) -> Weight {
    Weight::from_parts(ref_time, 0).saturating_add(reads_writes(reads, writes))
}

/// Copying and hashing a byte of an encoded call (and decoding it once to weigh it).
fn per_byte(len: u32) -> Weight {
    Weight::from_parts(3_000, 1).saturating_mul(u64::from(len))
}

/// Reading every vote of one voter across the live referenda and setting the freeze (the
/// currency reads and writes the account and its freezes).
fn refreeze() -> Weight {
    base(
        10_000_000,
        2_u64.saturating_add(u64::from(REFERENDA_BOUND)),
        2,
    )
}

/// `set_members(n)`: sorts the new council and strips leavers' votes from every open motion.
pub fn set_members(new_members: u32) -> Weight {
    let motions = u64::from(MOTIONS_BOUND);
    base(
        20_000_000,
        2_u64.saturating_add(motions),
        2_u64.saturating_add(motions),
    )
    .saturating_add(
        Weight::from_parts(50_000, 0)
            .saturating_mul(u64::from(new_members.min(MEMBERS_BOUND)))
            .saturating_mul(motions.saturating_add(1)),
    )
}
pub fn propose_motion(call_len: u32) -> Weight {
    base(30_000_000, 4, 3).saturating_add(per_byte(call_len))
}
pub fn propose_cancellation() -> Weight {
    base(25_000_000, 5, 3)
}
pub fn vote_motion() -> Weight {
    base(25_000_000, 2, 1)
}
/// Closing moves the call (up to a few KiB) into a task and writes both lists.
pub fn close_motion() -> Weight {
    base(40_000_000, 6, 6)
}
pub fn start_referendum(call_len: u32) -> Weight {
    base(40_000_000, 5, 4)
        .saturating_add(per_byte(call_len))
        .saturating_add(reads_writes(2, 2))
}
pub fn vote_referendum() -> Weight {
    base(40_000_000, 4, 2).saturating_add(refreeze())
}
pub fn remove_vote() -> Weight {
    base(30_000_000, 4, 2).saturating_add(refreeze())
}
pub fn cancel_referendum() -> Weight {
    base(30_000_000, 4, 4).saturating_add(reads_writes(2, 2))
}

/// Reading the referendum lists at the start of a block.
pub fn referenda_base() -> Weight {
    base(2_000_000, 2, 0)
}
/// Deciding one referendum: release the deposit, move it between lists, maybe schedule.
pub fn finish_referendum() -> Weight {
    base(40_000_000, 6, 8)
}
/// Removing one vote of an ended referendum and lowering the voter's freeze.
pub fn vote_removal() -> Weight {
    base(15_000_000, 1, 1).saturating_add(refreeze())
}
/// Forgetting an ended referendum whose votes are all gone.
pub fn clear_referendum() -> Weight {
    base(10_000_000, 2, 2)
}
/// Reading the scheduler's cursor and counter.
pub fn scheduler_base() -> Weight {
    base(2_000_000, 2, 1)
}
/// Looking at one task (and removing it when enacted), without the call's own weight.
pub fn enactment_step() -> Weight {
    base(20_000_000, 1, 2)
}
