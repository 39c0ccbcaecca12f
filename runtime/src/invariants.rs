//! Every pallet's invariants, checkable on chain (`FolioInvariants_check` through `state_call`):
//! an audit an operator or a test can run against any block, e.g. before and after an upgrade.

use crate::*;
use alloc::vec::Vec;
use folio_pallet_support::invariants::InvariantViolation;

/// One pallet's result: its name and, if an invariant is broken, which one and the two values
/// that show it.
pub type PalletCheck = (&'static str, Option<(&'static str, [u128; 2])>);

/// A pallet's invariant check.
type Check = fn() -> Result<(), InvariantViolation>;

/// Checks every pallet's invariants over the current state.
pub fn check_all() -> Vec<PalletCheck> {
    let checks: [(&'static str, Check); 7] = [
        (
            "Balances",
            folio_pallet_currency::invariants::check_invariants::<Runtime>,
        ),
        ("Sudo", folio_pallet_sudo::invariants::check_invariants),
        (
            "Governance",
            folio_pallet_governance::invariants::check_invariants::<Runtime>,
        ),
        (
            "Crowdfunding",
            folio_pallet_crowdfunding::invariants::check_invariants::<Runtime>,
        ),
        (
            "Invoices",
            folio_pallet_einvoice::invariants::check_invariants::<Runtime>,
        ),
        (
            "Bills",
            folio_pallet_bills::invariants::check_invariants::<Runtime>,
        ),
        ("System", || Ok(())),
    ];
    checks
        .into_iter()
        .map(|(name, check)| (name, check().err().map(|v| (v.invariant, v.details))))
        .collect()
}
