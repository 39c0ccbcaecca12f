//! The scheduler: approved calls wait `ENACTMENT_DELAY` blocks, then `on_initialize` enacts
//! them as `Origin::Root` through the runtime's dispatcher.
//!
//! Tasks form a queue. Every task is scheduled `ENACTMENT_DELAY` blocks after the block that
//! approved it, so ids (handed out in approval order) are also in enactment order, and a
//! cursor (`NextToEnact`) is all the scheduler needs: each block it walks from the cursor,
//! enacting due tasks and stepping over cancelled ones, until it meets a task not yet due, or
//! has looked at `MAX_ENACTMENTS_PER_BLOCK` ids, or the next call would take the enacted weight
//! over `MAX_ENACTMENT_WEIGHT`. What is left waits for the next block, in order.

use crate::types::*;
use crate::{
    call_hash, weights, CallDispatcher, Config, Event, NextToEnact, Pallet, TaskCount, Tasks,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// The id and first enactment block a task approved at `now` would get; fails only when the
/// counters are exhausted.
pub(crate) fn next_task<T: Config>(
    now: BlockNumber,
) -> Result<(TaskId, BlockNumber), DispatchError> {
    let id = TaskCount::get();
    id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
    let not_before = now
        .checked_add(T::ENACTMENT_DELAY)
        .ok_or(ArithmeticError::Overflow)?;
    Ok((id, not_before))
}

/// Queues `call` as task `id` (from [`next_task`]).
pub(crate) fn schedule<T: Config>(
    id: TaskId,
    source: TaskSource,
    call: Vec<u8>,
    now: BlockNumber,
    not_before: BlockNumber,
) {
    let hash = call_hash(&call);
    Tasks::insert(
        &id,
        &Task {
            source,
            call,
            scheduled_at: now,
            not_before,
        },
    );
    // `next_task` checked that `id + 1` fits.
    TaskCount::put(&id.saturating_add(1));
    Pallet::<T>::deposit_event(Event::Scheduled {
        task: id,
        source,
        call_hash: hash,
        not_before,
    });
}

/// Removes task `id` so it is never enacted. A task already enacted (or cancelled) is left
/// alone: the cancellation came too late and changes nothing.
pub(crate) fn cancel<T: Config>(id: TaskId) {
    if Tasks::contains_key(&id) {
        Tasks::remove(&id);
        Pallet::<T>::deposit_event(Event::Cancelled { task: id });
    }
}

/// Enacts the tasks due at block `now`, within the per-block bounds; returns the weight used.
pub(crate) fn enact_due<T: Config>(now: BlockNumber) -> Weight {
    let start = NextToEnact::get();
    let count = TaskCount::get();
    let mut cursor = start;
    let mut looked_at: u32 = 0;
    let mut enacted: u32 = 0;
    let mut enacted_weight = Weight::zero();
    let mut weight = weights::scheduler_base();

    while cursor < count && looked_at < T::MAX_ENACTMENTS_PER_BLOCK {
        weight = weight.saturating_add(weights::enactment_step());
        let Some(task) = Tasks::get(&cursor) else {
            // Cancelled: step over it.
            cursor = cursor.saturating_add(1);
            looked_at = looked_at.saturating_add(1);
            continue;
        };
        if task.not_before > now {
            break;
        }
        // Validated when proposed; a call that no longer weighs (it cannot happen within one
        // runtime) is dispatched anyway and fails, which the event reports.
        let declared = T::Dispatcher::weight(&task.call).unwrap_or_default();
        if enacted > 0
            && enacted_weight
                .saturating_add(declared)
                .any_gt(T::MAX_ENACTMENT_WEIGHT)
        {
            break;
        }
        Tasks::remove(&cursor);
        let id = cursor;
        cursor = cursor.saturating_add(1);
        looked_at = looked_at.saturating_add(1);
        enacted = enacted.saturating_add(1);

        // The call's own writes are kept only if it succeeds; the task is gone either way.
        let outcome = with_transaction(|| T::Dispatcher::dispatch(&task.call, Origin::Root));
        let post_info = match &outcome {
            Ok(post_info) => *post_info,
            Err(error) => error.post_info,
        };
        let used = post_info
            .actual_weight
            .map_or(declared, |actual| actual.min(declared));
        enacted_weight = enacted_weight.saturating_add(used);
        Pallet::<T>::deposit_event(Event::Enacted {
            task: id,
            result: outcome.map(|_| ()).map_err(|error| error.error),
        });
    }
    if cursor != start {
        NextToEnact::put(&cursor);
    }
    weight.saturating_add(enacted_weight)
}

impl<T: Config> Pallet<T> {
    /// A scheduled task, if it is still waiting.
    pub fn task(id: TaskId) -> Option<Task> {
        Tasks::get(&id)
    }
}
