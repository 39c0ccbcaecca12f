//! Campaigns: the state machine, commitments on holds, amendments with reconfirmation, and the
//! resumable `settle` / `refund` / `release_unconfirmed` batches.
//!
//! Every call loads the campaign, applies the time-based transitions that are due
//! ([`Pallet::apply_time`]) in memory, validates, and only then writes. A call that fails thus
//! leaves even a due transition unwritten; `advance_campaign` writes it on its own.

use crate::types::*;
use crate::{
    Campaigns, CommitmentShares, CommitmentSlots, Commitments, Config, Error, Event,
    NextCampaignId, Pallet, Platform, RoundShares, RulesOf, ShareClasses, Shares,
};
use folio_pallet_support::currency::{Arrival, Currency, HoldReason};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    // ---- loading, time and storing ----

    pub(crate) fn campaign(id: CampaignId) -> Result<Campaign, DispatchError> {
        Campaigns::get(&id).ok_or_else(|| Self::error(Error::UnknownCampaign))
    }

    /// The campaign with every due time-based transition applied (not written), and the state
    /// it was stored in.
    pub(crate) fn advanced(id: CampaignId) -> Result<(Campaign, CampaignState), DispatchError> {
        let mut campaign = Self::campaign(id)?;
        let from = campaign.state;
        Self::apply_time(id, &mut campaign, T::now());
        Ok((campaign, from))
    }

    /// Applies the transitions that time alone causes: `Scheduled → Open` at the start,
    /// `Open ⇄ FinalWindow` around `deadline − LOCK_WINDOW`, and at the deadline
    /// `Succeeded` (raised ≥ soft cap) or `Failed`, unless unconfirmed commitments of an
    /// amendment still wait for `release_unconfirmed`, or a commitment's reflection period
    /// still runs (its revocation could still change the outcome). A paused campaign's clock
    /// stands still.
    pub fn apply_time(id: CampaignId, campaign: &mut Campaign, now: Moment) {
        Self::end_overlong_pause(campaign, now);
        if campaign.state == CampaignState::Scheduled && now >= campaign.terms.start {
            campaign.state = CampaignState::Open;
        }
        if matches!(
            campaign.state,
            CampaignState::Open | CampaignState::FinalWindow
        ) {
            let deadline = campaign.terms.deadline;
            campaign.state = if now >= deadline {
                if campaign.unconfirmed > 0 && campaign.reconfirm_until.is_some() {
                    CampaignState::FinalWindow
                } else if Self::reflecting(id, now) {
                    // Read only past the deadline: no other call pays for the key.
                    CampaignState::FinalWindow
                } else if campaign.raised >= campaign.terms.soft_cap {
                    CampaignState::Succeeded
                } else {
                    CampaignState::Failed
                }
            } else if now >= deadline.saturating_sub(T::LOCK_WINDOW) {
                CampaignState::FinalWindow
            } else {
                CampaignState::Open
            };
        }
    }

    /// A pause lasts at most `MAX_PAUSE`: then the campaign resumes by itself, its deadline
    /// (and a running reconfirmation window) moved by `MAX_PAUSE`, so the platform cannot
    /// lock investors' money indefinitely.
    fn end_overlong_pause(campaign: &mut Campaign, now: Moment) {
        let Some(paused_at) = campaign.paused_at else {
            return;
        };
        if campaign.state != CampaignState::Paused || now < paused_at.saturating_add(T::MAX_PAUSE) {
            return;
        }
        // Saturating: a deadline near `Moment::MAX` stays there (it is never reached).
        campaign.terms.deadline = campaign.terms.deadline.saturating_add(T::MAX_PAUSE);
        campaign.reconfirm_until = campaign
            .reconfirm_until
            .map(|until| until.saturating_add(T::MAX_PAUSE));
        campaign.paused_at = None;
        campaign.state = CampaignState::Open;
    }

    /// Closes a campaign whose batches are done (nothing active is left), returning the issuer
    /// deposit, then stores it and reports the state change.
    pub(crate) fn store(
        id: CampaignId,
        from: CampaignState,
        mut campaign: Campaign,
    ) -> DispatchResult {
        if campaign.raised == 0 {
            let outcome = match campaign.state {
                CampaignState::Succeeded | CampaignState::Settling => Some(Outcome::Funded),
                CampaignState::Failed | CampaignState::Cancelled | CampaignState::Refunding => {
                    Some(Outcome::Refunded)
                }
                _ => None,
            };
            if let Some(outcome) = outcome {
                campaign.state = CampaignState::Closed(outcome);
                Self::end_offering(id, &campaign)?;
                if campaign.deposit_held {
                    T::Currency::release(
                        HoldReason::IssuerDeposit,
                        &campaign.issuer,
                        campaign.deposit,
                    )?;
                    campaign.deposit_held = false;
                    Self::deposit_event(Event::IssuerDepositReturned {
                        campaign: id,
                        issuer: campaign.issuer,
                        amount: campaign.deposit,
                    });
                }
            }
        }
        let to = campaign.state;
        Campaigns::insert(&id, &campaign);
        if from != to {
            Self::deposit_event(Event::CampaignStateChanged {
                campaign: id,
                from,
                to,
            });
        }
        Ok(())
    }

    fn ensure_issuer(campaign: &Campaign, who: &AccountId) -> DispatchResult {
        Self::ensure(campaign.issuer == *who, Error::NotCampaignIssuer)
    }

    pub(crate) fn ensure_state(campaign: &Campaign, allowed: &[CampaignState]) -> DispatchResult {
        Self::ensure(allowed.contains(&campaign.state), Error::InvalidState)
    }

    fn ensure_limit(limit: u32) -> DispatchResult {
        Self::ensure(limit > 0 && limit <= T::MAX_BATCH, Error::InvalidLimit)
    }

    /// `amount` is a multiple of `price` (which is non-zero).
    fn multiple_of(amount: Balance, price: Balance) -> bool {
        amount.checked_rem(price) == Some(0)
    }

    /// A campaign's rules (the defaults if none are stored).
    pub fn rules_of(id: CampaignId) -> CampaignRules {
        RulesOf::get(&id).unwrap_or_default()
    }

    /// Checks terms for `issuer`: its own share class, consistent amounts, all multiples of
    /// the unit (the price, or with tiers the least common multiple of every price), and a
    /// deadline after `start + LOCK_WINDOW`.
    fn validate_terms(
        issuer: &AccountId,
        terms: &CampaignTerms,
        rules: &CampaignRules,
    ) -> DispatchResult {
        let share_class = Self::share_class(terms.share_class)?;
        Self::ensure(share_class.issuer == *issuer, Error::NotClassIssuer)?;
        Self::ensure(Self::terms_consistent(terms, rules), Error::InvalidTerms)
    }

    fn terms_consistent(terms: &CampaignTerms, rules: &CampaignRules) -> bool {
        let Some(p) = rules.unit(terms.price) else {
            return false;
        };
        terms.price > 0
            && terms.soft_cap > 0
            && terms.soft_cap <= terms.hard_cap
            && terms.min_commitment > 0
            && terms.min_commitment <= terms.max_commitment
            && [
                terms.soft_cap,
                terms.hard_cap,
                terms.min_commitment,
                terms.max_commitment,
            ]
            .iter()
            .all(|amount| Self::multiple_of(*amount, p))
            && terms
                .start
                .checked_add(T::LOCK_WINDOW)
                .is_some_and(|earliest| terms.deadline > earliest)
    }

    /// Checks rules against the campaign's terms: at most `MAX_TIERS` tiers with non-zero
    /// prices and strictly ascending ends within the hard cap, every amount (terms and tier
    /// ends) a multiple of the unit, and a vesting duration > 0 with the cliff within it.
    fn validate_rules(terms: &CampaignTerms, rules: &CampaignRules) -> DispatchResult {
        let unit = rules.unit(terms.price);
        let mut previous_end = 0u128;
        let mut tiers_ok = rules.tiers.len() <= MAX_TIERS;
        for tier in &rules.tiers {
            tiers_ok &= tier.price > 0
                && tier.up_to > previous_end
                && tier.up_to <= terms.hard_cap
                && unit.is_some_and(|unit| Self::multiple_of(tier.up_to, unit));
            previous_end = tier.up_to;
        }
        let vesting_ok = rules
            .vesting
            .is_none_or(|v| v.duration > 0 && v.cliff <= v.duration);
        Self::ensure(
            tiers_ok && vesting_ok && Self::terms_consistent(terms, rules),
            Error::InvalidRules,
        )
    }

    // ---- the issuer's draft and the platform's review ----

    /// Creates a draft campaign, holding the issuer deposit.
    pub(crate) fn create_campaign(origin: Origin, terms: CampaignTerms) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        Self::validate_terms(&issuer, &terms, &CampaignRules::default())?;
        let id = Self::peek_id::<NextCampaignId>()?;
        T::Currency::hold(HoldReason::IssuerDeposit, &issuer, T::CAMPAIGN_DEPOSIT)?;
        Self::bump_id::<NextCampaignId>(id);
        Campaigns::insert(
            &id,
            &Campaign {
                issuer,
                terms,
                state: CampaignState::Draft,
                deposit: T::CAMPAIGN_DEPOSIT,
                deposit_held: T::CAMPAIGN_DEPOSIT > 0,
                raised: 0,
                investors: 0,
                committed: 0,
                settled: 0,
                withdrawn: 0,
                refunded: 0,
                defaulted: 0,
                shares_minted: 0,
                slots: 0,
                cursor: 0,
                terms_version: 0,
                reconfirm_until: None,
                unconfirmed: 0,
                release_cursor: 0,
                paused_at: None,
            },
        );
        Self::deposit_event(Event::CampaignCreated {
            campaign: id,
            issuer,
            share_class: terms.share_class,
            deposit: T::CAMPAIGN_DEPOSIT,
        });
        Ok(())
    }

    /// Replaces a draft's terms.
    pub(crate) fn edit_campaign(
        origin: Origin,
        id: CampaignId,
        terms: CampaignTerms,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let mut campaign = Self::campaign(id)?;
        Self::ensure_issuer(&campaign, &issuer)?;
        Self::ensure_state(&campaign, &[CampaignState::Draft])?;
        let rules = Self::rules_of(id);
        Self::validate_terms(&issuer, &terms, &rules)?;
        // New terms can move the unit (the price) or the hard cap under the tiers already
        // set: the rules must still fit, or investors would pay for fractions of shares.
        Self::validate_rules(&terms, &rules)?;
        campaign.terms = terms;
        Campaigns::insert(&id, &campaign);
        Self::deposit_event(Event::CampaignEdited { campaign: id });
        Ok(())
    }

    /// Sets a draft's rules (investor categories, category caps, price tiers, vesting); the
    /// defaults remove the entry.
    pub(crate) fn set_campaign_rules(
        origin: Origin,
        id: CampaignId,
        rules: CampaignRules,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let campaign = Self::campaign(id)?;
        Self::ensure_issuer(&campaign, &issuer)?;
        Self::ensure_state(&campaign, &[CampaignState::Draft])?;
        Self::validate_rules(&campaign.terms, &rules)?;
        if rules.is_default() {
            RulesOf::remove(&id);
        } else {
            RulesOf::insert(&id, &rules);
        }
        Self::deposit_event(Event::CampaignRulesSet {
            campaign: id,
            rules,
        });
        Ok(())
    }

    /// The issuer submits a draft for review.
    pub(crate) fn submit_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let mut campaign = Self::campaign(id)?;
        Self::ensure_issuer(&campaign, &issuer)?;
        Self::ensure_state(&campaign, &[CampaignState::Draft])?;
        Self::ensure(T::now() < campaign.terms.deadline, Error::DeadlinePassed)?;
        let from = campaign.state;
        campaign.state = CampaignState::PendingReview;
        Self::store(id, from, campaign)
    }

    /// The platform approves: the campaign is scheduled (and open at once if its start has
    /// come).
    pub(crate) fn approve_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let mut campaign = Self::campaign(id)?;
        Self::ensure_state(&campaign, &[CampaignState::PendingReview])?;
        let now = T::now();
        Self::ensure(now < campaign.terms.deadline, Error::DeadlinePassed)?;
        // A late approval must not eat the investors' offering period (and with it their
        // cancellation window): it counts from the approval or the later start.
        let opens = now.max(campaign.terms.start);
        Self::ensure(
            opens
                .checked_add(T::MIN_OFFERING_PERIOD)
                .is_some_and(|earliest| campaign.terms.deadline >= earliest),
            Error::OfferingPeriodTooShort,
        )?;
        Self::reserve_offering(id, &campaign)?;
        let from = campaign.state;
        campaign.state = CampaignState::Scheduled;
        Self::apply_time(id, &mut campaign, now);
        Self::store(id, from, campaign)
    }

    /// The platform rejects: the campaign goes back to draft for the issuer to edit.
    pub(crate) fn reject_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let mut campaign = Self::campaign(id)?;
        Self::ensure_state(&campaign, &[CampaignState::PendingReview])?;
        let from = campaign.state;
        campaign.state = CampaignState::Draft;
        Self::store(id, from, campaign)
    }

    // ---- commitments ----

    /// Holds up to `amount` of the investor's balance for the campaign; filled partially when
    /// the hard cap leaves less room.
    pub(crate) fn commit(origin: Origin, id: CampaignId, amount: Balance) -> DispatchResult {
        let investor = ensure_signed(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[CampaignState::Open, CampaignState::FinalWindow],
        )?;
        Self::ensure(T::now() < campaign.terms.deadline, Error::DeadlinePassed)?;
        let claim =
            Self::valid_claim(&investor).ok_or_else(|| Self::error(Error::ClaimRequired))?;
        let rules = Self::rules_of(id);
        Self::ensure(
            rules.categories.contains(claim.category),
            Error::CategoryNotAllowed,
        )?;
        let terms = campaign.terms;
        let unit = rules.unit(terms.price).ok_or(ArithmeticError::Overflow)?;
        Self::ensure(
            amount > 0 && Self::multiple_of(amount, unit),
            Error::InvalidAmount,
        )?;
        let existing = Commitments::get(&id, &investor);
        let mut commitment = existing.unwrap_or_default();
        Self::ensure(
            commitment.amount == 0 || commitment.terms_version == campaign.terms_version,
            Error::ReconfirmationRequired,
        )?;
        let room = terms
            .hard_cap
            .checked_sub(campaign.raised)
            .ok_or(ArithmeticError::Underflow)?;
        Self::ensure(room > 0, Error::HardCapReached)?;
        let fill = amount.min(room);
        let total = commitment
            .amount
            .checked_add(fill)
            .ok_or(ArithmeticError::Overflow)?;
        Self::ensure(total >= terms.min_commitment, Error::BelowMinimum)?;
        Self::ensure(total <= terms.max_commitment, Error::AboveMaximum)?;
        Self::ensure(
            rules
                .category_caps
                .of(claim.category)
                .is_none_or(|cap| total <= cap),
            Error::AboveCategoryMaximum,
        )?;
        Self::check_investment_limit(&investor, &claim, fill)?;
        let new_investor = commitment.amount == 0;
        let mut share_class = Self::share_class(terms.share_class)?;
        if new_investor {
            // An existing holder takes no new place in the register.
            if !Shares::contains_key(&terms.share_class, &investor) {
                let holders = share_class
                    .holders
                    .checked_add(1)
                    .ok_or(ArithmeticError::Overflow)?;
                Self::ensure_holder_room(&share_class, holders)?;
            }
            share_class.pending_investors = share_class
                .pending_investors
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?;
            campaign.investors = campaign
                .investors
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?;
        }
        if existing.is_none() {
            commitment.slot = campaign.slots;
            campaign.slots = campaign
                .slots
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?;
        }
        // The amount's tier is fixed now, by its position in the raise (the active amount
        // before it): a small early commitment topped up late gets the late price for the
        // top-up. Released amounts free their place for later commitments; a tier is never
        // oversold, as the active amount priced below a tier's end never exceeds that end.
        let (bought, remainder) = rules
            .shares_for(terms.price, campaign.raised, fill)
            .ok_or(ArithmeticError::Overflow)?;
        // Zero by construction (every amount and tier end is a multiple of the unit).
        Self::ensure(remainder == 0, Error::InvalidAmount)?;
        let priced = CommitmentShares::get(&id, &investor)
            .unwrap_or(0)
            .checked_add(bought)
            .ok_or(ArithmeticError::Overflow)?;
        let ledger = Self::ledger_with_active(&investor, fill, 0)?;
        // ECSP art. 22 gives the right to non-sophisticated investors: Retail claims.
        let reflection = match claim.category {
            InvestorCategory::Retail => Some(Self::reflection_with(
                id,
                &investor,
                &commitment,
                fill,
                bought,
            )?),
            InvestorCategory::Sophisticated | InvestorCategory::Professional => None,
        };
        commitment.amount = total;
        commitment.terms_version = campaign.terms_version;
        commitment.committed = commitment
            .committed
            .checked_add(fill)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.raised = campaign
            .raised
            .checked_add(fill)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.committed = campaign
            .committed
            .checked_add(fill)
            .ok_or(ArithmeticError::Overflow)?;

        T::Currency::hold(HoldReason::CrowdfundingCommitment, &investor, fill)?;
        if existing.is_none() {
            CommitmentSlots::insert(&id, &commitment.slot, &investor);
        }
        Commitments::insert(&id, &investor, &commitment);
        CommitmentShares::insert(&id, &investor, &priced);
        if let Some(reflection) = reflection {
            Self::store_reflection(id, &investor, reflection);
        }
        Self::store_ledger(&investor, &ledger);
        ShareClasses::insert(&terms.share_class, &share_class);
        Self::deposit_event(Event::Committed {
            campaign: id,
            investor,
            amount: fill,
            requested: amount,
        });
        Self::store(id, from, campaign)
    }

    /// Releases an active commitment's hold and books it under `reason`. Updates `campaign`
    /// and `share_class` in memory; writes the commitment and the ledger.
    pub(crate) fn release_commitment(
        id: CampaignId,
        campaign: &mut Campaign,
        share_class: &mut ShareClass,
        investor: &AccountId,
        mut commitment: Commitment,
        reason: ReleaseReason,
    ) -> DispatchResult {
        let amount = commitment.amount;
        let ledger = Self::ledger_with_active(investor, 0, amount)?;
        commitment.released = commitment
            .released
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.raised = campaign
            .raised
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        let bucket = match reason {
            ReleaseReason::Cancelled | ReleaseReason::NotReconfirmed | ReleaseReason::Revoked => {
                &mut campaign.withdrawn
            }
            ReleaseReason::Refunded => &mut campaign.refunded,
            ReleaseReason::Defaulted => &mut campaign.defaulted,
        };
        *bucket = bucket
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.investors = campaign
            .investors
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        if commitment.terms_version < campaign.terms_version {
            campaign.unconfirmed = campaign
                .unconfirmed
                .checked_sub(1)
                .ok_or(ArithmeticError::Underflow)?;
        }
        share_class.pending_investors = share_class
            .pending_investors
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        commitment.amount = 0;

        T::Currency::release(HoldReason::CrowdfundingCommitment, investor, amount)?;
        Commitments::insert(&id, investor, &commitment);
        CommitmentShares::remove(&id, investor);
        Self::store_ledger(investor, &ledger);
        Self::deposit_event(Event::CommitmentReleased {
            campaign: id,
            investor: *investor,
            amount,
            reason,
        });
        Ok(())
    }

    /// The investor withdraws their whole commitment, until `deadline − LOCK_WINDOW` or while
    /// the campaign is paused.
    pub(crate) fn cancel_commitment(origin: Origin, id: CampaignId) -> DispatchResult {
        let investor = ensure_signed(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure(
            campaign.state != CampaignState::FinalWindow,
            Error::CommitmentLocked,
        )?;
        Self::ensure_state(&campaign, &[CampaignState::Open, CampaignState::Paused])?;
        // While paused investors may always leave: whatever made the platform pause may be
        // what they want to get away from, and the pause moves the deadline anyway.
        Self::ensure(
            campaign.state == CampaignState::Paused
                || T::now().saturating_add(T::LOCK_WINDOW) < campaign.terms.deadline,
            Error::CommitmentLocked,
        )?;
        let commitment = Commitments::get(&id, &investor)
            .filter(|c| c.amount > 0)
            .ok_or_else(|| Self::error(Error::NoCommitment))?;
        let mut share_class = Self::share_class(campaign.terms.share_class)?;
        Self::release_commitment(
            id,
            &mut campaign,
            &mut share_class,
            &investor,
            commitment,
            ReleaseReason::Cancelled,
        )?;
        ShareClasses::insert(&campaign.terms.share_class, &share_class);
        Self::store(id, from, campaign)
    }

    // ---- amendments ----

    /// The issuer changes a live campaign's terms: every commitment must be reconfirmed within
    /// `RECONFIRM_WINDOW`, and the deadline moves to at least `reconfirm_until + LOCK_WINDOW`.
    pub(crate) fn amend_terms(
        origin: Origin,
        id: CampaignId,
        amendment: Amendment,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_issuer(&campaign, &issuer)?;
        Self::ensure_state(
            &campaign,
            &[
                CampaignState::Open,
                CampaignState::FinalWindow,
                CampaignState::Paused,
            ],
        )?;
        let now = T::now();
        Self::ensure(now < campaign.terms.deadline, Error::DeadlinePassed)?;
        let window_over = campaign.reconfirm_until.is_some_and(|until| now >= until);
        Self::ensure(
            !(window_over && campaign.unconfirmed > 0),
            Error::PendingReleases,
        )?;
        let mut terms = campaign.terms;
        terms.soft_cap = amendment.soft_cap;
        terms.min_commitment = amendment.min_commitment;
        terms.max_commitment = amendment.max_commitment;
        terms.document = amendment.document;
        let reconfirm_until = now
            .checked_add(T::RECONFIRM_WINDOW)
            .ok_or(ArithmeticError::Overflow)?;
        let earliest_deadline = reconfirm_until
            .checked_add(T::LOCK_WINDOW)
            .ok_or(ArithmeticError::Overflow)?;
        terms.deadline = terms.deadline.max(earliest_deadline);
        Self::validate_terms(&issuer, &terms, &Self::rules_of(id))?;
        let terms_version = campaign
            .terms_version
            .checked_add(1)
            .ok_or(ArithmeticError::Overflow)?;

        campaign.terms = terms;
        campaign.terms_version = terms_version;
        campaign.reconfirm_until = Some(reconfirm_until);
        campaign.unconfirmed = campaign.investors;
        campaign.release_cursor = 0;
        Self::apply_time(id, &mut campaign, now);
        Self::deposit_event(Event::TermsAmended {
            campaign: id,
            terms_version,
            document: amendment.document,
            reconfirm_until,
            deadline: terms.deadline,
        });
        Self::store(id, from, campaign)
    }

    /// The investor agrees to the amended terms within the window.
    pub(crate) fn reconfirm(origin: Origin, id: CampaignId) -> DispatchResult {
        let investor = ensure_signed(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[
                CampaignState::Open,
                CampaignState::FinalWindow,
                CampaignState::Paused,
            ],
        )?;
        let mut commitment = Commitments::get(&id, &investor)
            .filter(|c| c.amount > 0)
            .ok_or_else(|| Self::error(Error::NoCommitment))?;
        Self::ensure(
            commitment.terms_version < campaign.terms_version,
            Error::AlreadyConfirmed,
        )?;
        Self::ensure(
            campaign
                .reconfirm_until
                .is_some_and(|until| T::now() < until),
            Error::ReconfirmationClosed,
        )?;
        campaign.unconfirmed = campaign
            .unconfirmed
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        commitment.terms_version = campaign.terms_version;
        Commitments::insert(&id, &investor, &commitment);
        Self::deposit_event(Event::CommitmentReconfirmed {
            campaign: id,
            investor,
            terms_version: campaign.terms_version,
        });
        Self::store(id, from, campaign)
    }

    /// Anyone releases, in a batch of at most `limit` investors, the commitments not
    /// reconfirmed when the window closed.
    pub(crate) fn release_unconfirmed(
        origin: Origin,
        id: CampaignId,
        limit: u32,
    ) -> DispatchResult {
        ensure_signed(&origin)?;
        Self::ensure_limit(limit)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[CampaignState::Open, CampaignState::FinalWindow],
        )?;
        let now = T::now();
        Self::ensure(
            campaign.unconfirmed > 0 && campaign.reconfirm_until.is_some_and(|until| now >= until),
            Error::ReconfirmationOpen,
        )?;
        let mut share_class = Self::share_class(campaign.terms.share_class)?;
        let mut visited = 0u32;
        while visited < limit
            && campaign.release_cursor < campaign.slots
            && campaign.unconfirmed > 0
        {
            let slot = campaign.release_cursor;
            if let Some(investor) = CommitmentSlots::get(&id, &slot) {
                if let Some(commitment) = Commitments::get(&id, &investor) {
                    if commitment.amount > 0 && commitment.terms_version < campaign.terms_version {
                        Self::release_commitment(
                            id,
                            &mut campaign,
                            &mut share_class,
                            &investor,
                            commitment,
                            ReleaseReason::NotReconfirmed,
                        )?;
                    }
                }
            }
            campaign.release_cursor = slot.saturating_add(1);
            visited = visited.saturating_add(1);
        }
        if campaign.unconfirmed == 0 {
            campaign.reconfirm_until = None;
        }
        Self::apply_time(id, &mut campaign, now);
        ShareClasses::insert(&campaign.terms.share_class, &share_class);
        Self::store(id, from, campaign)
    }

    // ---- the platform's and the issuer's interventions ----

    /// Root (governance) or the account governance granted the platform's powers.
    pub(crate) fn ensure_platform(origin: &Origin) -> DispatchResult {
        match origin {
            Origin::Root => Ok(()),
            Origin::Signed(who) if Platform::get() == Some(*who) => Ok(()),
            _ => Err(DispatchError::BadOrigin),
        }
    }

    /// Governance grants the platform's powers to `platform`, or withdraws them.
    pub(crate) fn set_platform(origin: Origin, platform: Option<AccountId>) -> DispatchResult {
        ensure_root(&origin)?;
        match platform {
            Some(who) => Platform::put(&who),
            None => Platform::kill(),
        }
        Self::deposit_event(Event::PlatformSet { platform });
        Ok(())
    }

    /// The platform pauses a live campaign: no commitments, and its clock stops.
    pub(crate) fn pause_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[CampaignState::Open, CampaignState::FinalWindow],
        )?;
        let now = T::now();
        Self::ensure(now < campaign.terms.deadline, Error::DeadlinePassed)?;
        campaign.state = CampaignState::Paused;
        campaign.paused_at = Some(now);
        Self::store(id, from, campaign)
    }

    /// The platform resumes a paused campaign; the deadline and any reconfirmation window
    /// move by the time it was paused.
    pub(crate) fn resume_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(&campaign, &[CampaignState::Paused])?;
        let now = T::now();
        let paused_for = now.saturating_sub(campaign.paused_at.unwrap_or(now));
        campaign.terms.deadline = campaign
            .terms
            .deadline
            .checked_add(paused_for)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.reconfirm_until = match campaign.reconfirm_until {
            Some(until) => Some(
                until
                    .checked_add(paused_for)
                    .ok_or(ArithmeticError::Overflow)?,
            ),
            None => None,
        };
        campaign.paused_at = None;
        campaign.state = CampaignState::Open;
        Self::apply_time(id, &mut campaign, now);
        Self::deposit_event(Event::CampaignResumed {
            campaign: id,
            deadline: campaign.terms.deadline,
        });
        Self::store(id, from, campaign)
    }

    /// The issuer (or the platform) cancels a campaign before its deadline decision; `refund`
    /// then releases every hold (a campaign without commitments closes at once).
    pub(crate) fn cancel_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        let by_platform = Self::ensure_platform(&origin).is_ok();
        let caller = if by_platform {
            None
        } else {
            Some(ensure_signed(&origin)?)
        };
        let (mut campaign, from) = Self::advanced(id)?;
        if let Some(caller) = caller {
            Self::ensure_issuer(&campaign, &caller)?;
        }
        Self::ensure_state(
            &campaign,
            &[
                CampaignState::Draft,
                CampaignState::PendingReview,
                CampaignState::Scheduled,
                CampaignState::Open,
                CampaignState::Paused,
                CampaignState::FinalWindow,
            ],
        )?;
        campaign.state = CampaignState::Cancelled;
        campaign.paused_at = None;
        Self::store(id, from, campaign)
    }

    /// Anyone writes the time-based transitions that are due.
    pub(crate) fn advance_campaign(origin: Origin, id: CampaignId) -> DispatchResult {
        ensure_signed(&origin)?;
        let (campaign, from) = Self::advanced(id)?;
        Self::ensure(campaign.state != from, Error::NothingToDo)?;
        Self::store(id, from, campaign)
    }

    // ---- the outcome ----

    /// Anyone settles up to `limit` investors of a succeeded campaign: each commitment's hold
    /// moves to the issuer and shares (amount ÷ price) are minted to the investor. The
    /// currency guarantees a pallet can always move its own hold (docs/decisions/0003), so a
    /// commitment never "defaults": if a move fails anyway, the whole call fails and changes
    /// nothing.
    pub(crate) fn settle(origin: Origin, id: CampaignId, limit: u32) -> DispatchResult {
        ensure_signed(&origin)?;
        Self::ensure_limit(limit)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[CampaignState::Succeeded, CampaignState::Settling],
        )?;
        campaign.state = CampaignState::Settling;
        let class = campaign.terms.share_class;
        let mut share_class = Self::share_class(class)?;
        let rules = Self::rules_of(id);
        let mut visited = 0u32;
        while visited < limit && campaign.cursor < campaign.slots && campaign.raised > 0 {
            let slot = campaign.cursor;
            if let Some(investor) = CommitmentSlots::get(&id, &slot) {
                if let Some(commitment) = Commitments::get(&id, &investor) {
                    if commitment.amount > 0 {
                        Self::settle_one(
                            id,
                            &mut campaign,
                            &mut share_class,
                            &rules,
                            &investor,
                            commitment,
                        )?;
                    }
                }
            }
            campaign.cursor = slot.saturating_add(1);
            visited = visited.saturating_add(1);
        }
        ShareClasses::insert(&class, &share_class);
        Self::store(id, from, campaign)
    }

    /// Settles one commitment: its hold moves to the issuer and the shares it bought when it
    /// was committed are minted.
    fn settle_one(
        id: CampaignId,
        campaign: &mut Campaign,
        share_class: &mut ShareClass,
        rules: &CampaignRules,
        investor: &AccountId,
        mut commitment: Commitment,
    ) -> DispatchResult {
        let amount = commitment.amount;
        // Priced when committed. A commitment made before prices were fixed at commit time
        // has no entry: it is priced by its settlement position, as it was then.
        let shares = match CommitmentShares::get(&id, investor) {
            Some(shares) => shares,
            None => {
                rules
                    .shares_for(campaign.terms.price, campaign.settled, amount)
                    .ok_or(ArithmeticError::Overflow)?
                    .0
            }
        };
        T::Currency::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            investor,
            &campaign.issuer,
            amount,
            Arrival::Free,
        )?;
        let mut ledger = Self::ledger_with_active(investor, 0, 0)?;
        Self::ledger_settle(&mut ledger, amount)?;
        commitment.settled = commitment
            .settled
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        commitment.amount = 0;
        campaign.raised = campaign
            .raised
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        campaign.settled = campaign
            .settled
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.shares_minted = campaign
            .shares_minted
            .checked_add(shares)
            .ok_or(ArithmeticError::Overflow)?;
        campaign.investors = campaign
            .investors
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        share_class.pending_investors = share_class
            .pending_investors
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        let round = RoundShares::get(&id, investor)
            .unwrap_or(0)
            .checked_add(shares)
            .ok_or(ArithmeticError::Overflow)?;
        Self::mint_shares(
            campaign.terms.share_class,
            share_class,
            *investor,
            shares,
            rules.vesting,
        )?;
        RoundShares::insert(&id, investor, &round);
        Commitments::insert(&id, investor, &commitment);
        CommitmentShares::remove(&id, investor);
        Self::store_ledger(investor, &ledger);
        Self::deposit_event(Event::CommitmentSettled {
            campaign: id,
            investor: *investor,
            amount,
            shares,
        });
        Ok(())
    }

    /// Anyone releases, in a batch of at most `limit` investors, the holds of a failed or
    /// cancelled campaign.
    pub(crate) fn refund(origin: Origin, id: CampaignId, limit: u32) -> DispatchResult {
        ensure_signed(&origin)?;
        Self::ensure_limit(limit)?;
        let (mut campaign, from) = Self::advanced(id)?;
        Self::ensure_state(
            &campaign,
            &[
                CampaignState::Failed,
                CampaignState::Cancelled,
                CampaignState::Refunding,
            ],
        )?;
        campaign.state = CampaignState::Refunding;
        let class = campaign.terms.share_class;
        let mut share_class = Self::share_class(class)?;
        let mut visited = 0u32;
        while visited < limit && campaign.cursor < campaign.slots && campaign.raised > 0 {
            let slot = campaign.cursor;
            if let Some(investor) = CommitmentSlots::get(&id, &slot) {
                if let Some(commitment) = Commitments::get(&id, &investor) {
                    if commitment.amount > 0 {
                        Self::release_commitment(
                            id,
                            &mut campaign,
                            &mut share_class,
                            &investor,
                            commitment,
                            ReleaseReason::Refunded,
                        )?;
                    }
                }
            }
            campaign.cursor = slot.saturating_add(1);
            visited = visited.saturating_add(1);
        }
        ShareClasses::insert(&class, &share_class);
        Self::store(id, from, campaign)
    }
}
