use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Currency as _, FreezeReason, HoldReason, Preservation};
use folio_primitives::hash::H256;

type Balances = folio_pallet_currency::Pallet<Test>;
type Crowdfunding = Pallet<Test>;

fn err(e: Error) -> DispatchResult {
    Err(module_error(9, &e))
}

fn ok(call: Call, origin: Origin) {
    assert_eq!(dispatch(call, origin), Ok(()));
}

fn held(reason: HoldReason, who: u8) -> Balance {
    Balances::balance_on_hold(reason, &account(who))
}

fn committed(who: u8) -> Balance {
    held(HoldReason::CrowdfundingCommitment, who)
}

fn free(who: u8) -> Balance {
    Balances::free_balance(&account(who))
}

fn state(id: CampaignId) -> CampaignState {
    Campaigns::get(&id).unwrap().state
}

fn shares(who: u8) -> ShareAmount {
    Shares::get(&0, &account(who)).map_or(0, |a| a.balance)
}

fn commit(id: CampaignId, who: u8, amount: Balance) -> DispatchResult {
    dispatch(
        Call::commit {
            campaign: id,
            amount,
        },
        signed(who),
    )
}

fn changed(id: CampaignId, from: CampaignState, to: CampaignState) -> Event {
    Event::CampaignStateChanged {
        campaign: id,
        from,
        to,
    }
}

// ---- add_claim_issuer / remove_claim_issuer ----

#[test]
fn add_claim_issuer_lets_the_issuer_attest_claims() {
    new_test_ext().execute(|| {
        ok(
            Call::add_claim_issuer {
                issuer: account(30),
            },
            Origin::Root,
        );
        assert!(ClaimIssuers::contains_key(&account(30)));
        assert_eq!(
            events(),
            vec![Event::ClaimIssuerAdded {
                issuer: account(30)
            }]
        );
        ok(
            Call::issue_claim {
                subject: account(EVE),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Professional,
                investment_limit: None,
                expires_at: DAY,
            },
            signed(30),
        );
        assert!(Crowdfunding::valid_claim(&account(EVE)).is_some());
    });
}

#[test]
fn add_claim_issuer_needs_root_and_a_new_issuer() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::add_claim_issuer {
                    issuer: account(30)
                },
                signed(ALICE)
            ),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(
                Call::add_claim_issuer {
                    issuer: account(KYC)
                },
                Origin::Root
            ),
            err(Error::AlreadyClaimIssuer)
        );
        assert!(events().is_empty());
    });
}

#[test]
fn remove_claim_issuer_invalidates_its_claims() {
    new_test_ext().execute(|| {
        assert!(Crowdfunding::valid_claim(&account(ALICE)).is_some());
        ok(
            Call::remove_claim_issuer {
                issuer: account(KYC),
            },
            Origin::Root,
        );
        assert!(Crowdfunding::valid_claim(&account(ALICE)).is_none());
        assert_eq!(
            events(),
            vec![Event::ClaimIssuerRemoved {
                issuer: account(KYC)
            }]
        );
    });
}

#[test]
fn remove_claim_issuer_fails_for_an_unknown_issuer_or_a_signed_origin() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::remove_claim_issuer {
                    issuer: account(30)
                },
                Origin::Root
            ),
            err(Error::NotClaimIssuer)
        );
        assert_eq!(
            dispatch(
                Call::remove_claim_issuer {
                    issuer: account(KYC)
                },
                signed(KYC)
            ),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- issue_claim / revoke_claim ----

#[test]
fn issue_claim_stores_the_claim_and_it_expires() {
    new_test_ext().execute(|| {
        ok(
            Call::issue_claim {
                subject: account(EVE),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Sophisticated,
                investment_limit: Some(500),
                expires_at: DAY,
            },
            signed(KYC),
        );
        let claim = Crowdfunding::valid_claim(&account(EVE)).unwrap();
        assert_eq!(claim.investment_limit, Some(500));
        assert_eq!(
            events(),
            vec![Event::ClaimIssued {
                subject: account(EVE),
                issuer: account(KYC),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Sophisticated,
                investment_limit: Some(500),
                expires_at: DAY,
            }]
        );
        set_now(DAY);
        assert!(Crowdfunding::valid_claim(&account(EVE)).is_none());
    });
}

#[test]
fn a_rejected_kyc_claim_grants_nothing() {
    new_test_ext().execute(|| {
        ok(
            Call::issue_claim {
                subject: account(ALICE),
                kyc: KycStatus::Rejected,
                category: InvestorCategory::Retail,
                investment_limit: None,
                expires_at: DAY,
            },
            signed(KYC),
        );
        assert!(Crowdfunding::valid_claim(&account(ALICE)).is_none());
    });
}

#[test]
fn issue_claim_needs_a_trusted_issuer_and_a_future_expiry() {
    new_test_ext().execute(|| {
        let call = |expires_at| Call::issue_claim {
            subject: account(EVE),
            kyc: KycStatus::Verified,
            category: InvestorCategory::Retail,
            investment_limit: None,
            expires_at,
        };
        assert_eq!(
            dispatch(call(DAY), signed(ALICE)),
            err(Error::NotClaimIssuer)
        );
        set_now(DAY);
        assert_eq!(dispatch(call(DAY), signed(KYC)), err(Error::InvalidDate));
        assert!(Claims::get(&account(EVE)).is_none());
    });
}

#[test]
fn revoke_claim_by_its_issuer_or_root_removes_it() {
    new_test_ext().execute(|| {
        ok(
            Call::revoke_claim {
                subject: account(ALICE),
            },
            signed(KYC),
        );
        ok(
            Call::revoke_claim {
                subject: account(BOB),
            },
            Origin::Root,
        );
        assert!(Claims::get(&account(ALICE)).is_none() && Claims::get(&account(BOB)).is_none());
        assert_eq!(
            events()[0],
            Event::ClaimRevoked {
                subject: account(ALICE),
                issuer: account(KYC)
            }
        );
    });
}

#[test]
fn revoke_claim_fails_for_others_and_missing_claims() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::revoke_claim {
                    subject: account(ALICE)
                },
                signed(BOB)
            ),
            err(Error::NotClaimOwner)
        );
        assert_eq!(
            dispatch(
                Call::revoke_claim {
                    subject: account(EVE)
                },
                signed(KYC)
            ),
            err(Error::NoClaim)
        );
        assert_eq!(
            dispatch(
                Call::revoke_claim {
                    subject: account(ALICE)
                },
                Origin::None
            ),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- create_share_class ----

#[test]
fn create_share_class_makes_the_caller_its_issuer() {
    new_test_ext().execute(|| {
        create_class(5);
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!(
            (class.issuer, class.max_holders, class.supply),
            (account(ISSUER), 5, 0)
        );
        assert_eq!(NextClassId::get(), 1);
        assert_eq!(
            events(),
            vec![Event::ShareClassCreated {
                share_class: 0,
                issuer: account(ISSUER),
                max_holders: 5,
                requires_claim: true,
                lockup: 10 * DAY,
            }]
        );
    });
}

#[test]
fn create_share_class_rejects_zero_holders() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::create_share_class {
                    max_holders: 0,
                    requires_claim: false,
                    lockup: 0
                },
                signed(ISSUER)
            ),
            err(Error::InvalidShareClass)
        );
        assert_eq!(NextClassId::get(), 0);
    });
}

// ---- create_campaign / edit_campaign / submit / approve / reject ----

#[test]
fn create_campaign_holds_the_deposit_and_starts_as_draft() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        assert_eq!(state(0), CampaignState::Draft);
        assert_eq!(held(HoldReason::IssuerDeposit, ISSUER), DEPOSIT);
        assert!(events().contains(&Event::CampaignCreated {
            campaign: 0,
            issuer: account(ISSUER),
            share_class: 0,
            deposit: DEPOSIT
        }));
    });
}

#[test]
fn create_campaign_rejects_inconsistent_terms_and_foreign_classes() {
    new_test_ext().execute(|| {
        create_class(10);
        let bad = [
            CampaignTerms {
                soft_cap: 3_000,
                ..terms()
            },
            CampaignTerms {
                price: 0,
                ..terms()
            },
            CampaignTerms {
                min_commitment: 105,
                ..terms()
            },
            CampaignTerms {
                min_commitment: 2_000,
                max_commitment: 1_000,
                ..terms()
            },
            CampaignTerms {
                deadline: START + LOCK_WINDOW,
                ..terms()
            },
        ];
        for terms in bad {
            assert_eq!(
                dispatch(Call::create_campaign { terms }, signed(ISSUER)),
                err(Error::InvalidTerms)
            );
        }
        assert_eq!(
            dispatch(Call::create_campaign { terms: terms() }, signed(ALICE)),
            err(Error::NotClassIssuer)
        );
        assert_eq!(
            dispatch(
                Call::create_campaign {
                    terms: CampaignTerms {
                        share_class: 7,
                        ..terms()
                    }
                },
                signed(ISSUER)
            ),
            err(Error::UnknownClass)
        );
        assert_eq!(held(HoldReason::IssuerDeposit, ISSUER), 0);
        assert!(Campaigns::get(&0).is_none());
    });
}

#[test]
fn edit_campaign_replaces_a_drafts_terms() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        let new_terms = CampaignTerms {
            soft_cap: 500,
            ..terms()
        };
        ok(
            Call::edit_campaign {
                campaign: 0,
                terms: new_terms,
            },
            signed(ISSUER),
        );
        assert_eq!(Campaigns::get(&0).unwrap().terms, new_terms);
        assert!(events().contains(&Event::CampaignEdited { campaign: 0 }));
    });
}

#[test]
fn edit_campaign_rechecks_the_drafts_tier_rules() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        let rules = CampaignRules {
            tiers: vec![PriceTier {
                up_to: 1_510,
                price: 5,
            }],
            ..CampaignRules::default()
        };
        ok(
            Call::set_campaign_rules { campaign: 0, rules },
            signed(ISSUER),
        );
        let edit = |terms: CampaignTerms| {
            dispatch(Call::edit_campaign { campaign: 0, terms }, signed(ISSUER))
        };
        // Price 20: every term is a multiple of the new unit 20, the tier end 1 510 is not.
        let dearer = CampaignTerms {
            price: 20,
            ..terms()
        };
        assert_eq!(edit(dearer), err(Error::InvalidRules));
        // A hard cap below the tier's end.
        let smaller = CampaignTerms {
            hard_cap: 1_500,
            soft_cap: 1_000,
            max_commitment: 1_500,
            ..terms()
        };
        assert_eq!(edit(smaller), err(Error::InvalidRules));
        assert_eq!(Campaigns::get(&0).unwrap().terms, terms());
    });
}

#[test]
fn edit_campaign_only_by_the_issuer_and_only_as_draft() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        assert_eq!(
            dispatch(
                Call::edit_campaign {
                    campaign: 0,
                    terms: terms()
                },
                signed(ALICE)
            ),
            err(Error::NotCampaignIssuer)
        );
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        assert_eq!(
            dispatch(
                Call::edit_campaign {
                    campaign: 0,
                    terms: terms()
                },
                signed(ISSUER)
            ),
            err(Error::InvalidState)
        );
        assert_eq!(
            dispatch(
                Call::edit_campaign {
                    campaign: 9,
                    terms: terms()
                },
                signed(ISSUER)
            ),
            err(Error::UnknownCampaign)
        );
    });
}

#[test]
fn submit_campaign_puts_it_under_review() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        reset_events();
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        assert_eq!(
            events(),
            vec![changed(
                0,
                CampaignState::Draft,
                CampaignState::PendingReview
            )]
        );
    });
}

#[test]
fn submit_campaign_fails_for_others_or_after_the_deadline() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        assert_eq!(
            dispatch(Call::submit_campaign { campaign: 0 }, signed(ALICE)),
            err(Error::NotCampaignIssuer)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(Call::submit_campaign { campaign: 0 }, signed(ISSUER)),
            err(Error::DeadlinePassed)
        );
        assert_eq!(state(0), CampaignState::Draft);
    });
}

#[test]
fn approve_campaign_schedules_it_and_it_opens_at_the_start() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        ok(Call::approve_campaign { campaign: 0 }, Origin::Root);
        assert_eq!(state(0), CampaignState::Scheduled);
        assert_eq!(commit(0, ALICE, 100), err(Error::InvalidState));
        set_now(START);
        assert_eq!(commit(0, ALICE, 100), Ok(()));
        assert_eq!(state(0), CampaignState::Open);
    });
}

#[test]
fn approve_campaign_after_the_start_opens_it_at_once() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        set_now(START + 1);
        ok(Call::approve_campaign { campaign: 0 }, Origin::Root);
        assert_eq!(state(0), CampaignState::Open);
    });
}

#[test]
fn a_late_approval_cannot_shorten_the_offering_period() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        // Approved after its start, inside the lock window: investors could never cancel.
        set_now(DEADLINE - HOUR);
        let approve = || dispatch(Call::approve_campaign { campaign: 0 }, Origin::Root);
        assert_eq!(approve(), err(Error::OfferingPeriodTooShort));
        set_now(DEADLINE - MIN_OFFERING_PERIOD + 1);
        assert_eq!(approve(), err(Error::OfferingPeriodTooShort));
        set_now(DEADLINE - MIN_OFFERING_PERIOD);
        assert_eq!(approve(), Ok(()));
        // Whoever commits at the opening can cancel for MIN_OFFERING_PERIOD − LOCK_WINDOW.
        assert_eq!(commit(0, ALICE, 100), Ok(()));
        set_now(DEADLINE - LOCK_WINDOW - 1);
        ok(Call::cancel_commitment { campaign: 0 }, signed(ALICE));
    });
}

#[test]
fn approve_campaign_needs_root_and_a_campaign_under_review() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        assert_eq!(
            dispatch(Call::approve_campaign { campaign: 0 }, Origin::Root),
            err(Error::InvalidState)
        );
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        assert_eq!(
            dispatch(Call::approve_campaign { campaign: 0 }, signed(ISSUER)),
            Err(DispatchError::BadOrigin)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(Call::approve_campaign { campaign: 0 }, Origin::Root),
            err(Error::DeadlinePassed)
        );
    });
}

#[test]
fn reject_campaign_returns_it_to_draft() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        reset_events();
        ok(Call::reject_campaign { campaign: 0 }, Origin::Root);
        assert_eq!(
            events(),
            vec![changed(
                0,
                CampaignState::PendingReview,
                CampaignState::Draft
            )]
        );
    });
}

#[test]
fn reject_campaign_fails_unless_under_review() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        assert_eq!(
            dispatch(Call::reject_campaign { campaign: 0 }, Origin::Root),
            err(Error::InvalidState)
        );
        assert_eq!(
            dispatch(Call::reject_campaign { campaign: 0 }, signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- commit ----

#[test]
fn commit_holds_the_investors_own_balance() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        reset_events();
        assert_eq!(commit(id, ALICE, 300), Ok(()));
        assert_eq!(commit(id, ALICE, 200), Ok(()));
        assert_eq!((committed(ALICE), free(ALICE)), (500, 9_500));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!((campaign.raised, campaign.investors), (500, 1));
        assert_eq!(
            events(),
            vec![
                Event::Committed {
                    campaign: id,
                    investor: account(ALICE),
                    amount: 300,
                    requested: 300
                },
                changed(id, CampaignState::Scheduled, CampaignState::Open),
                Event::Committed {
                    campaign: id,
                    investor: account(ALICE),
                    amount: 200,
                    requested: 200
                },
            ]
        );
    });
}

#[test]
fn commit_fills_partially_up_to_the_hard_cap() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_500), Ok(()));
        assert_eq!(commit(id, BOB, 1_000), Ok(()));
        assert_eq!(committed(BOB), 500);
        assert!(events().contains(&Event::Committed {
            campaign: id,
            investor: account(BOB),
            amount: 500,
            requested: 1_000
        }));
        assert_eq!(commit(id, CHARLIE, 100), err(Error::HardCapReached));
    });
}

#[test]
fn commit_enforces_claims_amounts_and_per_investor_bounds() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        reset_events();
        assert_eq!(commit(id, EVE, 100), err(Error::ClaimRequired));
        assert_eq!(commit(id, ALICE, 105), err(Error::InvalidAmount));
        assert_eq!(commit(id, ALICE, 0), err(Error::InvalidAmount));
        assert_eq!(commit(id, ALICE, 50), err(Error::BelowMinimum));
        assert_eq!(commit(id, ALICE, 1_600), err(Error::AboveMaximum));
        assert_eq!(commit(id, 30, 100), err(Error::ClaimRequired));
        assert_eq!(commit(9, ALICE, 100), err(Error::UnknownCampaign));
        assert_eq!(committed(ALICE), 0);
        assert!(events().is_empty());
    });
}

#[test]
fn commit_fails_without_free_balance_and_changes_nothing() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        ok(
            Call::issue_claim {
                subject: account(30),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Retail,
                investment_limit: None,
                expires_at: CLAIM_EXPIRY,
            },
            signed(KYC),
        );
        assert!(commit(id, 30, 100).is_err());
        assert_eq!(Campaigns::get(&id).unwrap().raised, 0);
    });
}

#[test]
fn the_rolling_limit_counts_commitments_across_campaigns() {
    new_test_ext().execute(|| {
        let first = open_campaign();
        set_now(0);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 1 }, signed(ISSUER));
        ok(Call::approve_campaign { campaign: 1 }, Origin::Root);
        set_now(START);
        assert_eq!(commit(first, DAVE, 600), Ok(()));
        assert_eq!(commit(1, DAVE, 500), err(Error::InvestmentLimitExceeded));
        assert_eq!(commit(1, DAVE, 400), Ok(()));
        assert_eq!(
            api::investor_status::<Test>(account(DAVE)).headroom,
            Some(0)
        );
    });
}

#[test]
fn settled_investments_count_for_exactly_twelve_months() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, DAVE, 1_000), Ok(()));
        assert_eq!(commit(id, ALICE, 500), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        let status = api::investor_status::<Test>(account(DAVE));
        assert_eq!(
            (status.active, status.settled_in_window, status.headroom),
            (0, 1_000, Some(0))
        );
        // 12 × 30-day buckets forgot the money after 330 to 360 days; it counts for 365.
        set_now(DEADLINE + 365 * DAY - 1);
        let status = api::investor_status::<Test>(account(DAVE));
        assert_eq!(
            (status.settled_in_window, status.headroom),
            (1_000, Some(0))
        );
        set_now(DEADLINE + 365 * DAY);
        let status = api::investor_status::<Test>(account(DAVE));
        assert_eq!(
            (status.settled_in_window, status.headroom),
            (0, Some(DAVE_LIMIT))
        );
    });
}

#[test]
fn a_full_ledger_merges_its_oldest_investments_under_the_later_time() {
    new_test_ext().execute(|| {
        let mut ledger = InvestorLedger {
            active: 40,
            settled: Vec::new(),
        };
        for (day, amount) in [(1, 10), (2, 10), (3, 10), (4, 10)] {
            set_now(day * DAY);
            assert_eq!(Crowdfunding::ledger_settle(&mut ledger, amount), Ok(()));
        }
        // MAX_LEDGER_ENTRIES = 3: day 1 joined day 2 and counts as long as it.
        let at: Vec<_> = ledger.settled.iter().map(|e| (e.at, e.amount)).collect();
        assert_eq!(at, vec![(2 * DAY, 20), (3 * DAY, 10), (4 * DAY, 10)]);
        set_now(DAY + 365 * DAY);
        assert_eq!(Crowdfunding::settled_in_window(&ledger), Ok(40));
        set_now(2 * DAY + 365 * DAY);
        assert_eq!(Crowdfunding::settled_in_window(&ledger), Ok(20));
    });
}

#[test]
fn commit_respects_the_classs_holder_limit() {
    new_test_ext().execute(|| {
        create_class(1);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        ok(Call::approve_campaign { campaign: 0 }, Origin::Root);
        set_now(START);
        assert_eq!(commit(0, ALICE, 100), Ok(()));
        assert_eq!(commit(0, BOB, 100), err(Error::TooManyHolders));
        assert_eq!(commit(0, ALICE, 100), Ok(()));
    });
}

#[test]
fn an_existing_holder_takes_no_new_place_against_the_holder_limit() {
    new_test_ext().execute(|| {
        create_class(1);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        ok(Call::approve_campaign { campaign: 0 }, Origin::Root);
        set_now(START);
        assert_eq!(commit(0, ALICE, 1_000), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: 0,
                limit: 10,
            },
            signed(EVE),
        );
        assert_eq!(shares(ALICE), 100);
        // A second round of the same class: the class's only holder invests again.
        let mut second = terms();
        second.start = DEADLINE + DAY;
        second.deadline = DEADLINE + 40 * DAY;
        ok(Call::create_campaign { terms: second }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 1 }, signed(ISSUER));
        ok(Call::approve_campaign { campaign: 1 }, Origin::Root);
        set_now(second.start);
        assert_eq!(commit(1, ALICE, 100), Ok(()));
        assert_eq!(commit(1, BOB, 100), err(Error::TooManyHolders));
    });
}

// ---- cancel_commitment ----

#[test]
fn cancel_commitment_releases_the_whole_hold() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        reset_events();
        ok(Call::cancel_commitment { campaign: id }, signed(ALICE));
        assert_eq!((committed(ALICE), free(ALICE)), (0, 10_000));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!(
            (campaign.raised, campaign.withdrawn, campaign.investors),
            (0, 400, 0)
        );
        assert_eq!(
            events(),
            vec![Event::CommitmentReleased {
                campaign: id,
                investor: account(ALICE),
                amount: 400,
                reason: ReleaseReason::Cancelled
            }]
        );
        // Committing again reuses the record and its slot.
        assert_eq!(commit(id, ALICE, 100), Ok(()));
        assert_eq!(Campaigns::get(&id).unwrap().slots, 1);
    });
}

#[test]
fn cancel_commitment_is_locked_in_the_final_window() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        set_now(DEADLINE - LOCK_WINDOW);
        assert_eq!(
            dispatch(Call::cancel_commitment { campaign: id }, signed(ALICE)),
            err(Error::CommitmentLocked)
        );
        assert_eq!(
            dispatch(Call::cancel_commitment { campaign: id }, signed(BOB)),
            err(Error::CommitmentLocked)
        );
        set_now(START);
        assert_eq!(
            dispatch(Call::cancel_commitment { campaign: id }, signed(BOB)),
            err(Error::NoCommitment)
        );
        assert_eq!(committed(ALICE), 400);
    });
}

// ---- amend_terms / reconfirm / release_unconfirmed ----

fn amendment() -> Amendment {
    Amendment {
        soft_cap: 800,
        min_commitment: 100,
        max_commitment: 1_500,
        document: H256([8; 32]),
    }
}

#[test]
fn amend_terms_asks_for_reconfirmation_and_moves_the_deadline() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        set_now(DEADLINE - LOCK_WINDOW - HOUR);
        reset_events();
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        let campaign = Campaigns::get(&id).unwrap();
        let until = now() + RECONFIRM_WINDOW;
        assert_eq!(campaign.reconfirm_until, Some(until));
        assert_eq!(campaign.terms.deadline, until + LOCK_WINDOW);
        assert_eq!((campaign.terms_version, campaign.unconfirmed), (1, 1));
        assert_eq!(campaign.terms.soft_cap, 800);
        assert_eq!(
            events(),
            vec![Event::TermsAmended {
                campaign: id,
                terms_version: 1,
                document: H256([8; 32]),
                reconfirm_until: until,
                deadline: until + LOCK_WINDOW,
            }]
        );
        assert_eq!(commit(id, ALICE, 100), err(Error::ReconfirmationRequired));
        assert_eq!(commit(id, BOB, 100), Ok(()));
    });
}

#[test]
fn amend_terms_only_by_the_issuer_with_valid_terms() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(
            dispatch(
                Call::amend_terms {
                    campaign: id,
                    amendment: amendment()
                },
                signed(ALICE)
            ),
            err(Error::NotCampaignIssuer)
        );
        let bad = Amendment {
            soft_cap: 5_000,
            ..amendment()
        };
        assert_eq!(
            dispatch(
                Call::amend_terms {
                    campaign: id,
                    amendment: bad
                },
                signed(ISSUER)
            ),
            err(Error::InvalidTerms)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(
                Call::amend_terms {
                    campaign: id,
                    amendment: amendment()
                },
                signed(ISSUER)
            ),
            err(Error::InvalidState)
        );
        assert_eq!(Campaigns::get(&id).unwrap().terms_version, 0);
    });
}

#[test]
fn reconfirm_accepts_the_amended_terms() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        reset_events();
        ok(Call::reconfirm { campaign: id }, signed(ALICE));
        assert_eq!(Campaigns::get(&id).unwrap().unconfirmed, 0);
        assert_eq!(
            events(),
            vec![Event::CommitmentReconfirmed {
                campaign: id,
                investor: account(ALICE),
                terms_version: 1
            }]
        );
        assert_eq!(commit(id, ALICE, 100), Ok(()));
    });
}

#[test]
fn reconfirm_fails_twice_too_late_or_without_commitment() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        assert_eq!(commit(id, BOB, 400), Ok(()));
        assert_eq!(
            dispatch(Call::reconfirm { campaign: id }, signed(ALICE)),
            err(Error::AlreadyConfirmed)
        );
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        assert_eq!(
            dispatch(Call::reconfirm { campaign: id }, signed(CHARLIE)),
            err(Error::NoCommitment)
        );
        advance(RECONFIRM_WINDOW);
        assert_eq!(
            dispatch(Call::reconfirm { campaign: id }, signed(BOB)),
            err(Error::ReconfirmationClosed)
        );
    });
}

#[test]
fn release_unconfirmed_releases_only_the_unconfirmed_in_resumable_batches() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        for who in [ALICE, BOB, CHARLIE] {
            assert_eq!(commit(id, who, 400), Ok(()));
        }
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        ok(Call::reconfirm { campaign: id }, signed(BOB));
        advance(RECONFIRM_WINDOW);
        assert_eq!(
            dispatch(
                Call::amend_terms {
                    campaign: id,
                    amendment: amendment()
                },
                signed(ISSUER)
            ),
            err(Error::PendingReleases)
        );
        reset_events();
        ok(
            Call::release_unconfirmed {
                campaign: id,
                limit: 2,
            },
            signed(EVE),
        );
        assert_eq!(
            (committed(ALICE), committed(BOB), committed(CHARLIE)),
            (0, 400, 400)
        );
        assert_eq!(Campaigns::get(&id).unwrap().unconfirmed, 1);
        ok(
            Call::release_unconfirmed {
                campaign: id,
                limit: 2,
            },
            signed(EVE),
        );
        assert_eq!(committed(CHARLIE), 0);
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!(
            (
                campaign.unconfirmed,
                campaign.reconfirm_until,
                campaign.raised
            ),
            (0, None, 400)
        );
        assert!(events().contains(&Event::CommitmentReleased {
            campaign: id,
            investor: account(CHARLIE),
            amount: 400,
            reason: ReleaseReason::NotReconfirmed
        }));
    });
}

#[test]
fn release_unconfirmed_waits_for_the_window_and_checks_the_limit() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        assert_eq!(
            dispatch(
                Call::release_unconfirmed {
                    campaign: id,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::ReconfirmationOpen)
        );
        advance(RECONFIRM_WINDOW);
        for limit in [0, 11] {
            assert_eq!(
                dispatch(
                    Call::release_unconfirmed {
                        campaign: id,
                        limit
                    },
                    signed(EVE)
                ),
                err(Error::InvalidLimit)
            );
        }
        assert_eq!(committed(ALICE), 400);
    });
}

#[test]
fn the_deadline_decision_waits_for_unconfirmed_releases() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        ok(
            Call::amend_terms {
                campaign: id,
                amendment: amendment(),
            },
            signed(ISSUER),
        );
        set_now(Campaigns::get(&id).unwrap().terms.deadline);
        assert_eq!(
            dispatch(Call::advance_campaign { campaign: id }, signed(EVE)),
            Ok(())
        );
        assert_eq!(state(id), CampaignState::FinalWindow);
        assert_eq!(commit(id, BOB, 100), err(Error::DeadlinePassed));
        ok(
            Call::release_unconfirmed {
                campaign: id,
                limit: 5,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
    });
}

// ---- pause_campaign / resume_campaign ----

#[test]
fn pause_stops_commitments_and_resume_extends_the_deadline() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        ok(Call::pause_campaign { campaign: id }, Origin::Root);
        assert_eq!(state(id), CampaignState::Paused);
        assert_eq!(commit(id, ALICE, 100), err(Error::InvalidState));
        advance(3 * DAY);
        reset_events();
        ok(Call::resume_campaign { campaign: id }, Origin::Root);
        assert_eq!(
            Campaigns::get(&id).unwrap().terms.deadline,
            DEADLINE + 3 * DAY
        );
        assert_eq!(
            events(),
            vec![
                Event::CampaignResumed {
                    campaign: id,
                    deadline: DEADLINE + 3 * DAY
                },
                changed(id, CampaignState::Paused, CampaignState::Open),
            ]
        );
        assert_eq!(commit(id, ALICE, 100), Ok(()));
    });
}

#[test]
fn pause_and_resume_need_root_and_the_right_state() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(
            dispatch(Call::pause_campaign { campaign: id }, signed(ISSUER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(Call::resume_campaign { campaign: id }, Origin::Root),
            err(Error::InvalidState)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(Call::pause_campaign { campaign: id }, Origin::Root),
            err(Error::InvalidState)
        );
    });
}

#[test]
fn investors_may_cancel_while_paused_even_in_the_final_window() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        set_now(DEADLINE - HOUR);
        ok(Call::pause_campaign { campaign: id }, Origin::Root);
        ok(Call::cancel_commitment { campaign: id }, signed(ALICE));
        assert_eq!(committed(ALICE), 0);
    });
}

#[test]
fn a_pause_ends_by_itself_after_max_pause_and_moves_the_deadline() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        ok(Call::pause_campaign { campaign: id }, Origin::Root);
        advance(MAX_PAUSE - 1);
        assert_eq!(
            dispatch(Call::advance_campaign { campaign: id }, signed(EVE)),
            err(Error::NothingToDo)
        );
        advance(1);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!(campaign.state, CampaignState::Open);
        assert_eq!(campaign.paused_at, None);
        assert_eq!(campaign.terms.deadline, DEADLINE + MAX_PAUSE);
        assert_eq!(commit(id, BOB, 100), Ok(()));
        // The platform cannot resume what has already resumed.
        assert_eq!(
            dispatch(Call::resume_campaign { campaign: id }, Origin::Root),
            err(Error::InvalidState)
        );
    });
}

// ---- cancel_campaign / refund ----

#[test]
fn cancel_campaign_then_refund_releases_every_hold_and_the_deposit() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        for who in [ALICE, BOB, CHARLIE] {
            assert_eq!(commit(id, who, 300), Ok(()));
        }
        ok(Call::cancel_campaign { campaign: id }, signed(ISSUER));
        assert_eq!(state(id), CampaignState::Cancelled);
        ok(
            Call::refund {
                campaign: id,
                limit: 2,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Refunding);
        assert_eq!(
            (committed(ALICE), committed(BOB), committed(CHARLIE)),
            (0, 0, 300)
        );
        reset_events();
        ok(
            Call::refund {
                campaign: id,
                limit: 2,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
        assert_eq!(held(HoldReason::IssuerDeposit, ISSUER), 0);
        assert_eq!(free(CHARLIE), 10_000);
        assert_eq!(
            events(),
            vec![
                Event::CommitmentReleased {
                    campaign: id,
                    investor: account(CHARLIE),
                    amount: 300,
                    reason: ReleaseReason::Refunded
                },
                Event::IssuerDepositReturned {
                    campaign: id,
                    issuer: account(ISSUER),
                    amount: DEPOSIT
                },
                changed(
                    id,
                    CampaignState::Refunding,
                    CampaignState::Closed(Outcome::Refunded)
                ),
            ]
        );
    });
}

#[test]
fn cancelling_a_draft_closes_it_at_once() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::cancel_campaign { campaign: 0 }, Origin::Root);
        assert_eq!(state(0), CampaignState::Closed(Outcome::Refunded));
        assert_eq!(held(HoldReason::IssuerDeposit, ISSUER), 0);
    });
}

#[test]
fn cancel_campaign_fails_for_others_and_after_the_decision() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(
            dispatch(Call::cancel_campaign { campaign: id }, signed(ALICE)),
            err(Error::NotCampaignIssuer)
        );
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        set_now(DEADLINE);
        assert_eq!(
            dispatch(Call::cancel_campaign { campaign: id }, signed(ISSUER)),
            err(Error::InvalidState)
        );
    });
}

#[test]
fn a_failed_campaign_refunds_every_investor() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 300), Ok(()));
        assert_eq!(commit(id, BOB, 300), Ok(()));
        set_now(DEADLINE);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(state(id), CampaignState::Failed);
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: id,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::InvalidState)
        );
        ok(
            Call::refund {
                campaign: id,
                limit: 5,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
        assert_eq!(
            (free(ALICE), free(BOB), free(ISSUER)),
            (10_000, 10_000, 100_000)
        );
    });
}

#[test]
fn refund_fails_for_a_succeeded_or_open_campaign() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        assert_eq!(
            dispatch(
                Call::refund {
                    campaign: id,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::InvalidState)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(
                Call::refund {
                    campaign: id,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::InvalidState)
        );
        assert_eq!(committed(ALICE), 1_000);
    });
}

// ---- advance_campaign ----

#[test]
fn advance_campaign_writes_due_transitions() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(state(id), CampaignState::Open);
        set_now(DEADLINE - LOCK_WINDOW);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(state(id), CampaignState::FinalWindow);
        set_now(DEADLINE);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        // Nothing committed: failed and closed at once.
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
    });
}

#[test]
fn advance_campaign_fails_when_nothing_is_due() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(
            dispatch(Call::advance_campaign { campaign: id }, signed(EVE)),
            err(Error::NothingToDo)
        );
        assert_eq!(
            dispatch(Call::advance_campaign { campaign: id }, Origin::Root),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- settle ----

#[test]
fn settle_pays_the_issuer_mints_shares_and_closes() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 600), Ok(()));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: id,
                limit: 1,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Settling);
        assert_eq!((shares(ALICE), shares(BOB)), (60, 0));
        reset_events();
        ok(
            Call::settle {
                campaign: id,
                limit: 1,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Funded));
        assert_eq!((shares(ALICE), shares(BOB)), (60, 50));
        assert_eq!(free(ISSUER), 100_000 - DEPOSIT + 1_100 + DEPOSIT);
        assert_eq!((free(ALICE), free(BOB)), (9_400, 9_500));
        assert_eq!(RoundShares::get(&id, &account(BOB)), Some(50));
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!(
            (class.supply, class.holders, class.pending_investors),
            (110, 2, 0)
        );
        let events = events();
        assert!(events.contains(&Event::CommitmentSettled {
            campaign: id,
            investor: account(BOB),
            amount: 500,
            shares: 50
        }));
        assert!(events.contains(&changed(
            id,
            CampaignState::Settling,
            CampaignState::Closed(Outcome::Funded)
        )));
    });
}

/// Issue 18's scenario: in the final window investors freeze (vote with) their whole
/// balance or play deposit games with another hold; settlement still moves every commitment
/// in full and the issuer receives all of it.
#[test]
fn settle_moves_commitments_under_freezes_and_other_holds() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 600), Ok(()));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        Balances::set_freeze(FreezeReason::GovernanceVote, &account(BOB), 10_000).unwrap();
        Balances::hold(HoldReason::BillMargin, &account(ALICE), 1).unwrap();
        let movable = Balances::reducible_balance(&account(ALICE), Preservation::Expendable);
        Balances::transfer(
            &account(ALICE),
            &account(EVE),
            movable,
            Preservation::Expendable,
        )
        .unwrap();
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: id,
                limit: 5,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Funded));
        assert_eq!((shares(ALICE), shares(BOB)), (60, 50));
        assert_eq!((committed(ALICE), committed(BOB)), (0, 0));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!((campaign.settled, campaign.defaulted), (1_100, 0));
        assert_eq!(free(ISSUER), 100_000 - DEPOSIT + 1_100 + DEPOSIT);
        assert!(!events().iter().any(|e| matches!(
            e,
            Event::CommitmentReleased {
                reason: ReleaseReason::Defaulted,
                ..
            }
        )));
    });
}

#[test]
fn settle_fails_before_the_deadline_and_with_a_bad_limit() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: id,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::InvalidState)
        );
        set_now(DEADLINE);
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: id,
                    limit: 0
                },
                signed(EVE)
            ),
            err(Error::InvalidLimit)
        );
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: id,
                    limit: 5
                },
                Origin::Root
            ),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(shares(ALICE), 0);
    });
}

// ---- transfer_shares / force_transfer_shares ----

#[test]
fn transfer_shares_after_the_lockup() {
    new_test_ext().execute(|| {
        funded_class();
        set_now(DEADLINE + 10 * DAY);
        reset_events();
        ok(
            Call::transfer_shares {
                share_class: 0,
                to: account(CHARLIE),
                amount: 20,
            },
            signed(ALICE),
        );
        assert_eq!((shares(ALICE), shares(CHARLIE)), (40, 20));
        assert_eq!(ShareClasses::get(&0).unwrap().holders, 3);
        assert_eq!(
            events(),
            vec![Event::SharesTransferred {
                share_class: 0,
                from: account(ALICE),
                to: account(CHARLIE),
                amount: 20
            }]
        );
        ok(
            Call::transfer_shares {
                share_class: 0,
                to: account(CHARLIE),
                amount: 40,
            },
            signed(ALICE),
        );
        assert!(Shares::get(&0, &account(ALICE)).is_none());
        assert_eq!(ShareClasses::get(&0).unwrap().holders, 2);
    });
}

#[test]
fn transfer_shares_respects_lockup_claims_balance_and_holder_limit() {
    new_test_ext().execute(|| {
        funded_class();
        let transfer = |to: u8, amount| {
            dispatch(
                Call::transfer_shares {
                    share_class: 0,
                    to: account(to),
                    amount,
                },
                signed(ALICE),
            )
        };
        assert_eq!(transfer(CHARLIE, 10), err(Error::SharesLocked));
        set_now(DEADLINE + 10 * DAY);
        assert_eq!(transfer(EVE, 10), err(Error::ClaimRequired));
        assert_eq!(transfer(CHARLIE, 61), err(Error::InsufficientShares));
        assert_eq!(transfer(CHARLIE, 0), err(Error::InvalidTransfer));
        assert_eq!(transfer(ALICE, 10), err(Error::InvalidTransfer));
        ShareClasses::mutate(&0, |c| c.as_mut().unwrap().max_holders = 2);
        assert_eq!(transfer(CHARLIE, 10), err(Error::TooManyHolders));
        assert_eq!(transfer(CHARLIE, 60), Ok(()));
        assert_eq!(shares(ALICE), 0);
    });
}

#[test]
fn force_transfer_shares_ignores_lockup_and_claims() {
    new_test_ext().execute(|| {
        funded_class();
        reset_events();
        ok(
            Call::force_transfer_shares {
                share_class: 0,
                from: account(ALICE),
                to: account(EVE),
                amount: 60,
            },
            Origin::Root,
        );
        assert_eq!((shares(ALICE), shares(EVE)), (0, 60));
        assert_eq!(
            events(),
            vec![Event::SharesForceTransferred {
                share_class: 0,
                from: account(ALICE),
                to: account(EVE),
                amount: 60
            }]
        );
    });
}

#[test]
fn force_transfer_shares_needs_root_and_shares() {
    new_test_ext().execute(|| {
        funded_class();
        let call = |amount| Call::force_transfer_shares {
            share_class: 0,
            from: account(ALICE),
            to: account(EVE),
            amount,
        };
        assert_eq!(
            dispatch(call(10), signed(ISSUER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(call(61), Origin::Root),
            err(Error::InsufficientShares)
        );
        assert_eq!(shares(EVE), 0);
    });
}

// ---- dividends ----

fn distribute(amount: Balance, record_date: Moment, expires_at: Moment) -> DispatchResult {
    dispatch(
        Call::create_distribution {
            share_class: 0,
            amount,
            record_date,
            expires_at,
        },
        signed(ISSUER),
    )
}

#[test]
fn create_distribution_holds_the_funds_and_schedules_a_checkpoint() {
    new_test_ext().execute(|| {
        funded_class();
        reset_events();
        assert_eq!(
            distribute(1_100, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        assert_eq!(held(HoldReason::DividendFunds, ISSUER), 1_100);
        assert_eq!(ShareClasses::get(&0).unwrap().live_checkpoints, vec![0]);
        assert_eq!(
            events().last(),
            Some(&Event::DistributionCreated {
                distribution: 0,
                share_class: 0,
                payer: account(ISSUER),
                amount: 1_100,
                checkpoint: 0,
                record_date: DEADLINE + DAY,
                expires_at: DEADLINE + 30 * DAY,
            })
        );
    });
}

#[test]
fn create_distribution_checks_issuer_amount_dates_and_checkpoint_room() {
    new_test_ext().execute(|| {
        funded_class();
        let (record, expiry) = (DEADLINE + DAY, DEADLINE + 30 * DAY);
        assert_eq!(
            dispatch(
                Call::create_distribution {
                    share_class: 0,
                    amount: 10,
                    record_date: record,
                    expires_at: expiry
                },
                signed(ALICE)
            ),
            err(Error::NotClassIssuer)
        );
        assert_eq!(
            distribute(0, record, expiry),
            err(Error::InvalidDistribution)
        );
        assert_eq!(distribute(10, DEADLINE, expiry), err(Error::InvalidDate));
        assert_eq!(distribute(10, record, record), err(Error::InvalidDate));
        assert!(distribute(1_000_000, record, expiry).is_err());
        for _ in 0..MAX_LIVE_CHECKPOINTS {
            assert_eq!(distribute(10, record, expiry), Ok(()));
        }
        assert_eq!(
            distribute(10, record, expiry),
            err(Error::TooManyCheckpoints)
        );
    });
}

#[test]
fn claim_dividend_pays_by_the_balance_at_the_record_date() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            distribute(1_100, DEADLINE + 10 * DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        set_now(DEADLINE + 10 * DAY);
        // After the record date Alice gives all her shares to Charlie: the dividend stays hers.
        ok(
            Call::transfer_shares {
                share_class: 0,
                to: account(CHARLIE),
                amount: 60,
            },
            signed(ALICE),
        );
        reset_events();
        ok(Call::claim_dividend { distribution: 0 }, signed(ALICE));
        assert_eq!(free(ALICE), 9_400 + 600);
        assert_eq!(
            events(),
            vec![Event::DividendClaimed {
                distribution: 0,
                holder: account(ALICE),
                amount: 600
            }]
        );
        assert_eq!(api::claimable_dividend::<Test>(0, account(BOB)), 500);
        assert_eq!(api::claimable_dividend::<Test>(0, account(CHARLIE)), 0);
        ok(Call::claim_dividend { distribution: 0 }, signed(BOB));
        let d = Distributions::get(&0).unwrap();
        assert_eq!((d.claimed, d.remaining), (1_100, 0));
    });
}

#[test]
fn claim_dividend_fails_early_twice_or_without_shares() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            distribute(1_100, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        let claim = |who| dispatch(Call::claim_dividend { distribution: 0 }, signed(who));
        assert_eq!(claim(ALICE), err(Error::NotClaimable));
        set_now(DEADLINE + DAY);
        assert_eq!(claim(EVE), err(Error::NothingToClaim));
        assert_eq!(claim(ALICE), Ok(()));
        assert_eq!(claim(ALICE), err(Error::AlreadyClaimed));
        set_now(DEADLINE + 30 * DAY);
        assert_eq!(claim(BOB), err(Error::NotClaimable));
        assert_eq!(
            dispatch(Call::claim_dividend { distribution: 5 }, signed(BOB)),
            err(Error::UnknownDistribution)
        );
    });
}

#[test]
fn reclaim_dividend_returns_the_unclaimed_rest_after_expiry() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            distribute(1_100, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        set_now(DEADLINE + DAY);
        ok(Call::claim_dividend { distribution: 0 }, signed(ALICE));
        set_now(DEADLINE + 30 * DAY);
        reset_events();
        ok(Call::reclaim_dividend { distribution: 0 }, signed(EVE));
        let d = Distributions::get(&0).unwrap();
        assert_eq!(
            (d.claimed, d.remaining, d.reclaimed, d.closed),
            (600, 0, 500, true)
        );
        assert_eq!(held(HoldReason::DividendFunds, ISSUER), 0);
        assert!(ShareClasses::get(&0).unwrap().live_checkpoints.is_empty());
        assert_eq!(
            events(),
            vec![Event::DividendReclaimed {
                distribution: 0,
                payer: account(ISSUER),
                amount: 500
            }]
        );
    });
}

#[test]
fn reclaim_dividend_fails_before_expiry_and_twice() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            distribute(1_100, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        let reclaim = || dispatch(Call::reclaim_dividend { distribution: 0 }, signed(EVE));
        assert_eq!(reclaim(), err(Error::NotReclaimable));
        set_now(DEADLINE + 30 * DAY);
        assert_eq!(reclaim(), Ok(()));
        assert_eq!(reclaim(), err(Error::NotReclaimable));
    });
}

/// Issue 18, "Dividend arithmetic overflows": `amount × shares` beyond u128 made the claim
/// fail with an overflow; the pro rata part is computed in 256 bits.
#[test]
fn a_dividend_whose_amount_times_shares_exceeds_u128_is_paid_pro_rata() {
    new_test_ext().execute(|| {
        funded_class();
        // Alice 60 and Bob 50 of 110 shares; amount × 60 is about 30 × u128::MAX.
        let unit = u128::MAX / 220;
        let amount = unit * 110;
        Balances::do_mint(&account(ISSUER), amount).unwrap();
        assert_eq!(
            distribute(amount, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        set_now(DEADLINE + DAY);
        let (alice, bob) = (free(ALICE), free(BOB));
        ok(Call::claim_dividend { distribution: 0 }, signed(ALICE));
        ok(Call::claim_dividend { distribution: 0 }, signed(BOB));
        assert_eq!(
            (free(ALICE), free(BOB)),
            (alice + unit * 60, bob + unit * 50)
        );
        let d = Distributions::get(&0).unwrap();
        assert_eq!((d.claimed, d.remaining), (amount, 0));
    });
}

/// Issue 18's root cause seen from the dividends: the issuer votes with everything it has (a
/// freeze over the held fund), places a hold elsewhere and moves out its whole free balance;
/// every holder is still paid from the fund, and nothing is left for the issuer to reclaim.
#[test]
fn an_issuer_cannot_freeze_or_drain_a_distribution_away() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            distribute(1_100, DEADLINE + DAY, DEADLINE + 30 * DAY),
            Ok(())
        );
        let issuer = account(ISSUER);
        let total = free(ISSUER) + held(HoldReason::DividendFunds, ISSUER);
        Balances::set_freeze(FreezeReason::GovernanceVote, &issuer, total).unwrap();
        Balances::hold(HoldReason::BillMargin, &issuer, 1).unwrap();
        let movable = Balances::reducible_balance(&issuer, Preservation::Expendable);
        Balances::transfer(&issuer, &account(EVE), movable, Preservation::Expendable).unwrap();
        set_now(DEADLINE + DAY);
        let (alice, bob) = (free(ALICE), free(BOB));
        ok(Call::claim_dividend { distribution: 0 }, signed(ALICE));
        ok(Call::claim_dividend { distribution: 0 }, signed(BOB));
        assert_eq!((free(ALICE), free(BOB)), (alice + 600, bob + 500));
        assert_eq!(held(HoldReason::DividendFunds, ISSUER), 0);
        set_now(DEADLINE + 30 * DAY);
        ok(Call::reclaim_dividend { distribution: 0 }, signed(EVE));
        assert_eq!(
            Distributions::get(&0).map(|d| (d.claimed, d.remaining, d.reclaimed)),
            Some((1_100, 0, 0))
        );
    });
}

// ---- votes ----

fn motion(quorum_percent: u8, threshold_percent: u8) -> Call {
    Call::create_motion {
        share_class: 0,
        proposal: H256([9; 32]),
        record_date: DEADLINE + DAY,
        voting_ends: DEADLINE + 8 * DAY,
        quorum_percent,
        threshold_percent,
    }
}

#[test]
fn create_motion_schedules_a_record_date() {
    new_test_ext().execute(|| {
        funded_class();
        reset_events();
        ok(motion(50, 50), signed(ISSUER));
        assert_eq!(Motions::get(&0).unwrap().status, MotionStatus::Voting);
        assert!(matches!(
            events()[0],
            Event::MotionCreated {
                motion: 0,
                checkpoint: 0,
                ..
            }
        ));
    });
}

#[test]
fn create_motion_checks_percentages_issuer_and_dates() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(
            dispatch(motion(101, 50), signed(ISSUER)),
            err(Error::InvalidMotion)
        );
        assert_eq!(
            dispatch(motion(50, 0), signed(ISSUER)),
            err(Error::InvalidMotion)
        );
        assert_eq!(
            dispatch(motion(50, 50), signed(ALICE)),
            err(Error::NotClassIssuer)
        );
        set_now(DEADLINE + DAY);
        assert_eq!(
            dispatch(motion(50, 50), signed(ISSUER)),
            err(Error::InvalidDate)
        );
        assert!(Motions::get(&0).is_none());
    });
}

#[test]
fn votes_count_shares_at_the_record_date_and_the_chain_decides() {
    new_test_ext().execute(|| {
        funded_class();
        ok(motion(50, 50), signed(ISSUER));
        set_now(DEADLINE + 10 * DAY + DAY);
        // Unlocked only later; record date has passed, so moving shares changes no power.
        set_now(DEADLINE + DAY);
        ok(
            Call::vote {
                motion: 0,
                aye: true,
            },
            signed(ALICE),
        );
        ok(
            Call::force_transfer_shares {
                share_class: 0,
                from: account(BOB),
                to: account(CHARLIE),
                amount: 50,
            },
            Origin::Root,
        );
        ok(
            Call::vote {
                motion: 0,
                aye: false,
            },
            signed(BOB),
        );
        assert_eq!(
            dispatch(
                Call::vote {
                    motion: 0,
                    aye: true
                },
                signed(CHARLIE)
            ),
            err(Error::NoVotingPower)
        );
        let m = Motions::get(&0).unwrap();
        assert_eq!((m.ayes, m.nays), (60, 50));
        set_now(DEADLINE + 8 * DAY);
        reset_events();
        ok(Call::close_motion { motion: 0 }, signed(EVE));
        assert_eq!(
            events(),
            vec![Event::MotionClosed {
                motion: 0,
                status: MotionStatus::Passed,
                ayes: 60,
                nays: 50,
                supply: 110
            }]
        );
    });
}

#[test]
fn vote_fails_outside_the_period_and_twice() {
    new_test_ext().execute(|| {
        funded_class();
        ok(motion(50, 50), signed(ISSUER));
        let vote = |who| {
            dispatch(
                Call::vote {
                    motion: 0,
                    aye: true,
                },
                signed(who),
            )
        };
        assert_eq!(vote(ALICE), err(Error::VotingClosed));
        set_now(DEADLINE + DAY);
        assert_eq!(vote(ALICE), Ok(()));
        assert_eq!(vote(ALICE), err(Error::AlreadyVoted));
        set_now(DEADLINE + 8 * DAY);
        assert_eq!(vote(BOB), err(Error::VotingClosed));
    });
}

/// Issue 18: a 50/50 vote passed at threshold 50. Ayes must be strictly above the threshold.
#[test]
fn a_tie_does_not_pass_a_majority_threshold() {
    new_test_ext().execute(|| {
        funded_class();
        ok(motion(50, 50), signed(ISSUER));
        let mut tally = Motions::get(&0).unwrap();
        (tally.ayes, tally.nays) = (50, 50);
        assert_eq!(Crowdfunding::motion_passes(&tally, 100), Ok(false));
        (tally.ayes, tally.nays) = (51, 49);
        assert_eq!(Crowdfunding::motion_passes(&tally, 100), Ok(true));
        tally.threshold_percent = 100;
        assert_eq!(Crowdfunding::motion_passes(&tally, 100), Ok(false));
        (tally.ayes, tally.nays) = (100, 0);
        assert_eq!(Crowdfunding::motion_passes(&tally, 100), Ok(true));
    });
}

#[test]
fn a_motion_without_quorum_fails() {
    new_test_ext().execute(|| {
        funded_class();
        ok(motion(60, 50), signed(ISSUER));
        set_now(DEADLINE + DAY);
        ok(
            Call::vote {
                motion: 0,
                aye: true,
            },
            signed(BOB),
        );
        set_now(DEADLINE + 8 * DAY);
        ok(Call::close_motion { motion: 0 }, signed(EVE));
        assert_eq!(Motions::get(&0).unwrap().status, MotionStatus::Failed);
    });
}

#[test]
fn close_motion_fails_before_the_end_and_twice() {
    new_test_ext().execute(|| {
        funded_class();
        ok(motion(50, 50), signed(ISSUER));
        let close = || dispatch(Call::close_motion { motion: 0 }, signed(EVE));
        assert_eq!(close(), err(Error::NotClosable));
        set_now(DEADLINE + 8 * DAY);
        assert_eq!(close(), Ok(()));
        assert_eq!(close(), err(Error::NotClosable));
        assert_eq!(
            dispatch(Call::close_motion { motion: 3 }, signed(EVE)),
            err(Error::UnknownMotion)
        );
    });
}

// ---- runtime API, genesis, metadata, encoding ----

#[test]
fn api_reports_campaign_state_as_of_now_and_the_cap_table() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        set_now(DEADLINE);
        assert_eq!(
            api::campaign::<Test>(id).unwrap().state,
            CampaignState::Succeeded
        );
        assert_eq!(state(id), CampaignState::Open);
        assert_eq!(
            api::commitment::<Test>(id, account(ALICE)).unwrap().amount,
            1_000
        );
        ok(
            Call::settle {
                campaign: id,
                limit: 5,
            },
            signed(EVE),
        );
        let table = api::cap_table::<Test>(0, 0, 10);
        assert_eq!(table.len(), 1);
        assert_eq!(table[0].0, account(ALICE));
        assert_eq!(api::share_account::<Test>(0, account(ALICE)).balance, 100);
        assert_eq!(api::share_class::<Test>(0).unwrap().supply, 100);
        let status = api::investor_status::<Test>(account(ALICE));
        assert!(status.claim_valid);
        assert_eq!((status.limit, status.headroom), (None, None));
    });
}

#[test]
fn genesis_rejects_duplicates_and_untrusted_issuers() {
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        let claim = GenesisClaim {
            subject: account(1),
            issuer: account(2),
            kyc: KycStatus::Verified,
            category: InvestorCategory::Retail,
            investment_limit: None,
            expires_at: 1,
        };
        let config = GenesisConfig {
            claim_issuers: vec![account(3), account(3)],
            claims: vec![],
        };
        assert_eq!(
            config.build::<Test>(),
            Err(GenesisError::DuplicateClaimIssuer(account(3)))
        );
        let config = GenesisConfig {
            claim_issuers: vec![account(3)],
            claims: vec![claim.clone()],
        };
        assert_eq!(
            config.build::<Test>(),
            Err(GenesisError::UntrustedIssuer(account(2)))
        );
        let config = GenesisConfig {
            claim_issuers: vec![account(2)],
            claims: vec![claim.clone(), claim],
        };
        assert_eq!(
            config.build::<Test>(),
            Err(GenesisError::DuplicateClaim(account(1)))
        );
        assert!(!ClaimIssuers::contains_key(&account(2)));
    });
}

#[test]
fn genesis_config_reads_chain_spec_json() {
    let json = r#"{"claimIssuers": [], "claims": []}"#;
    let config: GenesisConfig = serde_json::from_str(json).unwrap();
    assert_eq!(config, GenesisConfig::default());
}

#[test]
fn metadata_describes_every_storage_item_call_and_constant() {
    let meta = metadata::<Test>();
    assert_eq!((meta.name, meta.index), ("Crowdfunding", 9));
    assert_eq!(meta.storage.len(), 35);
    assert_eq!(meta.constants.len(), 13);
    let v15 = meta.v15();
    assert!(v15.storage.is_some() && v15.calls.is_some() && v15.event.is_some());
    let registry = {
        let mut registry = scale_info::Registry::new();
        registry.register_type(&scale_info::meta_type::<Call>());
        scale_info::PortableRegistry::from(registry)
    };
    let call = registry
        .types
        .iter()
        .find(|t| t.ty.path.segments.last().map(String::as_str) == Some("Call"))
        .unwrap();
    assert_eq!(
        call.ty.path.segments,
        vec!["pallet_crowdfunding", "pallet", "Call"]
    );
    match &call.ty.type_def {
        scale_info::TypeDef::Variant(v) => {
            assert_eq!(v.variants.len(), 40);
            assert!(v.variants.iter().all(|variant| !variant.docs.is_empty()));
        }
        _ => panic!("Call is an enum"),
    }
}

#[test]
fn call_and_error_encodings_are_pinned() {
    assert_eq!(
        Call::settle {
            campaign: 1,
            limit: 2
        }
        .encode(),
        vec![34, 1, 0, 0, 0, 2, 0, 0, 0]
    );
    assert_eq!(
        Call::commit {
            campaign: 0,
            amount: 1
        }
        .encode(),
        vec![25, 0, 0, 0, 0, 4]
    );
    assert_eq!(
        module_error(9, &Error::NotClosable),
        err(Error::NotClosable).unwrap_err()
    );
    assert_eq!(Error::NotClosable.encode(), vec![44]);
    assert_eq!(
        Event::ClaimIssuerAdded { issuer: account(1) }.encode()[0],
        0
    );
}

#[test]
fn every_call_has_a_weight() {
    let calls = [
        Call::settle {
            campaign: 0,
            limit: 10,
        },
        Call::refund {
            campaign: 0,
            limit: 1,
        },
        Call::release_unconfirmed {
            campaign: 0,
            limit: 10,
        },
    ];
    assert!(calls[0].dispatch_info().weight.ref_time > calls[1].dispatch_info().weight.ref_time);
    assert!(calls[2].dispatch_info().weight.ref_time > 0);
}

// ---- campaign rules: investor categories, tiers, vesting ----

/// Class 0 and campaign 0 with `rules`, approved and open (time at the start).
fn campaign_with_rules(rules: CampaignRules) -> CampaignId {
    create_class(10);
    let id = NextCampaignId::get();
    ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
    ok(
        Call::set_campaign_rules {
            campaign: id,
            rules,
        },
        signed(ISSUER),
    );
    ok(Call::submit_campaign { campaign: id }, signed(ISSUER));
    ok(Call::approve_campaign { campaign: id }, Origin::Root);
    set_now(START);
    id
}

fn claim_as(who: u8, category: InvestorCategory) {
    ok(
        Call::issue_claim {
            subject: account(who),
            kyc: KycStatus::Verified,
            category,
            investment_limit: None,
            expires_at: CLAIM_EXPIRY,
        },
        signed(KYC),
    );
}

fn no_sophisticated_retail_capped() -> CampaignRules {
    CampaignRules {
        categories: CategorySet {
            retail: true,
            sophisticated: false,
            professional: true,
        },
        category_caps: CategoryCaps {
            retail: Some(300),
            ..CategoryCaps::default()
        },
        ..CampaignRules::default()
    }
}

#[test]
fn set_campaign_rules_sets_a_drafts_rules() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        reset_events();
        let rules = no_sophisticated_retail_capped();
        ok(
            Call::set_campaign_rules {
                campaign: 0,
                rules: rules.clone(),
            },
            signed(ISSUER),
        );
        assert_eq!(RulesOf::get(&0), Some(rules.clone()));
        assert_eq!(
            events(),
            vec![Event::CampaignRulesSet { campaign: 0, rules }]
        );
        ok(
            Call::set_campaign_rules {
                campaign: 0,
                rules: CampaignRules::default(),
            },
            signed(ISSUER),
        );
        assert_eq!(RulesOf::get(&0), None);
    });
}

#[test]
fn set_campaign_rules_only_by_the_issuer_on_a_draft_with_valid_rules() {
    new_test_ext().execute(|| {
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        let set = |rules: CampaignRules, who: u8| {
            dispatch(Call::set_campaign_rules { campaign: 0, rules }, signed(who))
        };
        let tiers = |tiers: Vec<PriceTier>| CampaignRules {
            tiers,
            ..CampaignRules::default()
        };
        let tier = |up_to, price| PriceTier { up_to, price };
        assert_eq!(
            set(CampaignRules::default(), ALICE),
            err(Error::NotCampaignIssuer)
        );
        // Descending ends, a zero price, an end above the hard cap, too many tiers.
        for bad in [
            vec![tier(500, 5), tier(400, 5)],
            vec![tier(500, 0)],
            vec![tier(2_010, 5)],
            vec![
                tier(100, 5),
                tier(200, 5),
                tier(300, 5),
                tier(400, 5),
                tier(500, 5),
            ],
            // lcm(10, 3) = 30: the soft cap 1 000 is not a multiple of it.
            vec![tier(300, 3)],
            // The tier end is not a multiple of the unit 10.
            vec![tier(505, 5)],
        ] {
            assert_eq!(set(tiers(bad), ISSUER), err(Error::InvalidRules));
        }
        let vesting = |cliff, duration| CampaignRules {
            vesting: Some(VestingTerms { cliff, duration }),
            ..CampaignRules::default()
        };
        assert_eq!(set(vesting(0, 0), ISSUER), err(Error::InvalidRules));
        assert_eq!(set(vesting(2 * DAY, DAY), ISSUER), err(Error::InvalidRules));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        assert_eq!(set(vesting(DAY, 2 * DAY), ISSUER), err(Error::InvalidState));
        assert_eq!(RulesOf::get(&0), None);
    });
}

#[test]
fn commit_admits_only_the_campaigns_investor_categories_and_caps() {
    new_test_ext().execute(|| {
        let id = campaign_with_rules(no_sophisticated_retail_capped());
        claim_as(EVE, InvestorCategory::Sophisticated);
        assert_eq!(commit(id, EVE, 100), err(Error::CategoryNotAllowed));
        // Alice is retail: capped at 300 in total.
        assert_eq!(commit(id, ALICE, 400), err(Error::AboveCategoryMaximum));
        assert_eq!(commit(id, ALICE, 300), Ok(()));
        assert_eq!(commit(id, ALICE, 100), err(Error::AboveCategoryMaximum));
        assert_eq!(committed(ALICE), 300);
        // A professional is admitted and not capped beyond the campaign maximum.
        claim_as(EVE, InvestorCategory::Professional);
        assert_eq!(commit(id, EVE, 1_500), Ok(()));
        // A revoked claim admits nothing.
        ok(
            Call::revoke_claim {
                subject: account(BOB),
            },
            signed(KYC),
        );
        assert_eq!(commit(id, BOB, 100), err(Error::ClaimRequired));
    });
}

#[test]
fn tiered_prices_fill_in_commitment_order() {
    new_test_ext().execute(|| {
        // The first 500 of the raise at 4 per share, the rest at 10: the unit is lcm(10, 4) = 20.
        let id = campaign_with_rules(CampaignRules {
            tiers: vec![PriceTier {
                up_to: 500,
                price: 4,
            }],
            ..CampaignRules::default()
        });
        assert_eq!(commit(id, ALICE, 610), err(Error::InvalidAmount));
        // Charlie is first (0..200) but cancels: his place is free for the next commitment.
        assert_eq!(commit(id, CHARLIE, 200), Ok(()));
        assert_eq!(commit(id, ALICE, 600), Ok(()));
        ok(Call::cancel_commitment { campaign: id }, signed(CHARLIE));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        set_now(DEADLINE);
        reset_events();
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        // Alice at 200..800: 300 ÷ 4 + 300 ÷ 10 = 105 shares; Bob at 600..1 100: 500 ÷ 10 = 50.
        assert_eq!((shares(ALICE), shares(BOB), shares(CHARLIE)), (105, 50, 0));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!((campaign.settled, campaign.shares_minted), (1_100, 155));
        let settled: Vec<_> = events()
            .into_iter()
            .filter_map(|e| match e {
                Event::CommitmentSettled { amount, shares, .. } => Some((amount, shares)),
                _ => None,
            })
            .collect();
        assert_eq!(settled, vec![(600, 105), (500, 50)]);
    });
}

#[test]
fn a_late_top_up_pays_the_late_price() {
    new_test_ext().execute(|| {
        let id = campaign_with_rules(CampaignRules {
            tiers: vec![PriceTier {
                up_to: 500,
                price: 4,
            }],
            ..CampaignRules::default()
        });
        // Alice takes an early place with the minimum, Bob fills the early tier, and Alice
        // tops up at the end: only her first 100 are early-bird.
        assert_eq!(commit(id, ALICE, 100), Ok(()));
        assert_eq!(commit(id, BOB, 400), Ok(()));
        set_now(DEADLINE - LOCK_WINDOW - HOUR);
        assert_eq!(commit(id, ALICE, 500), Ok(()));
        assert_eq!(CommitmentShares::get(&id, &account(ALICE)), Some(25 + 50));
        // Settled once the top-up's reflection period is over.
        set_now(DEADLINE - LOCK_WINDOW - HOUR + REFLECTION_PERIOD);
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        assert_eq!((shares(ALICE), shares(BOB)), (75, 100));
        assert_eq!(CommitmentShares::get(&id, &account(ALICE)), None);
    });
}

#[test]
fn tier_shares_are_exact_per_part() {
    let rules = CampaignRules {
        tiers: vec![
            PriceTier {
                up_to: 200,
                price: 4,
            },
            PriceTier {
                up_to: 400,
                price: 5,
            },
        ],
        ..CampaignRules::default()
    };
    assert_eq!(rules.unit(10), Some(20));
    // 100..300: 100 at 4, 100 at 5.
    assert_eq!(rules.shares_for(10, 100, 200), Some((45, 0)));
    // 300..600: 100 at 5, 200 at 10.
    assert_eq!(rules.shares_for(10, 300, 300), Some((40, 0)));
    // Off the unit, the remainder is reported, never hidden.
    assert_eq!(rules.shares_for(10, 0, 7), Some((1, 3)));
    assert_eq!(
        CampaignRules::default().shares_for(10, 0, 1_000),
        Some((100, 0))
    );
}

// ---- vesting ----

#[test]
fn a_vesting_round_vests_its_shares_which_still_earn_dividends() {
    new_test_ext().execute(|| {
        let id = campaign_with_rules(CampaignRules {
            vesting: Some(VestingTerms {
                cliff: 20 * DAY,
                duration: 100 * DAY,
            }),
            ..CampaignRules::default()
        });
        assert_eq!(commit(id, ALICE, 600), Ok(()));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        set_now(DEADLINE);
        reset_events();
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        let schedule = VestingSchedule {
            locked: 60,
            start: DEADLINE,
            cliff: DEADLINE + 20 * DAY,
            end: DEADLINE + 100 * DAY,
        };
        assert_eq!(Vesting::get(&0, &account(ALICE)), Some(schedule));
        assert!(events().contains(&Event::VestingSet {
            share_class: 0,
            holder: account(ALICE),
            schedule: Some(schedule),
        }));
        // After the 10-day lockup the shares are still unvested.
        set_now(DEADLINE + 15 * DAY);
        assert_eq!(
            dispatch(
                Call::transfer_shares {
                    share_class: 0,
                    to: account(CHARLIE),
                    amount: 1,
                },
                signed(ALICE)
            ),
            err(Error::SharesUnvested)
        );
        // Unvested shares count for dividends.
        assert_eq!(distribute(110, now() + HOUR, now() + DAY), Ok(()));
        advance(HOUR);
        ok(Call::claim_dividend { distribution: 0 }, signed(ALICE));
        assert_eq!(DividendClaims::get(&0, &account(ALICE)), Some(60));
    });
}

#[test]
fn vested_shares_grow_over_time() {
    let schedule = VestingSchedule {
        locked: 60,
        start: 0,
        cliff: 10 * DAY,
        end: 40 * DAY,
    };
    let unvested: Vec<_> = [
        0,
        10 * DAY - 1,
        10 * DAY,
        20 * DAY,
        30 * DAY,
        40 * DAY - 1,
        40 * DAY,
    ]
    .iter()
    .map(|t| schedule.unvested_at(*t))
    .collect();
    // Rounded up: a holder never gets a fraction of a share early.
    assert_eq!(unvested, vec![60, 60, 45, 30, 15, 1, 0]);
    assert!(unvested.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn set_vesting_holds_unvested_shares_until_they_vest() {
    new_test_ext().execute(|| {
        funded_class();
        let t = DEADLINE + 10 * DAY;
        set_now(t);
        let schedule = VestingSchedule {
            locked: 60,
            start: t,
            cliff: t + 10 * DAY,
            end: t + 40 * DAY,
        };
        reset_events();
        ok(
            Call::set_vesting {
                share_class: 0,
                holder: account(ALICE),
                schedule: Some(schedule),
            },
            Origin::Root,
        );
        assert_eq!(
            events(),
            vec![Event::VestingSet {
                share_class: 0,
                holder: account(ALICE),
                schedule: Some(schedule),
            }]
        );
        let transfer = |amount| {
            dispatch(
                Call::transfer_shares {
                    share_class: 0,
                    to: account(CHARLIE),
                    amount,
                },
                signed(ALICE),
            )
        };
        assert_eq!(transfer(1), err(Error::SharesUnvested));
        // At the cliff 15 of 60 have vested; ten days later 30.
        set_now(t + 10 * DAY);
        assert_eq!(transfer(16), err(Error::SharesUnvested));
        assert_eq!(transfer(15), Ok(()));
        set_now(t + 20 * DAY);
        assert_eq!(transfer(16), err(Error::SharesUnvested));
        assert_eq!(transfer(15), Ok(()));
        set_now(t + 40 * DAY);
        assert_eq!(transfer(30), Ok(()));
        assert_eq!((shares(ALICE), shares(CHARLIE)), (0, 60));
        // Removing a schedule.
        ok(
            Call::set_vesting {
                share_class: 0,
                holder: account(ALICE),
                schedule: None,
            },
            Origin::Root,
        );
        assert_eq!(Vesting::get(&0, &account(ALICE)), None);
    });
}

#[test]
fn set_vesting_needs_root_a_valid_schedule_and_the_shares() {
    new_test_ext().execute(|| {
        funded_class();
        let set = |class, locked, cliff, origin| {
            dispatch(
                Call::set_vesting {
                    share_class: class,
                    holder: account(ALICE),
                    schedule: Some(VestingSchedule {
                        locked,
                        start: 0,
                        cliff,
                        end: 10 * DAY,
                    }),
                },
                origin,
            )
        };
        assert_eq!(
            set(0, 60, DAY, signed(ISSUER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(set(0, 61, DAY, Origin::Root), err(Error::InvalidVesting));
        assert_eq!(set(0, 0, DAY, Origin::Root), err(Error::InvalidVesting));
        assert_eq!(
            set(0, 60, 11 * DAY, Origin::Root),
            err(Error::InvalidVesting)
        );
        assert_eq!(set(7, 60, DAY, Origin::Root), err(Error::UnknownClass));
        assert_eq!(Vesting::get(&0, &account(ALICE)), None);
    });
}

#[test]
fn force_transfer_may_move_unvested_shares_and_cuts_the_schedule() {
    new_test_ext().execute(|| {
        funded_class();
        let schedule = VestingSchedule {
            locked: 60,
            start: DEADLINE,
            cliff: DEADLINE + 10 * DAY,
            end: DEADLINE + 40 * DAY,
        };
        ok(
            Call::set_vesting {
                share_class: 0,
                holder: account(ALICE),
                schedule: Some(schedule),
            },
            Origin::Root,
        );
        ok(
            Call::force_transfer_shares {
                share_class: 0,
                from: account(ALICE),
                to: account(CHARLIE),
                amount: 20,
            },
            Origin::Root,
        );
        assert_eq!(
            Vesting::get(&0, &account(ALICE)),
            Some(VestingSchedule {
                locked: 40,
                ..schedule
            })
        );
        // The moved shares arrive free.
        assert_eq!(Vesting::get(&0, &account(CHARLIE)), None);
        set_now(DEADLINE + 10 * DAY);
        ok(
            Call::transfer_shares {
                share_class: 0,
                to: account(ALICE),
                amount: 20,
            },
            signed(CHARLIE),
        );
    });
}

// ---- transfer categories ----

#[test]
fn set_transfer_categories_restricts_the_recipients() {
    new_test_ext().execute(|| {
        funded_class();
        set_now(DEADLINE + 10 * DAY);
        let professional = CategorySet {
            retail: false,
            sophisticated: false,
            professional: true,
        };
        reset_events();
        ok(
            Call::set_transfer_categories {
                share_class: 0,
                categories: Some(professional),
            },
            signed(ISSUER),
        );
        assert_eq!(
            events(),
            vec![Event::TransferCategoriesSet {
                share_class: 0,
                categories: Some(professional),
            }]
        );
        let transfer = || {
            dispatch(
                Call::transfer_shares {
                    share_class: 0,
                    to: account(CHARLIE),
                    amount: 10,
                },
                signed(ALICE),
            )
        };
        assert_eq!(transfer(), err(Error::CategoryNotAllowed));
        claim_as(CHARLIE, InvestorCategory::Professional);
        assert_eq!(transfer(), Ok(()));
        ok(
            Call::set_transfer_categories {
                share_class: 0,
                categories: None,
            },
            signed(ISSUER),
        );
        assert_eq!(TransferCategories::get(&0), None);
    });
}

#[test]
fn set_transfer_categories_only_by_the_class_issuer() {
    new_test_ext().execute(|| {
        create_class(10);
        let set = |class, who| {
            dispatch(
                Call::set_transfer_categories {
                    share_class: class,
                    categories: Some(CategorySet::ALL),
                },
                signed(who),
            )
        };
        assert_eq!(set(0, ALICE), err(Error::NotClassIssuer));
        assert_eq!(set(5, ISSUER), err(Error::UnknownClass));
        assert_eq!(TransferCategories::get(&0), None);
    });
}

// ---- prune_checkpoint ----

/// A distribution on class 0 whose record date has passed and two holders' balances
/// recorded at it (Alice moved 10 shares to Charlie after the record date).
fn checkpoint_with_balances() -> CheckpointId {
    funded_class();
    set_now(DEADLINE + 10 * DAY);
    assert_eq!(distribute(110, now() + HOUR, now() + DAY), Ok(()));
    advance(2 * HOUR);
    ok(
        Call::transfer_shares {
            share_class: 0,
            to: account(CHARLIE),
            amount: 10,
        },
        signed(ALICE),
    );
    assert_eq!(CheckpointBalances::iter_prefix(&0).count(), 2);
    0
}

#[test]
fn prune_checkpoint_removes_a_retired_checkpoint_in_batches() {
    new_test_ext().execute(|| {
        let checkpoint = checkpoint_with_balances();
        advance(DAY);
        ok(Call::reclaim_dividend { distribution: 0 }, signed(EVE));
        reset_events();
        let prune = |limit| dispatch(Call::prune_checkpoint { checkpoint, limit }, signed(EVE));
        assert_eq!(prune(1), Ok(()));
        assert_eq!(CheckpointBalances::iter_prefix(&checkpoint).count(), 1);
        assert!(Checkpoints::contains_key(&checkpoint));
        assert_eq!(prune(10), Ok(()));
        assert_eq!(CheckpointBalances::iter_prefix(&checkpoint).count(), 0);
        assert!(!Checkpoints::contains_key(&checkpoint));
        assert_eq!(
            events(),
            vec![
                Event::CheckpointPruned {
                    checkpoint,
                    removed: 1,
                    done: false
                },
                Event::CheckpointPruned {
                    checkpoint,
                    removed: 1,
                    done: true
                },
            ]
        );
        assert_eq!(prune(1), err(Error::UnknownCheckpoint));
        // The finished distribution still reads as before.
        assert_eq!(api::claimable_dividend::<Test>(0, account(BOB)), 0);
        assert!(Distributions::get(&0).unwrap().closed);
    });
}

#[test]
fn prune_checkpoint_refuses_a_checkpoint_still_in_use_and_bad_limits() {
    new_test_ext().execute(|| {
        let checkpoint = checkpoint_with_balances();
        let prune = |limit| dispatch(Call::prune_checkpoint { checkpoint, limit }, signed(EVE));
        // The distribution is still open: its holders may still claim.
        assert_eq!(prune(5), err(Error::CheckpointInUse));
        assert_eq!(prune(0), err(Error::InvalidLimit));
        assert_eq!(prune(11), err(Error::InvalidLimit));
        assert_eq!(CheckpointBalances::iter_prefix(&checkpoint).count(), 2);
        // A motion's checkpoint is in use until the motion is closed.
        ok(
            Call::create_motion {
                share_class: 0,
                proposal: H256([9; 32]),
                record_date: now() + HOUR,
                voting_ends: now() + DAY,
                quorum_percent: 50,
                threshold_percent: 50,
            },
            signed(ISSUER),
        );
        assert_eq!(
            dispatch(
                Call::prune_checkpoint {
                    checkpoint: 1,
                    limit: 5
                },
                signed(EVE)
            ),
            err(Error::CheckpointInUse)
        );
    });
}

#[test]
fn governance_grants_and_withdraws_the_platform() {
    new_test_ext().execute(|| {
        const PLATFORM: u8 = 30;
        let grant = |platform: Option<u8>, origin| {
            dispatch(
                Call::set_platform {
                    platform: platform.map(account),
                },
                origin,
            )
        };
        create_class(10);
        ok(Call::create_campaign { terms: terms() }, signed(ISSUER));
        ok(Call::submit_campaign { campaign: 0 }, signed(ISSUER));
        let approve = || Call::approve_campaign { campaign: 0 };
        assert_eq!(
            dispatch(approve(), signed(PLATFORM)),
            Err(DispatchError::BadOrigin)
        );
        // Only governance (Root) grants it; the platform cannot pass it on.
        assert_eq!(
            grant(Some(PLATFORM), signed(PLATFORM)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(grant(Some(PLATFORM), Origin::Root), Ok(()));
        assert!(events().contains(&Event::PlatformSet {
            platform: Some(account(PLATFORM))
        }));
        assert_eq!(
            grant(Some(ALICE), signed(PLATFORM)),
            Err(DispatchError::BadOrigin)
        );
        ok(approve(), signed(PLATFORM));
        set_now(START);
        ok(Call::pause_campaign { campaign: 0 }, signed(PLATFORM));
        ok(Call::resume_campaign { campaign: 0 }, signed(PLATFORM));
        // Another signed account has none of its powers.
        assert_eq!(
            dispatch(Call::pause_campaign { campaign: 0 }, signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
        // Withdrawn, the account has none left; Root keeps them.
        assert_eq!(grant(None, Origin::Root), Ok(()));
        assert_eq!(crate::Platform::get(), None);
        assert_eq!(
            dispatch(Call::pause_campaign { campaign: 0 }, signed(PLATFORM)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(Call::cancel_campaign { campaign: 0 }, signed(PLATFORM)),
            err(Error::NotCampaignIssuer)
        );
        ok(Call::pause_campaign { campaign: 0 }, Origin::Root);
    });
}

// ---- revoke_commitment: the reflection period (ECSP art. 22) ----

fn revoke(id: CampaignId, who: u8) -> DispatchResult {
    dispatch(Call::revoke_commitment { campaign: id }, signed(who))
}

#[test]
fn an_investor_may_revoke_within_the_reflection_period_even_in_the_final_window() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        set_now(DEADLINE - LOCK_WINDOW + HOUR);
        assert_eq!(commit(id, ALICE, 500), Ok(()));
        assert_eq!(
            dispatch(Call::cancel_commitment { campaign: id }, signed(ALICE)),
            err(Error::CommitmentLocked)
        );
        assert_eq!(revoke(id, ALICE), Ok(()));
        assert_eq!(committed(ALICE), 0);
        assert_eq!(free(ALICE), 10_000);
        assert!(events().contains(&Event::CommitmentReleased {
            campaign: id,
            investor: account(ALICE),
            amount: 500,
            reason: ReleaseReason::Revoked,
        }));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!((campaign.raised, campaign.investors), (0, 0));
        assert_eq!(revoke(id, ALICE), err(Error::NoCommitment));
    });
}

#[test]
fn the_reflection_period_lasts_four_days_and_covers_only_the_recent_amounts() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 300), Ok(()));
        advance(REFLECTION_PERIOD);
        // Exactly four days later the first amount can no longer be revoked.
        assert_eq!(revoke(id, ALICE), err(Error::ReflectionPeriodOver));
        assert_eq!(commit(id, ALICE, 200), Ok(()));
        advance(REFLECTION_PERIOD - 1);
        assert_eq!(revoke(id, ALICE), Ok(()));
        // The top-up goes, with the shares it bought; the older 300 stay committed.
        assert_eq!(committed(ALICE), 300);
        assert_eq!(Commitments::get(&id, &account(ALICE)).unwrap().amount, 300);
        assert_eq!(CommitmentShares::get(&id, &account(ALICE)), Some(30));
        let campaign = Campaigns::get(&id).unwrap();
        assert_eq!((campaign.raised, campaign.investors), (300, 1));
        assert_eq!(revoke(id, ALICE), err(Error::ReflectionPeriodOver));
        assert_eq!(revoke(id, BOB), err(Error::NoCommitment));
    });
}

#[test]
fn the_deadline_decision_waits_for_the_last_reflection_period() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        let late = DEADLINE - HOUR;
        set_now(late);
        assert_eq!(commit(id, ALICE, 1_000), Ok(()));
        set_now(DEADLINE);
        assert_eq!(
            dispatch(Call::advance_campaign { campaign: id }, signed(EVE)),
            err(Error::NothingToDo)
        );
        assert_eq!(
            dispatch(
                Call::settle {
                    campaign: id,
                    limit: 10
                },
                signed(EVE)
            ),
            err(Error::InvalidState)
        );
        // No new money after the deadline, but the revocation right runs on.
        assert_eq!(commit(id, BOB, 500), err(Error::DeadlinePassed));
        set_now(late + REFLECTION_PERIOD - 1);
        assert_eq!(revoke(id, ALICE), Ok(()));
        set_now(late + REFLECTION_PERIOD);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
    });
}

#[test]
fn a_revocation_is_possible_while_paused_and_not_after_the_campaign_ends() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 400), Ok(()));
        ok(Call::pause_campaign { campaign: id }, Origin::Root);
        assert_eq!(revoke(id, ALICE), Ok(()));
        ok(Call::resume_campaign { campaign: id }, Origin::Root);
        assert_eq!(commit(id, BOB, 400), Ok(()));
        ok(Call::cancel_campaign { campaign: id }, signed(ISSUER));
        assert_eq!(revoke(id, BOB), err(Error::InvalidState));
    });
}

#[test]
fn at_most_eight_amounts_of_a_commitment_are_in_their_reflection_period() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        for _ in 0..MAX_RECENT_COMMITMENTS {
            assert_eq!(commit(id, ALICE, 100), Ok(()));
            advance(1);
        }
        assert_eq!(commit(id, ALICE, 100), err(Error::TooManyRecentCommitments));
        advance(REFLECTION_PERIOD - MAX_RECENT_COMMITMENTS as Moment);
        assert_eq!(commit(id, ALICE, 100), Ok(()));
        assert_eq!(revoke(id, ALICE), Ok(()));
        assert_eq!(committed(ALICE), 100);
    });
}

#[test]
fn sophisticated_and_professional_investors_have_no_reflection_period() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        claim_as(BOB, InvestorCategory::Sophisticated);
        claim_as(CHARLIE, InvestorCategory::Professional);
        set_now(DEADLINE - HOUR);
        assert_eq!(commit(id, BOB, 600), Ok(()));
        assert_eq!(commit(id, CHARLIE, 400), Ok(()));
        assert_eq!(revoke(id, BOB), err(Error::ReflectionPeriodOver));
        assert_eq!(revoke(id, CHARLIE), err(Error::ReflectionPeriodOver));
        // Nothing holds up the decision: it is taken at the deadline.
        set_now(DEADLINE);
        ok(Call::advance_campaign { campaign: id }, signed(EVE));
        assert_eq!(state(id), CampaignState::Succeeded);
    });
}

// ---- the issuer's 12-month cap ----

/// Half the issuer cap (50 000).
const BIG: Balance = 25_000;

/// A campaign of the standard terms with a hard cap of `BIG` on class 0, submitted.
fn submitted_campaign() -> CampaignId {
    let id = NextCampaignId::get();
    let terms = CampaignTerms {
        hard_cap: BIG,
        ..terms()
    };
    ok(Call::create_campaign { terms }, signed(ISSUER));
    ok(Call::submit_campaign { campaign: id }, signed(ISSUER));
    id
}

fn approve(id: CampaignId) -> DispatchResult {
    dispatch(Call::approve_campaign { campaign: id }, Origin::Root)
}

#[test]
fn approval_is_refused_when_the_issuers_offerings_would_exceed_its_cap() {
    new_test_ext().execute(|| {
        create_class(10);
        let (a, b, c) = (
            submitted_campaign(),
            submitted_campaign(),
            submitted_campaign(),
        );
        assert_eq!(approve(a), Ok(()));
        assert_eq!(approve(b), Ok(()));
        // 25 000 + 25 000 open, another 25 000 would make 75 000 > 50 000.
        assert_eq!(approve(c), err(Error::IssuerCapExceeded));
        assert_eq!(state(c), CampaignState::PendingReview);
        assert_eq!(
            IssuerLedgers::get(&account(ISSUER)).unwrap().offering,
            2 * BIG
        );
        // A cancelled offering frees its place.
        ok(Call::cancel_campaign { campaign: b }, signed(ISSUER));
        assert_eq!(approve(c), Ok(()));
    });
}

#[test]
fn the_issuer_cap_counts_money_raised_for_exactly_twelve_months() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 1_500), Ok(()));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Funded));
        let ledger = IssuerLedgers::get(&account(ISSUER)).unwrap();
        assert_eq!(ledger.offering, 0);
        assert_eq!(
            ledger.raised.iter().map(|e| e.amount).sum::<Balance>(),
            2_000
        );
        // 2 000 raised + 25 000 open + 25 000 exceed 50 000 for 365 days after closing.
        let later = |days: Moment| CampaignTerms {
            hard_cap: BIG,
            start: DEADLINE + days * DAY,
            deadline: DEADLINE + days * DAY + MIN_OFFERING_PERIOD,
            ..terms()
        };
        for _ in 0..3 {
            let next = NextCampaignId::get();
            ok(Call::create_campaign { terms: later(400) }, signed(ISSUER));
            ok(Call::submit_campaign { campaign: next }, signed(ISSUER));
        }
        assert_eq!(approve(1), Ok(()));
        assert_eq!(approve(2), err(Error::IssuerCapExceeded));
        set_now(DEADLINE + 365 * DAY - 1);
        assert_eq!(approve(2), err(Error::IssuerCapExceeded));
        set_now(DEADLINE + 365 * DAY);
        assert_eq!(approve(2), Ok(()));
        assert_eq!(approve(3), err(Error::IssuerCapExceeded));
    });
}

#[test]
fn a_failed_campaign_raises_nothing_against_the_issuer_cap() {
    new_test_ext().execute(|| {
        let id = open_campaign();
        assert_eq!(commit(id, ALICE, 500), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::refund {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        assert_eq!(state(id), CampaignState::Closed(Outcome::Refunded));
        assert_eq!(IssuerLedgers::get(&account(ISSUER)), None);
        assert_eq!(Offerings::get(&id), None);
    });
}

// ---- allot_shares / redeem_shares (the cap table) ----

#[test]
fn allot_shares_puts_founders_in_the_supply_under_the_lockup() {
    new_test_ext().execute(|| {
        funded_class();
        let founders = H256([3; 32]);
        let allot = |to: u8, amount| Call::allot_shares {
            share_class: 0,
            to: account(to),
            amount,
            document: founders,
        };
        assert_eq!(
            dispatch(allot(EVE, 100), signed(ISSUER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(allot(EVE, 0), Origin::Root),
            err(Error::InvalidTransfer)
        );
        reset_events();
        ok(allot(EVE, 100), Origin::Root);
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!((shares(EVE), class.supply, class.holders), (100, 210, 3));
        assert_eq!(
            events(),
            vec![Event::SharesAllotted {
                share_class: 0,
                to: account(EVE),
                amount: 100,
                document: founders,
            }]
        );
        // The platform account governance granted may allot too; the class lockup applies.
        ok(
            Call::set_platform {
                platform: Some(account(KYC)),
            },
            Origin::Root,
        );
        ok(allot(EVE, 50), signed(KYC));
        assert_eq!(shares(EVE), 150);
        assert_eq!(
            dispatch(
                Call::transfer_shares {
                    share_class: 0,
                    to: account(ALICE),
                    amount: 1,
                },
                signed(EVE),
            ),
            err(Error::SharesLocked)
        );
    });
}

#[test]
fn allot_shares_respects_the_holder_limit() {
    new_test_ext().execute(|| {
        funded_class();
        let max = ShareClasses::get(&0).unwrap().max_holders;
        let mut who = 30u8;
        while ShareClasses::get(&0).unwrap().holders < max {
            ok(
                Call::allot_shares {
                    share_class: 0,
                    to: account(who),
                    amount: 1,
                    document: H256([3; 32]),
                },
                Origin::Root,
            );
            who += 1;
        }
        let full = Call::allot_shares {
            share_class: 0,
            to: account(who),
            amount: 1,
            document: H256([3; 32]),
        };
        assert_eq!(dispatch(full, Origin::Root), err(Error::TooManyHolders));
        // An existing holder is not a new one.
        ok(
            Call::allot_shares {
                share_class: 0,
                to: account(ALICE),
                amount: 1,
                document: H256([3; 32]),
            },
            Origin::Root,
        );
    });
}

#[test]
fn redeem_shares_pays_the_holder_from_the_issuer_and_cancels_the_shares() {
    new_test_ext().execute(|| {
        funded_class();
        let redeem = |holder: u8, amount, price| Call::redeem_shares {
            share_class: 0,
            holder: account(holder),
            amount,
            price,
        };
        assert_eq!(
            dispatch(redeem(ALICE, 10, 7), signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(redeem(ALICE, 61, 7), Origin::Root),
            err(Error::InsufficientShares)
        );
        assert_eq!(
            dispatch(redeem(ALICE, 0, 7), Origin::Root),
            err(Error::InvalidTransfer)
        );
        let (alice, issuer) = (free(ALICE), free(ISSUER));
        reset_events();
        ok(redeem(ALICE, 10, 7), Origin::Root);
        assert_eq!((free(ALICE), free(ISSUER)), (alice + 70, issuer - 70));
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!((shares(ALICE), class.supply, class.holders), (50, 100, 2));
        assert_eq!(
            events().last(),
            Some(&Event::SharesRedeemed {
                share_class: 0,
                holder: account(ALICE),
                amount: 10,
                paid: 70,
            })
        );
        // Redeeming everything removes the holder.
        ok(redeem(BOB, 50, 7), Origin::Root);
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!((shares(BOB), class.supply, class.holders), (0, 50, 1));
        assert!(Shares::get(&0, &account(BOB)).is_none());
    });
}

#[test]
fn redeem_shares_changes_nothing_when_the_issuer_cannot_pay() {
    new_test_ext().execute(|| {
        funded_class();
        let before = (
            shares(ALICE),
            ShareClasses::get(&0).unwrap().supply,
            free(ALICE),
        );
        let too_dear = Call::redeem_shares {
            share_class: 0,
            holder: account(ALICE),
            amount: 60,
            price: 1_000_000,
        };
        assert!(dispatch(too_dear, Origin::Root).is_err());
        let after = (
            shares(ALICE),
            ShareClasses::get(&0).unwrap().supply,
            free(ALICE),
        );
        assert_eq!(before, after);
    });
}

#[test]
fn redemption_after_a_record_date_keeps_the_dividend_supply() {
    new_test_ext().execute(|| {
        funded_class();
        set_now(DEADLINE + 20 * DAY);
        ok(
            Call::create_distribution {
                share_class: 0,
                amount: 1_100,
                record_date: DEADLINE + 21 * DAY,
                expires_at: DEADLINE + 30 * DAY,
            },
            signed(ISSUER),
        );
        set_now(DEADLINE + 22 * DAY);
        ok(
            Call::redeem_shares {
                share_class: 0,
                holder: account(BOB),
                amount: 50,
                price: 1,
            },
            Origin::Root,
        );
        // Bob held 50 of 110 at the record date: his dividend is 500 of 1 100.
        let bob = free(BOB);
        ok(Call::claim_dividend { distribution: 0 }, signed(BOB));
        assert_eq!(free(BOB), bob + 500);
    });
}

// ---- Secondary trades (offers, delivery-versus-payment) ------------------------------------

/// After `funded_class` (Alice 60 shares, Bob 50, locked until day 50): past the lockup.
fn tradable_class() {
    funded_class();
    set_now(DEADLINE + 10 * DAY);
}

fn offer(seller: u8, amount: ShareAmount, price: Balance, buyer: Option<u8>) -> DispatchResult {
    dispatch(
        Call::offer_shares {
            share_class: 0,
            amount,
            price,
            buyer: buyer.map(account),
        },
        signed(seller),
    )
}

fn accept(buyer: u8, offer: OfferId, amount: Option<ShareAmount>) -> DispatchResult {
    dispatch(Call::accept_offer { offer, amount }, signed(buyer))
}

fn offered(who: u8) -> ShareAmount {
    OfferedShares::get(&0, &account(who)).unwrap_or(0)
}

#[test]
fn offer_shares_sets_the_shares_aside_and_moves_no_money() {
    new_test_ext().execute(|| {
        funded_class();
        assert_eq!(offer(ALICE, 20, 3, None), err(Error::SharesLocked));
        set_now(DEADLINE + 10 * DAY);
        let (alice, supply) = (free(ALICE), ShareClasses::get(&0).unwrap().supply);
        reset_events();
        assert_eq!(offer(ALICE, 20, 3, Some(CHARLIE)), Ok(()));
        assert_eq!(
            events(),
            vec![Event::SharesOffered {
                offer: 0,
                share_class: 0,
                seller: account(ALICE),
                buyer: Some(account(CHARLIE)),
                amount: 20,
                price: 3,
            }]
        );
        // The shares stay Alice's (dividends, votes) but no transfer, redemption or second
        // offer can use them; no money moved.
        assert_eq!(
            (shares(ALICE), offered(ALICE), free(ALICE)),
            (60, 20, alice)
        );
        assert_eq!(ShareClasses::get(&0).unwrap().supply, supply);
        let transfer = |amount| Call::transfer_shares {
            share_class: 0,
            to: account(CHARLIE),
            amount,
        };
        assert_eq!(
            dispatch(transfer(41), signed(ALICE)),
            err(Error::SharesOffered)
        );
        assert_eq!(offer(ALICE, 41, 3, None), err(Error::SharesOffered));
        let redeem = Call::redeem_shares {
            share_class: 0,
            holder: account(ALICE),
            amount: 41,
            price: 1,
        };
        assert_eq!(dispatch(redeem, Origin::Root), err(Error::SharesOffered));
        ok(transfer(40), signed(ALICE));
        assert_eq!((shares(ALICE), offered(ALICE)), (20, 20));
    });
}

#[test]
fn offer_shares_refuses_bad_offers_and_more_than_max_open_offers() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 0, 3, None), err(Error::InvalidOffer));
        assert_eq!(offer(ALICE, 10, 0, None), err(Error::InvalidOffer));
        assert_eq!(offer(ALICE, 10, 3, Some(ALICE)), err(Error::InvalidOffer));
        assert_eq!(offer(ALICE, 61, 3, None), err(Error::InsufficientShares));
        assert_eq!(offer(CHARLIE, 1, 3, None), err(Error::InsufficientShares));
        let unknown = Call::offer_shares {
            share_class: 7,
            amount: 1,
            price: 1,
            buyer: None,
        };
        assert_eq!(dispatch(unknown, signed(ALICE)), err(Error::UnknownClass));
        for _ in 0..MAX_OPEN_OFFERS {
            assert_eq!(offer(ALICE, 1, 3, None), Ok(()));
        }
        assert_eq!(offer(ALICE, 1, 3, None), err(Error::TooManyOffers));
        assert_eq!(OpenOffers::get(&account(ALICE)), vec![0, 1, 2]);
    });
}

#[test]
fn accept_offer_moves_the_shares_and_the_money_together() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 20, 3, None), Ok(()));
        let (alice, charlie) = (free(ALICE), free(CHARLIE));
        reset_events();
        assert_eq!(accept(CHARLIE, 0, Some(5)), Ok(()));
        assert_eq!(
            events(),
            vec![Event::OfferAccepted {
                offer: 0,
                share_class: 0,
                seller: account(ALICE),
                buyer: account(CHARLIE),
                amount: 5,
                paid: 15,
                remaining: 15,
            }]
        );
        assert_eq!((free(ALICE), free(CHARLIE)), (alice + 15, charlie - 15));
        assert_eq!(
            (shares(ALICE), shares(CHARLIE), offered(ALICE)),
            (55, 5, 15)
        );
        assert_eq!(Offers::get(&0).map(|o| o.amount), Some(15));
        // The rest: the offer is gone, Alice's shares are free again.
        assert_eq!(accept(CHARLIE, 0, None), Ok(()));
        assert_eq!((free(ALICE), free(CHARLIE)), (alice + 60, charlie - 60));
        assert_eq!(
            (shares(ALICE), shares(CHARLIE), offered(ALICE)),
            (40, 20, 0)
        );
        assert!(Offers::get(&0).is_none() && OpenOffers::get(&account(ALICE)).is_empty());
        let class = ShareClasses::get(&0).unwrap();
        assert_eq!((class.supply, class.holders), (110, 3));
        assert_eq!(accept(CHARLIE, 0, None), err(Error::UnknownOffer));
    });
}

#[test]
fn accept_offer_refuses_and_changes_nothing_unless_both_legs_can_move() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 20, 3, Some(CHARLIE)), Ok(()));
        assert_eq!(offer(BOB, 10, 1_000, None), Ok(()));
        let before = (free(ALICE), free(BOB), free(CHARLIE), free(DAVE));
        // A named buyer only; not the seller; within what is offered.
        assert_eq!(accept(DAVE, 0, None), err(Error::NotOfferBuyer));
        assert_eq!(accept(BOB, 1, None), err(Error::InvalidOffer));
        assert_eq!(accept(CHARLIE, 0, Some(21)), err(Error::InvalidOffer));
        assert_eq!(accept(CHARLIE, 0, Some(0)), err(Error::InvalidOffer));
        assert_eq!(accept(CHARLIE, 9, None), err(Error::UnknownOffer));
        // The class's rules: Eve has no claim.
        assert_eq!(accept(EVE, 1, Some(1)), err(Error::ClaimRequired));
        // The buyer cannot pay 10 000: no share moves either.
        assert!(accept(CHARLIE, 1, None).is_err());
        assert_eq!((free(ALICE), free(BOB), free(CHARLIE), free(DAVE)), before);
        assert_eq!((shares(BOB), shares(CHARLIE), offered(BOB)), (50, 0, 10));
    });
}

#[test]
fn accept_offer_respects_the_holder_limit_unless_the_seller_sells_out() {
    new_test_ext().execute(|| {
        // Two places: Alice and Bob hold them.
        create_class(2);
        let id = crate::NextCampaignId::get();
        for (call, origin) in [
            (Call::create_campaign { terms: terms() }, signed(ISSUER)),
            (Call::submit_campaign { campaign: id }, signed(ISSUER)),
            (Call::approve_campaign { campaign: id }, Origin::Root),
        ] {
            ok(call, origin);
        }
        set_now(START);
        assert_eq!(commit(id, ALICE, 600), Ok(()));
        assert_eq!(commit(id, BOB, 500), Ok(()));
        set_now(DEADLINE);
        ok(
            Call::settle {
                campaign: id,
                limit: 10,
            },
            signed(EVE),
        );
        set_now(DEADLINE + 10 * DAY);
        assert_eq!(offer(ALICE, 60, 1, None), Ok(()));
        assert_eq!(accept(CHARLIE, 0, Some(10)), err(Error::TooManyHolders));
        // Buying Alice out takes her place.
        assert_eq!(accept(CHARLIE, 0, None), Ok(()));
        assert_eq!((shares(ALICE), shares(CHARLIE)), (0, 60));
        assert_eq!(ShareClasses::get(&0).unwrap().holders, 2);
    });
}

#[test]
fn withdraw_offer_only_by_the_seller_frees_the_shares() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 20, 3, None), Ok(()));
        let withdraw = Call::withdraw_offer { offer: 0 };
        assert_eq!(
            dispatch(withdraw.clone(), signed(BOB)),
            err(Error::NotOfferSeller)
        );
        let alice = free(ALICE);
        reset_events();
        ok(withdraw.clone(), signed(ALICE));
        assert_eq!(
            events(),
            vec![Event::OfferWithdrawn {
                offer: 0,
                share_class: 0,
                seller: account(ALICE),
                amount: 20,
                remaining: 0,
            }]
        );
        assert_eq!((offered(ALICE), free(ALICE), shares(ALICE)), (0, alice, 60));
        assert!(OpenOffers::get(&account(ALICE)).is_empty());
        assert_eq!(dispatch(withdraw, signed(ALICE)), err(Error::UnknownOffer));
        assert_eq!(offer(ALICE, 60, 3, None), Ok(()));
    });
}

#[test]
fn a_forced_transfer_of_offered_shares_cuts_the_newest_offers() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 20, 3, None), Ok(()));
        assert_eq!(offer(ALICE, 20, 4, None), Ok(()));
        reset_events();
        let force = Call::force_transfer_shares {
            share_class: 0,
            from: account(ALICE),
            to: account(CHARLIE),
            amount: 30,
        };
        ok(force, Origin::Root);
        // 30 left for 40 offered: the newer offer loses 10.
        assert_eq!((shares(ALICE), offered(ALICE)), (30, 30));
        assert_eq!(Offers::get(&1).map(|o| o.amount), Some(10));
        assert!(events().contains(&Event::OfferWithdrawn {
            offer: 1,
            share_class: 0,
            seller: account(ALICE),
            amount: 10,
            remaining: 10,
        }));
        let force = Call::force_transfer_shares {
            share_class: 0,
            from: account(ALICE),
            to: account(CHARLIE),
            amount: 25,
        };
        ok(force, Origin::Root);
        assert_eq!((shares(ALICE), offered(ALICE)), (5, 5));
        assert!(Offers::get(&1).is_none());
        assert_eq!(Offers::get(&0).map(|o| o.amount), Some(5));
        assert_eq!(OpenOffers::get(&account(ALICE)), vec![0]);
    });
}

/// Capability 4: acceptance is "subject to the class's transfer rules": a buyer outside the
/// class's transfer categories cannot accept, and neither leg moves.
#[test]
fn accept_offer_respects_the_classs_transfer_categories() {
    new_test_ext().execute(|| {
        tradable_class();
        let professional = CategorySet {
            retail: false,
            sophisticated: false,
            professional: true,
        };
        ok(
            Call::set_transfer_categories {
                share_class: 0,
                categories: Some(professional),
            },
            signed(ISSUER),
        );
        assert_eq!(offer(ALICE, 20, 3, None), Ok(()));
        let before = (free(ALICE), free(CHARLIE));
        assert_eq!(accept(CHARLIE, 0, None), err(Error::CategoryNotAllowed));
        assert_eq!((free(ALICE), free(CHARLIE)), before);
        assert_eq!(
            (shares(ALICE), shares(CHARLIE), offered(ALICE)),
            (60, 0, 20)
        );
        claim_as(CHARLIE, InvestorCategory::Professional);
        assert_eq!(accept(CHARLIE, 0, None), Ok(()));
        assert_eq!((shares(ALICE), shares(CHARLIE)), (40, 20));
        assert_eq!((free(ALICE), free(CHARLIE)), (before.0 + 60, before.1 - 60));
    });
}

/// Capability 4, "lockups": a schedule Root sets after the offer delays the sale until the
/// offered shares vest; nothing moves meanwhile.
#[test]
fn accept_offer_waits_for_shares_vested_since_the_offer() {
    new_test_ext().execute(|| {
        tradable_class();
        assert_eq!(offer(ALICE, 20, 3, None), Ok(()));
        let t = now();
        let schedule = VestingSchedule {
            locked: 60,
            start: t,
            cliff: t + 10 * DAY,
            end: t + 40 * DAY,
        };
        ok(
            Call::set_vesting {
                share_class: 0,
                holder: account(ALICE),
                schedule: Some(schedule),
            },
            Origin::Root,
        );
        let before = (free(ALICE), free(CHARLIE));
        assert_eq!(accept(CHARLIE, 0, None), err(Error::SharesUnvested));
        assert_eq!((free(ALICE), free(CHARLIE)), before);
        assert_eq!((shares(ALICE), shares(CHARLIE)), (60, 0));
        set_now(t + 40 * DAY);
        assert_eq!(accept(CHARLIE, 0, None), Ok(()));
        assert_eq!((shares(ALICE), shares(CHARLIE)), (40, 20));
    });
}
