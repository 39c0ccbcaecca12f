//! The sudo pallet's invariant, checked after every test and every random step.

use crate::Key;
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::prelude::*;
use folio_pallet_support::storage::StorageItem;

/// `Key`, when present, decodes as exactly one account.
pub fn check_invariants() -> Result<(), InvariantViolation> {
    let Some(raw) = folio_primitives::io::storage_get(&Key::prefix()) else {
        return Ok(());
    };
    ensure_invariant(
        AccountId::decode(&mut raw.as_slice()).is_ok() && raw.len() == 32,
        "the sudo key is one account",
        32,
        raw.len() as u128,
    )
}
