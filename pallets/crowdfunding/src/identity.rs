//! The identity-and-claims registry: trusted claim issuers (set by Root) attest an account's
//! KYC status, investor category and investment limit with an expiry; claims can be revoked.
//! Campaigns and share transfers read them; the investor ledger here enforces the rolling
//! 12-month limit across all campaigns.

use crate::types::{Claim, InvestorCategory, KycStatus};
use crate::{
    ClaimIssuers, Claims, Config, Error, Event, InvestorLedger, InvestorLedgers, Pallet,
    SettledInvestment,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// Root trusts `issuer` to issue claims.
    pub(crate) fn add_claim_issuer(origin: Origin, issuer: AccountId) -> DispatchResult {
        ensure_root(&origin)?;
        Self::ensure(
            !ClaimIssuers::contains_key(&issuer),
            Error::AlreadyClaimIssuer,
        )?;
        ClaimIssuers::insert(&issuer, &());
        Self::deposit_event(Event::ClaimIssuerAdded { issuer });
        Ok(())
    }

    /// Root stops trusting `issuer`: its claims stop counting at once (they stay stored).
    pub(crate) fn remove_claim_issuer(origin: Origin, issuer: AccountId) -> DispatchResult {
        ensure_root(&origin)?;
        Self::ensure(ClaimIssuers::contains_key(&issuer), Error::NotClaimIssuer)?;
        ClaimIssuers::remove(&issuer);
        Self::deposit_event(Event::ClaimIssuerRemoved { issuer });
        Ok(())
    }

    /// A trusted issuer attests `subject`'s identity, replacing any earlier claim.
    pub(crate) fn issue_claim(
        origin: Origin,
        subject: AccountId,
        kyc: KycStatus,
        category: InvestorCategory,
        investment_limit: Option<Balance>,
        expires_at: Moment,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        Self::ensure(ClaimIssuers::contains_key(&issuer), Error::NotClaimIssuer)?;
        Self::ensure(expires_at > T::now(), Error::InvalidDate)?;
        Claims::insert(
            &subject,
            &Claim {
                issuer,
                kyc,
                category,
                investment_limit,
                expires_at,
            },
        );
        Self::deposit_event(Event::ClaimIssued {
            subject,
            issuer,
            kyc,
            category,
            investment_limit,
            expires_at,
        });
        Ok(())
    }

    /// The claim's issuer or Root removes `subject`'s claim.
    pub(crate) fn revoke_claim(origin: Origin, subject: AccountId) -> DispatchResult {
        let by_root = ensure_root(&origin).is_ok();
        let caller = if by_root {
            None
        } else {
            Some(ensure_signed(&origin)?)
        };
        let claim = Claims::get(&subject).ok_or_else(|| Self::error(Error::NoClaim))?;
        Self::ensure(
            by_root || caller == Some(claim.issuer),
            Error::NotClaimOwner,
        )?;
        Claims::remove(&subject);
        Self::deposit_event(Event::ClaimRevoked {
            subject,
            issuer: claim.issuer,
        });
        Ok(())
    }

    /// `who`'s claim if it counts now: its issuer is trusted, it says `Verified` and it has
    /// not expired.
    pub fn valid_claim(who: &AccountId) -> Option<Claim> {
        Claims::get(who).filter(|claim| {
            claim.kyc == KycStatus::Verified
                && claim.expires_at > T::now()
                && ClaimIssuers::contains_key(&claim.issuer)
        })
    }

    /// Whether an investment settled `at` still counts at `now`: a true rolling window of
    /// `LIMIT_WINDOW` (the old 12 × 30-day buckets dropped money after 330 to 360 days).
    pub(crate) fn in_window(at: Moment, now: Moment) -> bool {
        // Saturating: an `at` near `Moment::MAX` simply never expires.
        now < at.saturating_add(T::LIMIT_WINDOW)
    }

    /// Σ settled within the rolling window.
    pub fn settled_in_window(ledger: &InvestorLedger) -> Result<Balance, DispatchError> {
        Self::sum_in_window(&ledger.settled)
    }

    /// Σ of the entries within the rolling window.
    pub(crate) fn sum_in_window(entries: &[SettledInvestment]) -> Result<Balance, DispatchError> {
        let now = T::now();
        entries
            .iter()
            .filter(|entry| Self::in_window(entry.at, now))
            .try_fold(0u128, |sum, entry| sum.checked_add(entry.amount))
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// Checks that `who` may commit `amount` more: `settled in window + active + amount`
    /// must stay within the claim's limit.
    pub(crate) fn check_investment_limit(
        who: &AccountId,
        claim: &Claim,
        amount: Balance,
    ) -> DispatchResult {
        let Some(limit) = claim.investment_limit else {
            return Ok(());
        };
        let ledger = InvestorLedgers::get(who).unwrap_or_default();
        let used = Self::settled_in_window(&ledger)?
            .checked_add(ledger.active)
            .and_then(|used| used.checked_add(amount))
            .ok_or(ArithmeticError::Overflow)?;
        Self::ensure(used <= limit, Error::InvestmentLimitExceeded)
    }

    /// `who`'s ledger with `add` more and `sub` less active commitment (checked).
    pub(crate) fn ledger_with_active(
        who: &AccountId,
        add: Balance,
        sub: Balance,
    ) -> Result<InvestorLedger, DispatchError> {
        let mut ledger = InvestorLedgers::get(who).unwrap_or_default();
        ledger.active = ledger
            .active
            .checked_add(add)
            .and_then(|a| a.checked_sub(sub))
            .ok_or(ArithmeticError::Underflow)?;
        Ok(ledger)
    }

    /// Moves `amount` of `ledger`'s active commitment to a settled investment of now,
    /// dropping expired ones and keeping at most `MAX_LEDGER_ENTRIES`.
    pub(crate) fn ledger_settle(ledger: &mut InvestorLedger, amount: Balance) -> DispatchResult {
        ledger.active = ledger
            .active
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        Self::record_settled(&mut ledger.settled, amount)
    }

    /// Adds `amount` settled now to `entries` (oldest first), dropping expired ones and
    /// keeping at most `MAX_LEDGER_ENTRIES`.
    pub(crate) fn record_settled(
        entries: &mut Vec<SettledInvestment>,
        amount: Balance,
    ) -> DispatchResult {
        let now = T::now();
        entries.retain(|entry| Self::in_window(entry.at, now));
        match entries.last_mut().filter(|e| e.at == now) {
            Some(entry) => {
                entry.amount = entry
                    .amount
                    .checked_add(amount)
                    .ok_or(ArithmeticError::Overflow)?;
            }
            // Entries stay oldest first: block time never goes back.
            None => entries.push(SettledInvestment { at: now, amount }),
        }
        while entries.len() > T::MAX_LEDGER_ENTRIES as usize && entries.len() > 1 {
            // The oldest joins the next one and counts as long as it: the limit may be
            // stricter than the window, never looser.
            let oldest = entries.remove(0);
            if let Some(next) = entries.first_mut() {
                next.amount = next
                    .amount
                    .checked_add(oldest.amount)
                    .ok_or(ArithmeticError::Overflow)?;
            }
        }
        Ok(())
    }

    /// Stores a ledger, removing it when it is empty.
    pub(crate) fn store_ledger(who: &AccountId, ledger: &InvestorLedger) {
        if ledger.active == 0 && ledger.settled.is_empty() {
            InvestorLedgers::remove(who);
        } else {
            InvestorLedgers::insert(who, ledger);
        }
    }
}
