//! [`CallSlots`]: bounds how many calls run at once, so the pooling instance allocator (a fixed
//! number of pre-reserved instance slots, see `engine.rs`) never runs out: a call beyond the
//! bound waits for a slot instead of failing.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};

thread_local! {
    /// How many calls this thread is inside. A call made from inside another one (a runtime
    /// reading a candidate runtime's version) reuses the outer call's slot: waiting for a
    /// second slot while holding one could deadlock when every slot is held that way.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// A counting semaphore over top-level calls.
pub(crate) struct CallSlots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl CallSlots {
    pub(crate) fn new(slots: usize) -> Self {
        Self {
            free: Mutex::new(slots),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot (none is needed inside another call on this thread) and holds
    /// it until the guard is dropped.
    pub(crate) fn enter(&self) -> SlotGuard<'_> {
        let depth = DEPTH.get();
        DEPTH.set(depth.saturating_add(1));
        if depth > 0 {
            return SlotGuard { slots: None };
        }
        // The counter stays consistent even if a holder panicked: recover from poisoning.
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        SlotGuard { slots: Some(self) }
    }

    #[cfg(test)]
    fn free(&self) -> usize {
        *self.free.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A held slot; dropping it frees the slot.
pub(crate) struct SlotGuard<'a> {
    slots: Option<&'a CallSlots>,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        DEPTH.set(DEPTH.get().saturating_sub(1));
        if let Some(slots) = self.slots {
            let mut free = slots.free.lock().unwrap_or_else(PoisonError::into_inner);
            *free += 1;
            slots.freed.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_nested_call_reuses_the_outer_slot() {
        let slots = CallSlots::new(1);
        let outer = slots.enter();
        // Would block forever if the nested call needed a second slot.
        let nested = slots.enter();
        assert_eq!(slots.free(), 0);
        drop(nested);
        assert_eq!(slots.free(), 0, "the outer call still holds its slot");
        drop(outer);
        assert_eq!(slots.free(), 1);
    }

    #[test]
    fn a_call_beyond_the_bound_waits_for_a_free_slot() {
        let slots = Arc::new(CallSlots::new(1));
        let held = slots.enter();
        let (entered_tx, entered_rx) = std::sync::mpsc::channel();
        let waiter = {
            let slots = slots.clone();
            std::thread::spawn(move || {
                let _slot = slots.enter();
                entered_tx.send(()).ok();
            })
        };
        assert!(
            entered_rx.recv_timeout(Duration::from_millis(100)).is_err(),
            "the second call must wait while the only slot is held"
        );
        drop(held);
        assert!(entered_rx.recv_timeout(Duration::from_secs(10)).is_ok());
        waiter.join().ok();
        assert_eq!(slots.free(), 1);
    }
}
