//! The reflection period (EU ECSP art. 22): for `REFLECTION_PERIOD` after committing an
//! amount, a non-sophisticated investor (a `Retail` claim when committing) may revoke it
//! without giving a reason, whatever the campaign's window (also in the final window, where
//! `cancel_commitment` is locked, and while paused). Sophisticated and professional investors
//! have no such right under the ECSP, and their commitments do not hold up the decision.
//!
//! Each amount (a first commitment or a top-up) has its own period: `commit` records it with
//! the shares it bought ([`Reflection`]), `revoke_commitment` releases every amount still in
//! its period, in full, and nothing older. So a small top-up in the final window cannot
//! reopen the exit for the whole commitment. The deadline decision waits until the campaign's
//! last period has ended (`ReflectionEnds`), so no revocation can come after the outcome.

use crate::types::*;
use crate::{
    CommitmentShares, Commitments, Config, Error, Event, Pallet, ReflectionEnds, Reflections,
    ShareClasses,
};
use folio_pallet_support::currency::{Currency, HoldReason};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// `at`'s amount is still in its reflection period at `now`.
    fn in_reflection(at: Moment, now: Moment) -> bool {
        // Saturating: an `at` near `Moment::MAX` simply never ends.
        now < at.saturating_add(T::REFLECTION_PERIOD)
    }

    /// A reflection period of one of the campaign's commitments still runs at `now`.
    pub(crate) fn reflecting(id: CampaignId, now: Moment) -> bool {
        ReflectionEnds::get(&id).is_some_and(|end| now < end)
    }

    /// The amounts of `commitment` still in their reflection period (a record made before its
    /// last release is stale: that money already left).
    fn live_reflection(
        id: CampaignId,
        investor: &AccountId,
        commitment: &Commitment,
    ) -> Reflection {
        let now = T::now();
        let mut reflection = Reflections::get(&id, investor)
            .filter(|r| r.released == commitment.released)
            .unwrap_or_default();
        reflection.released = commitment.released;
        reflection
            .recent
            .retain(|entry| Self::in_reflection(entry.at, now));
        reflection
    }

    /// The commitment's reflection record with `amount` (buying `shares`) committed now.
    /// Fails if `MAX_RECENT_COMMITMENTS` amounts are still in their period.
    pub(crate) fn reflection_with(
        id: CampaignId,
        investor: &AccountId,
        commitment: &Commitment,
        amount: Balance,
        shares: ShareAmount,
    ) -> Result<Reflection, DispatchError> {
        let mut reflection = Self::live_reflection(id, investor, commitment);
        if T::REFLECTION_PERIOD == 0 {
            return Ok(reflection);
        }
        let now = T::now();
        match reflection.recent.last_mut().filter(|e| e.at == now) {
            Some(entry) => {
                entry.amount = entry
                    .amount
                    .checked_add(amount)
                    .ok_or(ArithmeticError::Overflow)?;
                entry.shares = entry
                    .shares
                    .checked_add(shares)
                    .ok_or(ArithmeticError::Overflow)?;
            }
            None => {
                Self::ensure(
                    reflection.recent.len() < MAX_RECENT_COMMITMENTS,
                    Error::TooManyRecentCommitments,
                )?;
                // Oldest first: block time never goes back.
                reflection.recent.push(RecentCommitment {
                    at: now,
                    amount,
                    shares,
                });
            }
        }
        Ok(reflection)
    }

    /// Stores a commitment's reflection record (removed when nothing is in its period) and
    /// moves the campaign's last reflection end.
    pub(crate) fn store_reflection(id: CampaignId, investor: &AccountId, reflection: Reflection) {
        if reflection.recent.is_empty() {
            Reflections::remove(&id, investor);
            return;
        }
        Reflections::insert(&id, investor, &reflection);
        let end = T::now().saturating_add(T::REFLECTION_PERIOD);
        if ReflectionEnds::get(&id).is_none_or(|last| last < end) {
            ReflectionEnds::insert(&id, &end);
        }
    }

    /// The investor revokes every amount of their commitment still in its reflection period:
    /// those holds are released in full, with the shares they bought.
    pub(crate) fn revoke_commitment(origin: Origin, id: CampaignId) -> DispatchResult {
        let investor = ensure_signed(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[
                CampaignState::Open,
                CampaignState::Paused,
                CampaignState::FinalWindow,
            ],
        )?;
        let commitment = Commitments::get(&id, &investor)
            .filter(|c| c.amount > 0)
            .ok_or_else(|| Self::error(Error::NoCommitment))?;
        let reflection = Self::live_reflection(id, &investor, &commitment);
        let (amount, shares) = reflection
            .recent
            .iter()
            .try_fold((0u128, 0u128), |(amount, shares), entry| {
                Some((
                    amount.checked_add(entry.amount)?,
                    shares.checked_add(entry.shares)?,
                ))
            })
            .ok_or(ArithmeticError::Overflow)?;
        Self::ensure(amount > 0, Error::ReflectionPeriodOver)?;
        let mut share_class = Self::share_class(campaign.terms.share_class)?;
        if amount >= commitment.amount {
            Self::release_commitment(
                id,
                &mut campaign,
                &mut share_class,
                &investor,
                commitment,
                ReleaseReason::Revoked,
            )?;
            ShareClasses::insert(&campaign.terms.share_class, &share_class);
        } else {
            Self::release_part(id, &mut campaign, &investor, commitment, amount, shares)?;
        }
        Reflections::remove(&id, &investor);
        Self::store(id, from, campaign)
    }

    /// Releases `amount` (buying `shares`) of a larger active commitment: the investor stays
    /// an investor with the rest.
    fn release_part(
        id: CampaignId,
        campaign: &mut Campaign,
        investor: &AccountId,
        mut commitment: Commitment,
        amount: Balance,
        shares: ShareAmount,
    ) -> DispatchResult {
        let ledger = Self::ledger_with_active(investor, 0, amount)?;
        let priced = CommitmentShares::get(&id, investor)
            .unwrap_or(0)
            .checked_sub(shares)
            .ok_or(ArithmeticError::Underflow)?;
        commitment.amount = commitment
            .amount
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        commitment.released = commitment
            .released
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.raised = campaign
            .raised
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        campaign.withdrawn = campaign
            .withdrawn
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        T::Currency::release(HoldReason::CrowdfundingCommitment, investor, amount)?;
        Commitments::insert(&id, investor, &commitment);
        CommitmentShares::insert(&id, investor, &priced);
        Self::store_ledger(investor, &ledger);
        Self::deposit_event(Event::CommitmentReleased {
            campaign: id,
            investor: *investor,
            amount,
            reason: ReleaseReason::Revoked,
        });
        Ok(())
    }
}
