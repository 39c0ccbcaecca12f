//! Dividends: a distribution is announced with a record date and an expiry and funded by a
//! hold on the payer's balance at once; from the record date each holder claims
//! `amount × shares at the record date ÷ supply at the record date` (rounded down); after the
//! expiry the unclaimed rest is released to the payer.

use crate::types::*;
use crate::{
    Config, Distributions, DividendClaims, Error, Event, NextDistributionId, Pallet, ShareClasses,
};
use folio_pallet_support::currency::{Arrival, Currency, HoldReason};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    pub(crate) fn distribution(id: DistributionId) -> Result<Distribution, DispatchError> {
        Distributions::get(&id).ok_or_else(|| Self::error(Error::UnknownDistribution))
    }

    /// The class issuer announces a distribution of `amount`, held from its balance now.
    pub(crate) fn create_distribution(
        origin: Origin,
        class: ClassId,
        amount: Balance,
        record_date: Moment,
        expires_at: Moment,
    ) -> DispatchResult {
        let payer = ensure_signed(&origin)?;
        let mut share_class = Self::share_class(class)?;
        Self::ensure(share_class.issuer == payer, Error::NotClassIssuer)?;
        Self::ensure(amount > 0, Error::InvalidDistribution)?;
        Self::ensure(
            record_date > T::now() && expires_at > record_date,
            Error::InvalidDate,
        )?;
        let checkpoint = Self::check_checkpoint_room(&share_class)?;
        let id = Self::peek_id::<NextDistributionId>()?;
        T::Currency::hold(HoldReason::DividendFunds, &payer, amount)?;
        Self::bump_id::<NextDistributionId>(id);
        Self::add_checkpoint(class, &mut share_class, checkpoint, record_date);
        ShareClasses::insert(&class, &share_class);
        Distributions::insert(
            &id,
            &Distribution {
                share_class: class,
                payer,
                amount,
                checkpoint,
                record_date,
                expires_at,
                claimed: 0,
                remaining: amount,
                reclaimed: 0,
                closed: false,
            },
        );
        Self::deposit_event(Event::DistributionCreated {
            distribution: id,
            share_class: class,
            payer,
            amount,
            checkpoint,
            record_date,
            expires_at,
        });
        Ok(())
    }

    /// What `holder` may claim from `distribution` now (zero outside the claim period or once
    /// claimed).
    pub fn entitlement(id: DistributionId, holder: &AccountId) -> Result<Balance, DispatchError> {
        let distribution = Self::distribution(id)?;
        let now = T::now();
        if distribution.closed
            || now < distribution.record_date
            || now >= distribution.expires_at
            || DividendClaims::contains_key(&id, holder)
        {
            return Ok(0);
        }
        Self::pro_rata(&distribution, holder)
    }

    /// `amount × balance ÷ supply` at the checkpoint, rounded down.
    fn pro_rata(distribution: &Distribution, holder: &AccountId) -> Result<Balance, DispatchError> {
        let checkpoint = crate::Checkpoints::get(&distribution.checkpoint)
            .ok_or_else(|| Self::error(Error::UnknownDistribution))?;
        let supply = Self::supply_at(&checkpoint);
        let shares = Self::balance_at(distribution.checkpoint, distribution.share_class, holder);
        if supply == 0 || shares == 0 {
            return Ok(0);
        }
        // In 256 bits: `amount × shares` may exceed u128; the quotient never exceeds `amount`.
        Ok(
            crate::muldiv::mul_div_floor(distribution.amount, shares, supply)
                .ok_or(ArithmeticError::Overflow)?,
        )
    }

    /// A holder claims their share of a distribution, paid from the payer's hold.
    pub(crate) fn claim_dividend(origin: Origin, id: DistributionId) -> DispatchResult {
        let holder = ensure_signed(&origin)?;
        let mut distribution = Self::distribution(id)?;
        let now = T::now();
        Self::ensure(
            !distribution.closed
                && now >= distribution.record_date
                && now < distribution.expires_at,
            Error::NotClaimable,
        )?;
        Self::ensure(
            !DividendClaims::contains_key(&id, &holder),
            Error::AlreadyClaimed,
        )?;
        let amount = Self::pro_rata(&distribution, &holder)?;
        Self::ensure(amount > 0, Error::NothingToClaim)?;
        distribution.claimed = distribution
            .claimed
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        distribution.remaining = distribution
            .remaining
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        T::Currency::transfer_on_hold(
            HoldReason::DividendFunds,
            &distribution.payer,
            &holder,
            amount,
            Arrival::Free,
        )?;
        DividendClaims::insert(&id, &holder, &amount);
        Distributions::insert(&id, &distribution);
        Self::deposit_event(Event::DividendClaimed {
            distribution: id,
            holder,
            amount,
        });
        Ok(())
    }

    /// Anyone returns the unclaimed rest of an expired distribution to its payer; the
    /// distribution is finished and its checkpoint retired.
    pub(crate) fn reclaim_dividend(origin: Origin, id: DistributionId) -> DispatchResult {
        ensure_signed(&origin)?;
        let mut distribution = Self::distribution(id)?;
        Self::ensure(
            !distribution.closed && T::now() >= distribution.expires_at,
            Error::NotReclaimable,
        )?;
        let amount = distribution.remaining;
        distribution.reclaimed = distribution
            .reclaimed
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        distribution.remaining = 0;
        distribution.closed = true;
        T::Currency::release(HoldReason::DividendFunds, &distribution.payer, amount)?;
        Distributions::insert(&id, &distribution);
        Self::retire_checkpoint(distribution.share_class, distribution.checkpoint);
        Self::deposit_event(Event::DividendReclaimed {
            distribution: id,
            payer: distribution.payer,
            amount,
        });
        Ok(())
    }
}
