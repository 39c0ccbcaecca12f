//! Random call sequences keep every invariant after every step, and failed calls change
//! nothing.

use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Currency as _, FreezeReason};
use folio_primitives::externalities::TestExternalities;
use folio_primitives::hash::H256;
use proptest::prelude::*;

type Balances = folio_pallet_currency::Pallet<Test>;

/// One step: a call (signed by an account, or Root), time passing, or a freeze another pallet
/// could place (it makes settlement of a held commitment fail, exercising `Defaulted`).
#[derive(Clone, Debug)]
enum Step {
    Call(u8, Call),
    Root(Call),
    Wait(Moment),
    Freeze(u8, Balance),
}

/// Investors 1–5 (5 without a claim), the issuer and the claim issuer.
fn who() -> impl Strategy<Value = u8> {
    prop_oneof![1..=5u8, Just(ISSUER)]
}

fn campaign() -> impl Strategy<Value = CampaignId> {
    0..3u32
}

fn amount() -> impl Strategy<Value = Balance> {
    prop_oneof![(1..=40u128).prop_map(|n| n * 50), 0..3_000u128,]
}

fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![1..=3u32, Just(0), Just(10)]
}

fn wait() -> impl Strategy<Value = Moment> {
    prop_oneof![4 => Just(HOUR), 4 => Just(DAY), 2 => Just(5 * DAY), 2 => Just(20 * DAY), 1 => Just(100 * DAY)]
}

fn amendment() -> impl Strategy<Value = Amendment> {
    (
        prop_oneof![Just(300u128), Just(1_000), Just(1_500)],
        prop_oneof![Just(100u128), Just(50)],
    )
        .prop_map(|(soft_cap, min_commitment)| Amendment {
            soft_cap,
            min_commitment,
            max_commitment: 1_500,
            document: H256([soft_cap as u8; 32]),
        })
}

fn campaign_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (who(), campaign(), amount())
            .prop_map(|(w, campaign, amount)| Step::Call(w, Call::commit { campaign, amount })),
        2 => (who(), campaign()).prop_map(|(w, campaign)| Step::Call(w, Call::cancel_commitment { campaign })),
        2 => (who(), campaign()).prop_map(|(w, campaign)| Step::Call(w, Call::revoke_commitment { campaign })),
        1 => (campaign(), amendment())
            .prop_map(|(campaign, amendment)| Step::Call(ISSUER, Call::amend_terms { campaign, amendment })),
        2 => (who(), campaign()).prop_map(|(w, campaign)| Step::Call(w, Call::reconfirm { campaign })),
        1 => (campaign(), limit())
            .prop_map(|(campaign, limit)| Step::Call(EVE, Call::release_unconfirmed { campaign, limit })),
        1 => campaign().prop_map(|campaign| Step::Root(Call::pause_campaign { campaign })),
        1 => campaign().prop_map(|campaign| Step::Root(Call::resume_campaign { campaign })),
        1 => campaign().prop_map(|campaign| Step::Call(ISSUER, Call::cancel_campaign { campaign })),
        1 => campaign().prop_map(|campaign| Step::Call(EVE, Call::advance_campaign { campaign })),
        2 => (campaign(), limit()).prop_map(|(campaign, limit)| Step::Call(EVE, Call::settle { campaign, limit })),
        2 => (campaign(), limit()).prop_map(|(campaign, limit)| Step::Call(EVE, Call::refund { campaign, limit })),
        3 => wait().prop_map(Step::Wait),
        1 => (who(), amount()).prop_map(|(w, a)| Step::Freeze(w, a)),
    ]
}

fn register_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (who(), who(), 0..80u128)
            .prop_map(|(w, to, amount)| Step::Call(w, Call::transfer_shares { share_class: 0, to: account(to), amount })),
        1 => (who(), who(), 0..80u128).prop_map(|(from, to, amount)| Step::Root(
            Call::force_transfer_shares { share_class: 0, from: account(from), to: account(to), amount }
        )),
        1 => (who(), 0..10u128).prop_map(|(to, amount)| Step::Root(
            Call::allot_shares { share_class: 0, to: account(to), amount, document: H256([3; 32]) }
        )),
        1 => (who(), 0..80u128, 0..30u128).prop_map(|(holder, amount, price)| Step::Root(
            Call::redeem_shares { share_class: 0, holder: account(holder), amount, price }
        )),
        1 => (amount(), prop_oneof![Just(0), Just(HOUR), Just(DAY)], prop_oneof![Just(DAY), Just(30 * DAY)])
            .prop_map(|(amount, record, expiry)| Step::Call(ISSUER, Call::create_distribution {
                share_class: 0,
                amount,
                // Offsets from "now" are resolved when the step runs.
                record_date: record,
                expires_at: record + expiry,
            })),
        2 => (who(), 0..4u32).prop_map(|(w, distribution)| Step::Call(w, Call::claim_dividend { distribution })),
        1 => (0..3u32).prop_map(|distribution| Step::Call(EVE, Call::reclaim_dividend { distribution })),
        1 => (prop_oneof![Just(0u8), Just(50), Just(100)], prop_oneof![Just(1u8), Just(50), Just(100)])
            .prop_map(|(quorum_percent, threshold_percent)| Step::Call(ISSUER, Call::create_motion {
                share_class: 0,
                proposal: H256([1; 32]),
                record_date: HOUR,
                voting_ends: 5 * DAY,
                quorum_percent,
                threshold_percent,
            })),
        4 => (who(), 0..4u32, any::<bool>()).prop_map(|(w, motion, aye)| Step::Call(w, Call::vote { motion, aye })),
        1 => (0..3u32).prop_map(|motion| Step::Call(EVE, Call::close_motion { motion })),
        1 => (prop_oneof![Just(ALICE), Just(EVE), Just(CHARLIE)], category())
            .prop_map(|(w, category)| Step::Call(KYC, Call::issue_claim {
                subject: account(w),
                kyc: KycStatus::Verified,
                category,
                investment_limit: Some(1_200),
                expires_at: CLAIM_EXPIRY,
            })),
        1 => who().prop_map(|w| Step::Call(KYC, Call::revoke_claim { subject: account(w) })),
        // Secondary trades: offers (to anyone or a named buyer), acceptances, withdrawals.
        2 => (who(), 0..80u128, 0..30u128, proptest::option::of(who())).prop_map(|(w, amount, price, buyer)| {
            Step::Call(w, Call::offer_shares { share_class: 0, amount, price, buyer: buyer.map(account) })
        }),
        2 => (who(), 0..5u32, proptest::option::of(0..40u128))
            .prop_map(|(w, offer, amount)| Step::Call(w, Call::accept_offer { offer, amount })),
        1 => (who(), 0..5u32).prop_map(|(w, offer)| Step::Call(w, Call::withdraw_offer { offer })),
    ]
}

fn category() -> impl Strategy<Value = InvestorCategory> {
    prop_oneof![
        Just(InvestorCategory::Retail),
        Just(InvestorCategory::Sophisticated),
        Just(InvestorCategory::Professional)
    ]
}

/// Vesting set by Root, transfer categories, and pruning of retired checkpoints.
fn rules_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (who(), 0..70u128, 0..3u64, 1..4u64, any::<bool>()).prop_map(|(w, locked, cliff, end, set)| {
            Step::Root(Call::set_vesting {
                share_class: 0,
                holder: account(w),
                // Offsets from "now" are resolved when the step runs.
                schedule: set.then_some(VestingSchedule {
                    locked,
                    start: 0,
                    cliff: cliff * 5 * DAY,
                    end: end * 10 * DAY,
                }),
            })
        }),
        1 => (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(retail, sophisticated, professional)| {
            let set = CategorySet { retail, sophisticated, professional };
            Step::Call(ISSUER, Call::set_transfer_categories {
                share_class: 0,
                categories: (set != CategorySet::ALL).then_some(set),
            })
        }),
        2 => (0..4u32, limit()).prop_map(|(checkpoint, limit)| {
            Step::Call(EVE, Call::prune_checkpoint { checkpoint, limit })
        }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![6 => campaign_step(), 4 => register_step(), 1 => rules_step()]
}

/// Dates in generated distributions and motions are offsets from the time the step runs.
fn resolve(call: Call) -> Call {
    match call {
        Call::create_distribution {
            share_class: class,
            amount,
            record_date,
            expires_at,
        } => Call::create_distribution {
            share_class: class,
            amount,
            record_date: now() + record_date,
            expires_at: now() + expires_at,
        },
        Call::create_motion {
            share_class: class,
            proposal,
            record_date,
            voting_ends,
            quorum_percent,
            threshold_percent,
        } => Call::create_motion {
            share_class: class,
            proposal,
            record_date: now() + record_date,
            voting_ends: now() + voting_ends,
            quorum_percent,
            threshold_percent,
        },
        Call::set_vesting {
            share_class: class,
            holder,
            schedule,
        } => Call::set_vesting {
            share_class: class,
            holder,
            schedule: schedule.map(|v| VestingSchedule {
                locked: v.locked,
                start: now() + v.start,
                cliff: now() + v.cliff,
                end: now() + v.end,
            }),
        },
        other => other,
    }
}

/// Runs a step as the executive would (in its own storage transaction); returns whether it
/// succeeded.
fn run(step: Step) -> bool {
    match step {
        Step::Call(w, call) => dispatch(resolve(call), signed(w)).is_ok(),
        Step::Root(call) => dispatch(resolve(call), Origin::Root).is_ok(),
        Step::Wait(by) => {
            advance(by);
            true
        }
        Step::Freeze(w, amount) => with_transaction(|| {
            Balances::set_freeze(FreezeReason::GovernanceVote, &account(w), amount)
        })
        .is_ok(),
    }
}

/// Class 0 (max 6 holders) already funded by campaign 0, whose rules price the first 500 of
/// its raise at 5 per share (then 10) and vest its shares from settlement (day 5; cliff day
/// 10, all by day 40): Alice committed 600 first (500 ÷ 5 + 100 ÷ 10 = 110 shares), Bob 500
/// (50 shares), locked until day 15 and vesting. Two approved campaigns on the class:
/// campaign 1 with the standard terms, and campaign 2 smaller (soft cap 300, hard cap 600),
/// admitting no sophisticated investors and retail ones up to 400; time at their start
/// (day 10). So every sequence starts with tier-priced, vesting shares.
fn genesis() -> TestExternalities {
    let mut ext = new_test_ext().into_externalities();
    ext.execute_with(|| {
        create_class(6);
        // The seed campaign runs the shortest offering period; the others follow it.
        let seed = CampaignTerms {
            start: 0,
            deadline: MIN_OFFERING_PERIOD,
            ..terms()
        };
        let later = |terms: CampaignTerms| CampaignTerms {
            start: terms.start + MIN_OFFERING_PERIOD,
            deadline: terms.deadline + MIN_OFFERING_PERIOD,
            ..terms
        };
        let tiered_and_vesting = CampaignRules {
            tiers: vec![PriceTier {
                up_to: 500,
                price: 5,
            }],
            vesting: Some(VestingTerms {
                cliff: 5 * DAY,
                duration: 35 * DAY,
            }),
            ..CampaignRules::default()
        };
        for (call, origin) in [
            (Call::create_campaign { terms: seed }, signed(ISSUER)),
            (
                Call::set_campaign_rules {
                    campaign: 0,
                    rules: tiered_and_vesting,
                },
                signed(ISSUER),
            ),
            (Call::submit_campaign { campaign: 0 }, signed(ISSUER)),
            (Call::approve_campaign { campaign: 0 }, Origin::Root),
            (
                Call::commit {
                    campaign: 0,
                    amount: 600,
                },
                signed(ALICE),
            ),
            (
                Call::commit {
                    campaign: 0,
                    amount: 500,
                },
                signed(BOB),
            ),
        ] {
            assert_eq!(dispatch(call, origin), Ok(()));
        }
        set_now(MIN_OFFERING_PERIOD);
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: 0,
                    limit: 5
                },
                signed(EVE)
            ),
            Ok(())
        );
        let small = CampaignTerms {
            soft_cap: 300,
            hard_cap: 600,
            max_commitment: 600,
            ..later(terms())
        };
        let by_category = CampaignRules {
            categories: CategorySet {
                sophisticated: false,
                ..CategorySet::ALL
            },
            category_caps: CategoryCaps {
                retail: Some(400),
                ..CategoryCaps::default()
            },
            ..CampaignRules::default()
        };
        for (id, terms, rules) in [
            (1, later(terms()), CampaignRules::default()),
            (2, small, by_category),
        ] {
            for (call, origin) in [
                (Call::create_campaign { terms }, signed(ISSUER)),
                (
                    Call::set_campaign_rules {
                        campaign: id,
                        rules,
                    },
                    signed(ISSUER),
                ),
                (Call::submit_campaign { campaign: id }, signed(ISSUER)),
                (Call::approve_campaign { campaign: id }, Origin::Root),
            ] {
                assert_eq!(dispatch(call, origin), Ok(()));
            }
        }
        set_now(START + MIN_OFFERING_PERIOD);
    });
    ext.commit_all();
    ext
}

fn check_all() -> Result<(), String> {
    invariants::check_invariants::<Test>().map_err(|v| format!("crowdfunding {v:?}"))?;
    folio_pallet_currency::invariants::check_invariants::<Test>()
        .map_err(|v| format!("currency {v:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every invariant of DOMAIN.md ("Equity crowdfunding") and of the currency holds after
    /// every step of any sequence of commitments, cancellations, amendments, reconfirmations,
    /// time passing, settlements (tiered and vesting ones included), refunds, transfers,
    /// dividends, votes, vesting set by Root, transfer categories and checkpoint pruning.
    /// Transfers must respect vesting: "unvested ≤ balance" is checked after every step, and a
    /// successful transfer never moves unvested shares (checked below).
    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..80)) {
        let mut ext = genesis();
        ext.execute_with(|| {
            for step in steps {
                let description = format!("{step:?} at {}", now());
                let sender_free = match &step {
                    Step::Call(w, Call::transfer_shares { share_class: class, .. }) => {
                        let sender = account(*w);
                        let shares = Shares::get(class, &sender).unwrap_or_default();
                        Some(Pallet::<Test>::free_shares(*class, &sender, &shares, now()))
                    }
                    _ => None,
                };
                let moved = match &step {
                    Step::Call(_, Call::transfer_shares { amount, .. }) => *amount,
                    _ => 0,
                };
                let money = |who: u8| Balances::total_balance(&account(who));
                let everyone = [ALICE, BOB, CHARLIE, DAVE, EVE, ISSUER];
                let money_before: Vec<Balance> = everyone.iter().map(|w| money(*w)).collect();
                let trade = match &step {
                    Step::Call(_, Call::offer_shares { .. } | Call::withdraw_offer { .. }) => Some(false),
                    Step::Call(_, Call::accept_offer { .. }) => Some(true),
                    _ => None,
                };
                let supply_before = ShareClasses::get(&0).map(|c| c.supply);
                if run(step) {
                    let money_after: Vec<Balance> = everyone.iter().map(|w| money(*w)).collect();
                    if trade == Some(false) {
                        prop_assert!(money_after == money_before, "an offer moved money: {description}");
                    }
                    if trade == Some(true) {
                        let total = |m: &[Balance]| m.iter().sum::<Balance>();
                        prop_assert!(total(&money_after) == total(&money_before), "a trade created or lost money: {description}");
                        prop_assert!(ShareClasses::get(&0).map(|c| c.supply) == supply_before, "a trade changed the supply: {description}");
                    }
                    if let Some(free) = sender_free {
                        prop_assert!(moved <= free, "a transfer moved unvested or locked shares: {description}");
                    }
                }
                if let Err(violation) = check_all() {
                    return Err(TestCaseError::fail(format!("{violation} after {description}")));
                }
            }
            Ok(())
        })?;
    }

    /// A failed step leaves the state exactly as it was (due campaign transitions included:
    /// they are written only by calls that succeed).
    #[test]
    fn failed_steps_change_nothing(steps in proptest::collection::vec(step(), 1..80)) {
        let mut ext = genesis();
        let events_key = ext.execute_with(folio_pallet_support::events::events_key);
        let count_key = ext.execute_with(<folio_pallet_support::events::EventCount as folio_pallet_support::storage::StorageItem>::prefix);
        for step in steps {
            ext.commit_all();
            let mut before = ext.snapshot();
            let succeeded = ext.execute_with(|| {
                folio_pallet_support::events::reset_events();
                run(step.clone())
            });
            if !succeeded {
                let mut after = ext.snapshot();
                for key in [events_key.to_vec(), count_key.to_vec()] {
                    before.remove(&key);
                    after.remove(&key);
                }
                prop_assert_eq!(before, after, "failed step {:?} changed state", step);
            }
        }
    }
}

/// The random sequences reach every interesting outcome (so the invariants above are checked
/// on them): a funded and a refunded campaign, settled shares, a claimed dividend and a
/// counted vote, allotted and redeemed shares.
#[test]
fn random_sequences_reach_the_interesting_states() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = [false; 9];
    for _ in 0..1_000 {
        let steps = proptest::collection::vec(step(), 40..80)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let mut ext = genesis();
        ext.execute_with(|| {
            let mut traded = false;
            for step in steps {
                let accept = matches!(step, Step::Call(_, Call::accept_offer { .. }));
                traded |= run(step) && accept;
            }
            for (_, c) in Campaigns::iter() {
                seen[0] |= c.state == CampaignState::Closed(Outcome::Funded);
                seen[1] |= c.state == CampaignState::Closed(Outcome::Refunded) && c.refunded > 0;
            }
            seen[2] |= ShareClasses::get(&0).is_some_and(|c| c.supply > 0);
            seen[3] |= Distributions::iter().any(|(_, d)| d.claimed > 0);
            seen[4] |= Motions::iter().any(|(_, m)| m.status == MotionStatus::Passed);
            seen[5] |= (0..NextCheckpointId::get()).any(|id| !Checkpoints::contains_key(&id));
            seen[6] |= Allotted::get(&0) > 0;
            seen[7] |= Redeemed::get(&0) > 0;
            seen[8] |= traded;
        });
    }
    assert_eq!(
        seen, [true; 9],
        "funded, refunded, shares, dividend claimed, motion passed, checkpoint pruned, allotted, redeemed, traded"
    );
}
