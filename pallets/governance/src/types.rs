//! The things governance stores: motions, referenda, votes and scheduled tasks.

use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// The index of a council motion.
pub type MotionIndex = u32;
/// The index of a referendum.
pub type ReferendumIndex = u32;
/// The id of a scheduled task (ids are handed out in enactment order).
pub type TaskId = u32;

/// What an approved motion does.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum MotionProposal {
    /// Schedule `call` (an encoded runtime call, at most `MaxCallLen` bytes) for enactment
    /// as Root.
    #[codec(index = 0)]
    Enact { call: Vec<u8> },
    /// Cancel the scheduled task `task` before it is enacted.
    #[codec(index = 1)]
    CancelTask { task: TaskId },
}

/// An open council motion.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Motion {
    /// The member who proposed it.
    pub proposer: AccountId,
    pub proposal: MotionProposal,
    /// How many aye votes approve it.
    pub threshold: u32,
    /// Members who voted aye, in voting order.
    pub ayes: Vec<AccountId>,
    /// Members who voted nay, in voting order.
    pub nays: Vec<AccountId>,
    /// Voting is open while the block number is below `end`; from `end` on anyone may close.
    pub end: BlockNumber,
}

impl Motion {
    pub fn aye_count(&self) -> u32 {
        u32::try_from(self.ayes.len()).unwrap_or(u32::MAX)
    }

    pub fn nay_count(&self) -> u32 {
        u32::try_from(self.nays.len()).unwrap_or(u32::MAX)
    }
}

/// The sums of the balances behind the votes of a referendum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Tally {
    pub ayes: Balance,
    pub nays: Balance,
}

impl Tally {
    /// All votes cast.
    pub fn turnout(&self) -> Option<Balance> {
        self.ayes.checked_add(self.nays)
    }
}

/// Where a referendum is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum ReferendumState {
    /// Open for voting until `end`; the deposit is held.
    #[codec(index = 0)]
    Ongoing,
    /// Ended and passed: its call was scheduled. Votes are being removed.
    #[codec(index = 1)]
    Passed,
    /// Ended without passing. Votes are being removed.
    #[codec(index = 2)]
    NotPassed,
    /// Cancelled by Root before its end. Votes are being removed.
    #[codec(index = 3)]
    Cancelled,
}

/// A referendum that is alive: ongoing, or ended with votes still recorded.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Referendum {
    /// Who started it and placed the deposit.
    pub proposer: AccountId,
    /// The deposit held from the proposer while the referendum is ongoing.
    pub deposit: Balance,
    /// The encoded call it would enact (at most `MaxCallLen` bytes).
    pub call: Vec<u8>,
    /// Voting is open while the block number is below `end`.
    pub end: BlockNumber,
    pub tally: Tally,
    pub state: ReferendumState,
}

/// A token holder's vote in a referendum: its direction and the balance behind it (frozen
/// while the vote is recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Vote {
    pub aye: bool,
    pub balance: Balance,
}

/// What approved a scheduled task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum TaskSource {
    /// A council motion reached its threshold.
    #[codec(index = 0)]
    Motion(MotionIndex),
    /// A referendum passed.
    #[codec(index = 1)]
    Referendum(ReferendumIndex),
}

/// An approved call waiting to be enacted as Root.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Task {
    pub source: TaskSource,
    /// The encoded call.
    pub call: Vec<u8>,
    /// The block in which it was approved.
    pub scheduled_at: BlockNumber,
    /// The first block in which it may be enacted: `scheduled_at + ENACTMENT_DELAY`.
    pub not_before: BlockNumber,
}
