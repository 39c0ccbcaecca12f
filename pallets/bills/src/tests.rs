use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Currency as _, HoldReason};
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

type Balances = folio_pallet_currency::Pallet<Test>;
type Bills_ = Pallet<Test>;

fn dispatch(call: Call, origin: Origin) -> DispatchResult {
    call.dispatch::<Test>(origin)
        .map(|_| ())
        .map_err(|e| e.error)
}

fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

fn ok(who: u8, call: Call) {
    assert_eq!(
        dispatch(call.clone(), signed(who)),
        Ok(()),
        "{call:?} by {who}"
    );
}

fn err(e: Error) -> DispatchResult {
    Err(module_error(INDEX, &e))
}

fn free(who: u8) -> Balance {
    Balances::free_balance(&account(who))
}

fn margin_held(who: u8) -> Balance {
    Balances::balance_on_hold(HoldReason::BillMargin, &account(who))
}

const FACE: Balance = 10_000; // 100 units
const UNITS: Unit = 100;
const MATURITY: Moment = START + 30 * DAY;

fn issue_call(divisible: bool, non_transferable: bool) -> Call {
    Call::issue {
        acceptor: account(BOB),
        payee: account(CHARLIE),
        face: FACE,
        maturity: MATURITY,
        non_transferable,
        divisible,
        invoices: vec![],
    }
}

/// Alice draws on Bob for Charlie: bill 0 (or the next id).
fn issued_with(divisible: bool, non_transferable: bool) -> BillId {
    let id = NextBillId::get();
    ok(ALICE, issue_call(divisible, non_transferable));
    id
}

fn issued() -> BillId {
    issued_with(true, false)
}

fn accepted_with(margin: Balance, divisible: bool, non_transferable: bool) -> BillId {
    let id = issued_with(divisible, non_transferable);
    ok(ALICE, Call::request_acceptance { bill: id });
    ok(BOB, Call::accept { bill: id, margin });
    id
}

/// Delivered to Charlie, who holds units `[0, 100)`.
fn delivered_with(margin: Balance, divisible: bool, non_transferable: bool) -> BillId {
    let id = accepted_with(margin, divisible, non_transferable);
    ok(ALICE, Call::deliver { bill: id });
    id
}

fn delivered() -> BillId {
    delivered_with(0, true, false)
}

fn range(id: BillId, start: Unit) -> BillRange {
    Ranges::get(&id, &start).expect("range exists")
}

fn state(id: BillId, start: Unit) -> RangeState {
    range(id, start).state
}

fn bill(id: BillId) -> Bill {
    Bills::get(&id).expect("bill exists")
}

fn endorse(id: BillId, from: u8, start: Unit, end: Unit, to: u8) {
    ok(
        from,
        Call::endorse {
            bill: id,
            start,
            end,
            to: account(to),
        },
    );
}

/// `from` endorses the range at `start` to `to`, who signs.
fn endorse_and_sign(id: BillId, from: u8, start: Unit, end: Unit, to: u8) {
    endorse(id, from, start, end, to);
    ok(to, Call::sign { bill: id, start });
}

/// Presents the range at maturity and has Bob refuse it.
fn dishonour(id: BillId, holder: u8, start: Unit) {
    set_now(MATURITY);
    ok(holder, Call::present { bill: id, start });
    ok(
        BOB,
        Call::refuse_payment {
            bill: id,
            start,
            reason: DishonourReason::InsufficientFunds,
        },
    );
}

fn history_events(id: BillId) -> Vec<Event> {
    crate::api::history_of(id)
        .into_iter()
        .map(|entry| entry.event)
        .collect()
}

// ---- issue ----

#[test]
fn issue_records_the_bill_with_stamp_and_event() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(id, 0);
        let bill = bill(id);
        assert_eq!(bill.drawer, account(ALICE));
        assert_eq!(bill.state, BillState::Issued);
        assert_eq!(
            (bill.face, bill.maturity, bill.issued_at),
            (FACE, MATURITY, START)
        );
        assert_eq!(NextBillId::get(), 1);
        let history = crate::api::history_of(id);
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].block, history[0].time), (1, START));
        assert_eq!(
            bill_events(),
            vec![Event::BillIssued {
                bill: 0,
                drawer: account(ALICE),
                acceptor: account(BOB),
                payee: account(CHARLIE),
                face: FACE,
                maturity: MATURITY
            }]
        );
        assert_eq!(api::bills_of(account(CHARLIE)), vec![0]);
    });
}

#[test]
fn issue_rejects_bad_face_maturity_and_origin() {
    new_test_ext().execute(|| {
        let with = |face: Balance, maturity: Moment| Call::issue {
            acceptor: account(BOB),
            payee: account(CHARLIE),
            face,
            maturity,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        };
        assert_eq!(
            dispatch(with(0, MATURITY), signed(ALICE)),
            err(Error::InvalidFace)
        );
        assert_eq!(
            dispatch(with(150, MATURITY), signed(ALICE)),
            err(Error::InvalidFace)
        );
        assert_eq!(
            dispatch(with(FACE, START), signed(ALICE)),
            err(Error::MaturityInPast)
        );
        assert_eq!(
            dispatch(with(FACE, START + 181 * DAY), signed(ALICE)),
            err(Error::TenorTooLong)
        );
        assert_eq!(
            dispatch(with(FACE, MATURITY), Origin::Root),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(with(FACE, MATURITY), Origin::None),
            Err(DispatchError::BadOrigin)
        );
        assert!(Bills::get(&0).is_none());
        assert!(bill_events().is_empty());
    });
}

#[test]
fn issue_enforces_invoice_net_and_limits() {
    new_test_ext().execute(|| {
        let citing = |face: Balance, invoices: Vec<InvoiceRef>| Call::issue {
            acceptor: account(BOB),
            payee: account(CHARLIE),
            face,
            maturity: MATURITY,
            non_transferable: false,
            divisible: true,
            invoices,
        };
        // Invoice 2 nets 5 000: 3 000 + 2 000 fit, 100 more does not.
        ok(ALICE, citing(3_000, vec![invoice(2), invoice(7)]));
        ok(ALICE, citing(2_000, vec![invoice(2)]));
        assert_eq!(InvoiceUse::get(&invoice(2)), 5_000);
        assert_eq!(
            dispatch(citing(100, vec![invoice(2)]), signed(ALICE)),
            err(Error::InvoiceNetExceeded)
        );
        // Unknown nets are not enforced.
        ok(ALICE, citing(900_000, vec![invoice(7)]));
        assert_eq!(
            dispatch(citing(100, vec![invoice(1), invoice(1)]), signed(ALICE)),
            err(Error::DuplicateInvoice)
        );
        assert_eq!(
            dispatch(
                citing(100, vec![invoice(3), invoice(4), invoice(5), invoice(6)]),
                signed(ALICE)
            ),
            err(Error::TooManyInvoices)
        );
        // Withdrawing a bill frees its amount on the invoice.
        ok(ALICE, Call::withdraw { bill: 1 });
        assert_eq!(InvoiceUse::get(&invoice(2)), 3_000);
        ok(ALICE, citing(2_000, vec![invoice(2)]));
    });
}

// ---- request_acceptance / accept / refuse_acceptance ----

#[test]
fn request_acceptance_locks_the_bill_until_answered() {
    new_test_ext().execute(|| {
        let id = issued();
        ok(ALICE, Call::request_acceptance { bill: id });
        assert_eq!(
            bill(id).state,
            BillState::AcceptancePending {
                deadline: START + 3 * DAY
            }
        );
        assert_eq!(
            dispatch(Call::request_acceptance { bill: id }, signed(ALICE)),
            err(Error::Locked)
        );
        assert_eq!(
            dispatch(Call::withdraw { bill: id }, signed(ALICE)),
            err(Error::Locked)
        );
        assert_eq!(
            api::awaiting(account(BOB)),
            vec![api::Awaiting::Acceptance {
                bill: id,
                deadline: START + 3 * DAY
            }]
        );
    });
}

#[test]
fn request_acceptance_is_for_the_drawer_of_an_existing_bill() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(
            dispatch(Call::request_acceptance { bill: id }, signed(BOB)),
            err(Error::NotDrawer)
        );
        assert_eq!(
            dispatch(Call::request_acceptance { bill: 9 }, signed(ALICE)),
            err(Error::UnknownBill)
        );
    });
}

#[test]
fn accept_holds_the_margin() {
    new_test_ext().execute(|| {
        let id = accepted_with(4_000, true, false);
        assert_eq!(bill(id).state, BillState::Accepted);
        assert_eq!(bill(id).margin, 4_000);
        assert_eq!(margin_held(BOB), 4_000);
        assert_eq!(free(BOB), ENDOWMENT - 4_000);
        assert!(bill_events().contains(&Event::BillAccepted {
            bill: id,
            acceptor: account(BOB),
            margin: 4_000
        }));
    });
}

#[test]
fn accept_fails_for_others_late_or_with_too_much_margin() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(
            dispatch(
                Call::accept {
                    bill: id,
                    margin: 0
                },
                signed(BOB)
            ),
            err(Error::WrongState)
        );
        ok(ALICE, Call::request_acceptance { bill: id });
        assert_eq!(
            dispatch(
                Call::accept {
                    bill: id,
                    margin: 0
                },
                signed(ALICE)
            ),
            err(Error::NotAcceptor)
        );
        assert_eq!(
            dispatch(
                Call::accept {
                    bill: id,
                    margin: FACE + 1
                },
                signed(BOB)
            ),
            err(Error::MarginExceedsFace)
        );
        advance(3 * DAY + 1);
        assert_eq!(
            dispatch(
                Call::accept {
                    bill: id,
                    margin: 0
                },
                signed(BOB)
            ),
            err(Error::DeadlinePassed)
        );
        assert_eq!(margin_held(BOB), 0);
    });
}

#[test]
fn accept_fails_when_the_margin_cannot_be_held() {
    new_test_ext().execute(|| {
        let face = 2_000_000;
        ok(
            ALICE,
            Call::issue {
                acceptor: account(BOB),
                payee: account(CHARLIE),
                face,
                maturity: MATURITY,
                non_transferable: false,
                divisible: false,
                invoices: vec![],
            },
        );
        ok(ALICE, Call::request_acceptance { bill: 0 });
        assert!(dispatch(
            Call::accept {
                bill: 0,
                margin: face
            },
            signed(BOB)
        )
        .is_err());
        assert!(matches!(bill(0).state, BillState::AcceptancePending { .. }));
        assert_eq!(margin_held(BOB), 0);
    });
}

#[test]
fn refuse_acceptance_returns_the_bill_to_issued() {
    new_test_ext().execute(|| {
        let id = issued();
        ok(ALICE, Call::request_acceptance { bill: id });
        ok(BOB, Call::refuse_acceptance { bill: id });
        assert_eq!(bill(id).state, BillState::Issued);
        assert!(history_events(id).contains(&Event::AcceptanceRefused { bill: id }));
        // The drawer may ask again.
        ok(ALICE, Call::request_acceptance { bill: id });
    });
}

#[test]
fn refuse_acceptance_only_by_the_acceptor_of_a_pending_request() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(
            dispatch(Call::refuse_acceptance { bill: id }, signed(BOB)),
            err(Error::WrongState)
        );
        ok(ALICE, Call::request_acceptance { bill: id });
        assert_eq!(
            dispatch(Call::refuse_acceptance { bill: id }, signed(CHARLIE)),
            err(Error::NotAcceptor)
        );
    });
}

// ---- withdraw / deliver ----

#[test]
fn withdraw_before_delivery_releases_the_margin() {
    new_test_ext().execute(|| {
        let id = accepted_with(3_000, true, false);
        ok(ALICE, Call::withdraw { bill: id });
        assert_eq!(bill(id).state, BillState::Withdrawn);
        assert_eq!(margin_held(BOB), 0);
        assert_eq!(free(BOB), ENDOWMENT);
        assert!(bill_events().contains(&Event::BillWithdrawn {
            bill: id,
            margin_released: 3_000
        }));
        // Withdrawn is terminal.
        assert_eq!(
            dispatch(Call::request_acceptance { bill: id }, signed(ALICE)),
            err(Error::WrongState)
        );
        assert_eq!(
            dispatch(Call::withdraw { bill: id }, signed(ALICE)),
            err(Error::WrongState)
        );
    });
}

#[test]
fn withdraw_is_refused_after_delivery_and_to_others() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(
            dispatch(Call::withdraw { bill: id }, signed(BOB)),
            err(Error::NotDrawer)
        );
        let id = delivered();
        assert_eq!(
            dispatch(Call::withdraw { bill: id }, signed(ALICE)),
            err(Error::WrongState)
        );
    });
}

#[test]
fn deliver_gives_the_payee_the_whole_bill_as_one_range() {
    new_test_ext().execute(|| {
        let id = delivered();
        let range = range(id, 0);
        assert_eq!(
            (range.end, range.holder, range.state),
            (UNITS, account(CHARLIE), RangeState::Held)
        );
        assert_eq!(bill(id).state, BillState::Delivered);
        assert_eq!(Holdings::get(&account(CHARLIE), &id), 1);
        assert_eq!(
            api::holdings(account(CHARLIE)),
            vec![(id, vec![(0, range)])]
        );
    });
}

#[test]
fn deliver_needs_an_accepted_bill_and_the_drawer() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(
            dispatch(Call::deliver { bill: id }, signed(ALICE)),
            err(Error::WrongState)
        );
        ok(ALICE, Call::request_acceptance { bill: id });
        assert_eq!(
            dispatch(Call::deliver { bill: id }, signed(ALICE)),
            err(Error::Locked)
        );
        ok(
            BOB,
            Call::accept {
                bill: id,
                margin: 0,
            },
        );
        assert_eq!(
            dispatch(Call::deliver { bill: id }, signed(CHARLIE)),
            err(Error::NotDrawer)
        );
    });
}

// ---- endorse / sign ----

#[test]
fn endorse_and_sign_move_the_range_with_continuity() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        assert_eq!(
            state(id, 0),
            RangeState::EndorsementPending {
                to: account(DAVE),
                deadline: START + 3 * DAY
            }
        );
        // Still Charlie's until Dave signs.
        assert_eq!(range(id, 0).holder, account(CHARLIE));
        ok(DAVE, Call::sign { bill: id, start: 0 });
        endorse_and_sign(id, DAVE, 0, UNITS, FERDIE);
        let range = range(id, 0);
        assert_eq!(range.holder, account(FERDIE));
        assert_eq!(range.endorsers, vec![account(CHARLIE), account(DAVE)]);
        assert_eq!(Holdings::get(&account(CHARLIE), &id), 0);
        assert_eq!(Holdings::get(&account(FERDIE), &id), 1);
        assert!(bill_events().contains(&Event::Endorsed {
            bill: id,
            start: 0,
            from: account(DAVE),
            to: account(FERDIE)
        }));
    });
}

#[test]
fn a_pending_endorsement_locks_the_range_so_it_cannot_be_sold_twice() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        let to_eve = Call::endorse {
            bill: id,
            start: 0,
            end: UNITS,
            to: account(EVE),
        };
        assert_eq!(dispatch(to_eve, signed(CHARLIE)), err(Error::Locked));
        let discount = Call::offer_discount {
            bill: id,
            start: 0,
            end: UNITS,
            financier: account(EVE),
            price: 9_000,
        };
        assert_eq!(dispatch(discount, signed(CHARLIE)), err(Error::Locked));
        let pledge = Call::pledge {
            bill: id,
            start: 10,
            end: 20,
            pledgee: account(EVE),
            secured: 1_000,
        };
        assert_eq!(dispatch(pledge, signed(CHARLIE)), err(Error::Locked));
        assert_eq!(
            dispatch(Call::sign { bill: id, start: 0 }, signed(EVE)),
            err(Error::NotCounterparty)
        );
    });
}

#[test]
fn partial_endorsement_splits_a_divisible_range() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 20, 50, DAVE);
        let ranges = Bills_::ranges_of(id);
        let layout: Vec<(Unit, Unit)> = ranges.iter().map(|(s, r)| (*s, r.end)).collect();
        assert_eq!(layout, vec![(0, 20), (20, 50), (50, UNITS)]);
        assert_eq!(bill(id).ranges, 3);
        assert_eq!(Holdings::get(&account(CHARLIE), &id), 3);
        ok(
            DAVE,
            Call::sign {
                bill: id,
                start: 20,
            },
        );
        assert_eq!(Holdings::get(&account(CHARLIE), &id), 2);
        assert_eq!(Holdings::get(&account(DAVE), &id), 1);
        // The rest is still Charlie's to endorse; units across two ranges are not one range.
        endorse(id, CHARLIE, 50, UNITS, EVE);
        let across = Call::endorse {
            bill: id,
            start: 10,
            end: 30,
            to: account(EVE),
        };
        assert_eq!(dispatch(across, signed(CHARLIE)), err(Error::InvalidRange));
    });
}

#[test]
fn endorse_respects_divisibility_transferability_and_presentment() {
    new_test_ext().execute(|| {
        let whole = delivered_with(0, false, false);
        let part = Call::endorse {
            bill: whole,
            start: 0,
            end: 10,
            to: account(DAVE),
        };
        assert_eq!(dispatch(part, signed(CHARLIE)), err(Error::NotDivisible));

        let locked = delivered_with(0, true, true);
        let transfer = Call::endorse {
            bill: locked,
            start: 0,
            end: UNITS,
            to: account(DAVE),
        };
        assert_eq!(
            dispatch(transfer.clone(), signed(CHARLIE)),
            err(Error::NonTransferable)
        );

        let id = delivered();
        let by_other = Call::endorse {
            bill: id,
            start: 0,
            end: UNITS,
            to: account(EVE),
        };
        assert_eq!(
            dispatch(by_other.clone(), signed(DAVE)),
            err(Error::NotHolder)
        );
        let to_self = Call::endorse {
            bill: id,
            start: 0,
            end: UNITS,
            to: account(CHARLIE),
        };
        assert_eq!(dispatch(to_self, signed(CHARLIE)), err(Error::SelfTransfer));
        let empty = Call::endorse {
            bill: id,
            start: 5,
            end: 5,
            to: account(DAVE),
        };
        assert_eq!(dispatch(empty, signed(CHARLIE)), err(Error::InvalidRange));
        set_now(MATURITY + 10 * DAY + 1);
        assert_eq!(
            dispatch(by_other, signed(CHARLIE)),
            err(Error::PresentmentPeriodOver)
        );
    });
}

#[test]
fn endorse_is_refused_after_dishonour() {
    new_test_ext().execute(|| {
        let id = delivered();
        dishonour(id, CHARLIE, 0);
        let call = Call::endorse {
            bill: id,
            start: 0,
            end: UNITS,
            to: account(DAVE),
        };
        assert_eq!(dispatch(call, signed(CHARLIE)), err(Error::WrongState));
    });
}

#[test]
fn endorse_is_bounded_by_max_ranges_and_max_chain() {
    new_test_ext().execute(|| {
        let id = delivered();
        // 8 ranges at most: each endorsement of the first unit of the tail splits once.
        for k in 0..(MAX_RANGES as Unit - 1) {
            endorse(id, CHARLIE, k, k + 1, DAVE);
        }
        assert_eq!(bill(id).ranges, MAX_RANGES);
        let one_more = Call::endorse {
            bill: id,
            start: 50,
            end: 51,
            to: account(DAVE),
        };
        assert_eq!(
            dispatch(one_more, signed(CHARLIE)),
            err(Error::TooManyRanges)
        );

        let id = delivered_with(0, false, false);
        let holders = [CHARLIE, DAVE, EVE, FERDIE, ALICE];
        for pair in holders.windows(2) {
            endorse_and_sign(id, pair[0], 0, UNITS, pair[1]);
        }
        assert_eq!(range(id, 0).endorsers.len(), MAX_CHAIN as usize);
        let call = Call::endorse {
            bill: id,
            start: 0,
            end: UNITS,
            to: account(BOB),
        };
        assert_eq!(dispatch(call, signed(ALICE)), err(Error::ChainTooLong));
    });
}

#[test]
fn sign_fails_after_the_deadline_or_for_the_wrong_state() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(Call::sign { bill: id, start: 0 }, signed(DAVE)),
            err(Error::WrongState)
        );
        assert_eq!(
            dispatch(Call::sign { bill: id, start: 7 }, signed(DAVE)),
            err(Error::UnknownRange)
        );
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        advance(3 * DAY + 1);
        assert_eq!(
            dispatch(Call::sign { bill: id, start: 0 }, signed(DAVE)),
            err(Error::DeadlinePassed)
        );
        assert_eq!(range(id, 0).holder, account(CHARLIE));
    });
}

// ---- endorse_for_collection ----

#[test]
fn collection_agent_presents_and_the_holder_is_paid() {
    new_test_ext().execute(|| {
        let id = delivered_with(0, true, true);
        ok(
            CHARLIE,
            Call::endorse_for_collection {
                bill: id,
                start: 0,
                end: UNITS,
                agent: account(FERDIE),
            },
        );
        ok(FERDIE, Call::sign { bill: id, start: 0 });
        assert_eq!(
            state(id, 0),
            RangeState::InCollection {
                agent: account(FERDIE)
            }
        );
        set_now(MATURITY);
        assert_eq!(
            dispatch(Call::present { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::NotHolder)
        );
        ok(FERDIE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(free(CHARLIE), ENDOWMENT + FACE);
        assert_eq!(free(FERDIE), ENDOWMENT);
        assert_eq!(bill(id).state, BillState::Closed);
    });
}

#[test]
fn endorse_for_collection_needs_the_holder() {
    new_test_ext().execute(|| {
        let id = delivered();
        let call = Call::endorse_for_collection {
            bill: id,
            start: 0,
            end: UNITS,
            agent: account(FERDIE),
        };
        assert_eq!(dispatch(call, signed(DAVE)), err(Error::NotHolder));
    });
}

// ---- offer_discount / take_discount ----

#[test]
fn take_discount_moves_price_and_bill_together() {
    new_test_ext().execute(|| {
        let id = delivered();
        ok(
            CHARLIE,
            Call::offer_discount {
                bill: id,
                start: 0,
                end: 40,
                financier: account(EVE),
                price: 3_800,
            },
        );
        assert_eq!(
            api::awaiting(account(EVE)),
            vec![api::Awaiting::Offer {
                bill: id,
                start: 0,
                deadline: START + 3 * DAY
            }]
        );
        ok(
            EVE,
            Call::take_discount {
                bill: id,
                start: 0,
                price: 3_800,
            },
        );
        assert_eq!(free(EVE), ENDOWMENT - 3_800);
        assert_eq!(free(CHARLIE), ENDOWMENT + 3_800);
        let taken = range(id, 0);
        assert_eq!((taken.holder, taken.end), (account(EVE), 40));
        assert_eq!(taken.endorsers, vec![account(CHARLIE)]);
        assert_eq!(range(id, 40).holder, account(CHARLIE));
        assert!(bill_events().contains(&Event::Discounted {
            bill: id,
            start: 0,
            from: account(CHARLIE),
            financier: account(EVE),
            price: 3_800
        }));
    });
}

#[test]
fn take_discount_fails_on_price_mismatch_or_without_funds_and_changes_nothing() {
    new_test_ext().execute(|| {
        let id = delivered();
        let offer = |price| Call::offer_discount {
            bill: id,
            start: 0,
            end: UNITS,
            financier: account(EVE),
            price,
        };
        assert_eq!(
            dispatch(offer(0), signed(CHARLIE)),
            err(Error::InvalidPrice)
        );
        assert_eq!(
            dispatch(offer(FACE + 1), signed(CHARLIE)),
            err(Error::InvalidPrice)
        );
        ok(CHARLIE, offer(9_500));
        assert_eq!(
            dispatch(
                Call::take_discount {
                    bill: id,
                    start: 0,
                    price: 9_000
                },
                signed(EVE)
            ),
            err(Error::PriceMismatch)
        );
        assert_eq!(
            dispatch(
                Call::take_discount {
                    bill: id,
                    start: 0,
                    price: 9_500
                },
                signed(DAVE)
            ),
            err(Error::NotCounterparty)
        );
        // Eve cannot pay: neither money nor bill moves.
        ok(EVE, Call::reject { bill: id, start: 0 });
        Balances::do_transfer(
            &account(EVE),
            &account(ALICE),
            ENDOWMENT - 1_000,
            folio_pallet_support::currency::Preservation::Preserve,
        )
        .unwrap();
        ok(CHARLIE, offer(9_500));
        let before = (range(id, 0), free(EVE), free(CHARLIE));
        assert!(dispatch(
            Call::take_discount {
                bill: id,
                start: 0,
                price: 9_500
            },
            signed(EVE)
        )
        .is_err());
        assert_eq!((range(id, 0), free(EVE), free(CHARLIE)), before);
    });
}

// ---- pledge / release ----

#[test]
fn a_pledged_range_cannot_be_endorsed_or_discounted_until_released() {
    new_test_ext().execute(|| {
        let id = delivered();
        ok(
            CHARLIE,
            Call::pledge {
                bill: id,
                start: 0,
                end: 30,
                pledgee: account(EVE),
                secured: 1_000,
            },
        );
        ok(EVE, Call::sign { bill: id, start: 0 });
        assert_eq!(
            state(id, 0),
            RangeState::Pledged {
                pledgee: account(EVE)
            }
        );
        let endorse = Call::endorse {
            bill: id,
            start: 0,
            end: 30,
            to: account(DAVE),
        };
        assert_eq!(
            dispatch(endorse.clone(), signed(CHARLIE)),
            err(Error::WrongState)
        );
        let discount = Call::offer_discount {
            bill: id,
            start: 0,
            end: 10,
            financier: account(DAVE),
            price: 900,
        };
        assert_eq!(dispatch(discount, signed(CHARLIE)), err(Error::WrongState));
        // The unpledged rest circulates.
        endorse_and_sign(id, CHARLIE, 30, UNITS, DAVE);
        assert_eq!(
            dispatch(Call::release { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::NotCounterparty)
        );
        ok(EVE, Call::release { bill: id, start: 0 });
        assert_eq!(state(id, 0), RangeState::Held);
        ok(CHARLIE, endorse);
    });
}

#[test]
fn pledge_and_release_fail_outside_their_states() {
    new_test_ext().execute(|| {
        let id = delivered_with(0, true, true);
        let pledge = Call::pledge {
            bill: id,
            start: 0,
            end: UNITS,
            pledgee: account(EVE),
            secured: 1_000,
        };
        assert_eq!(
            dispatch(pledge, signed(CHARLIE)),
            err(Error::NonTransferable)
        );
        assert_eq!(
            dispatch(Call::release { bill: id, start: 0 }, signed(EVE)),
            err(Error::WrongState)
        );
    });
}

// ---- reject / revoke ----

#[test]
fn reject_returns_the_range_to_its_holder() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        ok(DAVE, Call::reject { bill: id, start: 0 });
        assert_eq!(state(id, 0), RangeState::Held);
        assert!(bill_events().contains(&Event::OfferRejected {
            bill: id,
            start: 0,
            by: account(DAVE)
        }));
        // Now free to go elsewhere.
        endorse(id, CHARLIE, 0, UNITS, EVE);
    });
}

#[test]
fn reject_only_by_the_counterparty_of_something_pending() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(Call::reject { bill: id, start: 0 }, signed(DAVE)),
            err(Error::WrongState)
        );
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        assert_eq!(
            dispatch(Call::reject { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::NotCounterparty)
        );
    });
}

#[test]
fn revoke_withdraws_a_pending_offer() {
    new_test_ext().execute(|| {
        let id = delivered();
        ok(
            CHARLIE,
            Call::offer_discount {
                bill: id,
                start: 0,
                end: UNITS,
                financier: account(EVE),
                price: 9_000,
            },
        );
        ok(CHARLIE, Call::revoke { bill: id, start: 0 });
        assert_eq!(state(id, 0), RangeState::Held);
        assert_eq!(
            dispatch(
                Call::take_discount {
                    bill: id,
                    start: 0,
                    price: 9_000
                },
                signed(EVE)
            ),
            err(Error::WrongState)
        );
    });
}

#[test]
fn revoke_only_by_the_holder() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        assert_eq!(
            dispatch(Call::revoke { bill: id, start: 0 }, signed(DAVE)),
            err(Error::NotHolder)
        );
        ok(CHARLIE, Call::revoke { bill: id, start: 0 });
        assert_eq!(
            dispatch(Call::revoke { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::WrongState)
        );
    });
}

// ---- present / pay / refuse_payment ----

#[test]
fn present_from_maturity_locks_the_range() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(Call::present { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::NotMature)
        );
        set_now(MATURITY);
        assert_eq!(
            dispatch(Call::present { bill: id, start: 0 }, signed(DAVE)),
            err(Error::NotHolder)
        );
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        assert_eq!(
            state(id, 0),
            RangeState::PaymentPending {
                deadline: MATURITY + 3 * DAY
            }
        );
        assert_eq!(
            dispatch(Call::present { bill: id, start: 0 }, signed(CHARLIE)),
            err(Error::Locked)
        );
        assert_eq!(
            api::awaiting(account(BOB)),
            vec![api::Awaiting::Payment {
                bill: id,
                start: 0,
                deadline: MATURITY + 3 * DAY
            }]
        );
    });
}

#[test]
fn late_presentment_discharges_endorsers_but_keeps_drawer_and_acceptor() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        set_now(MATURITY + 11 * DAY);
        ok(DAVE, Call::present { bill: id, start: 0 });
        assert!(range(id, 0).late_presentment);
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
            against: account(CHARLIE),
        };
        assert_eq!(dispatch(claim, signed(DAVE)), err(Error::NotLiable));
        // The drawer stays liable after a late presentment.
        ok(
            DAVE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(ALICE),
            },
        );
        ok(DAVE, Call::revoke { bill: id, start: 0 });
        ok(
            DAVE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(BOB),
            },
        );
    });
}

#[test]
fn pay_moves_money_from_margin_first_and_closes_the_bill() {
    new_test_ext().execute(|| {
        let id = delivered_with(4_000, true, false);
        endorse_and_sign(id, CHARLIE, 0, 60, DAVE);
        set_now(MATURITY);
        ok(DAVE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        // 6 000 due: 4 000 from the margin, 2 000 from Bob's free balance.
        assert_eq!(free(DAVE), ENDOWMENT + 6_000);
        assert_eq!(margin_held(BOB), 0);
        assert_eq!(free(BOB), ENDOWMENT - 6_000);
        assert_eq!(state(id, 0), RangeState::Paid);
        assert_eq!(bill(id).state, BillState::Delivered);
        ok(
            CHARLIE,
            Call::present {
                bill: id,
                start: 60,
            },
        );
        ok(
            BOB,
            Call::pay {
                bill: id,
                start: 60,
            },
        );
        assert_eq!(bill(id).state, BillState::Closed);
        assert_eq!(free(BOB), ENDOWMENT - FACE);
        assert_eq!(
            api::acceptor_credit(account(BOB)),
            CreditRecord {
                on_time: 2,
                late: 0,
                dishonored: 0
            }
        );
        // Paid is terminal.
        assert_eq!(
            dispatch(Call::present { bill: id, start: 0 }, signed(DAVE)),
            err(Error::WrongState)
        );
    });
}

#[test]
fn the_margin_pays_first_so_a_closed_bill_holds_none() {
    new_test_ext().execute(|| {
        let id = delivered_with(FACE, true, false);
        endorse_and_sign(id, CHARLIE, 0, 50, DAVE);
        set_now(MATURITY);
        ok(DAVE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(margin_held(BOB), 5_000);
        ok(
            CHARLIE,
            Call::present {
                bill: id,
                start: 50,
            },
        );
        ok(
            BOB,
            Call::pay {
                bill: id,
                start: 50,
            },
        );
        assert_eq!(margin_held(BOB), 0);
        assert!(bill_events().contains(&Event::BillClosed {
            bill: id,
            margin_released: 0
        }));
    });
}

#[test]
fn pay_fails_for_others_or_without_presentment() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(Call::pay { bill: id, start: 0 }, signed(BOB)),
            err(Error::WrongState)
        );
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        assert_eq!(
            dispatch(Call::pay { bill: id, start: 0 }, signed(ALICE)),
            err(Error::NotAcceptor)
        );
    });
}

#[test]
fn refuse_payment_dishonours_and_counts_against_the_acceptor() {
    new_test_ext().execute(|| {
        let id = delivered();
        dishonour(id, CHARLIE, 0);
        assert_eq!(state(id, 0), RangeState::Dishonored);
        assert_eq!(api::acceptor_credit(account(BOB)).dishonored, 1);
    });
}

#[test]
fn refuse_payment_only_by_the_acceptor_of_a_presented_range() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(
                Call::refuse_payment {
                    bill: id,
                    start: 0,
                    reason: DishonourReason::InsufficientFunds
                },
                signed(BOB)
            ),
            err(Error::WrongState)
        );
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        assert_eq!(
            dispatch(
                Call::refuse_payment {
                    bill: id,
                    start: 0,
                    reason: DishonourReason::InsufficientFunds
                },
                signed(CHARLIE)
            ),
            err(Error::NotAcceptor)
        );
    });
}

// ---- claim_recourse / pay_recourse ----

#[test]
fn recourse_walks_back_the_chain_and_settles_with_the_acceptor() {
    new_test_ext().execute(|| {
        let id = delivered_with(0, false, false);
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        endorse_and_sign(id, DAVE, 0, UNITS, FERDIE);
        dishonour(id, FERDIE, 0);
        // Ferdie claims from Charlie (skipping Dave): Dave is discharged once Charlie pays.
        ok(
            FERDIE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(CHARLIE),
            },
        );
        assert_eq!(
            dispatch(
                Call::claim_recourse {
                    bill: id,
                    start: 0,
                    against: account(DAVE)
                },
                signed(FERDIE)
            ),
            err(Error::Locked)
        );
        ok(CHARLIE, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!(free(FERDIE), ENDOWMENT + FACE);
        assert_eq!(free(CHARLIE), ENDOWMENT - FACE);
        let after = range(id, 0);
        assert_eq!(
            (after.holder, after.state),
            (account(CHARLIE), RangeState::Dishonored)
        );
        assert!(after.endorsers.is_empty());
        // Charlie can go to the drawer or the acceptor, not to the discharged Dave.
        let against_dave = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(DAVE),
        };
        assert_eq!(
            dispatch(against_dave, signed(CHARLIE)),
            err(Error::NotLiable)
        );
        ok(
            CHARLIE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(ALICE),
            },
        );
        ok(ALICE, Call::pay_recourse { bill: id, start: 0 });
        // The drawer has recourse only against the acceptor.
        let against_charlie = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(CHARLIE),
        };
        assert_eq!(
            dispatch(against_charlie, signed(ALICE)),
            err(Error::NotLiable)
        );
        ok(
            ALICE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(BOB),
            },
        );
        ok(BOB, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!(state(id, 0), RangeState::Settled);
        assert_eq!(bill(id).state, BillState::Closed);
        assert_eq!(free(ALICE), ENDOWMENT);
        assert_eq!(free(BOB), ENDOWMENT - FACE);
        assert_eq!(
            api::acceptor_credit(account(BOB)),
            CreditRecord {
                on_time: 0,
                late: 1,
                dishonored: 1
            }
        );
    });
}

#[test]
fn claim_recourse_needs_a_dishonoured_range_held_by_the_claimant() {
    new_test_ext().execute(|| {
        let id = delivered();
        let claim = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(ALICE),
        };
        assert_eq!(
            dispatch(claim.clone(), signed(CHARLIE)),
            err(Error::WrongState)
        );
        dishonour(id, CHARLIE, 0);
        assert_eq!(dispatch(claim, signed(DAVE)), err(Error::NotHolder));
        let against_self = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(CHARLIE),
        };
        assert_eq!(
            dispatch(against_self, signed(CHARLIE)),
            err(Error::NotLiable)
        );
        let stranger = Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(EVE),
        };
        assert_eq!(dispatch(stranger, signed(CHARLIE)), err(Error::NotLiable));
    });
}

#[test]
fn pay_recourse_only_by_the_party_claimed_against() {
    new_test_ext().execute(|| {
        let id = delivered();
        dishonour(id, CHARLIE, 0);
        assert_eq!(
            dispatch(Call::pay_recourse { bill: id, start: 0 }, signed(ALICE)),
            err(Error::WrongState)
        );
        ok(
            CHARLIE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(ALICE),
            },
        );
        assert_eq!(
            dispatch(Call::pay_recourse { bill: id, start: 0 }, signed(BOB)),
            err(Error::NotCounterparty)
        );
        // Alice refuses: dishonoured again, and Charlie may turn to Bob.
        ok(ALICE, Call::reject { bill: id, start: 0 });
        assert_eq!(state(id, 0), RangeState::Dishonored);
    });
}

// ---- expire / sweep_expired / on_initialize ----

#[test]
fn expire_ends_overdue_acceptance_and_offers() {
    new_test_ext().execute(|| {
        let a = issued();
        ok(ALICE, Call::request_acceptance { bill: a });
        let b = delivered();
        endorse(b, CHARLIE, 0, 50, DAVE);
        advance(3 * DAY + 1);
        ok(FERDIE, Call::expire { bill: a });
        assert_eq!(bill(a).state, BillState::Issued);
        ok(FERDIE, Call::expire { bill: b });
        assert_eq!(state(b, 0), RangeState::Held);
        assert!(bill_events().contains(&Event::OfferExpired { bill: b, start: 0 }));
    });
}

#[test]
fn expire_fails_when_nothing_is_overdue() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, UNITS, DAVE);
        assert_eq!(
            dispatch(Call::expire { bill: id }, signed(FERDIE)),
            err(Error::NothingExpired)
        );
        advance(3 * DAY);
        // The deadline itself is still in time.
        assert_eq!(
            dispatch(Call::expire { bill: id }, signed(FERDIE)),
            err(Error::NothingExpired)
        );
        assert_eq!(
            dispatch(Call::expire { bill: 42 }, signed(FERDIE)),
            err(Error::UnknownBill)
        );
    });
}

#[test]
fn unanswered_presentment_is_paid_from_a_covering_margin_else_dishonoured() {
    new_test_ext().execute(|| {
        let id = delivered_with(5_000, true, false);
        endorse_and_sign(id, CHARLIE, 0, 50, DAVE);
        set_now(MATURITY);
        ok(DAVE, Call::present { bill: id, start: 0 });
        ok(
            CHARLIE,
            Call::present {
                bill: id,
                start: 50,
            },
        );
        advance(3 * DAY + 1);
        ok(FERDIE, Call::expire { bill: id });
        // The first (5 000) is covered by the margin; the second is not.
        let states = [state(id, 0), state(id, 50)];
        assert_eq!(states, [RangeState::Paid, RangeState::Dishonored]);
        assert_eq!(free(DAVE), ENDOWMENT + 5_000);
        assert_eq!(margin_held(BOB), 0);
        assert_eq!(
            api::acceptor_credit(account(BOB)),
            CreditRecord {
                on_time: 0,
                late: 1,
                dishonored: 1
            }
        );
    });
}

#[test]
fn sweep_expires_in_bounded_resumable_batches() {
    new_test_ext().execute(|| {
        let ids: Vec<BillId> = (0..3).map(|_| delivered()).collect();
        for id in &ids {
            endorse(*id, CHARLIE, 0, UNITS, DAVE);
        }
        advance(3 * DAY + 1);
        ok(FERDIE, Call::sweep_expired { limit: 2 });
        assert_eq!(state(ids[0], 0), RangeState::Held);
        assert_eq!(state(ids[1], 0), RangeState::Held);
        assert!(state(ids[2], 0).is_pending());
        assert_eq!(SweepCursor::get(), 2);
        // The block hook resumes where the call stopped.
        let weight = <Bills_ as Hooks>::on_initialize(2);
        assert_eq!(weight, weights::sweep_expired_bound(3));
        assert_eq!(state(ids[2], 0), RangeState::Held);
        assert_eq!(
            dispatch(Call::sweep_expired { limit: 1 }, Origin::None),
            Err(DispatchError::BadOrigin)
        );
    });
}

#[test]
fn an_unanswered_recourse_claim_on_the_acceptor_is_paid_from_the_margin() {
    new_test_ext().execute(|| {
        let id = delivered_with(FACE, false, false);
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
        ok(
            CHARLIE,
            Call::claim_recourse {
                bill: id,
                start: 0,
                against: account(BOB),
            },
        );
        advance(5 * DAY + 1);
        ok(FERDIE, Call::expire { bill: id });
        assert_eq!(state(id, 0), RangeState::Settled);
        assert_eq!(bill(id).state, BillState::Closed);
        assert_eq!(free(CHARLIE), ENDOWMENT + FACE);
        assert_eq!(margin_held(BOB), 0);
    });
}

// ---- freeze / unfreeze ----

#[test]
fn a_frozen_bill_does_nothing_until_unfrozen() {
    new_test_ext().execute(|| {
        let id = delivered();
        endorse(id, CHARLIE, 0, 50, DAVE);
        assert_eq!(dispatch(Call::freeze { bill: id }, Origin::Root), Ok(()));
        assert_eq!(
            dispatch(Call::sign { bill: id, start: 0 }, signed(DAVE)),
            err(Error::Frozen)
        );
        let endorse = Call::endorse {
            bill: id,
            start: 50,
            end: UNITS,
            to: account(EVE),
        };
        assert_eq!(
            dispatch(endorse.clone(), signed(CHARLIE)),
            err(Error::Frozen)
        );
        advance(3 * DAY + 1);
        assert_eq!(
            dispatch(Call::expire { bill: id }, signed(FERDIE)),
            err(Error::Frozen)
        );
        ok(FERDIE, Call::sweep_expired { limit: 5 });
        assert!(state(id, 0).is_pending());
        assert_eq!(dispatch(Call::unfreeze { bill: id }, Origin::Root), Ok(()));
        // The frozen time does not count: the offer still has its window, then expires.
        assert!(state(id, 0).is_pending());
        advance(3 * DAY + 1);
        ok(FERDIE, Call::expire { bill: id });
        ok(CHARLIE, endorse);
        let events = history_events(id);
        assert!(events.contains(&Event::BillFrozen { bill: id }));
        assert!(events.contains(&Event::BillUnfrozen { bill: id }));
    });
}

#[test]
fn only_the_court_freezes_and_unfreezes() {
    new_test_ext().execute(|| {
        let id = delivered();
        assert_eq!(
            dispatch(Call::freeze { bill: id }, signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(Call::unfreeze { bill: id }, Origin::Root),
            err(Error::NotFrozen)
        );
        assert_eq!(dispatch(Call::freeze { bill: id }, Origin::Root), Ok(()));
        assert_eq!(
            dispatch(Call::freeze { bill: id }, Origin::Root),
            err(Error::Frozen)
        );
        assert_eq!(
            dispatch(Call::unfreeze { bill: id }, signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- history bound ----

#[test]
fn offers_keep_the_history_reserve_free_for_answers() {
    new_test_ext().execute(|| {
        let id = delivered();
        // Each round: an offer and its revocation.
        let mut rounds = 0;
        loop {
            let call = Call::endorse {
                bill: id,
                start: 0,
                end: UNITS,
                to: account(DAVE),
            };
            match dispatch(call, signed(CHARLIE)) {
                Ok(()) => {}
                Err(e) => {
                    assert_eq!(Err(e), err(Error::HistoryFull));
                    break;
                }
            }
            ok(CHARLIE, Call::revoke { bill: id, start: 0 });
            rounds += 1;
        }
        assert!(rounds > 0);
        let len = HistoryLen::get(&id);
        assert!(len + HISTORY_RESERVE >= MAX_HISTORY - 1);
        // Payment still fits.
        set_now(MATURITY);
        ok(CHARLIE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(bill(id).state, BillState::Closed);
    });
}

// ---- the whole life of a bill ----

#[test]
fn issue_accept_endorse_twice_discount_and_pay_at_maturity() {
    new_test_ext().execute(|| {
        let id = delivered_with(2_000, false, false);
        advance(DAY);
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        advance(DAY);
        endorse(id, DAVE, 0, UNITS, FERDIE);
        // No double sale: the pending endorsement locks the bill.
        let twice = Call::offer_discount {
            bill: id,
            start: 0,
            end: UNITS,
            financier: account(EVE),
            price: 9_000,
        };
        assert_eq!(dispatch(twice, signed(DAVE)), err(Error::Locked));
        ok(FERDIE, Call::sign { bill: id, start: 0 });
        advance(DAY);
        ok(
            FERDIE,
            Call::offer_discount {
                bill: id,
                start: 0,
                end: UNITS,
                financier: account(EVE),
                price: 9_700,
            },
        );
        ok(
            EVE,
            Call::take_discount {
                bill: id,
                start: 0,
                price: 9_700,
            },
        );
        set_now(MATURITY);
        ok(EVE, Call::present { bill: id, start: 0 });
        ok(BOB, Call::pay { bill: id, start: 0 });
        assert_eq!(free(EVE), ENDOWMENT - 9_700 + FACE);
        assert_eq!(free(FERDIE), ENDOWMENT + 9_700);
        assert_eq!(bill(id).state, BillState::Closed);

        let view = api::bill(id).expect("bill");
        assert_eq!(view.ranges.len(), 1);
        let stamps: Vec<(BlockNumber, Moment)> =
            view.history.iter().map(|e| (e.block, e.time)).collect();
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(view.history.len(), 13);
        assert!(matches!(
            view.history.first().map(|e| &e.event),
            Some(Event::BillIssued { .. })
        ));
        assert!(matches!(
            view.history.last().map(|e| &e.event),
            Some(Event::BillClosed { .. })
        ));
    });
}

// ---- genesis, metadata, encoding ----

#[test]
fn genesis_refuses_a_misconfigured_runtime() {
    struct Bad;
    impl folio_pallet_system::Config for Bad {
        const INDEX: u8 = 0;
        const BLOCK_HASH_COUNT: BlockNumber = 250;
        const SS58_PREFIX: u16 = 42;
        const BLOCK_WEIGHTS: folio_pallet_system::limits::BlockWeights =
            <Test as folio_pallet_system::Config>::BLOCK_WEIGHTS;
        const BLOCK_LENGTH: folio_pallet_system::limits::BlockLength =
            <Test as folio_pallet_system::Config>::BLOCK_LENGTH;
        type RuntimeEvent = RuntimeEvent;
        fn runtime_version() -> folio_primitives::version::RuntimeVersion {
            <Test as folio_pallet_system::Config>::runtime_version()
        }
    }
    impl Config for Bad {
        const INDEX: u8 = INDEX;
        type Currency = folio_pallet_currency::Pallet<Test>;
        type Invoices = ();
        const ISSUE_DEPOSIT: Balance = 0;
        const RANGE_UNIT: Balance = 0;
        const MAX_TENOR: Moment = 1;
        const ACCEPTANCE_WINDOW: Moment = 1;
        const OFFER_WINDOW: Moment = 1;
        const PRESENTMENT_PERIOD: Moment = 1;
        const PAYMENT_WINDOW: Moment = 1;
        const RECOURSE_WINDOW: Moment = 1;
        const RECOURSE_LIMITATION: Moment = 1;
        const MAX_RANGES: u32 = 1;
        const MAX_CHAIN: u32 = 1;
        const MAX_INVOICES: u32 = 0;
        const MAX_HISTORY: u32 = 10;
        const HISTORY_RESERVE: u32 = 2;
        const SWEEP_PER_BLOCK: u32 = 1;
        fn now() -> Moment {
            0
        }
    }
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        assert_eq!(
            GenesisConfig {}.build::<Bad>(),
            Err(GenesisError::ZeroRangeUnit)
        );
        assert!(!NextBillId::exists());
    });
    new_test_ext().execute(|| assert_eq!(NextBillId::get(), 0));
}

#[test]
fn metadata_describes_storage_calls_and_constants() {
    let meta = metadata::<Test>();
    assert_eq!((meta.name, meta.index), ("Bills", INDEX));
    let names: Vec<&str> = meta.storage.iter().map(|entry| entry.name).collect();
    assert_eq!(
        names,
        vec![
            "NextBillId",
            "Bills",
            "Ranges",
            "History",
            "HistoryLen",
            "Holdings",
            "Involved",
            "InvoiceUse",
            "AcceptorCredit",
            "SweepCursor",
            "Avals",
            "AvalCount",
            "PaidAsGuarantor",
            "AutoPresentment"
        ]
    );
    assert!(meta.storage.iter().all(|entry| !entry.docs.is_empty()));
    assert_eq!(meta.constants.len(), 15);
    let unit = meta
        .constants
        .iter()
        .find(|c| c.name == "RangeUnit")
        .expect("RangeUnit");
    assert_eq!(unit.value, UNIT.encode());
    let call = scale_info::meta_type::<Call>().type_info();
    assert_eq!(call.path.segments, vec!["pallet_bills", "pallet", "Call"]);
    let event = scale_info::meta_type::<Event>().type_info();
    assert_eq!(event.path.segments, vec!["pallet_bills", "pallet", "Event"]);
    let error = scale_info::meta_type::<Error>().type_info();
    assert_eq!(error.path.segments, vec!["pallet_bills", "pallet", "Error"]);
}

#[test]
fn call_event_and_error_indices_are_pinned() {
    assert_eq!(
        Call::request_acceptance { bill: 1 }.encode(),
        vec![1, 1, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(Call::unfreeze { bill: 0 }.encode()[0], 23);
    assert_eq!(Call::sweep_expired { limit: 0 }.encode()[0], 21);
    assert_eq!(
        Call::guarantee {
            bill: 0,
            for_party: account(BOB)
        }
        .encode()[0],
        24
    );
    assert_eq!(
        Event::Guaranteed {
            bill: 0,
            guarantor: account(BOB),
            for_party: account(BOB)
        }
        .encode()[0],
        32
    );
    assert_eq!(Error::TooManyAvals.encode(), vec![39]);
    assert_eq!(Event::BillUnfrozen { bill: 0 }.encode()[0], 27);
    assert_eq!(Error::SelfTransfer.encode(), vec![30]);
    assert_eq!(
        module_error(INDEX, &Error::Locked),
        DispatchError::Module(folio_primitives::dispatch::ModuleError {
            index: INDEX,
            error: [13, 0, 0, 0]
        })
    );
}

#[test]
fn every_call_declares_a_weight() {
    let calls = [
        issue_call(true, false),
        Call::sweep_expired { limit: 10 },
        Call::expire { bill: 0 },
        Call::pay { bill: 0, start: 0 },
    ];
    for call in calls {
        let info = call.dispatch_info();
        assert!(info.weight.ref_time > 0);
        assert_eq!(info.pays_fee, Pays::Yes);
    }
    assert!(weights::sweep_expired(10).ref_time > weights::sweep_expired(1).ref_time);
}

#[test]
fn listings_come_in_pages_of_at_most_max_page() {
    new_test_ext().execute(|| {
        // More bills than two pages: Alice draws 250 on Bob for Charlie and asks Bob to accept.
        let count: u32 = 2 * api::MAX_PAGE + 50;
        let ids: Vec<BillId> = (0..count)
            .map(|_| {
                let id = issued();
                ok(ALICE, Call::request_acceptance { bill: id });
                id
            })
            .collect();

        let charlie = account(CHARLIE);
        let first = api::bills_of_page(charlie, 0, u32::MAX);
        assert_eq!(first.len(), api::MAX_PAGE as usize, "a large limit is cut");
        let mut all = Vec::new();
        let mut start = 0;
        loop {
            let page = api::bills_of_page(charlie, start, api::MAX_PAGE);
            if page.is_empty() {
                break;
            }
            start += page.len() as u32;
            all.extend(page);
        }
        assert_eq!(all, ids, "the pages are the whole list, in id order");
        assert_eq!(api::bills_of_page(charlie, 240, 5), ids[240..245]);

        let bob = api::awaiting_page(account(BOB), 100, 3);
        let expected: Vec<_> = ids[100..103]
            .iter()
            .map(|&bill| api::Awaiting::Acceptance {
                bill,
                deadline: START + 3 * DAY,
            })
            .collect();
        assert_eq!(bob, expected);
        assert_eq!(api::awaiting_page(account(BOB), 0, u32::MAX).len(), 100);

        // Holdings: Bob accepts three bills and Alice delivers them to Charlie.
        for &id in &ids[..3] {
            ok(
                BOB,
                Call::accept {
                    bill: id,
                    margin: 0,
                },
            );
            ok(ALICE, Call::deliver { bill: id });
        }
        let held = api::holdings_page(charlie, 1, 1);
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].0, ids[1]);
        assert_eq!(held[0].1, vec![(0, range(ids[1], 0))]);
        assert_eq!(api::holdings_page(charlie, 0, 10), api::holdings(charlie));
    });
}

fn claim(id: BillId, holder: u8, against: u8) -> DispatchResult {
    dispatch(
        Call::claim_recourse {
            bill: id,
            start: 0,
            against: account(against),
        },
        signed(holder),
    )
}

fn guarantee(id: BillId, guarantor: u8, for_party: u8) -> DispatchResult {
    dispatch(
        Call::guarantee {
            bill: id,
            for_party: account(for_party),
        },
        signed(guarantor),
    )
}

#[test]
fn an_aval_is_given_once_for_a_party_liable_on_the_bill() {
    new_test_ext().execute(|| {
        let id = issued();
        assert_eq!(guarantee(id, EVE, BOB), err(Error::WrongState));
        ok(ALICE, Call::request_acceptance { bill: id });
        ok(
            BOB,
            Call::accept {
                bill: id,
                margin: 0,
            },
        );
        assert_eq!(guarantee(id, EVE, BOB), Ok(()));
        assert_eq!(guarantee(id, EVE, ALICE), err(Error::AlreadyGuarantor));
        assert_eq!(guarantee(id, BOB, BOB), err(Error::NotASigner));
        // The payee has signed nothing yet; once it endorses, it can be guaranteed.
        ok(ALICE, Call::deliver { bill: id });
        assert_eq!(guarantee(id, FERDIE, CHARLIE), err(Error::NotASigner));
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        assert_eq!(guarantee(id, FERDIE, CHARLIE), Ok(()));
        assert_eq!(Avals::get(&id, &account(FERDIE)), Some(account(CHARLIE)));
        assert!(api::bills_of(account(FERDIE)).contains(&id));
        assert!(history_events(id).contains(&Event::Guaranteed {
            bill: id,
            guarantor: account(EVE),
            for_party: account(BOB),
        }));
    });
}

#[test]
fn the_acceptors_guarantor_pays_in_recourse_and_recovers_from_the_acceptor_only() {
    new_test_ext().execute(|| {
        let id = delivered_with(0, false, false);
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        dishonour(id, DAVE, 0);
        assert_eq!(claim(id, DAVE, EVE), err(Error::NotLiable), "no aval yet");
        assert_eq!(guarantee(id, EVE, BOB), Ok(()));

        // Dave goes to the acceptor's guarantor, which is liable like the acceptor.
        assert_eq!(claim(id, DAVE, EVE), Ok(()));
        let (dave, eve) = (free(DAVE), free(EVE));
        ok(EVE, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!((free(DAVE), free(EVE)), (dave + FACE, eve - FACE));
        let after = range(id, 0);
        assert_eq!(
            (after.holder, after.state),
            (account(EVE), RangeState::Dishonored),
            "a guarantor's payment does not settle the range"
        );

        // Eve stands in the acceptor's place: only the acceptor owes her.
        assert_eq!(claim(id, EVE, ALICE), err(Error::NotLiable));
        assert_eq!(claim(id, EVE, CHARLIE), err(Error::NotLiable));
        assert_eq!(claim(id, EVE, BOB), Ok(()));
        ok(BOB, Call::pay_recourse { bill: id, start: 0 });
        assert_eq!(free(EVE), eve);
        assert_eq!(state(id, 0), RangeState::Settled);
        assert_eq!(bill(id).state, BillState::Closed);
    });
}

#[test]
fn an_endorsers_guarantor_pays_and_recovers_from_that_endorser_and_those_before_it() {
    new_test_ext().execute(|| {
        let id = delivered_with(0, false, false);
        endorse_and_sign(id, CHARLIE, 0, UNITS, DAVE);
        endorse_and_sign(id, DAVE, 0, UNITS, EVE);
        assert_eq!(guarantee(id, FERDIE, CHARLIE), Ok(()));
        dishonour(id, EVE, 0);
        assert_eq!(claim(id, EVE, FERDIE), Ok(()));
        ok(FERDIE, Call::pay_recourse { bill: id, start: 0 });
        let after = range(id, 0);
        assert_eq!(after.holder, account(FERDIE));
        // Dave signed after Charlie: discharged by the payment for Charlie.
        assert_eq!(claim(id, FERDIE, DAVE), err(Error::NotLiable));
        assert_eq!(claim(id, FERDIE, CHARLIE), Ok(()));
        ok(CHARLIE, Call::pay_recourse { bill: id, start: 0 });
        // Charlie holds it again with its own rights: the drawer and the acceptor.
        assert_eq!(range(id, 0).holder, account(CHARLIE));
        assert_eq!(PaidAsGuarantor::get(&id, &0), None);
        assert_eq!(claim(id, CHARLIE, ALICE), Ok(()));
    });
}
