//! Equity crowdfunding on Folio: an identity-and-claims registry, all-or-nothing campaigns whose
//! commitments are holds on the investors' own balances, the share register that lives on after
//! a successful campaign, dividends and binding shareholder votes.
//!
//! It owns the claims, share classes, campaigns, commitments, share balances, record-date
//! checkpoints, distributions and motions. It moves money only through
//! [`folio_pallet_support::currency::Currency`] (holds with reasons `CrowdfundingCommitment`,
//! `IssuerDeposit` and `DividendFunds`); it never reads or writes balances itself.
//!
//! The model (see `docs/pallets/crowdfunding.md` for the full description):
//! - **Claims** ([`identity`]): trusted claim issuers (set by Root) attest an account's KYC
//!   status, investor category and rolling 12-month investment limit, with an expiry. A claim
//!   is valid while its issuer is trusted, its status is `Verified` and it has not expired.
//! - **Campaigns** ([`campaign`]): `Draft → PendingReview → Scheduled → Open ⇄ Paused →
//!   FinalWindow → Succeeded | Failed | Cancelled`, then `Succeeded → Settling →
//!   Closed(Funded)` and `Failed | Cancelled → Refunding → Closed(Refunded)`. Time-based
//!   transitions (start, final window, deadline) are applied lazily by every call that touches
//!   a campaign and by the permissionless `advance_campaign`; batches (`settle`, `refund`,
//!   `release_unconfirmed`) take a caller-given limit and resume where they stopped. There are
//!   no hooks: no block does unbounded work. A draft may get optional rules ([`RulesOf`]):
//!   the investor categories admitted and per-category caps (read from the investor's valid
//!   claim by `commit`), price tiers filled in commitment order, and vesting of the round.
//!   They live in their own storage item so existing campaigns decode unchanged (no
//!   migration; storage version 0).
//! - **Share register** ([`shares`]): share classes with a maximum number of holders, an
//!   optional claim requirement (and category restriction) for recipients and a lockup for
//!   newly minted shares; vesting schedules (unvested shares count for dividends and votes but
//!   cannot be transferred); balances per holder and per round (campaign); transfers and
//!   Root's forced transfer.
//! - **Checkpoints**: a distribution or a motion schedules a record date in advance; the first
//!   balance change of a holder after that date records the balance it had at the record date.
//!   Retired checkpoints are pruned by anyone in bounded batches (`prune_checkpoint`).
//! - **Dividends** ([`dividends`]) are funded by a hold at creation, claimed per holder in
//!   proportion to the checkpoint balance, and the rest is released after expiry.
//! - **Votes** ([`votes`]): power = shares at the record date; quorum and threshold decide.
//! - **Secondary trades** (`offers.rs`): a holder offers shares at a price (to one buyer or to
//!   anyone the class's transfer rules admit); the offered shares are set aside in the
//!   holder's balance; an acceptance moves the shares and the buyer's money in the same
//!   extrinsic (delivery-versus-payment), or nothing.
//!
//! Authority origins (the platform approving offerings, pausing, forcing transfers, managing
//! claim issuers) are `Origin::Root` for now; governance will grant them later.
//!
//! Invariants ([`invariants::check_invariants`]): for each campaign raised = Σ active
//! commitments, and each investor's commitment hold = Σ of their active commitments;
//! raised ≤ hard cap; money reaches the issuer only in a succeeded campaign and refunds happen
//! only in a failed or cancelled one; committed = active + settled + released for each
//! commitment (each unit ends exactly once); shares minted = Σ per-tier settled ÷ tier price
//! with no remainder; Σ holder shares = supply; unvested ≤ balance; claimed + remaining +
//! reclaimed = amount for each distribution; offered shares = Σ open offers ≤ the seller's
//! balance; and the bookkeeping ones listed in `invariants.rs`.
//!
//! Every call checks its origin first and validates everything before it writes anything.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::float_arithmetic
    )
)]

extern crate alloc;

pub mod api;
pub mod benchmarking;
mod call;
pub mod campaign;
mod cap_table;
pub mod dividends;
mod error;
mod event;
mod genesis;
pub mod identity;
pub mod invariants;
mod issuer_cap;
mod metadata;
mod muldiv;
mod offers;
mod reflection;
pub mod shares;
mod types;
pub mod votes;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::{GenesisClaim, GenesisConfig, GenesisError};
pub use metadata::metadata;
pub use types::*;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::prelude::*;

/// What the runtime tells the crowdfunding pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime (`Crowdfunding`).
    const INDEX: u8;
    /// Money: holds for commitments, issuer deposits and dividend funds.
    type Currency: folio_pallet_support::currency::Currency;
    /// Held from the issuer when a campaign is created, returned when it closes.
    const CAMPAIGN_DEPOSIT: Balance;
    /// Commitments can no longer be cancelled in the last `LOCK_WINDOW` ms before the deadline
    /// (the campaign's `FinalWindow`). Default 48 h.
    const LOCK_WINDOW: Moment;
    /// The shortest offering period, counted from approval (or the later start) to the
    /// deadline: Reg CF asks 21 days. Above `LOCK_WINDOW` it guarantees every investor who
    /// commits at the opening `MIN_OFFERING_PERIOD − LOCK_WINDOW` to cancel.
    const MIN_OFFERING_PERIOD: Moment;
    /// The reflection period (EU ECSP art. 22): for this long after committing an amount the
    /// investor may revoke it without reason, whatever the campaign's window; the deadline
    /// decision waits until the last one has ended. The ECSP's 4 days.
    const REFLECTION_PERIOD: Moment;
    /// How long investors have to reconfirm after a material amendment. Default 5 days.
    const RECONFIRM_WINDOW: Moment;
    /// How long a settled investment counts towards the investor's limit: a true rolling
    /// window (365 days for 12 months), not calendar buckets.
    const LIMIT_WINDOW: Moment;
    /// Most an issuer may raise within `LIMIT_WINDOW` (12 months) across its campaigns: the
    /// ECSP's EUR 5 000 000 (Reg CF: USD 5 000 000) in this chain's money. Approval counts
    /// the money raised in the window plus the hard caps of the issuer's open offerings.
    const ISSUER_CAP: Balance;
    /// Most settled investments an investor (or issuer) ledger keeps apart; beyond, the two oldest are
    /// merged under the later time (so they count longer, never shorter).
    const MAX_LEDGER_ENTRIES: u32;
    /// The longest a campaign stays paused: then it resumes by itself, its deadline moved by
    /// this much.
    const MAX_PAUSE: Moment;
    /// The largest `limit` a batch call (`settle`, `refund`, `release_unconfirmed`) accepts.
    const MAX_BATCH: u32;
    /// Most record-date checkpoints a share class tracks at once (each balance change writes
    /// at most this many checkpoint entries).
    const MAX_LIVE_CHECKPOINTS: u32;
    /// Most open offers of shares (`offer_shares`) one account may have, over all classes:
    /// bounds the offers a forced transfer may have to cut.
    const MAX_OPEN_OFFERS: u32;
    /// Block time in milliseconds (the runtime passes `Timestamp::now`).
    fn now() -> Moment;
}

folio_pallet_support::storage! {
    pallet "Crowdfunding";
    /// Accounts trusted to issue identity claims (set by Root).
    pub ClaimIssuers: Map<Blake2_128Concat, AccountId, (), OptionQuery>;
    /// The current identity claim of each account.
    pub Claims: Map<Blake2_128Concat, AccountId, Claim, OptionQuery>;
    /// Each investor's active commitments and recently settled investments (rolling limit).
    pub InvestorLedgers: Map<Blake2_128Concat, AccountId, InvestorLedger, OptionQuery>;
    /// The id the next share class gets.
    pub NextClassId: Value<ClassId, ValueQuery>;
    /// Share classes by id.
    pub ShareClasses: Map<Twox64Concat, ClassId, ShareClass, OptionQuery>;
    /// Share balances by class and holder (no entry for a zero balance).
    pub Shares: DoubleMap<Twox64Concat, ClassId, Blake2_128Concat, AccountId, ShareAccount, OptionQuery>;
    /// Shares minted to each holder in each round (campaign).
    pub RoundShares: DoubleMap<Twox64Concat, CampaignId, Blake2_128Concat, AccountId, ShareAmount, OptionQuery>;
    /// The id the next campaign gets.
    pub NextCampaignId: Value<CampaignId, ValueQuery>;
    /// Campaigns by id.
    pub Campaigns: Map<Twox64Concat, CampaignId, Campaign, OptionQuery>;
    /// Commitments by campaign and investor.
    pub Commitments: DoubleMap<Twox64Concat, CampaignId, Blake2_128Concat, AccountId, Commitment, OptionQuery>;
    /// The shares an active commitment has bought, each amount priced by its tier when it was
    /// committed (no entry once settled or released).
    pub CommitmentShares: DoubleMap<Twox64Concat, CampaignId, Blake2_128Concat, AccountId, ShareAmount, OptionQuery>;
    /// The investors of a campaign in order of their first commitment, so batches can resume.
    pub CommitmentSlots: DoubleMap<Twox64Concat, CampaignId, Twox64Concat, u32, AccountId, OptionQuery>;
    /// The id the next checkpoint gets.
    pub NextCheckpointId: Value<CheckpointId, ValueQuery>;
    /// Record-date checkpoints by id.
    pub Checkpoints: Map<Twox64Concat, CheckpointId, Checkpoint, OptionQuery>;
    /// A holder's balance at a checkpoint, recorded on its first change after the record date.
    pub CheckpointBalances: DoubleMap<Twox64Concat, CheckpointId, Blake2_128Concat, AccountId, ShareAmount, OptionQuery>;
    /// The id the next distribution gets.
    pub NextDistributionId: Value<DistributionId, ValueQuery>;
    /// Dividend distributions by id.
    pub Distributions: Map<Twox64Concat, DistributionId, Distribution, OptionQuery>;
    /// What each holder claimed from a distribution.
    pub DividendClaims: DoubleMap<Twox64Concat, DistributionId, Blake2_128Concat, AccountId, Balance, OptionQuery>;
    /// The id the next motion gets.
    pub NextMotionId: Value<MotionId, ValueQuery>;
    /// Shareholder motions by id.
    pub Motions: Map<Twox64Concat, MotionId, Motion, OptionQuery>;
    /// Votes by motion and voter.
    pub Votes: DoubleMap<Twox64Concat, MotionId, Blake2_128Concat, AccountId, Vote, OptionQuery>;
    /// A campaign's optional rules (investor categories, category caps, price tiers,
    /// vesting); no entry = the defaults.
    pub RulesOf: Map<Twox64Concat, CampaignId, CampaignRules, OptionQuery>;
    /// Vesting schedules by class and holder (at most one per holder and class).
    pub Vesting: DoubleMap<Twox64Concat, ClassId, Blake2_128Concat, AccountId, VestingSchedule, OptionQuery>;
    /// Investor categories a share class's transfer recipients must have; no entry = any.
    pub TransferCategories: Map<Twox64Concat, ClassId, CategorySet, OptionQuery>;
    /// Each issuer's raised money and open offerings, for the 12-month issuer cap.
    pub IssuerLedgers: Map<Blake2_128Concat, AccountId, IssuerLedger, OptionQuery>;
    /// The hard cap an approved, not yet closed campaign counts in its issuer's `offering`.
    pub Offerings: Map<Twox64Concat, CampaignId, Balance, OptionQuery>;
    /// Amounts of a commitment still in their reflection period (`revoke_commitment`).
    pub Reflections: DoubleMap<Twox64Concat, CampaignId, Blake2_128Concat, AccountId, Reflection, OptionQuery>;
    /// When the last reflection period of a campaign's commitments ends: the deadline decision
    /// waits for it (no entry: none ran).
    pub ReflectionEnds: Map<Twox64Concat, CampaignId, Moment, OptionQuery>;
    /// The account governance granted the platform's powers (approving, rejecting, pausing,
    /// resuming and cancelling campaigns) beside Root; none = Root alone.
    pub Platform: Value<AccountId, OptionQuery>;
    /// Shares of each class allotted outside campaigns (`allot_shares`), ever.
    pub Allotted: Map<Twox64Concat, ClassId, ShareAmount, ValueQuery>;
    /// Shares of each class redeemed (`redeem_shares`), ever.
    pub Redeemed: Map<Twox64Concat, ClassId, ShareAmount, ValueQuery>;
    /// The id the next offer of shares gets.
    pub NextOfferId: Value<OfferId, ValueQuery>;
    /// Open offers of shares for sale by id (removed once accepted in full or withdrawn).
    pub Offers: Map<Twox64Concat, OfferId, Offer, OptionQuery>;
    /// Σ shares of a holder's open offers in a class: part of the holder's balance that
    /// neither a transfer, a redemption nor another offer may use (no entry for zero).
    pub OfferedShares: DoubleMap<Twox64Concat, ClassId, Blake2_128Concat, AccountId, ShareAmount, OptionQuery>;
    /// Each seller's open offers, oldest first (at most `MAX_OPEN_OFFERS`).
    pub OpenOffers: Map<Blake2_128Concat, AccountId, Vec<OfferId>, ValueQuery>;
}

/// The crowdfunding pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }

    /// Fails with `error` unless `condition` holds.
    pub(crate) fn ensure(condition: bool, error: Error) -> DispatchResult {
        if condition {
            Ok(())
        } else {
            Err(Self::error(error))
        }
    }

    /// The id the next item of counter `S` gets, checked so that [`Self::bump_id`] cannot
    /// overflow.
    pub(crate) fn peek_id<S: StorageValue<Value = u32, Kind = ValueQuery>>(
    ) -> Result<u32, DispatchError> {
        let id = S::get();
        id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        Ok(id)
    }

    /// Advances counter `S` past an id taken with [`Self::peek_id`].
    pub(crate) fn bump_id<S: StorageValue<Value = u32, Kind = ValueQuery>>(id: u32) {
        // `peek_id` checked that `id + 1` fits.
        S::put(&id.saturating_add(1));
    }
}
