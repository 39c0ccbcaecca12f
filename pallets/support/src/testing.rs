//! Test helpers: build a state, run a test in it, then check every registered invariant.
//! Test-only code: failing loudly (panicking) is how it reports a broken invariant.
#![allow(clippy::panic)]

use folio_primitives::externalities::TestExternalities;

/// An invariant check: `Err` names what is broken.
pub type InvariantCheck = fn() -> Result<(), crate::invariants::InvariantViolation>;

/// Builds test state and re-checks invariants after the test body.
#[derive(Default)]
pub struct StateBuilder {
    ext: TestExternalities,
    checks: Vec<(&'static str, InvariantCheck)>,
}

impl StateBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    /// Runs setup code (e.g. a pallet's genesis build) in the state.
    pub fn setup(mut self, f: impl FnOnce()) -> Self {
        self.ext.execute_with(f);
        self.ext.commit_all();
        self
    }
    /// Registers an invariant to check after the test.
    pub fn invariant(mut self, name: &'static str, check: InvariantCheck) -> Self {
        self.checks.push((name, check));
        self
    }
    /// Runs `test`, then every invariant; panics (failing the test) on a violation.
    pub fn execute<R>(mut self, test: impl FnOnce() -> R) -> R {
        let checks = std::mem::take(&mut self.checks);
        self.ext.execute_with(|| {
            let result = test();
            for (name, check) in &checks {
                if let Err(violation) = check() {
                    panic!("invariant {name} violated: {violation:?}");
                }
            }
            result
        })
    }
    /// The state for tests that need several `execute_with` rounds.
    pub fn into_externalities(self) -> TestExternalities {
        self.ext
    }
}
