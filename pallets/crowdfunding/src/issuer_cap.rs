//! The issuer cap (ECSP art. 1(2)(c): EUR 5 000 000 per project owner over 12 months; Reg CF
//! the same in USD): across all its campaigns an issuer may raise at most `ISSUER_CAP` within
//! `LIMIT_WINDOW`, a true rolling window of 365 days.
//!
//! Approval is where an offer is made, so it is checked there: the money the issuer's funded
//! campaigns raised within the window, plus the hard caps of its approved campaigns still
//! open (each may raise that much), plus the new campaign's hard cap must not exceed the cap
//! (`IssuerCapExceeded`). Approval reserves the hard cap (`Offerings`); when the campaign
//! closes the reservation ends, and a funded campaign's settled money counts from then on for
//! `LIMIT_WINDOW`. Counting hard caps, not expected raises, keeps the check true whatever the
//! open campaigns still raise.

use crate::types::*;
use crate::{Config, Error, IssuerLedgers, Offerings, Pallet};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// Reserves `campaign`'s hard cap in its issuer's ledger, or fails with
    /// `IssuerCapExceeded` when that would take the issuer above `ISSUER_CAP`.
    pub(crate) fn reserve_offering(id: CampaignId, campaign: &Campaign) -> DispatchResult {
        let mut ledger = IssuerLedgers::get(&campaign.issuer).unwrap_or_default();
        let hard_cap = campaign.terms.hard_cap;
        let offering = ledger
            .offering
            .checked_add(hard_cap)
            .ok_or(ArithmeticError::Overflow)?;
        let total = Self::sum_in_window(&ledger.raised)?
            .checked_add(offering)
            .ok_or(ArithmeticError::Overflow)?;
        Self::ensure(total <= T::ISSUER_CAP, Error::IssuerCapExceeded)?;
        ledger.offering = offering;
        IssuerLedgers::insert(&campaign.issuer, &ledger);
        Offerings::insert(&id, &hard_cap);
        Ok(())
    }

    /// Ends a closing campaign's reservation; a funded one's settled money now counts as
    /// raised for `LIMIT_WINDOW`.
    pub(crate) fn end_offering(id: CampaignId, campaign: &Campaign) -> DispatchResult {
        let Some(reserved) = Offerings::take(&id) else {
            // Never approved (a cancelled draft or submission): nothing was reserved.
            return Ok(());
        };
        let mut ledger = IssuerLedgers::get(&campaign.issuer).unwrap_or_default();
        ledger.offering = ledger
            .offering
            .checked_sub(reserved)
            .ok_or(ArithmeticError::Underflow)?;
        if campaign.settled > 0 {
            Self::record_settled(&mut ledger.raised, campaign.settled)?;
        } else {
            let now = T::now();
            ledger.raised.retain(|entry| Self::in_window(entry.at, now));
        }
        if ledger.offering == 0 && ledger.raised.is_empty() {
            IssuerLedgers::remove(&campaign.issuer);
        } else {
            IssuerLedgers::insert(&campaign.issuer, &ledger);
        }
        Ok(())
    }
}
