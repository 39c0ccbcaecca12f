//! What the crowdfunding pallet tells clients: the `Crowdfunding` entry.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Crowdfunding` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Crowdfunding",
        index: <T as Config>::INDEX,
        storage: alloc::vec![
            ClaimIssuers::metadata(),
            Claims::metadata(),
            InvestorLedgers::metadata(),
            NextClassId::metadata(),
            ShareClasses::metadata(),
            Shares::metadata(),
            RoundShares::metadata(),
            NextCampaignId::metadata(),
            Campaigns::metadata(),
            Commitments::metadata(),
            CommitmentShares::metadata(),
            CommitmentSlots::metadata(),
            NextCheckpointId::metadata(),
            Checkpoints::metadata(),
            CheckpointBalances::metadata(),
            NextDistributionId::metadata(),
            Distributions::metadata(),
            DividendClaims::metadata(),
            NextMotionId::metadata(),
            Motions::metadata(),
            Votes::metadata(),
            RulesOf::metadata(),
            Vesting::metadata(),
            TransferCategories::metadata(),
            Platform::metadata(),
            crate::Allotted::metadata(),
            crate::Redeemed::metadata(),
            Reflections::metadata(),
            ReflectionEnds::metadata(),
            IssuerLedgers::metadata(),
            Offerings::metadata(),
            NextOfferId::metadata(),
            Offers::metadata(),
            OfferedShares::metadata(),
            OpenOffers::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant(
                "CampaignDeposit",
                &T::CAMPAIGN_DEPOSIT,
                &[" Held from the issuer when a campaign is created, returned when it closes."],
            ),
            constant(
                "LockWindow",
                &T::LOCK_WINDOW,
                &[" Commitments cannot be cancelled in the last LockWindow ms before the deadline."],
            ),
            constant(
                "ReconfirmWindow",
                &T::RECONFIRM_WINDOW,
                &[" How long (ms) investors have to reconfirm after an amendment."],
            ),
            constant(
                "ReflectionPeriod",
                &T::REFLECTION_PERIOD,
                &[" How long (ms) after committing an amount the investor may revoke it (ECSP art. 22)."],
            ),
            constant(
                "MaxRecentCommitments",
                &(MAX_RECENT_COMMITMENTS as u32),
                &[" Most amounts of one commitment in their reflection period at once."],
            ),
            constant(
                "MinOfferingPeriod",
                &T::MIN_OFFERING_PERIOD,
                &[" The shortest offering period (ms) from approval or the later start to the deadline."],
            ),
            constant(
                "MaxPause",
                &T::MAX_PAUSE,
                &[" The longest (ms) a campaign stays paused before it resumes by itself."],
            ),
            constant(
                "LimitWindow",
                &T::LIMIT_WINDOW,
                &[" How long (ms) a settled investment counts towards the investor's limit."],
            ),
            constant(
                "IssuerCap",
                &T::ISSUER_CAP,
                &[" Most an issuer may raise within LimitWindow (12 months) across its campaigns."],
            ),
            constant(
                "MaxLedgerEntries",
                &T::MAX_LEDGER_ENTRIES,
                &[" Most settled investments an investor ledger keeps apart."],
            ),
            constant(
                "MaxBatch",
                &T::MAX_BATCH,
                &[" The largest limit settle, refund and release_unconfirmed accept."],
            ),
            constant(
                "MaxLiveCheckpoints",
                &T::MAX_LIVE_CHECKPOINTS,
                &[" Most record-date checkpoints a share class tracks at once."],
            ),
            constant(
                "MaxOpenOffers",
                &T::MAX_OPEN_OFFERS,
                &[" Most open offers of shares one account may have."],
            ),
        ],
        docs: alloc::vec![
            " Equity crowdfunding: identity claims, all-or-nothing campaigns on holds, the share",
            " register, dividends and binding shareholder votes.",
        ],
    }
}
