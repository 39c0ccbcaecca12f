//! Token-holder referenda.
//!
//! Anyone starts a referendum for an encoded call by placing `REFERENDUM_DEPOSIT` on hold
//! (`HoldReason::GovernanceDeposit`). While it is ongoing, any account votes aye or nay with an
//! amount up to its total balance; the amount is frozen (`FreezeReason::GovernanceVote`; one
//! freeze per account, the largest of its recorded votes, so the same balance can back votes in
//! several referenda). At its end `on_initialize` decides it on chain, releases the deposit and,
//! if it passed, schedules its call. Its votes are then removed — and the balance behind them
//! thawed — by `on_initialize`, at most `MAX_VOTE_REMOVALS_PER_BLOCK` per block, or at once by
//! each voter with `remove_vote`. The referendum's slot (one of `MAX_REFERENDA`) is free once
//! its last vote is gone.
//!
//! `on_initialize` ends every due referendum in the block its voting period ends (there are at
//! most `MAX_REFERENDA`), so extrinsics never see an ongoing referendum past its end.

use crate::types::*;
use crate::{
    call_hash, percent_of, scheduler, weights, Config, EndedReferenda, Error, Event,
    OngoingReferenda, Pallet, Referenda, ReferendumCount, Votes,
};
use alloc::vec::Vec;
use folio_pallet_support::currency::{Currency, FreezeReason, HoldReason};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// A referendum that is alive (ongoing, or ended with votes left).
    pub fn referendum(index: ReferendumIndex) -> Option<Referendum> {
        Referenda::get(&index)
    }

    fn live_referendum(index: ReferendumIndex) -> Result<Referendum, DispatchError> {
        Referenda::get(&index).ok_or_else(|| Self::error(Error::UnknownReferendum))
    }

    /// Whether a tally passes now: the ayes are more than `REFERENDUM_APPROVAL_PERCENT` of the
    /// votes cast, and the votes cast are at least `REFERENDUM_MIN_TURNOUT_PERCENT` of the total
    /// issuance (rounded down).
    pub fn referendum_passes(tally: &Tally) -> bool {
        let Some(turnout) = tally.turnout() else {
            return false;
        };
        let issuance = T::Currency::total_issuance();
        turnout >= percent_of(issuance, T::REFERENDUM_MIN_TURNOUT_PERCENT)
            && tally.ayes > percent_of(turnout, T::REFERENDUM_APPROVAL_PERCENT)
    }

    /// Starts a referendum on `call`, holding the deposit from the caller.
    pub(crate) fn start_referendum(origin: Origin, call: Vec<u8>) -> DispatchResult {
        let proposer = ensure_signed(&origin)?;
        Self::check_call(&call)?;
        let mut ongoing = OngoingReferenda::get();
        let alive = ongoing.len().saturating_add(EndedReferenda::get().len());
        Self::ensure(alive < T::MAX_REFERENDA as usize, Error::TooManyReferenda)?;
        let index = ReferendumCount::get();
        let next = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        let end = Self::now()
            .checked_add(T::VOTING_PERIOD)
            .ok_or(ArithmeticError::Overflow)?;
        // The hold checks the balance before it writes anything: the last fallible step.
        T::Currency::hold(
            HoldReason::GovernanceDeposit,
            &proposer,
            T::REFERENDUM_DEPOSIT,
        )?;

        let hash = call_hash(&call);
        Referenda::insert(
            &index,
            &Referendum {
                proposer,
                deposit: T::REFERENDUM_DEPOSIT,
                call,
                end,
                tally: Tally::default(),
                state: ReferendumState::Ongoing,
            },
        );
        // Indices and ends only grow, so pushing keeps the list ascending in both.
        ongoing.push((index, end));
        OngoingReferenda::put(&ongoing);
        ReferendumCount::put(&next);
        Self::deposit_event(Event::ReferendumStarted {
            referendum: index,
            proposer,
            call_hash: hash,
            deposit: T::REFERENDUM_DEPOSIT,
            end,
        });
        Ok(())
    }

    /// Votes (or changes the caller's vote) in an ongoing referendum, freezing `balance`.
    pub(crate) fn vote_referendum(
        origin: Origin,
        index: ReferendumIndex,
        aye: bool,
        balance: Balance,
    ) -> DispatchResult {
        let voter = ensure_signed(&origin)?;
        Self::ensure(balance > 0, Error::ZeroVote)?;
        let mut referendum = Self::live_referendum(index)?;
        Self::ensure(
            referendum.state == ReferendumState::Ongoing && Self::now() < referendum.end,
            Error::ReferendumNotOngoing,
        )?;
        Self::ensure(
            balance <= T::Currency::total_balance(&voter),
            Error::InsufficientBalance,
        )?;
        let mut tally = referendum.tally;
        if let Some(old) = Votes::get(&index, &voter) {
            Self::untally(&mut tally, &old)?;
        }
        let vote = Vote { aye, balance };
        Self::tally(&mut tally, &vote)?;
        let freeze = largest_vote(&voter, Some(index)).max(balance);
        // The freeze checks before it writes anything: the last fallible step.
        refreeze::<T>(&voter, freeze)?;

        referendum.tally = tally;
        Referenda::insert(&index, &referendum);
        Votes::insert(&index, &voter, &vote);
        Self::deposit_event(Event::ReferendumVoted {
            referendum: index,
            voter,
            aye,
            balance,
        });
        Ok(())
    }

    /// Removes the caller's vote: from the tally if the referendum is ongoing, and from the
    /// freeze in any case.
    pub(crate) fn remove_vote(origin: Origin, index: ReferendumIndex) -> DispatchResult {
        let voter = ensure_signed(&origin)?;
        let mut referendum = Self::live_referendum(index)?;
        let vote = Votes::get(&index, &voter).ok_or_else(|| Self::error(Error::NotVoted))?;
        let ongoing = referendum.state == ReferendumState::Ongoing;
        if ongoing {
            Self::untally(&mut referendum.tally, &vote)?;
        }
        refreeze::<T>(&voter, largest_vote(&voter, Some(index)))?;

        if ongoing {
            Referenda::insert(&index, &referendum);
        }
        Votes::remove(&index, &voter);
        Self::deposit_event(Event::ReferendumVoteRemoved {
            referendum: index,
            voter,
        });
        Ok(())
    }

    /// Root ends an ongoing referendum without a decision; the deposit is released.
    pub(crate) fn cancel_referendum(origin: Origin, index: ReferendumIndex) -> DispatchResult {
        ensure_root(&origin)?;
        let mut referendum = Self::live_referendum(index)?;
        Self::ensure(
            referendum.state == ReferendumState::Ongoing,
            Error::ReferendumNotOngoing,
        )?;
        T::Currency::release(
            HoldReason::GovernanceDeposit,
            &referendum.proposer,
            referendum.deposit,
        )?;
        referendum.state = ReferendumState::Cancelled;
        Self::retire(index, &referendum);
        Self::deposit_event(Event::ReferendumCancelled { referendum: index });
        Ok(())
    }

    fn tally(tally: &mut Tally, vote: &Vote) -> DispatchResult {
        let side = if vote.aye {
            &mut tally.ayes
        } else {
            &mut tally.nays
        };
        *side = side
            .checked_add(vote.balance)
            .ok_or(ArithmeticError::Overflow)?;
        Ok(())
    }

    fn untally(tally: &mut Tally, vote: &Vote) -> DispatchResult {
        let side = if vote.aye {
            &mut tally.ayes
        } else {
            &mut tally.nays
        };
        *side = side
            .checked_sub(vote.balance)
            .ok_or(ArithmeticError::Underflow)?;
        Ok(())
    }

    /// Stores an ended referendum and moves it from the ongoing list to the ended one.
    fn retire(index: ReferendumIndex, referendum: &Referendum) {
        Referenda::insert(&index, referendum);
        OngoingReferenda::mutate(|ongoing| ongoing.retain(|(open, _)| *open != index));
        EndedReferenda::mutate(|ended| ended.push(index));
    }

    /// Decides referendum `index` at its end: releases the deposit and schedules the call of
    /// a passed referendum.
    fn finish(index: ReferendumIndex, now: BlockNumber) {
        let Some(mut referendum) = Referenda::get(&index) else {
            return;
        };
        if T::Currency::release(
            HoldReason::GovernanceDeposit,
            &referendum.proposer,
            referendum.deposit,
        )
        .is_err()
        {
            // The deposit was held when the referendum started and only this pallet releases
            // it; a failure here means the state is corrupt, which `check_invariants` reports.
            log_error("referendum deposit could not be released");
        }
        let slot = if Self::referendum_passes(&referendum.tally) {
            // Only exhausted task ids could fail this; the referendum then does not pass.
            scheduler::next_task::<T>(now).ok()
        } else {
            None
        };
        let tally = referendum.tally;
        match slot {
            Some((task, not_before)) => {
                referendum.state = ReferendumState::Passed;
                let call = core::mem::take(&mut referendum.call);
                Self::retire(index, &referendum);
                Self::deposit_event(Event::ReferendumPassed {
                    referendum: index,
                    tally,
                });
                scheduler::schedule::<T>(
                    task,
                    TaskSource::Referendum(index),
                    call,
                    now,
                    not_before,
                );
            }
            None => {
                referendum.state = ReferendumState::NotPassed;
                Self::retire(index, &referendum);
                Self::deposit_event(Event::ReferendumNotPassed {
                    referendum: index,
                    tally,
                });
            }
        }
    }
}

/// The largest balance behind `voter`'s votes in live referenda, leaving out `except`.
fn largest_vote(voter: &AccountId, except: Option<ReferendumIndex>) -> Balance {
    OngoingReferenda::get()
        .into_iter()
        .map(|(index, _)| index)
        .chain(EndedReferenda::get())
        .filter(|index| Some(*index) != except)
        .filter_map(|index| Votes::get(&index, voter))
        .map(|vote| vote.balance)
        .max()
        .unwrap_or(0)
}

/// Sets `voter`'s vote freeze to `amount` (zero thaws it); writes nothing if unchanged.
fn refreeze<T: Config>(voter: &AccountId, amount: Balance) -> DispatchResult {
    if T::Currency::balance_frozen(FreezeReason::GovernanceVote, voter) == amount {
        return Ok(());
    }
    T::Currency::set_freeze(FreezeReason::GovernanceVote, voter, amount)
}

fn log_error(message: &str) {
    folio_primitives::io::log(
        folio_primitives::io::LogLevel::Error,
        "runtime::governance",
        message,
    );
}

/// Ends every ongoing referendum whose voting period is over; returns the weight used.
pub(crate) fn finish_due<T: Config>(now: BlockNumber) -> Weight {
    let due: Vec<ReferendumIndex> = OngoingReferenda::get()
        .into_iter()
        .take_while(|(_, end)| *end <= now)
        .map(|(index, _)| index)
        .collect();
    let mut weight = weights::referenda_base();
    for index in due {
        Pallet::<T>::finish(index, now);
        weight = weight.saturating_add(weights::finish_referendum());
    }
    weight
}

/// Removes up to `limit` votes of ended referenda, oldest referendum first, thawing what they
/// froze, and forgets each referendum whose last vote is gone; returns the weight used.
pub(crate) fn remove_ended_votes<T: Config>(limit: u32) -> Weight {
    let mut weight = weights::referenda_base();
    let mut budget = limit;
    while let Some(index) = EndedReferenda::get().first().copied() {
        let voters: Vec<AccountId> = Votes::iter_prefix(&index)
            .take(budget as usize)
            .map(|(voter, _)| voter)
            .collect();
        for voter in &voters {
            Votes::remove(&index, voter);
            if refreeze::<T>(voter, largest_vote(voter, None)).is_err() {
                // Lowering a freeze that the account already carries cannot fail.
                log_error("vote freeze could not be lowered");
            }
            weight = weight.saturating_add(weights::vote_removal());
        }
        budget = budget.saturating_sub(u32::try_from(voters.len()).unwrap_or(u32::MAX));
        if Votes::iter_prefix(&index).next().is_some() {
            break;
        }
        Referenda::remove(&index);
        EndedReferenda::mutate(|ended| ended.retain(|open| *open != index));
        Pallet::<T>::deposit_event(Event::ReferendumCleared { referendum: index });
        weight = weight.saturating_add(weights::clear_referendum());
        if budget == 0 {
            break;
        }
    }
    weight
}
