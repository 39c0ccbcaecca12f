use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::Currency as _;
use folio_primitives::hash::H256;

type Balances = folio_pallet_currency::Pallet<Test>;
type Invoicing = Pallet<Test>;

fn dispatch(call: Call, origin: Origin) -> DispatchResult {
    call.dispatch::<Test>(origin)
        .map(|_| ())
        .map_err(|e| e.error)
}

fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

fn err(e: Error) -> DispatchResult {
    Err(module_error(INDEX, &e))
}

fn free(who: u8) -> Balance {
    Balances::free_balance(&account(who))
}

fn state(id: InvoiceId) -> InvoiceState {
    InvoiceStates::get(&id).unwrap()
}

/// Issues `body` from `seller` and returns the new id.
fn issue_from(seller: u8, body: InvoiceBody) -> InvoiceId {
    let id = NextInvoiceId::get();
    assert_eq!(
        dispatch(
            Call::issue_invoice {
                series: SERIES,
                body
            },
            signed(seller)
        ),
        Ok(())
    );
    id
}

/// The standard invoice (gross 11 900) from SELLER to BUYER.
fn issue() -> InvoiceId {
    issue_from(SELLER, standard_body(BUYER))
}

fn pay(who: u8, id: InvoiceId, amount: Balance) -> DispatchResult {
    dispatch(Call::pay_invoice { id, amount }, signed(who))
}

fn credit_amount(net: Balance) -> CreditContent {
    CreditContent::Amount {
        net,
        category: TaxCategory::Standard,
        rate: 1_900,
        classification: *b"CN010101",
    }
}

fn request_credit(who: u8, id: InvoiceId, content: CreditContent) -> DispatchResult {
    dispatch(
        Call::request_credit {
            id,
            content,
            reason: 1,
            content_hash: H256([0xcc; 32]),
        },
        signed(who),
    )
}

fn lock(who: u8, id: InvoiceId, claimant: u8) -> DispatchResult {
    dispatch(
        Call::lock_for_reimbursement {
            id,
            claimant: account(claimant),
        },
        signed(who),
    )
}

fn offer(id: InvoiceId, advance: Balance) -> DispatchResult {
    dispatch(Call::offer_financing { id, advance }, signed(BANK))
}

fn accept(id: InvoiceId) -> DispatchResult {
    dispatch(
        Call::accept_financing {
            id,
            financier: account(BANK),
        },
        signed(SELLER),
    )
}

// ---- register_issuer ----

#[test]
fn register_issuer_records_the_issuer_and_its_tax_id() {
    new_test_ext().execute(|| {
        let call = Call::register_issuer {
            issuer: account(STRANGER),
            tax_id: tax_id(STRANGER),
            name_hash: H256([1; 32]),
            series: vec![SERIES],
            default_quota: 500,
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        assert_eq!(Issuers::get(&account(STRANGER)).unwrap().default_quota, 500);
        assert_eq!(
            IssuerByTaxId::get(&tax_id(STRANGER)),
            Some(account(STRANGER))
        );
        assert_eq!(
            invoice_events(),
            vec![Event::IssuerRegistered {
                issuer: account(STRANGER),
                tax_id: tax_id(STRANGER)
            }]
        );
    });
}

#[test]
fn register_issuer_needs_root_a_free_tax_id_and_valid_series() {
    new_test_ext().execute(|| {
        let call = |tax: u8, series: Vec<SeriesCode>| Call::register_issuer {
            issuer: account(STRANGER),
            tax_id: tax_id(tax),
            name_hash: H256([1; 32]),
            series,
            default_quota: 500,
        };
        assert_eq!(
            dispatch(call(STRANGER, vec![SERIES]), signed(STRANGER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(call(SELLER, vec![SERIES]), Origin::Root),
            err(Error::TaxIdTaken)
        );
        assert_eq!(
            dispatch(call(STRANGER, vec![]), Origin::Root),
            err(Error::InvalidSeries)
        );
        assert_eq!(
            dispatch(call(STRANGER, vec![SERIES, SERIES]), Origin::Root),
            err(Error::InvalidSeries)
        );
        assert_eq!(
            dispatch(
                call(STRANGER, vec![*b"0001", *b"0002", *b"0003", *b"0004"]),
                Origin::Root
            ),
            err(Error::InvalidSeries)
        );
        let again = Call::register_issuer {
            issuer: account(SELLER),
            tax_id: tax_id(STRANGER),
            name_hash: H256([1; 32]),
            series: vec![SERIES],
            default_quota: 500,
        };
        assert_eq!(
            dispatch(again, Origin::Root),
            err(Error::IssuerAlreadyRegistered)
        );
        assert!(invoice_events().is_empty());
    });
}

// ---- set_quota ----

#[test]
fn set_quota_sets_a_period_or_the_default() {
    new_test_ext().execute(|| {
        let period = Invoicing::current_period();
        let call = Call::set_quota {
            issuer: account(SELLER),
            period: Some(period),
            quota: 20_000,
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        assert_eq!(
            Periods::get(&account(SELLER), &period).unwrap().quota,
            20_000
        );
        let call = Call::set_quota {
            issuer: account(SELLER),
            period: None,
            quota: 7,
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        assert_eq!(Issuers::get(&account(SELLER)).unwrap().default_quota, 7);
        // The current period keeps its own quota.
        issue();
        assert!(invoice_events().contains(&Event::QuotaSet {
            issuer: account(SELLER),
            period: None,
            quota: 7
        }));
    });
}

#[test]
fn set_quota_cannot_go_below_what_the_period_used() {
    new_test_ext().execute(|| {
        issue();
        let period = Invoicing::current_period();
        let call = |quota| Call::set_quota {
            issuer: account(SELLER),
            period: Some(period),
            quota,
        };
        assert_eq!(
            dispatch(call(STANDARD_GROSS - 1), Origin::Root),
            err(Error::QuotaBelowUsage)
        );
        assert_eq!(
            dispatch(call(STANDARD_GROSS), signed(SELLER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(dispatch(call(STANDARD_GROSS), Origin::Root), Ok(()));
        let unknown = Call::set_quota {
            issuer: account(STRANGER),
            period: None,
            quota: 1,
        };
        assert_eq!(dispatch(unknown, Origin::Root), err(Error::NotAnIssuer));
    });
}

// ---- file_declaration and close_period ----

fn file(who: u8, period: PeriodIndex, hash: u8) -> DispatchResult {
    dispatch(
        Call::file_declaration {
            period,
            declaration_hash: H256([hash; 32]),
        },
        signed(who),
    )
}

fn confirm(origin: Origin, period: PeriodIndex, hash: u8) -> DispatchResult {
    dispatch(
        Call::close_period {
            issuer: account(SELLER),
            period,
            declaration_hash: H256([hash; 32]),
        },
        origin,
    )
}

#[test]
fn an_issuer_files_the_declaration_of_an_ended_period_and_the_authority_confirms_it() {
    new_test_ext().execute(|| {
        issue();
        let period = Invoicing::current_period();
        assert_eq!(confirm(Origin::Root, period, 9), err(Error::NotFiled));
        set_time(now() + PERIOD);
        assert_eq!(file(SELLER, period, 9), Ok(()));
        let declaration = api::period_totals(account(SELLER), period)
            .unwrap()
            .declaration
            .unwrap();
        assert_eq!(declaration.issued, STANDARD_GROSS);
        assert_eq!(declaration.tax.output_tax, 1_900);
        assert_eq!(declaration.confirmed_at, None);
        assert!(invoice_events().contains(&Event::DeclarationFiled {
            issuer: account(SELLER),
            period,
            declaration_hash: H256([9; 32]),
            tax: declaration.tax,
        }));
        assert_eq!(file(SELLER, period, 9), err(Error::AlreadyFiled));
        // The authority confirms the document that was filed, and only once.
        assert_eq!(
            confirm(signed(SELLER), period, 9),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(confirm(Origin::Root, period, 8), err(Error::NotFiled));
        assert_eq!(confirm(Origin::Root, period, 9), Ok(()));
        let record = api::period_totals(account(SELLER), period).unwrap();
        assert_eq!(record.declaration.unwrap().confirmed_at, Some(now()));
        assert_eq!(confirm(Origin::Root, period, 9), err(Error::PeriodClosed));
        let quota = Call::set_quota {
            issuer: account(SELLER),
            period: Some(period),
            quota: 1,
        };
        assert_eq!(dispatch(quota, Origin::Root), err(Error::PeriodClosed));
    });
}

#[test]
fn a_declaration_needs_an_ended_period_and_a_registered_issuer() {
    new_test_ext().execute(|| {
        let period = Invoicing::current_period();
        assert_eq!(file(SELLER, period, 9), err(Error::PeriodNotOver));
        assert_eq!(file(STRANGER, period - 1, 9), err(Error::NotAnIssuer));
        // An ended period without invoices is declared as zero.
        assert_eq!(file(SELLER, period - 1, 9), Ok(()));
        let declaration = Periods::get(&account(SELLER), &(period - 1))
            .unwrap()
            .declaration
            .unwrap();
        assert_eq!(
            (declaration.issued, declaration.tax),
            (0, PeriodTax::default())
        );
    });
}

#[test]
fn credits_after_filing_count_in_the_open_period_and_leave_the_declared_one_alone() {
    new_test_ext().execute(|| {
        let id = issue();
        let declared = Invoicing::current_period();
        set_time(now() + PERIOD);
        let open = Invoicing::current_period();
        assert_eq!(file(SELLER, declared, 9), Ok(()));
        let before = Periods::get(&account(SELLER), &declared).unwrap();
        let vat_before = IssuerVat::get(
            &(account(SELLER), declared),
            &(TaxCategory::Standard, 1_900),
        );
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(Periods::get(&account(SELLER), &declared).unwrap(), before);
        assert_eq!(
            IssuerVat::get(
                &(account(SELLER), declared),
                &(TaxCategory::Standard, 1_900)
            ),
            vat_before
        );
        assert_eq!(
            Periods::get(&account(SELLER), &open).unwrap().credited,
            1_190
        );
        let open_vat =
            IssuerVat::get(&(account(SELLER), open), &(TaxCategory::Standard, 1_900)).unwrap();
        assert_eq!(
            (open_vat.credited_taxable, open_vat.credited_tax),
            (1_000, 190)
        );
        assert_eq!(
            PeriodTaxes::get(&account(SELLER), &open).output_tax_credited,
            190
        );
    });
}

// ---- VAT per (category, rate) and period ----

/// 1970-03-01T00:00:00Z: the first millisecond of period 2 (the mock starts on 15 February).
const MARCH_1970: Moment = 59 * DAY_MS;

#[test]
fn tax_periods_are_calendar_months() {
    new_test_ext().execute(|| {
        assert_eq!(Invoicing::current_period(), 1, "15 February 1970");
        set_time(MARCH_1970 - 1);
        let february = issue();
        set_time(MARCH_1970);
        let march = issue();
        assert_eq!(Invoices::get(&february).unwrap().period, 1);
        assert_eq!(Invoices::get(&march).unwrap().period, 2);
        // 31 days of March, then April.
        set_time(MARCH_1970 + 31 * DAY_MS - 1);
        assert_eq!(Invoicing::current_period(), 2);
        set_time(MARCH_1970 + 31 * DAY_MS);
        assert_eq!(Invoicing::current_period(), 3);
    });
}

#[test]
fn vat_is_totalled_per_rate_period_issuer_and_buyer() {
    new_test_ext().execute(|| {
        let mixed = |buyer| {
            body_of(
                buyer,
                vec![
                    line(1_000, 100, TaxCategory::Standard, 1_900),
                    line(2_000, 100, TaxCategory::Standard, 700),
                    line(1_000, 500, TaxCategory::ZeroRated, 0),
                ],
            )
        };
        let first = issue_from(SELLER, mixed(BUYER));
        issue_from(SELLER, mixed(BUYER2));
        issue_from(SELLER2, mixed(BUYER));
        let period = Invoicing::current_period();
        let seller = |key| IssuerVat::get(&(account(SELLER), period), &key).unwrap();
        let buyer = |key| BuyerVat::get(&(account(BUYER), period), &key).unwrap();
        let standard = (TaxCategory::Standard, 1_900);
        let reduced = (TaxCategory::Standard, 700);
        let zero = (TaxCategory::ZeroRated, 0);
        assert_eq!((seller(standard).taxable, seller(standard).tax), (200, 38));
        assert_eq!((seller(reduced).taxable, seller(reduced).tax), (400, 28));
        assert_eq!((seller(zero).taxable, seller(zero).tax), (1_000, 0));
        // BUYER received one invoice from each seller.
        assert_eq!((buyer(standard).taxable, buyer(standard).tax), (200, 38));
        assert_eq!(
            BuyerVat::get(&(account(BUYER2), period), &standard)
                .unwrap()
                .tax,
            19
        );
        assert_eq!(PeriodTaxes::get(&account(SELLER), &period).output_tax, 66);
        assert_eq!(PeriodTaxes::get(&account(SELLER2), &period).output_tax, 33);
        // A credit note in the next month counts there, for the issuer and the buyer.
        set_time(now() + PERIOD);
        let next = Invoicing::current_period();
        assert_eq!(request_credit(SELLER, first, credit_amount(100)), Ok(()));
        let credited = IssuerVat::get(&(account(SELLER), next), &standard).unwrap();
        assert_eq!(
            (
                credited.taxable,
                credited.credited_taxable,
                credited.credited_tax
            ),
            (0, 100, 19)
        );
        let received = BuyerVat::get(&(account(BUYER), next), &standard).unwrap();
        assert_eq!(
            (received.credited_taxable, received.credited_tax),
            (100, 19)
        );
        assert_eq!(seller(standard).credited_tax, 0);
    });
}

// ---- claim_input_tax ----

fn claim(who: u8, id: InvoiceId) -> DispatchResult {
    dispatch(Call::claim_input_tax { id }, signed(who))
}

#[test]
fn input_tax_is_deducted_once_net_of_credits_and_later_credits_are_reversed() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(
            claim(BUYER, id),
            err(Error::NothingToClaim),
            "not accepted yet"
        );
        assert_eq!(dispatch(Call::acknowledge { id }, signed(BUYER)), Ok(()));
        assert_eq!(claim(SELLER, id), err(Error::NotAllowed));
        assert_eq!(claim(BUYER, id), Ok(()));
        let period = Invoicing::current_period();
        let claimed = InputClaims::get(&id).unwrap();
        assert_eq!((claimed.period, claimed.tax), (period, 1_900 - 190));
        assert_eq!(PeriodTaxes::get(&account(BUYER), &period).input_tax, 1_710);
        assert_eq!(claim(BUYER, id), err(Error::InputTaxAlreadyClaimed));
        // A later period changes nothing: still once.
        set_time(now() + PERIOD);
        assert_eq!(claim(BUYER, id), err(Error::InputTaxAlreadyClaimed));
        // A credit note after the claim gives the deduction back in its own period.
        assert_eq!(request_credit(SELLER, id, credit_amount(2_000)), Ok(()));
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BUYER)), Ok(()));
        let next = Invoicing::current_period();
        assert_eq!(
            PeriodTaxes::get(&account(BUYER), &next).input_tax_reversed,
            380
        );
        assert_eq!(PeriodTaxes::get(&account(BUYER), &period).input_tax, 1_710);
        assert_eq!(InputClaims::get(&id).unwrap().reversed, 380);
    });
}

#[test]
fn nothing_is_deducted_from_a_fully_credited_invoice() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(request_credit(SELLER, id, credit_amount(10_000)), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
        assert_eq!(claim(BUYER, id), err(Error::InvalidStatus));
        assert_eq!(claim(BUYER, 999), err(Error::UnknownInvoice));
    });
}

// ---- void_invoice ----

fn void(who: u8, id: InvoiceId) -> DispatchResult {
    dispatch(Call::void_invoice { id, reason: 7 }, signed(who))
}

#[test]
fn an_issuer_voids_an_untouched_invoice_within_its_period_and_the_totals_follow() {
    new_test_ext().execute(|| {
        let kept = issue();
        let id = issue();
        let period = Invoicing::current_period();
        assert_eq!(void(BUYER, id), err(Error::NotAllowed));
        assert_eq!(void(SELLER, id), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Voided);
        assert!(!BuyerOpenInvoices::contains_key(&account(BUYER), &id));
        let record = Periods::get(&account(SELLER), &period).unwrap();
        assert_eq!(
            record.issued, STANDARD_GROSS,
            "only the kept invoice counts"
        );
        let vat =
            IssuerVat::get(&(account(SELLER), period), &(TaxCategory::Standard, 1_900)).unwrap();
        assert_eq!((vat.taxable, vat.tax), (10_000, 1_900));
        let received =
            BuyerVat::get(&(account(BUYER), period), &(TaxCategory::Standard, 1_900)).unwrap();
        assert_eq!(received.tax, 1_900);
        assert_eq!(
            PeriodTaxes::get(&account(SELLER), &period).output_tax,
            1_900
        );
        assert!(invoice_events().contains(&Event::InvoiceVoided {
            id,
            issuer: account(SELLER),
            period,
            reason: 7
        }));
        // Nothing happens to a voided invoice any more; its number stays used.
        assert_eq!(pay(BUYER, id, 1), err(Error::InvalidStatus));
        assert_eq!(
            dispatch(Call::acknowledge { id }, signed(BUYER)),
            err(Error::InvalidStatus)
        );
        assert_eq!(
            request_credit(SELLER, id, credit_amount(100)),
            err(Error::InvalidStatus)
        );
        assert_eq!(claim(BUYER, id), err(Error::InvalidStatus));
        assert_eq!(offer(id, 100), err(Error::InvalidStatus));
        assert_eq!(void(SELLER, id), err(Error::NotVoidable));
        // No bill may cite it: it is worth nothing as trade background.
        assert_eq!(Invoicing::invoice_net(id), Some(0));
        assert_eq!(
            Invoicing::finance_receivable(id, 1),
            err(Error::ReceivableFinanced)
        );
        assert_eq!(issue(), kept + 2);
    });
}

#[test]
fn voiding_is_refused_once_something_happened_or_the_period_is_over() {
    new_test_ext().execute(|| {
        let acknowledged = issue();
        assert_eq!(
            dispatch(Call::acknowledge { id: acknowledged }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(void(SELLER, acknowledged), err(Error::NotVoidable));
        let paid = issue();
        assert_eq!(pay(BUYER, paid, 100), Ok(()));
        assert_eq!(void(SELLER, paid), err(Error::NotVoidable));
        let credited = issue();
        assert_eq!(request_credit(SELLER, credited, credit_amount(100)), Ok(()));
        assert_eq!(void(SELLER, credited), err(Error::NotVoidable));
        let offered = issue();
        assert_eq!(offer(offered, 100), Ok(()));
        assert_eq!(accept(offered), Ok(()));
        assert_eq!(void(SELLER, offered), err(Error::NotVoidable));
        let late = issue();
        set_time(MARCH_1970);
        assert_eq!(void(SELLER, late), err(Error::VoidPeriodOver));
        // A credit note is the only correction now.
        assert_eq!(request_credit(SELLER, late, credit_amount(10_000)), Ok(()));
    });
}

// ---- issue_invoice ----

#[test]
fn issue_invoice_numbers_in_sequence_and_counts_in_the_period() {
    new_test_ext().execute(|| {
        let first = issue();
        let second = issue();
        let invoice = Invoices::get(&second).unwrap();
        assert_eq!(
            invoice.number,
            InvoiceNumber {
                issuer: account(SELLER),
                series: SERIES,
                sequence: 1
            }
        );
        assert_eq!(invoice.due, now() + 30 * DAY_MS);
        assert_eq!(
            api::invoice_by_number(account(SELLER), SERIES, 0),
            Some(first)
        );
        assert_eq!(state(first).status, InvoiceStatus::Issued);
        let period = Invoicing::current_period();
        assert_eq!(
            Periods::get(&account(SELLER), &period).unwrap().issued,
            2 * STANDARD_GROSS
        );
        assert_eq!(api::buyer_open_invoices(account(BUYER), 0, 10).len(), 2);
        assert!(invoice_events().contains(&Event::InvoiceIssued {
            id: second,
            issuer: account(SELLER),
            series: SERIES,
            sequence: 1,
            buyer: account(BUYER),
            gross_total: STANDARD_GROSS
        }));
    });
}

#[test]
fn issue_invoice_refuses_arithmetic_that_does_not_add_up() {
    new_test_ext().execute(|| {
        let issue_body = |body| {
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body,
                },
                signed(SELLER),
            )
        };
        let mut body = standard_body(BUYER);
        body.lines[0].net += 1;
        assert_eq!(issue_body(body), err(Error::LineNetMismatch));
        let mut body = standard_body(BUYER);
        body.breakdown[0].tax -= 1;
        assert_eq!(issue_body(body), err(Error::TaxBreakdownMismatch));
        let mut body = standard_body(BUYER);
        body.totals.gross_total += 1;
        assert_eq!(issue_body(body), err(Error::TotalsMismatch));
        let mut body = standard_body(BUYER);
        body.lines = vec![body.lines[0].clone(); MAX_LINES as usize + 1];
        assert_eq!(issue_body(body), err(Error::TooManyLines));
        let mut body = standard_body(BUYER);
        body.lines.clear();
        assert_eq!(issue_body(body), err(Error::NoLines));
        assert!(Invoices::iter().next().is_none());
        assert!(invoice_events().is_empty());
    });
}

#[test]
fn issue_invoice_refuses_bad_parties_series_currency_terms_and_type() {
    new_test_ext().execute(|| {
        let issue_as =
            |who: u8, series, body| dispatch(Call::issue_invoice { series, body }, signed(who));
        assert_eq!(
            issue_as(STRANGER, SERIES, standard_body(BUYER)),
            err(Error::NotAnIssuer)
        );
        assert_eq!(
            issue_as(SELLER, *b"ZZZZ", standard_body(BUYER)),
            err(Error::UnknownSeries)
        );
        assert_eq!(
            issue_as(SELLER, SERIES, standard_body(SELLER)),
            err(Error::BuyerIsSeller)
        );
        let mut body = standard_body(BUYER);
        body.currency = *b"USD";
        assert_eq!(
            issue_as(SELLER, SERIES, body),
            err(Error::UnsupportedCurrency)
        );
        let mut body = standard_body(BUYER);
        body.terms = PaymentTerms::DueDate(now() - 1);
        assert_eq!(
            issue_as(SELLER, SERIES, body),
            err(Error::InvalidPaymentTerms)
        );
        let mut body = standard_body(BUYER);
        body.terms = PaymentTerms::NetDays(121);
        assert_eq!(
            issue_as(SELLER, SERIES, body),
            err(Error::InvalidPaymentTerms)
        );
        let mut body = standard_body(BUYER);
        body.invoice_type = InvoiceType::CreditNote;
        assert_eq!(
            issue_as(SELLER, SERIES, body),
            err(Error::InvalidInvoiceType)
        );
        assert_eq!(
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body: standard_body(BUYER)
                },
                Origin::Root
            ),
            Err(DispatchError::BadOrigin)
        );
    });
}

#[test]
fn issuing_beyond_the_quota_fails_and_credits_free_it_again() {
    new_test_ext().execute(|| {
        let period = Invoicing::current_period();
        let call = Call::set_quota {
            issuer: account(SELLER),
            period: Some(period),
            quota: STANDARD_GROSS + 100,
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        let id = issue();
        let body = standard_body(BUYER);
        assert_eq!(
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body: body.clone()
                },
                signed(SELLER)
            ),
            err(Error::QuotaExceeded)
        );
        // Not acknowledged: the seller's credit applies at once and frees the quota.
        assert_eq!(
            request_credit(
                SELLER,
                id,
                CreditContent::Lines {
                    lines: body.lines.clone(),
                    breakdown: body.breakdown.clone(),
                    totals: body.totals
                }
            ),
            Ok(())
        );
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
        issue();
    });
}

#[test]
fn the_sequence_continues_in_the_next_period_and_numbers_never_repeat() {
    new_test_ext().execute(|| {
        let a = issue();
        set_time(now() + PERIOD);
        let b = issue();
        let (na, nb) = (
            Invoices::get(&a).unwrap().number,
            Invoices::get(&b).unwrap().number,
        );
        assert_eq!((na.sequence, nb.sequence), (0, 1));
        assert_ne!(
            Invoices::get(&a).unwrap().period,
            Invoices::get(&b).unwrap().period
        );
        // Another issuer's series of the same code has its own sequence.
        let c = issue_from(SELLER2, standard_body(BUYER));
        assert_eq!(Invoices::get(&c).unwrap().number.sequence, 0);
    });
}

// ---- acknowledge / dispute ----

#[test]
fn acknowledge_moves_issued_to_acknowledged_and_ends_a_dispute() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::dispute { id, reason: 3 }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(state(id).status, InvoiceStatus::Disputed);
        assert_eq!(dispatch(Call::acknowledge { id }, signed(BUYER)), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Acknowledged);
        assert_eq!(state(id).dispute, None);
        assert!(invoice_events().contains(&Event::InvoiceAcknowledged { id }));
    });
}

#[test]
fn acknowledge_is_the_buyers_and_only_once() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::acknowledge { id }, signed(SELLER)),
            err(Error::NotAllowed)
        );
        assert_eq!(dispatch(Call::acknowledge { id }, signed(BUYER)), Ok(()));
        assert_eq!(
            dispatch(Call::acknowledge { id }, signed(BUYER)),
            err(Error::InvalidStatus)
        );
        assert_eq!(
            dispatch(Call::acknowledge { id: 99 }, signed(BUYER)),
            err(Error::UnknownInvoice)
        );
    });
}

#[test]
fn dispute_blocks_payment_until_acknowledged() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::dispute { id, reason: 7 }, signed(BUYER)),
            Ok(())
        );
        assert!(invoice_events().contains(&Event::InvoiceDisputed { id, reason: 7 }));
        assert_eq!(pay(BUYER, id, 100), err(Error::Disputed));
        assert_eq!(dispatch(Call::acknowledge { id }, signed(BUYER)), Ok(()));
        assert_eq!(pay(BUYER, id, 100), Ok(()));
    });
}

#[test]
fn dispute_is_refused_after_payment_or_by_others() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::dispute { id, reason: 1 }, signed(STRANGER)),
            err(Error::NotAllowed)
        );
        assert_eq!(pay(BUYER, id, 100), Ok(()));
        assert_eq!(
            dispatch(Call::dispute { id, reason: 1 }, signed(BUYER)),
            err(Error::InvalidStatus)
        );
    });
}

// ---- pay_invoice ----

#[test]
fn pay_invoice_moves_money_and_updates_the_invoice_together() {
    new_test_ext().execute(|| {
        let id = issue();
        let (seller, employee) = (free(SELLER), free(EMPLOYEE));
        assert_eq!(pay(EMPLOYEE, id, 4_000), Ok(()));
        assert_eq!(free(SELLER), seller + 4_000);
        assert_eq!(free(EMPLOYEE), employee - 4_000);
        assert_eq!(state(id).status, InvoiceStatus::PartiallyPaid);
        assert_eq!(pay(BUYER, id, STANDARD_GROSS - 4_000), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Paid);
        assert!(api::buyer_open_invoices(account(BUYER), 0, 10).is_empty());
        assert!(invoice_events().contains(&Event::InvoicePaid {
            id,
            payer: account(BUYER),
            amount: STANDARD_GROSS - 4_000,
            to_seller: STANDARD_GROSS - 4_000,
            to_financier: 0,
            status: InvoiceStatus::Paid
        }));
        assert!(
            balance_events().contains(&folio_pallet_currency::Event::Transfer {
                from: account(EMPLOYEE),
                to: account(SELLER),
                amount: 4_000
            })
        );
    });
}

#[test]
fn pay_invoice_refuses_overpayment_zero_self_payment_and_insufficient_funds() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            pay(BUYER, id, STANDARD_GROSS + 1),
            err(Error::ExceedsOutstanding)
        );
        assert_eq!(pay(BUYER, id, 0), err(Error::ZeroAmount));
        assert_eq!(pay(SELLER, id, 10), err(Error::PayerIsPayee));
        assert_eq!(pay(BUYER, 42, 10), err(Error::UnknownInvoice));
        // A poor payer: the currency refuses and nothing changes.
        assert!(dispatch(
            Call::pay_invoice { id, amount: 100 },
            Origin::Signed(AccountId::new([0x55; 32]))
        )
        .is_err());
        assert_eq!(state(id).paid, 0);
        assert_eq!(pay(BUYER, id, STANDARD_GROSS), Ok(()));
        assert_eq!(pay(BUYER, id, 1), err(Error::InvalidStatus));
    });
}

// ---- prepare_invoice / cancel_draft / pay_and_issue ----

#[test]
fn pay_and_issue_pays_in_full_and_issues_in_one_call() {
    new_test_ext().execute(|| {
        let prepare = Call::prepare_invoice {
            series: SERIES,
            body: standard_body(BUYER),
        };
        assert_eq!(dispatch(prepare, signed(SELLER)), Ok(()));
        assert_eq!(OpenDrafts::get(&account(SELLER)), 1);
        let seller = free(SELLER);
        assert_eq!(
            dispatch(Call::pay_and_issue { draft: 0 }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(free(SELLER), seller + STANDARD_GROSS);
        let id = NextInvoiceId::get() - 1;
        assert_eq!(state(id).status, InvoiceStatus::Paid);
        assert_eq!(Invoices::get(&id).unwrap().number.sequence, 0);
        assert!(Drafts::get(&0).is_none());
        assert_eq!(OpenDrafts::get(&account(SELLER)), 0);
        let events = invoice_events();
        assert!(events.contains(&Event::DraftRemoved { draft: 0 }));
        assert!(events.contains(&Event::InvoicePaid {
            id,
            payer: account(BUYER),
            amount: STANDARD_GROSS,
            to_seller: STANDARD_GROSS,
            to_financier: 0,
            status: InvoiceStatus::Paid
        }));
    });
}

#[test]
fn pay_and_issue_is_the_buyers_and_fails_whole_without_funds() {
    new_test_ext().execute(|| {
        let mut body = standard_body(BUYER);
        body.lines = vec![line(1_000, 2_000_000, TaxCategory::Exempt, 0)];
        let body = body_of(BUYER, body.lines);
        let prepare = Call::prepare_invoice {
            series: SERIES,
            body,
        };
        assert_eq!(dispatch(prepare, signed(SELLER)), Ok(()));
        assert_eq!(
            dispatch(Call::pay_and_issue { draft: 0 }, signed(STRANGER)),
            err(Error::NotAllowed)
        );
        assert!(dispatch(Call::pay_and_issue { draft: 0 }, signed(BUYER)).is_err());
        assert!(Invoices::iter().next().is_none());
        assert!(Drafts::get(&0).is_some());
        assert_eq!(
            dispatch(Call::pay_and_issue { draft: 5 }, signed(BUYER)),
            err(Error::UnknownDraft)
        );
    });
}

#[test]
fn prepare_invoice_checks_like_issue_and_bounds_open_drafts() {
    new_test_ext().execute(|| {
        let prepare = |body| Call::prepare_invoice {
            series: SERIES,
            body,
        };
        let mut bad = standard_body(BUYER);
        bad.totals.tax_total += 1;
        assert_eq!(
            dispatch(prepare(bad), signed(SELLER)),
            err(Error::TaxBreakdownMismatch).or(err(Error::TotalsMismatch))
        );
        assert_eq!(
            dispatch(prepare(standard_body(BUYER)), signed(SELLER)),
            Ok(())
        );
        assert_eq!(
            dispatch(prepare(standard_body(BUYER)), signed(SELLER)),
            Ok(())
        );
        assert_eq!(
            dispatch(prepare(standard_body(BUYER)), signed(SELLER)),
            err(Error::TooManyDrafts)
        );
        assert!(invoice_events().contains(&Event::DraftPrepared {
            draft: 1,
            seller: account(SELLER),
            buyer: account(BUYER),
            gross_total: STANDARD_GROSS
        }));
    });
}

#[test]
fn cancel_draft_removes_it_for_its_seller_only() {
    new_test_ext().execute(|| {
        let prepare = Call::prepare_invoice {
            series: SERIES,
            body: standard_body(BUYER),
        };
        assert_eq!(dispatch(prepare, signed(SELLER)), Ok(()));
        assert_eq!(
            dispatch(Call::cancel_draft { draft: 0 }, signed(BUYER)),
            err(Error::NotAllowed)
        );
        assert_eq!(
            dispatch(Call::cancel_draft { draft: 0 }, signed(SELLER)),
            Ok(())
        );
        assert_eq!(
            dispatch(Call::cancel_draft { draft: 0 }, signed(SELLER)),
            err(Error::UnknownDraft)
        );
        assert!(invoice_events().contains(&Event::DraftRemoved { draft: 0 }));
    });
}

// ---- request_credit / confirm_credit / withdraw_credit_request ----

#[test]
fn request_credit_by_the_seller_before_acknowledgement_applies_at_once() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        let credit_note = NextInvoiceId::get() - 1;
        let note = Invoices::get(&credit_note).unwrap();
        assert_eq!(note.corrects, Some(id));
        assert_eq!(note.body.invoice_type, InvoiceType::CreditNote);
        assert_eq!(note.gross(), 1_190);
        assert_eq!(note.number.sequence, 1);
        assert_eq!(state(id).credited, 1_190);
        assert_eq!(Invoicing::invoice_net(id), Some(STANDARD_GROSS - 1_190));
        assert_eq!(Invoicing::invoice_net(credit_note), None);
        let period = Periods::get(&account(SELLER), &Invoicing::current_period()).unwrap();
        assert_eq!(period.credited, 1_190);
        assert!(invoice_events().contains(&Event::CreditNoteIssued {
            credit_note,
            original: id,
            sequence: 1,
            gross: 1_190,
            reason: 1,
            status: InvoiceStatus::Issued
        }));
    });
}

#[test]
fn request_credit_refuses_more_than_was_charged_unknown_categories_and_strangers() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            request_credit(SELLER, id, credit_amount(10_001)),
            err(Error::CreditExceedsCharged)
        );
        assert_eq!(
            request_credit(
                SELLER,
                id,
                CreditContent::Amount {
                    net: 10,
                    category: TaxCategory::Exempt,
                    rate: 0,
                    classification: [0; 8]
                }
            ),
            err(Error::CreditCategoryMismatch)
        );
        assert_eq!(
            request_credit(STRANGER, id, credit_amount(10)),
            err(Error::NotAllowed)
        );
        assert_eq!(
            request_credit(
                SELLER,
                id,
                CreditContent::Lines {
                    lines: vec![line(1_000, 10, TaxCategory::Standard, 1_900)],
                    breakdown: vec![],
                    totals: Totals::default()
                }
            ),
            err(Error::TaxBreakdownMismatch)
        );
    });
}

#[test]
fn credit_on_an_acknowledged_invoice_waits_for_the_buyer() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(dispatch(Call::acknowledge { id }, signed(BUYER)), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(state(id).credited, 0);
        let request = CreditRequests::get(&id).unwrap();
        assert_eq!(request.awaiting_counterparty, Some(account(BUYER)));
        assert_eq!(
            request_credit(SELLER, id, credit_amount(1)),
            err(Error::CreditRequestPending)
        );
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BUYER)), Ok(()));
        assert_eq!(state(id).credited, 1_190);
        assert!(CreditRequests::get(&id).is_none());
        assert!(invoice_events().contains(&Event::CreditConfirmed {
            id,
            by: account(BUYER)
        }));
    });
}

#[test]
fn confirm_credit_is_only_for_the_awaited_party() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::confirm_credit { id }, signed(BUYER)),
            err(Error::NoCreditRequest)
        );
        // A buyer's request waits for the seller.
        assert_eq!(request_credit(BUYER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(
            dispatch(Call::confirm_credit { id }, signed(BUYER)),
            err(Error::NothingToConfirm)
        );
        assert_eq!(
            dispatch(Call::confirm_credit { id }, signed(SELLER)),
            Ok(())
        );
        assert_eq!(state(id).credited, 1_190);
    });
}

#[test]
fn withdraw_credit_request_by_a_party_removes_it() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(request_credit(BUYER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(
            dispatch(Call::withdraw_credit_request { id }, signed(STRANGER)),
            err(Error::NotAllowed)
        );
        assert_eq!(
            dispatch(Call::withdraw_credit_request { id }, signed(SELLER)),
            Ok(())
        );
        assert!(CreditRequests::get(&id).is_none());
        assert_eq!(
            dispatch(Call::withdraw_credit_request { id }, signed(SELLER)),
            err(Error::NoCreditRequest)
        );
        assert!(invoice_events().contains(&Event::CreditRequestWithdrawn {
            id,
            by: account(SELLER)
        }));
    });
}

#[test]
fn full_credit_reverses_for_good_and_partial_credit_then_payment_settles() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(request_credit(SELLER, id, credit_amount(10_000)), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
        assert_eq!(pay(BUYER, id, 1), err(Error::InvalidStatus));
        assert_eq!(
            request_credit(SELLER, id, credit_amount(1)),
            err(Error::InvalidStatus)
        );
        assert_eq!(lock(BUYER, id, EMPLOYEE), err(Error::InvalidStatus));

        let other = issue();
        assert_eq!(pay(BUYER, other, 5_000), Ok(()));
        assert_eq!(request_credit(SELLER, other, credit_amount(1_000)), Ok(()));
        assert_eq!(
            dispatch(Call::confirm_credit { id: other }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(pay(BUYER, other, STANDARD_GROSS - 1_190 - 5_000), Ok(()));
        assert_eq!(state(other).status, InvoiceStatus::Settled);
    });
}

// ---- reimbursement ----

#[test]
fn issue_pay_in_part_credit_pay_rest_reimburse_and_never_twice() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(pay(EMPLOYEE, id, 5_000), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BUYER)), Ok(()));
        assert_eq!(pay(EMPLOYEE, id, STANDARD_GROSS - 1_190 - 5_000), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Settled);

        assert_eq!(lock(BUYER, id, EMPLOYEE), Ok(()));
        let employee = free(EMPLOYEE);
        let net = STANDARD_GROSS - 1_190;
        assert_eq!(
            dispatch(Call::reimburse { id, amount: net }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(free(EMPLOYEE), employee + net);
        assert!(matches!(
            state(id).reimbursement,
            Reimbursement::Reimbursed { amount, .. } if amount == net
        ));
        assert_eq!(
            dispatch(Call::reimburse { id, amount: net }, signed(BUYER)),
            err(Error::AlreadyReimbursed)
        );
        assert_eq!(lock(BUYER, id, EMPLOYEE), err(Error::AlreadyReimbursed));
        assert_eq!(
            dispatch(Call::unlock { id }, signed(BUYER)),
            err(Error::AlreadyReimbursed)
        );
        let history = api::invoice(id).unwrap().history;
        assert_eq!(history.first().unwrap().action, Action::Issued);
        assert!(matches!(
            history.last().unwrap().action,
            Action::Reimbursed { amount, .. } if amount == net
        ));
    });
}

#[test]
fn authorise_reimburser_lets_an_agent_lock_and_revoke_stops_it() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(lock(AGENT, id, EMPLOYEE), err(Error::NotAuthorised));
        assert_eq!(
            dispatch(
                Call::authorise_reimburser {
                    agent: account(AGENT)
                },
                signed(BUYER)
            ),
            Ok(())
        );
        assert_eq!(
            dispatch(
                Call::authorise_reimburser {
                    agent: account(AGENT)
                },
                signed(BUYER)
            ),
            err(Error::AlreadyAuthorised)
        );
        assert_eq!(lock(AGENT, id, EMPLOYEE), Ok(()));
        assert!(invoice_events().contains(&Event::InvoiceLocked {
            id,
            organisation: account(BUYER),
            locker: account(AGENT),
            claimant: account(EMPLOYEE)
        }));
        assert_eq!(
            dispatch(
                Call::revoke_reimburser {
                    agent: account(AGENT)
                },
                signed(BUYER)
            ),
            Ok(())
        );
        assert_eq!(
            dispatch(Call::unlock { id }, signed(AGENT)),
            err(Error::NotAuthorised)
        );
        assert_eq!(dispatch(Call::unlock { id }, signed(BUYER)), Ok(()));
    });
}

#[test]
fn authorise_and_revoke_refuse_nonsense() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::authorise_reimburser {
                    agent: account(BUYER)
                },
                signed(BUYER)
            ),
            err(Error::NotAllowed)
        );
        assert_eq!(
            dispatch(
                Call::revoke_reimburser {
                    agent: account(AGENT)
                },
                signed(BUYER)
            ),
            err(Error::NotAuthorised)
        );
    });
}

#[test]
fn lock_only_once_and_unlock_back_to_available() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(lock(SELLER, id, EMPLOYEE), err(Error::NotAuthorised));
        assert_eq!(lock(BUYER, id, EMPLOYEE), Ok(()));
        assert_eq!(lock(BUYER, id, EMPLOYEE), err(Error::Locked));
        assert_eq!(
            dispatch(Call::unlock { id }, signed(STRANGER)),
            err(Error::NotAuthorised)
        );
        assert_eq!(dispatch(Call::unlock { id }, signed(BUYER)), Ok(()));
        assert_eq!(state(id).reimbursement, Reimbursement::Available);
        assert_eq!(
            dispatch(Call::unlock { id }, signed(BUYER)),
            err(Error::NotLocked)
        );
        assert!(invoice_events().contains(&Event::InvoiceUnlocked {
            id,
            by: account(BUYER)
        }));
    });
}

#[test]
fn reimburse_needs_a_lock_and_at_most_what_was_paid() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::reimburse { id, amount: 10 }, signed(BUYER)),
            err(Error::NotLocked)
        );
        assert_eq!(lock(BUYER, id, EMPLOYEE), Ok(()));
        assert_eq!(
            dispatch(
                Call::reimburse {
                    id,
                    amount: STANDARD_GROSS + 1
                },
                signed(BUYER)
            ),
            err(Error::ExceedsPaid)
        );
        assert_eq!(
            dispatch(Call::reimburse { id, amount: 0 }, signed(BUYER)),
            err(Error::ZeroAmount)
        );
        assert_eq!(
            dispatch(Call::reimburse { id, amount: 10 }, signed(SELLER)),
            err(Error::NotAuthorised)
        );
        // Every refusal left the lock as it was.
        assert!(matches!(
            state(id).reimbursement,
            Reimbursement::Locked { .. }
        ));
    });
}

#[test]
fn a_credit_on_a_locked_invoice_needs_the_buyer() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(lock(BUYER, id, EMPLOYEE), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(100)), Ok(()));
        assert_eq!(
            CreditRequests::get(&id).unwrap().awaiting_counterparty,
            Some(account(BUYER))
        );
    });
}

// ---- financing ----

#[test]
fn financing_pays_the_advance_and_routes_payments_until_repaid() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(offer(id, 5_000), Ok(()));
        let (seller, bank) = (free(SELLER), free(BANK));
        assert_eq!(accept(id), Ok(()));
        assert_eq!(free(SELLER), seller + 5_000);
        assert_eq!(free(BANK), bank - 5_000);
        assert_eq!(pay(BUYER, id, 3_000), Ok(()));
        assert_eq!(free(BANK), bank - 2_000);
        assert_eq!(pay(BUYER, id, 4_000), Ok(()));
        assert_eq!(free(BANK), bank);
        assert_eq!(free(SELLER), seller + 5_000 + 2_000);
        assert_eq!(state(id).lien, None);
        let events = invoice_events();
        assert!(events.contains(&Event::InvoicePaid {
            id,
            payer: account(BUYER),
            amount: 4_000,
            to_seller: 2_000,
            to_financier: 2_000,
            status: InvoiceStatus::PartiallyPaid
        }));
        assert!(events.contains(&Event::LienEnded {
            id,
            financier: account(BANK),
            repaid: 5_000
        }));
        // The lien is gone: another may be offered.
        assert_eq!(offer(id, 100), Ok(()));
    });
}

#[test]
fn offers_coexist_and_only_a_third_party_may_offer() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::offer_financing { id, advance: 10 }, signed(BUYER)),
            err(Error::InvalidFinancier)
        );
        assert_eq!(
            offer(id, STANDARD_GROSS + 1),
            err(Error::ExceedsOutstanding)
        );
        assert_eq!(offer(id, 0), err(Error::ZeroAmount));
        assert_eq!(offer(id, 100), Ok(()));
        assert_eq!(
            dispatch(Call::offer_financing { id, advance: 10 }, signed(STRANGER)),
            Ok(())
        );
        assert_eq!(FinancingOffers::iter_prefix(&id).count(), 2);
        assert_eq!(state(id).lien, None, "an offer is not a lien");
        assert!(invoice_events().contains(&Event::FinancingOffered {
            id,
            financier: account(BANK),
            advance: 100
        }));
    });
}

/// Defect: an unfunded `offer_financing(id, 1)` by a stranger made the bank's real offer
/// fail with `LienExists`, and the seller could not decline it.
#[test]
fn a_strangers_offer_never_blocks_the_banks_financing_and_the_seller_can_decline_it() {
    new_test_ext().execute(|| {
        let id = issue();
        // The stranger empties its account: its offer can never be paid.
        let stranger_funds = free(STRANGER) - ED;
        assert_eq!(
            Balances::transfer(
                &account(STRANGER),
                &account(BUYER2),
                stranger_funds,
                folio_pallet_support::currency::Preservation::Preserve
            ),
            Ok(())
        );
        let strangers_offer = Call::offer_financing { id, advance: 1 };
        assert_eq!(dispatch(strangers_offer, signed(STRANGER)), Ok(()));
        assert_eq!(offer(id, 5_000), Ok(()));
        let history = HistoryLen::get(&id);
        assert_eq!(history, 1, "offers do not grow the invoice's history");

        let decline = |who: u8, financier: u8| {
            dispatch(
                Call::decline_financing {
                    id,
                    financier: account(financier),
                },
                signed(who),
            )
        };
        assert_eq!(decline(BUYER, STRANGER), err(Error::NotAllowed));
        assert_eq!(decline(SELLER, STRANGER), Ok(()));
        assert_eq!(decline(SELLER, STRANGER), err(Error::NoOffer));
        assert!(invoice_events().contains(&Event::FinancingOfferRemoved {
            id,
            financier: account(STRANGER),
            by: account(SELLER)
        }));

        let seller = free(SELLER);
        assert_eq!(accept(id), Ok(()));
        assert_eq!(free(SELLER), seller + 5_000);
        assert_eq!(Pallet::<Test>::financed(id), 5_000);
        // One lien at most: a second offer may stand, but cannot be accepted.
        assert_eq!(
            dispatch(Call::offer_financing { id, advance: 10 }, signed(AGENT)),
            Ok(())
        );
        assert_eq!(
            dispatch(
                Call::accept_financing {
                    id,
                    financier: account(AGENT)
                },
                signed(SELLER)
            ),
            err(Error::LienExists)
        );
        // A financier withdraws its own offer.
        assert_eq!(decline(AGENT, AGENT), Ok(()));
    });
}

/// A stranger offering and withdrawing again and again never writes the invoice's history.
#[test]
fn a_third_party_cannot_grow_an_invoices_history() {
    new_test_ext().execute(|| {
        let id = issue();
        for _ in 0..50 {
            assert_eq!(
                dispatch(Call::offer_financing { id, advance: 1 }, signed(STRANGER)),
                Ok(())
            );
            assert_eq!(
                dispatch(
                    Call::decline_financing {
                        id,
                        financier: account(STRANGER)
                    },
                    signed(STRANGER)
                ),
                Ok(())
            );
        }
        assert_eq!(HistoryLen::get(&id), 1);
    });
}

#[test]
fn accept_financing_is_the_sellers_and_needs_an_offer() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(accept(id), err(Error::NoOffer));
        assert_eq!(offer(id, 100), Ok(()));
        assert_eq!(
            dispatch(
                Call::accept_financing {
                    id,
                    financier: account(BANK)
                },
                signed(BUYER)
            ),
            err(Error::NotAllowed)
        );
        assert_eq!(accept(id), Ok(()));
        assert_eq!(accept(id), err(Error::LienExists));
        assert!(invoice_events().contains(&Event::FinancingAccepted {
            id,
            financier: account(BANK),
            advance: 100
        }));
    });
}

#[test]
fn a_credit_on_a_financed_invoice_needs_the_financier_and_financing_waits_for_credits() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(offer(id, 1_000), Ok(()));
        assert_eq!(accept(id), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(100)), Ok(()));
        let request = CreditRequests::get(&id).unwrap();
        assert_eq!(request.awaiting_financier, Some(account(BANK)));
        assert_eq!(request.awaiting_counterparty, Some(account(BUYER)));
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BUYER)), Ok(()));
        assert_eq!(state(id).credited, 0);
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BANK)), Ok(()));
        assert_eq!(state(id).credited, 119);

        let other = issue();
        assert_eq!(request_credit(BUYER, other, credit_amount(100)), Ok(()));
        assert_eq!(offer(other, 1_000), Ok(()));
        assert_eq!(accept(other), err(Error::CreditRequestPending));
    });
}

#[test]
fn release_lien_is_the_financiers() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            dispatch(Call::release_lien { id }, signed(BANK)),
            err(Error::NoLien)
        );
        assert_eq!(offer(id, 1_000), Ok(()));
        assert_eq!(accept(id), Ok(()));
        assert_eq!(
            dispatch(Call::release_lien { id }, signed(SELLER)),
            err(Error::NotAllowed)
        );
        assert_eq!(dispatch(Call::release_lien { id }, signed(BANK)), Ok(()));
        assert_eq!(state(id).lien, None);
        let seller = free(SELLER);
        assert_eq!(pay(BUYER, id, 500), Ok(()));
        assert_eq!(free(SELLER), seller + 500);
        assert!(invoice_events().contains(&Event::LienReleased {
            id,
            financier: account(BANK)
        }));
    });
}

/// Defect: after enforcement every payment went to the financier, far beyond the unrepaid
/// advance.
#[test]
fn an_enforced_lien_collects_at_most_the_unrepaid_advance_and_the_surplus_goes_to_the_seller() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(offer(id, 1_000), Ok(()));
        assert_eq!(accept(id), Ok(()));
        assert_eq!(
            dispatch(Call::enforce_lien { id }, signed(BANK)),
            err(Error::NotDue)
        );
        assert_eq!(pay(BUYER, id, 300), Ok(()));
        set_time(now() + 31 * DAY_MS);
        assert_eq!(
            dispatch(Call::enforce_lien { id }, signed(SELLER)),
            err(Error::NotAllowed)
        );
        assert_eq!(dispatch(Call::enforce_lien { id }, signed(BANK)), Ok(()));
        let (bank, seller) = (free(BANK), free(SELLER));
        assert_eq!(pay(BANK, id, 1), err(Error::PayerIsPayee));
        assert_eq!(pay(BUYER, id, 5_000), Ok(()));
        // 700 was still unrepaid: the bank gets that, the seller the other 4 300.
        assert_eq!(free(BANK), bank + 700);
        assert_eq!(free(SELLER), seller + 4_300);
        assert_eq!(state(id).lien, None, "repaid: the lien ended");
        assert_eq!(Pallet::<Test>::financed(id), 0);
        assert_eq!(pay(BUYER, id, STANDARD_GROSS - 5_300), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Paid);
    });
}

/// Defect: an unpaid invoice could be reimbursed to a claimant (and then stayed Reimbursed).
#[test]
fn an_unpaid_invoice_cannot_be_reimbursed_and_a_paid_one_only_once_up_to_what_was_paid() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(lock(BUYER, id, EMPLOYEE), Ok(()));
        let reimburse = |amount| dispatch(Call::reimburse { id, amount }, signed(BUYER));
        assert_eq!(reimburse(1), err(Error::ExceedsPaid));
        assert_eq!(pay(EMPLOYEE, id, 500), Ok(()));
        assert_eq!(reimburse(501), err(Error::ExceedsPaid));
        let employee = free(EMPLOYEE);
        assert_eq!(reimburse(500), Ok(()));
        assert_eq!(free(EMPLOYEE), employee + 500);
        assert_eq!(reimburse(1), err(Error::AlreadyReimbursed));
    });
}

// ---- queries, genesis, metadata ----

#[test]
fn the_api_pages_history_and_open_invoices() {
    new_test_ext().execute(|| {
        let id = issue();
        for _ in 0..5 {
            assert_eq!(pay(BUYER, id, 10), Ok(()));
        }
        assert_eq!(api::invoice_history(id, 0, 3).len(), 3);
        assert_eq!(api::invoice_history(id, 4, 10).len(), 2);
        let view = api::invoice(id).unwrap();
        assert_eq!(view.outstanding, STANDARD_GROSS - 50);
        assert_eq!(view.history.len(), 6);
        let _ = issue();
        assert_eq!(api::buyer_open_invoices(account(BUYER), 0, 1).len(), 1);
        assert_eq!(api::buyer_open_invoices(account(BUYER), 1, 10).len(), 1);
        assert_eq!(api::invoice_net::<Test>(id), Some(STANDARD_GROSS));
        assert_eq!(
            api::issuer(account(SELLER)).unwrap().series,
            vec![SERIES, SERIES_B]
        );
        assert_eq!(
            api::period_totals(account(SELLER2), 0).unwrap().quota,
            QUOTA
        );
        assert_eq!(api::period_totals(account(STRANGER), 0), None);
        assert_eq!(api::current_period::<Test>(), 1);
        assert_eq!(api::invoice(99), None);
    });
}

#[test]
fn genesis_refuses_duplicates_and_bad_series() {
    let issuer = |n: u8, tax: u8, series: Vec<SeriesCode>| GenesisIssuer {
        account: account(n),
        tax_id: tax_id(tax),
        name_hash: [0; 32],
        series,
        default_quota: 1,
    };
    let build = |issuers| {
        let mut ext = folio_primitives::externalities::TestExternalities::default();
        ext.execute_with(|| GenesisConfig { issuers }.build::<Test>())
    };
    assert_eq!(
        build(vec![issuer(1, 1, vec![SERIES]), issuer(1, 2, vec![SERIES])]),
        Err(GenesisError::DuplicateIssuer(account(1)))
    );
    assert_eq!(
        build(vec![issuer(1, 1, vec![SERIES]), issuer(2, 1, vec![SERIES])]),
        Err(GenesisError::DuplicateTaxId(tax_id(1)))
    );
    assert_eq!(
        build(vec![issuer(1, 1, vec![])]),
        Err(GenesisError::InvalidSeries(account(1)))
    );
    assert_eq!(build(vec![issuer(1, 1, vec![SERIES])]), Ok(()));
    assert_eq!(crate::genesis::check_constants::<Test>(), Ok(()));
}

#[test]
fn genesis_reads_from_json() {
    let json = r#"{"issuers":[{"account":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","tax_id":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"name_hash":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"series":[[65,48,48,49]],"default_quota":5}]}"#;
    let config: GenesisConfig = serde_json::from_str(json).unwrap();
    assert_eq!(config.issuers[0].series, vec![SERIES]);
}

#[test]
fn metadata_describes_storage_calls_and_constants() {
    let meta = metadata::<Test>();
    assert_eq!(meta.name, "Invoices");
    assert_eq!(meta.index, INDEX);
    assert_eq!(meta.storage.len(), 27);
    assert!(meta.storage.iter().all(|entry| !entry.docs.is_empty()));
    assert!(meta.constants.iter().any(|c| c.name == "MaxLines"));
    let mut registry = scale_info::Registry::new();
    let call = registry.register_type(&meta.calls.unwrap());
    let registry: scale_info::PortableRegistry = registry.into();
    let ty = registry.resolve(call.id).unwrap();
    assert_eq!(ty.path.segments, vec!["pallet_einvoice", "pallet", "Call"]);
    match &ty.type_def {
        scale_info::TypeDef::Variant(variants) => {
            assert_eq!(variants.variants.len(), 30);
            assert!(variants.variants.iter().all(|v| !v.docs.is_empty()));
        }
        other => panic!("Call is not an enum: {other:?}"),
    }
}

#[test]
fn call_and_error_encodings_are_pinned() {
    assert_eq!(Call::acknowledge { id: 1 }.encode()[0], 4);
    assert_eq!(
        Call::pay_invoice { id: 1, amount: 1 }.encode(),
        vec![6, 1, 0, 0, 0, 0, 0, 0, 0, 4]
    );
    assert_eq!(Call::enforce_lien { id: 0 }.encode()[0], 21);
    assert_eq!(Error::NotDue.encode(), vec![45]);
    assert_eq!(
        Event::InvoiceAcknowledged { id: 2 }.encode(),
        vec![3, 2, 0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn weights_grow_with_lines() {
    let small = Call::issue_invoice {
        series: SERIES,
        body: standard_body(BUYER),
    };
    let mut body = standard_body(BUYER);
    body.lines = vec![body.lines[0].clone(); 8];
    let big = Call::issue_invoice {
        series: SERIES,
        body,
    };
    assert!(big.dispatch_info().weight.ref_time > small.dispatch_info().weight.ref_time);
}

// ---- credit bounds, refunds and the financed-receivables registry ----

fn credit_at(net: Balance, category: TaxCategory, rate: u32) -> CreditContent {
    CreditContent::Amount {
        net,
        category,
        rate,
        classification: *b"CN010101",
    }
}

/// 100 at 19 % plus 1 000 exempt: tax 19, gross 1 119.
fn mixed_body() -> InvoiceBody {
    body_of(
        BUYER,
        vec![
            line(1_000, 100, TaxCategory::Standard, 1_900),
            line(1_000, 1_000, TaxCategory::Exempt, 0),
        ],
    )
}

/// Defect: on 100 at 19 % plus 1 000 exempt (tax 19), a credit note of net 940 at 19 % was
/// issued and reversed 178.6 of VAT.
#[test]
fn credits_are_bounded_per_category_and_rate_cumulatively() {
    new_test_ext().execute(|| {
        let id = issue_from(SELLER, mixed_body());
        let standard = |net| credit_at(net, TaxCategory::Standard, 1_900);
        assert_eq!(
            request_credit(SELLER, id, standard(940)),
            err(Error::CreditExceedsCharged)
        );
        assert_eq!(request_credit(SELLER, id, standard(60)), Ok(()));
        // 60 + 41 > 100 charged at 19 %, although the invoice's net is far above 41.
        assert_eq!(
            request_credit(SELLER, id, standard(41)),
            err(Error::CreditExceedsCharged)
        );
        assert_eq!(request_credit(SELLER, id, standard(40)), Ok(()));
        let at_19 = CreditedByRate::get(&id, &(TaxCategory::Standard, 1_900)).unwrap();
        assert_eq!(
            (at_19.taxable, at_19.tax),
            (100, 19),
            "exactly what was charged"
        );
        assert_eq!(
            request_credit(SELLER, id, standard(1)),
            err(Error::CreditExceedsCharged)
        );
        // The exempt part is still creditable, up to its 1 000.
        let exempt = |net| credit_at(net, TaxCategory::Exempt, 0);
        assert_eq!(
            request_credit(SELLER, id, exempt(1_001)),
            err(Error::CreditExceedsCharged)
        );
        assert_eq!(request_credit(SELLER, id, exempt(1_000)), Ok(()));
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
    });
}

/// Three credits of 1 on a net of 3 at 19 % (tax 0.57 → 1): rounding each on its own would
/// reverse 0 + 0 + 0 and leave 1 of tax with no taxable amount behind it.
#[test]
fn partial_credits_leave_no_pure_vat_remainder() {
    new_test_ext().execute(|| {
        let id = issue_from(
            SELLER,
            body_of(BUYER, vec![line(3_000, 1, TaxCategory::Standard, 1_900)]),
        );
        assert_eq!(Invoices::get(&id).unwrap().gross(), 4);
        for _ in 0..3 {
            assert_eq!(request_credit(SELLER, id, credit_amount(1)), Ok(()));
        }
        let notes: Vec<Balance> = (id + 1..id + 4)
            .map(|note| Invoices::get(&note).unwrap().body.totals.tax_total)
            .collect();
        assert_eq!(
            notes,
            vec![0, 0, 1],
            "the last credit takes the remaining tax"
        );
        assert_eq!(state(id).credited, 4);
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
    });
}

/// A credit note's lines must carry the cumulative tax, not their own rounding.
#[test]
fn credit_lines_must_carry_the_cumulative_tax() {
    new_test_ext().execute(|| {
        let id = issue_from(
            SELLER,
            body_of(BUYER, vec![line(3_000, 1, TaxCategory::Standard, 1_900)]),
        );
        assert_eq!(request_credit(SELLER, id, credit_amount(2)), Ok(()));
        let lines = vec![line(1_000, 1, TaxCategory::Standard, 1_900)];
        let (own_rounding, totals) = arithmetic::compute(&lines).unwrap();
        assert_eq!(
            request_credit(
                SELLER,
                id,
                CreditContent::Lines {
                    lines: lines.clone(),
                    breakdown: own_rounding.clone(),
                    totals
                }
            ),
            err(Error::TaxBreakdownMismatch)
        );
        let mut cumulative = own_rounding;
        cumulative[0].tax = 1;
        let totals = Totals {
            line_total: 1,
            tax_total: 1,
            gross_total: 2,
        };
        assert_eq!(
            request_credit(
                SELLER,
                id,
                CreditContent::Lines {
                    lines,
                    breakdown: cumulative,
                    totals
                }
            ),
            Ok(())
        );
        assert_eq!(state(id).status, InvoiceStatus::Reversed);
    });
}

/// Defect: once paid, `request_credit` failed with `ExceedsOutstanding`: a paid invoice could
/// never be corrected.
#[test]
fn a_paid_invoice_is_corrected_by_a_credit_note_that_refunds_the_buyer() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(pay(BUYER, id, STANDARD_GROSS), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        let (buyer, seller) = (free(BUYER), free(SELLER));
        assert_eq!(dispatch(Call::confirm_credit { id }, signed(BUYER)), Ok(()));
        // Net 11 900 − 1 190 = 10 710 was paid 11 900: 1 190 goes back in this extrinsic.
        assert_eq!(free(BUYER), buyer + 1_190);
        assert_eq!(free(SELLER), seller - 1_190);
        assert_eq!(state(id).paid, STANDARD_GROSS - 1_190);
        assert_eq!(state(id).status, InvoiceStatus::Settled);
        let note = id + 1;
        assert!(invoice_events().contains(&Event::CreditRefunded {
            id,
            credit_note: note,
            buyer: account(BUYER),
            amount: 1_190
        }));
        // A partly paid invoice: only what was paid beyond the new net comes back.
        let other = issue();
        assert_eq!(pay(BUYER, other, 11_000), Ok(()));
        assert_eq!(request_credit(SELLER, other, credit_amount(2_000)), Ok(()));
        let buyer = free(BUYER);
        assert_eq!(
            dispatch(Call::confirm_credit { id: other }, signed(BUYER)),
            Ok(())
        );
        assert_eq!(free(BUYER), buyer + 11_000 - (STANDARD_GROSS - 2_380));
        assert_eq!(state(other).status, InvoiceStatus::Settled);
    });
}

/// A refund the seller cannot afford fails the credit note whole.
#[test]
fn a_refund_the_seller_cannot_afford_fails_the_credit_note_whole() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(pay(BUYER, id, STANDARD_GROSS), Ok(()));
        let seller_funds = free(SELLER) - ED;
        assert_eq!(
            Balances::transfer(
                &account(SELLER),
                &account(SELLER2),
                seller_funds,
                folio_pallet_support::currency::Preservation::Preserve
            ),
            Ok(())
        );
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert!(dispatch(Call::confirm_credit { id }, signed(BUYER)).is_err());
        assert_eq!(state(id).credited, 0);
        assert!(CreditRequests::contains_key(&id));
    });
}

/// Defect: a credit note on an invoice cited by bills lowered its net below what they cite.
#[test]
fn credits_never_lower_the_net_below_what_bills_and_liens_finance() {
    new_test_ext().execute(|| {
        let id = issue();
        let background = Pallet::<Test>::trade_background(id).unwrap();
        assert_eq!(
            (background.seller, background.buyer, background.net),
            (account(SELLER), account(BUYER), STANDARD_GROSS)
        );
        assert!(!background.is_credit_note);
        assert_eq!(Pallet::<Test>::finance_receivable(id, 10_000), Ok(()));
        assert_eq!(
            Pallet::<Test>::finance_receivable(id, STANDARD_GROSS - 10_000 + 1),
            err(Error::ReceivableFinanced)
        );
        // A lien counts in the same registry.
        assert_eq!(offer(id, 1_901), err(Error::ReceivableFinanced));
        assert_eq!(offer(id, 1_900), Ok(()));
        assert_eq!(accept(id), Ok(()));
        assert_eq!(Pallet::<Test>::financed(id), STANDARD_GROSS);
        assert_eq!(dispatch(Call::release_lien { id }, signed(BANK)), Ok(()));
        assert_eq!(Pallet::<Test>::financed(id), 10_000);
        // 1 900 unfinanced: a credit of gross 1 904 would cut into what the bills cite.
        assert_eq!(
            request_credit(SELLER, id, credit_amount(1_600)),
            err(Error::ReceivableFinanced)
        );
        assert_eq!(request_credit(SELLER, id, credit_amount(1_500)), Ok(()));
        assert_eq!(
            Pallet::<Test>::trade_background(id).unwrap().net,
            STANDARD_GROSS - 1_785
        );
        Pallet::<Test>::release_receivable(id, 10_000);
        assert_eq!(Pallet::<Test>::financed(id), 0);
        let note = Pallet::<Test>::trade_background(id + 1).unwrap();
        assert!(note.is_credit_note);
        assert_eq!(
            Pallet::<Test>::finance_receivable(id + 1, 1),
            err(Error::IsCreditNote)
        );
        assert_eq!(
            Pallet::<Test>::finance_receivable(99, 1),
            err(Error::UnknownInvoice)
        );
    });
}

/// Defect: `DueDate` terms were unbounded, so a lien on such an invoice could never be
/// enforced.
#[test]
fn due_dates_are_bounded_like_payment_days() {
    new_test_ext().execute(|| {
        let mut body = standard_body(BUYER);
        body.terms = PaymentTerms::DueDate(now() + 120 * DAY_MS + 1);
        assert_eq!(
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body: body.clone()
                },
                signed(SELLER)
            ),
            err(Error::InvalidPaymentTerms)
        );
        body.terms = PaymentTerms::DueDate(now() + 120 * DAY_MS);
        issue_from(SELLER, body);
    });
}

/// Defect: `set_quota(None)` (the default for periods not yet begun) changed the current
/// period's quota when the period had no record yet.
#[test]
fn set_quota_none_leaves_the_current_period_alone() {
    new_test_ext().execute(|| {
        let period = Invoicing::current_period();
        assert!(Periods::get(&account(SELLER), &period).is_none());
        assert_eq!(
            dispatch(
                Call::set_quota {
                    issuer: account(SELLER),
                    period: None,
                    quota: 5
                },
                Origin::Root
            ),
            Ok(())
        );
        assert_eq!(
            Periods::get(&account(SELLER), &period).unwrap().quota,
            QUOTA
        );
        issue();
        set_time(now() + PERIOD);
        assert_eq!(
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body: standard_body(BUYER)
                },
                signed(SELLER)
            ),
            err(Error::QuotaExceeded)
        );
    });
}

/// Defect: the content digest lived in the mutable state, so checking content against it
/// was self-referential. It is written once, apart, and the audit catches changed content.
#[test]
fn the_content_digest_is_written_once_and_changed_content_is_caught() {
    new_test_ext().execute(|| {
        let id = issue();
        let digest = ContentDigests::get(&id).unwrap();
        assert_eq!(
            digest,
            H256(folio_primitives::io::blake2_256(
                &Invoices::get(&id).unwrap().encode()
            ))
        );
        assert_eq!(pay(BUYER, id, 100), Ok(()));
        assert_eq!(request_credit(SELLER, id, credit_amount(100)), Ok(()));
        assert_eq!(ContentDigests::get(&id), Some(digest));
        let original = Invoices::get(&id).unwrap();
        let mut forged = original.clone();
        forged.body.content_hash = H256([0x66; 32]);
        Invoices::insert(&id, &forged);
        assert!(invariants::check_invariants::<Test>().is_err());
        Invoices::insert(&id, &original);
        assert_eq!(invariants::check_invariants::<Test>(), Ok(()));
    });
}

// ---- tax authority, allowed rates, suspension ----

fn set_rates(rates: Vec<(TaxCategory, u32)>, origin: Origin) -> DispatchResult {
    dispatch(Call::set_allowed_rates { rates }, origin)
}

fn issue_body(body: InvoiceBody) -> DispatchResult {
    dispatch(
        Call::issue_invoice {
            series: SERIES,
            body,
        },
        signed(SELLER),
    )
}

#[test]
fn invoices_outside_the_allowed_rates_table_are_refused() {
    new_test_ext().execute(|| {
        // No table yet: any rate its category accepts.
        issue();
        assert_eq!(
            set_rates(
                vec![(TaxCategory::Standard, 1_900), (TaxCategory::Exempt, 0)],
                Origin::Root
            ),
            Ok(())
        );
        assert_eq!(
            AllowedRates::get(),
            Some(vec![
                (TaxCategory::Standard, 1_900),
                (TaxCategory::Exempt, 0)
            ])
        );
        assert_eq!(issue_body(standard_body(BUYER)), Ok(()));
        let at_seven = body_of(BUYER, vec![line(1_000, 100, TaxCategory::Standard, 700)]);
        assert_eq!(issue_body(at_seven.clone()), err(Error::RateNotAllowed));
        let mixed = body_of(
            BUYER,
            vec![
                line(1_000, 100, TaxCategory::Exempt, 0),
                line(1_000, 100, TaxCategory::ZeroRated, 0),
            ],
        );
        assert_eq!(issue_body(mixed), err(Error::RateNotAllowed));
        // Drafts are checked the same way.
        assert_eq!(
            dispatch(
                Call::prepare_invoice {
                    series: SERIES,
                    body: at_seven
                },
                signed(SELLER)
            ),
            err(Error::RateNotAllowed)
        );
    });
}

#[test]
fn a_credit_note_of_an_invoice_at_a_rate_since_removed_is_still_issued() {
    new_test_ext().execute(|| {
        let id = issue();
        assert_eq!(
            set_rates(vec![(TaxCategory::Exempt, 0)], Origin::Root),
            Ok(())
        );
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(state(id).credited, 1_190);
    });
}

#[test]
fn the_rates_table_is_checked_and_set_only_by_the_tax_authority() {
    new_test_ext().execute(|| {
        let table = vec![(TaxCategory::Standard, 1_900)];
        assert_eq!(
            set_rates(table.clone(), signed(STRANGER)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            set_rates(vec![(TaxCategory::Standard, 0)], Origin::Root),
            err(Error::InvalidRatesTable)
        );
        assert_eq!(
            set_rates(vec![(TaxCategory::Exempt, 500)], Origin::Root),
            err(Error::InvalidRatesTable)
        );
        assert_eq!(
            set_rates(vec![(TaxCategory::Exempt, 0); 2], Origin::Root),
            err(Error::InvalidRatesTable)
        );
        let too_many = (1..=MAX_ALLOWED_RATES + 1)
            .map(|rate| (TaxCategory::Standard, rate))
            .collect();
        assert_eq!(
            set_rates(too_many, Origin::Root),
            err(Error::InvalidRatesTable)
        );
        assert_eq!(AllowedRates::get(), None);
        assert_eq!(set_rates(table.clone(), Origin::Root), Ok(()));
        assert_eq!(
            invoice_events(),
            vec![Event::AllowedRatesSet { rates: table }]
        );
    });
}

#[test]
fn governance_grants_and_withdraws_the_tax_authority() {
    new_test_ext().execute(|| {
        let grant = |authority: Option<u8>, origin| {
            dispatch(
                Call::set_tax_authority {
                    authority: authority.map(account),
                },
                origin,
            )
        };
        let quota = || Call::set_quota {
            issuer: account(SELLER),
            period: None,
            quota: 5,
        };
        assert_eq!(
            dispatch(quota(), signed(AGENT)),
            Err(DispatchError::BadOrigin)
        );
        // Only governance (Root) grants it; the authority cannot pass it on.
        assert_eq!(
            grant(Some(AGENT), signed(AGENT)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(grant(Some(AGENT), Origin::Root), Ok(()));
        assert_eq!(
            grant(Some(STRANGER), signed(AGENT)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(dispatch(quota(), signed(AGENT)), Ok(()));
        assert_eq!(
            set_rates(vec![(TaxCategory::Standard, 1_900)], signed(AGENT)),
            Ok(())
        );
        assert_eq!(
            dispatch(
                Call::suspend_issuer {
                    issuer: account(SELLER)
                },
                signed(AGENT)
            ),
            Ok(())
        );
        assert_eq!(
            dispatch(
                Call::register_issuer {
                    issuer: account(STRANGER),
                    tax_id: tax_id(STRANGER),
                    name_hash: H256([1; 32]),
                    series: vec![SERIES],
                    default_quota: 500,
                },
                signed(AGENT)
            ),
            Ok(())
        );
        // Root keeps the powers; withdrawing them leaves the account with none.
        assert_eq!(dispatch(quota(), Origin::Root), Ok(()));
        assert_eq!(grant(None, Origin::Root), Ok(()));
        assert_eq!(TaxAuthority::get(), None);
        assert_eq!(
            dispatch(quota(), signed(AGENT)),
            Err(DispatchError::BadOrigin)
        );
        assert!(invoice_events().contains(&Event::TaxAuthoritySet { authority: None }));
    });
}

#[test]
fn a_suspended_issuer_issues_nothing_new_until_reinstated() {
    new_test_ext().execute(|| {
        let id = issue();
        let suspend = |origin| {
            dispatch(
                Call::suspend_issuer {
                    issuer: account(SELLER),
                },
                origin,
            )
        };
        let reinstate = |origin| {
            dispatch(
                Call::reinstate_issuer {
                    issuer: account(SELLER),
                },
                origin,
            )
        };
        assert_eq!(suspend(signed(BUYER)), Err(DispatchError::BadOrigin));
        assert_eq!(reinstate(Origin::Root), err(Error::NotSuspended));
        assert_eq!(
            dispatch(
                Call::suspend_issuer {
                    issuer: account(STRANGER)
                },
                Origin::Root
            ),
            err(Error::NotAnIssuer)
        );
        // A draft prepared before the suspension cannot be issued during it.
        assert_eq!(
            dispatch(
                Call::prepare_invoice {
                    series: SERIES,
                    body: standard_body(BUYER)
                },
                signed(SELLER)
            ),
            Ok(())
        );
        assert_eq!(suspend(Origin::Root), Ok(()));
        assert_eq!(suspend(Origin::Root), err(Error::IssuerSuspended));
        assert_eq!(
            issue_body(standard_body(BUYER)),
            err(Error::IssuerSuspended)
        );
        assert_eq!(
            dispatch(Call::pay_and_issue { draft: 0 }, signed(BUYER)),
            err(Error::IssuerSuspended)
        );
        // Corrections of earlier invoices and payments on them go on.
        assert_eq!(request_credit(SELLER, id, credit_amount(1_000)), Ok(()));
        assert_eq!(pay(BUYER, id, 100), Ok(()));
        assert_eq!(reinstate(Origin::Root), Ok(()));
        assert_eq!(issue_body(standard_body(BUYER)), Ok(()));
        let events = invoice_events();
        assert!(events.contains(&Event::IssuerSuspended {
            issuer: account(SELLER)
        }));
        assert!(events.contains(&Event::IssuerReinstated {
            issuer: account(SELLER)
        }));
    });
}

// ---- exemption reasons (BT-120/121) ----

#[test]
fn exempt_entries_need_their_reason_code_and_taxed_ones_refuse_one() {
    new_test_ext().execute(|| {
        let issue_body = |body| {
            dispatch(
                Call::issue_invoice {
                    series: SERIES,
                    body,
                },
                signed(SELLER),
            )
        };
        let mixed = || {
            body_of(
                BUYER,
                vec![
                    line(1_000, 100, TaxCategory::Standard, 1_900),
                    line(1_000, 1_000, TaxCategory::Exempt, 0),
                ],
            )
        };
        let exempt_at = |body: &InvoiceBody| {
            body.breakdown
                .iter()
                .position(|e| e.category == TaxCategory::Exempt)
                .unwrap()
        };
        let mut missing = mixed();
        let at = exempt_at(&missing);
        missing.breakdown[at].exemption = None;
        assert_eq!(issue_body(missing), err(Error::MissingExemptionReason));
        let mut wrong = mixed();
        let at = exempt_at(&wrong);
        wrong.breakdown[at].exemption = exemption_for(TaxCategory::ReverseCharge);
        assert_eq!(issue_body(wrong), err(Error::InvalidExemptionReason));
        let mut on_standard = mixed();
        let at = 1 - exempt_at(&on_standard);
        on_standard.breakdown[at].exemption = exemption_for(TaxCategory::Exempt);
        assert_eq!(issue_body(on_standard), err(Error::InvalidExemptionReason));
        assert!(invoice_events().is_empty());

        let id = issue_from(SELLER, mixed());
        // A credit note of the exempt part carries the invoice's reason.
        let exempt = CreditContent::Amount {
            net: 400,
            category: TaxCategory::Exempt,
            rate: 0,
            classification: *b"CN010101",
        };
        assert_eq!(request_credit(SELLER, id, exempt), Ok(()));
        let credit_note = Invoices::get(&(id + 1)).unwrap();
        assert_eq!(credit_note.corrects, Some(id));
        assert_eq!(
            credit_note.body.breakdown[0].exemption,
            exemption_for(TaxCategory::Exempt)
        );
    });
}
