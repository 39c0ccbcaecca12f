//! The currency pallet's genesis: the initial balances, checked before anything is written.

use crate::{Config, Pallet, TotalIssuance};
use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// Initial balances (`"balances": [["5Grw…", 1000000000000000], …]` in a chain spec).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    pub balances: Vec<(AccountId, Balance)>,
}

/// Why a genesis configuration is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// An account is listed twice.
    DuplicateAccount(AccountId),
    /// An account's balance is below the existential deposit.
    BelowExistentialDeposit(AccountId),
    /// The balances add up to more than a `u128`.
    IssuanceOverflow,
}

impl GenesisConfig {
    /// Checks the whole configuration, then endows every account and the treasury (with the
    /// existential deposit, if not listed) and sets the total issuance.
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        // A set, not a list: chain specs with a million endowed accounts are checked in
        // O(n log n).
        let mut seen: BTreeSet<&AccountId> = BTreeSet::new();
        let mut issuance: Balance = 0;
        for (who, amount) in &self.balances {
            if !seen.insert(who) {
                return Err(GenesisError::DuplicateAccount(*who));
            }
            if *amount < T::EXISTENTIAL_DEPOSIT {
                return Err(GenesisError::BelowExistentialDeposit(*who));
            }
            issuance = issuance
                .checked_add(*amount)
                .ok_or(GenesisError::IssuanceOverflow)?;
        }
        let mut endowments: Vec<(AccountId, Balance)> = self.balances.clone();
        if !seen.contains(&&T::TREASURY) {
            issuance = issuance
                .checked_add(T::EXISTENTIAL_DEPOSIT)
                .ok_or(GenesisError::IssuanceOverflow)?;
            endowments.push((T::TREASURY, T::EXISTENTIAL_DEPOSIT));
        }
        for (who, amount) in &endowments {
            // Checked above: each amount reaches the existential deposit and the sum fits.
            Pallet::<T>::do_mint(who, *amount).map_err(|_| GenesisError::IssuanceOverflow)?;
        }
        debug_assert_eq!(TotalIssuance::get(), issuance);
        Ok(())
    }
}
