//! Invariant checks that pallets expose (`check_invariants`), run by tests after every test and
//! every random step, and available to the node as an on-chain audit.

/// An invariant that does not hold, with what was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvariantViolation {
    /// Which invariant.
    pub invariant: &'static str,
    /// Values that show the violation (e.g. expected and found totals), for the report.
    pub details: [u128; 2],
}

impl InvariantViolation {
    pub fn new(invariant: &'static str, expected: u128, found: u128) -> Self {
        Self {
            invariant,
            details: [expected, found],
        }
    }
}

/// `Ok` when `condition` holds, else a violation of `invariant` with `expected`/`found`.
pub fn ensure_invariant(
    condition: bool,
    invariant: &'static str,
    expected: u128,
    found: u128,
) -> Result<(), InvariantViolation> {
    if condition {
        Ok(())
    } else {
        Err(InvariantViolation::new(invariant, expected, found))
    }
}
