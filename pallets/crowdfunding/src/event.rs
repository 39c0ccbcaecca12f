//! Events of the crowdfunding pallet: one for every state change a client would want to see.

use crate::types::*;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// What the crowdfunding pallet reports. Money movements also appear as the currency pallet's
/// `Held` / `Released` / `TransferOnHold` events.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// Root trusted a claim issuer.
    #[codec(index = 0)]
    ClaimIssuerAdded { issuer: AccountId },
    /// Root stopped trusting a claim issuer (its claims stop counting).
    #[codec(index = 1)]
    ClaimIssuerRemoved { issuer: AccountId },
    /// A claim was issued (replacing any previous claim of the subject).
    #[codec(index = 2)]
    ClaimIssued {
        subject: AccountId,
        issuer: AccountId,
        kyc: KycStatus,
        category: InvestorCategory,
        investment_limit: Option<Balance>,
        expires_at: Moment,
    },
    /// A claim was revoked.
    #[codec(index = 3)]
    ClaimRevoked {
        subject: AccountId,
        issuer: AccountId,
    },
    /// A share class was created.
    #[codec(index = 4)]
    ShareClassCreated {
        share_class: ClassId,
        issuer: AccountId,
        max_holders: u32,
        requires_claim: bool,
        lockup: Moment,
    },
    /// A campaign was created as a draft (its deposit held).
    #[codec(index = 5)]
    CampaignCreated {
        campaign: CampaignId,
        issuer: AccountId,
        share_class: ClassId,
        deposit: Balance,
    },
    /// A draft's terms were replaced.
    #[codec(index = 6)]
    CampaignEdited { campaign: CampaignId },
    /// A campaign moved from one state to another (by a call or because time passed).
    #[codec(index = 7)]
    CampaignStateChanged {
        campaign: CampaignId,
        from: CampaignState,
        to: CampaignState,
    },
    /// An investor committed `amount` (`requested` was asked; less when the hard cap was hit).
    #[codec(index = 8)]
    Committed {
        campaign: CampaignId,
        investor: AccountId,
        amount: Balance,
        requested: Balance,
    },
    /// A commitment's hold was released.
    #[codec(index = 9)]
    CommitmentReleased {
        campaign: CampaignId,
        investor: AccountId,
        amount: Balance,
        reason: ReleaseReason,
    },
    /// The issuer amended a live campaign: every commitment must be reconfirmed.
    #[codec(index = 10)]
    TermsAmended {
        campaign: CampaignId,
        terms_version: u32,
        document: H256,
        reconfirm_until: Moment,
        deadline: Moment,
    },
    /// An investor agreed to the amended terms.
    #[codec(index = 11)]
    CommitmentReconfirmed {
        campaign: CampaignId,
        investor: AccountId,
        terms_version: u32,
    },
    /// A commitment was paid to the issuer and `shares` were minted to the investor.
    #[codec(index = 12)]
    CommitmentSettled {
        campaign: CampaignId,
        investor: AccountId,
        amount: Balance,
        shares: ShareAmount,
    },
    /// The platform resumed a paused campaign; its deadline moved by the paused time.
    #[codec(index = 13)]
    CampaignResumed {
        campaign: CampaignId,
        deadline: Moment,
    },
    /// A closed campaign's issuer deposit was released.
    #[codec(index = 14)]
    IssuerDepositReturned {
        campaign: CampaignId,
        issuer: AccountId,
        amount: Balance,
    },
    /// Shares changed hands.
    #[codec(index = 15)]
    SharesTransferred {
        share_class: ClassId,
        from: AccountId,
        to: AccountId,
        amount: ShareAmount,
    },
    /// Root moved shares (e.g. by court order), ignoring lockups and claims.
    #[codec(index = 16)]
    SharesForceTransferred {
        share_class: ClassId,
        from: AccountId,
        to: AccountId,
        amount: ShareAmount,
    },
    /// A dividend distribution was announced and its funds held.
    #[codec(index = 17)]
    DistributionCreated {
        distribution: DistributionId,
        share_class: ClassId,
        payer: AccountId,
        amount: Balance,
        checkpoint: CheckpointId,
        record_date: Moment,
        expires_at: Moment,
    },
    /// A holder claimed their dividend.
    #[codec(index = 18)]
    DividendClaimed {
        distribution: DistributionId,
        holder: AccountId,
        amount: Balance,
    },
    /// The unclaimed rest of an expired distribution went back to the payer.
    #[codec(index = 19)]
    DividendReclaimed {
        distribution: DistributionId,
        payer: AccountId,
        amount: Balance,
    },
    /// A shareholder motion was put to a vote.
    #[codec(index = 20)]
    MotionCreated {
        motion: MotionId,
        share_class: ClassId,
        proposal: H256,
        checkpoint: CheckpointId,
        record_date: Moment,
        voting_ends: Moment,
        quorum_percent: u8,
        threshold_percent: u8,
    },
    /// A holder voted with their shares at the record date.
    #[codec(index = 21)]
    Voted {
        motion: MotionId,
        voter: AccountId,
        aye: bool,
        power: ShareAmount,
    },
    /// A motion's vote was counted.
    #[codec(index = 22)]
    MotionClosed {
        motion: MotionId,
        status: MotionStatus,
        ayes: ShareAmount,
        nays: ShareAmount,
        supply: ShareAmount,
    },
    /// A holder's vesting schedule for a class was set (by settlement of a vesting round, or
    /// by Root), or removed (`None`).
    #[codec(index = 23)]
    VestingSet {
        share_class: ClassId,
        holder: AccountId,
        schedule: Option<VestingSchedule>,
    },
    /// A draft campaign's rules were set.
    #[codec(index = 24)]
    CampaignRulesSet {
        campaign: CampaignId,
        rules: CampaignRules,
    },
    /// The categories a share class's transfer recipients must have were set (`None`: any).
    #[codec(index = 25)]
    TransferCategoriesSet {
        share_class: ClassId,
        categories: Option<CategorySet>,
    },
    /// Entries of a retired checkpoint were removed; `done` when nothing of it is left.
    #[codec(index = 26)]
    CheckpointPruned {
        checkpoint: CheckpointId,
        removed: u32,
        done: bool,
    },
    /// Governance granted the platform's powers to `platform` (or withdrew them: `None`).
    #[codec(index = 27)]
    PlatformSet { platform: Option<AccountId> },
    /// The platform allotted shares outside a campaign (founders', pre-existing) against the
    /// document with hash `document`.
    #[codec(index = 28)]
    SharesAllotted {
        share_class: ClassId,
        to: AccountId,
        amount: ShareAmount,
        document: H256,
    },
    /// The platform cancelled shares the issuer bought back; `paid` went from the issuer to
    /// the holder.
    #[codec(index = 29)]
    SharesRedeemed {
        share_class: ClassId,
        holder: AccountId,
        amount: ShareAmount,
        paid: Balance,
    },
    /// A holder offered `amount` shares at `price` each (to `buyer` only, if named); they are
    /// set aside in the seller's balance.
    #[codec(index = 30)]
    SharesOffered {
        offer: OfferId,
        share_class: ClassId,
        seller: AccountId,
        buyer: Option<AccountId>,
        amount: ShareAmount,
        price: Balance,
    },
    /// `buyer` accepted `amount` shares of an offer: the shares went to the buyer and `paid`
    /// (amount × price) to the seller in the same extrinsic; `remaining` are still offered.
    #[codec(index = 31)]
    OfferAccepted {
        offer: OfferId,
        share_class: ClassId,
        seller: AccountId,
        buyer: AccountId,
        amount: ShareAmount,
        paid: Balance,
        remaining: ShareAmount,
    },
    /// `amount` shares of an offer are no longer offered: the seller withdrew it, or a forced
    /// transfer took the shares; `remaining` are still offered (the offer is gone at zero).
    #[codec(index = 32)]
    OfferWithdrawn {
        offer: OfferId,
        share_class: ClassId,
        seller: AccountId,
        amount: ShareAmount,
        remaining: ShareAmount,
    },
}
