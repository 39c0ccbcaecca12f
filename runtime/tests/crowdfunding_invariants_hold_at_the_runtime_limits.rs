//! Random sequences of crowdfunding calls, dispatched by this runtime over its dev genesis
//! with its own constants (`LOCK_WINDOW` 48 h, `RECONFIRM_WINDOW` 5 days, `MAX_PAUSE`,
//! `MAX_BATCH` 100, `MAX_LIVE_CHECKPOINTS` 8, real `UNIT` amounts), keep every invariant of
//! every pallet (`invariants::check_all`) after every step, and a failed call changes nothing.
//! The pallet's own property tests run the same rules under its mock's small constants; this
//! one checks that nothing depends on those.

use folio_pallet_crowdfunding::{
    Amendment, Call as Cf, CampaignTerms, InvestorCategory, KycStatus,
};
use folio_pallet_support::origin::Origin;
use folio_pallet_support::storage::{StorageMap, StorageValue};
use folio_pallet_support::transactional::with_transaction;
use folio_primitives::dev::ACCOUNTS;
use folio_primitives::externalities::TestExternalities;
use folio_primitives::hash::H256;
use folio_primitives::{AccountId, Balance, Moment};
use folio_runtime::{RuntimeCall, DAY, UNIT};
use proptest::prelude::*;

const HOUR: Moment = DAY / 24;
/// When the campaigns open.
const START: Moment = 100 * DAY;
/// The campaigns' issuer: Ferdie (the other dev accounts invest; Eve has no claim).
const ISSUER: usize = 5;
const CLAIM_ISSUER: usize = 0;
const CAMPAIGNS: u32 = 2;

fn account(i: usize) -> AccountId {
    AccountId::new(ACCOUNTS[i % ACCOUNTS.len()])
}

#[derive(Clone, Debug)]
enum Step {
    Signed(usize, Cf),
    Root(Cf),
    Wait(Moment),
}

fn who() -> impl Strategy<Value = usize> {
    0..ACCOUNTS.len()
}

fn campaign() -> impl Strategy<Value = u32> {
    0..CAMPAIGNS
}

fn amount() -> impl Strategy<Value = Balance> {
    prop_oneof![
        4 => (1..=40u128).prop_map(|n| n * 10 * UNIT),
        1 => 0..3_000 * UNIT,
    ]
}

fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![1..=3u32, Just(0), Just(100), Just(101)]
}

fn wait() -> impl Strategy<Value = Moment> {
    prop_oneof![
        Just(HOUR),
        Just(DAY),
        Just(3 * DAY),
        Just(15 * DAY),
        Just(60 * DAY)
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (0..4usize, campaign(), amount())
            .prop_map(|(w, campaign, amount)| Step::Signed(w, Cf::commit { campaign, amount })),
        3 => (0..4usize, campaign()).prop_map(|(w, campaign)| Step::Signed(w, Cf::cancel_commitment { campaign })),
        3 => (0..4usize, campaign()).prop_map(|(w, campaign)| Step::Signed(w, Cf::revoke_commitment { campaign })),
        1 => campaign().prop_map(|campaign| Step::Signed(ISSUER, Cf::amend_terms {
            campaign,
            amendment: Amendment {
                soft_cap: 150 * UNIT,
                min_commitment: 10 * UNIT,
                max_commitment: 300 * UNIT,
                document: H256([9; 32]),
            },
        })),
        2 => (0..4usize, campaign()).prop_map(|(w, campaign)| Step::Signed(w, Cf::reconfirm { campaign })),
        1 => (campaign(), limit()).prop_map(|(campaign, limit)| Step::Signed(1, Cf::release_unconfirmed { campaign, limit })),
        1 => campaign().prop_map(|campaign| Step::Root(Cf::pause_campaign { campaign })),
        1 => campaign().prop_map(|campaign| Step::Root(Cf::resume_campaign { campaign })),
        // Campaign 0 is never cancelled, so most runs reach settlement and the share register.
        1 => Just(Step::Root(Cf::cancel_campaign { campaign: 1 })),
        1 => campaign().prop_map(|campaign| Step::Signed(2, Cf::advance_campaign { campaign })),
        4 => (campaign(), limit()).prop_map(|(campaign, limit)| Step::Signed(3, Cf::settle { campaign, limit })),
        2 => (campaign(), limit()).prop_map(|(campaign, limit)| Step::Signed(3, Cf::refund { campaign, limit })),
        4 => (0..4usize, campaign(), who(), 0..200u128).prop_map(|(w, share_class, to, amount)| {
            Step::Signed(w, Cf::transfer_shares { share_class, to: account(to), amount })
        }),
        1 => (campaign(), 1..100u128).prop_map(|(share_class, units)| Step::Signed(ISSUER, Cf::create_distribution {
            share_class,
            amount: units * UNIT,
            record_date: 0,
            expires_at: 0,
        })),
        4 => (0..4usize, 0..4u32).prop_map(|(w, distribution)| Step::Signed(w, Cf::claim_dividend { distribution })),
        1 => (0..4u32).prop_map(|distribution| Step::Signed(ISSUER, Cf::reclaim_dividend { distribution })),
        1 => campaign().prop_map(|share_class| Step::Signed(ISSUER, Cf::create_motion {
            share_class,
            proposal: H256([7; 32]),
            record_date: 0,
            voting_ends: 0,
            quorum_percent: 30,
            threshold_percent: 50,
        })),
        4 => (0..4usize, 0..3u32, any::<bool>()).prop_map(|(w, motion, aye)| Step::Signed(w, Cf::vote { motion, aye })),
        1 => (0..3u32).prop_map(|motion| Step::Signed(1, Cf::close_motion { motion })),
        1 => (0..6u32, limit()).prop_map(|(checkpoint, limit)| Step::Signed(1, Cf::prune_checkpoint { checkpoint, limit })),
        // The cap table: founders' allotments and redemptions paid by the issuer.
        1 => (campaign(), who(), 1..200u128).prop_map(|(share_class, to, amount)| Step::Root(Cf::allot_shares {
            share_class,
            to: account(to),
            amount,
            document: H256([3; 32]),
        })),
        1 => (campaign(), who(), 0..200u128, 0..3u128).prop_map(|(share_class, holder, amount, units)| Step::Root(Cf::redeem_shares {
            share_class,
            holder: account(holder),
            amount,
            price: units * UNIT,
        })),
        // Secondary trades: offers of class 0's shares (to anyone or a named buyer), partial
        // and full acceptances, withdrawals.
        3 => (0..4usize, campaign(), 0..120u128, 0..3u128, prop::option::of(0..5usize)).prop_map(
            |(w, share_class, amount, units, buyer)| Step::Signed(w, Cf::offer_shares {
                share_class,
                amount,
                price: units * UNIT,
                buyer: buyer.map(account),
            })
        ),
        3 => (0..5usize, 0..6u32, prop::option::of(0..80u128))
            .prop_map(|(w, offer, amount)| Step::Signed(w, Cf::accept_offer { offer, amount })),
        1 => (0..4usize, 0..6u32).prop_map(|(w, offer)| Step::Signed(w, Cf::withdraw_offer { offer })),
        4 => wait().prop_map(Step::Wait),
    ]
}

fn now() -> Moment {
    folio_pallet_timestamp::Now::get()
}

fn supply(share_class: u32) -> u128 {
    folio_pallet_crowdfunding::ShareClasses::get(&share_class).map_or(0, |c| c.supply)
}

/// `(free, total)` of every dev account.
fn money() -> Vec<(Balance, Balance)> {
    use folio_pallet_support::currency::Currency;
    (0..ACCOUNTS.len())
        .map(|i| {
            let who = account(i);
            (
                folio_runtime::Balances::free_balance(&who),
                folio_runtime::Balances::total_balance(&who),
            )
        })
        .collect()
}

fn dispatch(origin: Origin, call: Cf) -> bool {
    with_transaction(|| RuntimeCall::Crowdfunding(call).dispatch(origin)).is_ok()
}

/// The dev genesis, a claim issuer, claims for four investors and two approved campaigns.
fn chain() -> TestExternalities {
    let mut ext = TestExternalities::default();
    ext.execute_with(|| {
        let config = folio_runtime::genesis::preset_config(Some(b"development")).expect("preset");
        folio_runtime::genesis::build(&config).expect("dev genesis");
        folio_pallet_timestamp::Now::put(&(START - DAY));
        let root = |call| assert!(dispatch(Origin::Root, call));
        let signed = |who: usize, call| assert!(dispatch(Origin::Signed(account(who)), call));
        root(Cf::add_claim_issuer {
            issuer: account(CLAIM_ISSUER),
        });
        for (investor, category) in [
            (0, InvestorCategory::Professional),
            (1, InvestorCategory::Retail),
            (2, InvestorCategory::Sophisticated),
            (3, InvestorCategory::Retail),
        ] {
            signed(
                CLAIM_ISSUER,
                Cf::issue_claim {
                    subject: account(investor),
                    kyc: KycStatus::Verified,
                    category,
                    investment_limit: Some(500 * UNIT),
                    expires_at: 10_000 * DAY,
                },
            );
        }
        for id in 0..CAMPAIGNS {
            signed(
                ISSUER,
                Cf::create_share_class {
                    max_holders: 3,
                    requires_claim: id == 0,
                    lockup: DAY,
                },
            );
            signed(
                ISSUER,
                Cf::create_campaign {
                    terms: CampaignTerms {
                        share_class: id,
                        price: UNIT,
                        soft_cap: 100 * UNIT,
                        hard_cap: 400 * UNIT,
                        min_commitment: 10 * UNIT,
                        max_commitment: 300 * UNIT,
                        start: START,
                        // Approved a day before the start: the 21-day offering period and a day.
                        deadline: START + 22 * DAY,
                        document: H256([id as u8 + 1; 32]),
                    },
                },
            );
            signed(ISSUER, Cf::submit_campaign { campaign: id });
            root(Cf::approve_campaign { campaign: id });
        }
        folio_pallet_timestamp::Now::put(&START);
    });
    ext.commit_all();
    ext
}

/// Fills in dates relative to now (the strategies cannot know the clock).
fn dated(call: Cf, now: Moment) -> Cf {
    match call {
        Cf::create_distribution {
            share_class,
            amount,
            ..
        } => Cf::create_distribution {
            share_class,
            amount,
            record_date: now + DAY,
            expires_at: now + 5 * DAY,
        },
        Cf::create_motion {
            share_class,
            proposal,
            quorum_percent,
            threshold_percent,
            ..
        } => Cf::create_motion {
            share_class,
            proposal,
            record_date: now + DAY,
            voting_ends: now + 3 * DAY,
            quorum_percent,
            threshold_percent,
        },
        other => other,
    }
}

fn run(steps: Vec<Step>) -> Result<TestExternalities, TestCaseError> {
    let mut ext = chain();
    for (i, step) in steps.into_iter().enumerate() {
        // The event log is reset first, so a failed call's state can be compared whole.
        ext.execute_with(folio_pallet_support::events::reset_events);
        let before = ext.snapshot();
        let money_before = ext.execute_with(money);
        let supply_before = ext.execute_with(|| (0..CAMPAIGNS).map(supply).collect::<Vec<_>>());
        let ok = ext.execute_with(|| {
            let now = now();
            match step.clone() {
                Step::Wait(ms) => {
                    folio_pallet_timestamp::Now::put(&(now + ms));
                    true
                }
                Step::Root(call) => dispatch(Origin::Root, dated(call, now)),
                // Record dates before any shares exist would only use up the checkpoints.
                Step::Signed(_, Cf::create_distribution { share_class, .. })
                | Step::Signed(_, Cf::create_motion { share_class, .. })
                    if supply(share_class) == 0 =>
                {
                    true
                }
                Step::Signed(who, call) => dispatch(Origin::Signed(account(who)), dated(call, now)),
            }
        });
        if !ok {
            prop_assert!(
                ext.snapshot() == before,
                "step {i} {step:?} failed and changed state"
            );
        }
        // Money moves only on acceptance, and then exactly the price from buyer to seller;
        // a trade never changes the supply.
        let money_after = ext.execute_with(money);
        match (&step, ok) {
            (Step::Signed(_, Cf::offer_shares { .. } | Cf::withdraw_offer { .. }), true) => {
                prop_assert!(money_after == money_before, "step {i} {step:?} moved money");
            }
            (Step::Signed(who, Cf::accept_offer { .. }), true) => {
                let paid = money_before[*who].0 - money_after[*who].0;
                let received: u128 = money_after
                    .iter()
                    .zip(&money_before)
                    .map(|(after, before)| after.0.saturating_sub(before.0))
                    .sum();
                prop_assert!(
                    paid == received,
                    "step {i} {step:?}: paid {paid}, received {received}"
                );
                let supply_after =
                    ext.execute_with(|| (0..CAMPAIGNS).map(supply).collect::<Vec<_>>());
                prop_assert!(
                    supply_after == supply_before,
                    "step {i} {step:?} changed a supply"
                );
            }
            _ => {}
        }
        let broken: Vec<_> = ext.execute_with(|| {
            folio_runtime::invariants::check_all()
                .into_iter()
                .filter(|(_, violation)| violation.is_some())
                .collect()
        });
        prop_assert!(broken.is_empty(), "after step {i} {step:?}: {broken:?}");
        ext.commit_all();
    }
    Ok(ext)
}

proptest! {
    // Bounded so the whole file runs in well under a minute in a debug build.
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn crowdfunding_invariants_hold_at_the_runtime_limits(
        steps in proptest::collection::vec(step(), 1..120)
    ) {
        run(steps)?;
    }

    /// The same from a settled campaign 0, so most steps work on the share register
    /// (transfers, distributions, claims, motions, votes, pruning).
    #[test]
    fn share_register_invariants_hold_at_the_runtime_limits(
        steps in proptest::collection::vec(step(), 1..120)
    ) {
        let mut all = settled();
        all.extend(steps);
        run(all)?;
    }
}

/// Two investors take campaign 0 past its soft cap and it settles after its deadline.
fn settled() -> Vec<Step> {
    vec![
        Step::Signed(
            0,
            Cf::commit {
                campaign: 0,
                amount: 200 * UNIT,
            },
        ),
        Step::Signed(
            1,
            Cf::commit {
                campaign: 0,
                amount: 150 * UNIT,
            },
        ),
        Step::Wait(23 * DAY),
        Step::Signed(
            3,
            Cf::settle {
                campaign: 0,
                limit: 100,
            },
        ),
    ]
}

#[test]
fn the_setup_reaches_open_campaigns_and_settlement() {
    // The set-up must let the strategies reach the interesting states.
    let mut ext = run(settled()).expect("runs");
    ext.execute_with(|| {
        let class = folio_pallet_crowdfunding::ShareClasses::get(&0).expect("class 0");
        assert_eq!((class.supply, class.holders), (350, 2));
    });
}
