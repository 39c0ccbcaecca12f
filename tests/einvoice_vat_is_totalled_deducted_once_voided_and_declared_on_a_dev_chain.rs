//! On `folio-node --dev`, over JSON-RPC only, the tax side of e-invoices: Sudo (Root) grants
//! //Eve the tax authority and registers //Bob as an issuer; Bob issues an invoice to
//! //Charlie (19 % and an exempt line with its VATEX reason) and the chain's VAT totals per
//! (category, rate) of Bob (output) and Charlie (input) for the calendar month hold it; an
//! exempt line without its reason is refused; Bob issues a second invoice and voids it (the
//! totals drop back, paying it fails); Charlie acknowledges the first and deducts its input
//! tax once (a second claim fails with `InputTaxAlreadyClaimed`); a credit note confirmed by
//! Charlie afterwards reverses the deduction in its period; Bob files the declaration of the
//! ended previous month and Eve confirms it (a second filing fails, the current month cannot
//! be filed).
//!
//! Every step is a signed extrinsic submitted with `author_submitAndWatchExtrinsic`; the test
//! decodes `System.Events` of its block and reads the pallet's storage at that block with
//! `state_getStorage`.

mod common;

use common::*;
use folio_pallet_einvoice::{
    CreditContent, Error as InvoiceError, Event as InvoiceEvent, ExemptionReason, InvoiceBody,
    InvoiceLine, InvoiceType, PaymentTerms, PeriodIndex, PeriodRecord, PeriodTax, TaxCategory,
    TaxSubtotal, Totals, VatTotals,
};
use folio_pallet_support::events::{EventRecord, Phase};
use folio_pallet_support::storage::StorageDoubleMap;
use folio_primitives::dispatch::{DispatchError, ModuleError};
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Eve};
use folio_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use parity_scale_codec::{Decode, Encode};
use serde_json::{json, Value};
use tungstenite::Message;

type InvoiceCall = folio_pallet_einvoice::Call;

/// RPC port of this test's node (this test's range: 24500–24999).
const PORT: u16 = 24_517;
const SERIES: [u8; 4] = *b"VAT1";
const STANDARD: (TaxCategory, u32) = (TaxCategory::Standard, 1_900);
const EXEMPT: (TaxCategory, u32) = (TaxCategory::Exempt, 0);

/// What one extrinsic did: its block and its events, in order.
struct Included {
    block: H256,
    events: Vec<RuntimeEvent>,
}

impl Included {
    fn invoice_events(&self) -> Vec<InvoiceEvent> {
        self.events
            .iter()
            .filter_map(|event| match event {
                RuntimeEvent::Invoices(event) => Some(event.clone()),
                _ => None,
            })
            .collect()
    }

    fn assert_succeeded(&self, what: &str) {
        assert!(
            self.events.iter().any(|event| matches!(
                event,
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. })
            )),
            "{what} failed: {:?}",
            self.events
        );
    }

    fn assert_failed_with(&self, what: &str, error: InvoiceError) {
        let expected = DispatchError::Module(ModuleError {
            index: folio_runtime::pallet_index::INVOICES,
            error: [error.encode()[0], 0, 0, 0],
        });
        let got = self.events.iter().find_map(|event| match event {
            RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed {
                dispatch_error,
                ..
            }) => Some(*dispatch_error),
            _ => None,
        });
        assert_eq!(got, Some(expected), "{what}: events {:?}", self.events);
    }
}

/// Signs with one nonce counter per account and submits to one node.
struct Chain<'a> {
    node: &'a NodeProcess,
    genesis: H256,
    nonces: [u32; 6],
}

impl Chain<'_> {
    fn submit(&mut self, who: Keyring, call: RuntimeCall) -> Included {
        let slot = Keyring::ALL.iter().position(|k| *k == who).unwrap();
        let tx = sign(
            self.genesis,
            who,
            call,
            self.nonces[slot],
            folio_runtime::SPEC_VERSION,
        );
        self.nonces[slot] += 1;
        let (mut socket, _) = tungstenite::connect(self.node.url()).expect("websocket connects");
        socket
            .send(Message::text(
                json!({"id": 1, "jsonrpc": "2.0", "method": "author_submitAndWatchExtrinsic", "params": [hex_of(&tx)]}).to_string(),
            ))
            .expect("send");
        let answer = next_json(&mut socket);
        assert!(
            answer.get("result").is_some(),
            "submission refused: {answer}"
        );
        let block = loop {
            let note = next_json(&mut socket);
            let status = &note["params"]["result"];
            if let Some(hash) = status
                .get("inBlock")
                .or_else(|| status.get("finalized"))
                .and_then(Value::as_str)
            {
                break parse_hash(&json!(hash));
            }
        };
        let _ = socket.close(None);
        let body = self.node.rpc("chain_getBlock", json!([block.to_hex()]));
        let index = body["block"]["extrinsics"]
            .as_array()
            .expect("extrinsics")
            .iter()
            .position(|x| x.as_str() == Some(hex_of(&tx).as_str()))
            .expect("the block holds the submitted bytes") as u32;
        let events = self
            .storage::<Vec<EventRecord<RuntimeEvent>>>(block, &system_events_key())
            .unwrap_or_default()
            .into_iter()
            .filter(|record| record.phase == Phase::ApplyExtrinsic(index))
            .map(|record| record.event)
            .collect();
        Included { block, events }
    }

    /// The value under `key` at `block`, decoded (`None` if absent).
    fn storage<T: Decode>(&self, block: H256, key: &[u8]) -> Option<T> {
        let raw = self
            .node
            .rpc("state_getStorage", json!([hex_of(key), block.to_hex()]));
        let text = raw.as_str()?;
        let bytes = hex::decode(text.trim_start_matches("0x")).expect("hex");
        let mut input = &bytes[..];
        let value = T::decode(&mut input).expect("decodes");
        assert!(input.is_empty(), "trailing bytes");
        Some(value)
    }

    fn issuer_vat(&self, block: H256, period: PeriodIndex, key: (TaxCategory, u32)) -> VatTotals {
        let key = folio_pallet_einvoice::IssuerVat::key(&(Bob.account_id(), period), &key);
        self.storage(block, &key).unwrap_or_default()
    }

    fn buyer_vat(&self, block: H256, period: PeriodIndex, key: (TaxCategory, u32)) -> VatTotals {
        let key = folio_pallet_einvoice::BuyerVat::key(&(Charlie.account_id(), period), &key);
        self.storage(block, &key).unwrap_or_default()
    }

    fn period_tax(&self, block: H256, who: Keyring, period: PeriodIndex) -> PeriodTax {
        let key = folio_pallet_einvoice::PeriodTaxes::key(&who.account_id(), &period);
        self.storage(block, &key).unwrap_or_default()
    }

    fn period_record(&self, block: H256, period: PeriodIndex) -> Option<PeriodRecord> {
        let key = folio_pallet_einvoice::Periods::key(&Bob.account_id(), &period);
        self.storage(block, &key)
    }

    fn current_period(&self, block: H256) -> PeriodIndex {
        let answer = self.node.rpc(
            "state_call",
            json!(["InvoicesApi_current_period", "0x", block.to_hex()]),
        );
        let bytes = hex::decode(answer.as_str().expect("hex").trim_start_matches("0x")).unwrap();
        PeriodIndex::decode(&mut &bytes[..]).expect("a period")
    }
}

fn system_events_key() -> Vec<u8> {
    let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(b"Events"));
    key
}

fn next_json(
    socket: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
) -> Value {
    loop {
        match socket.read().expect("socket open") {
            Message::Text(text) => return serde_json::from_str(&text).expect("json"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        }
    }
}

fn invoices(call: InvoiceCall) -> RuntimeCall {
    RuntimeCall::Invoices(call)
}

fn sudo(call: InvoiceCall) -> RuntimeCall {
    RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(invoices(call)),
    })
}

/// 2 × 50 FOLIO at 19 % and 1.5 × 10 FOLIO exempt (EU VAT directive art. 132(1)(a)):
/// net 115, tax 19, gross 134.
fn invoice_body(exemption: Option<ExemptionReason>) -> InvoiceBody {
    let line = |quantity, unit_price, net, (category, rate)| InvoiceLine {
        quantity,
        unit_price,
        net,
        category,
        rate,
        classification: *b"85234910",
    };
    InvoiceBody {
        invoice_type: InvoiceType::Commercial,
        currency: *b"FOL",
        buyer: Charlie.account_id(),
        lines: vec![
            line(2_000, 50 * UNIT, 100 * UNIT, STANDARD),
            line(1_500, 10 * UNIT, 15 * UNIT, EXEMPT),
        ],
        breakdown: vec![
            TaxSubtotal {
                category: TaxCategory::Standard,
                rate: 1_900,
                taxable: 100 * UNIT,
                tax: 19 * UNIT,
                exemption: None,
            },
            TaxSubtotal {
                category: TaxCategory::Exempt,
                rate: 0,
                taxable: 15 * UNIT,
                tax: 0,
                exemption,
            },
        ],
        totals: Totals {
            line_total: 115 * UNIT,
            tax_total: 19 * UNIT,
            gross_total: 134 * UNIT,
        },
        terms: PaymentTerms::NetDays(30),
        content_hash: H256([0x42; 32]),
    }
}

fn vatex(code: &str) -> Option<ExemptionReason> {
    Some(ExemptionReason {
        code: folio_pallet_einvoice::exemption::code(code).expect("fits"),
        text_hash: None,
    })
}

#[test]
fn einvoice_vat_is_totalled_deducted_once_voided_and_declared_on_a_dev_chain() {
    let node = NodeProcess::start_on(PORT, &["--dev"]);
    let mut chain = Chain {
        node: &node,
        genesis: node.genesis_hash(),
        nonces: [0; 6],
    };

    // 1. Governance (Sudo) grants Eve the tax authority and registers Bob.
    let step = chain.submit(
        Alice,
        sudo(InvoiceCall::set_tax_authority {
            authority: Some(Eve.account_id()),
        }),
    );
    step.assert_succeeded("set_tax_authority");
    let step = chain.submit(
        Alice,
        sudo(InvoiceCall::register_issuer {
            issuer: Bob.account_id(),
            tax_id: *b"DE987654321000000000",
            name_hash: H256([0xB0; 32]),
            series: vec![SERIES],
            default_quota: 1_000 * UNIT,
        }),
    );
    step.assert_succeeded("register_issuer");

    // 2. An exempt line without its reason code is refused; with it, the invoice counts in
    //    Bob's output VAT and Charlie's input VAT of this calendar month.
    let issue = |exemption| {
        invoices(InvoiceCall::issue_invoice {
            series: SERIES,
            body: invoice_body(exemption),
        })
    };
    let step = chain.submit(Bob, issue(None));
    step.assert_failed_with(
        "issue without exemption reason",
        InvoiceError::MissingExemptionReason,
    );
    let step = chain.submit(Bob, issue(vatex("VATEX-EU-132-1A")));
    step.assert_succeeded("issue_invoice");
    let id = match step.invoice_events().as_slice() {
        [InvoiceEvent::InvoiceIssued { id, .. }] => *id,
        other => panic!("issue_invoice events {other:?}"),
    };
    let period = chain.current_period(step.block);
    assert!(
        period > 12 * 50,
        "block time is wall-clock time: period {period}"
    );
    let standard = chain.issuer_vat(step.block, period, STANDARD);
    assert_eq!((standard.taxable, standard.tax), (100 * UNIT, 19 * UNIT));
    let exempt = chain.issuer_vat(step.block, period, EXEMPT);
    assert_eq!((exempt.taxable, exempt.tax), (15 * UNIT, 0));
    let received = chain.buyer_vat(step.block, period, STANDARD);
    assert_eq!((received.taxable, received.tax), (100 * UNIT, 19 * UNIT));
    assert_eq!(
        chain.period_tax(step.block, Bob, period).output_tax,
        19 * UNIT
    );

    // 3. A second invoice, voided by Bob within the month: the totals drop back.
    let step = chain.submit(Bob, issue(vatex("VATEX-EU-132-1A")));
    step.assert_succeeded("second issue_invoice");
    let voided = id + 1;
    assert_eq!(
        chain.issuer_vat(step.block, period, STANDARD).tax,
        38 * UNIT
    );
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::void_invoice {
            id: voided,
            reason: 1,
        }),
    );
    step.assert_succeeded("void_invoice");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceVoided {
            id: voided,
            issuer: Bob.account_id(),
            period,
            reason: 1
        }]
    );
    assert_eq!(
        chain.issuer_vat(step.block, period, STANDARD).tax,
        19 * UNIT
    );
    assert_eq!(chain.buyer_vat(step.block, period, STANDARD).tax, 19 * UNIT);
    assert_eq!(
        chain
            .period_record(step.block, period)
            .expect("a record")
            .issued,
        134 * UNIT
    );
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::pay_invoice {
            id: voided,
            amount: UNIT,
        }),
    );
    step.assert_failed_with("paying a voided invoice", InvoiceError::InvalidStatus);

    // 4. Charlie acknowledges the first invoice and deducts its input tax, once.
    let step = chain.submit(Charlie, invoices(InvoiceCall::acknowledge { id }));
    step.assert_succeeded("acknowledge");
    let step = chain.submit(Charlie, invoices(InvoiceCall::claim_input_tax { id }));
    step.assert_succeeded("claim_input_tax");
    let claimed_in = chain.current_period(step.block);
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InputTaxClaimed {
            id,
            buyer: Charlie.account_id(),
            period: claimed_in,
            tax: 19 * UNIT
        }]
    );
    assert_eq!(
        chain.period_tax(step.block, Charlie, claimed_in).input_tax,
        19 * UNIT
    );
    let step = chain.submit(Charlie, invoices(InvoiceCall::claim_input_tax { id }));
    step.assert_failed_with("second claim", InvoiceError::InputTaxAlreadyClaimed);

    // 5. A credit note (10 FOLIO at 19 %) Charlie confirms reverses 1.9 FOLIO of the
    //    deduction, in the credit note's period.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::request_credit {
            id,
            content: CreditContent::Amount {
                net: 10 * UNIT,
                category: TaxCategory::Standard,
                rate: 1_900,
                classification: *b"85234910",
            },
            reason: 95,
            content_hash: H256([0x43; 32]),
        }),
    );
    step.assert_succeeded("request_credit");
    let step = chain.submit(Charlie, invoices(InvoiceCall::confirm_credit { id }));
    step.assert_succeeded("confirm_credit");
    let credited_in = chain.current_period(step.block);
    let tax = chain.period_tax(step.block, Charlie, credited_in);
    assert_eq!(tax.input_tax_reversed, 1_900_000_000_000);
    let credited = chain.issuer_vat(step.block, credited_in, STANDARD);
    assert_eq!(
        (credited.credited_taxable, credited.credited_tax),
        (10 * UNIT, 1_900_000_000_000)
    );
    assert_eq!(
        chain
            .buyer_vat(step.block, credited_in, STANDARD)
            .credited_tax,
        1_900_000_000_000
    );

    // 6. Bob files the declaration of the ended previous month; Eve confirms it.
    let now = chain.current_period(step.block);
    let hash = H256([0xDE; 32]);
    let file = |period| {
        invoices(InvoiceCall::file_declaration {
            period,
            declaration_hash: hash,
        })
    };
    let step = chain.submit(Bob, file(now));
    step.assert_failed_with("filing the current month", InvoiceError::PeriodNotOver);
    let step = chain.submit(Bob, file(now - 1));
    step.assert_succeeded("file_declaration");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::DeclarationFiled {
            issuer: Bob.account_id(),
            period: now - 1,
            declaration_hash: hash,
            tax: PeriodTax::default(),
        }]
    );
    let step = chain.submit(Bob, file(now - 1));
    step.assert_failed_with("filing twice", InvoiceError::AlreadyFiled);
    let step = chain.submit(
        Eve,
        invoices(InvoiceCall::close_period {
            issuer: Bob.account_id(),
            period: now - 1,
            declaration_hash: hash,
        }),
    );
    step.assert_succeeded("close_period by the tax authority");
    assert!(step.invoice_events().iter().any(
        |event| matches!(event, InvoiceEvent::PeriodClosed { period, .. } if *period == now - 1)
    ));
    let declaration = chain
        .period_record(step.block, now - 1)
        .and_then(|record| record.declaration)
        .expect("declared");
    assert_eq!(declaration.declaration_hash, hash);
    assert!(declaration.confirmed_at.is_some(), "confirmed");
}
