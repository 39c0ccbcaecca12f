//! The currency pallet's invariants, checked after every test and every random step, and
//! callable on chain as an audit.

use crate::{Config, Freezes, Holds, TotalIssuance};
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::prelude::*;
use folio_pallet_system::Account;

/// Checks every invariant of the currency pallet over the whole state.
pub fn check_invariants<T: Config>() -> Result<(), InvariantViolation> {
    let mut sum: Balance = 0;
    for (who, account) in Account::iter() {
        let data = account.data;
        let total = data.free.checked_add(data.reserved);
        ensure_invariant(total.is_some(), "account total fits in u128", 0, data.free)?;
        let total = total.unwrap_or_default();
        sum = sum.saturating_add(total);

        ensure_invariant(
            account.providers == 0 || total >= T::EXISTENTIAL_DEPOSIT,
            "live accounts hold at least the existential deposit",
            T::EXISTENTIAL_DEPOSIT,
            total,
        )?;

        let holds = Holds::get(&who);
        let held: Balance = holds.iter().fold(0, |acc, h| acc.saturating_add(h.amount));
        ensure_invariant(
            held == data.reserved,
            "held = sum of holds",
            data.reserved,
            held,
        )?;
        ensure_invariant(
            holds.len() <= T::MAX_HOLDS as usize,
            "at most MaxHolds holds",
            u128::from(T::MAX_HOLDS),
            holds.len() as u128,
        )?;

        let freezes = Freezes::get(&who);
        let frozen = freezes.iter().map(|f| f.amount).max().unwrap_or(0);
        ensure_invariant(
            frozen == data.frozen,
            "frozen = largest freeze",
            data.frozen,
            frozen,
        )?;
        // Freezes overlap holds and may exceed the total once a hold has been moved away;
        // what must hold is that every hold stays movable in full.
        ensure_invariant(
            data.reserved == 0 || data.free >= T::EXISTENTIAL_DEPOSIT,
            "accounts with holds keep the existential deposit free",
            T::EXISTENTIAL_DEPOSIT,
            data.free,
        )?;
    }
    for (who, holds) in Holds::iter() {
        ensure_invariant(
            Account::contains_key(&who) && !holds.is_empty(),
            "holds only on live accounts",
            1,
            0,
        )?;
    }
    let issuance = TotalIssuance::get();
    ensure_invariant(
        issuance == sum,
        "total issuance = sum of balances",
        issuance,
        sum,
    )
}
