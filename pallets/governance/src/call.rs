//! The calls of the governance pallet. Indices are grouped by part: 0.. the council and its
//! motions, 10.. referenda.
//!
//! Calls carry the call to enact as SCALE bytes of the runtime's `RuntimeCall` (what
//! polkadot-js shows as `call.method.toHex()`), at most `MaxCallLen` bytes; they are checked
//! with the dispatcher when proposed.

use crate::types::*;
use crate::{weights, Config, Pallet};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// Dispatchable calls of the governance pallet.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Call {
    /// Replace the council with `new_members` (in any order; stored sorted). Votes of members
    /// who leave are removed from open motions; thresholds of open motions stay.
    ///
    /// Origin: Root (governance itself). Errors: `TooManyMembers`, `DuplicateMember`. Emits
    /// `MembersChanged`.
    #[codec(index = 0)]
    set_members { new_members: Vec<AccountId> },
    /// Propose to enact `call` as Root once `threshold` members vote aye. The threshold must be
    /// more than `MotionMajorityPercent` of the council and at most its size.
    ///
    /// Origin: a council member. Errors: `NotMember`, `ThresholdTooLow`, `ThresholdTooHigh`,
    /// `CallTooLong`, `UndecodableCall`, `TooManyMotions`. Emits `MotionProposed`.
    #[codec(index = 1)]
    propose_motion {
        #[codec(compact)]
        threshold: u32,
        call: Vec<u8>,
    },
    /// Propose to cancel scheduled task `task` before it is enacted. The threshold is more
    /// than `CancellationPercent` of the council (a supermajority), set on chain.
    ///
    /// Origin: a council member. Errors: `NotMember`, `UnknownTask`, `TooManyMotions`. Emits
    /// `CancellationProposed`.
    #[codec(index = 2)]
    propose_cancellation { task: TaskId },
    /// Vote aye (`approve`) or nay on an open motion, or change an earlier vote.
    ///
    /// Origin: a council member. Errors: `NotMember`, `UnknownMotion`, `MotionEnded`,
    /// `DuplicateVote`. Emits `MotionVoted`.
    #[codec(index = 3)]
    vote_motion { motion: MotionIndex, approve: bool },
    /// Close a motion whose outcome is decided: its ayes reached the threshold, or the
    /// threshold can no longer be reached, or its end has come. An approved motion schedules
    /// its call (or cancels its task).
    ///
    /// Origin: signed (anyone). Errors: `UnknownMotion`, `TooEarly`. Emits `MotionClosed`,
    /// then `MotionApproved` and `Scheduled` (or `Cancelled`), or `MotionDisapproved`.
    #[codec(index = 4)]
    close_motion { motion: MotionIndex },
    /// Start a referendum on `call`, holding `ReferendumDeposit` from the caller until it ends.
    ///
    /// Origin: signed. Errors: `CallTooLong`, `UndecodableCall`, `TooManyReferenda`, the
    /// currency's `InsufficientBalance`. Emits `ReferendumStarted` (and the currency's `Held`).
    #[codec(index = 10)]
    start_referendum { call: Vec<u8> },
    /// Vote aye or nay in an ongoing referendum with `balance` (at most the caller's total
    /// balance), which stays frozen while the vote is recorded. Replaces an earlier vote.
    ///
    /// Origin: signed. Errors: `ZeroVote`, `UnknownReferendum`, `ReferendumNotOngoing`,
    /// `InsufficientBalance`, the currency's `TooManyFreezes`. Emits `ReferendumVoted` (and
    /// the currency's `Frozen`).
    #[codec(index = 11)]
    vote_referendum {
        referendum: ReferendumIndex,
        aye: bool,
        #[codec(compact)]
        balance: Balance,
    },
    /// Remove the caller's vote: from the tally while the referendum is ongoing, and from the
    /// freeze in any case (thawing what no other vote needs).
    ///
    /// Origin: signed. Errors: `UnknownReferendum`, `NotVoted`. Emits `ReferendumVoteRemoved`
    /// (and the currency's `Frozen` or `Thawed`).
    #[codec(index = 12)]
    remove_vote { referendum: ReferendumIndex },
    /// End an ongoing referendum without a decision; the deposit is released and the votes
    /// are removed as for any ended referendum.
    ///
    /// Origin: Root. Errors: `UnknownReferendum`, `ReferendumNotOngoing`. Emits
    /// `ReferendumCancelled` (and the currency's `Released`).
    #[codec(index = 13)]
    cancel_referendum { referendum: ReferendumIndex },
}

fn len_of<I>(items: &[I]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        let weight = match self {
            Self::set_members { new_members } => weights::set_members(len_of(new_members)),
            Self::propose_motion { call, .. } => weights::propose_motion(len_of(call)),
            Self::propose_cancellation { .. } => weights::propose_cancellation(),
            Self::vote_motion { .. } => weights::vote_motion(),
            Self::close_motion { .. } => weights::close_motion(),
            Self::start_referendum { call } => weights::start_referendum(len_of(call)),
            Self::vote_referendum { .. } => weights::vote_referendum(),
            Self::remove_vote { .. } => weights::remove_vote(),
            Self::cancel_referendum { .. } => weights::cancel_referendum(),
        };
        DispatchInfo {
            weight,
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        }
    }
}

impl Call {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::set_members { new_members } => Pallet::<T>::set_members(origin, new_members),
            Self::propose_motion { threshold, call } => {
                Pallet::<T>::propose_motion(origin, threshold, call)
            }
            Self::propose_cancellation { task } => Pallet::<T>::propose_cancellation(origin, task),
            Self::vote_motion { motion, approve } => {
                Pallet::<T>::vote_motion(origin, motion, approve)
            }
            Self::close_motion { motion } => Pallet::<T>::close_motion(origin, motion),
            Self::start_referendum { call } => Pallet::<T>::start_referendum(origin, call),
            Self::vote_referendum {
                referendum,
                aye,
                balance,
            } => Pallet::<T>::vote_referendum(origin, referendum, aye, balance),
            Self::remove_vote { referendum } => Pallet::<T>::remove_vote(origin, referendum),
            Self::cancel_referendum { referendum } => {
                Pallet::<T>::cancel_referendum(origin, referendum)
            }
        }?;
        Ok(().into())
    }
}
