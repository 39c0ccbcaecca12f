//! The arithmetic check: an invoice is accepted only if its lines, its VAT breakdown and its
//! totals add up exactly, in integer minor units.
//!
//! Rounding rule (EN 16931 BR-CO-10…17, computed per category, not per line):
//! - line net = `quantity × unit_price ÷ 1000`, rounded half-up to a minor unit
//!   (quantities carry three decimals);
//! - for each distinct (category, rate): taxable = Σ line nets, tax =
//!   `taxable × rate ÷ 10000`, rounded half-up (rates in hundredths of a percent);
//! - line total = Σ line nets; tax total = Σ category tax; gross = line total + tax total.
//!
//! "Half-up" on non-negative integers: a remainder of at least half the divisor rounds up
//! (`0.5 → 1`, `0.4999 → 0`). Nothing is ever negative: a credit note states positive amounts
//! and subtracts as a whole.

use crate::types::{
    CreditedAtRate, InvoiceLine, TaxCategory, TaxSubtotal, Totals, QUANTITY_SCALE, RATE_SCALE,
};
use crate::Error;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// `numerator ÷ divisor`, rounded half-up. `None` when `divisor` is zero.
pub fn div_half_up(numerator: u128, divisor: u128) -> Option<u128> {
    let quotient = numerator.checked_div(divisor)?;
    let remainder = numerator.checked_rem(divisor)?;
    // `remainder ≥ divisor − remainder` is `2 × remainder ≥ divisor` without overflow.
    if remainder >= divisor.checked_sub(remainder)? {
        quotient.checked_add(1)
    } else {
        Some(quotient)
    }
}

/// A line's net amount: `quantity × unit_price ÷ 1000`, half-up.
pub fn line_net(quantity: u64, unit_price: Balance) -> Result<Balance, Error> {
    u128::from(quantity)
        .checked_mul(unit_price)
        .and_then(|product| div_half_up(product, QUANTITY_SCALE))
        .ok_or(Error::AmountOverflow)
}

/// The tax of a category: `taxable × rate ÷ 10000`, half-up.
pub fn category_tax(taxable: Balance, rate: u32) -> Result<Balance, Error> {
    taxable
        .checked_mul(u128::from(rate))
        .and_then(|product| div_half_up(product, RATE_SCALE))
        .ok_or(Error::AmountOverflow)
}

/// Σ line nets per (category, rate).
type TaxableByRate = BTreeMap<(TaxCategory, u32), Balance>;

/// Σ line nets per (category, rate) and the line total. Checks each line's rate against its
/// category, its quantity and its net amount.
fn taxable_by_rate(lines: &[InvoiceLine]) -> Result<(TaxableByRate, Balance), Error> {
    let mut taxable = TaxableByRate::new();
    let mut line_total: Balance = 0;
    for line in lines {
        if line.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        if !line.category.accepts_rate(line.rate) {
            return Err(Error::InvalidTaxRate);
        }
        if line_net(line.quantity, line.unit_price)? != line.net {
            return Err(Error::LineNetMismatch);
        }
        let entry = taxable.entry((line.category, line.rate)).or_insert(0);
        *entry = entry.checked_add(line.net).ok_or(Error::AmountOverflow)?;
        line_total = line_total
            .checked_add(line.net)
            .ok_or(Error::AmountOverflow)?;
    }
    Ok((taxable, line_total))
}

/// The breakdown and totals of `lines` when each (category, rate)'s tax is `tax_of(key,
/// taxable)`, breakdown sorted by (category, rate).
fn compute_with(
    lines: &[InvoiceLine],
    mut tax_of: impl FnMut((TaxCategory, u32), Balance) -> Result<Balance, Error>,
) -> Result<(Vec<TaxSubtotal>, Totals), Error> {
    let (taxable, line_total) = taxable_by_rate(lines)?;
    let mut breakdown = Vec::with_capacity(taxable.len());
    let mut tax_total: Balance = 0;
    for ((category, rate), taxable) in taxable {
        let tax = tax_of((category, rate), taxable)?;
        tax_total = tax_total.checked_add(tax).ok_or(Error::AmountOverflow)?;
        breakdown.push(TaxSubtotal {
            category,
            rate,
            taxable,
            tax,
            exemption: None,
        });
    }
    let gross_total = line_total
        .checked_add(tax_total)
        .ok_or(Error::AmountOverflow)?;
    Ok((
        breakdown,
        Totals {
            line_total,
            tax_total,
            gross_total,
        },
    ))
}

/// The breakdown and totals the lines imply, breakdown sorted by (category, rate). Checks each
/// line's rate against its category, its quantity and its net amount.
pub fn compute(lines: &[InvoiceLine]) -> Result<(Vec<TaxSubtotal>, Totals), Error> {
    compute_with(lines, |(_, rate), taxable| category_tax(taxable, rate))
}

/// The breakdown and totals of a credit note of `lines` on an invoice whose earlier credit
/// notes reversed `before(key)` per (category, rate).
///
/// The tax of each (category, rate) is cumulative: `tax(before + taxable) − before.tax`, so
/// that after any sequence of partial credits the tax reversed is exactly the tax of the
/// taxable amount reversed, and crediting all of it reverses all of the tax charged (rounding
/// each partial credit on its own could leave tax without a taxable amount behind, or reverse
/// more tax than was charged). Refuses a (category, rate) the invoice did not charge or
/// credits beyond what it charged there, cumulatively.
pub fn compute_credit(
    lines: &[InvoiceLine],
    invoice: &[TaxSubtotal],
    before: impl Fn((TaxCategory, u32)) -> CreditedAtRate,
) -> Result<(Vec<TaxSubtotal>, Totals), Error> {
    compute_with(lines, |(category, rate), taxable| {
        let charged = invoice
            .iter()
            .find(|own| own.category == category && own.rate == rate)
            .ok_or(Error::CreditCategoryMismatch)?;
        let after = credited_after(before((category, rate)), taxable, rate)?;
        if after.taxable > charged.taxable || after.tax > charged.tax {
            return Err(Error::CreditExceedsCharged);
        }
        after
            .tax
            .checked_sub(before((category, rate)).tax)
            .ok_or(Error::AmountOverflow)
    })
}

/// What is credited in one (category, rate) after crediting `taxable` more at `rate`.
pub fn credited_after(
    before: CreditedAtRate,
    taxable: Balance,
    rate: u32,
) -> Result<CreditedAtRate, Error> {
    let taxable = before
        .taxable
        .checked_add(taxable)
        .ok_or(Error::AmountOverflow)?;
    Ok(CreditedAtRate {
        taxable,
        tax: category_tax(taxable, rate)?,
    })
}

/// Checks a stored credit note's own arithmetic: lines, the taxable amounts of its breakdown
/// and its totals add up (its tax is cumulative, see [`compute_credit`], and is checked
/// against the invoice's credited totals instead).
pub fn check_credit_note(
    lines: &[InvoiceLine],
    breakdown: &[TaxSubtotal],
    totals: &Totals,
    max_lines: u32,
) -> Result<(), Error> {
    if lines.is_empty() {
        return Err(Error::NoLines);
    }
    if lines.len() > max_lines as usize || breakdown.len() > max_lines as usize {
        return Err(Error::TooManyLines);
    }
    let given = amounts_only(breakdown);
    let (expected, expected_totals) = compute_with(lines, |key, _| {
        given
            .iter()
            .find(|entry| (entry.category, entry.rate) == key)
            .map(|entry| entry.tax)
            .ok_or(Error::TaxBreakdownMismatch)
    })?;
    if given != expected {
        return Err(Error::TaxBreakdownMismatch);
    }
    if *totals != expected_totals {
        return Err(Error::TotalsMismatch);
    }
    if totals.gross_total == 0 {
        return Err(Error::ZeroTotal);
    }
    Ok(())
}

/// The breakdown's amounts, sorted by (category, rate), without the exemption reasons
/// (checked apart, by [`crate::exemption::check`]).
pub fn amounts_only(breakdown: &[TaxSubtotal]) -> Vec<TaxSubtotal> {
    let mut amounts: Vec<TaxSubtotal> = breakdown
        .iter()
        .map(|entry| TaxSubtotal {
            exemption: None,
            ..*entry
        })
        .collect();
    amounts.sort();
    amounts
}

/// Checks that `breakdown` (in any order) and `totals` are exactly what `lines` imply, and
/// that the line count is within `1..=max_lines`.
pub fn check(
    lines: &[InvoiceLine],
    breakdown: &[TaxSubtotal],
    totals: &Totals,
    max_lines: u32,
) -> Result<(), Error> {
    if lines.is_empty() {
        return Err(Error::NoLines);
    }
    if lines.len() > max_lines as usize || breakdown.len() > max_lines as usize {
        return Err(Error::TooManyLines);
    }
    let (expected, expected_totals) = compute(lines)?;
    if amounts_only(breakdown) != expected {
        return Err(Error::TaxBreakdownMismatch);
    }
    if *totals != expected_totals {
        return Err(Error::TotalsMismatch);
    }
    if totals.gross_total == 0 {
        return Err(Error::ZeroTotal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: u64, unit_price: Balance, category: TaxCategory, rate: u32) -> InvoiceLine {
        InvoiceLine {
            quantity,
            unit_price,
            net: line_net(quantity, unit_price).unwrap(),
            category,
            rate,
            classification: [0; 8],
        }
    }

    #[test]
    fn half_up_rounds_exact_halves_up_and_below_half_down() {
        assert_eq!(div_half_up(5, 10), Some(1));
        assert_eq!(div_half_up(4, 10), Some(0));
        assert_eq!(div_half_up(15, 10), Some(2));
        assert_eq!(div_half_up(14, 10), Some(1));
        assert_eq!(div_half_up(0, 10), Some(0));
        assert_eq!(div_half_up(1, 3), Some(0));
        assert_eq!(div_half_up(2, 3), Some(1));
        assert_eq!(div_half_up(u128::MAX, 1), Some(u128::MAX));
        assert_eq!(div_half_up(u128::MAX, 2), Some(u128::MAX / 2 + 1));
        assert_eq!(div_half_up(1, 0), None);
    }

    #[test]
    fn line_net_uses_three_quantity_decimals() {
        // 1.5 × 3 = 4.5 → 5 (half-up); 1.499 × 3 = 4.497 → 4; 0.001 × 499 = 0.499 → 0.
        assert_eq!(line_net(1_500, 3), Ok(5));
        assert_eq!(line_net(1_499, 3), Ok(4));
        assert_eq!(line_net(1, 499), Ok(0));
        assert_eq!(line_net(1, 500), Ok(1));
        assert_eq!(line_net(u64::MAX, u128::MAX), Err(Error::AmountOverflow));
    }

    #[test]
    fn tax_is_rounded_per_category_not_per_line() {
        // Two lines of 5 at 19 %: per line 0.95 → 1 each (2), per category 10 × 19 % = 1.9 → 2.
        // Three lines of 5 at 10 %: per line 0.5 → 1 each (3), per category 1.5 → 2.
        let lines = vec![
            line(1_000, 5, TaxCategory::Standard, 1_000),
            line(1_000, 5, TaxCategory::Standard, 1_000),
            line(1_000, 5, TaxCategory::Standard, 1_000),
        ];
        let (breakdown, totals) = compute(&lines).unwrap();
        assert_eq!(breakdown.len(), 1);
        assert_eq!(breakdown[0].taxable, 15);
        assert_eq!(breakdown[0].tax, 2);
        assert_eq!(
            totals,
            Totals {
                line_total: 15,
                tax_total: 2,
                gross_total: 17
            }
        );
        assert_eq!(check(&lines, &breakdown, &totals, 10), Ok(()));
        let per_line = Totals {
            line_total: 15,
            tax_total: 3,
            gross_total: 18,
        };
        assert_eq!(
            check(&lines, &breakdown, &per_line, 10),
            Err(Error::TotalsMismatch)
        );
    }

    #[test]
    fn breakdown_order_is_free_but_entries_must_match_exactly() {
        let lines = vec![
            line(2_000, 1_000, TaxCategory::Standard, 1_900),
            line(1_000, 700, TaxCategory::Exempt, 0),
            line(1_000, 333, TaxCategory::Standard, 700),
        ];
        let (breakdown, totals) = compute(&lines).unwrap();
        assert_eq!(breakdown.len(), 3);
        let mut reversed = breakdown.clone();
        reversed.reverse();
        assert_eq!(check(&lines, &reversed, &totals, 10), Ok(()));
        // 333 × 7 % = 23.31 → 23.
        assert!(breakdown.iter().any(|b| b.rate == 700 && b.tax == 23));
        let mut missing = breakdown.clone();
        missing.pop();
        assert_eq!(
            check(&lines, &missing, &totals, 10),
            Err(Error::TaxBreakdownMismatch)
        );
        let mut extra = breakdown.clone();
        extra.push(breakdown[0]);
        assert_eq!(
            check(&lines, &extra, &totals, 10),
            Err(Error::TaxBreakdownMismatch)
        );
        let mut off_by_one = breakdown.clone();
        off_by_one[0].tax += 1;
        assert_eq!(
            check(&lines, &off_by_one, &totals, 10),
            Err(Error::TaxBreakdownMismatch)
        );
    }

    #[test]
    fn lines_are_checked_one_by_one() {
        let mut lines = vec![line(1_000, 100, TaxCategory::Standard, 1_900)];
        let (breakdown, totals) = compute(&lines).unwrap();
        lines[0].net = 101;
        assert_eq!(
            check(&lines, &breakdown, &totals, 10),
            Err(Error::LineNetMismatch)
        );
        lines[0].net = 100;
        lines[0].rate = 0;
        assert_eq!(
            check(&lines, &breakdown, &totals, 10),
            Err(Error::InvalidTaxRate)
        );
        lines[0].rate = 1_900;
        lines[0].category = TaxCategory::ZeroRated;
        assert_eq!(
            check(&lines, &breakdown, &totals, 10),
            Err(Error::InvalidTaxRate)
        );
        lines[0].category = TaxCategory::Standard;
        lines[0].quantity = 0;
        assert_eq!(
            check(&lines, &breakdown, &totals, 10),
            Err(Error::ZeroQuantity)
        );
    }

    #[test]
    fn line_count_is_bounded_and_totals_must_be_positive() {
        let lines = vec![line(1_000, 1, TaxCategory::Exempt, 0); 3];
        let (breakdown, totals) = compute(&lines).unwrap();
        assert_eq!(check(&lines, &breakdown, &totals, 3), Ok(()));
        assert_eq!(
            check(&lines, &breakdown, &totals, 2),
            Err(Error::TooManyLines)
        );
        assert_eq!(check(&[], &[], &Totals::default(), 3), Err(Error::NoLines));
        let free = vec![line(1_000, 0, TaxCategory::Exempt, 0)];
        let (breakdown, totals) = compute(&free).unwrap();
        assert_eq!(check(&free, &breakdown, &totals, 3), Err(Error::ZeroTotal));
    }

    #[test]
    fn overflowing_amounts_are_refused_not_wrapped() {
        let big = InvoiceLine {
            quantity: 1_000,
            unit_price: u128::MAX / 1_000,
            net: u128::MAX / 1_000,
            category: TaxCategory::Exempt,
            rate: 0,
            classification: [0; 8],
        };
        assert_eq!(
            compute(&[big.clone(), big.clone()]).map(|_| ()),
            Ok(()),
            "two fit"
        );
        let many = vec![big; 1_001];
        assert_eq!(compute(&many).map(|_| ()), Err(Error::AmountOverflow));
    }
}
