//! The crowdfunding pallet's invariants (DOMAIN.md, "Equity crowdfunding"), checked after
//! every test and every random step, and callable on chain as an audit.
//!
//! The names below are the strings reported in [`InvariantViolation::invariant`].

use crate::types::*;
use crate::{
    Campaigns, CheckpointBalances, Checkpoints, CommitmentShares, CommitmentSlots, Commitments,
    Config, Distributions, DividendClaims, InvestorLedgers, IssuerLedgers, Motions,
    NextCheckpointId, NextOfferId, OfferedShares, Offerings, Offers, OpenOffers, Reflections,
    RoundShares, RulesOf, ShareClasses, Shares, Vesting, Votes,
};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use folio_pallet_support::currency::{Currency, HoldReason};
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::prelude::*;

fn add(a: u128, b: u128) -> u128 {
    // Sums of stored u128 amounts; saturation would itself show up as a mismatch.
    a.saturating_add(b)
}

fn add_to<K: Ord>(map: &mut BTreeMap<K, u128>, key: K, amount: u128) {
    let entry = map.entry(key).or_insert(0);
    *entry = add(*entry, amount);
}

/// Checks every invariant of the crowdfunding pallet over the whole state.
pub fn check_invariants<T: Config>() -> Result<(), InvariantViolation> {
    let mut active_by_investor: BTreeMap<AccountId, Balance> = BTreeMap::new();
    let mut deposits_by_issuer: BTreeMap<AccountId, Balance> = BTreeMap::new();
    let mut pending_by_class: BTreeMap<ClassId, u128> = BTreeMap::new();
    let mut minted_by_class: BTreeMap<ClassId, u128> = BTreeMap::new();
    for (id, campaign) in Campaigns::iter() {
        check_campaign(
            id,
            &campaign,
            &mut active_by_investor,
            &mut pending_by_class,
            &mut minted_by_class,
        )?;
        let held = if campaign.deposit_held {
            campaign.deposit
        } else {
            0
        };
        add_to(&mut deposits_by_issuer, campaign.issuer, held);
    }
    check_investors::<T>(&active_by_investor)?;
    check_offerings()?;
    for (issuer, deposits) in &deposits_by_issuer {
        let held = T::Currency::balance_on_hold(HoldReason::IssuerDeposit, issuer);
        ensure_invariant(
            held == *deposits,
            "issuer deposit hold = Σ deposits of unclosed campaigns",
            *deposits,
            held,
        )?;
    }
    check_share_classes::<T>(&pending_by_class, &minted_by_class)?;
    for id in 0..NextCheckpointId::get() {
        ensure_invariant(
            Checkpoints::contains_key(&id) || CheckpointBalances::iter_prefix(&id).next().is_none(),
            "a pruned checkpoint left no balances",
            u128::from(id),
            1,
        )?;
    }
    check_distributions::<T>()?;
    check_offers::<T>()?;
    check_motions()
}

/// Offers are backed: each seller's offered shares of a class = Σ its open offers ≤ its
/// balance (so offered shares cannot also be transferred, redeemed or offered again), each
/// open offer is listed once in its seller's open offers, and a seller has at most
/// `MAX_OPEN_OFFERS`.
fn check_offers<T: Config>() -> Result<(), InvariantViolation> {
    let mut offered: BTreeMap<(ClassId, AccountId), ShareAmount> = BTreeMap::new();
    let next = NextOfferId::get();
    for (id, offer) in Offers::iter() {
        ensure_invariant(
            id < next && offer.amount > 0 && offer.price > 0 && offer.buyer != Some(offer.seller),
            "open offers have an id, shares, a price and a buyer other than the seller",
            u128::from(id),
            offer.amount,
        )?;
        let listed = OpenOffers::get(&offer.seller)
            .iter()
            .filter(|other| **other == id)
            .count();
        ensure_invariant(
            listed == 1,
            "each open offer is listed once among its seller's open offers",
            1,
            listed as u128,
        )?;
        add_to(
            &mut offered,
            (offer.share_class, offer.seller),
            offer.amount,
        );
    }
    for (seller, open) in OpenOffers::iter() {
        ensure_invariant(
            !open.is_empty()
                && open.len() <= T::MAX_OPEN_OFFERS as usize
                && open
                    .iter()
                    .all(|id| Offers::get(id).is_some_and(|offer| offer.seller == seller)),
            "a seller's open offers exist, are theirs, and are at most MaxOpenOffers",
            u128::from(T::MAX_OPEN_OFFERS),
            open.len() as u128,
        )?;
    }
    let classes: Vec<ClassId> = ShareClasses::iter().map(|(class, _)| class).collect();
    let entries = classes.into_iter().flat_map(|class| {
        OfferedShares::iter_prefix(&class).map(move |(seller, amount)| (class, seller, amount))
    });
    for (class, seller, amount) in entries {
        let expected = offered.remove(&(class, seller)).unwrap_or(0);
        ensure_invariant(
            amount > 0 && amount == expected,
            "offered shares = Σ the seller's open offers in the class",
            expected,
            amount,
        )?;
        let balance = Shares::get(&class, &seller).map_or(0, |account| account.balance);
        ensure_invariant(
            amount <= balance,
            "offered shares ≤ the seller's balance",
            balance,
            amount,
        )?;
    }
    ensure_invariant(
        offered.is_empty(),
        "every open offer is counted in the seller's offered shares",
        0,
        offered.len() as u128,
    )
}

fn check_campaign(
    id: CampaignId,
    c: &Campaign,
    active_by_investor: &mut BTreeMap<AccountId, Balance>,
    pending_by_class: &mut BTreeMap<ClassId, u128>,
    minted_by_class: &mut BTreeMap<ClassId, u128>,
) -> Result<(), InvariantViolation> {
    let (mut active, mut settled, mut released, mut committed) = (0u128, 0u128, 0u128, 0u128);
    let (mut investors, mut unconfirmed, mut records) = (0u128, 0u128, 0u128);
    let rules = RulesOf::get(&id).unwrap_or_default();
    let unit = rules.unit(c.terms.price).unwrap_or(0);
    for (investor, commitment) in Commitments::iter_prefix(&id) {
        ensure_invariant(
            unit > 0 && commitment.amount.checked_rem(unit) == Some(0),
            "active commitments are multiples of the unit (lcm of the prices)",
            unit,
            commitment.amount,
        )?;
        ensure_invariant(
            commitment.committed
                == add(
                    add(commitment.amount, commitment.settled),
                    commitment.released,
                ),
            "each commitment: committed = active + settled + released",
            commitment.committed,
            add(
                add(commitment.amount, commitment.settled),
                commitment.released,
            ),
        )?;
        ensure_invariant(
            commitment.slot < c.slots
                && CommitmentSlots::get(&id, &commitment.slot) == Some(investor),
            "each commitment has its own slot",
            u128::from(commitment.slot),
            u128::from(c.slots),
        )?;
        active = add(active, commitment.amount);
        settled = add(settled, commitment.settled);
        released = add(released, commitment.released);
        committed = add(committed, commitment.committed);
        records = add(records, 1);
        if commitment.amount > 0 {
            investors = add(investors, 1);
            if commitment.terms_version < c.terms_version {
                unconfirmed = add(unconfirmed, 1);
            }
        }
        add_to(active_by_investor, investor, commitment.amount);
    }
    check_reflections(id)?;
    let slots = CommitmentSlots::iter_prefix(&id).count() as u128;
    ensure_invariant(
        slots == u128::from(c.slots) && records == slots,
        "slots = commitment records",
        u128::from(c.slots),
        records,
    )?;
    ensure_invariant(
        c.raised == active,
        "raised = Σ active commitments",
        c.raised,
        active,
    )?;
    ensure_invariant(
        u128::from(c.investors) == investors,
        "investors = number of active commitments",
        u128::from(c.investors),
        investors,
    )?;
    ensure_invariant(
        u128::from(c.unconfirmed) == unconfirmed,
        "unconfirmed = active commitments on older terms",
        u128::from(c.unconfirmed),
        unconfirmed,
    )?;
    ensure_invariant(
        c.settled == settled,
        "settled = Σ settled commitments",
        c.settled,
        settled,
    )?;
    let campaign_released = add(add(c.withdrawn, c.refunded), c.defaulted);
    ensure_invariant(
        campaign_released == released,
        "withdrawn + refunded + defaulted = Σ released commitments",
        campaign_released,
        released,
    )?;
    let ended = add(add(c.raised, c.settled), campaign_released);
    ensure_invariant(
        c.committed == committed && c.committed == ended,
        "each commitment ends exactly once: committed = active + settled + released",
        c.committed,
        ended,
    )?;
    ensure_invariant(
        c.raised <= c.terms.hard_cap,
        "raised ≤ hard cap",
        c.terms.hard_cap,
        c.raised,
    )?;
    let kept = add(c.raised, c.settled);
    ensure_invariant(
        kept <= c.terms.hard_cap,
        "raised + settled ≤ hard cap",
        c.terms.hard_cap,
        kept,
    )?;
    // Holds stay movable (docs/decisions/0003): settlement never defaults a commitment, and
    // a funded campaign delivered at least its soft cap to the issuer.
    ensure_invariant(c.defaulted == 0, "no commitment defaults", 0, c.defaulted)?;
    ensure_invariant(
        c.state != CampaignState::Closed(Outcome::Funded) || c.settled >= c.terms.soft_cap,
        "a funded campaign settled at least its soft cap",
        c.terms.soft_cap,
        c.settled,
    )?;
    ensure_invariant(
        (c.settled == 0 && c.defaulted == 0) || c.state.is_success(),
        "funds reach the issuer only if the campaign succeeded",
        0,
        c.settled,
    )?;
    ensure_invariant(
        c.refunded == 0 || c.state.is_failure(),
        "refunds only if the campaign failed or was cancelled",
        0,
        c.refunded,
    )?;
    ensure_invariant(
        !c.state.is_success() || kept >= c.terms.soft_cap,
        "a succeeded campaign reached its soft cap",
        c.terms.soft_cap,
        kept,
    )?;
    let failed_total = add(c.raised, c.refunded);
    ensure_invariant(
        c.state != CampaignState::Failed || failed_total < c.terms.soft_cap,
        "a failed campaign missed its soft cap",
        c.terms.soft_cap,
        failed_total,
    )?;
    ensure_invariant(
        !matches!(c.state, CampaignState::Closed(_)) || (c.raised == 0 && !c.deposit_held),
        "a closed campaign holds nothing",
        0,
        c.raised,
    )?;
    ensure_invariant(
        c.state != CampaignState::Closed(Outcome::Refunded) || c.settled == 0,
        "a refunded campaign paid nothing",
        0,
        c.settled,
    )?;
    ensure_invariant(
        !matches!(
            c.state,
            CampaignState::Draft | CampaignState::PendingReview | CampaignState::Scheduled
        ) || c.committed == 0,
        "no commitments before a campaign opens",
        0,
        c.committed,
    )?;
    // Prices are fixed at commit time (`CommitmentShares`): every active commitment has its
    // shares, nothing else does, and with a single price they are exactly amount ÷ price.
    for (investor, commitment) in Commitments::iter_prefix(&id) {
        let priced = CommitmentShares::get(&id, &investor);
        ensure_invariant(
            (commitment.amount > 0) == priced.is_some(),
            "an active commitment, and only one, has its shares priced",
            commitment.amount,
            priced.unwrap_or(0),
        )?;
        if rules.tiers.is_empty() && commitment.amount > 0 {
            let expected = commitment.amount.checked_div(c.terms.price).unwrap_or(0);
            ensure_invariant(
                priced == Some(expected),
                "one price: priced shares = amount ÷ price",
                expected,
                priced.unwrap_or(0),
            )?;
        }
    }
    if rules.tiers.is_empty() {
        let expected = c.settled.checked_div(c.terms.price).unwrap_or(0);
        ensure_invariant(
            expected == c.shares_minted,
            "one price: shares minted = settled ÷ price",
            expected,
            c.shares_minted,
        )?;
    }
    let round: u128 = RoundShares::iter_prefix(&id).fold(0, |sum, (_, shares)| add(sum, shares));
    ensure_invariant(
        round == c.shares_minted,
        "Σ round shares = shares minted",
        c.shares_minted,
        round,
    )?;
    ensure_invariant(
        c.cursor <= c.slots && c.release_cursor <= c.slots,
        "batch cursors within the slots",
        u128::from(c.slots),
        u128::from(c.cursor.max(c.release_cursor)),
    )?;
    add_to(
        pending_by_class,
        c.terms.share_class,
        u128::from(c.investors),
    );
    add_to(minted_by_class, c.terms.share_class, c.shares_minted);
    Ok(())
}

fn check_investors<T: Config>(
    active_by_investor: &BTreeMap<AccountId, Balance>,
) -> Result<(), InvariantViolation> {
    let mut seen: BTreeSet<AccountId> = BTreeSet::new();
    for (investor, ledger) in InvestorLedgers::iter() {
        let active = active_by_investor.get(&investor).copied().unwrap_or(0);
        ensure_invariant(
            ledger.active == active,
            "ledger active = Σ the investor's active commitments",
            active,
            ledger.active,
        )?;
        ensure_invariant(
            ledger.settled.len() <= T::MAX_LEDGER_ENTRIES as usize
                && ledger
                    .settled
                    .windows(2)
                    .all(|w| w.first().map(|e| e.at) <= w.get(1).map(|e| e.at)),
            "at most MaxLedgerEntries ledger entries, oldest first",
            u128::from(T::MAX_LEDGER_ENTRIES),
            ledger.settled.len() as u128,
        )?;
        seen.insert(investor);
    }
    for (investor, active) in active_by_investor {
        ensure_invariant(
            *active == 0 || seen.contains(investor),
            "an investor with active commitments has a ledger",
            *active,
            0,
        )?;
        let held = T::Currency::balance_on_hold(HoldReason::CrowdfundingCommitment, investor);
        ensure_invariant(
            held == *active,
            "commitment hold = Σ the investor's active commitments",
            *active,
            held,
        )?;
    }
    Ok(())
}

/// The distinct accounts that hold shares of `class` or have an active commitment to one of
/// its campaigns.
fn register_places(class: ClassId) -> u128 {
    let mut accounts: BTreeSet<AccountId> = Shares::iter_prefix(&class).map(|(a, _)| a).collect();
    for (id, campaign) in Campaigns::iter() {
        if campaign.terms.share_class == class {
            accounts.extend(
                Commitments::iter_prefix(&id)
                    .filter(|(_, c)| c.amount > 0)
                    .map(|(a, _)| a),
            );
        }
    }
    accounts.len() as u128
}

/// Each issuer's `offering` = Σ hard caps of its approved, unclosed campaigns (`Offerings`),
/// and only such campaigns have an entry.
fn check_offerings() -> Result<(), InvariantViolation> {
    let mut by_issuer: BTreeMap<AccountId, Balance> = BTreeMap::new();
    for (id, reserved) in Offerings::iter() {
        let campaign = Campaigns::get(&id);
        let open = campaign.as_ref().is_some_and(|c| {
            !matches!(
                c.state,
                CampaignState::Draft | CampaignState::PendingReview | CampaignState::Closed(_)
            ) && c.terms.hard_cap == reserved
        });
        ensure_invariant(
            open,
            "offerings are the hard caps of approved, unclosed campaigns",
            u128::from(id),
            reserved,
        )?;
        if let Some(c) = campaign {
            add_to(&mut by_issuer, c.issuer, reserved);
        }
    }
    for (issuer, ledger) in IssuerLedgers::iter() {
        let expected = by_issuer.remove(&issuer).unwrap_or(0);
        ensure_invariant(
            ledger.offering == expected,
            "issuer offering = Σ its campaigns' offerings",
            expected,
            ledger.offering,
        )?;
    }
    ensure_invariant(
        by_issuer.is_empty(),
        "every issuer with offerings has a ledger",
        0,
        by_issuer.len() as u128,
    )
}

/// A current reflection record (made since the commitment's last release) covers no more
/// than the commitment holds and the shares it bought, so a revocation never releases money
/// or shares that are not there.
fn check_reflections(id: CampaignId) -> Result<(), InvariantViolation> {
    for (investor, reflection) in Reflections::iter_prefix(&id) {
        let commitment = Commitments::get(&id, &investor).unwrap_or_default();
        if reflection.released != commitment.released || commitment.amount == 0 {
            continue;
        }
        let amount = reflection
            .recent
            .iter()
            .fold(0, |sum, e| add(sum, e.amount));
        let shares = reflection
            .recent
            .iter()
            .fold(0, |sum, e| add(sum, e.shares));
        ensure_invariant(
            amount <= commitment.amount,
            "revocable amounts ≤ the commitment",
            commitment.amount,
            amount,
        )?;
        let priced = CommitmentShares::get(&id, &investor).unwrap_or(0);
        ensure_invariant(
            shares <= priced,
            "revocable shares ≤ the commitment's shares",
            priced,
            shares,
        )?;
        ensure_invariant(
            reflection.recent.len() <= MAX_RECENT_COMMITMENTS,
            "at most MAX_RECENT_COMMITMENTS revocable amounts",
            MAX_RECENT_COMMITMENTS as u128,
            reflection.recent.len() as u128,
        )?;
    }
    Ok(())
}

fn check_share_classes<T: Config>(
    pending_by_class: &BTreeMap<ClassId, u128>,
    minted_by_class: &BTreeMap<ClassId, u128>,
) -> Result<(), InvariantViolation> {
    let now = T::now();
    for (class, share_class) in ShareClasses::iter() {
        let (mut supply, mut holders) = (0u128, 0u128);
        for (_, account) in Shares::iter_prefix(&class) {
            ensure_invariant(
                account.balance > 0 && account.locked <= account.balance,
                "share accounts are non-empty and locked ≤ balance",
                account.balance,
                account.locked,
            )?;
            supply = add(supply, account.balance);
            holders = add(holders, 1);
        }
        for (holder, schedule) in Vesting::iter_prefix(&class) {
            ensure_invariant(
                schedule.start <= schedule.cliff
                    && schedule.cliff <= schedule.end
                    && schedule.start < schedule.end,
                "vesting schedules are well-formed (start ≤ cliff ≤ end, start < end)",
                u128::from(schedule.end),
                u128::from(schedule.start),
            )?;
            let balance = Shares::get(&class, &holder).map_or(0, |account| account.balance);
            let unvested = schedule.unvested_at(now);
            ensure_invariant(unvested <= balance, "unvested ≤ balance", balance, unvested)?;
        }
        ensure_invariant(
            supply == share_class.supply,
            "Σ holder shares = supply",
            share_class.supply,
            supply,
        )?;
        // The cap table: campaigns' shares plus allotments less redemptions.
        let minted = minted_by_class.get(&class).copied().unwrap_or(0);
        let issued = add(minted, crate::Allotted::get(&class));
        let redeemed = crate::Redeemed::get(&class);
        ensure_invariant(
            issued.checked_sub(redeemed) == Some(share_class.supply),
            "supply = Σ shares minted by the class's campaigns + allotted − redeemed",
            issued,
            share_class.supply.saturating_add(redeemed),
        )?;
        ensure_invariant(
            holders == u128::from(share_class.holders),
            "holders = number of non-empty share accounts",
            u128::from(share_class.holders),
            holders,
        )?;
        let pending = pending_by_class.get(&class).copied().unwrap_or(0);
        ensure_invariant(
            pending == u128::from(share_class.pending_investors),
            "pending investors = Σ active commitments of the class's campaigns",
            u128::from(share_class.pending_investors),
            pending,
        )?;
        // An existing holder's commitment is pending too but takes no second place.
        let places = register_places(class);
        ensure_invariant(
            places <= u128::from(share_class.max_holders),
            "distinct holders and pending investors ≤ max holders",
            u128::from(share_class.max_holders),
            places,
        )?;
        ensure_invariant(
            share_class.live_checkpoints.len() <= T::MAX_LIVE_CHECKPOINTS as usize,
            "at most MaxLiveCheckpoints live checkpoints",
            u128::from(T::MAX_LIVE_CHECKPOINTS),
            share_class.live_checkpoints.len() as u128,
        )?;
        for id in &share_class.live_checkpoints {
            let checkpoint = Checkpoints::get(id);
            ensure_invariant(
                checkpoint.is_some_and(|c| c.share_class == class),
                "live checkpoints exist and belong to their class",
                u128::from(*id),
                0,
            )?;
            let Some(checkpoint) = checkpoint else {
                continue;
            };
            if checkpoint.record_date > now {
                ensure_invariant(
                    checkpoint.supply.is_none()
                        && CheckpointBalances::iter_prefix(id).next().is_none(),
                    "nothing recorded before a record date",
                    0,
                    1,
                )?;
                continue;
            }
            let mut total = 0u128;
            let mut recorded: BTreeSet<AccountId> = BTreeSet::new();
            for (holder, balance) in CheckpointBalances::iter_prefix(id) {
                total = add(total, balance);
                recorded.insert(holder);
            }
            for (holder, account) in Shares::iter_prefix(&class) {
                if !recorded.contains(&holder) {
                    total = add(total, account.balance);
                }
            }
            let supply_at = checkpoint.supply.unwrap_or(share_class.supply);
            ensure_invariant(
                total == supply_at,
                "Σ holder shares at a record date = supply at the record date",
                supply_at,
                total,
            )?;
        }
    }
    Ok(())
}

fn check_distributions<T: Config>() -> Result<(), InvariantViolation> {
    let mut remaining_by_payer: BTreeMap<AccountId, Balance> = BTreeMap::new();
    for (id, d) in Distributions::iter() {
        let total = add(add(d.claimed, d.remaining), d.reclaimed);
        ensure_invariant(
            total == d.amount,
            "claimed + remaining + reclaimed = distribution amount",
            d.amount,
            total,
        )?;
        let claims: u128 = DividendClaims::iter_prefix(&id).fold(0, |sum, (_, a)| add(sum, a));
        ensure_invariant(
            claims == d.claimed,
            "claimed = Σ holder claims",
            d.claimed,
            claims,
        )?;
        ensure_invariant(
            !d.closed || d.remaining == 0,
            "a reclaimed distribution holds nothing",
            0,
            d.remaining,
        )?;
        let live = ShareClasses::get(&d.share_class)
            .is_some_and(|c| c.live_checkpoints.contains(&d.checkpoint));
        ensure_invariant(
            d.closed || live,
            "an open distribution's checkpoint is live",
            u128::from(d.checkpoint),
            0,
        )?;
        add_to(&mut remaining_by_payer, d.payer, d.remaining);
    }
    for (payer, remaining) in &remaining_by_payer {
        let held = T::Currency::balance_on_hold(HoldReason::DividendFunds, payer);
        ensure_invariant(
            held == *remaining,
            "dividend hold = Σ remaining of the payer's distributions",
            *remaining,
            held,
        )?;
    }
    Ok(())
}

fn check_motions() -> Result<(), InvariantViolation> {
    for (id, m) in Motions::iter() {
        let (mut ayes, mut nays) = (0u128, 0u128);
        for (_, vote) in Votes::iter_prefix(&id) {
            if vote.aye {
                ayes = add(ayes, vote.power);
            } else {
                nays = add(nays, vote.power);
            }
        }
        ensure_invariant(
            ayes == m.ayes && nays == m.nays,
            "tally = Σ votes",
            add(m.ayes, m.nays),
            add(ayes, nays),
        )?;
        if m.status == MotionStatus::Voting {
            let live = ShareClasses::get(&m.share_class)
                .is_some_and(|c| c.live_checkpoints.contains(&m.checkpoint));
            ensure_invariant(
                live,
                "an open motion's checkpoint is live",
                u128::from(m.checkpoint),
                0,
            )?;
            if let Some(checkpoint) = Checkpoints::get(&m.checkpoint) {
                let supply = checkpoint
                    .supply
                    .unwrap_or_else(|| ShareClasses::get(&m.share_class).map_or(0, |c| c.supply));
                ensure_invariant(
                    add(ayes, nays) <= supply,
                    "turnout ≤ supply at the record date",
                    supply,
                    add(ayes, nays),
                )?;
            }
        }
    }
    Ok(())
}
