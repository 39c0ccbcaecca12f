//! Errors of the governance pallet.

use folio_pallet_support::prelude::*;

/// Why a governance call failed. Each variant says when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Error {
    /// The signer is not a council member (`propose_motion`, `propose_cancellation`,
    /// `vote_motion`).
    #[codec(index = 0)]
    NotMember,
    /// `set_members` lists more than `MaxMembers` accounts.
    #[codec(index = 1)]
    TooManyMembers,
    /// `set_members` lists an account twice.
    #[codec(index = 2)]
    DuplicateMember,
    /// The encoded call is longer than `MaxCallLen`.
    #[codec(index = 3)]
    CallTooLong,
    /// The bytes are not a call of this runtime (the dispatcher cannot weigh them).
    #[codec(index = 4)]
    UndecodableCall,
    /// The threshold is not more than `MotionMajorityPercent` of the council.
    #[codec(index = 5)]
    ThresholdTooLow,
    /// The threshold is more than the council's size: the motion could never pass.
    #[codec(index = 6)]
    ThresholdTooHigh,
    /// `MaxMotions` motions are open already.
    #[codec(index = 7)]
    TooManyMotions,
    /// No open motion has this index.
    #[codec(index = 8)]
    UnknownMotion,
    /// The member already cast this very vote on the motion.
    #[codec(index = 9)]
    DuplicateVote,
    /// The motion's voting period is over (it can only be closed now).
    #[codec(index = 10)]
    MotionEnded,
    /// The motion is neither decided nor past its end.
    #[codec(index = 11)]
    TooEarly,
    /// No scheduled task has this id (never scheduled, already enacted or cancelled).
    #[codec(index = 12)]
    UnknownTask,
    /// `MaxReferenda` referenda are alive already.
    #[codec(index = 13)]
    TooManyReferenda,
    /// No referendum alive has this index.
    #[codec(index = 14)]
    UnknownReferendum,
    /// The referendum is not ongoing (its voting period is over, or it was cancelled).
    #[codec(index = 15)]
    ReferendumNotOngoing,
    /// A vote must be backed by a positive balance.
    #[codec(index = 16)]
    ZeroVote,
    /// The vote's balance is more than the voter's total balance.
    #[codec(index = 17)]
    InsufficientBalance,
    /// The account has no vote in this referendum.
    #[codec(index = 18)]
    NotVoted,
}
