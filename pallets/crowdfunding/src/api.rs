//! Queries for dApps, exported by the runtime as `CrowdfundingApi_*` runtime API functions.
//! Each returns SCALE-encodable values and reads state as of the current block time (due
//! campaign transitions are applied in the answer, not written).

use crate::types::*;
use crate::{
    Campaigns, Claims, Commitments, Config, Distributions, InvestorLedgers, Motions, Pallet,
    ShareClasses, Shares,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// Most entries `cap_table` returns in one page.
pub const MAX_CAP_TABLE_PAGE: u32 = 1_000;

/// An investor's standing: their claim and how much of their rolling limit is left.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct InvestorStatus {
    /// The stored claim, valid or not.
    pub claim: Option<Claim>,
    /// Whether the claim counts now (trusted issuer, `Verified`, not expired).
    pub claim_valid: bool,
    /// Σ active commitments over all campaigns.
    pub active: Balance,
    /// Σ settled investments within the rolling window.
    pub settled_in_window: Balance,
    /// The limit of a valid claim (`None`: no limit, or no valid claim).
    pub limit: Option<Balance>,
    /// What may still be committed under the limit (`None`: unlimited or no valid claim).
    pub headroom: Option<Balance>,
}

/// `CrowdfundingApi_campaign`: a campaign with its terms, state and totals.
pub fn campaign<T: Config>(id: CampaignId) -> Option<Campaign> {
    let mut campaign = Campaigns::get(&id)?;
    Pallet::<T>::apply_time(id, &mut campaign, T::now());
    Some(campaign)
}

/// `CrowdfundingApi_commitment`: an investor's commitment to a campaign.
pub fn commitment<T: Config>(id: CampaignId, investor: AccountId) -> Option<Commitment> {
    Commitments::get(&id, &investor)
}

/// `CrowdfundingApi_investor_status`: an investor's claim, commitments and limit headroom.
pub fn investor_status<T: Config>(investor: AccountId) -> InvestorStatus {
    let claim = Claims::get(&investor);
    let valid = Pallet::<T>::valid_claim(&investor);
    let ledger = InvestorLedgers::get(&investor).unwrap_or_default();
    let settled_in_window = Pallet::<T>::settled_in_window(&ledger).unwrap_or(Balance::MAX);
    let limit = valid.and_then(|claim| claim.investment_limit);
    let headroom = limit.map(|limit| {
        limit
            .saturating_sub(settled_in_window)
            .saturating_sub(ledger.active)
    });
    InvestorStatus {
        claim,
        claim_valid: valid.is_some(),
        active: ledger.active,
        settled_in_window,
        limit,
        headroom,
    }
}

/// `CrowdfundingApi_share_class`: a share class with its supply and holder count.
pub fn share_class<T: Config>(share_class: ClassId) -> Option<ShareClass> {
    ShareClasses::get(&share_class)
}

/// `CrowdfundingApi_share_account`: a holder's shares (zero if none).
pub fn share_account<T: Config>(share_class: ClassId, holder: AccountId) -> ShareAccount {
    Shares::get(&share_class, &holder).unwrap_or_default()
}

/// `CrowdfundingApi_cap_table`: a page of `(holder, shares)`, skipping `skip` entries, at
/// most `min(limit, MAX_CAP_TABLE_PAGE)` (storage order, stable between blocks that do not
/// change the class).
pub fn cap_table<T: Config>(
    share_class: ClassId,
    skip: u32,
    limit: u32,
) -> Vec<(AccountId, ShareAccount)> {
    Shares::iter_prefix(&share_class)
        .skip(skip as usize)
        .take(limit.min(MAX_CAP_TABLE_PAGE) as usize)
        .collect()
}

/// `CrowdfundingApi_distribution`: a distribution with its claimed / remaining / reclaimed.
pub fn distribution<T: Config>(id: DistributionId) -> Option<Distribution> {
    Distributions::get(&id)
}

/// `CrowdfundingApi_claimable_dividend`: what a holder could claim now.
pub fn claimable_dividend<T: Config>(id: DistributionId, holder: AccountId) -> Balance {
    Pallet::<T>::entitlement(id, &holder).unwrap_or(0)
}

/// `CrowdfundingApi_motion`: a motion with its tally and status.
pub fn motion<T: Config>(id: MotionId) -> Option<Motion> {
    Motions::get(&id)
}
