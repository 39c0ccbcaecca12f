//! The e-invoice pallet's genesis: issuers registered from the chain spec, checked before
//! anything is written.

use crate::call::valid_series;
use crate::types::{Issuer, SeriesCode, TaxId};
use crate::{Config, IssuerByTaxId, Issuers};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// The most lines the hand-set weights of `pay_and_issue` and `confirm_credit` account for.
pub const WEIGHED_MAX_LINES: u32 = 256;

/// An issuer registered at genesis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisIssuer {
    pub account: AccountId,
    pub tax_id: TaxId,
    pub name_hash: [u8; 32],
    pub series: Vec<SeriesCode>,
    pub default_quota: Balance,
}

/// Issuers registered at genesis (`"issuers": [{"account": "5Grw…", "tax_id": [..], …}]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    pub issuers: Vec<GenesisIssuer>,
}

/// Why a genesis configuration (or the runtime's constants) is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// An account is listed twice.
    DuplicateIssuer(AccountId),
    /// A tax id is listed twice.
    DuplicateTaxId(TaxId),
    /// An issuer's series are empty, too many or repeated.
    InvalidSeries(AccountId),
    /// `MAX_LINES` is zero or above [`WEIGHED_MAX_LINES`].
    InvalidConstants,
}

/// Checks the runtime's constants.
pub fn check_constants<T: Config>() -> Result<(), GenesisError> {
    if T::MAX_LINES == 0 || T::MAX_LINES > WEIGHED_MAX_LINES {
        return Err(GenesisError::InvalidConstants);
    }
    Ok(())
}

impl GenesisConfig {
    /// Checks the constants and the whole list, then registers every issuer.
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        check_constants::<T>()?;
        let mut accounts: Vec<&AccountId> = Vec::with_capacity(self.issuers.len());
        let mut tax_ids: Vec<&TaxId> = Vec::with_capacity(self.issuers.len());
        for issuer in &self.issuers {
            if accounts.contains(&&issuer.account) {
                return Err(GenesisError::DuplicateIssuer(issuer.account));
            }
            if tax_ids.contains(&&issuer.tax_id) {
                return Err(GenesisError::DuplicateTaxId(issuer.tax_id));
            }
            if !valid_series(&issuer.series, T::MAX_SERIES) {
                return Err(GenesisError::InvalidSeries(issuer.account));
            }
            accounts.push(&issuer.account);
            tax_ids.push(&issuer.tax_id);
        }
        for issuer in &self.issuers {
            Issuers::insert(
                &issuer.account,
                &Issuer {
                    tax_id: issuer.tax_id,
                    name_hash: H256(issuer.name_hash),
                    series: issuer.series.clone(),
                    default_quota: issuer.default_quota,
                },
            );
            IssuerByTaxId::insert(&issuer.tax_id, &issuer.account);
        }
        Ok(())
    }
}
