//! Weights of the System pallet's calls and of storage access.
//!
//! Hand-set until `folio-node benchmark pallet` measures them: each figure is an upper bound
//! of the work (ref time in picoseconds, proof size in bytes read).

use folio_pallet_support::prelude::*;

/// One storage read.
pub const READ: Weight = Weight::from_parts(25_000_000, 100);
/// One storage write.
pub const WRITE: Weight = Weight::from_parts(100_000_000, 0);

/// `remark(len)`: hashing-free, linear in the bytes carried.
pub fn remark(len: u32) -> Weight {
    Weight::from_parts(2_000_000, 0)
        .saturating_add(Weight::from_parts(1_000, 0).saturating_mul(u64::from(len)))
}

/// `remark_with_event(len)`: hashes the remark and deposits an event.
pub fn remark_with_event(len: u32) -> Weight {
    remark(len)
        .saturating_add(Weight::from_parts(2_000, 0).saturating_mul(u64::from(len)))
        .saturating_add(WRITE)
}

/// `authorize_upgrade` and `exit_safe_mode`: one write and an event.
pub fn authorize_upgrade() -> Weight {
    Weight::from_parts(5_000_000, 0).saturating_add(WRITE)
}

/// `set_code` and `apply_authorized_upgrade`: reading the candidate's version compiles it; most
/// of a block (within an operational extrinsic's limit).
pub fn set_code() -> Weight {
    Weight::from_parts(1_500_000_000_000, 0)
}
