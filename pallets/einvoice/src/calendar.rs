//! Tax periods are calendar months in UTC, numbered from January 1970 (period 0): the period
//! of a block is the month its timestamp (ms since the UNIX epoch) falls in.
//!
//! The civil-date conversion is Howard Hinnant's `civil_from_days`/`days_from_civil`
//! (proleptic Gregorian calendar, 400-year eras), written for unsigned days since the epoch.
//! Every intermediate value is bounded by the input (at most `u64::MAX / DAY_MS` ≈ 2.1·10¹¹
//! days), far inside `u64`, which is why the arithmetic below is unchecked.

use crate::types::{PeriodIndex, DAY_MS};
use folio_pallet_support::prelude::Moment;

/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
const EPOCH_SHIFT: u64 = 719_468;
/// Days in a 400-year era.
const ERA_DAYS: u64 = 146_097;
/// The first year periods count from.
const FIRST_YEAR: u64 = 1970;

/// `(year, month 1..=12, day 1..=31)` of `days` since 1970-01-01.
#[allow(clippy::arithmetic_side_effects)] // bounded as the module doc says; divisors are constants
pub fn civil_from_days(days: u64) -> (u64, u32, u32) {
    let z = days + EPOCH_SHIFT;
    let era = z / ERA_DAYS;
    let doe = z % ERA_DAYS; // day of era, 0..=146_096
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the year from March 1st
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    // month ≤ 12 and day ≤ 31: the casts cannot truncate.
    (year, month as u32, day as u32)
}

/// Days since 1970-01-01 of `year-month-day`, for `year ≥ 1970` and `month` in 1..=12.
#[allow(clippy::arithmetic_side_effects)] // year ≥ 1970 keeps every difference non-negative
pub fn days_from_civil(year: u64, month: u32, day: u32) -> u64 {
    let (month, day) = (u64::from(month), u64::from(day));
    let year = year - u64::from(month <= 2);
    let era = year / 400;
    let yoe = year - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * ERA_DAYS + doe - EPOCH_SHIFT
}

/// The tax period (month since January 1970) `moment` falls in. Saturates at
/// `PeriodIndex::MAX`, some 350 million years away.
#[allow(clippy::arithmetic_side_effects)] // year ≥ 1970 and month ≥ 1 by construction
pub fn period_of(moment: Moment) -> PeriodIndex {
    let (year, month, _) = civil_from_days(moment / DAY_MS);
    let months = (year - FIRST_YEAR)
        .checked_mul(12)
        .and_then(|m| m.checked_add(u64::from(month) - 1));
    months
        .and_then(|m| PeriodIndex::try_from(m).ok())
        .unwrap_or(PeriodIndex::MAX)
}

/// The first millisecond of `period` (00:00 UTC on the 1st of its month).
#[allow(clippy::arithmetic_side_effects)] // period / 12 + 1970 and period % 12 + 1 are small
pub fn period_start(period: PeriodIndex) -> Moment {
    let period = u64::from(period);
    let days = days_from_civil(FIRST_YEAR + period / 12, (period % 12) as u32 + 1, 1);
    days.saturating_mul(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Moment = 1_000;

    fn at(unix_seconds: u64) -> Moment {
        unix_seconds * SECOND
    }

    /// Month index of (year, month).
    fn month(year: u32, month: u32) -> PeriodIndex {
        (year - 1970) * 12 + month - 1
    }

    #[test]
    fn the_epoch_is_period_zero_and_february_1970_is_period_one() {
        assert_eq!(period_of(0), 0);
        assert_eq!(period_of(at(2_678_400) - 1), 0, "1970-01-31T23:59:59.999");
        assert_eq!(period_of(at(2_678_400)), 1, "1970-02-01T00:00:00");
        assert_eq!(period_start(1), at(2_678_400));
    }

    #[test]
    fn leap_days_belong_to_february_and_march_starts_after_them() {
        // 2024 (divisible by 4) and 2000 (by 400) are leap years.
        for (feb29, mar1, year) in [
            (1_709_164_800, 1_709_251_200, 2024),
            (951_782_400, 951_868_800, 2000),
        ] {
            assert_eq!(civil_from_days(feb29 / 86_400), (year, 2, 29));
            assert_eq!(period_of(at(feb29)), month(year as u32, 2));
            assert_eq!(period_of(at(mar1) - 1), month(year as u32, 2));
            assert_eq!(period_of(at(mar1)), month(year as u32, 3));
            assert_eq!(period_start(month(year as u32, 3)), at(mar1));
        }
        // 2023 is not a leap year: March starts the day after February 28th.
        assert_eq!(civil_from_days(1_677_628_800 / 86_400 - 1), (2023, 2, 28));
        // 2100 is divisible by 100 but not by 400: not a leap year either.
        assert_eq!(civil_from_days(4_107_456_000 / 86_400), (2100, 2, 28));
        assert_eq!(civil_from_days(4_107_542_400 / 86_400), (2100, 3, 1));
        assert_eq!(period_start(month(2100, 3)), at(4_107_542_400));
    }

    #[test]
    fn new_year_starts_a_period_of_january() {
        let jan1 = at(1_767_225_600); // 2026-01-01T00:00:00Z
        assert_eq!(period_of(jan1 - 1), month(2025, 12));
        assert_eq!(period_of(jan1), month(2026, 1));
        assert_eq!(period_start(month(2026, 1)), jan1);
        assert_eq!(period_start(month(2026, 12)), at(1_796_083_200));
    }

    /// Walks every day from 1970 to 2500 with a naive calendar and compares.
    #[test]
    fn every_day_for_530_years_matches_a_naive_calendar() {
        let leap =
            |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        let length = |y: u64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let (mut y, mut m, mut d) = (1970u64, 1u32, 1u32);
        let mut days = 0u64;
        while y < 2500 {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            assert_eq!(days_from_civil(y, m, d), days);
            let period = ((y - 1970) * 12) as PeriodIndex + m - 1;
            assert_eq!(period_of(days * DAY_MS), period);
            assert_eq!(period_of(days * DAY_MS + DAY_MS - 1), period);
            if d == 1 {
                assert_eq!(period_start(period), days * DAY_MS);
            }
            days += 1;
            d += 1;
            if d > length(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn the_far_future_saturates_instead_of_wrapping() {
        assert_eq!(period_of(Moment::MAX), PeriodIndex::MAX);
        let p = period_of(Moment::MAX / 2);
        assert!(p > 1_000_000);
        assert_eq!(period_of(period_start(p)), p);
    }
}
