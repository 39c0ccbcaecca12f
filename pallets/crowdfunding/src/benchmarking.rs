//! Benchmarks of the crowdfunding pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! Worst cases: campaigns carry the most price tiers, category caps and vesting, so committing
//! and settling price each amount across tiers and settling writes vesting schedules; batch
//! calls (`settle`, `refund`, `release_unconfirmed`, `prune_checkpoint`) find `limit`
//! investors (or recorded balances) to process. Calls that change balances (`settle`, the share
//! transfers) find the class tracking `MAX_LIVE_CHECKPOINTS` checkpoints whose record dates
//! have passed and that have recorded nothing yet, so each changed balance (and the supply) is
//! recorded once per checkpoint; calls that add a checkpoint find all but one place taken.

use crate::types::*;
use crate::ShareClasses;
use crate::{Call, Config, Distributions, NextCampaignId, NextCheckpointId, NextClassId};
use crate::{NextDistributionId, NextMotionId, NextOfferId};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    let batch = T::MAX_BATCH.max(2);
    alloc::vec![
        Benchmark::new("add_claim_issuer"),
        Benchmark::new("remove_claim_issuer"),
        Benchmark::new("issue_claim"),
        Benchmark::new("revoke_claim"),
        Benchmark::new("create_share_class"),
        Benchmark::new("set_transfer_categories"),
        Benchmark::new("create_campaign"),
        Benchmark::new("edit_campaign"),
        Benchmark::new("submit_campaign"),
        Benchmark::new("approve_campaign"),
        Benchmark::new("reject_campaign"),
        Benchmark::new("commit"),
        Benchmark::new("cancel_commitment"),
        Benchmark::new("amend_terms"),
        Benchmark::new("reconfirm"),
        Benchmark::linear("release_unconfirmed", "limit", 1, batch),
        Benchmark::new("pause_campaign"),
        Benchmark::new("resume_campaign"),
        Benchmark::new("cancel_campaign"),
        Benchmark::new("advance_campaign"),
        Benchmark::linear("settle", "limit", 1, batch),
        Benchmark::linear("refund", "limit", 1, batch),
        Benchmark::new("set_campaign_rules"),
        Benchmark::new("transfer_shares"),
        Benchmark::new("force_transfer_shares"),
        Benchmark::new("set_vesting"),
        Benchmark::new("create_distribution"),
        Benchmark::new("claim_dividend"),
        Benchmark::new("reclaim_dividend"),
        Benchmark::linear("prune_checkpoint", "limit", 1, batch),
        Benchmark::new("create_motion"),
        Benchmark::new("vote"),
        Benchmark::new("close_motion"),
        Benchmark::new("set_platform"),
        Benchmark::new("revoke_commitment"),
        Benchmark::new("allot_shares"),
        Benchmark::new("redeem_shares"),
        Benchmark::new("offer_shares"),
        Benchmark::new("accept_offer"),
        Benchmark::new("withdraw_offer"),
    ]
}

const DAY: Moment = 24 * 60 * 60 * 1_000;
/// When campaigns open.
const START: Moment = 10 * DAY;
/// Long after every campaign, lockup and vesting here.
const LATER: Moment = 1_000 * DAY;

/// The amount unit: the price of one share.
fn price<T: Config>() -> Balance {
    T::CAMPAIGN_DEPOSIT.max(1)
}

fn deadline<T: Config>() -> Moment {
    START
        .saturating_add(T::LOCK_WINDOW)
        .saturating_add(20 * DAY)
}

fn company() -> AccountId {
    account("company", 0)
}

fn kyc() -> AccountId {
    account("kyc", 0)
}

fn investor(i: u32) -> AccountId {
    account("investor", i)
}

fn signed(who: &AccountId) -> Origin {
    Origin::Signed(*who)
}

/// Most tiers, all at the price (so any amount is valid), category caps and vesting.
fn rules<T: Config>() -> CampaignRules {
    let p = price::<T>();
    CampaignRules {
        categories: CategorySet::ALL,
        category_caps: CategoryCaps {
            retail: Some(p.saturating_mul(1_000)),
            sophisticated: Some(p.saturating_mul(1_000)),
            professional: Some(p.saturating_mul(1_000)),
        },
        tiers: (1..=MAX_TIERS as u128)
            .map(|i| PriceTier {
                up_to: p.saturating_mul(i),
                price: p,
            })
            .collect(),
        vesting: Some(VestingTerms {
            cliff: DAY,
            duration: 10 * DAY,
        }),
    }
}

fn terms<T: Config>(class: ClassId, soft_cap_units: u128) -> CampaignTerms {
    let p = price::<T>();
    let investors = u128::from(T::MAX_BATCH.max(2)).saturating_add(2);
    CampaignTerms {
        share_class: class,
        price: p,
        soft_cap: p.saturating_mul(soft_cap_units),
        hard_cap: p.saturating_mul(10).saturating_mul(investors),
        min_commitment: p,
        max_commitment: p.saturating_mul(10),
        start: START,
        deadline: deadline::<T>(),
        document: H256([7; 32]),
    }
}

/// The claim issuer and `n` verified investors (from index `first`), all funded.
fn investors<T: Config, E: BenchmarkEnv>(first: u32, n: u32) -> Result<(), BenchmarkError> {
    if crate::ClaimIssuers::get(&kyc()).is_none() {
        Call::add_claim_issuer { issuer: kyc() }.dispatch::<T>(Origin::Root)?;
    }
    for i in first..first.saturating_add(n) {
        E::fund(&investor(i), price::<T>().saturating_mul(1_000));
        Call::issue_claim {
            subject: investor(i),
            kyc: KycStatus::Verified,
            category: InvestorCategory::Retail,
            investment_limit: None,
            expires_at: LATER.saturating_mul(10),
        }
        .dispatch::<T>(signed(&kyc()))?;
    }
    Ok(())
}

/// A share class of the funded company; returns it.
fn class<T: Config, E: BenchmarkEnv>() -> Result<ClassId, BenchmarkError> {
    E::fund(&company(), T::CAMPAIGN_DEPOSIT.saturating_mul(1_000_000));
    let class = NextClassId::get();
    Call::create_share_class {
        max_holders: 1_000,
        requires_claim: true,
        lockup: DAY,
    }
    .dispatch::<T>(signed(&company()))?;
    Ok(class)
}

/// A draft campaign with the worst-case rules; returns it.
fn draft<T: Config, E: BenchmarkEnv>(soft_cap_units: u128) -> Result<CampaignId, BenchmarkError> {
    let class = class::<T, E>()?;
    let id = NextCampaignId::get();
    Call::create_campaign {
        terms: terms::<T>(class, soft_cap_units),
    }
    .dispatch::<T>(signed(&company()))?;
    Call::set_campaign_rules {
        campaign: id,
        rules: rules::<T>(),
    }
    .dispatch::<T>(signed(&company()))?;
    Ok(id)
}

/// Submitted and approved, the clock at its start (it opens when next touched).
fn approved<T: Config, E: BenchmarkEnv>(
    soft_cap_units: u128,
) -> Result<CampaignId, BenchmarkError> {
    let id = draft::<T, E>(soft_cap_units)?;
    Call::submit_campaign { campaign: id }.dispatch::<T>(signed(&company()))?;
    Call::approve_campaign { campaign: id }.dispatch::<T>(Origin::Root)?;
    E::set_now(START);
    Ok(id)
}

/// Open, with `n` investors having committed ten shares' worth each.
fn committed<T: Config, E: BenchmarkEnv>(
    n: u32,
    soft_cap_units: u128,
) -> Result<CampaignId, BenchmarkError> {
    investors::<T, E>(0, n)?;
    let id = approved::<T, E>(soft_cap_units)?;
    for i in 0..n {
        Call::commit {
            campaign: id,
            amount: price::<T>().saturating_mul(10),
        }
        .dispatch::<T>(signed(&investor(i)))?;
    }
    Ok(id)
}

/// Settled with `n` investors holding shares; the clock after lockup and vesting. Returns the
/// class.
fn holders<T: Config, E: BenchmarkEnv>(n: u32) -> Result<ClassId, BenchmarkError> {
    let id = committed::<T, E>(n, 1)?;
    E::set_now(deadline::<T>());
    let mut settled = 0u32;
    while settled < n {
        Call::settle {
            campaign: id,
            limit: T::MAX_BATCH,
        }
        .dispatch::<T>(signed(&company()))?;
        settled = settled.saturating_add(T::MAX_BATCH.max(1));
    }
    E::set_now(LATER);
    crate::Campaigns::get(&id)
        .map(|c| c.terms.share_class)
        .ok_or(BenchmarkError::UnknownBenchmark)
}

/// A distribution on `class` recording after now; returns it.
fn distribution<T: Config>(class: ClassId) -> Result<DistributionId, BenchmarkError> {
    let id = NextDistributionId::get();
    Call::create_distribution {
        share_class: class,
        amount: price::<T>().saturating_mul(100),
        record_date: LATER.saturating_add(DAY),
        expires_at: LATER.saturating_add(10 * DAY),
    }
    .dispatch::<T>(signed(&company()))?;
    Ok(id)
}

/// Distributions on `class` recording at `record_date` (after now) until it tracks `count`
/// live checkpoints.
fn live_checkpoints<T: Config>(
    class: ClassId,
    count: u32,
    record_date: Moment,
) -> Result<(), BenchmarkError> {
    let live = ShareClasses::get(&class).map_or(0, |c| c.live_checkpoints.len());
    for _ in live..count as usize {
        Call::create_distribution {
            share_class: class,
            amount: price::<T>(),
            record_date,
            expires_at: LATER.saturating_mul(2),
        }
        .dispatch::<T>(signed(&company()))?;
    }
    Ok(())
}

/// `seller` offers one share at a time until it has `count` open offers (at most its ten
/// shares); returns the first offer's id.
fn offers<T: Config>(
    class: ClassId,
    seller: &AccountId,
    count: u32,
) -> Result<OfferId, BenchmarkError> {
    let first = NextOfferId::get();
    for _ in 0..count.min(10) {
        Call::offer_shares {
            share_class: class,
            amount: 1,
            price: price::<T>(),
            buyer: None,
        }
        .dispatch::<T>(signed(seller))?;
    }
    Ok(first)
}

fn create_motion(class: ClassId) -> Call {
    Call::create_motion {
        share_class: class,
        proposal: H256([9; 32]),
        record_date: LATER.saturating_add(DAY),
        voting_ends: LATER.saturating_add(10 * DAY),
        quorum_percent: 10,
        threshold_percent: 50,
    }
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, n: u32) -> Setup<Call> {
    let issuer = signed(&company());
    Ok(match call {
        "add_claim_issuer" => (Origin::Root, Call::add_claim_issuer { issuer: kyc() }),
        "remove_claim_issuer" => {
            investors::<T, E>(0, 0)?;
            (Origin::Root, Call::remove_claim_issuer { issuer: kyc() })
        }
        "issue_claim" => {
            investors::<T, E>(0, 0)?;
            (
                signed(&kyc()),
                Call::issue_claim {
                    subject: investor(0),
                    kyc: KycStatus::Verified,
                    category: InvestorCategory::Professional,
                    investment_limit: Some(price::<T>()),
                    expires_at: LATER,
                },
            )
        }
        "revoke_claim" => {
            investors::<T, E>(0, 1)?;
            (
                signed(&kyc()),
                Call::revoke_claim {
                    subject: investor(0),
                },
            )
        }
        "create_share_class" => {
            E::fund(&company(), T::CAMPAIGN_DEPOSIT.saturating_mul(10));
            (
                issuer,
                Call::create_share_class {
                    max_holders: 1_000,
                    requires_claim: true,
                    lockup: DAY,
                },
            )
        }
        "set_transfer_categories" => (
            issuer,
            Call::set_transfer_categories {
                share_class: class::<T, E>()?,
                categories: Some(CategorySet {
                    retail: false,
                    sophisticated: true,
                    professional: true,
                }),
            },
        ),
        "create_campaign" => (
            issuer,
            Call::create_campaign {
                terms: terms::<T>(class::<T, E>()?, 1),
            },
        ),
        "edit_campaign" => {
            let id = draft::<T, E>(1)?;
            let class = crate::Campaigns::get(&id).map_or(0, |c| c.terms.share_class);
            (
                issuer,
                Call::edit_campaign {
                    campaign: id,
                    terms: terms::<T>(class, 2),
                },
            )
        }
        "set_campaign_rules" => {
            let class = class::<T, E>()?;
            let id = NextCampaignId::get();
            Call::create_campaign {
                terms: terms::<T>(class, 1),
            }
            .dispatch::<T>(issuer.clone())?;
            (
                issuer,
                Call::set_campaign_rules {
                    campaign: id,
                    rules: rules::<T>(),
                },
            )
        }
        "submit_campaign" => (
            issuer,
            Call::submit_campaign {
                campaign: draft::<T, E>(1)?,
            },
        ),
        "approve_campaign" | "reject_campaign" => {
            let id = draft::<T, E>(1)?;
            Call::submit_campaign { campaign: id }.dispatch::<T>(issuer)?;
            if call == "approve_campaign" {
                (Origin::Root, Call::approve_campaign { campaign: id })
            } else {
                (Origin::Root, Call::reject_campaign { campaign: id })
            }
        }
        "advance_campaign" => {
            // The decision case, at its worst: the deadline has passed with nothing raised,
            // so the campaign fails and closes at once, ending the issuer's offering and
            // returning the deposit.
            let id = approved::<T, E>(1)?;
            E::set_now(deadline::<T>());
            (signed(&kyc()), Call::advance_campaign { campaign: id })
        }
        "commit" => {
            // Others have committed, so this one prices its amount across later tiers.
            let id = committed::<T, E>(2, 1)?;
            investors::<T, E>(2, 1)?;
            (
                signed(&investor(2)),
                Call::commit {
                    campaign: id,
                    amount: price::<T>().saturating_mul(10),
                },
            )
        }
        "cancel_commitment" => (
            signed(&investor(0)),
            Call::cancel_commitment {
                campaign: committed::<T, E>(2, 1)?,
            },
        ),
        "amend_terms" | "reconfirm" | "release_unconfirmed" => {
            let investors = if call == "release_unconfirmed" { n } else { 2 };
            let id = committed::<T, E>(investors, 1)?;
            let p = price::<T>();
            let amend = Call::amend_terms {
                campaign: id,
                amendment: Amendment {
                    soft_cap: p.saturating_mul(2),
                    min_commitment: p,
                    max_commitment: p.saturating_mul(20),
                    document: H256([8; 32]),
                },
            };
            if call == "amend_terms" {
                return Ok((issuer, amend));
            }
            amend.dispatch::<T>(issuer)?;
            if call == "reconfirm" {
                return Ok((signed(&investor(0)), Call::reconfirm { campaign: id }));
            }
            E::set_now(START.saturating_add(T::RECONFIRM_WINDOW));
            (
                signed(&kyc()),
                Call::release_unconfirmed {
                    campaign: id,
                    limit: n,
                },
            )
        }
        "pause_campaign" => (
            Origin::Root,
            Call::pause_campaign {
                campaign: committed::<T, E>(2, 1)?,
            },
        ),
        "resume_campaign" => {
            let id = committed::<T, E>(2, 1)?;
            Call::pause_campaign { campaign: id }.dispatch::<T>(Origin::Root)?;
            E::set_now(START.saturating_add(DAY));
            (Origin::Root, Call::resume_campaign { campaign: id })
        }
        "cancel_campaign" => (
            Origin::Root,
            Call::cancel_campaign {
                campaign: committed::<T, E>(2, 1)?,
            },
        ),
        "settle" => {
            let id = committed::<T, E>(n, 1)?;
            let class = crate::Campaigns::get(&id).map_or(0, |c| c.terms.share_class);
            live_checkpoints::<T>(class, T::MAX_LIVE_CHECKPOINTS, START.saturating_add(1))?;
            E::set_now(deadline::<T>());
            (
                signed(&kyc()),
                Call::settle {
                    campaign: id,
                    limit: n,
                },
            )
        }
        "refund" => {
            // The soft cap is out of reach: the campaign fails at its deadline.
            let id = committed::<T, E>(n, 10u128.saturating_mul(u128::from(n) + 1))?;
            E::set_now(deadline::<T>());
            (
                signed(&kyc()),
                Call::refund {
                    campaign: id,
                    limit: n,
                },
            )
        }
        "transfer_shares" | "force_transfer_shares" => {
            let class = holders::<T, E>(2)?;
            investors::<T, E>(2, 1)?;
            // Every record date has passed: both balances are recorded in each checkpoint.
            live_checkpoints::<T>(class, T::MAX_LIVE_CHECKPOINTS, LATER.saturating_add(DAY))?;
            E::set_now(LATER.saturating_add(2 * DAY));
            if call == "transfer_shares" {
                (
                    signed(&investor(0)),
                    Call::transfer_shares {
                        share_class: class,
                        to: investor(2),
                        amount: 1,
                    },
                )
            } else {
                // The court order takes all the holder's shares: each of its offers is cut.
                offers::<T>(class, &investor(0), T::MAX_OPEN_OFFERS)?;
                (
                    Origin::Root,
                    Call::force_transfer_shares {
                        share_class: class,
                        from: investor(0),
                        to: investor(2),
                        amount: 10,
                    },
                )
            }
        }
        "set_vesting" => {
            let class = holders::<T, E>(1)?;
            (
                Origin::Root,
                Call::set_vesting {
                    share_class: class,
                    holder: investor(0),
                    schedule: Some(VestingSchedule {
                        locked: 5,
                        start: LATER,
                        cliff: LATER.saturating_add(DAY),
                        end: LATER.saturating_add(10 * DAY),
                    }),
                },
            )
        }
        "create_distribution" => {
            let class = holders::<T, E>(2)?;
            let others = T::MAX_LIVE_CHECKPOINTS.saturating_sub(1);
            live_checkpoints::<T>(class, others, LATER.saturating_add(DAY))?;
            (
                issuer,
                Call::create_distribution {
                    share_class: class,
                    amount: price::<T>().saturating_mul(100),
                    record_date: LATER.saturating_add(DAY),
                    expires_at: LATER.saturating_add(10 * DAY),
                },
            )
        }
        "claim_dividend" | "reclaim_dividend" => {
            let class = holders::<T, E>(2)?;
            let id = distribution::<T>(class)?;
            if call == "claim_dividend" {
                E::set_now(LATER.saturating_add(2 * DAY));
                (
                    signed(&investor(0)),
                    Call::claim_dividend { distribution: id },
                )
            } else {
                E::set_now(LATER.saturating_add(10 * DAY));
                (issuer, Call::reclaim_dividend { distribution: id })
            }
        }
        "prune_checkpoint" => {
            // `n + 1` holders each move a share after the record date, so more than `n`
            // balances are recorded: `limit` of them are removed and one is left to find.
            let class = holders::<T, E>(n.saturating_add(1))?;
            let checkpoint = NextCheckpointId::get();
            let id = distribution::<T>(class)?;
            investors::<T, E>(n.saturating_add(1), 1)?;
            E::set_now(LATER.saturating_add(2 * DAY));
            for i in 0..=n {
                Call::transfer_shares {
                    share_class: class,
                    to: investor(n.saturating_add(1)),
                    amount: 1,
                }
                .dispatch::<T>(signed(&investor(i)))?;
            }
            E::set_now(LATER.saturating_add(10 * DAY));
            Call::reclaim_dividend { distribution: id }.dispatch::<T>(issuer)?;
            if Distributions::get(&id).is_none_or(|d| d.checkpoint != checkpoint) {
                return Err(BenchmarkError::UnknownBenchmark);
            }
            (
                signed(&kyc()),
                Call::prune_checkpoint {
                    checkpoint,
                    limit: n,
                },
            )
        }
        "create_motion" => {
            let class = holders::<T, E>(2)?;
            let others = T::MAX_LIVE_CHECKPOINTS.saturating_sub(1);
            live_checkpoints::<T>(class, others, LATER.saturating_add(DAY))?;
            (issuer, create_motion(class))
        }
        "vote" | "close_motion" => {
            let class = holders::<T, E>(2)?;
            let id = NextMotionId::get();
            create_motion(class).dispatch::<T>(issuer)?;
            E::set_now(LATER.saturating_add(2 * DAY));
            if call == "vote" {
                (
                    signed(&investor(0)),
                    Call::vote {
                        motion: id,
                        aye: true,
                    },
                )
            } else {
                Call::vote {
                    motion: id,
                    aye: true,
                }
                .dispatch::<T>(signed(&investor(0)))?;
                E::set_now(LATER.saturating_add(10 * DAY));
                (signed(&kyc()), Call::close_motion { motion: id })
            }
        }
        "set_platform" => (
            Origin::Root,
            Call::set_platform {
                platform: Some(kyc()),
            },
        ),
        "revoke_commitment" => {
            // In the final window (where cancelling is locked), the whole commitment made
            // within the reflection period in several amounts: a full release.
            let id = committed::<T, E>(1, 1)?;
            investors::<T, E>(1, 1)?;
            for i in 0..MAX_RECENT_COMMITMENTS as Moment {
                E::set_now(deadline::<T>().saturating_sub(DAY).saturating_add(i));
                Call::commit {
                    campaign: id,
                    amount: price::<T>(),
                }
                .dispatch::<T>(signed(&investor(1)))?;
            }
            (
                signed(&investor(1)),
                Call::revoke_commitment { campaign: id },
            )
        }
        "allot_shares" | "redeem_shares" => {
            // Every record date has passed: the balance and the supply are recorded in each
            // checkpoint; the allottee is a new holder, the redeemed holder has a schedule.
            let class = holders::<T, E>(2)?;
            live_checkpoints::<T>(class, T::MAX_LIVE_CHECKPOINTS, LATER.saturating_add(DAY))?;
            E::set_now(LATER.saturating_add(2 * DAY));
            if call == "allot_shares" {
                (
                    Origin::Root,
                    Call::allot_shares {
                        share_class: class,
                        to: investor(2),
                        amount: 1_000,
                        document: H256([5; 32]),
                    },
                )
            } else {
                Call::set_vesting {
                    share_class: class,
                    holder: investor(0),
                    schedule: Some(VestingSchedule {
                        locked: 5,
                        start: LATER,
                        cliff: LATER.saturating_add(10 * DAY),
                        end: LATER.saturating_add(20 * DAY),
                    }),
                }
                .dispatch::<T>(Origin::Root)?;
                (
                    Origin::Root,
                    Call::redeem_shares {
                        share_class: class,
                        holder: investor(0),
                        amount: 8,
                        price: price::<T>(),
                    },
                )
            }
        }
        "offer_shares" => {
            // The seller has all but one of its open offers already.
            let class = holders::<T, E>(2)?;
            offers::<T>(class, &investor(0), T::MAX_OPEN_OFFERS.saturating_sub(1))?;
            (
                signed(&investor(0)),
                Call::offer_shares {
                    share_class: class,
                    amount: 1,
                    price: price::<T>(),
                    buyer: Some(investor(1)),
                },
            )
        }
        "accept_offer" | "withdraw_offer" => {
            // The seller's open offers are at their limit and the first one ends, leaving
            // the list; every record date has passed, so an acceptance records both balances
            // in each checkpoint; the buyer is a new holder with a claim to check.
            let class = holders::<T, E>(2)?;
            investors::<T, E>(2, 1)?;
            live_checkpoints::<T>(class, T::MAX_LIVE_CHECKPOINTS, LATER.saturating_add(DAY))?;
            E::set_now(LATER.saturating_add(2 * DAY));
            let offer = offers::<T>(class, &investor(0), T::MAX_OPEN_OFFERS)?;
            if call == "accept_offer" {
                (
                    signed(&investor(2)),
                    Call::accept_offer {
                        offer,
                        amount: None,
                    },
                )
            } else {
                (signed(&investor(0)), Call::withdraw_offer { offer })
            }
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, BenchEnv, Test};

    #[test]
    fn every_call_has_a_benchmark() {
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call>(&benchmarks::<
            Test,
        >());
    }

    #[test]
    fn every_benchmark_dispatches_successfully() {
        for benchmark in benchmarks::<Test>() {
            for n in benchmark.points() {
                new_test_ext().execute(|| {
                    let (origin, call) = setup::<Test, BenchEnv>(benchmark.call, n)
                        .unwrap_or_else(|e| panic!("{} ({n}): {e:?}", benchmark.call));
                    if let Call::prune_checkpoint { checkpoint, limit } = &call {
                        use folio_pallet_support::storage::StorageDoubleMap as _;
                        let recorded = crate::CheckpointBalances::iter_prefix(checkpoint).count();
                        assert!(recorded > *limit as usize, "{recorded} balances recorded");
                    }
                    let result = crate::mock::dispatch(call, origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }
}
