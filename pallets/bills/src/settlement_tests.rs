//! Regression tests of issue 20: every obligation stays payable, margins pay, trade background
//! cannot be faked or blocked, no credit without money, a freeze stops the clocks, and a
//! pledgee presents and collects. Each failed before its fix.

use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Currency as _, FreezeReason, HoldReason};
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

type Balances = folio_pallet_currency::Pallet<Test>;

fn free(who: u8) -> Balance {
    Balances::free_balance(&account(who))
}

const MATURITY: Moment = START + 30 * DAY;

fn issue(face: Balance, payee: u8, invoices: Vec<InvoiceRef>) -> Call {
    Call::issue {
        acceptor: account(BOB),
        payee: account(payee),
        face,
        maturity: MATURITY,
        non_transferable: false,
        divisible: true,
        invoices,
    }
}

/// Alice draws `face` on Bob for Charlie, Bob accepts with `margin`, Alice delivers.
fn delivered_as<R: Config>(face: Balance, margin: Balance) -> BillId {
    let id = NextBillId::get();
    ok_as::<R>(ALICE, issue(face, CHARLIE, vec![]));
    ok_as::<R>(ALICE, Call::request_acceptance { bill: id });
    ok_as::<R>(BOB, Call::accept { bill: id, margin });
    ok_as::<R>(ALICE, Call::deliver { bill: id });
    id
}

fn ranges(id: BillId) -> Vec<(Unit, BillRange)> {
    Pallet::<Test>::ranges_of(id)
}

fn range(id: BillId, start: Unit) -> BillRange {
    Ranges::get(&id, &start).expect("range exists")
}

// ---- every range payable at the runtime's limits ----

/// Splits Charlie's `[0, units)` into `units` one-unit ranges, endorsing each to Dave and
/// back through an offer/revocation loop that fills the circulation history.
fn split_into_runtime_max_ranges(id: BillId) {
    for unit in 0..Unit::from(RUNTIME_MAX_RANGES - 1) {
        let call = Call::endorse {
            bill: id,
            start: unit,
            end: unit + 1,
            to: account(DAVE),
        };
        ok_as::<RuntimeLimits>(CHARLIE, call);
        ok_as::<RuntimeLimits>(
            DAVE,
            Call::sign {
                bill: id,
                start: unit,
            },
        );
    }
    assert_eq!(ranges(id).len(), RUNTIME_MAX_RANGES as usize);
    // Fill the circulation history up to its bound with offers and revocations.
    let last = Unit::from(RUNTIME_MAX_RANGES - 1);
    loop {
        let call = Call::endorse {
            bill: id,
            start: last,
            end: range(id, last).end,
            to: account(EVE),
        };
        match dispatch_as::<RuntimeLimits>(call, CHARLIE) {
            Ok(()) => ok_as::<RuntimeLimits>(
                CHARLIE,
                Call::revoke {
                    bill: id,
                    start: last,
                },
            ),
            Err(e) => {
                assert_eq!(Err(e), err(Error::HistoryFull));
                break;
            }
        }
    }
}

#[test]
fn a_bill_of_64_ranges_with_a_full_history_is_paid_in_full() {
    new_runtime_limits_ext().execute(|| {
        let id = delivered_as::<RuntimeLimits>(12_800, 12_800);
        split_into_runtime_max_ranges(id);
        set_now(MATURITY);
        for (start, range) in ranges(id) {
            let holder = if range.holder == account(DAVE) {
                DAVE
            } else {
                CHARLIE
            };
            ok_as::<RuntimeLimits>(holder, Call::present { bill: id, start });
            ok_as::<RuntimeLimits>(BOB, Call::pay { bill: id, start });
        }
        let bill = Bills::get(&id).expect("bill");
        assert_eq!(bill.state, BillState::Closed);
        assert_eq!(bill.margin, 0);
        assert!(HistoryLen::get(&id) > RUNTIME_MAX_HISTORY);
        crate::invariants::check_invariants::<RuntimeLimits>().expect("invariants");
    });
}

#[test]
fn a_bill_of_64_ranges_with_a_full_history_expires_and_pays_from_the_margin() {
    new_runtime_limits_ext().execute(|| {
        let id = delivered_as::<RuntimeLimits>(12_800, 12_800);
        split_into_runtime_max_ranges(id);
        set_now(MATURITY);
        for (start, range) in ranges(id) {
            let holder = if range.holder == account(DAVE) {
                DAVE
            } else {
                CHARLIE
            };
            ok_as::<RuntimeLimits>(holder, Call::present { bill: id, start });
        }
        set_now(MATURITY + 4 * DAY);
        ok_as::<RuntimeLimits>(FERDIE, Call::expire { bill: id });
        assert_eq!(Bills::get(&id).expect("bill").state, BillState::Closed);
    });
}

#[test]
fn a_claim_and_reject_loop_blocks_no_other_holder() {
    new_runtime_limits_ext().execute(|| {
        let id = delivered_as::<RuntimeLimits>(10_000, 0);
        ok_as::<RuntimeLimits>(
            CHARLIE,
            Call::endorse {
                bill: id,
                start: 50,
                end: 100,
                to: account(DAVE),
            },
        );
        ok_as::<RuntimeLimits>(
            DAVE,
            Call::sign {
                bill: id,
                start: 50,
            },
        );
        set_now(MATURITY);
        for (holder, start) in [(CHARLIE, 0), (DAVE, 50)] {
            ok_as::<RuntimeLimits>(holder, Call::present { bill: id, start });
            ok_as::<RuntimeLimits>(
                BOB,
                Call::refuse_payment {
                    bill: id,
                    start,
                    reason: DishonourReason::InsufficientFunds,
                },
            );
        }
        // Charlie and Alice loop a claim and its rejection past the history bound.
        for _ in 0..RUNTIME_MAX_HISTORY {
            let claim = Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(ALICE),
            };
            ok_as::<RuntimeLimits>(CHARLIE, claim);
            ok_as::<RuntimeLimits>(ALICE, Call::reject { bill: id, start: 0 });
        }
        // Dave still claims and is paid.
        let claim = Call::claim_recourse {
            bill: id,
            start: 50,
            against: account(CHARLIE),
        };
        ok_as::<RuntimeLimits>(DAVE, claim);
        let before = free(DAVE);
        ok_as::<RuntimeLimits>(
            CHARLIE,
            Call::pay_recourse {
                bill: id,
                start: 50,
            },
        );
        assert_eq!(free(DAVE), before + 5_000);
    });
}

// ---- margins pay ----

#[test]
fn a_margin_that_covers_part_of_a_range_pays_that_part() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 3_000);
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        let before = free(CHARLIE);
        set_now(MATURITY + 4 * DAY);
        ok(FERDIE, Call::expire { bill: id });
        assert_eq!(free(CHARLIE), before + 3_000);
        let range = range(id, 0);
        assert_eq!((range.state, range.paid), (RangeState::Dishonored, 3_000));
        // Recourse claims what is still owed.
        ok(
            CHARLIE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(ALICE),
            },
        );
        ok(ALICE, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!(free(CHARLIE), before + 10_000);
    });
}

#[test]
fn an_acceptor_cannot_freeze_its_margin_away() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 10_000);
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        // Bob freezes everything he has (a governance vote) and drains his free balance.
        let bob = account(BOB);
        let total =
            Balances::free_balance(&bob) + Balances::balance_on_hold(HoldReason::BillMargin, &bob);
        Balances::set_freeze(FreezeReason::GovernanceVote, &bob, total).expect("freeze");
        let before = free(CHARLIE);
        set_now(MATURITY + 4 * DAY);
        ok(FERDIE, Call::expire { bill: id });
        assert_eq!(free(CHARLIE), before + 10_000);
        assert_eq!(range(id, 0).state, RangeState::Paid);
    });
}

// ---- trade background ----

#[test]
fn a_cited_invoice_must_exist_be_no_credit_note_and_be_between_the_parties() {
    new_test_ext().execute(|| {
        let cite = |invoice| dispatch_as::<Test>(issue(1_000, CHARLIE, vec![invoice]), ALICE);
        assert_eq!(cite(50), err(Error::UnknownInvoice));
        assert_eq!(cite(8), err(Error::CreditNoteCited));
        assert_eq!(cite(9), err(Error::InvoiceNotBetweenParties));
        // A stranger cannot cite Alice's invoice to Bob.
        let stranger = Call::issue {
            acceptor: account(EVE),
            payee: account(FERDIE),
            face: 5_000,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices: vec![2],
        };
        assert_eq!(
            dispatch_as::<Test>(stranger, DAVE),
            err(Error::InvoiceNotBetweenParties)
        );
        assert_eq!(cite(2), Ok(()));
        assert!(NextBillId::get() == 1);
    });
}

#[test]
fn bills_and_liens_never_finance_the_same_receivable_twice() {
    new_test_ext().execute(|| {
        // A lien already finances 4 000 of invoice 2's 5 000.
        set_lien(2, 4_000);
        assert_eq!(
            dispatch_as::<Test>(issue(2_000, CHARLIE, vec![2]), ALICE),
            err(Error::InvoiceNetExceeded)
        );
        ok(ALICE, issue(1_000, CHARLIE, vec![2]));
        assert_eq!(financed(2), 5_000);
        ok(ALICE, Call::withdraw { bill: 0 });
        assert_eq!(financed(2), 4_000);
    });
}

#[test]
fn an_undelivered_bill_lapses_at_maturity_and_releases_its_invoice() {
    new_test_ext().execute(|| {
        ok(ALICE, issue(5_000, CHARLIE, vec![2]));
        ok(ALICE, Call::request_acceptance { bill: 0 });
        ok(
            BOB,
            Call::accept {
                bill: 0,
                margin: 1_000,
            },
        );
        assert_eq!(
            dispatch_as::<Test>(issue(100, CHARLIE, vec![2]), ALICE),
            err(Error::InvoiceNetExceeded)
        );
        set_now(MATURITY);
        ok(FERDIE, Call::expire { bill: 0 });
        let bill = Bills::get(&0).expect("bill");
        assert_eq!((bill.state, bill.margin), (BillState::Withdrawn, 0));
        assert_eq!(
            Balances::balance_on_hold(HoldReason::BillMargin, &account(BOB)),
            0
        );
        assert_eq!(financed(2), 0);
        let again = Call::issue {
            acceptor: account(BOB),
            payee: account(CHARLIE),
            face: 5_000,
            maturity: MATURITY + 30 * DAY,
            non_transferable: false,
            divisible: true,
            invoices: vec![2],
        };
        ok(ALICE, again);
    });
}

// ---- no credit without money ----

#[test]
fn self_dealing_earns_no_credit() {
    new_test_ext().execute(|| {
        // A bill payable to its own acceptor is refused.
        let own = Call::issue {
            acceptor: account(BOB),
            payee: account(BOB),
            face: 1_000,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        };
        assert_eq!(dispatch_as::<Test>(own, BOB), err(Error::SelfDealing));
        // Endorsed back to the acceptor and paid to itself: no credit.
        let id = delivered_as::<Test>(1_000, 0);
        ok(
            CHARLIE,
            Call::endorse {
                bill: id,
                start: 0,
                end: 10,
                to: account(BOB),
            },
        );
        ok(BOB, Call::sign { bill: id, start: 0 });
        set_now(MATURITY);
        ok(BOB, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(AcceptorCredit::get(&account(BOB)), CreditRecord::default());
    });
}

// ---- a freeze stops the clocks ----

#[test]
fn a_freeze_suspends_the_payment_window_and_the_presentment_period() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(1_000, 0);
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        assert_eq!(
            Call::freeze { bill: id }
                .dispatch::<Test>(Origin::Root)
                .map(|_| ()),
            Ok(())
        );
        set_now(MATURITY + 20 * DAY);
        assert_eq!(
            Call::unfreeze { bill: id }
                .dispatch::<Test>(Origin::Root)
                .map(|_| ()),
            Ok(())
        );
        // 20 days frozen: the 3-day payment window still has its 3 days.
        assert_eq!(
            range(id, 0).state,
            RangeState::PaymentPending {
                deadline: MATURITY + 23 * DAY
            }
        );
        assert_eq!(Bills::get(&id).expect("bill").suspended, 20 * DAY);
        set_now(MATURITY + 22 * DAY);
        assert_eq!(
            dispatch_as::<Test>(Call::expire { bill: id }, FERDIE),
            err(Error::NothingExpired)
        );
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(AcceptorCredit::get(&account(BOB)).on_time, 1);
    });
}

// ---- presentment period ----

#[test]
fn sign_and_take_discount_recheck_the_presentment_period() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(1_000, 0);
        let end = MATURITY + 10 * DAY;
        set_now(end);
        ok(
            CHARLIE,
            Call::endorse {
                bill: id,
                start: 0,
                end: 5,
                to: account(DAVE),
            },
        );
        ok(
            CHARLIE,
            Call::offer_discount {
                bill: id,
                start: 5,
                end: 10,
                financier: account(EVE),
                price: 400,
            },
        );
        set_now(end + 1);
        assert_eq!(
            dispatch_as::<Test>(Call::sign { bill: id, start: 0 }, DAVE),
            err(Error::PresentmentPeriodOver)
        );
        let take = Call::take_discount {
            bill: id,
            start: 5,
            price: 400,
        };
        assert_eq!(
            dispatch_as::<Test>(take, EVE),
            err(Error::PresentmentPeriodOver)
        );
    });
}

// ---- pledges ----

#[test]
fn the_pledgee_presents_and_collects_and_the_pledgor_keeps_the_surplus() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0);
        let pledge = Call::pledge {
            bill: id,
            start: 0,
            end: 100,
            pledgee: account(EVE),
            secured: 3_000,
        };
        ok(CHARLIE, pledge);
        ok(EVE, Call::sign { bill: id, start: 0 });
        set_now(MATURITY);
        // The pledgor cannot present a pledged range; the pledgee can.
        assert_eq!(
            dispatch_as::<Test>(Call::present { bill: id, start: 0 }, CHARLIE),
            err(Error::NotHolder)
        );
        ok(EVE, Call::present { bill: id, start: 0 });
        let (eve, charlie) = (free(EVE), free(CHARLIE));
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(free(EVE), eve + 3_000);
        assert_eq!(free(CHARLIE), charlie + 7_000);
        assert_eq!(Bills::get(&id).expect("bill").state, BillState::Closed);
    });
}

#[test]
fn a_pledgee_claims_recourse_for_a_dishonoured_pledged_range() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0);
        let pledge = Call::pledge {
            bill: id,
            start: 0,
            end: 100,
            pledgee: account(EVE),
            secured: 3_000,
        };
        ok(CHARLIE, pledge);
        ok(EVE, Call::sign { bill: id, start: 0 });
        set_now(MATURITY);
        ok(EVE, Call::present { bill: id, start: 0 });
        ok(
            BOB,
            Call::refuse_payment {
                bill: id,
                start: 0,
                reason: DishonourReason::InsufficientFunds,
            },
        );
        let claim = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(ALICE),
        };
        ok(EVE, claim);
        let (eve, charlie) = (free(EVE), free(CHARLIE));
        ok(ALICE, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!(free(EVE), eve + 3_000);
        assert_eq!(free(CHARLIE), charlie + 7_000);
        assert_eq!(range(id, 0).pledge, None);
    });
}

// ---- deposit and limitation ----

#[test]
fn issuing_holds_a_deposit_until_the_bill_is_finished() {
    new_test_ext().execute(|| {
        let deposit = || Balances::balance_on_hold(HoldReason::BillDeposit, &account(ALICE));
        ok(ALICE, issue(1_000, CHARLIE, vec![]));
        assert_eq!(deposit(), ISSUE_DEPOSIT);
        ok(ALICE, Call::withdraw { bill: 0 });
        assert_eq!(deposit(), 0);
        let id = delivered_as::<Test>(1_000, 0);
        assert_eq!(deposit(), ISSUE_DEPOSIT);
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(deposit(), 0);
    });
}

#[test]
fn claims_lapse_after_the_limitation_period_and_the_margin_is_released() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 3_000);
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        ok(
            BOB,
            Call::refuse_payment {
                bill: id,
                start: 0,
                reason: DishonourReason::InsufficientFunds,
            },
        );
        let limitation_end = MATURITY + <Test as Config>::RECOURSE_LIMITATION;
        set_now(limitation_end + 1);
        let claim = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(ALICE),
        };
        assert_eq!(
            dispatch_as::<Test>(claim, CHARLIE),
            err(Error::RecourseLapsed)
        );
        ok(FERDIE, Call::expire { bill: id });
        assert_eq!(range(id, 0).state, RangeState::Lapsed);
        let bill = Bills::get(&id).expect("bill");
        assert_eq!((bill.state, bill.margin), (BillState::Closed, 0));
        assert_eq!(
            Balances::balance_on_hold(HoldReason::BillMargin, &account(BOB)),
            0
        );
    });
}

// ---- property: at the runtime's limits, every range stays payable ----

mod at_runtime_limits {
    use super::*;
    use proptest::prelude::*;

    const UNITS: Unit = 256;
    const HOLDERS: [u8; 4] = [CHARLIE, DAVE, EVE, FERDIE];
    /// Gives its aval for the acceptor at delivery; party to nothing else.
    const GUARANTOR: u8 = 7;

    /// A circulation step: `kind` says what, `at` which unit's range, `to` whom.
    #[derive(Clone, Copy, Debug)]
    struct Op {
        kind: u8,
        at: Unit,
        to: u8,
    }

    fn op() -> impl Strategy<Value = Op> {
        (0u8..4, 0..UNITS, 0usize..4).prop_map(|(kind, at, to)| Op {
            kind,
            at,
            to: HOLDERS[to],
        })
    }

    fn holder_of(range: &BillRange) -> u8 {
        HOLDERS
            .into_iter()
            .find(|who| account(*who) == range.holder)
            .unwrap_or(CHARLIE)
    }

    /// Runs one circulation step, completing any offer it makes (so nothing stays pending).
    /// Failures are allowed (a full history, a full range count, a self transfer).
    fn circulate(id: BillId, op: Op) {
        let Some((start, range)) = ranges(id)
            .into_iter()
            .find(|(start, range)| *start <= op.at && op.at < range.end)
        else {
            return;
        };
        let holder = holder_of(&range);
        let end = if range.end - start > 1 {
            start + (range.end - start) / 2
        } else {
            range.end
        };
        let offer = match op.kind {
            3 => Call::pledge {
                bill: id,
                start,
                end,
                pledgee: account(op.to),
                secured: 100,
            },
            _ => Call::endorse {
                bill: id,
                start,
                end,
                to: account(op.to),
            },
        };
        if dispatch_as::<RuntimeLimits>(offer, holder).is_err() {
            return;
        }
        let answer = match op.kind {
            0 | 3 => (op.to, Call::sign { bill: id, start }),
            1 => (holder, Call::revoke { bill: id, start }),
            _ => (op.to, Call::reject { bill: id, start }),
        };
        ok_as::<RuntimeLimits>(answer.0, answer.1);
    }

    /// Settles one range at maturity: `choice` 0 pays, 1 refuses then loops `loops` claims
    /// and rejections against the drawer before the acceptor pays recourse, 2 leaves it to
    /// expiry (paid from the margin), 3 refuses and goes to the acceptor's guarantor, which
    /// pays and recovers from the acceptor.
    fn settle(id: BillId, start: Unit, choice: u8, loops: u8) {
        let range = range(id, start);
        let presenter = match range.state {
            RangeState::Pledged { pledgee } => HOLDERS
                .into_iter()
                .find(|who| account(*who) == pledgee)
                .unwrap_or(CHARLIE),
            _ => holder_of(&range),
        };
        ok_as::<RuntimeLimits>(presenter, Call::present { bill: id, start });
        match choice {
            0 => ok_as::<RuntimeLimits>(BOB, Call::pay { bill: id, start }),
            1 => {
                ok_as::<RuntimeLimits>(
                    BOB,
                    Call::refuse_payment {
                        bill: id,
                        start,
                        reason: DishonourReason::InsufficientFunds,
                    },
                );
                let holder = holder_of(&super::range(id, start));
                for _ in 0..loops {
                    let claim = Call::claim_recourse {
                        bill: id,
                        start,
                        against: account(ALICE),
                    };
                    ok_as::<RuntimeLimits>(holder, claim);
                    ok_as::<RuntimeLimits>(ALICE, Call::reject { bill: id, start });
                }
                let claim = Call::claim_recourse {
                    bill: id,
                    start,
                    against: account(BOB),
                };
                ok_as::<RuntimeLimits>(holder, claim);
                ok_as::<RuntimeLimits>(BOB, Call::pay_recourse { bill: id, start });
            }
            3 => {
                ok_as::<RuntimeLimits>(
                    BOB,
                    Call::refuse_payment {
                        bill: id,
                        start,
                        reason: DishonourReason::InsufficientFunds,
                    },
                );
                let holder = holder_of(&super::range(id, start));
                for (claimant, against) in [(holder, GUARANTOR), (GUARANTOR, BOB)] {
                    let claim = Call::claim_recourse {
                        bill: id,
                        start,
                        against: account(against),
                    };
                    ok_as::<RuntimeLimits>(claimant, claim);
                    ok_as::<RuntimeLimits>(against, Call::pay_recourse { bill: id, start });
                }
            }
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// No sequence of circulation steps makes a payment, a recourse payment or an expiry
        /// impossible, with `MaxRanges` 64, `MaxHistory` 256 and `HistoryReserve` 32.
        #[test]
        fn every_range_stays_payable(
            ops in proptest::collection::vec(op(), 1..300),
            settlements in proptest::collection::vec((0u8..4, 0u8..6), 64),
        ) {
            new_runtime_limits_ext().execute(|| {
                let face = Balance::from(UNITS) * UNIT;
                let id = delivered_as::<RuntimeLimits>(face, face);
                folio_pallet_currency::Pallet::<Test>::do_mint(&account(GUARANTOR), face)
                    .expect("mint");
                let aval = Call::guarantee {
                    bill: id,
                    for_party: account(BOB),
                };
                ok_as::<RuntimeLimits>(GUARANTOR, aval);
                for op in &ops {
                    circulate(id, *op);
                }
                crate::invariants::check_invariants::<RuntimeLimits>().expect("invariants");
                set_now(MATURITY);
                for (index, (start, _)) in ranges(id).into_iter().enumerate() {
                    let (choice, loops) = settlements[index % settlements.len()];
                    settle(id, start, choice, loops);
                }
                set_now(MATURITY + 4 * DAY);
                if Pallet::<RuntimeLimits>::has_expired(id, &Bills::get(&id).expect("bill")) {
                    ok_as::<RuntimeLimits>(FERDIE, Call::expire { bill: id });
                }
                let bill = Bills::get(&id).expect("bill");
                assert_eq!(bill.state, BillState::Closed);
                assert_eq!(bill.margin, 0);
                assert_eq!(
                    Balances::balance_on_hold(HoldReason::BillMargin, &account(BOB)),
                    0
                );
                crate::invariants::check_invariants::<RuntimeLimits>().expect("invariants");
            });
        }
    }
}
