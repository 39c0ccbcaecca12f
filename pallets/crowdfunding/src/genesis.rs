//! The crowdfunding pallet's genesis: trusted claim issuers and initial claims (e.g. for a
//! dev chain), checked before anything is written.

use crate::types::{Claim, InvestorCategory, KycStatus};
use crate::{ClaimIssuers, Claims, Config};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// An initial claim (`{"subject": "5Grw…", "issuer": "5Fxx…", "kyc": "Verified", …}`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisClaim {
    pub subject: AccountId,
    pub issuer: AccountId,
    pub kyc: KycStatus,
    pub category: InvestorCategory,
    pub investment_limit: Option<Balance>,
    pub expires_at: Moment,
}

/// Initial claim issuers and claims.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisConfig {
    pub claim_issuers: Vec<AccountId>,
    pub claims: Vec<GenesisClaim>,
}

/// Why a genesis configuration is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// A claim issuer is listed twice.
    DuplicateClaimIssuer(AccountId),
    /// An account has two claims.
    DuplicateClaim(AccountId),
    /// A claim names an issuer that is not in `claim_issuers`.
    UntrustedIssuer(AccountId),
}

impl GenesisConfig {
    /// Checks the whole configuration, then stores the issuers and claims.
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        for (i, issuer) in self.claim_issuers.iter().enumerate() {
            if self
                .claim_issuers
                .iter()
                .take(i)
                .any(|other| other == issuer)
            {
                return Err(GenesisError::DuplicateClaimIssuer(*issuer));
            }
        }
        for (i, claim) in self.claims.iter().enumerate() {
            if self
                .claims
                .iter()
                .take(i)
                .any(|other| other.subject == claim.subject)
            {
                return Err(GenesisError::DuplicateClaim(claim.subject));
            }
            if !self.claim_issuers.contains(&claim.issuer) {
                return Err(GenesisError::UntrustedIssuer(claim.issuer));
            }
        }
        for issuer in &self.claim_issuers {
            ClaimIssuers::insert(issuer, &());
        }
        for claim in &self.claims {
            Claims::insert(
                &claim.subject,
                &Claim {
                    issuer: claim.issuer,
                    kyc: claim.kyc,
                    category: claim.category,
                    investment_limit: claim.investment_limit,
                    expires_at: claim.expires_at,
                },
            );
        }
        Ok(())
    }
}
