//! Random call sequences keep every invariant after every step, and failed calls change
//! nothing.
//!
//! After each step, besides [`invariants::check_invariants`] (and the currency's), the step
//! itself is checked against the rules only a transition shows:
//! - pending ⇒ locked: a pending range or acceptance changes only through its own answer
//!   (sign, take, reject, revoke, pay, refuse, pay recourse) or its expiry;
//! - terminal states are absorbing: Paid and Settled ranges, Closed and Withdrawn bills never
//!   change again; a frozen bill changes only by being unfrozen;
//! - money and bill move together: every account's total balance changes exactly as the
//!   step's `Discounted`, `Paid` and `RecoursePaid` events say, each of those ranges is where
//!   the event says, and a range changes holder only with `Endorsed`, `Discounted` or
//!   `RecoursePaid`;
//! - endorsement continuity: an endorsement or discount appends the previous holder to the
//!   range's chain of signers.

use crate::mock::*;
use crate::*;
use alloc::collections::BTreeMap;
use folio_pallet_support::currency::Currency as _;
use folio_pallet_support::storage::StorageMap;
use folio_primitives::externalities::TestExternalities;
use proptest::prelude::*;

type Balances = folio_pallet_currency::Pallet<Test>;

/// One step: a signed call (issue built at run time, so its maturity follows the clock), a
/// court call, time passing, or a block's hook.
#[derive(Clone, Debug)]
enum Step {
    Issue {
        who: u8,
        acceptor: u8,
        payee: u8,
        face_units: u64,
        tenor_days: u64,
        non_transferable: bool,
        divisible: bool,
        invoices: Vec<InvoiceRef>,
        /// Drawn with `issue_with_auto_presentment`.
        auto_present: bool,
    },
    /// A call by an actor resolved against the state at run time; with `Some(pick)`, the
    /// call's range is retargeted to the bill's `pick`-th range (whole or its first half).
    Call(Actor, Call, Option<(u8, bool)>),
    /// The next natural step of a bill (whatever its state allows), by the right account.
    Next {
        bill: BillId,
        pick: u8,
        choice: u8,
        to: u8,
        amount: Balance,
    },
    Root(Call),
    Advance(Moment),
    Hook,
}

const ACCOUNTS: u8 = 6;

/// Who sends a call: a role in the bill (so calls often come from the right account) or any
/// account (so they also often come from the wrong one).
#[derive(Clone, Copy, Debug)]
enum Actor {
    /// Whoever the call is meant for (the drawer requests, the acceptor pays, …).
    Natural,
    Drawer,
    Acceptor,
    Holder,
    Counterparty,
    Any(u8),
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        8 => Just(Actor::Natural),
        1 => Just(Actor::Drawer),
        1 => Just(Actor::Acceptor),
        2 => Just(Actor::Holder),
        2 => Just(Actor::Counterparty),
        1 => who().prop_map(Actor::Any),
    ]
}

/// The bill a call is about.
fn bill_of(call: &Call) -> Option<BillId> {
    match call {
        Call::issue { .. }
        | Call::issue_with_auto_presentment { .. }
        | Call::sweep_expired { .. } => None,
        Call::request_acceptance { bill }
        | Call::accept { bill, .. }
        | Call::refuse_acceptance { bill }
        | Call::withdraw { bill }
        | Call::deliver { bill }
        | Call::endorse { bill, .. }
        | Call::endorse_for_collection { bill, .. }
        | Call::offer_discount { bill, .. }
        | Call::pledge { bill, .. }
        | Call::sign { bill, .. }
        | Call::take_discount { bill, .. }
        | Call::reject { bill, .. }
        | Call::revoke { bill, .. }
        | Call::release { bill, .. }
        | Call::present { bill, .. }
        | Call::pay { bill, .. }
        | Call::refuse_payment { bill, .. }
        | Call::claim_recourse { bill, .. }
        | Call::pay_recourse { bill, .. }
        | Call::expire { bill }
        | Call::freeze { bill }
        | Call::unfreeze { bill }
        | Call::guarantee { bill, .. } => Some(*bill),
    }
}

/// Points the call's range at `[first, end)`.
fn retarget(call: &mut Call, first: Unit, last: Unit) {
    match call {
        Call::endorse { start, end, .. }
        | Call::endorse_for_collection { start, end, .. }
        | Call::offer_discount { start, end, .. }
        | Call::pledge { start, end, .. } => {
            *start = first;
            *end = last;
        }
        Call::sign { start, .. }
        | Call::take_discount { start, .. }
        | Call::reject { start, .. }
        | Call::revoke { start, .. }
        | Call::release { start, .. }
        | Call::present { start, .. }
        | Call::pay { start, .. }
        | Call::refuse_payment { start, .. }
        | Call::claim_recourse { start, .. }
        | Call::pay_recourse { start, .. } => *start = first,
        _ => {}
    }
}

/// The range a call names (its start), if the bill has it.
fn named_range(call: &Call) -> Option<BillRange> {
    let start = match call {
        Call::endorse { start, .. }
        | Call::endorse_for_collection { start, .. }
        | Call::offer_discount { start, .. }
        | Call::pledge { start, .. }
        | Call::sign { start, .. }
        | Call::take_discount { start, .. }
        | Call::reject { start, .. }
        | Call::revoke { start, .. }
        | Call::release { start, .. }
        | Call::present { start, .. }
        | Call::pay { start, .. }
        | Call::refuse_payment { start, .. }
        | Call::claim_recourse { start, .. }
        | Call::pay_recourse { start, .. } => *start,
        _ => 0,
    };
    let bill = bill_of(call)?;
    Pallet::<Test>::ranges_of(bill)
        .into_iter()
        .find(|(first, range)| *first <= start && start < range.end)
        .map(|(_, range)| range)
}

/// Resolves the actor and the picked range against the current state.
fn resolve(actor: Actor, mut call: Call, pick: Option<(u8, bool)>) -> (AccountId, Call) {
    let bill = bill_of(&call).and_then(|id| Bills::get(&id).map(|bill| (id, bill)));
    if let (Some((id, _)), Some((index, whole))) = (&bill, pick) {
        let ranges = Pallet::<Test>::ranges_of(*id);
        if !ranges.is_empty() {
            let (first, range) = &ranges[usize::from(index) % ranges.len()];
            let last = if whole || range.end - first < 2 {
                range.end
            } else {
                first + (range.end - first) / 2
            };
            retarget(&mut call, *first, last);
        }
    }
    let range = named_range(&call);
    if let (Actor::Natural, Call::take_discount { price, .. }) = (actor, &mut call) {
        if let Some(RangeState::DiscountPending { price: offered, .. }) =
            range.as_ref().map(|r| r.state)
        {
            *price = offered;
        }
    }
    let actor = match (actor, &call) {
        (
            Actor::Natural,
            Call::request_acceptance { .. } | Call::withdraw { .. } | Call::deliver { .. },
        ) => Actor::Drawer,
        (
            Actor::Natural,
            Call::accept { .. }
            | Call::refuse_acceptance { .. }
            | Call::pay { .. }
            | Call::refuse_payment { .. },
        ) => Actor::Acceptor,
        (
            Actor::Natural,
            Call::sign { .. }
            | Call::take_discount { .. }
            | Call::reject { .. }
            | Call::pay_recourse { .. }
            | Call::release { .. },
        ) => Actor::Counterparty,
        (Actor::Natural, Call::present { .. }) => match range.as_ref().map(|r| r.state) {
            Some(RangeState::InCollection { .. }) => Actor::Counterparty,
            _ => Actor::Holder,
        },
        (Actor::Natural, _) => Actor::Holder,
        (other, _) => other,
    };
    let who = match (actor, &bill) {
        (Actor::Any(n), _) => account(n),
        (_, None) => account(1),
        (Actor::Natural, Some(_)) => account(1),
        (Actor::Drawer, Some((_, bill))) => bill.drawer,
        (Actor::Acceptor, Some((_, bill))) => bill.acceptor,
        (Actor::Holder, Some((_, bill))) => range.map_or(bill.payee, |r| r.holder),
        (Actor::Counterparty, Some((_, bill))) => range
            .and_then(|r| match r.state {
                RangeState::Pledged { pledgee } => Some(pledgee),
                RangeState::InCollection { agent } => Some(agent),
                state => state.counterparty(),
            })
            .unwrap_or(bill.acceptor),
    };
    (who, call)
}

fn who() -> impl Strategy<Value = u8> {
    1..=ACCOUNTS
}

fn acct() -> impl Strategy<Value = AccountId> {
    who().prop_map(account)
}

fn bill_id() -> impl Strategy<Value = BillId> {
    prop_oneof![4 => 0..3u64, 1 => 0..6u64]
}

/// Range boundaries the steps use, so that they often name existing ranges.
fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![
        Just(0u64),
        Just(10),
        Just(25),
        Just(50),
        Just(75),
        Just(100),
        0..101u64
    ]
}

fn span() -> impl Strategy<Value = (Unit, Unit)> {
    prop_oneof![
        3 => Just((0u64, 100u64)),
        2 => (unit(), unit()).prop_map(|(a, b)| (a.min(b), a.max(b))),
        1 => (unit(), unit()),
    ]
}

fn money() -> impl Strategy<Value = Balance> {
    prop_oneof![Just(0u128), 1..12_000u128, Just(10_000), Just(5_000)]
}

/// The next natural call for `bill` in its current state, and who makes it.
fn next_call(
    bill: BillId,
    pick: u8,
    choice: u8,
    to: u8,
    amount: Balance,
) -> Option<(AccountId, Call)> {
    let b = Bills::get(&bill)?;
    let to = account(to);
    let some = |who: AccountId, call: Call| Some((who, call));
    match b.state {
        BillState::Issued if choice.is_multiple_of(6) => some(b.drawer, Call::withdraw { bill }),
        BillState::Issued => some(b.drawer, Call::request_acceptance { bill }),
        BillState::AcceptancePending { .. } if choice.is_multiple_of(5) => {
            some(b.acceptor, Call::refuse_acceptance { bill })
        }
        BillState::AcceptancePending { .. } => some(
            b.acceptor,
            Call::accept {
                bill,
                margin: amount % (b.face + 1),
            },
        ),
        BillState::Accepted if choice.is_multiple_of(6) => some(b.drawer, Call::withdraw { bill }),
        BillState::Accepted => some(b.drawer, Call::deliver { bill }),
        BillState::Delivered if choice % 13 == 1 => {
            // An aval by `to` for the acceptor, the drawer or an endorser.
            let ranges = Pallet::<Test>::ranges_of(bill);
            let mut parties = vec![b.acceptor, b.drawer];
            for (_, range) in &ranges {
                parties.extend(range.endorsers.iter().copied());
            }
            let for_party = parties[usize::from(pick) % parties.len()];
            some(to, Call::guarantee { bill, for_party })
        }
        BillState::Delivered => {
            let ranges = Pallet::<Test>::ranges_of(bill);
            let (start, range) = ranges.get(usize::from(pick) % ranges.len().max(1))?.clone();
            let end = if choice & 0x80 == 0 || range.end - start < 2 {
                range.end
            } else {
                start + (range.end - start) / 2
            };
            let holder = range.holder;
            let units_value = Balance::from(end - start) * UNIT;
            match range.state {
                RangeState::Held if now() >= b.maturity && !choice.is_multiple_of(4) => {
                    some(holder, Call::present { bill, start })
                }
                RangeState::Held => match choice % 4 {
                    0 => some(
                        holder,
                        Call::endorse {
                            bill,
                            start,
                            end,
                            to,
                        },
                    ),
                    1 => some(
                        holder,
                        Call::endorse_for_collection {
                            bill,
                            start,
                            end,
                            agent: to,
                        },
                    ),
                    2 => some(
                        holder,
                        Call::offer_discount {
                            bill,
                            start,
                            end,
                            financier: to,
                            price: amount % units_value + 1,
                        },
                    ),
                    _ => some(
                        holder,
                        Call::pledge {
                            bill,
                            start,
                            end,
                            pledgee: to,
                            secured: amount % units_value + 1,
                        },
                    ),
                },
                RangeState::EndorsementPending {
                    to: counterparty, ..
                }
                | RangeState::CollectionPending {
                    agent: counterparty,
                    ..
                }
                | RangeState::PledgePending {
                    pledgee: counterparty,
                    ..
                } => match choice % 5 {
                    0 => some(counterparty, Call::reject { bill, start }),
                    1 => some(holder, Call::revoke { bill, start }),
                    _ => some(counterparty, Call::sign { bill, start }),
                },
                RangeState::DiscountPending {
                    financier, price, ..
                } => match choice % 5 {
                    0 => some(financier, Call::reject { bill, start }),
                    1 => some(holder, Call::revoke { bill, start }),
                    _ => some(financier, Call::take_discount { bill, start, price }),
                },
                RangeState::Pledged { pledgee } => some(pledgee, Call::release { bill, start }),
                RangeState::InCollection { agent } if now() >= b.maturity => {
                    some(agent, Call::present { bill, start })
                }
                RangeState::InCollection { agent } => some(agent, Call::release { bill, start }),
                RangeState::PaymentPending { .. } if choice.is_multiple_of(2) => {
                    some(b.acceptor, Call::pay { bill, start })
                }
                RangeState::PaymentPending { .. } => some(
                    b.acceptor,
                    Call::refuse_payment {
                        bill,
                        start,
                        reason: DishonourReason::Other,
                    },
                ),
                RangeState::Dishonored => {
                    let mut candidates = vec![b.acceptor, b.drawer];
                    candidates.extend(range.endorsers.iter().copied());
                    candidates.extend(Avals::iter_prefix(&bill).map(|(guarantor, _)| guarantor));
                    let against = candidates[usize::from(choice) % candidates.len()];
                    some(
                        holder,
                        Call::claim_recourse {
                            bill,
                            start,
                            against,
                        },
                    )
                }
                RangeState::RecoursePending { against, .. } => match choice % 5 {
                    0 => some(against, Call::reject { bill, start }),
                    1 => some(holder, Call::revoke { bill, start }),
                    _ => some(against, Call::pay_recourse { bill, start }),
                },
                RangeState::Paid | RangeState::Settled | RangeState::Lapsed => {
                    some(holder, Call::present { bill, start })
                }
            }
        }
        BillState::Closed | BillState::Withdrawn => some(b.drawer, Call::deliver { bill }),
    }
}

fn step() -> impl Strategy<Value = Step> {
    let issue = (
        who(),
        who(),
        who(),
        prop_oneof![Just(100u64), Just(50), 1..150u64],
        prop_oneof![Just(30u64), 1..200u64],
        prop_oneof![4 => Just(false), 1 => Just(true)],
        prop_oneof![3 => Just(true), 1 => Just(false)],
        proptest::collection::vec(1..4u64, 0..3),
        prop_oneof![5 => Just(false), 1 => Just(true)],
    )
        .prop_map(
            |(
                who,
                acceptor,
                payee,
                face_units,
                tenor_days,
                non_transferable,
                divisible,
                invoices,
                auto_present,
            )| {
                Step::Issue {
                    who,
                    acceptor,
                    payee,
                    face_units,
                    tenor_days,
                    non_transferable,
                    divisible,
                    invoices,
                    auto_present,
                }
            },
        );
    let calls = prop_oneof![
        bill_id().prop_map(|bill| Call::request_acceptance { bill }),
        (bill_id(), money()).prop_map(|(bill, margin)| Call::accept { bill, margin }),
        bill_id().prop_map(|bill| Call::refuse_acceptance { bill }),
        bill_id().prop_map(|bill| Call::withdraw { bill }),
        bill_id().prop_map(|bill| Call::deliver { bill }),
        (bill_id(), span(), acct()).prop_map(|(bill, (start, end), to)| Call::endorse {
            bill,
            start,
            end,
            to
        }),
        (bill_id(), span(), acct()).prop_map(|(bill, (start, end), agent)| {
            Call::endorse_for_collection {
                bill,
                start,
                end,
                agent,
            }
        }),
        (bill_id(), span(), acct(), money()).prop_map(|(bill, (start, end), financier, price)| {
            Call::offer_discount {
                bill,
                start,
                end,
                financier,
                price,
            }
        }),
        (bill_id(), span(), acct(), money()).prop_map(|(bill, (start, end), pledgee, secured)| {
            Call::pledge {
                bill,
                start,
                end,
                pledgee,
                secured,
            }
        }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::sign { bill, start }),
        (bill_id(), unit(), money()).prop_map(|(bill, start, price)| Call::take_discount {
            bill,
            start,
            price
        }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::reject { bill, start }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::revoke { bill, start }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::release { bill, start }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::present { bill, start }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::pay { bill, start }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::refuse_payment {
            bill,
            start,
            reason: DishonourReason::Disputed
        }),
        (bill_id(), unit(), acct()).prop_map(|(bill, start, against)| Call::claim_recourse {
            bill,
            start,
            against
        }),
        (bill_id(), unit()).prop_map(|(bill, start)| Call::pay_recourse { bill, start }),
        bill_id().prop_map(|bill| Call::expire { bill }),
        (0..4u32).prop_map(|limit| Call::sweep_expired { limit }),
    ];
    prop_oneof![
        3 => issue,
        16 => (bill_id(), any::<u8>(), any::<u8>(), who(), money()).prop_map(
            |(bill, pick, choice, to, amount)| Step::Next { bill, pick, choice, to, amount }
        ),
        10 => (actor(), calls, proptest::option::weighted(0.8, (any::<u8>(), any::<bool>())))
            .prop_map(|(actor, call, pick)| Step::Call(actor, call, pick)),
        1 => bill_id().prop_map(|bill| Step::Root(Call::freeze { bill })),
        2 => bill_id().prop_map(|bill| Step::Root(Call::unfreeze { bill })),
        3 => prop_oneof![Just(DAY / 2), Just(DAY), Just(3 * DAY + 1), Just(10 * DAY), Just(30 * DAY), Just(90 * DAY)]
            .prop_map(Step::Advance),
        1 => Just(Step::Hook),
    ]
}

/// Runs a step in its own storage transaction, as the executive does; returns whether it
/// succeeded and the step as it ran (its call resolved against the state).
fn run(step: &Step) -> (bool, Step) {
    let mut ran = step.clone();
    let outcome: Result<(), DispatchError> =
        folio_pallet_support::transactional::with_transaction(|| match step.clone() {
            Step::Issue {
                who,
                acceptor,
                payee,
                face_units,
                tenor_days,
                non_transferable,
                divisible,
                invoices,
                auto_present,
            } => {
                let (acceptor, payee) = (account(acceptor), account(payee));
                let (face, maturity) = (Balance::from(face_units) * UNIT, now() + tenor_days * DAY);
                if auto_present {
                    Call::issue_with_auto_presentment {
                        acceptor,
                        payee,
                        face,
                        maturity,
                        non_transferable,
                        divisible,
                        invoices,
                    }
                } else {
                    Call::issue {
                        acceptor,
                        payee,
                        face,
                        maturity,
                        non_transferable,
                        divisible,
                        invoices,
                    }
                }
            }
            .dispatch::<Test>(Origin::Signed(account(who)))
            .map(|_| ())
            .map_err(|e| e.error),
            Step::Call(actor, call, pick) => {
                let (who, call) = resolve(actor, call, pick);
                ran = Step::Call(actor, call.clone(), None);
                call.dispatch::<Test>(Origin::Signed(who))
                    .map(|_| ())
                    .map_err(|e| e.error)
            }
            Step::Next {
                bill,
                pick,
                choice,
                to,
                amount,
            } => match next_call(bill, pick, choice, to, amount) {
                Some((who, call)) => {
                    ran = Step::Call(Actor::Any(0), call.clone(), None);
                    call.dispatch::<Test>(Origin::Signed(who))
                        .map(|_| ())
                        .map_err(|e| e.error)
                }
                None => Err(DispatchError::Other),
            },
            Step::Root(call) => call
                .dispatch::<Test>(Origin::Root)
                .map(|_| ())
                .map_err(|e| e.error),
            Step::Advance(ms) => {
                advance(ms);
                Ok(())
            }
            Step::Hook => {
                <Pallet<Test> as Hooks>::on_initialize(0);
                Ok(())
            }
        });
    (outcome.is_ok(), ran)
}

/// The pallet's bills and ranges, and every account's total balance.
#[derive(Clone, Debug, PartialEq)]
struct View {
    bills: BTreeMap<BillId, Bill>,
    ranges: BTreeMap<(BillId, Unit), BillRange>,
    history_len: BTreeMap<BillId, usize>,
    totals: BTreeMap<AccountId, Balance>,
    issuance: Balance,
}

fn view() -> View {
    let bills: BTreeMap<BillId, Bill> = Bills::iter().collect();
    let mut ranges = BTreeMap::new();
    let mut history_len = BTreeMap::new();
    for id in bills.keys() {
        for (start, range) in Pallet::<Test>::ranges_of(*id) {
            ranges.insert((*id, start), range);
        }
        history_len.insert(*id, HistoryLen::get(id) as usize);
    }
    let totals = (1..=ACCOUNTS)
        .map(account)
        .chain([TREASURY])
        .map(|who| (who, Balances::total_balance(&who)))
        .collect();
    View {
        bills,
        ranges,
        history_len,
        totals,
        issuance: Balances::total_issuance(),
    }
}

/// Whether `step` answers (or expires) what is pending on `(bill, start)`.
fn answers(step: &Step, bill: BillId, start: Unit) -> bool {
    match step {
        Step::Hook => true,
        Step::Call(_, Call::sweep_expired { .. }, _) => true,
        Step::Call(_, Call::expire { bill: b }, _) => *b == bill,
        Step::Call(
            _,
            Call::sign { bill: b, start: s }
            | Call::take_discount {
                bill: b, start: s, ..
            }
            | Call::reject { bill: b, start: s }
            | Call::revoke { bill: b, start: s }
            | Call::pay { bill: b, start: s }
            | Call::refuse_payment {
                bill: b, start: s, ..
            }
            | Call::pay_recourse { bill: b, start: s },
            _,
        ) => *b == bill && *s == start,
        _ => false,
    }
}

/// Whether `step` answers (or expires) a pending acceptance of `bill`.
fn answers_acceptance(step: &Step, bill: BillId) -> bool {
    match step {
        Step::Hook | Step::Call(_, Call::sweep_expired { .. }, _) => true,
        Step::Call(
            _,
            Call::accept { bill: b, .. }
            | Call::refuse_acceptance { bill: b }
            | Call::expire { bill: b },
            _,
        ) => *b == bill,
        _ => false,
    }
}

fn check_step(step: &Step, before: &View, after: &View, events: &[Event]) -> Result<(), String> {
    // Terminal states are absorbing; a frozen bill changes only by being unfrozen.
    for (id, bill) in &before.bills {
        let unfrozen = matches!(step, Step::Root(Call::unfreeze { bill: b }) if b == id);
        let changed = after.bills.get(id) != Some(bill)
            || after.history_len.get(id) != before.history_len.get(id);
        if (bill.is_terminal() || (bill.frozen && !unfrozen)) && changed {
            return Err(format!("terminal or frozen bill {id} changed"));
        }
        if let BillState::AcceptancePending { .. } = bill.state {
            let now_state = after.bills.get(id).map(|b| b.state);
            if now_state != Some(bill.state) && !answers_acceptance(step, *id) && !unfrozen {
                return Err(format!(
                    "pending acceptance of bill {id} changed by another step"
                ));
            }
        }
    }
    for ((id, start), range) in &before.ranges {
        let now = after.ranges.get(&(*id, *start));
        if range.state.is_terminal() && now != Some(range) {
            return Err(format!("terminal range {id}/{start} changed"));
        }
        // Unfreezing moves pending deadlines back by the frozen time.
        let unfrozen = matches!(step, Step::Root(Call::unfreeze { bill: b }) if b == id);
        if range.state.is_pending()
            && now != Some(range)
            && !answers(step, *id, *start)
            && !unfrozen
        {
            return Err(format!(
                "pending range {id}/{start} changed by another step"
            ));
        }
    }
    // A range changes holder only with an endorsement, a discount or a recourse payment.
    for ((id, start), range) in &after.ranges {
        if let Some(old) = before.ranges.get(&(*id, *start)) {
            if old.holder != range.holder {
                let explained = events.iter().any(|event| match *event {
                    Event::Endorsed {
                        bill,
                        start: s,
                        from,
                        to,
                    }
                    | Event::Discounted {
                        bill,
                        start: s,
                        from,
                        financier: to,
                        ..
                    } => bill == *id && s == *start && from == old.holder && to == range.holder,
                    Event::RecoursePaid {
                        bill,
                        start: s,
                        payer,
                        to,
                        ..
                    } => bill == *id && s == *start && to == old.holder && payer == range.holder,
                    _ => false,
                });
                if !explained {
                    return Err(format!(
                        "range {id}/{start} changed holder without a transfer"
                    ));
                }
            }
        }
    }
    // Money and bill together, and continuity.
    let mut expected: BTreeMap<AccountId, i128> = BTreeMap::new();
    let mut flow = |from: AccountId, to: AccountId, amount: Balance| {
        *expected.entry(from).or_default() -= amount as i128;
        *expected.entry(to).or_default() += amount as i128;
    };
    // The holder a payment just went to: a `PledgeeCollected` after it moves its share on.
    let mut paid_to: Option<AccountId> = None;
    for event in events {
        match *event {
            Event::MarginApplied {
                bill, to, amount, ..
            } => {
                let acceptor = after.bills.get(&bill).ok_or("bill vanished")?.acceptor;
                flow(acceptor, to, amount);
                paid_to = Some(to);
            }
            Event::PledgeeCollected {
                pledgee, amount, ..
            } => {
                let holder = paid_to.ok_or("a pledgee collected from no payment")?;
                flow(holder, pledgee, amount);
            }
            Event::Discounted {
                bill,
                start,
                from,
                financier,
                price,
            } => {
                flow(financier, from, price);
                let range = after
                    .ranges
                    .get(&(bill, start))
                    .ok_or("discounted range vanished")?;
                let old = before
                    .ranges
                    .get(&(bill, start))
                    .ok_or("discounted range was not there")?;
                let mut chain = old.endorsers.clone();
                chain.push(from);
                if range.holder != financier || range.endorsers != chain {
                    return Err(format!("discount of {bill}/{start} did not move the bill"));
                }
            }
            Event::Endorsed {
                bill, start, from, ..
            } => {
                let range = after
                    .ranges
                    .get(&(bill, start))
                    .ok_or("endorsed range vanished")?;
                let old = before
                    .ranges
                    .get(&(bill, start))
                    .ok_or("endorsed range was not there")?;
                let mut chain = old.endorsers.clone();
                chain.push(from);
                if range.endorsers != chain {
                    return Err(format!("endorsement of {bill}/{start} broke continuity"));
                }
            }
            Event::Paid {
                bill,
                start,
                acceptor,
                to,
                amount,
                ..
            } => {
                flow(acceptor, to, amount);
                paid_to = Some(to);
                let range = after
                    .ranges
                    .get(&(bill, start))
                    .ok_or("paid range vanished")?;
                if range.state != RangeState::Paid || range.holder != to {
                    return Err(format!("payment of {bill}/{start} did not close the range"));
                }
            }
            Event::RecoursePaid {
                bill,
                start,
                payer,
                to,
                amount,
                ..
            } => {
                flow(payer, to, amount);
                paid_to = Some(to);
                let range = after
                    .ranges
                    .get(&(bill, start))
                    .ok_or("recourse range vanished")?;
                if range.holder != payer {
                    return Err(format!(
                        "recourse payment of {bill}/{start} did not move the bill"
                    ));
                }
            }
            _ => {}
        }
    }
    for (who, total) in &after.totals {
        let old = before.totals.get(who).copied().unwrap_or(0) as i128;
        let delta = *total as i128 - old;
        if delta != expected.get(who).copied().unwrap_or(0) {
            return Err(format!(
                "{who:?}'s balance moved by {delta} without a matching bill step"
            ));
        }
    }
    if after.issuance != before.issuance {
        return Err("the bills pallet changed the total issuance".into());
    }
    Ok(())
}

fn genesis() -> TestExternalities {
    new_test_ext().into_externalities()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every invariant of `check_invariants` (and the currency's) after every step, and every
    /// transition rule of this module's doc.
    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..80)) {
        let mut ext = genesis();
        ext.execute_with(|| {
            set_now(START);
            for step in steps {
                let before = view();
                folio_pallet_support::events::reset_events();
                let (_, step) = run(&step);
                let after = view();
                let events = bill_events();
                if let Err(violation) = invariants::check_invariants::<Test>() {
                    return Err(TestCaseError::fail(format!("{violation:?} after {step:?}")));
                }
                if let Err(violation) = folio_pallet_currency::invariants::check_invariants::<Test>() {
                    return Err(TestCaseError::fail(format!("currency {violation:?} after {step:?}")));
                }
                if let Err(rule) = check_step(&step, &before, &after, &events) {
                    return Err(TestCaseError::fail(format!("{rule} after {step:?}")));
                }
            }
            Ok(())
        })?;
    }

    /// A failed step leaves the state exactly as it was.
    #[test]
    fn failed_steps_change_nothing(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ext = genesis();
        ext.execute_with(|| set_now(START));
        for step in steps {
            ext.commit_all();
            let before = ext.snapshot();
            let succeeded = ext.execute_with(|| {
                folio_pallet_support::events::reset_events();
                run(&step).0
            });
            if !succeeded {
                let mut after = ext.snapshot();
                let events_key = ext.execute_with(folio_pallet_support::events::events_key);
                let count_key = ext.execute_with(<folio_pallet_support::events::EventCount as folio_pallet_support::storage::StorageItem>::prefix);
                let mut before = before.clone();
                for key in [events_key.to_vec(), count_key.to_vec()] {
                    before.remove(&key);
                    after.remove(&key);
                }
                prop_assert_eq!(before, after, "failed step {:?} changed state", step);
            }
        }
    }
}

/// The random steps reach the interesting states (a guard against a generator that only
/// produces failing calls).
#[test]
fn random_steps_reach_every_range_state() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config as RunnerConfig, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let mut seen: BTreeMap<u8, usize> = BTreeMap::new();
    let mut bill_states: BTreeMap<u8, usize> = BTreeMap::new();
    for _ in 0..300 {
        let steps = proptest::collection::vec(step(), 60..80)
            .new_tree(&mut runner)
            .expect("strategy")
            .current();
        let mut ext = genesis();
        ext.execute_with(|| {
            set_now(START);
            for step in &steps {
                run(step);
                let now = view();
                for range in now.ranges.values() {
                    *seen.entry(range.state.encode()[0]).or_default() += 1;
                }
                for bill in now.bills.values() {
                    *bill_states.entry(bill.state.encode()[0]).or_default() += 1;
                }
            }
        });
    }
    // All 13 range states and all 6 bill states.
    assert_eq!(
        seen.len(),
        13,
        "range states reached by random steps: {seen:?}"
    );
    assert_eq!(bill_states.len(), 6, "bill states reached: {bill_states:?}");
}
