//! Errors of the GRANDPA pallet (FRAME's `pallet_grandpa` indices, Folio's after them).

use folio_pallet_support::prelude::*;

/// Why a GRANDPA call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_grandpa", "pallet_grandpa"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// Attempt to signal GRANDPA pause when the authority set isn't live
    /// (either paused or already pending pause).
    #[codec(index = 0)]
    PauseFailed,
    /// Attempt to signal GRANDPA resume when the authority set isn't paused
    /// (either live or already pending resume).
    #[codec(index = 1)]
    ResumeFailed,
    /// Attempt to signal GRANDPA change with one already pending.
    #[codec(index = 2)]
    ChangePending,
    /// Cannot signal forced change so soon after last.
    #[codec(index = 3)]
    TooSoon,
    /// A validator set must not be empty.
    #[codec(index = 7)]
    NoValidators,
    /// More validators than `MAX_AUTHORITIES`.
    #[codec(index = 8)]
    TooManyValidators,
    /// A key is listed twice.
    #[codec(index = 9)]
    DuplicateValidator,
}
