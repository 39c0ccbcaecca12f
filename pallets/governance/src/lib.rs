//! Folio's governance: the only way to `Origin::Root` on a production chain.
//!
//! It owns the council (its members and motions), token-holder referenda (their deposits,
//! votes and tallies) and the scheduler's queue of approved calls. It moves money only through
//! [`folio_pallet_support::currency::Currency`] (a hold with reason `GovernanceDeposit`, a
//! freeze with reason `GovernanceVote`) and runs calls only through the [`CallDispatcher`] the
//! runtime provides, so it depends on no other pallet and never names the runtime's call type.
//!
//! The model (see `docs/pallets/governance.md` for the full description):
//! - **Council** ([`council`]): members set at genesis and changed only by Root
//!   (`set_members`, i.e. by governance itself). A member proposes a motion carrying an encoded
//!   call and a threshold (a number of aye votes, more than `MOTION_MAJORITY_PERCENT` of the
//!   council); members vote aye or nay; anyone closes it once the threshold is reached or can
//!   no longer be reached, or after `MOTION_DURATION` blocks. An approved motion schedules its
//!   call. A *cancellation* motion (threshold: more than `CANCELLATION_PERCENT` of the
//!   council, fixed on chain) removes a scheduled call before it is enacted.
//! - **Referenda** ([`referenda`]): anyone starts one for an encoded call by placing
//!   `REFERENDUM_DEPOSIT` on hold. Token holders vote aye or nay with an amount of their
//!   balance, which is frozen while the vote is recorded. After `VOTING_PERIOD` blocks the
//!   referendum passes iff the ayes are more than `REFERENDUM_APPROVAL_PERCENT` of the votes
//!   cast and the votes cast reach `REFERENDUM_MIN_TURNOUT_PERCENT` of the total issuance; the
//!   deposit is released either way and a passed referendum schedules its call. Its votes are
//!   then removed (and their freezes thawed) a bounded number per block.
//! - **Scheduler** ([`scheduler`]): an approved call is enacted as `Origin::Root` through the
//!   dispatcher `ENACTMENT_DELAY` blocks after its approval, by `on_initialize`, at most
//!   `MAX_ENACTMENTS_PER_BLOCK` tasks and `MAX_ENACTMENT_WEIGHT` per block (the rest waits
//!   for the next block, in order).
//!
//! How Root is reached: only by enactment of a scheduled task, i.e. by a council motion that
//! reached its majority or a referendum that passed, after the delay. There is no separate
//! "council approved" origin: an approved motion dispatches its call as `Origin::Root`, which
//! is why its threshold must be more than `MOTION_MAJORITY_PERCENT` of the council. (A pallet
//! that later needs a weaker council origin would need a new `Origin` variant in the framework
//! and an origin recorded in each task.)
//!
//! Invariants ([`invariants::check_invariants`]): members are sorted, unique and at most
//! `MAX_MEMBERS`; every motion vote is by a current member, once; open motions and live
//! referenda are within their bounds and their lists match their records; every ongoing
//! referendum's tally is the sum of its votes; each account's `GovernanceDeposit` hold is the
//! sum of the deposits of its ongoing referenda and its `GovernanceVote` freeze is its largest
//! recorded vote; a scheduled task comes only from a closed motion or a passed referendum, is
//! enacted no earlier than `ENACTMENT_DELAY` after its approval, and tasks are queued in
//! enactment order.
//!
//! Every call checks its origin first and validates everything before it writes anything.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::float_arithmetic
    )
)]

extern crate alloc;

pub mod benchmarking;
mod call;
pub mod council;
mod error;
mod event;
mod genesis;
pub mod invariants;
mod metadata;
pub mod referenda;
pub mod scheduler;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::{check_constants, GenesisConfig, GenesisError};
pub use metadata::metadata;
pub use types::*;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// How governance runs a call it stores as bytes. The runtime implements it by decoding its
/// `RuntimeCall` (with a depth limit) and dispatching it; tests implement it with a small
/// call enum.
pub trait CallDispatcher {
    /// Decodes `encoded_call` and runs it with `origin`. A call that does not decode fails
    /// (with any error).
    fn dispatch(encoded_call: &[u8], origin: Origin) -> DispatchResultWithPostInfo;
    /// The declared weight of `encoded_call`, or `None` if it is not a call of this runtime.
    fn weight(encoded_call: &[u8]) -> Option<Weight>;
}

/// What the runtime tells the governance pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime (`Governance`).
    const INDEX: u8;
    /// Money: the referendum deposit (a hold) and the balance backing votes (a freeze).
    type Currency: folio_pallet_support::currency::Currency;
    /// Runs the stored calls.
    type Dispatcher: CallDispatcher;

    /// The longest encoded call a motion or referendum may carry, in bytes.
    const MAX_CALL_LEN: u32;
    /// The most council members.
    const MAX_MEMBERS: u32;
    /// The most motions open at once.
    const MAX_MOTIONS: u32;
    /// How many blocks a motion is open for voting.
    const MOTION_DURATION: BlockNumber;
    /// A motion's threshold must be more than this percentage of the council (0..=100);
    /// 50 means a strict majority.
    const MOTION_MAJORITY_PERCENT: u32;
    /// A cancellation motion needs more than this percentage of the council (0..=100);
    /// 66 means two thirds.
    const CANCELLATION_PERCENT: u32;

    /// Held from whoever starts a referendum until it ends.
    const REFERENDUM_DEPOSIT: Balance;
    /// How many blocks a referendum is open for voting.
    const VOTING_PERIOD: BlockNumber;
    /// The most referenda alive at once (ongoing, or ended with votes still to remove).
    const MAX_REFERENDA: u32;
    /// A referendum passes only if the ayes are more than this percentage of the votes cast.
    const REFERENDUM_APPROVAL_PERCENT: u32;
    /// A referendum passes only if the votes cast are at least this percentage of the total
    /// issuance.
    const REFERENDUM_MIN_TURNOUT_PERCENT: u32;

    /// How many blocks after its approval a call is enacted at the earliest.
    const ENACTMENT_DELAY: BlockNumber;
    /// The most tasks `on_initialize` looks at (enacts or skips) in one block.
    const MAX_ENACTMENTS_PER_BLOCK: u32;
    /// The most weight of enacted calls per block; the first due task of a block always runs,
    /// so a call heavier than this still gets enacted, alone.
    const MAX_ENACTMENT_WEIGHT: Weight;
    /// The most votes of ended referenda `on_initialize` removes (and thaws) in one block.
    const MAX_VOTE_REMOVALS_PER_BLOCK: u32;
}

folio_pallet_support::storage! {
    pallet "Governance";
    /// The council, sorted (at most `MaxMembers`).
    pub Members: Value<Vec<AccountId>, ValueQuery>;
    /// How many motions have ever been proposed (the next motion's index).
    pub MotionCount: Value<MotionIndex, ValueQuery>;
    /// The indices of the open motions, ascending (at most `MaxMotions`).
    pub ActiveMotions: Value<Vec<MotionIndex>, ValueQuery>;
    /// Open motions by index.
    pub Motions: Map<Twox64Concat, MotionIndex, Motion, OptionQuery>;
    /// How many referenda have ever been started (the next referendum's index).
    pub ReferendumCount: Value<ReferendumIndex, ValueQuery>;
    /// The ongoing referenda and the block each ends at, ascending.
    pub OngoingReferenda: Value<Vec<(ReferendumIndex, BlockNumber)>, ValueQuery>;
    /// Ended referenda whose votes are still being removed, oldest first.
    pub EndedReferenda: Value<Vec<ReferendumIndex>, ValueQuery>;
    /// Referenda alive (ongoing or ended with votes left), by index.
    pub Referenda: Map<Twox64Concat, ReferendumIndex, Referendum, OptionQuery>;
    /// Votes by referendum and voter.
    pub Votes: DoubleMap<Twox64Concat, ReferendumIndex, Blake2_128Concat, AccountId, Vote, OptionQuery>;
    /// How many tasks have ever been scheduled (the next task's id).
    pub TaskCount: Value<TaskId, ValueQuery>;
    /// The first task id not yet enacted, cancelled or skipped: the scheduler's cursor.
    pub NextToEnact: Value<TaskId, ValueQuery>;
    /// Scheduled calls waiting for enactment, by id (ids are in enactment order).
    pub Tasks: Map<Twox64Concat, TaskId, Task, OptionQuery>;
}

/// The governance pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }

    /// Fails with `error` unless `condition` holds.
    pub(crate) fn ensure(condition: bool, error: Error) -> DispatchResult {
        if condition {
            Ok(())
        } else {
            Err(Self::error(error))
        }
    }

    /// The number of the block being executed.
    pub fn now() -> BlockNumber {
        folio_pallet_system::Pallet::<T>::block_number()
    }

    /// Checks an encoded call before it is stored: not too long, and a call of this runtime.
    pub(crate) fn check_call(call: &[u8]) -> DispatchResult {
        Self::ensure(call.len() <= T::MAX_CALL_LEN as usize, Error::CallTooLong)?;
        Self::ensure(
            T::Dispatcher::weight(call).is_some(),
            Error::UndecodableCall,
        )
    }
}

/// The blake2-256 hash of an encoded call, as clients compute it to recognise a proposal.
pub fn call_hash(call: &[u8]) -> H256 {
    H256(folio_primitives::io::blake2_256(call))
}

/// `floor(amount × percent / 100)` without overflow (`percent` is capped at 100).
pub fn percent_of(amount: u128, percent: u32) -> u128 {
    let percent = u128::from(percent.min(100));
    // amount / 100 × percent ≤ amount, and (amount % 100) × percent < 10 000: no overflow.
    (amount / 100)
        .saturating_mul(percent)
        .saturating_add((amount % 100).saturating_mul(percent) / 100)
}

/// The fewest votes that are *more than* `percent` of `total` voters.
pub fn more_than_percent(total: u32, percent: u32) -> u32 {
    let floor = percent_of(u128::from(total), percent);
    // floor ≤ total ≤ u32::MAX, so floor + 1 fits in u64 and at most u32::MAX + 1.
    u32::try_from(floor.saturating_add(1)).unwrap_or(u32::MAX)
}

impl<T: Config> Hooks for Pallet<T> {
    /// Ends the referenda whose voting period is over, enacts the due tasks, then removes
    /// votes of ended referenda — each step bounded (see [`Config`]).
    fn on_initialize(n: BlockNumber) -> Weight {
        referenda::finish_due::<T>(n)
            .saturating_add(scheduler::enact_due::<T>(n))
            .saturating_add(referenda::remove_ended_votes::<T>(
                T::MAX_VOTE_REMOVALS_PER_BLOCK,
            ))
    }
}
