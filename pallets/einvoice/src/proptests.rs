//! Random call sequences keep every invariant after every step, and failed calls change
//! nothing.
//!
//! Besides [`invariants::check_invariants`], each step is compared with the state before it:
//! an invoice's content never changes and its id never goes away, a Reversed invoice stays
//! Reversed with the same amounts, and a Reimbursed lock stays exactly as it was.

use crate::mock::*;
use crate::*;
use alloc::collections::BTreeMap;
use folio_primitives::externalities::TestExternalities;
use folio_primitives::hash::H256;
use proptest::prelude::*;

/// Who makes a call: a role resolved against the invoice at run time, or an account.
#[derive(Clone, Debug)]
enum Who {
    Seller,
    Buyer,
    Financier,
    Account(u8),
}

/// An amount resolved at run time against what is owed.
#[derive(Clone, Copy, Debug)]
enum Amount {
    Fixed(Balance),
    Outstanding,
    HalfOutstanding,
}

#[derive(Clone, Debug)]
enum Act {
    Issue {
        seller: u8,
        buyer: u8,
        lines: Vec<(u64, Balance, bool, u32)>,
        corrupt: u8,
    },
    Prepare {
        seller: u8,
        buyer: u8,
        price: Balance,
    },
    PayAndIssue(DraftId),
    CancelDraft(DraftId),
    Acknowledge(InvoiceId),
    Dispute(InvoiceId),
    Pay(InvoiceId, Amount),
    Credit(InvoiceId, Amount),
    CreditLines(InvoiceId),
    Confirm(InvoiceId),
    Withdraw(InvoiceId),
    Authorise(u8),
    Revoke(u8),
    Lock(InvoiceId, u8),
    Unlock(InvoiceId),
    Reimburse(InvoiceId, Amount),
    Offer(InvoiceId, Amount),
    Accept(InvoiceId),
    Release(InvoiceId),
    Enforce(InvoiceId),
    SetQuota(u8, bool, Balance),
    ClosePeriod(u8),
    FileDeclaration(u8),
    ClaimInputTax(InvoiceId),
    Void(InvoiceId),
    Advance(Moment),
}

#[derive(Clone, Debug)]
struct Step(Who, Act);

const IDS: u64 = 6;

/// Mostly the first invoices, so calls pile up on the same ones and reach deep states.
fn id() -> impl Strategy<Value = InvoiceId> {
    prop_oneof![3 => 0..2u64, 1 => 0..IDS]
}

fn party() -> impl Strategy<Value = u8> {
    1..=STRANGER
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        3 => Just(Who::Seller),
        3 => Just(Who::Buyer),
        1 => Just(Who::Financier),
        2 => party().prop_map(Who::Account),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (0..3_000u128).prop_map(Amount::Fixed),
        Just(Amount::Outstanding),
        Just(Amount::HalfOutstanding),
    ]
}

fn lines() -> impl Strategy<Value = Vec<(u64, Balance, bool, u32)>> {
    proptest::collection::vec(
        (
            prop_oneof![Just(1_000u64), Just(1_500), Just(333), Just(2_000)],
            1..5_000u128,
            any::<bool>(),
            prop_oneof![Just(700u32), Just(1_900), Just(2_000)],
        ),
        1..4,
    )
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        6 => (prop_oneof![Just(SELLER), Just(SELLER2), Just(STRANGER)],
              prop_oneof![Just(BUYER), Just(BUYER2), Just(SELLER)],
              lines(), 0..12u8)
            .prop_map(|(seller, buyer, lines, corrupt)| Act::Issue { seller, buyer, lines, corrupt }),
        1 => (prop_oneof![Just(SELLER), Just(SELLER2)], prop_oneof![Just(BUYER), Just(BUYER2)], 1..5_000u128)
            .prop_map(|(seller, buyer, price)| Act::Prepare { seller, buyer, price }),
        1 => (0..3u64).prop_map(Act::PayAndIssue),
        1 => (0..3u64).prop_map(Act::CancelDraft),
        2 => id().prop_map(Act::Acknowledge),
        1 => id().prop_map(Act::Dispute),
        6 => (id(), amount()).prop_map(|(id, a)| Act::Pay(id, a)),
        3 => (id(), amount()).prop_map(|(id, a)| Act::Credit(id, a)),
        1 => id().prop_map(Act::CreditLines),
        3 => id().prop_map(Act::Confirm),
        1 => id().prop_map(Act::Withdraw),
        1 => prop_oneof![Just(AGENT), Just(EMPLOYEE)].prop_map(Act::Authorise),
        1 => prop_oneof![Just(AGENT), Just(EMPLOYEE)].prop_map(Act::Revoke),
        3 => (id(), prop_oneof![Just(EMPLOYEE), Just(AGENT), Just(BUYER)]).prop_map(|(id, c)| Act::Lock(id, c)),
        1 => id().prop_map(Act::Unlock),
        3 => (id(), amount()).prop_map(|(id, a)| Act::Reimburse(id, a)),
        3 => (id(), amount()).prop_map(|(id, a)| Act::Offer(id, a)),
        3 => id().prop_map(Act::Accept),
        1 => id().prop_map(Act::Release),
        2 => id().prop_map(Act::Enforce),
        1 => (prop_oneof![Just(SELLER), Just(SELLER2)], any::<bool>(), 0..60_000u128)
            .prop_map(|(s, p, q)| Act::SetQuota(s, p, q)),
        1 => prop_oneof![Just(SELLER), Just(SELLER2)].prop_map(Act::ClosePeriod),
        1 => prop_oneof![Just(SELLER), Just(SELLER2)].prop_map(Act::FileDeclaration),
        2 => id().prop_map(Act::ClaimInputTax),
        2 => id().prop_map(Act::Void),
        2 => prop_oneof![Just(DAY_MS), Just(20 * DAY_MS), Just(PERIOD), Just(31 * DAY_MS)].prop_map(Act::Advance),
    ]
}

/// Lien calls, mostly by the financier and the seller, so liens get accepted and enforced.
fn lien_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (id(), amount()).prop_map(|(id, a)| Step(Who::Financier, Act::Offer(id, a))),
        id().prop_map(|id| Step(Who::Seller, Act::Accept(id))),
        id().prop_map(|id| Step(Who::Financier, Act::Enforce(id))),
    ]
}

/// Reimbursement calls by the buyer, so invoices get locked, reimbursed and tried again.
fn reimbursement_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        id().prop_map(|id| Step(Who::Buyer, Act::Lock(id, EMPLOYEE))),
        (id(), amount()).prop_map(|(id, a)| Step(Who::Buyer, Act::Reimburse(id, a))),
        id().prop_map(|id| Step(Who::Buyer, Act::Unlock(id))),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (who(), act()).prop_map(|(w, a)| Step(w, a)),
        1 => lien_step(),
        2 => reimbursement_step(),
    ]
}

fn body_with(buyer: u8, spec: &[(u64, Balance, bool, u32)], corrupt: u8) -> InvoiceBody {
    let lines = spec
        .iter()
        .map(|&(q, p, standard, rate)| {
            if standard {
                line(q, p, TaxCategory::Standard, rate)
            } else {
                line(q, p, TaxCategory::Exempt, 0)
            }
        })
        .collect();
    let mut body = body_of(buyer, lines);
    match corrupt {
        // Flip the lowest bit: always a different value, never an overflow (a zero total
        // made `-= 1` underflow in the generator).
        0 => body.lines[0].net ^= 1,
        1 => body.breakdown[0].tax ^= 1,
        2 => body.totals.gross_total ^= 1,
        _ => {}
    }
    body
}

fn resolve_who(who: &Who, id: Option<InvoiceId>) -> AccountId {
    let invoice = id.and_then(|id| Invoices::get(&id));
    match (who, invoice) {
        (Who::Seller, Some(invoice)) => invoice.seller,
        (Who::Buyer, Some(invoice)) => invoice.body.buyer,
        (Who::Financier, Some(_)) => id
            .and_then(|id| InvoiceStates::get(&id))
            .and_then(|s| s.lien)
            .map_or(account(BANK), |lien| lien.financier),
        (Who::Seller, None) => account(SELLER),
        (Who::Buyer, None) => account(BUYER),
        (Who::Financier, None) => account(BANK),
        (Who::Account(n), _) => account(*n),
    }
}

fn resolve_amount(amount: Amount, id: InvoiceId) -> Balance {
    let owed = Invoices::get(&id)
        .zip(InvoiceStates::get(&id))
        .and_then(|(invoice, state)| state.outstanding(invoice.gross()))
        .unwrap_or(0);
    match amount {
        Amount::Fixed(n) => n,
        Amount::Outstanding => owed,
        Amount::HalfOutstanding => owed / 2,
    }
}

/// The net of a credit of `gross` at 19 %, about.
fn credit_net(amount: Amount, id: InvoiceId) -> Balance {
    resolve_amount(amount, id) * 10_000 / 11_900
}

/// Runs a step in its own storage transaction, as the executive does; returns whether it
/// succeeded.
fn run(step: &Step) -> bool {
    let Step(who, act) = step;
    let signed_for = |id: Option<InvoiceId>| Origin::Signed(resolve_who(who, id));
    let (origin, call) = match act.clone() {
        Act::Issue {
            seller,
            buyer,
            lines,
            corrupt,
        } => (
            Origin::Signed(account(seller)),
            Call::issue_invoice {
                series: SERIES,
                body: body_with(buyer, &lines, corrupt),
            },
        ),
        Act::Prepare {
            seller,
            buyer,
            price,
        } => (
            Origin::Signed(account(seller)),
            Call::prepare_invoice {
                series: SERIES,
                body: body_with(buyer, &[(1_000, price, true, 1_900)], 99),
            },
        ),
        Act::PayAndIssue(draft) => {
            let buyer = Drafts::get(&draft).map_or(account(BUYER), |d| d.body.buyer);
            let origin = match who {
                Who::Account(n) => Origin::Signed(account(*n)),
                _ => Origin::Signed(buyer),
            };
            (origin, Call::pay_and_issue { draft })
        }
        Act::CancelDraft(draft) => {
            let seller = Drafts::get(&draft).map_or(account(SELLER), |d| d.seller);
            (Origin::Signed(seller), Call::cancel_draft { draft })
        }
        Act::Acknowledge(id) => (signed_for(Some(id)), Call::acknowledge { id }),
        Act::Dispute(id) => (signed_for(Some(id)), Call::dispute { id, reason: 2 }),
        Act::Pay(id, a) => (
            signed_for(Some(id)),
            Call::pay_invoice {
                id,
                amount: resolve_amount(a, id),
            },
        ),
        Act::Credit(id, a) => (
            signed_for(Some(id)),
            Call::request_credit {
                id,
                content: CreditContent::Amount {
                    net: credit_net(a, id),
                    category: TaxCategory::Standard,
                    rate: 1_900,
                    classification: [1; 8],
                },
                reason: 4,
                content_hash: H256([7; 32]),
            },
        ),
        Act::CreditLines(id) => {
            // Credit the invoice's first line, as returned goods.
            let content = Invoices::get(&id).map_or(
                CreditContent::Lines {
                    lines: vec![],
                    breakdown: vec![],
                    totals: Totals::default(),
                },
                |invoice| {
                    let lines = invoice
                        .body
                        .lines
                        .iter()
                        .take(1)
                        .cloned()
                        .collect::<Vec<_>>();
                    let (breakdown, totals) = arithmetic::compute(&lines).unwrap_or_default();
                    CreditContent::Lines {
                        lines,
                        breakdown,
                        totals,
                    }
                },
            );
            (
                signed_for(Some(id)),
                Call::request_credit {
                    id,
                    content,
                    reason: 5,
                    content_hash: H256([8; 32]),
                },
            )
        }
        Act::Confirm(id) => (signed_for(Some(id)), Call::confirm_credit { id }),
        Act::Withdraw(id) => (signed_for(Some(id)), Call::withdraw_credit_request { id }),
        Act::Authorise(agent) => (
            signed_for(None),
            Call::authorise_reimburser {
                agent: account(agent),
            },
        ),
        Act::Revoke(agent) => (
            signed_for(None),
            Call::revoke_reimburser {
                agent: account(agent),
            },
        ),
        Act::Lock(id, claimant) => (
            signed_for(Some(id)),
            Call::lock_for_reimbursement {
                id,
                claimant: account(claimant),
            },
        ),
        Act::Unlock(id) => (signed_for(Some(id)), Call::unlock { id }),
        Act::Reimburse(id, a) => {
            let net = Pallet::<Test>::invoice_net(id).unwrap_or(0);
            let amount = match a {
                Amount::Fixed(n) => n,
                Amount::Outstanding => net,
                Amount::HalfOutstanding => net / 2,
            };
            (signed_for(Some(id)), Call::reimburse { id, amount })
        }
        Act::Offer(id, a) => {
            let origin = match who {
                Who::Account(n) => Origin::Signed(account(*n)),
                _ => Origin::Signed(account(BANK)),
            };
            (
                origin,
                Call::offer_financing {
                    id,
                    advance: resolve_amount(a, id),
                },
            )
        }
        Act::Accept(id) => (
            signed_for(Some(id)),
            Call::accept_financing {
                id,
                financier: account(BANK),
            },
        ),
        Act::Release(id) => (signed_for(Some(id)), Call::release_lien { id }),
        Act::Enforce(id) => (signed_for(Some(id)), Call::enforce_lien { id }),
        Act::SetQuota(seller, this_period, quota) => (
            Origin::Root,
            Call::set_quota {
                issuer: account(seller),
                period: this_period.then(Pallet::<Test>::current_period),
                quota,
            },
        ),
        Act::ClosePeriod(seller) => (
            Origin::Root,
            Call::close_period {
                issuer: account(seller),
                period: Pallet::<Test>::current_period().saturating_sub(1),
                declaration_hash: H256([3; 32]),
            },
        ),
        Act::FileDeclaration(seller) => (
            Origin::Signed(account(seller)),
            Call::file_declaration {
                period: Pallet::<Test>::current_period().saturating_sub(1),
                declaration_hash: H256([3; 32]),
            },
        ),
        Act::ClaimInputTax(id) => (signed_for(Some(id)), Call::claim_input_tax { id }),
        Act::Void(id) => {
            let seller = Invoices::get(&id).map_or(account(SELLER), |invoice| invoice.seller);
            let origin = match who {
                Who::Account(n) => Origin::Signed(account(*n)),
                _ => Origin::Signed(seller),
            };
            (origin, Call::void_invoice { id, reason: 3 })
        }
        Act::Advance(ms) => {
            set_time(now() + ms);
            return true;
        }
    };
    folio_pallet_support::transactional::with_transaction(|| {
        call.dispatch::<Test>(origin)
            .map(|_| ())
            .map_err(|e| e.error)
    })
    .is_ok()
}

/// What must never change once reached.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fixed {
    invoice: Invoice,
    /// Status and amounts of a Reversed or Voided invoice.
    reversed: Option<(InvoiceStatus, Balance, Balance)>,
    reimbursed: Option<Reimbursement>,
}

fn fixed() -> BTreeMap<InvoiceId, Fixed> {
    Invoices::iter()
        .map(|(id, invoice)| {
            let state = InvoiceStates::get(&id).unwrap();
            let reversed =
                state
                    .status
                    .is_terminal()
                    .then_some((state.status, state.paid, state.credited));
            let reimbursed = matches!(state.reimbursement, Reimbursement::Reimbursed { .. })
                .then_some(state.reimbursement);
            (
                id,
                Fixed {
                    invoice,
                    reversed,
                    reimbursed,
                },
            )
        })
        .collect()
}

/// The declared periods of both sellers (the mock's clock stays within the first periods).
fn declared() -> BTreeMap<(u8, PeriodIndex), (PeriodRecord, PeriodTax)> {
    let mut declared = BTreeMap::new();
    for seller in [SELLER, SELLER2] {
        for (period, record) in Periods::iter_prefix(&account(seller)) {
            if record.declaration.is_some() {
                let tax = PeriodTaxes::get(&account(seller), &period);
                declared.insert((seller, period), (record, tax));
            }
        }
    }
    declared
}

/// A declared period never changes (a confirmation only stamps its declaration).
fn check_declared(
    before: &BTreeMap<(u8, PeriodIndex), (PeriodRecord, PeriodTax)>,
) -> Result<(), String> {
    let after = declared();
    for (key, (record, tax)) in before {
        let Some((now, now_tax)) = after.get(key) else {
            return Err(format!("declared period {key:?} lost its declaration"));
        };
        let unstamped = |r: &PeriodRecord| {
            let mut r = *r;
            if let Some(d) = r.declaration.as_mut() {
                d.confirmed_at = None;
            }
            r
        };
        if unstamped(now) != unstamped(record) || now_tax != tax {
            return Err(format!("declared period {key:?} changed: {now:?}"));
        }
    }
    Ok(())
}

/// Content unchanged and ids kept; Reversed, Voided and Reimbursed terminal.
fn check_step(before: &BTreeMap<InvoiceId, Fixed>) -> Result<(), String> {
    for (id, was) in before {
        let Some(invoice) = Invoices::get(id) else {
            return Err(format!("invoice {id} disappeared"));
        };
        if invoice != was.invoice {
            return Err(format!("content of invoice {id} changed"));
        }
        let state = InvoiceStates::get(id).unwrap();
        if let Some((status, paid, credited)) = was.reversed {
            if state.status != status || state.paid != paid || state.credited != credited {
                return Err(format!("reversed invoice {id} changed: {state:?}"));
            }
        }
        if let Some(reimbursed) = was.reimbursed {
            if state.reimbursement != reimbursed {
                return Err(format!("reimbursed invoice {id} changed: {state:?}"));
            }
        }
    }
    Ok(())
}

fn genesis() -> TestExternalities {
    new_test_ext().into_externalities()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every invariant of DOMAIN.md after every step of any sequence: numbers unique and
    /// never reused, content unchanged, arithmetic, paid ≤ net, Σ credits ≤ total, one lock
    /// and one lien, Reimbursed, Reversed and Voided terminal, issued − credited ≤ quota,
    /// VAT totals per rate, period taxes and input claims equal to what the documents say,
    /// declared periods frozen (and the currency's own invariants, since money moves).
    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ext = genesis();
        ext.execute_with(|| {
            for step in steps {
                let description = format!("{step:?}");
                let before = fixed();
                let declared_before = declared();
                run(&step);
                if let Err(message) = check_declared(&declared_before) {
                    return Err(TestCaseError::fail(format!("{message} after {description}")));
                }
                if let Err(violation) = invariants::check_invariants::<Test>() {
                    return Err(TestCaseError::fail(format!("{violation:?} after {description}")));
                }
                if let Err(violation) = folio_pallet_currency::invariants::check_invariants::<Test>() {
                    return Err(TestCaseError::fail(format!("{violation:?} after {description}")));
                }
                if let Err(message) = check_step(&before) {
                    return Err(TestCaseError::fail(format!("{message} after {description}")));
                }
            }
            Ok(())
        })?;
    }

    /// A failed step leaves the state exactly as it was.
    #[test]
    fn failed_steps_change_nothing(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ext = genesis();
        for step in steps {
            ext.commit_all();
            let before = ext.snapshot();
            let succeeded = ext.execute_with(|| {
                folio_pallet_support::events::reset_events();
                run(&step)
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

/// The random sequences do reach the deep states (a guard against a generator that only
/// produces failures).
#[test]
fn random_sequences_reach_every_status() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    let mut reimbursed = false;
    let mut enforced = false;
    for _ in 0..500 {
        let steps = proptest::collection::vec(step(), 80)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let mut ext = genesis();
        ext.execute_with(|| {
            for step in &steps {
                run(step);
                for (_, state) in InvoiceStates::iter() {
                    seen.insert(format!("{:?}", state.status));
                    reimbursed |= matches!(state.reimbursement, Reimbursement::Reimbursed { .. });
                    enforced |= state.lien.is_some_and(|l| l.state == LienState::Enforced);
                }
            }
        });
    }
    for status in [
        "Issued",
        "Acknowledged",
        "Disputed",
        "PartiallyPaid",
        "Paid",
        "Settled",
        "Reversed",
        "Voided",
    ] {
        assert!(seen.contains(status), "never reached {status}: {seen:?}");
    }
    assert!(reimbursed, "never reimbursed");
    assert!(enforced, "never enforced a lien");
}

fn dispatch_ok(call: Call, who: u8) -> bool {
    folio_pallet_support::transactional::with_transaction(|| {
        call.dispatch::<Test>(Origin::Signed(account(who)))
            .map(|_| ())
            .map_err(|e| e.error)
    })
    .is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Tax stays exact: any sequence of partial credits, in any (category, rate), never
    /// reverses more taxable amount or tax per (category, rate) than the invoice charged,
    /// the tax reversed is always the tax of the taxable amount reversed, and crediting what
    /// is left reverses the invoice exactly (no pure-VAT remainder).
    #[test]
    fn credits_never_reverse_more_than_was_charged_per_rate(
        spec in lines(),
        credits in proptest::collection::vec((0..4usize, 1..3_000u128), 1..12),
    ) {
        let mut ext = genesis();
        ext.execute_with(|| {
            let id = NextInvoiceId::get();
            let body = body_with(BUYER, &spec, 99);
            let issue = Call::issue_invoice { series: SERIES, body };
            prop_assert!(dispatch_ok(issue, SELLER), "issued");
            let invoice = Invoices::get(&id).unwrap();
            let charged = invoice.body.breakdown.clone();
            for (pick, net) in credits {
                let Some(at) = charged.get(pick % charged.len()) else { continue };
                let content = CreditContent::Amount {
                    net,
                    category: at.category,
                    rate: at.rate,
                    classification: [1; 8],
                };
                let call = Call::request_credit { id, content, reason: 1, content_hash: H256([2; 32]) };
                dispatch_ok(call, SELLER);
                for own in &charged {
                    let credited = CreditedByRate::get(&id, &(own.category, own.rate)).unwrap_or_default();
                    prop_assert!(credited.taxable <= own.taxable && credited.tax <= own.tax);
                    prop_assert_eq!(Ok(credited.tax), arithmetic::category_tax(credited.taxable, own.rate));
                }
                prop_assert_eq!(invariants::check_invariants::<Test>(), Ok(()));
            }
            // Credit the rest of every (category, rate): the invoice is reversed exactly.
            for own in &charged {
                let credited = CreditedByRate::get(&id, &(own.category, own.rate)).unwrap_or_default();
                let rest = own.taxable - credited.taxable;
                if rest == 0 {
                    continue;
                }
                let content = CreditContent::Amount {
                    net: rest,
                    category: own.category,
                    rate: own.rate,
                    classification: [1; 8],
                };
                let call = Call::request_credit { id, content, reason: 1, content_hash: H256([2; 32]) };
                prop_assert!(dispatch_ok(call, SELLER), "the rest at {:?} is creditable", own);
            }
            let state = InvoiceStates::get(&id).unwrap();
            prop_assert_eq!(state.credited, invoice.gross());
            prop_assert_eq!(state.status, InvoiceStatus::Reversed);
            Ok(())
        })?;
    }

    /// The lien split: whatever the payments and whenever the lien is enforced, the
    /// financier receives exactly min(advance, Σ paid after acceptance) and the seller the
    /// rest of every payment.
    #[test]
    fn a_lien_collects_at_most_the_unrepaid_advance(
        advance in 1..11_900u128,
        payments in proptest::collection::vec(1..4_000u128, 1..10),
        enforce_after in 0..10usize,
    ) {
        let mut ext = genesis();
        ext.execute_with(|| {
            let id = NextInvoiceId::get();
            let issue = Call::issue_invoice { series: SERIES, body: standard_body(BUYER) };
            prop_assert!(dispatch_ok(issue, SELLER), "issued");
            prop_assert!(dispatch_ok(Call::offer_financing { id, advance }, BANK), "offered");
            let accept = Call::accept_financing { id, financier: account(BANK) };
            prop_assert!(dispatch_ok(accept, SELLER), "accepted");
            let (bank, seller) = (free_of(BANK), free_of(SELLER));
            let mut paid: Balance = 0;
            for (i, amount) in payments.into_iter().enumerate() {
                if i == enforce_after {
                    set_time(now() + 31 * DAY_MS);
                    dispatch_ok(Call::enforce_lien { id }, BANK);
                }
                if dispatch_ok(Call::pay_invoice { id, amount }, BUYER) {
                    paid += amount;
                }
                let to_bank = free_of(BANK) - bank;
                prop_assert_eq!(to_bank, paid.min(advance));
                prop_assert_eq!(free_of(SELLER) - seller, paid - to_bank);
                prop_assert_eq!(invariants::check_invariants::<Test>(), Ok(()));
            }
            Ok(())
        })?;
    }
}

fn free_of(who: u8) -> Balance {
    use folio_pallet_support::currency::Currency as _;
    folio_pallet_currency::Pallet::<Test>::free_balance(&account(who))
}
