//! The governance pallet's genesis: the first council, checked before anything is written,
//! together with the runtime's governance constants.

use crate::{weights, Config, Members};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// The first council (`"governance": {"members": ["5Grw…", …]}` in a chain spec).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    pub members: Vec<AccountId>,
}

/// Why a genesis configuration (or the runtime's constants) is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// An account is listed twice.
    DuplicateMember(AccountId),
    /// More members than `MAX_MEMBERS`.
    TooManyMembers,
    /// A constant of the runtime's `Config` is out of range; names it.
    InvalidConstant(&'static str),
}

/// Checks the runtime's governance constants: percentages within 0..=100, positive periods,
/// delay and per-block limits, and bounds the call weights cover. (Choose `ENACTMENT_DELAY`
/// long enough for the council to pass a cancellation.)
pub fn check_constants<T: Config>() -> Result<(), GenesisError> {
    let checks: [(bool, &'static str); 12] = [
        (T::MOTION_MAJORITY_PERCENT <= 100, "MOTION_MAJORITY_PERCENT"),
        (T::CANCELLATION_PERCENT <= 100, "CANCELLATION_PERCENT"),
        (
            T::REFERENDUM_APPROVAL_PERCENT <= 100,
            "REFERENDUM_APPROVAL_PERCENT",
        ),
        (
            T::REFERENDUM_MIN_TURNOUT_PERCENT <= 100,
            "REFERENDUM_MIN_TURNOUT_PERCENT",
        ),
        (T::MOTION_DURATION > 0, "MOTION_DURATION"),
        (T::VOTING_PERIOD > 0, "VOTING_PERIOD"),
        (T::ENACTMENT_DELAY > 0, "ENACTMENT_DELAY"),
        (T::MAX_ENACTMENTS_PER_BLOCK > 0, "MAX_ENACTMENTS_PER_BLOCK"),
        (
            T::MAX_VOTE_REMOVALS_PER_BLOCK > 0,
            "MAX_VOTE_REMOVALS_PER_BLOCK",
        ),
        (T::MAX_MEMBERS <= weights::MEMBERS_BOUND, "MAX_MEMBERS"),
        (T::MAX_MOTIONS <= weights::MOTIONS_BOUND, "MAX_MOTIONS"),
        (
            T::MAX_REFERENDA <= weights::REFERENDA_BOUND,
            "MAX_REFERENDA",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, name)) => Err(GenesisError::InvalidConstant(name)),
        None => Ok(()),
    }
}

impl GenesisConfig {
    /// Checks the constants and the council, then stores the council sorted.
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        check_constants::<T>()?;
        if self.members.len() > T::MAX_MEMBERS as usize {
            return Err(GenesisError::TooManyMembers);
        }
        let mut members = self.members.clone();
        members.sort();
        for pair in members.windows(2) {
            if let [a, b] = pair {
                if a == b {
                    return Err(GenesisError::DuplicateMember(*a));
                }
            }
        }
        Members::put(&members);
        Ok(())
    }
}
