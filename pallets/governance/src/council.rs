//! The council: members and their motions.
//!
//! A motion is open for `MOTION_DURATION` blocks. It can be closed by anyone as soon as its
//! outcome is certain (the ayes reached the threshold, or the members who have not voted aye
//! could no longer make it) or once its end has come; abstentions count as nothing.

use crate::types::*;
use crate::{
    call_hash, more_than_percent, scheduler, ActiveMotions, Config, Error, Event, Members,
    MotionCount, Motions, Pallet, Tasks,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// The council, sorted.
    pub fn members() -> Vec<AccountId> {
        Members::get()
    }

    /// Whether `who` is on the council.
    pub fn is_member(who: &AccountId) -> bool {
        Members::get().binary_search(who).is_ok()
    }

    /// The smallest threshold a motion to enact a call may have with `members` members.
    pub fn min_motion_threshold(members: u32) -> u32 {
        more_than_percent(members, T::MOTION_MAJORITY_PERCENT)
    }

    /// The threshold of a cancellation motion with `members` members.
    pub fn cancellation_threshold(members: u32) -> u32 {
        more_than_percent(members, T::CANCELLATION_PERCENT)
    }

    fn member_count() -> u32 {
        u32::try_from(Members::get().len()).unwrap_or(u32::MAX)
    }

    fn ensure_member(origin: &Origin) -> Result<AccountId, DispatchError> {
        let who = ensure_signed(origin)?;
        Self::ensure(Self::is_member(&who), Error::NotMember)?;
        Ok(who)
    }

    fn motion(index: MotionIndex) -> Result<Motion, DispatchError> {
        Motions::get(&index).ok_or_else(|| Self::error(Error::UnknownMotion))
    }

    /// Replaces the council. Votes of members who leave are removed from every open motion.
    pub(crate) fn set_members(origin: Origin, new_members: Vec<AccountId>) -> DispatchResult {
        ensure_root(&origin)?;
        Self::ensure(
            new_members.len() <= T::MAX_MEMBERS as usize,
            Error::TooManyMembers,
        )?;
        let mut sorted = new_members;
        sorted.sort();
        let unique = sorted.windows(2).all(|pair| match pair {
            [a, b] => a != b,
            _ => true,
        });
        Self::ensure(unique, Error::DuplicateMember)?;

        for index in ActiveMotions::get() {
            let Some(mut motion) = Motions::get(&index) else {
                continue;
            };
            let before = (motion.ayes.len(), motion.nays.len());
            motion.ayes.retain(|who| sorted.binary_search(who).is_ok());
            motion.nays.retain(|who| sorted.binary_search(who).is_ok());
            if (motion.ayes.len(), motion.nays.len()) != before {
                Motions::insert(&index, &motion);
            }
        }
        Members::put(&sorted);
        Self::deposit_event(Event::MembersChanged { members: sorted });
        Ok(())
    }

    /// Checks that another motion may open and returns its index and end.
    fn next_motion() -> Result<(MotionIndex, BlockNumber), DispatchError> {
        Self::ensure(
            ActiveMotions::get().len() < T::MAX_MOTIONS as usize,
            Error::TooManyMotions,
        )?;
        let index = MotionCount::get();
        index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        let end = Self::now()
            .checked_add(T::MOTION_DURATION)
            .ok_or(ArithmeticError::Overflow)?;
        Ok((index, end))
    }

    /// Stores a new motion (checked by [`Self::next_motion`]).
    fn open_motion(index: MotionIndex, motion: &Motion) {
        Motions::insert(&index, motion);
        // Indices only grow, so pushing keeps the list ascending.
        ActiveMotions::mutate(|active| active.push(index));
        // `next_motion` checked that `index + 1` fits.
        MotionCount::put(&index.saturating_add(1));
    }

    /// A member proposes to enact `call` as Root once `threshold` members vote aye.
    pub(crate) fn propose_motion(origin: Origin, threshold: u32, call: Vec<u8>) -> DispatchResult {
        let proposer = Self::ensure_member(&origin)?;
        let members = Self::member_count();
        Self::ensure(
            threshold >= Self::min_motion_threshold(members),
            Error::ThresholdTooLow,
        )?;
        Self::ensure(threshold <= members, Error::ThresholdTooHigh)?;
        Self::check_call(&call)?;
        let (index, end) = Self::next_motion()?;

        let hash = call_hash(&call);
        Self::open_motion(
            index,
            &Motion {
                proposer,
                proposal: MotionProposal::Enact { call },
                threshold,
                ayes: Vec::new(),
                nays: Vec::new(),
                end,
            },
        );
        Self::deposit_event(Event::MotionProposed {
            account: proposer,
            motion: index,
            call_hash: hash,
            threshold,
            end,
        });
        Ok(())
    }

    /// A member proposes to cancel scheduled task `task`; the threshold is the council
    /// supermajority, fixed on chain.
    pub(crate) fn propose_cancellation(origin: Origin, task: TaskId) -> DispatchResult {
        let proposer = Self::ensure_member(&origin)?;
        Self::ensure(Tasks::contains_key(&task), Error::UnknownTask)?;
        let threshold = Self::cancellation_threshold(Self::member_count());
        let (index, end) = Self::next_motion()?;

        Self::open_motion(
            index,
            &Motion {
                proposer,
                proposal: MotionProposal::CancelTask { task },
                threshold,
                ayes: Vec::new(),
                nays: Vec::new(),
                end,
            },
        );
        Self::deposit_event(Event::CancellationProposed {
            account: proposer,
            motion: index,
            task,
            threshold,
            end,
        });
        Ok(())
    }

    /// A member votes aye or nay on an open motion, or changes their vote.
    pub(crate) fn vote_motion(origin: Origin, index: MotionIndex, approve: bool) -> DispatchResult {
        let who = Self::ensure_member(&origin)?;
        let mut motion = Self::motion(index)?;
        Self::ensure(Self::now() < motion.end, Error::MotionEnded)?;
        let (same, other) = if approve {
            (&mut motion.ayes, &mut motion.nays)
        } else {
            (&mut motion.nays, &mut motion.ayes)
        };
        Self::ensure(!same.contains(&who), Error::DuplicateVote)?;
        other.retain(|voter| voter != &who);
        same.push(who);

        Motions::insert(&index, &motion);
        Self::deposit_event(Event::MotionVoted {
            account: who,
            motion: index,
            approve,
            ayes: motion.aye_count(),
            nays: motion.nay_count(),
        });
        Ok(())
    }

    /// Whether a motion is decided: `Some(approved)` once the ayes reached the threshold or
    /// can no longer reach it, or once its end has come; `None` while it is still open.
    pub fn motion_outcome(motion: &Motion, members: u32, now: BlockNumber) -> Option<bool> {
        let ayes = motion.aye_count();
        if ayes >= motion.threshold {
            return Some(true);
        }
        // The most ayes still possible: every member who has not voted nay.
        let possible = members.saturating_sub(motion.nay_count());
        if possible < motion.threshold || now >= motion.end {
            return Some(false);
        }
        None
    }

    /// Closes a decided motion: an approved call is scheduled, an approved cancellation
    /// removes its task.
    pub(crate) fn close_motion(origin: Origin, index: MotionIndex) -> DispatchResult {
        ensure_signed(&origin)?;
        let motion = Self::motion(index)?;
        let now = Self::now();
        let approved = Self::motion_outcome(&motion, Self::member_count(), now)
            .ok_or_else(|| Self::error(Error::TooEarly))?;
        let slot = match (&motion.proposal, approved) {
            (MotionProposal::Enact { .. }, true) => Some(scheduler::next_task::<T>(now)?),
            _ => None,
        };

        Motions::remove(&index);
        ActiveMotions::mutate(|active| active.retain(|open| *open != index));
        Self::deposit_event(Event::MotionClosed {
            motion: index,
            ayes: motion.aye_count(),
            nays: motion.nay_count(),
        });
        if !approved {
            Self::deposit_event(Event::MotionDisapproved { motion: index });
            return Ok(());
        }
        Self::deposit_event(Event::MotionApproved { motion: index });
        match (motion.proposal, slot) {
            (MotionProposal::Enact { call }, Some((task, not_before))) => {
                scheduler::schedule::<T>(task, TaskSource::Motion(index), call, now, not_before)
            }
            (MotionProposal::CancelTask { task }, _) => scheduler::cancel::<T>(task),
            // An approved `Enact` always got a slot above.
            (MotionProposal::Enact { .. }, None) => {}
        }
        Ok(())
    }
}
