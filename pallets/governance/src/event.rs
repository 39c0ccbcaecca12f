//! Events of the governance pallet.

use crate::types::*;
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// What the governance pallet reports: every change to the council, a motion, a referendum or
/// the schedule.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Event {
    /// The council was replaced (sorted).
    #[codec(index = 0)]
    MembersChanged { members: Vec<AccountId> },
    /// A member proposed a motion to enact a call (`call_hash` is its blake2-256 hash).
    #[codec(index = 1)]
    MotionProposed {
        account: AccountId,
        motion: MotionIndex,
        call_hash: H256,
        threshold: u32,
        end: BlockNumber,
    },
    /// A member proposed a motion to cancel a scheduled task.
    #[codec(index = 2)]
    CancellationProposed {
        account: AccountId,
        motion: MotionIndex,
        task: TaskId,
        threshold: u32,
        end: BlockNumber,
    },
    /// A member voted on a motion; `ayes`/`nays` are the counts after the vote.
    #[codec(index = 3)]
    MotionVoted {
        account: AccountId,
        motion: MotionIndex,
        approve: bool,
        ayes: u32,
        nays: u32,
    },
    /// A motion was closed with these final counts.
    #[codec(index = 4)]
    MotionClosed {
        motion: MotionIndex,
        ayes: u32,
        nays: u32,
    },
    /// A closed motion reached its threshold (its call is scheduled, or its task cancelled).
    #[codec(index = 5)]
    MotionApproved { motion: MotionIndex },
    /// A closed motion did not reach its threshold.
    #[codec(index = 6)]
    MotionDisapproved { motion: MotionIndex },
    /// Someone started a referendum and the deposit was placed on hold.
    #[codec(index = 7)]
    ReferendumStarted {
        referendum: ReferendumIndex,
        proposer: AccountId,
        call_hash: H256,
        deposit: Balance,
        end: BlockNumber,
    },
    /// A token holder voted (or changed their vote) in a referendum.
    #[codec(index = 8)]
    ReferendumVoted {
        referendum: ReferendumIndex,
        voter: AccountId,
        aye: bool,
        balance: Balance,
    },
    /// A token holder removed their vote from a referendum.
    #[codec(index = 9)]
    ReferendumVoteRemoved {
        referendum: ReferendumIndex,
        voter: AccountId,
    },
    /// A referendum ended and passed; its call is scheduled.
    #[codec(index = 10)]
    ReferendumPassed {
        referendum: ReferendumIndex,
        tally: Tally,
    },
    /// A referendum ended without passing (too few ayes, or too low a turnout).
    #[codec(index = 11)]
    ReferendumNotPassed {
        referendum: ReferendumIndex,
        tally: Tally,
    },
    /// Root cancelled an ongoing referendum.
    #[codec(index = 12)]
    ReferendumCancelled { referendum: ReferendumIndex },
    /// The last vote of an ended referendum was removed; the referendum is gone.
    #[codec(index = 13)]
    ReferendumCleared { referendum: ReferendumIndex },
    /// An approved call was scheduled for enactment from block `not_before` on.
    #[codec(index = 14)]
    Scheduled {
        task: TaskId,
        source: TaskSource,
        call_hash: H256,
        not_before: BlockNumber,
    },
    /// A scheduled task was cancelled by a council supermajority; it will never be enacted.
    #[codec(index = 15)]
    Cancelled { task: TaskId },
    /// A scheduled call was enacted as Root, with this result.
    #[codec(index = 16)]
    Enacted {
        task: TaskId,
        result: DispatchResult,
    },
}
