//! The time a dev chain's author puts in its blocks: the local clock plus an offset that
//! `dev_timeTravel` moves forward, so tests and walkthroughs can reach deadlines, cancellation
//! windows and record dates days away without waiting for them (chopsticks' `dev_timeTravel`).
//! Only the dev author reads it; a chain authored by slot never travels.

use std::sync::atomic::{AtomicU64, Ordering};

/// The dev author's clock.
#[derive(Debug, Default)]
pub struct DevClock {
    offset_ms: AtomicU64,
}

/// Why the clock cannot be set to the time asked for.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimeTravelError {
    #[error("time only moves forward: {target_ms} is not after the chain's clock ({now_ms})")]
    Backwards { target_ms: u64, now_ms: u64 },
}

impl DevClock {
    /// The time for the next block, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        crate::author::now_ms().saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Makes the clock read `target_ms` now (and run on from there). Returns `target_ms`.
    pub fn travel_to(&self, target_ms: u64) -> Result<u64, TimeTravelError> {
        let now_ms = self.now_ms();
        if target_ms <= now_ms {
            return Err(TimeTravelError::Backwards { target_ms, now_ms });
        }
        let offset = target_ms.saturating_sub(crate::author::now_ms());
        self.offset_ms.fetch_max(offset, Ordering::Relaxed);
        Ok(target_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: u64 = 86_400_000;

    #[test]
    fn the_clock_moves_forward_and_runs_on_from_there() {
        let clock = DevClock::default();
        let target = crate::author::now_ms() + 30 * DAY_MS;
        assert_eq!(clock.travel_to(target), Ok(target));
        let now = clock.now_ms();
        assert!(now >= target && now < target + 60_000, "{now} vs {target}");
    }

    #[test]
    fn the_clock_never_moves_back() {
        let clock = DevClock::default();
        let later = crate::author::now_ms() + DAY_MS;
        clock.travel_to(later).expect("forward");
        let error = clock.travel_to(later - 1).expect_err("backwards");
        assert!(
            matches!(error, TimeTravelError::Backwards { .. }),
            "{error}"
        );
        assert!(clock.now_ms() >= later);
    }
}
