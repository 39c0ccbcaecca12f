//! Issue 19, "credit notes break the bills' trade background", across both pallets in this
//! runtime: a bill drawn and accepted on an invoice counts its face against the invoice's net
//! in the e-invoice pallet's financing registry, so a credit note may take only the part of
//! the net no bill cites. A credit within it is issued; one that would lower the net below
//! the bill's face fails with `ReceivableFinanced` and changes nothing; and every pallet's
//! invariants (`invariants::check_all`, including the bills' "cited ≤ net") hold after each
//! step. The issue reported that such a second credit was issued and the runtime's bills
//! invariant then failed; the pallet's own test calls the registry directly, this one runs
//! the real bills pallet.

use folio_pallet_bills::Call as BillCall;
use folio_pallet_einvoice::{
    Call as InvoiceCall, CreditContent, Error as InvoiceError, InvoiceBody, InvoiceLine,
    InvoiceType, PaymentTerms, TaxCategory, TaxSubtotal, Totals,
};
use folio_pallet_support::origin::Origin;
use folio_pallet_support::storage::StorageValue;
use folio_pallet_support::transactional::with_transaction;
use folio_primitives::dispatch::{DispatchError, DispatchResult, ModuleError};
use folio_primitives::externalities::TestExternalities;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{Bob, Charlie};
use folio_primitives::Balance;
use folio_runtime::{RuntimeCall, DAY, UNIT};
use parity_scale_codec::Encode;

const SERIES: [u8; 4] = *b"INV1";
/// 1 December 2026, 00:00 UTC, in milliseconds: block time is wall-clock time.
const NOW: u64 = 1_796_083_200_000;

fn dispatch(origin: Origin, call: RuntimeCall) -> DispatchResult {
    with_transaction(|| call.dispatch(origin))
        .map(|_| ())
        .map_err(|failed| failed.error)
}

fn signed(who: folio_primitives::keyring::Keyring) -> Origin {
    Origin::Signed(who.account_id())
}

/// The e-invoice pallet's `error` as this runtime reports it.
fn invoice_error(error: InvoiceError) -> DispatchError {
    DispatchError::Module(ModuleError {
        index: folio_runtime::pallet_index::INVOICES,
        error: [error.encode()[0], 0, 0, 0],
    })
}

/// No pallet's invariant is broken.
fn assert_invariants(after: &str) {
    let broken: Vec<_> = folio_runtime::invariants::check_all()
        .into_iter()
        .filter(|(_, violation)| violation.is_some())
        .collect();
    assert!(broken.is_empty(), "after {after}: {broken:?}");
}

/// 100 FOLIO at 19 %: 119 FOLIO gross.
fn invoice_body() -> InvoiceBody {
    InvoiceBody {
        invoice_type: InvoiceType::Commercial,
        currency: *b"FOL",
        buyer: Charlie.account_id(),
        lines: vec![InvoiceLine {
            quantity: 1_000,
            unit_price: 100 * UNIT,
            net: 100 * UNIT,
            category: TaxCategory::Standard,
            rate: 1_900,
            classification: *b"85234910",
        }],
        breakdown: vec![TaxSubtotal {
            category: TaxCategory::Standard,
            rate: 1_900,
            taxable: 100 * UNIT,
            tax: 19 * UNIT,
            exemption: None,
        }],
        totals: Totals {
            line_total: 100 * UNIT,
            tax_total: 19 * UNIT,
            gross_total: 119 * UNIT,
        },
        terms: PaymentTerms::NetDays(30),
        content_hash: H256([0x11; 32]),
    }
}

fn credit(net: Balance) -> RuntimeCall {
    RuntimeCall::Invoices(InvoiceCall::request_credit {
        id: 0,
        content: CreditContent::Amount {
            net,
            category: TaxCategory::Standard,
            rate: 1_900,
            classification: *b"85234910",
        },
        reason: 95,
        content_hash: H256([0x22; 32]),
    })
}

#[test]
fn a_credit_on_an_invoice_cited_by_a_bill_keeps_the_bills_trade_background() {
    let mut ext = TestExternalities::default();
    ext.execute_with(|| {
        let config = folio_runtime::genesis::preset_config(Some(b"development")).expect("preset");
        folio_runtime::genesis::build(&config).expect("dev genesis");
        folio_pallet_timestamp::Now::put(&NOW);
        assert_invariants("genesis");

        // Bob, a registered issuer, invoices Charlie 119 FOLIO (invoice 0).
        let register = InvoiceCall::register_issuer {
            issuer: Bob.account_id(),
            tax_id: *b"DE123456789000000000",
            name_hash: H256([0xB0; 32]),
            series: vec![SERIES],
            default_quota: 1_000 * UNIT,
        };
        assert_eq!(
            dispatch(Origin::Root, RuntimeCall::Invoices(register)),
            Ok(())
        );
        let issue = InvoiceCall::issue_invoice {
            series: SERIES,
            body: invoice_body(),
        };
        assert_eq!(dispatch(signed(Bob), RuntimeCall::Invoices(issue)), Ok(()));

        // Bob draws a bill of 100 FOLIO on Charlie citing the invoice; Charlie accepts it.
        let bill = BillCall::issue {
            acceptor: Charlie.account_id(),
            payee: Bob.account_id(),
            face: 100 * UNIT,
            maturity: NOW + 30 * DAY,
            non_transferable: false,
            divisible: false,
            invoices: vec![0],
        };
        assert_eq!(dispatch(signed(Bob), RuntimeCall::Bills(bill)), Ok(()));
        let ask = BillCall::request_acceptance { bill: 0 };
        assert_eq!(dispatch(signed(Bob), RuntimeCall::Bills(ask)), Ok(()));
        let accept = BillCall::accept { bill: 0, margin: 0 };
        assert_eq!(
            dispatch(signed(Charlie), RuntimeCall::Bills(accept)),
            Ok(())
        );
        assert_eq!(
            folio_pallet_einvoice::Pallet::<folio_runtime::Runtime>::financed(0),
            100 * UNIT,
            "the bill's face counts against the invoice"
        );
        assert_invariants("the accepted bill");

        // 19 FOLIO of the net are not cited: a credit of 10 + 19 % (11.9) is issued at once
        // (the invoice is not yet acknowledged or paid).
        assert_eq!(dispatch(signed(Bob), credit(10 * UNIT)), Ok(()));
        let net = |id| {
            folio_pallet_einvoice::Pallet::<folio_runtime::Runtime>::trade_background(id)
                .expect("invoice 0")
                .net
        };
        assert_eq!(net(0), 119 * UNIT - 11_900_000_000_000);
        assert_invariants("the credit within the uncited net");

        // 7.1 FOLIO are left uncited: a second credit of 11.9 would cut into the bill's face.
        let before = net(0);
        assert_eq!(
            dispatch(signed(Bob), credit(10 * UNIT)),
            Err(invoice_error(InvoiceError::ReceivableFinanced))
        );
        assert_eq!(net(0), before, "the refused credit changed nothing");
        assert!(net(0) >= 100 * UNIT, "the net still covers the bill");
        assert_invariants("the refused credit");

        // Exactly what is left uncited can still be credited: 5 + 19 % = 5.95 ≤ 7.1.
        assert_eq!(dispatch(signed(Bob), credit(5 * UNIT)), Ok(()));
        assert!(net(0) >= 100 * UNIT);
        assert_invariants("the last credit within the uncited net");
    });
}
