//! Errors of the crowdfunding pallet.

use folio_pallet_support::prelude::*;

/// Why a crowdfunding call failed. Each variant says when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_crowdfunding", "pallet_crowdfunding"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// `add_claim_issuer` for an account already trusted.
    #[codec(index = 0)]
    AlreadyClaimIssuer,
    /// The account is not a trusted claim issuer.
    #[codec(index = 1)]
    NotClaimIssuer,
    /// The account has no claim (to revoke).
    #[codec(index = 2)]
    NoClaim,
    /// Only the claim's issuer (or Root) may revoke it.
    #[codec(index = 3)]
    NotClaimOwner,
    /// A claim, record date, expiry or voting end lies in the past (or is not after the date
    /// it must follow).
    #[codec(index = 4)]
    InvalidDate,
    /// The account needs a valid claim (trusted issuer, `Verified`, not expired).
    #[codec(index = 5)]
    ClaimRequired,
    /// A share class needs `max_holders > 0`.
    #[codec(index = 6)]
    InvalidShareClass,
    /// No share class with this id.
    #[codec(index = 7)]
    UnknownClass,
    /// Only the share class's issuer may do this.
    #[codec(index = 8)]
    NotClassIssuer,
    /// Campaign terms are inconsistent: zero price or soft cap, soft cap > hard cap,
    /// min > max, an amount not a multiple of the price, or a deadline not after
    /// `start + LOCK_WINDOW`.
    #[codec(index = 9)]
    InvalidTerms,
    /// No campaign with this id.
    #[codec(index = 10)]
    UnknownCampaign,
    /// Only the campaign's issuer may do this.
    #[codec(index = 11)]
    NotCampaignIssuer,
    /// The campaign is not in a state that allows this call.
    #[codec(index = 12)]
    InvalidState,
    /// The deadline has already passed (approval, commitment or amendment too late).
    #[codec(index = 13)]
    DeadlinePassed,
    /// A commitment amount of zero, or not a multiple of the price.
    #[codec(index = 14)]
    InvalidAmount,
    /// The campaign has reached its hard cap.
    #[codec(index = 15)]
    HardCapReached,
    /// The investor's total commitment would be below the campaign minimum.
    #[codec(index = 16)]
    BelowMinimum,
    /// The investor's total commitment would be above the campaign maximum.
    #[codec(index = 17)]
    AboveMaximum,
    /// The investment would exceed the investor's rolling 12-month limit.
    #[codec(index = 18)]
    InvestmentLimitExceeded,
    /// The share class would have more holders (present and pending) than it allows.
    #[codec(index = 19)]
    TooManyHolders,
    /// The investor has no active commitment to this campaign.
    #[codec(index = 20)]
    NoCommitment,
    /// Commitments cannot be cancelled in the final window before the deadline.
    #[codec(index = 21)]
    CommitmentLocked,
    /// The investor must first reconfirm their commitment to the amended terms.
    #[codec(index = 22)]
    ReconfirmationRequired,
    /// No reconfirmation is pending for this commitment.
    #[codec(index = 23)]
    AlreadyConfirmed,
    /// The reconfirmation window has closed.
    #[codec(index = 24)]
    ReconfirmationClosed,
    /// The reconfirmation window is still open (or none is pending release).
    #[codec(index = 25)]
    ReconfirmationOpen,
    /// Unconfirmed commitments of an earlier amendment must be released first.
    #[codec(index = 26)]
    PendingReleases,
    /// A batch `limit` of zero or above `MAX_BATCH`.
    #[codec(index = 27)]
    InvalidLimit,
    /// Nothing changed: no time-based transition is due.
    #[codec(index = 28)]
    NothingToDo,
    /// A share amount of zero, or a transfer to oneself.
    #[codec(index = 29)]
    InvalidTransfer,
    /// The holder has fewer shares than the amount.
    #[codec(index = 30)]
    InsufficientShares,
    /// The shares are still in their lockup.
    #[codec(index = 31)]
    SharesLocked,
    /// The share class tracks `MAX_LIVE_CHECKPOINTS` record dates already.
    #[codec(index = 32)]
    TooManyCheckpoints,
    /// No distribution with this id.
    #[codec(index = 33)]
    UnknownDistribution,
    /// A distribution of zero.
    #[codec(index = 34)]
    InvalidDistribution,
    /// Claims are accepted only between the record date and the expiry.
    #[codec(index = 35)]
    NotClaimable,
    /// The holder already claimed this distribution.
    #[codec(index = 36)]
    AlreadyClaimed,
    /// The holder's entitlement is zero.
    #[codec(index = 37)]
    NothingToClaim,
    /// The distribution has not expired yet, or was already reclaimed.
    #[codec(index = 38)]
    NotReclaimable,
    /// No motion with this id.
    #[codec(index = 39)]
    UnknownMotion,
    /// Quorum above 100 %, or threshold not in 1..=100 %.
    #[codec(index = 40)]
    InvalidMotion,
    /// Voting is open only between the record date and the end of voting.
    #[codec(index = 41)]
    VotingClosed,
    /// The holder already voted.
    #[codec(index = 42)]
    AlreadyVoted,
    /// The holder had no shares at the record date.
    #[codec(index = 43)]
    NoVotingPower,
    /// The motion is still being voted on, or was already closed.
    #[codec(index = 44)]
    NotClosable,
    /// The shares are not vested yet (a vesting schedule still holds them).
    #[codec(index = 45)]
    SharesUnvested,
    /// A vesting schedule needs `start ≤ cliff ≤ end`, `start < end`, and `0 < locked ≤` the
    /// holder's balance.
    #[codec(index = 46)]
    InvalidVesting,
    /// The investor's (or recipient's) claim is of a category the campaign or share class does
    /// not admit.
    #[codec(index = 47)]
    CategoryNotAllowed,
    /// The investor's total commitment would be above the cap for their category.
    #[codec(index = 48)]
    AboveCategoryMaximum,
    /// Campaign rules are inconsistent: more than `MAX_TIERS` tiers, a zero tier price, tier
    /// ends not strictly ascending or above the hard cap, an amount (terms or tier end) not a
    /// multiple of the unit (the least common multiple of every price), a zero vesting
    /// duration or a cliff after it.
    #[codec(index = 49)]
    InvalidRules,
    /// No checkpoint with this id (never created, or already pruned).
    #[codec(index = 50)]
    UnknownCheckpoint,
    /// The checkpoint is still live: a distribution or motion reads it.
    #[codec(index = 51)]
    CheckpointInUse,
    /// Approval would leave less than `MIN_OFFERING_PERIOD` from the approval (or the later
    /// start) to the deadline.
    #[codec(index = 52)]
    OfferingPeriodTooShort,
    /// Nothing of the investor's commitment is within its reflection period any more.
    #[codec(index = 53)]
    ReflectionPeriodOver,
    /// `MAX_RECENT_COMMITMENTS` amounts of this commitment are still in their reflection
    /// period: a further top-up waits until the oldest one's ends.
    #[codec(index = 54)]
    TooManyRecentCommitments,
    /// Approval would let the issuer raise more than `ISSUER_CAP` within `LIMIT_WINDOW`
    /// (12 months): raised in the window + hard caps of its open offerings + this hard cap.
    #[codec(index = 55)]
    IssuerCapExceeded,
    /// No open offer with this id (never made, accepted in full or withdrawn).
    #[codec(index = 56)]
    UnknownOffer,
    /// Only the seller may withdraw an offer.
    #[codec(index = 57)]
    NotOfferSeller,
    /// The offer names another buyer.
    #[codec(index = 58)]
    NotOfferBuyer,
    /// An offer needs a non-zero amount and price and a buyer other than the seller; an
    /// acceptance a non-zero amount within what is still offered, by someone else than the
    /// seller.
    #[codec(index = 59)]
    InvalidOffer,
    /// The seller already has `MAX_OPEN_OFFERS` open offers.
    #[codec(index = 60)]
    TooManyOffers,
    /// The shares are set aside for the holder's open offers: withdraw an offer first.
    #[codec(index = 61)]
    SharesOffered,
}
