//! Issue 20, capability 2: automatic presentment at maturity (chosen at issue) and dishonour
//! reason codes recorded with the refusal.

use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::Currency as _;
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

const MATURITY: Moment = START + 30 * DAY;
const PAYMENT_WINDOW: Moment = <Test as Config>::PAYMENT_WINDOW;

/// Alice draws `face` on Bob for Charlie, presented automatically when `auto`; Bob accepts
/// with `margin`; Alice delivers.
fn delivered_as<R: Config>(face: Balance, margin: Balance, auto: bool) -> BillId {
    let id = NextBillId::get();
    let (acceptor, payee) = (account(BOB), account(CHARLIE));
    let call = if auto {
        Call::issue_with_auto_presentment {
            acceptor,
            payee,
            face,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        }
    } else {
        Call::issue {
            acceptor,
            payee,
            face,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        }
    };
    ok_as::<R>(ALICE, call);
    ok_as::<R>(ALICE, Call::request_acceptance { bill: id });
    ok_as::<R>(BOB, Call::accept { bill: id, margin });
    ok_as::<R>(ALICE, Call::deliver { bill: id });
    id
}

fn state(id: BillId, start: Unit) -> RangeState {
    Ranges::get(&id, &start).expect("range exists").state
}

fn history(id: BillId) -> Vec<Event> {
    crate::api::history_of(id)
        .into_iter()
        .map(|entry| entry.event)
        .collect()
}

/// The `Presented` steps of a bill's history: (range, by).
fn presented(id: BillId) -> Vec<(Unit, AccountId)> {
    history(id)
        .into_iter()
        .filter_map(|event| match event {
            Event::Presented { start, by, .. } => Some((start, by)),
            _ => None,
        })
        .collect()
}

fn endorse_and_sign(id: BillId, from: u8, start: Unit, end: Unit, to: u8) {
    ok(
        from,
        Call::endorse {
            bill: id,
            start,
            end,
            to: account(to),
        },
    );
    ok(to, Call::sign { bill: id, start });
}

#[test]
fn the_choice_is_made_at_issue_and_recorded_in_the_history() {
    new_test_ext().execute(|| {
        let auto = delivered_as::<Test>(10_000, 0, true);
        let plain = delivered_as::<Test>(10_000, 0, false);
        assert!(AutoPresentment::contains_key(&auto));
        assert!(!AutoPresentment::contains_key(&plain));
        let events = history(auto);
        assert!(matches!(events.first(), Some(Event::BillIssued { .. })));
        assert_eq!(
            events.get(1),
            Some(&Event::AutoPresentmentChosen { bill: auto })
        );
        assert!(!history(plain)
            .iter()
            .any(|event| matches!(event, Event::AutoPresentmentChosen { .. })));
        // The same checks as `issue`: a failed issue chooses nothing.
        let call = Call::issue_with_auto_presentment {
            acceptor: account(BOB),
            payee: account(BOB),
            face: 10_000,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        };
        let next = NextBillId::get();
        assert_eq!(dispatch_as::<Test>(call, ALICE), err(Error::SelfDealing));
        assert!(!AutoPresentment::contains_key(&next));
    });
}

#[test]
fn at_maturity_the_sweep_presents_every_range_for_whoever_could_present_it() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0, true);
        // Charlie keeps [0, 40), endorses [40, 70) to Dave, pledges [70, 100) to Eve.
        endorse_and_sign(id, CHARLIE, 40, 70, DAVE);
        ok(
            CHARLIE,
            Call::pledge {
                bill: id,
                start: 70,
                end: 100,
                pledgee: account(EVE),
                secured: 1_000,
            },
        );
        ok(
            EVE,
            Call::sign {
                bill: id,
                start: 70,
            },
        );
        // Before maturity nothing is presented.
        set_now(MATURITY - 1);
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert!(presented(id).is_empty());
        assert_eq!(
            dispatch_as::<Test>(Call::expire { bill: id }, FERDIE),
            err(Error::NothingExpired)
        );

        set_now(MATURITY);
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(
            presented(id),
            vec![
                (0, account(CHARLIE)),
                (40, account(DAVE)),
                (70, account(EVE)),
            ]
        );
        for start in [0, 40, 70] {
            assert_eq!(
                state(id, start),
                RangeState::PaymentPending {
                    deadline: MATURITY + PAYMENT_WINDOW
                }
            );
        }
        // Presented once: the next sweep finds nothing, and the holder cannot present again.
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(presented(id).len(), 3);
        assert_eq!(
            dispatch_as::<Test>(Call::present { bill: id, start: 0 }, CHARLIE),
            err(Error::Locked)
        );
        // Bob pays the pledged range: Eve collects what it secures, Charlie the rest.
        let (eve, charlie) = (
            folio_pallet_currency::Pallet::<Test>::free_balance(&account(EVE)),
            folio_pallet_currency::Pallet::<Test>::free_balance(&account(CHARLIE)),
        );
        ok(
            BOB,
            Call::pay {
                bill: id,
                start: 70,
            },
        );
        assert_eq!(
            folio_pallet_currency::Pallet::<Test>::free_balance(&account(EVE)),
            eve + 1_000
        );
        assert_eq!(
            folio_pallet_currency::Pallet::<Test>::free_balance(&account(CHARLIE)),
            charlie + 2_000
        );
    });
}

#[test]
fn an_unanswered_automatic_presentment_is_dishonoured_and_recourse_stays_open() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0, true);
        endorse_and_sign(id, CHARLIE, 0, 100, DAVE);
        set_now(MATURITY);
        ok(FERDIE, Call::expire { bill: id });
        assert_eq!(presented(id), vec![(0, account(DAVE))]);
        // Bob stays silent: at the end of the window the range is dishonoured (no margin).
        set_now(MATURITY + PAYMENT_WINDOW + 1);
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(state(id, 0), RangeState::Dishonored);
        assert!(history(id).contains(&Event::PaymentExpired { bill: id, start: 0 }));
        assert_eq!(AcceptorCredit::get(&account(BOB)).dishonored, 1);
        // Presented in time by the chain: Dave keeps recourse against his endorser.
        ok(
            DAVE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(CHARLIE),
            },
        );
    });
}

#[test]
fn a_pending_offer_is_presented_once_answered_and_a_frozen_bill_waits() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0, true);
        let other = delivered_as::<Test>(10_000, 0, true);
        // Offered the day before maturity: still pending at maturity.
        set_now(MATURITY - DAY);
        ok(
            CHARLIE,
            Call::endorse {
                bill: id,
                start: 0,
                end: 100,
                to: account(DAVE),
            },
        );
        Call::freeze { bill: other }
            .dispatch::<Test>(Origin::Root)
            .expect("freeze");
        set_now(MATURITY);
        <Pallet<Test> as Hooks>::on_initialize(0);
        // The pending endorsement locks the range; the frozen bill takes no step.
        assert!(presented(id).is_empty());
        assert!(presented(other).is_empty());
        ok(DAVE, Call::sign { bill: id, start: 0 });
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(presented(id), vec![(0, account(DAVE))]);
        assert!(presented(other).is_empty());
        Call::unfreeze { bill: other }
            .dispatch::<Test>(Origin::Root)
            .expect("unfreeze");
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(presented(other), vec![(0, account(CHARLIE))]);
    });
}

#[test]
fn without_the_choice_the_chain_never_presents() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0, false);
        set_now(MATURITY + 5 * DAY);
        <Pallet<Test> as Hooks>::on_initialize(0);
        assert_eq!(
            dispatch_as::<Test>(Call::expire { bill: id }, FERDIE),
            err(Error::NothingExpired)
        );
        assert!(presented(id).is_empty());
        assert_eq!(state(id, 0), RangeState::Held);
    });
}

#[test]
fn after_the_limitation_period_ranges_lapse_instead_of_being_presented() {
    new_test_ext().execute(|| {
        let id = delivered_as::<Test>(10_000, 0, true);
        set_now(MATURITY + <Test as Config>::RECOURSE_LIMITATION + 1);
        ok(FERDIE, Call::expire { bill: id });
        assert!(presented(id).is_empty());
        assert_eq!(state(id, 0), RangeState::Lapsed);
        assert_eq!(Bills::get(&id).expect("bill").state, BillState::Closed);
    });
}

#[test]
fn a_64_range_bill_is_presented_in_one_expiry_and_paid_in_full_at_the_runtime_limits() {
    new_runtime_limits_ext().execute(|| {
        let id = delivered_as::<RuntimeLimits>(12_800, 6_400, true);
        // Charlie endorses 63 single units to Dave and keeps the rest: 64 ranges.
        for unit in 0..Unit::from(RUNTIME_MAX_RANGES - 1) {
            ok_as::<RuntimeLimits>(
                CHARLIE,
                Call::endorse {
                    bill: id,
                    start: unit,
                    end: unit + 1,
                    to: account(DAVE),
                },
            );
            ok_as::<RuntimeLimits>(
                DAVE,
                Call::sign {
                    bill: id,
                    start: unit,
                },
            );
        }
        let starts: Vec<Unit> = Pallet::<RuntimeLimits>::ranges_of(id)
            .into_iter()
            .map(|(start, _)| start)
            .collect();
        assert_eq!(starts.len(), RUNTIME_MAX_RANGES as usize);
        set_now(MATURITY);
        ok_as::<RuntimeLimits>(FERDIE, Call::expire { bill: id });
        assert_eq!(presented(id).len(), starts.len());
        for start in starts {
            ok_as::<RuntimeLimits>(BOB, Call::pay { bill: id, start });
        }
        let bill = Bills::get(&id).expect("bill");
        assert_eq!(bill.state, BillState::Closed);
        assert_eq!(bill.margin, 0);
        assert_eq!(AcceptorCredit::get(&account(BOB)).on_time, 64);
    });
}

#[test]
fn a_refusal_records_its_dishonour_reason() {
    new_test_ext().execute(|| {
        let reasons = [
            DishonourReason::InsufficientFunds,
            DishonourReason::Disputed,
            DishonourReason::AccountFrozen,
            DishonourReason::DefectiveTitle,
            DishonourReason::PresentedLate,
            DishonourReason::Other,
        ];
        let id = delivered_as::<Test>(Balance::from(reasons.len() as u32) * 1_000, 0, false);
        // One range of ten units per reason.
        for (i, _) in reasons.iter().enumerate().skip(1) {
            let start = i as Unit * 10;
            endorse_and_sign(id, CHARLIE, start, start + 10, DAVE);
        }
        set_now(MATURITY);
        for (i, reason) in reasons.iter().enumerate() {
            let start = i as Unit * 10;
            let holder = if i == 0 { CHARLIE } else { DAVE };
            ok(holder, Call::present { bill: id, start });
            assert_eq!(
                dispatch_as::<Test>(
                    Call::refuse_payment {
                        bill: id,
                        start,
                        reason: *reason,
                    },
                    CHARLIE,
                ),
                err(Error::NotAcceptor)
            );
            ok(
                BOB,
                Call::refuse_payment {
                    bill: id,
                    start,
                    reason: *reason,
                },
            );
            assert_eq!(state(id, start), RangeState::Dishonored);
            assert_eq!(
                history(id).last(),
                Some(&Event::PaymentDishonoured {
                    bill: id,
                    start,
                    reason: *reason,
                })
            );
        }
        assert_eq!(
            AcceptorCredit::get(&account(BOB)).dishonored,
            reasons.len() as u32
        );
        // The reason travels as one byte after the range.
        assert_eq!(
            Call::refuse_payment {
                bill: 0,
                start: 0,
                reason: DishonourReason::AccountFrozen,
            }
            .encode(),
            [vec![17], vec![0; 16], vec![2]].concat()
        );
    });
}
