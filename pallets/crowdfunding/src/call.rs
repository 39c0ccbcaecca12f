//! The calls of the crowdfunding pallet. Indices are grouped by part: 0.. claims, 10.. share
//! classes, 20.. campaigns, 40.. share transfers (and secondary trades), 50.. dividends, 60.. votes. Calls added
//! after the first release are declared last (so the variant list only grows) with an index
//! in their part's range.

use crate::types::*;
use crate::{weights, Config, Pallet};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// Dispatchable calls of the crowdfunding pallet. "Root" stands for the platform, the claim
/// registry's administrator or a court until governance grants those origins.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Trust `issuer` to issue identity claims.
    ///
    /// Origin: Root. Errors: `AlreadyClaimIssuer`. Emits `ClaimIssuerAdded`.
    #[codec(index = 0)]
    add_claim_issuer { issuer: AccountId },
    /// Stop trusting `issuer`; its claims stop counting.
    ///
    /// Origin: Root. Errors: `NotClaimIssuer`. Emits `ClaimIssuerRemoved`.
    #[codec(index = 1)]
    remove_claim_issuer { issuer: AccountId },
    /// Attest `subject`'s KYC status, category and investment limit until `expires_at`,
    /// replacing any earlier claim.
    ///
    /// Origin: a trusted claim issuer. Errors: `NotClaimIssuer`, `InvalidDate` (expiry not in
    /// the future). Emits `ClaimIssued`.
    #[codec(index = 2)]
    issue_claim {
        subject: AccountId,
        kyc: KycStatus,
        category: InvestorCategory,
        investment_limit: Option<Balance>,
        expires_at: Moment,
    },
    /// Remove `subject`'s claim.
    ///
    /// Origin: the claim's issuer or Root. Errors: `NoClaim`, `NotClaimOwner`. Emits
    /// `ClaimRevoked`.
    #[codec(index = 3)]
    revoke_claim { subject: AccountId },
    /// Create a share class; the caller becomes its issuer.
    ///
    /// Origin: signed. Errors: `InvalidShareClass` (`max_holders == 0`). Emits
    /// `ShareClassCreated`.
    #[codec(index = 10)]
    create_share_class {
        max_holders: u32,
        requires_claim: bool,
        lockup: Moment,
    },
    /// Create a draft campaign for one of the caller's share classes; holds the issuer
    /// deposit.
    ///
    /// Origin: signed (the class issuer). Errors: `UnknownClass`, `NotClassIssuer`,
    /// `InvalidTerms`, the currency's `InsufficientBalance`. Emits `CampaignCreated`.
    #[codec(index = 20)]
    create_campaign { terms: CampaignTerms },
    /// Replace a draft's terms.
    ///
    /// Origin: the campaign issuer. Errors: `UnknownCampaign`, `NotCampaignIssuer`,
    /// `InvalidState` (not a draft), `InvalidTerms`, `InvalidRules` (the draft's rules no
    /// longer fit the new terms). Emits `CampaignEdited`.
    #[codec(index = 21)]
    edit_campaign {
        campaign: CampaignId,
        terms: CampaignTerms,
    },
    /// Submit a draft for the platform's review.
    ///
    /// Origin: the campaign issuer. Errors: `UnknownCampaign`, `NotCampaignIssuer`,
    /// `InvalidState`, `DeadlinePassed`. Emits `CampaignStateChanged`.
    #[codec(index = 22)]
    submit_campaign { campaign: CampaignId },
    /// Approve a campaign under review: it is scheduled, or open if its start has come.
    ///
    /// Origin: Root (the platform). Errors: `UnknownCampaign`, `InvalidState`,
    /// `DeadlinePassed`, `OfferingPeriodTooShort` (less than `MIN_OFFERING_PERIOD` from now or
    /// the later start to the deadline). Emits `CampaignStateChanged`.
    #[codec(index = 23)]
    approve_campaign { campaign: CampaignId },
    /// Reject a campaign under review: back to draft.
    ///
    /// Origin: Root (the platform). Errors: `UnknownCampaign`, `InvalidState`. Emits
    /// `CampaignStateChanged`.
    #[codec(index = 24)]
    reject_campaign { campaign: CampaignId },
    /// Commit up to `amount` (a multiple of the price): it is held on the caller's balance,
    /// filled partially up to the hard cap.
    ///
    /// Origin: signed, with a valid claim. Errors: `UnknownCampaign`, `InvalidState`,
    /// `DeadlinePassed`, `ClaimRequired`, `InvalidAmount`, `ReconfirmationRequired`,
    /// `HardCapReached`, `BelowMinimum`, `AboveMaximum`, `InvestmentLimitExceeded`,
    /// `TooManyHolders`, the currency's `InsufficientBalance`. Emits `Committed`.
    #[codec(index = 25)]
    commit {
        campaign: CampaignId,
        #[codec(compact)]
        amount: Balance,
    },
    /// Withdraw the caller's whole commitment (until `deadline − LOCK_WINDOW`).
    ///
    /// Origin: signed (the investor). Errors: `UnknownCampaign`, `InvalidState`,
    /// `CommitmentLocked`, `NoCommitment`. Emits `CommitmentReleased { reason: Cancelled }`.
    #[codec(index = 26)]
    cancel_commitment { campaign: CampaignId },
    /// Materially change a live campaign's terms: every commitment must be reconfirmed
    /// within `RECONFIRM_WINDOW` or is released; the deadline moves past the window.
    ///
    /// Origin: the campaign issuer. Errors: `UnknownCampaign`, `NotCampaignIssuer`,
    /// `InvalidState`, `DeadlinePassed`, `PendingReleases`, `InvalidTerms`. Emits
    /// `TermsAmended`.
    #[codec(index = 27)]
    amend_terms {
        campaign: CampaignId,
        amendment: Amendment,
    },
    /// Agree to the amended terms.
    ///
    /// Origin: signed (the investor). Errors: `UnknownCampaign`, `InvalidState`,
    /// `NoCommitment`, `AlreadyConfirmed`, `ReconfirmationClosed`. Emits
    /// `CommitmentReconfirmed`.
    #[codec(index = 28)]
    reconfirm { campaign: CampaignId },
    /// Release up to `limit` commitments not reconfirmed in time (resumable).
    ///
    /// Origin: signed (anyone). Errors: `InvalidLimit`, `UnknownCampaign`, `InvalidState`,
    /// `ReconfirmationOpen`. Emits `CommitmentReleased { reason: NotReconfirmed }`.
    #[codec(index = 29)]
    release_unconfirmed { campaign: CampaignId, limit: u32 },
    /// Pause a live campaign: no commitments, the clock stops.
    ///
    /// Origin: Root (the platform). Errors: `UnknownCampaign`, `InvalidState`,
    /// `DeadlinePassed`. Emits `CampaignStateChanged`.
    #[codec(index = 30)]
    pause_campaign { campaign: CampaignId },
    /// Resume a paused campaign; its deadline moves by the paused time.
    ///
    /// Origin: Root (the platform). Errors: `UnknownCampaign`, `InvalidState`. Emits
    /// `CampaignResumed`, `CampaignStateChanged`.
    #[codec(index = 31)]
    resume_campaign { campaign: CampaignId },
    /// Cancel a campaign before its deadline decision; `refund` releases the holds.
    ///
    /// Origin: the campaign issuer or Root. Errors: `UnknownCampaign`, `NotCampaignIssuer`,
    /// `InvalidState`. Emits `CampaignStateChanged` (and `IssuerDepositReturned` when nothing
    /// is held).
    #[codec(index = 32)]
    cancel_campaign { campaign: CampaignId },
    /// Write the time-based transitions that are due (start, final window, deadline).
    ///
    /// Origin: signed (anyone). Errors: `UnknownCampaign`, `NothingToDo`. Emits
    /// `CampaignStateChanged`.
    #[codec(index = 33)]
    advance_campaign { campaign: CampaignId },
    /// Settle up to `limit` investors of a succeeded campaign: holds move to the issuer,
    /// shares are minted (resumable; closes the campaign when done).
    ///
    /// Origin: signed (anyone). Errors: `InvalidLimit`, `UnknownCampaign`, `InvalidState`.
    /// Emits `CommitmentSettled`, `CampaignStateChanged`, `IssuerDepositReturned`. A hold that
    /// cannot move fails the call; no commitment is released as defaulted.
    #[codec(index = 34)]
    settle { campaign: CampaignId, limit: u32 },
    /// Release up to `limit` holds of a failed or cancelled campaign (resumable; closes the
    /// campaign when done).
    ///
    /// Origin: signed (anyone). Errors: `InvalidLimit`, `UnknownCampaign`, `InvalidState`.
    /// Emits `CommitmentReleased { reason: Refunded }`, `CampaignStateChanged`,
    /// `IssuerDepositReturned`.
    #[codec(index = 35)]
    refund { campaign: CampaignId, limit: u32 },
    /// Transfer shares that are out of their lockup.
    ///
    /// Origin: signed (the holder). Errors: `UnknownClass`, `InvalidTransfer`,
    /// `InsufficientShares`, `SharesLocked`, `ClaimRequired` (recipient), `TooManyHolders`.
    /// Emits `SharesTransferred`.
    #[codec(index = 40)]
    transfer_shares {
        share_class: ClassId,
        to: AccountId,
        #[codec(compact)]
        amount: ShareAmount,
    },
    /// Move shares regardless of lockups and claims (e.g. a court order).
    ///
    /// Origin: Root. Errors: `UnknownClass`, `InvalidTransfer`, `InsufficientShares`,
    /// `TooManyHolders`. Emits `SharesForceTransferred`.
    #[codec(index = 41)]
    force_transfer_shares {
        share_class: ClassId,
        from: AccountId,
        to: AccountId,
        #[codec(compact)]
        amount: ShareAmount,
    },
    /// Announce a dividend of `amount` for holders at `record_date`, claimable until
    /// `expires_at`; the amount is held from the caller at once.
    ///
    /// Origin: the class issuer. Errors: `UnknownClass`, `NotClassIssuer`,
    /// `InvalidDistribution`, `InvalidDate`, `TooManyCheckpoints`, the currency's
    /// `InsufficientBalance`. Emits `DistributionCreated`.
    #[codec(index = 50)]
    create_distribution {
        share_class: ClassId,
        #[codec(compact)]
        amount: Balance,
        record_date: Moment,
        expires_at: Moment,
    },
    /// Claim the caller's dividend (shares at the record date × amount ÷ supply).
    ///
    /// Origin: signed (a holder at the record date). Errors: `UnknownDistribution`,
    /// `NotClaimable`, `AlreadyClaimed`, `NothingToClaim`. Emits `DividendClaimed`.
    #[codec(index = 51)]
    claim_dividend { distribution: DistributionId },
    /// Return the unclaimed rest of an expired distribution to its payer.
    ///
    /// Origin: signed (anyone). Errors: `UnknownDistribution`, `NotReclaimable`. Emits
    /// `DividendReclaimed`.
    #[codec(index = 52)]
    reclaim_dividend { distribution: DistributionId },
    /// Put a resolution to the holders of `class` at `record_date`.
    ///
    /// Origin: the class issuer. Errors: `UnknownClass`, `NotClassIssuer`, `InvalidMotion`,
    /// `InvalidDate`, `TooManyCheckpoints`. Emits `MotionCreated`.
    #[codec(index = 60)]
    create_motion {
        share_class: ClassId,
        proposal: H256,
        record_date: Moment,
        voting_ends: Moment,
        quorum_percent: u8,
        threshold_percent: u8,
    },
    /// Vote with the caller's shares at the record date.
    ///
    /// Origin: signed (a holder at the record date). Errors: `UnknownMotion`,
    /// `VotingClosed`, `AlreadyVoted`, `NoVotingPower`. Emits `Voted`.
    #[codec(index = 61)]
    vote { motion: MotionId, aye: bool },
    /// Count a motion after its voting period: Passed or Failed.
    ///
    /// Origin: signed (anyone). Errors: `UnknownMotion`, `NotClosable`. Emits
    /// `MotionClosed`.
    #[codec(index = 62)]
    close_motion { motion: MotionId },
    /// Admit as recipients of `transfer_shares` only holders of a valid claim in `categories`
    /// (`None`: any recipient, subject to `requires_claim`). Existing holdings are untouched.
    ///
    /// Origin: the class issuer. Errors: `UnknownClass`, `NotClassIssuer`. Emits
    /// `TransferCategoriesSet`.
    #[codec(index = 11)]
    set_transfer_categories {
        share_class: ClassId,
        categories: Option<CategorySet>,
    },
    /// Set a draft campaign's rules: admitted investor categories, per-category caps, price
    /// tiers and the round's vesting (the defaults remove the entry).
    ///
    /// Origin: the campaign issuer. Errors: `UnknownCampaign`, `NotCampaignIssuer`,
    /// `InvalidState` (not a draft), `InvalidRules`. Emits `CampaignRulesSet`.
    #[codec(index = 36)]
    set_campaign_rules {
        campaign: CampaignId,
        rules: CampaignRules,
    },
    /// Set (or with `None` remove) a holder's vesting schedule for a class, e.g. for a
    /// founders' agreement or a court order.
    ///
    /// Origin: Root. Errors: `UnknownClass`, `InvalidVesting`. Emits `VestingSet`.
    #[codec(index = 42)]
    set_vesting {
        share_class: ClassId,
        holder: AccountId,
        schedule: Option<VestingSchedule>,
    },
    /// Remove up to `limit` record-date balances of a retired checkpoint (its distribution
    /// reclaimed or its motion closed), and the checkpoint itself once none is left.
    ///
    /// Origin: signed (anyone). Errors: `InvalidLimit`, `UnknownCheckpoint`,
    /// `CheckpointInUse`. Emits `CheckpointPruned`.
    #[codec(index = 53)]
    prune_checkpoint {
        checkpoint: CheckpointId,
        limit: u32,
    },
    /// Grant the platform's powers (approve, reject, pause, resume and cancel campaigns) to
    /// `platform` beside Root, or withdraw them (`None`).
    ///
    /// Origin: Root (governance). Emits `PlatformSet`.
    #[codec(index = 37)]
    set_platform { platform: Option<AccountId> },
    /// Revoke, without reason, every amount of the caller's commitment committed within the
    /// last `REFLECTION_PERIOD` (ECSP art. 22: 4 days), in any window of a live campaign
    /// (also the final one and while paused); those holds are released in full.
    ///
    /// Origin: signed (the investor). Errors: `UnknownCampaign`, `InvalidState`,
    /// `NoCommitment`, `ReflectionPeriodOver`. Emits `CommitmentReleased { reason: Revoked }`.
    #[codec(index = 38)]
    revoke_commitment { campaign: CampaignId },
    /// Allot `amount` shares of a class to `to` outside a campaign (founders' or pre-existing
    /// shares), so the supply counts every holder; `document` is the hash of the instrument
    /// that created them. The class lockup and holder limit apply; claims do not.
    ///
    /// Origin: the platform or Root. Errors: `UnknownClass`, `InvalidTransfer` (zero),
    /// `TooManyHolders`. Emits `SharesAllotted`.
    #[codec(index = 43)]
    allot_shares {
        share_class: ClassId,
        to: AccountId,
        #[codec(compact)]
        amount: ShareAmount,
        document: H256,
    },
    /// Redeem (buy back and cancel) `amount` of `holder`'s shares at `price` each: the issuer
    /// pays `amount × price` to the holder from its free balance in the same extrinsic, and
    /// the supply falls by `amount`.
    ///
    /// Origin: the platform or Root. Errors: `UnknownClass`, `InvalidTransfer` (zero, or the
    /// issuer itself), `InsufficientShares`, the currency's errors (the issuer cannot pay).
    /// Emits `SharesRedeemed`.
    #[codec(index = 44)]
    redeem_shares {
        share_class: ClassId,
        holder: AccountId,
        #[codec(compact)]
        amount: ShareAmount,
        #[codec(compact)]
        price: Balance,
    },
    /// Offer `amount` of the caller's free shares of a class at `price` each, to `buyer`
    /// only if named (else to anyone the class's transfer rules admit). The shares stay in
    /// the caller's balance, set aside until the offer is accepted or withdrawn; no money
    /// moves yet.
    ///
    /// Origin: signed (the holder). Errors: `UnknownClass`, `InvalidOffer` (zero amount or
    /// price, the seller as buyer), `InsufficientShares`, `SharesLocked`, `SharesUnvested`,
    /// `SharesOffered` (already offered), `TooManyOffers`. Emits `SharesOffered`.
    #[codec(index = 45)]
    offer_shares {
        share_class: ClassId,
        #[codec(compact)]
        amount: ShareAmount,
        #[codec(compact)]
        price: Balance,
        buyer: Option<AccountId>,
    },
    /// Buy `amount` shares of an open offer (`None`: all that is left): the caller pays
    /// `amount × price` to the seller from their free balance and receives the shares, in
    /// this one extrinsic (delivery-versus-payment), or nothing changes.
    ///
    /// Origin: signed (the buyer). Errors: `UnknownOffer`, `NotOfferBuyer`, `InvalidOffer`
    /// (zero, more than offered, or the seller), `SharesLocked`, `SharesUnvested` (the
    /// seller's), `ClaimRequired`, `CategoryNotAllowed`, `TooManyHolders`, the currency's
    /// errors (the buyer cannot pay). Emits `OfferAccepted`.
    #[codec(index = 46)]
    accept_offer {
        offer: OfferId,
        amount: Option<ShareAmount>,
    },
    /// Withdraw what is left of an offer; the shares are free again.
    ///
    /// Origin: signed (the seller). Errors: `UnknownOffer`, `NotOfferSeller`. Emits
    /// `OfferWithdrawn`.
    #[codec(index = 47)]
    withdraw_offer { offer: OfferId },
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        let weight = match self {
            Self::add_claim_issuer { .. } => weights::add_claim_issuer(),
            Self::remove_claim_issuer { .. } => weights::remove_claim_issuer(),
            Self::issue_claim { .. } => weights::issue_claim(),
            Self::revoke_claim { .. } => weights::revoke_claim(),
            Self::create_share_class { .. } => weights::create_share_class(),
            Self::create_campaign { .. } => weights::create_campaign(),
            Self::edit_campaign { .. } => weights::edit_campaign(),
            Self::submit_campaign { .. } => weights::submit_campaign(),
            Self::approve_campaign { .. } => weights::approve_campaign(),
            Self::reject_campaign { .. } => weights::reject_campaign(),
            Self::commit { .. } => weights::commit(),
            Self::cancel_commitment { .. } => weights::cancel_commitment(),
            Self::amend_terms { .. } => weights::amend_terms(),
            Self::reconfirm { .. } => weights::reconfirm(),
            Self::release_unconfirmed { limit, .. } => weights::release_unconfirmed(*limit),
            Self::pause_campaign { .. } => weights::pause_campaign(),
            Self::resume_campaign { .. } => weights::resume_campaign(),
            Self::cancel_campaign { .. } => weights::cancel_campaign(),
            Self::advance_campaign { .. } => weights::advance_campaign(),
            Self::settle { limit, .. } => weights::settle(*limit),
            Self::refund { limit, .. } => weights::refund(*limit),
            Self::transfer_shares { .. } => weights::transfer_shares(),
            Self::force_transfer_shares { .. } => weights::force_transfer_shares(),
            Self::create_distribution { .. } => weights::create_distribution(),
            Self::claim_dividend { .. } => weights::claim_dividend(),
            Self::reclaim_dividend { .. } => weights::reclaim_dividend(),
            Self::create_motion { .. } => weights::create_motion(),
            Self::vote { .. } => weights::vote(),
            Self::close_motion { .. } => weights::close_motion(),
            Self::set_transfer_categories { .. } => weights::set_transfer_categories(),
            Self::set_campaign_rules { .. } => weights::set_campaign_rules(),
            Self::set_vesting { .. } => weights::set_vesting(),
            Self::prune_checkpoint { limit, .. } => weights::prune_checkpoint(*limit),
            Self::set_platform { .. } => weights::set_platform(),
            Self::revoke_commitment { .. } => weights::revoke_commitment(),
            Self::allot_shares { .. } => weights::allot_shares(),
            Self::redeem_shares { .. } => weights::redeem_shares(),
            Self::offer_shares { .. } => weights::offer_shares(),
            Self::accept_offer { .. } => weights::accept_offer(),
            Self::withdraw_offer { .. } => weights::withdraw_offer(),
        };
        DispatchInfo {
            weight,
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        }
    }
}

impl Call {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        type P<T> = Pallet<T>;
        match self {
            Self::add_claim_issuer { issuer } => P::<T>::add_claim_issuer(origin, issuer),
            Self::remove_claim_issuer { issuer } => P::<T>::remove_claim_issuer(origin, issuer),
            Self::issue_claim {
                subject,
                kyc,
                category,
                investment_limit,
                expires_at,
            } => P::<T>::issue_claim(origin, subject, kyc, category, investment_limit, expires_at),
            Self::revoke_claim { subject } => P::<T>::revoke_claim(origin, subject),
            Self::create_share_class {
                max_holders,
                requires_claim,
                lockup,
            } => P::<T>::create_share_class(origin, max_holders, requires_claim, lockup),
            Self::create_campaign { terms } => P::<T>::create_campaign(origin, terms),
            Self::edit_campaign { campaign, terms } => {
                P::<T>::edit_campaign(origin, campaign, terms)
            }
            Self::submit_campaign { campaign } => P::<T>::submit_campaign(origin, campaign),
            Self::approve_campaign { campaign } => P::<T>::approve_campaign(origin, campaign),
            Self::reject_campaign { campaign } => P::<T>::reject_campaign(origin, campaign),
            Self::commit { campaign, amount } => P::<T>::commit(origin, campaign, amount),
            Self::cancel_commitment { campaign } => P::<T>::cancel_commitment(origin, campaign),
            Self::amend_terms {
                campaign,
                amendment,
            } => P::<T>::amend_terms(origin, campaign, amendment),
            Self::reconfirm { campaign } => P::<T>::reconfirm(origin, campaign),
            Self::release_unconfirmed { campaign, limit } => {
                P::<T>::release_unconfirmed(origin, campaign, limit)
            }
            Self::pause_campaign { campaign } => P::<T>::pause_campaign(origin, campaign),
            Self::resume_campaign { campaign } => P::<T>::resume_campaign(origin, campaign),
            Self::cancel_campaign { campaign } => P::<T>::cancel_campaign(origin, campaign),
            Self::advance_campaign { campaign } => P::<T>::advance_campaign(origin, campaign),
            Self::settle { campaign, limit } => P::<T>::settle(origin, campaign, limit),
            Self::refund { campaign, limit } => P::<T>::refund(origin, campaign, limit),
            Self::transfer_shares {
                share_class,
                to,
                amount,
            } => P::<T>::transfer_shares(origin, share_class, to, amount),
            Self::force_transfer_shares {
                share_class,
                from,
                to,
                amount,
            } => P::<T>::force_transfer_shares(origin, share_class, from, to, amount),
            Self::create_distribution {
                share_class,
                amount,
                record_date,
                expires_at,
            } => P::<T>::create_distribution(origin, share_class, amount, record_date, expires_at),
            Self::claim_dividend { distribution } => P::<T>::claim_dividend(origin, distribution),
            Self::reclaim_dividend { distribution } => {
                P::<T>::reclaim_dividend(origin, distribution)
            }
            Self::create_motion {
                share_class,
                proposal,
                record_date,
                voting_ends,
                quorum_percent,
                threshold_percent,
            } => P::<T>::create_motion(
                origin,
                share_class,
                proposal,
                record_date,
                voting_ends,
                quorum_percent,
                threshold_percent,
            ),
            Self::vote { motion, aye } => P::<T>::vote(origin, motion, aye),
            Self::close_motion { motion } => P::<T>::close_motion(origin, motion),
            Self::set_transfer_categories {
                share_class,
                categories,
            } => P::<T>::set_transfer_categories(origin, share_class, categories),
            Self::set_campaign_rules { campaign, rules } => {
                P::<T>::set_campaign_rules(origin, campaign, rules)
            }
            Self::set_vesting {
                share_class,
                holder,
                schedule,
            } => P::<T>::set_vesting(origin, share_class, holder, schedule),
            Self::prune_checkpoint { checkpoint, limit } => {
                P::<T>::prune_checkpoint(origin, checkpoint, limit)
            }
            Self::set_platform { platform } => P::<T>::set_platform(origin, platform),
            Self::revoke_commitment { campaign } => P::<T>::revoke_commitment(origin, campaign),
            Self::allot_shares {
                share_class,
                to,
                amount,
                document,
            } => P::<T>::allot_shares(origin, share_class, to, amount, document),
            Self::redeem_shares {
                share_class,
                holder,
                amount,
                price,
            } => P::<T>::redeem_shares(origin, share_class, holder, amount, price),
            Self::offer_shares {
                share_class,
                amount,
                price,
                buyer,
            } => P::<T>::offer_shares(origin, share_class, amount, price, buyer),
            Self::accept_offer { offer, amount } => P::<T>::accept_offer(origin, offer, amount),
            Self::withdraw_offer { offer } => P::<T>::withdraw_offer(origin, offer),
        }?;
        Ok(().into())
    }
}
