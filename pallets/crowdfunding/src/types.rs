//! The records the crowdfunding pallet stores and reports.

use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// Identifies a share class.
pub type ClassId = u32;
/// Identifies a campaign (also the "round" its shares are minted in).
pub type CampaignId = u32;
/// Identifies a record-date checkpoint.
pub type CheckpointId = u32;
/// Identifies a dividend distribution.
pub type DistributionId = u32;
/// Identifies a shareholder motion.
pub type MotionId = u32;
/// A number of shares.
pub type ShareAmount = u128;
/// Identifies an offer of shares for sale (a secondary trade).
pub type OfferId = u32;

/// The outcome of a KYC check.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Encode,
    Decode,
    MaxEncodedLen,
    TypeInfo,
    serde::Serialize,
    serde::Deserialize,
)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum KycStatus {
    /// Identity verified: the account may invest and hold claim-restricted shares.
    #[codec(index = 0)]
    Verified,
    /// Verification failed: the claim records it, and it grants nothing.
    #[codec(index = 1)]
    Rejected,
}

/// An investor category as attested by a claim issuer.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Encode,
    Decode,
    MaxEncodedLen,
    TypeInfo,
    serde::Serialize,
    serde::Deserialize,
)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum InvestorCategory {
    #[codec(index = 0)]
    Retail,
    #[codec(index = 1)]
    Sophisticated,
    #[codec(index = 2)]
    Professional,
}

/// An identity claim about an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Claim {
    /// The trusted claim issuer that attested it.
    pub issuer: AccountId,
    pub kyc: KycStatus,
    pub category: InvestorCategory,
    /// Most the account may invest over the rolling limit window; `None` = no limit.
    pub investment_limit: Option<Balance>,
    /// Block time (ms) from which the claim no longer counts.
    pub expires_at: Moment,
}

/// Money settled at one time, counted by the rolling investment limit for `LIMIT_WINDOW`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct SettledInvestment {
    /// When the money was settled (ms); it counts until `at + LIMIT_WINDOW`.
    pub at: Moment,
    pub amount: Balance,
}

/// An investor's use of their investment limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InvestorLedger {
    /// Σ of the investor's active commitments over all campaigns (= their commitment hold).
    pub active: Balance,
    /// Settled investments still inside the window, oldest first (at most
    /// `MAX_LEDGER_ENTRIES`; expired ones are dropped on write).
    pub settled: Vec<SettledInvestment>,
}

/// What an issuer has raised and is offering, for the 12-month issuer cap.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct IssuerLedger {
    /// Σ hard caps of the issuer's approved campaigns that have not closed yet (each may still
    /// raise up to its hard cap).
    pub offering: Balance,
    /// Money raised by the issuer's funded campaigns, at their closing time, still inside the
    /// window; oldest first (at most `MAX_LEDGER_ENTRIES`, the oldest merged under the later
    /// time when full).
    pub raised: Vec<SettledInvestment>,
}

/// A share class and its compliance rules.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct ShareClass {
    /// The company's agent: runs its campaigns, distributions and motions.
    pub issuer: AccountId,
    /// Shares in existence (Σ holder balances).
    pub supply: ShareAmount,
    /// Accounts with a non-zero balance.
    pub holders: u32,
    /// Active commitments in this class's campaigns: each may become a holder at settlement.
    pub pending_investors: u32,
    /// `holders + pending_investors` never exceeds this.
    pub max_holders: u32,
    /// Recipients of transfers need a valid claim.
    pub requires_claim: bool,
    /// Newly minted shares cannot be transferred for this long (ms).
    pub lockup: Moment,
    /// Checkpoints still used by a distribution or motion (at most `MAX_LIVE_CHECKPOINTS`).
    pub live_checkpoints: Vec<CheckpointId>,
}

/// A holder's shares of one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct ShareAccount {
    pub balance: ShareAmount,
    /// Shares that cannot be transferred before `locked_until` (never above `balance`).
    pub locked: ShareAmount,
    pub locked_until: Moment,
}

impl ShareAccount {
    /// The shares still locked at `now`.
    pub fn locked_at(&self, now: Moment) -> ShareAmount {
        if now < self.locked_until {
            self.locked.min(self.balance)
        } else {
            0
        }
    }

    /// The shares that may be transferred at `now`.
    pub fn transferable_at(&self, now: Moment) -> ShareAmount {
        self.balance.saturating_sub(self.locked_at(now))
    }
}

/// What an issuer offers. All amounts are multiples of `price`, so every commitment buys a
/// whole number of shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CampaignTerms {
    /// The share class offered (the issuer's own).
    pub share_class: ClassId,
    /// Price of one share.
    pub price: Balance,
    /// The target: at the deadline raised ≥ soft cap ⇒ Succeeded.
    pub soft_cap: Balance,
    /// Commitments are filled up to this, partially if needed.
    pub hard_cap: Balance,
    /// Least an investor's total commitment may be.
    pub min_commitment: Balance,
    /// Most an investor's total commitment may be.
    pub max_commitment: Balance,
    /// When the campaign opens (block time, ms).
    pub start: Moment,
    /// When it closes (block time, ms).
    pub deadline: Moment,
    /// Hash of the disclosure document.
    pub document: H256,
}

/// How a closed campaign ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum Outcome {
    /// Every commitment was settled (or defaulted) and the issuer was paid.
    #[codec(index = 0)]
    Funded,
    /// Every commitment was released.
    #[codec(index = 1)]
    Refunded,
}

/// Where a campaign is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum CampaignState {
    /// Being written by the issuer (`edit_campaign`).
    #[codec(index = 0)]
    Draft,
    /// Submitted, waiting for the platform's approval.
    #[codec(index = 1)]
    PendingReview,
    /// Approved, opens at `start`.
    #[codec(index = 2)]
    Scheduled,
    /// Taking commitments; commitments may be cancelled.
    #[codec(index = 3)]
    Open,
    /// Stopped by the platform: no commitments; the clock stops (resume extends the deadline).
    #[codec(index = 4)]
    Paused,
    /// The last `LOCK_WINDOW` before the deadline: commitments can no longer be cancelled.
    #[codec(index = 5)]
    FinalWindow,
    /// Raised ≥ soft cap at the deadline; `settle` pays the issuer.
    #[codec(index = 6)]
    Succeeded,
    /// Raised < soft cap at the deadline; `refund` releases the holds.
    #[codec(index = 7)]
    Failed,
    /// Cancelled by the issuer or the platform; `refund` releases the holds.
    #[codec(index = 8)]
    Cancelled,
    /// `settle` has started.
    #[codec(index = 9)]
    Settling,
    /// `refund` has started.
    #[codec(index = 10)]
    Refunding,
    /// Done; the issuer deposit is returned.
    #[codec(index = 11)]
    Closed(Outcome),
}

impl CampaignState {
    /// Money may have reached the issuer.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Settling | Self::Closed(Outcome::Funded)
        )
    }

    /// Holds are being (or have been) released by `refund`.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Self::Failed | Self::Cancelled | Self::Refunding | Self::Closed(Outcome::Refunded)
        )
    }

    /// Taking (or paused from taking) commitments.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Open | Self::Paused | Self::FinalWindow)
    }
}

/// A campaign: its terms, state and running totals.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Campaign {
    pub issuer: AccountId,
    pub terms: CampaignTerms,
    pub state: CampaignState,
    /// The issuer deposit held for this campaign.
    pub deposit: Balance,
    /// Whether the deposit is still held (returned when the campaign closes).
    pub deposit_held: bool,
    /// Σ active commitments (held on the investors' accounts).
    pub raised: Balance,
    /// Number of active commitments.
    pub investors: u32,
    /// Σ of every amount ever committed.
    pub committed: Balance,
    /// Moved to the issuer by `settle`.
    pub settled: Balance,
    /// Released by investors' cancellations and by missed reconfirmations.
    pub withdrawn: Balance,
    /// Released by `refund` of a failed or cancelled campaign.
    pub refunded: Balance,
    /// Always zero: holds stay movable (docs/decisions/0003), so `settle` never defaults a
    /// commitment. Kept so the stored layout does not change.
    pub defaulted: Balance,
    /// Shares minted by `settle` (= settled ÷ price).
    pub shares_minted: ShareAmount,
    /// Number of `CommitmentSlots` entries.
    pub slots: u32,
    /// Where `settle` / `refund` resume.
    pub cursor: u32,
    /// Bumped by each amendment; commitments on an older version must be reconfirmed.
    pub terms_version: u32,
    /// End of the running reconfirmation window, if any.
    pub reconfirm_until: Option<Moment>,
    /// Active commitments on an older terms version.
    pub unconfirmed: u32,
    /// Where `release_unconfirmed` resumes.
    pub release_cursor: u32,
    /// When the platform paused the campaign.
    pub paused_at: Option<Moment>,
}

/// One investor's commitment to one campaign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Commitment {
    /// Position in `CommitmentSlots`.
    pub slot: u32,
    /// Active (held) amount.
    pub amount: Balance,
    /// The terms version the investor last agreed to.
    pub terms_version: u32,
    /// Σ of every amount committed (= amount + settled + released).
    pub committed: Balance,
    /// Moved to the issuer.
    pub settled: Balance,
    /// Released back to the investor (cancelled, not reconfirmed, refunded or defaulted).
    pub released: Balance,
}

/// Why a commitment was released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum ReleaseReason {
    /// The investor cancelled it.
    #[codec(index = 0)]
    Cancelled,
    /// It was not reconfirmed within the window after an amendment.
    #[codec(index = 1)]
    NotReconfirmed,
    /// The campaign failed or was cancelled.
    #[codec(index = 2)]
    Refunded,
    /// Never used since holds stay movable by their pallet (issue 18): kept for the encoding.
    #[codec(index = 3)]
    Defaulted,
    /// The investor revoked it within its reflection period (ECSP art. 22).
    #[codec(index = 4)]
    Revoked,
}

/// An amount committed at `at`, revocable until `at + REFLECTION_PERIOD`, with the shares it
/// bought (its price tier was fixed when it was committed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct RecentCommitment {
    pub at: Moment,
    pub amount: Balance,
    pub shares: ShareAmount,
}

/// Most amounts of one commitment that can be in their reflection period at once; a further
/// top-up waits until the oldest one's period ends.
pub const MAX_RECENT_COMMITMENTS: usize = 8;

/// The amounts of a commitment still (or recently) in their reflection period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Reflection {
    /// The commitment's `released` when these amounts were recorded. Any release since (a
    /// cancellation, a missed reconfirmation, a refund) makes the record stale, so it never
    /// revokes money that already left the commitment; nothing else needs to clear it.
    pub released: Balance,
    /// Oldest first (at most [`MAX_RECENT_COMMITMENTS`]); expired ones are dropped on write.
    pub recent: Vec<RecentCommitment>,
}

/// A material change of a live campaign's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Amendment {
    pub soft_cap: Balance,
    pub min_commitment: Balance,
    pub max_commitment: Balance,
    /// Hash of the amended disclosure document.
    pub document: H256,
}

/// A record date of a share class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Checkpoint {
    pub share_class: ClassId,
    pub record_date: Moment,
    /// The supply at the record date, recorded on its first change after it.
    pub supply: Option<ShareAmount>,
}

/// A dividend distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Distribution {
    pub share_class: ClassId,
    /// Whose hold funds it (the class issuer).
    pub payer: AccountId,
    pub amount: Balance,
    pub checkpoint: CheckpointId,
    pub record_date: Moment,
    /// Claims are accepted before this; the rest can be reclaimed from it on.
    pub expires_at: Moment,
    pub claimed: Balance,
    /// Still held from the payer.
    pub remaining: Balance,
    /// Returned to the payer after expiry.
    pub reclaimed: Balance,
    /// Reclaimed and finished.
    pub closed: bool,
}

/// Where a motion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum MotionStatus {
    #[codec(index = 0)]
    Voting,
    #[codec(index = 1)]
    Passed,
    #[codec(index = 2)]
    Failed,
}

/// A binding shareholder vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Motion {
    pub share_class: ClassId,
    /// Hash of the resolution's text.
    pub proposal: H256,
    pub checkpoint: CheckpointId,
    /// Voting opens at the record date.
    pub record_date: Moment,
    pub voting_ends: Moment,
    /// Turnout must reach this percentage of the supply at the record date.
    pub quorum_percent: u8,
    /// Ayes must reach this percentage of the turnout.
    pub threshold_percent: u8,
    pub ayes: ShareAmount,
    pub nays: ShareAmount,
    pub status: MotionStatus,
}

/// A holder's offer to sell shares at a price, delivery-versus-payment: the shares stay in the
/// seller's balance but are set aside (`OfferedShares`) until the offer is accepted, in whole
/// or in part, or withdrawn; no money moves before an acceptance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Offer {
    pub share_class: ClassId,
    pub seller: AccountId,
    /// Only this account may accept; `None`: anyone the class's transfer rules admit.
    pub buyer: Option<AccountId>,
    /// Shares still offered (> 0).
    pub amount: ShareAmount,
    /// Price of one share (> 0), paid by the buyer to the seller on acceptance.
    pub price: Balance,
}

/// One holder's vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Vote {
    pub aye: bool,
    /// Shares at the record date.
    pub power: ShareAmount,
}

/// Which investor categories a rule admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CategorySet {
    pub retail: bool,
    pub sophisticated: bool,
    pub professional: bool,
}

impl CategorySet {
    /// Every category.
    pub const ALL: Self = Self {
        retail: true,
        sophisticated: true,
        professional: true,
    };

    /// Whether `category` is admitted.
    pub fn contains(&self, category: InvestorCategory) -> bool {
        match category {
            InvestorCategory::Retail => self.retail,
            InvestorCategory::Sophisticated => self.sophisticated,
            InvestorCategory::Professional => self.professional,
        }
    }
}

impl Default for CategorySet {
    fn default() -> Self {
        Self::ALL
    }
}

/// The most an investor of each category may commit in total to one campaign (`None`: only
/// the campaign's `max_commitment` applies).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CategoryCaps {
    pub retail: Option<Balance>,
    pub sophisticated: Option<Balance>,
    pub professional: Option<Balance>,
}

impl CategoryCaps {
    /// The cap of `category`.
    pub fn of(&self, category: InvestorCategory) -> Option<Balance> {
        match category {
            InvestorCategory::Retail => self.retail,
            InvestorCategory::Sophisticated => self.sophisticated,
            InvestorCategory::Professional => self.professional,
        }
    }
}

/// One price tier: the part of the raise below `up_to` (and above the previous tier's
/// `up_to`) buys shares at `price`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct PriceTier {
    /// Where the tier ends, as a position in the raise (cumulative settled amount).
    pub up_to: Balance,
    /// Price of one share within the tier.
    pub price: Balance,
}

/// Most price tiers a campaign may have.
pub const MAX_TIERS: usize = 4;

/// How the shares of a round vest, counted from their settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct VestingTerms {
    /// Nothing vests before this long after settlement (ms).
    pub cliff: Moment,
    /// Everything has vested this long after settlement (ms); `cliff ≤ duration`, `> 0`.
    pub duration: Moment,
}

/// A campaign's optional rules beyond its terms, set by the issuer while the campaign is a
/// draft (so the platform reviews them with the terms). Stored apart from the campaign
/// (`RulesOf`); a campaign without an entry has the default: every category, no category
/// caps, one price, no vesting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CampaignRules {
    /// Investor categories (of the investor's valid claim) that may commit.
    pub categories: CategorySet,
    /// Per-category caps on an investor's total commitment.
    pub category_caps: CategoryCaps,
    /// Price tiers in ascending `up_to` (at most [`MAX_TIERS`]); the raise above the last
    /// tier buys at the terms' `price`.
    pub tiers: Vec<PriceTier>,
    /// The round's shares vest from settlement.
    pub vesting: Option<VestingTerms>,
}

/// Shares of one holder and class that vest over time. Before `cliff` all `locked` shares are
/// unvested; from `cliff` to `end` they vest linearly over `start..end`; from `end` none are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct VestingSchedule {
    /// Shares subject to the schedule (unvested at `start`).
    pub locked: ShareAmount,
    pub start: Moment,
    pub cliff: Moment,
    pub end: Moment,
}

impl VestingSchedule {
    /// `start ≤ cliff ≤ end`, `start < end` and something locked.
    pub fn is_valid(&self) -> bool {
        self.locked > 0
            && self.start <= self.cliff
            && self.cliff <= self.end
            && self.start < self.end
    }

    /// The shares not yet vested at `now`: `locked × (end − now) ÷ (end − start)` between the
    /// cliff and the end, rounded up (the holder never gets a fraction early).
    pub fn unvested_at(&self, now: Moment) -> ShareAmount {
        if now >= self.end {
            return 0;
        }
        if now < self.cliff {
            return self.locked;
        }
        let span = u128::from(self.end.saturating_sub(self.start));
        let left = u128::from(self.end.saturating_sub(now));
        if span == 0 {
            return 0;
        }
        // locked × left ÷ span without overflow: left < span ≤ u64::MAX, so
        // (locked mod span) × left < 2^128 and (locked ÷ span) × left ≤ locked.
        let whole = self.locked.checked_div(span).unwrap_or(0);
        let rest = self.locked.checked_rem(span).unwrap_or(0);
        let rest_left = rest.saturating_mul(left);
        let rounded_up = rest_left
            .checked_div(span)
            .unwrap_or(0)
            .saturating_add(u128::from(rest_left.checked_rem(span).unwrap_or(0) > 0));
        whole
            .saturating_mul(left)
            .saturating_add(rounded_up)
            .min(self.locked)
    }

    /// The schedule after the holder's balance fell to `balance` at `now` (a forced transfer
    /// took unvested shares): at most `balance` stays unvested, on the same timeline (rebased
    /// to `now` once past the cliff). `None` when nothing is left to vest.
    pub fn reduced_to(&self, balance: ShareAmount, now: Moment) -> Option<Self> {
        let unvested = self.unvested_at(now);
        if unvested == 0 || balance == 0 {
            return None;
        }
        if unvested <= balance {
            return Some(*self);
        }
        if now < self.cliff {
            Some(Self {
                locked: balance,
                ..*self
            })
        } else {
            Some(Self {
                locked: balance,
                start: now,
                cliff: now,
                end: self.end,
            })
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while let Some(r) = a.checked_rem(b) {
        a = b;
        b = r;
    }
    a
}

impl CampaignRules {
    /// The unit every amount of the campaign must be a multiple of: the least common multiple
    /// of `price` and every tier price (just `price` without tiers). Then every position in
    /// the raise and every tier end is a multiple of each price, so each tier's part of a
    /// commitment buys whole shares. `None` if a price is zero or the unit overflows.
    pub fn unit(&self, price: Balance) -> Option<Balance> {
        self.tiers
            .iter()
            .try_fold(price, |unit, tier| {
                let g = gcd(unit, tier.price);
                unit.checked_div(g)?.checked_mul(tier.price)
            })
            .filter(|unit| *unit > 0)
    }

    /// The shares bought by `amount` settled at `position` in the raise (the amount settled
    /// before it): each tier's part ÷ the tier's price, the rest ÷ `price`, each rounded down.
    /// Returns the shares and the rounding remainder (zero for amounts that are multiples of
    /// [`Self::unit`], which `commit` enforces).
    pub fn shares_for(
        &self,
        price: Balance,
        position: Balance,
        amount: Balance,
    ) -> Option<(ShareAmount, Balance)> {
        let end = position.checked_add(amount)?;
        let (mut shares, mut remainder, mut tier_start) = (0u128, 0u128, 0u128);
        let mut part = |from: Balance, to: Balance, price: Balance| -> Option<()> {
            let (lo, hi) = (position.max(from), end.min(to));
            if hi > lo {
                let paid = hi.checked_sub(lo)?;
                shares = shares.checked_add(paid.checked_div(price)?)?;
                remainder = remainder.checked_add(paid.checked_rem(price)?)?;
            }
            Some(())
        };
        for tier in &self.tiers {
            part(tier_start, tier.up_to, tier.price)?;
            tier_start = tier.up_to;
        }
        part(tier_start, Balance::MAX, price)?;
        Some((shares, remainder))
    }

    /// Whether these are the defaults (then nothing is stored).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
