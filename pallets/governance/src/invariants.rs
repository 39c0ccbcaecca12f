//! The governance pallet's invariants, checked after every test and every random step, and
//! callable on chain as an audit.
//!
//! 1. The council is sorted, without duplicates, at most `MAX_MEMBERS`.
//! 2. `ActiveMotions` lists exactly the stored motions, ascending, at most `MAX_MOTIONS`, all
//!    below `MotionCount`; every motion vote is by a current member, once (aye or nay); a
//!    motion's call is at most `MAX_CALL_LEN` bytes and its end within `MOTION_DURATION`.
//! 3. `OngoingReferenda` and `EndedReferenda` together list exactly the stored referenda, at
//!    most `MAX_REFERENDA`, all below `ReferendumCount`; a referendum is `Ongoing` iff it is in
//!    the first list (with the same end, and that end still ahead); votes exist only for
//!    stored referenda; an ongoing referendum's tally is the sum of its votes.
//! 4. Each account's `GovernanceDeposit` hold is the sum of the deposits of its ongoing
//!    referenda, and its `GovernanceVote` freeze is its largest recorded vote.
//! 5. Tasks have ids in `NextToEnact..TaskCount`; each was approved `ENACTMENT_DELAY` before it
//!    may run (`not_before = scheduled_at + ENACTMENT_DELAY`), by a motion no longer open or a
//!    referendum that passed; `not_before` never decreases along the queue.

use crate::types::*;
use crate::*;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use folio_pallet_support::currency::{Currency, FreezeReason, HoldReason};
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::storage::StorageItem;
use folio_primitives::storage::KeyHasher;

/// Checks every invariant of the governance pallet over the whole state.
pub fn check_invariants<T: Config>() -> Result<(), InvariantViolation> {
    let now = Pallet::<T>::now();
    check_council::<T>(now)?;
    let votes = all_votes()?;
    check_referenda::<T>(now, &votes)?;
    check_money::<T>(&votes)?;
    check_tasks::<T>()
}

fn len(n: usize) -> u128 {
    n as u128
}

fn strictly_ascending<K: Ord>(items: &[K]) -> bool {
    items.windows(2).all(|pair| match pair {
        [a, b] => a < b,
        _ => true,
    })
}

fn check_council<T: Config>(now: BlockNumber) -> Result<(), InvariantViolation> {
    let members = Members::get();
    ensure_invariant(
        strictly_ascending(&members),
        "members are sorted and unique",
        0,
        0,
    )?;
    ensure_invariant(
        members.len() <= T::MAX_MEMBERS as usize,
        "at most MaxMembers members",
        u128::from(T::MAX_MEMBERS),
        len(members.len()),
    )?;

    let active = ActiveMotions::get();
    let count = MotionCount::get();
    ensure_invariant(
        strictly_ascending(&active),
        "active motions are ascending and unique",
        0,
        0,
    )?;
    ensure_invariant(
        active.len() <= T::MAX_MOTIONS as usize,
        "at most MaxMotions open motions",
        u128::from(T::MAX_MOTIONS),
        len(active.len()),
    )?;
    let mut stored = 0usize;
    for (index, motion) in Motions::iter() {
        stored = stored.saturating_add(1);
        ensure_invariant(
            active.binary_search(&index).is_ok() && index < count,
            "every stored motion is listed as active and below MotionCount",
            u128::from(count),
            u128::from(index),
        )?;
        let voters: Vec<&AccountId> = motion.ayes.iter().chain(&motion.nays).collect();
        for (position, voter) in voters.iter().enumerate() {
            ensure_invariant(
                members.binary_search(voter).is_ok(),
                "motion votes are by current members",
                u128::from(index),
                0,
            )?;
            ensure_invariant(
                !voters
                    .iter()
                    .skip(position.saturating_add(1))
                    .any(|other| other == voter),
                "a member votes once per motion",
                u128::from(index),
                0,
            )?;
        }
        ensure_invariant(
            motion.threshold >= 1,
            "a motion needs at least one aye",
            1,
            u128::from(motion.threshold),
        )?;
        if let MotionProposal::Enact { call } = &motion.proposal {
            ensure_invariant(
                call.len() <= T::MAX_CALL_LEN as usize,
                "a motion's call is at most MaxCallLen bytes",
                u128::from(T::MAX_CALL_LEN),
                len(call.len()),
            )?;
        }
        ensure_invariant(
            motion.end <= now.saturating_add(T::MOTION_DURATION),
            "a motion ends within MotionDuration of now",
            u128::from(now.saturating_add(T::MOTION_DURATION)),
            u128::from(motion.end),
        )?;
    }
    ensure_invariant(
        stored == active.len(),
        "active motions = stored motions",
        len(active.len()),
        len(stored),
    )
}

/// Every stored vote, walking the raw keys of `Votes` (a double map has no full iterator).
fn all_votes() -> Result<Vec<(ReferendumIndex, AccountId, Vote)>, InvariantViolation> {
    let prefix = Votes::prefix();
    let mut cursor = prefix.to_vec();
    let mut votes = Vec::new();
    while let Some(key) = folio_primitives::io::storage_next_key(&cursor) {
        if !key.starts_with(&prefix) {
            break;
        }
        let decoded = key.get(prefix.len()..).and_then(|hashed| {
            let mut rest = Twox64Concat::reverse(hashed)?;
            let index = ReferendumIndex::decode(&mut rest).ok()?;
            let mut rest = Blake2_128Concat::reverse(rest)?;
            let voter = AccountId::decode(&mut rest).ok()?;
            let raw = folio_primitives::io::storage_get(&key)?;
            let vote = Vote::decode(&mut raw.as_slice()).ok()?;
            Some((index, voter, vote))
        });
        ensure_invariant(decoded.is_some(), "every stored vote decodes", 1, 0)?;
        if let Some(entry) = decoded {
            votes.push(entry);
        }
        cursor = key;
    }
    Ok(votes)
}

fn check_referenda<T: Config>(
    now: BlockNumber,
    votes: &[(ReferendumIndex, AccountId, Vote)],
) -> Result<(), InvariantViolation> {
    let ongoing = OngoingReferenda::get();
    let ended = EndedReferenda::get();
    let count = ReferendumCount::get();
    let ongoing_indices: Vec<ReferendumIndex> = ongoing.iter().map(|(index, _)| *index).collect();
    let ongoing_ends: Vec<BlockNumber> = ongoing.iter().map(|(_, end)| *end).collect();
    ensure_invariant(
        strictly_ascending(&ongoing_indices)
            && ongoing_ends.windows(2).all(|pair| match pair {
                [a, b] => a <= b,
                _ => true,
            }),
        "ongoing referenda are ascending by index and by end",
        0,
        0,
    )?;
    let mut ended_sorted = ended.clone();
    ended_sorted.sort();
    ensure_invariant(
        strictly_ascending(&ended_sorted)
            && !ended.iter().any(|index| ongoing_indices.contains(index)),
        "ended referenda are listed once and not as ongoing",
        0,
        0,
    )?;
    let alive = ongoing.len().saturating_add(ended.len());
    ensure_invariant(
        alive <= T::MAX_REFERENDA as usize,
        "at most MaxReferenda referenda alive",
        u128::from(T::MAX_REFERENDA),
        len(alive),
    )?;

    let mut stored = 0usize;
    for (index, referendum) in Referenda::iter() {
        stored = stored.saturating_add(1);
        ensure_invariant(
            index < count,
            "referendum indices are below ReferendumCount",
            u128::from(count),
            u128::from(index),
        )?;
        let listed_end = ongoing
            .iter()
            .find(|(open, _)| *open == index)
            .map(|(_, end)| *end);
        match referendum.state {
            ReferendumState::Ongoing => {
                ensure_invariant(
                    listed_end == Some(referendum.end),
                    "an ongoing referendum is listed as ongoing with its end",
                    u128::from(referendum.end),
                    u128::from(listed_end.unwrap_or_default()),
                )?;
                ensure_invariant(
                    referendum.end > now,
                    "an ongoing referendum's end is still ahead",
                    u128::from(now),
                    u128::from(referendum.end),
                )?;
                let mut tally = Tally::default();
                for (_, _, vote) in votes.iter().filter(|(of, _, _)| *of == index) {
                    let side = if vote.aye {
                        &mut tally.ayes
                    } else {
                        &mut tally.nays
                    };
                    *side = side.saturating_add(vote.balance);
                }
                ensure_invariant(
                    tally.ayes == referendum.tally.ayes,
                    "ayes = sum of aye votes",
                    referendum.tally.ayes,
                    tally.ayes,
                )?;
                ensure_invariant(
                    tally.nays == referendum.tally.nays,
                    "nays = sum of nay votes",
                    referendum.tally.nays,
                    tally.nays,
                )?;
            }
            ReferendumState::Passed | ReferendumState::NotPassed | ReferendumState::Cancelled => {
                ensure_invariant(
                    listed_end.is_none() && ended.contains(&index),
                    "an ended referendum is listed as ended",
                    u128::from(index),
                    0,
                )?;
            }
        }
        ensure_invariant(
            referendum.call.len() <= T::MAX_CALL_LEN as usize,
            "a referendum's call is at most MaxCallLen bytes",
            u128::from(T::MAX_CALL_LEN),
            len(referendum.call.len()),
        )?;
    }
    ensure_invariant(
        stored == alive,
        "listed referenda = stored referenda",
        len(alive),
        len(stored),
    )?;
    for (index, _, _) in votes {
        ensure_invariant(
            Referenda::contains_key(index),
            "votes exist only for stored referenda",
            u128::from(*index),
            0,
        )?;
    }
    Ok(())
}

fn check_money<T: Config>(
    votes: &[(ReferendumIndex, AccountId, Vote)],
) -> Result<(), InvariantViolation> {
    let mut deposits: BTreeMap<AccountId, Balance> = BTreeMap::new();
    for (_, referendum) in Referenda::iter() {
        if referendum.state == ReferendumState::Ongoing {
            let held = deposits.entry(referendum.proposer).or_default();
            *held = held.saturating_add(referendum.deposit);
        }
    }
    let mut largest: BTreeMap<AccountId, Balance> = BTreeMap::new();
    for (_, voter, vote) in votes {
        let frozen = largest.entry(*voter).or_default();
        *frozen = (*frozen).max(vote.balance);
    }
    let accounts: Vec<AccountId> = folio_pallet_system::Account::iter()
        .map(|(who, _)| who)
        .chain(deposits.keys().copied())
        .chain(largest.keys().copied())
        .collect();
    for who in accounts {
        let expected = deposits.get(&who).copied().unwrap_or(0);
        let held = T::Currency::balance_on_hold(HoldReason::GovernanceDeposit, &who);
        ensure_invariant(
            held == expected,
            "deposit hold = sum of the account's ongoing referendum deposits",
            expected,
            held,
        )?;
        let expected = largest.get(&who).copied().unwrap_or(0);
        let frozen = T::Currency::balance_frozen(FreezeReason::GovernanceVote, &who);
        ensure_invariant(
            frozen == expected,
            "vote freeze = the account's largest recorded vote",
            expected,
            frozen,
        )?;
    }
    Ok(())
}

fn check_tasks<T: Config>() -> Result<(), InvariantViolation> {
    let cursor = NextToEnact::get();
    let count = TaskCount::get();
    ensure_invariant(
        cursor <= count,
        "the scheduler's cursor is at most TaskCount",
        u128::from(count),
        u128::from(cursor),
    )?;
    let mut tasks: Vec<(TaskId, Task)> = Tasks::iter().collect();
    tasks.sort_by_key(|(id, _)| *id);
    let mut previous: BlockNumber = 0;
    for (id, task) in tasks {
        ensure_invariant(
            cursor <= id && id < count,
            "waiting tasks lie between the cursor and TaskCount",
            u128::from(cursor),
            u128::from(id),
        )?;
        ensure_invariant(
            task.not_before == task.scheduled_at.saturating_add(T::ENACTMENT_DELAY),
            "a task waits EnactmentDelay after its approval",
            u128::from(task.scheduled_at.saturating_add(T::ENACTMENT_DELAY)),
            u128::from(task.not_before),
        )?;
        ensure_invariant(
            task.not_before >= previous,
            "tasks are queued in enactment order",
            u128::from(previous),
            u128::from(task.not_before),
        )?;
        previous = task.not_before;
        ensure_invariant(
            task.call.len() <= T::MAX_CALL_LEN as usize,
            "a task's call is at most MaxCallLen bytes",
            u128::from(T::MAX_CALL_LEN),
            len(task.call.len()),
        )?;
        let approved = match task.source {
            TaskSource::Motion(index) => {
                index < MotionCount::get() && !Motions::contains_key(&index)
            }
            TaskSource::Referendum(index) => {
                index < ReferendumCount::get()
                    && Referenda::get(&index)
                        .is_none_or(|referendum| referendum.state == ReferendumState::Passed)
            }
        };
        ensure_invariant(
            approved,
            "a task comes from a closed motion or a passed referendum",
            u128::from(id),
            0,
        )?;
    }
    Ok(())
}
