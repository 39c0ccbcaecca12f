//! On `folio-node --dev`, over JSON-RPC only: the tax authority (Sudo, //Alice) registers
//! //Bob as an invoice issuer; Bob issues an invoice to //Charlie; Charlie acknowledges it and
//! pays part of it; Bob asks for a red-letter credit note and Charlie confirms it (it is paid
//! in part, so the buyer must agree); Charlie pays the rest (the invoice is Settled); Charlie
//! locks it for the reimbursement of //Dave and reimburses him; a second reimbursement and a
//! second lock are both rejected with `AlreadyReimbursed` and move nothing.
//!
//! Then financing by a bank after a stranger's offer, and a credit after payment: Bob issues
//! a second invoice to Charlie; //Ferdie, a stranger, offers an advance of 1 unit that nothing
//! backs (an offer holds no money); //Dave, the bank, offers 60 FOLIO all the same, and Bob
//! accepts Dave's offer (Dave → Bob 60 FOLIO, the lien is Dave's) and declines Ferdie's.
//! Charlie pays the 134 FOLIO in full: 60 go to Dave (the lien ends, repaid), 74 to Bob. Bob
//! then corrects the paid invoice with a credit note of 11.9 FOLIO that Charlie confirms: the
//! 11.9 FOLIO go back from Bob to Charlie in the same extrinsic. Last, the chain travels to
//! the next month (`dev_timeTravel`) and Bob declares the month just ended: its totals are
//! exactly the two invoices and the two credit notes; the tax authority (Sudo) confirms it.
//!
//! Every step is a signed extrinsic submitted with `author_submitAndWatchExtrinsic`. For each
//! block the test decodes `System.Events` at the block's hash and checks the extrinsic's
//! events exactly (the pallet's events, every `Balances.Transfer`, success or the exact module
//! error), checks every endowed account's free balance changed by exactly its transfers minus
//! the fee it paid, and reads the invoice back through the `InvoicesApi_*` runtime API.

mod common;

use common::*;
use folio_pallet_einvoice::api::InvoiceView;
use folio_pallet_einvoice::{
    Action, CreditContent, Error as InvoiceError, Event as InvoiceEvent, ExemptionReason,
    InvoiceBody, InvoiceLine, InvoiceStatus, InvoiceType, Issuer, PaymentTerms, PeriodRecord,
    Reimbursement, TaxCategory, TaxSubtotal, Totals,
};
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::dispatch::{DispatchError, ModuleError};
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave};
use folio_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use parity_scale_codec::{Decode, Encode};
use serde_json::{json, Value};
use tungstenite::Message;

type InvoiceCall = folio_pallet_einvoice::Call;

const SERIES: [u8; 4] = *b"INV1";
const TAX_ID: [u8; 20] = *b"DE123456789000000000";
const REASON_PRICE_REDUCTION: u16 = 95;

/// What one extrinsic did, read from its block.
struct Included {
    block: H256,
    /// Its events, in order.
    events: Vec<RuntimeEvent>,
    /// Free balances of the endowed accounts before and after its block.
    before: [u128; 6],
    after: [u128; 6],
}

/// A signer with its own nonce counter, talking to one node.
struct Chain<'a> {
    node: &'a NodeProcess,
    genesis: H256,
    nonces: [u32; 6],
}

impl Chain<'_> {
    /// Signs `call` as `who`, submits it over WebSocket, waits until it is in a block and
    /// returns that block's record of it.
    fn submit(&mut self, who: Keyring, call: RuntimeCall) -> Included {
        let nonce = &mut self.nonces[slot(who)];
        let tx = sign(self.genesis, who, call, *nonce, folio_runtime::SPEC_VERSION);
        *nonce += 1;
        let parent = parse_hash(&self.node.rpc("chain_getBlockHash", json!([])));
        let before = balances_at(self.node, parent);

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
            assert!(
                status == "ready" || status == "future" || status.get("broadcast").is_some(),
                "unexpected status {note}"
            );
        };
        let _ = socket.close(None);

        // The extrinsic's position in its block gives its event phase.
        let body = self.node.rpc("chain_getBlock", json!([block.to_hex()]));
        let index = body["block"]["extrinsics"]
            .as_array()
            .expect("extrinsics")
            .iter()
            .position(|x| x.as_str() == Some(hex_of(&tx).as_str()))
            .expect("the block holds the submitted bytes") as u32;
        let events = events_at(self.node, block)
            .into_iter()
            .filter(|record| record.phase == Phase::ApplyExtrinsic(index))
            .map(|record| record.event)
            .collect();
        let after = balances_at(self.node, block);
        Included {
            block,
            events,
            before,
            after,
        }
    }
}

impl Included {
    /// The invoice pallet's events of the extrinsic.
    fn invoice_events(&self) -> Vec<InvoiceEvent> {
        self.events
            .iter()
            .filter_map(|event| match event {
                RuntimeEvent::Invoices(event) => Some(event.clone()),
                _ => None,
            })
            .collect()
    }

    /// `Balances.Transfer` events as `(from, to, amount)`.
    fn transfers(&self) -> Vec<(Keyring, Keyring, u128)> {
        self.events
            .iter()
            .filter_map(|event| match event {
                RuntimeEvent::Balances(folio_pallet_currency::Event::Transfer {
                    from,
                    to,
                    amount,
                }) => Some((keyring_of(from), keyring_of(to), *amount)),
                _ => None,
            })
            .collect()
    }

    /// The fee `who` paid for the extrinsic (`TransactionPayment.TransactionFeePaid`).
    fn fee_of(&self, who: Keyring) -> u128 {
        self.events
            .iter()
            .filter_map(|event| match event {
                RuntimeEvent::TransactionPayment(
                    folio_pallet_currency::FeeEvent::TransactionFeePaid {
                        who: payer,
                        actual_fee,
                        ..
                    },
                ) if *payer == who.account_id() => Some(*actual_fee),
                _ => None,
            })
            .sum()
    }

    fn assert_succeeded(&self, what: &str) {
        let failed = self.events.iter().find(|event| {
            matches!(
                event,
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed { .. })
            )
        });
        assert!(failed.is_none(), "{what} failed: {failed:?}");
        assert!(
            self.events.iter().any(|event| matches!(
                event,
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. })
            )),
            "{what}: no ExtrinsicSuccess in {:?}",
            self.events
        );
    }

    fn assert_failed_with(&self, what: &str, error: InvoiceError) {
        let expected = DispatchError::Module(ModuleError {
            index: folio_runtime::pallet_index::INVOICES,
            error: [error.encode()[0], 0, 0, 0],
        });
        let dispatch_error = self.events.iter().find_map(|event| match event {
            RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed {
                dispatch_error,
                ..
            }) => Some(*dispatch_error),
            _ => None,
        });
        assert_eq!(
            dispatch_error,
            Some(expected),
            "{what}: expected {error:?}; events {:?}",
            self.events
        );
    }

    /// Every endowed account's free balance changed by exactly its transfers in, minus its
    /// transfers out, minus the fee it paid; `payer` paid a fee above zero (unless sudo).
    fn assert_money(&self, what: &str, signer: Keyring, transfers: &[(Keyring, Keyring, u128)]) {
        assert_eq!(self.transfers(), transfers, "{what}: transfers");
        for who in Keyring::ALL {
            let mut expected = self.before[slot(who)] as i128 - self.fee_of(who) as i128;
            for (from, to, amount) in transfers {
                if *from == who {
                    expected -= *amount as i128;
                }
                if *to == who {
                    expected += *amount as i128;
                }
            }
            assert_eq!(
                self.after[slot(who)] as i128,
                expected,
                "{what}: free balance of {who:?} (fee {})",
                self.fee_of(who)
            );
            if who != signer {
                assert_eq!(self.fee_of(who), 0, "{what}: only the signer pays");
            }
        }
    }
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

fn keyring_of(account: &folio_primitives::AccountId) -> Keyring {
    Keyring::ALL
        .into_iter()
        .find(|k| k.account_id() == *account)
        .unwrap_or_else(|| panic!("money moved to an account outside the keyring: {account:?}"))
}

fn decode_hex<T: Decode>(value: &Value) -> T {
    let bytes =
        hex::decode(value.as_str().expect("hex string").trim_start_matches("0x")).expect("hex");
    let mut input = &bytes[..];
    let decoded = T::decode(&mut input).expect("decodes");
    assert!(input.is_empty(), "trailing bytes");
    decoded
}

fn events_at(node: &NodeProcess, block: H256) -> Vec<EventRecord<RuntimeEvent>> {
    let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(b"Events"));
    let raw = node.rpc("state_getStorage", json!([hex_of(&key), block.to_hex()]));
    if raw.is_null() {
        return Vec::new();
    }
    decode_hex(&raw)
}

fn balances_at(node: &NodeProcess, block: H256) -> [u128; 6] {
    Keyring::ALL.map(|who| {
        let raw = node.rpc(
            "state_getStorage",
            json!([account_key(who), block.to_hex()]),
        );
        let bytes =
            hex::decode(raw.as_str().expect("endowed").trim_start_matches("0x")).expect("hex");
        u128::from_le_bytes(bytes[16..32].try_into().unwrap())
    })
}

/// The index of `who` in `Keyring::ALL`.
fn slot(who: Keyring) -> usize {
    Keyring::ALL.iter().position(|k| *k == who).unwrap()
}

/// `state_call` of an `InvoicesApi_*` function at `block`, decoded.
fn api<T: Decode>(node: &NodeProcess, block: H256, function: &str, input: impl Encode) -> T {
    let answer = node.rpc(
        "state_call",
        json!([
            format!("InvoicesApi_{function}"),
            hex_of(&input.encode()),
            block.to_hex()
        ]),
    );
    decode_hex(&answer)
}

fn invoices(call: InvoiceCall) -> RuntimeCall {
    RuntimeCall::Invoices(call)
}

/// Two lines: 2 × 50 FOLIO at 19 % and 1.5 × 10 FOLIO exempt = 100 + 15 net, 19 tax, 134.
fn invoice_body(buyer: Keyring) -> InvoiceBody {
    InvoiceBody {
        invoice_type: InvoiceType::Commercial,
        currency: *b"FOL",
        buyer: buyer.account_id(),
        lines: vec![
            InvoiceLine {
                quantity: 2_000,
                unit_price: 50 * UNIT,
                net: 100 * UNIT,
                category: TaxCategory::Standard,
                rate: 1_900,
                classification: *b"85234910",
            },
            InvoiceLine {
                quantity: 1_500,
                unit_price: 10 * UNIT,
                net: 15 * UNIT,
                category: TaxCategory::Exempt,
                rate: 0,
                classification: *b"49019900",
            },
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
                // EN 16931 BT-121: exempt entries say why.
                exemption: Some(ExemptionReason {
                    code: folio_pallet_einvoice::exemption::code("VATEX-EU-132-1A").expect("fits"),
                    text_hash: None,
                }),
            },
        ],
        totals: Totals {
            line_total: 115 * UNIT,
            tax_total: 19 * UNIT,
            gross_total: 134 * UNIT,
        },
        terms: PaymentTerms::NetDays(30),
        content_hash: H256([0x11; 32]),
    }
}

#[test]
fn invoices_are_paid_credited_and_reimbursed_once_on_a_dev_chain() {
    let node = NodeProcess::dev(&[]);
    let mut chain = Chain {
        node: &node,
        genesis: node.genesis_hash(),
        nonces: [0; 6],
    };
    let gross = 134 * UNIT;
    let first_payment = 50 * UNIT;
    let credit_gross = 11_900_000_000_000; // 10 FOLIO net + 19 % tax (1.9 FOLIO)
    let net = gross - credit_gross; // 122.1 FOLIO
    let rest = net - first_payment; // 72.1 FOLIO
    assert_eq!((net, rest), (122_100_000_000_000, 72_100_000_000_000));

    // 1. The tax authority (Root, through Sudo) registers Bob as an issuer.
    let issuer = Issuer {
        tax_id: TAX_ID,
        name_hash: H256([0xB0; 32]),
        series: vec![SERIES],
        default_quota: 1_000 * UNIT,
    };
    let register = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(invoices(InvoiceCall::register_issuer {
            issuer: Bob.account_id(),
            tax_id: issuer.tax_id,
            name_hash: issuer.name_hash,
            series: issuer.series.clone(),
            default_quota: issuer.default_quota,
        })),
    });
    let step = chain.submit(Alice, register);
    step.assert_succeeded("Sudo.sudo(register_issuer)");
    assert!(
        step.events
            .contains(&RuntimeEvent::Sudo(folio_pallet_sudo::Event::Sudid {
                sudo_result: Ok(())
            })),
        "the sudo call dispatched: {:?}",
        step.events
    );
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::IssuerRegistered {
            issuer: Bob.account_id(),
            tax_id: TAX_ID
        }]
    );
    step.assert_money("register_issuer", Alice, &[]);
    assert_eq!(
        api::<Option<Issuer>>(&node, step.block, "issuer", Bob.account_id()),
        Some(issuer)
    );

    // 2. Bob issues the invoice; the chain numbers it INV1/0 and it is id 0.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::issue_invoice {
            series: SERIES,
            body: invoice_body(Charlie),
        }),
    );
    step.assert_succeeded("issue_invoice");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceIssued {
            id: 0,
            issuer: Bob.account_id(),
            series: SERIES,
            sequence: 0,
            buyer: Charlie.account_id(),
            gross_total: gross,
        }]
    );
    step.assert_money("issue_invoice", Bob, &[]);
    let view: InvoiceView =
        api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).expect("invoice 0 exists");
    assert_eq!(view.invoice.body, invoice_body(Charlie));
    assert_eq!(view.invoice.seller, Bob.account_id());
    assert_eq!(view.invoice.corrects, None);
    // The tax period is the block time's calendar month (UTC), counted from January 1970.
    let period: u32 = api(&node, step.block, "current_period", ());
    assert_eq!(view.invoice.period, period);
    assert_eq!(
        period,
        folio_pallet_einvoice::calendar::period_of(view.invoice.issued_at)
    );
    let since_start =
        view.invoice.issued_at - folio_pallet_einvoice::calendar::period_start(period);
    assert!(since_start < 31 * folio_runtime::DAY, "within its month");
    assert!(period > 0, "block time is wall-clock time, not zero");
    assert_eq!(view.state.status, InvoiceStatus::Issued);
    assert_eq!((view.net, view.outstanding), (gross, gross));
    assert_eq!(
        api::<Option<u64>>(
            &node,
            step.block,
            "invoice_by_number",
            (Bob.account_id(), SERIES, 0u32)
        ),
        Some(0)
    );
    assert_eq!(
        api::<Vec<u64>>(
            &node,
            step.block,
            "buyer_open_invoices",
            (Charlie.account_id(), 0u32, 100u32)
        ),
        vec![0]
    );

    // 3. Charlie acknowledges it.
    let step = chain.submit(Charlie, invoices(InvoiceCall::acknowledge { id: 0 }));
    step.assert_succeeded("acknowledge");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceAcknowledged { id: 0 }]
    );
    step.assert_money("acknowledge", Charlie, &[]);

    // 4. Charlie pays 50 FOLIO of 134: the money reaches Bob in the same extrinsic.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::pay_invoice {
            id: 0,
            amount: first_payment,
        }),
    );
    step.assert_succeeded("pay_invoice (part)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoicePaid {
            id: 0,
            payer: Charlie.account_id(),
            amount: first_payment,
            to_seller: first_payment,
            to_financier: 0,
            status: InvoiceStatus::PartiallyPaid,
        }]
    );
    step.assert_money(
        "pay_invoice (part)",
        Charlie,
        &[(Charlie, Bob, first_payment)],
    );
    let view = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    assert_eq!(view.state.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(view.state.paid, first_payment);
    assert_eq!(view.outstanding, gross - first_payment);

    // 5. Bob requests a red-letter credit note of 10 FOLIO net at 19 %; the invoice is paid in
    //    part, so it waits for Charlie.
    let credit = CreditContent::Amount {
        net: 10 * UNIT,
        category: TaxCategory::Standard,
        rate: 1_900,
        classification: *b"85234910",
    };
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::request_credit {
            id: 0,
            content: credit,
            reason: REASON_PRICE_REDUCTION,
            content_hash: H256([0x22; 32]),
        }),
    );
    step.assert_succeeded("request_credit");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::CreditRequested {
            id: 0,
            requester: Bob.account_id(),
            gross: credit_gross,
            reason: REASON_PRICE_REDUCTION,
        }]
    );
    step.assert_money("request_credit", Bob, &[]);
    let view = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    let request = view.credit_request.expect("a pending credit request");
    assert_eq!(request.awaiting_counterparty, Some(Charlie.account_id()));
    assert_eq!(view.state.credited, 0);

    // 6. Charlie confirms: credit note id 1 (INV1/1) corrects invoice 0.
    let step = chain.submit(Charlie, invoices(InvoiceCall::confirm_credit { id: 0 }));
    step.assert_succeeded("confirm_credit");
    assert_eq!(
        step.invoice_events(),
        vec![
            InvoiceEvent::CreditConfirmed {
                id: 0,
                by: Charlie.account_id()
            },
            InvoiceEvent::CreditNoteIssued {
                credit_note: 1,
                original: 0,
                sequence: 1,
                gross: credit_gross,
                reason: REASON_PRICE_REDUCTION,
                status: InvoiceStatus::PartiallyPaid,
            }
        ]
    );
    step.assert_money("confirm_credit", Charlie, &[]);
    let view = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    assert_eq!(view.state.credited, credit_gross);
    assert_eq!((view.net, view.outstanding), (net, rest));
    assert_eq!(view.credit_request, None);
    let note = api::<Option<InvoiceView>>(&node, step.block, "invoice", 1u64).unwrap();
    assert_eq!(note.invoice.corrects, Some(0));
    assert_eq!(note.invoice.body.invoice_type, InvoiceType::CreditNote);
    assert_eq!(note.invoice.body.totals.gross_total, credit_gross);
    assert_eq!(note.invoice.number.sequence, 1);
    assert_eq!(
        api::<Option<u128>>(&node, step.block, "invoice_net", 0u64),
        Some(net)
    );

    // 7. Charlie pays the rest, 72.1 FOLIO: Settled (paid the net after the credit note).
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::pay_invoice {
            id: 0,
            amount: rest,
        }),
    );
    step.assert_succeeded("pay_invoice (rest)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoicePaid {
            id: 0,
            payer: Charlie.account_id(),
            amount: rest,
            to_seller: rest,
            to_financier: 0,
            status: InvoiceStatus::Settled,
        }]
    );
    step.assert_money("pay_invoice (rest)", Charlie, &[(Charlie, Bob, rest)]);
    let view = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    assert_eq!(view.state.status, InvoiceStatus::Settled);
    assert_eq!((view.state.paid, view.outstanding), (net, 0));
    assert_eq!(
        api::<Vec<u64>>(
            &node,
            step.block,
            "buyer_open_invoices",
            (Charlie.account_id(), 0u32, 100u32)
        ),
        Vec::<u64>::new(),
        "nothing more is owed"
    );
    assert_eq!(
        api::<Option<PeriodRecord>>(
            &node,
            step.block,
            "period_totals",
            (Bob.account_id(), period)
        ),
        Some(PeriodRecord {
            quota: 1_000 * UNIT,
            issued: gross,
            credited: credit_gross,
            declaration: None,
        })
    );

    // 8. Charlie (the buyer organisation) locks the invoice for Dave's reimbursement.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::lock_for_reimbursement {
            id: 0,
            claimant: Dave.account_id(),
        }),
    );
    step.assert_succeeded("lock_for_reimbursement");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceLocked {
            id: 0,
            organisation: Charlie.account_id(),
            locker: Charlie.account_id(),
            claimant: Dave.account_id(),
        }]
    );
    step.assert_money("lock_for_reimbursement", Charlie, &[]);

    // 9. ... and reimburses Dave the net, 122.1 FOLIO, in the same extrinsic.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::reimburse { id: 0, amount: net }),
    );
    step.assert_succeeded("reimburse");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceReimbursed {
            id: 0,
            organisation: Charlie.account_id(),
            claimant: Dave.account_id(),
            amount: net,
        }]
    );
    step.assert_money("reimburse", Charlie, &[(Charlie, Dave, net)]);
    let view = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    assert!(matches!(
        view.state.reimbursement,
        Reimbursement::Reimbursed { organisation, claimant, amount, .. }
            if organisation == Charlie.account_id() && claimant == Dave.account_id() && amount == net
    ));

    // 10. A second reimbursement is rejected: no invoice event, no transfer, only the fee.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::reimburse { id: 0, amount: net }),
    );
    step.assert_failed_with("second reimburse", InvoiceError::AlreadyReimbursed);
    assert_eq!(step.invoice_events(), vec![]);
    step.assert_money("second reimburse", Charlie, &[]);
    assert!(step.fee_of(Charlie) > 0, "a failed extrinsic still pays");

    // 11. Locking it again (to reimburse someone else) is rejected as well.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::lock_for_reimbursement {
            id: 0,
            claimant: Keyring::Ferdie.account_id(),
        }),
    );
    step.assert_failed_with("second lock", InvoiceError::AlreadyReimbursed);
    assert_eq!(step.invoice_events(), vec![]);
    step.assert_money("second lock", Charlie, &[]);

    // The invoice's history tells the whole story, and nothing changed after the rejections.
    let last = api::<Option<InvoiceView>>(&node, step.block, "invoice", 0u64).unwrap();
    assert_eq!(last.state, view.state);
    let actions: Vec<(Keyring, Action)> = last
        .history
        .iter()
        .map(|entry| (keyring_of(&entry.who), entry.action))
        .collect();
    assert_eq!(
        actions,
        vec![
            (Bob, Action::Issued),
            (Charlie, Action::Acknowledged),
            (
                Charlie,
                Action::Paid {
                    amount: first_payment,
                    to_seller: first_payment,
                    to_financier: 0
                }
            ),
            (
                Bob,
                Action::CreditRequested {
                    gross: credit_gross,
                    reason: REASON_PRICE_REDUCTION
                }
            ),
            (Charlie, Action::CreditConfirmed),
            (
                Charlie,
                Action::Credited {
                    credit_note: 1,
                    gross: credit_gross
                }
            ),
            (
                Charlie,
                Action::Paid {
                    amount: rest,
                    to_seller: rest,
                    to_financier: 0
                }
            ),
            (
                Charlie,
                Action::Locked {
                    claimant: Dave.account_id()
                }
            ),
            (
                Charlie,
                Action::Reimbursed {
                    claimant: Dave.account_id(),
                    amount: net
                }
            ),
        ]
    );
    assert_eq!(
        api::<Vec<folio_pallet_einvoice::HistoryEntry>>(
            &node,
            step.block,
            "invoice_history",
            (0u64, 0u32, 100u32)
        ),
        last.history
    );

    financing_by_a_bank_after_a_strangers_offer_then_a_credit_after_payment(&mut chain, period);
}

/// Invoice 2: a stranger's unbacked offer blocks nothing, the bank's advance and the lien's
/// split of the payment are exact, and the paid invoice is corrected with a refund.
fn financing_by_a_bank_after_a_strangers_offer_then_a_credit_after_payment(
    chain: &mut Chain<'_>,
    period: u32,
) {
    let node = chain.node;
    let (stranger, bank) = (Keyring::Ferdie, Dave);
    let gross = 134 * UNIT;
    let advance = 60 * UNIT;
    let credit_gross = 11_900_000_000_000; // 10 FOLIO net + 19 % tax

    // 12. Bob issues a second invoice to Charlie: id 2, numbered INV1/2.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::issue_invoice {
            series: SERIES,
            body: invoice_body(Charlie),
        }),
    );
    step.assert_succeeded("issue_invoice (second)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::InvoiceIssued {
            id: 2,
            issuer: Bob.account_id(),
            series: SERIES,
            sequence: 2,
            buyer: Charlie.account_id(),
            gross_total: gross,
        }]
    );
    let history_before_offers = api::<Option<InvoiceView>>(node, step.block, "invoice", 2u64)
        .unwrap()
        .history;

    // 13. Ferdie, a stranger, offers an advance of 1 unit: no money moves or is held.
    let step = chain.submit(
        stranger,
        invoices(InvoiceCall::offer_financing { id: 2, advance: 1 }),
    );
    step.assert_succeeded("offer_financing (stranger)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::FinancingOffered {
            id: 2,
            financier: stranger.account_id(),
            advance: 1,
        }]
    );
    step.assert_money("offer_financing (stranger)", stranger, &[]);

    // 14. Dave, the bank, offers 60 FOLIO all the same: the stranger's offer blocks nothing.
    let step = chain.submit(
        bank,
        invoices(InvoiceCall::offer_financing { id: 2, advance }),
    );
    step.assert_succeeded("offer_financing (bank)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::FinancingOffered {
            id: 2,
            financier: bank.account_id(),
            advance,
        }]
    );
    step.assert_money("offer_financing (bank)", bank, &[]);
    let view = api::<Option<InvoiceView>>(node, step.block, "invoice", 2u64).unwrap();
    assert_eq!(view.state.lien, None, "an offer is not a lien");
    assert_eq!(
        view.history, history_before_offers,
        "offers stay out of the history"
    );

    // 15. Bob accepts the bank's offer: Dave → Bob 60 FOLIO in the same extrinsic, the lien
    //     is Dave's and 60 FOLIO of the receivable are financed.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::accept_financing {
            id: 2,
            financier: bank.account_id(),
        }),
    );
    step.assert_succeeded("accept_financing (bank)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::FinancingAccepted {
            id: 2,
            financier: bank.account_id(),
            advance,
        }]
    );
    step.assert_money("accept_financing (bank)", Bob, &[(bank, Bob, advance)]);
    let view = api::<Option<InvoiceView>>(node, step.block, "invoice", 2u64).unwrap();
    assert_eq!(
        view.state.lien,
        Some(folio_pallet_einvoice::Lien {
            financier: bank.account_id(),
            advance,
            repaid: 0,
            state: folio_pallet_einvoice::LienState::Active,
        })
    );

    // 16. ... and declines the stranger's, which was still standing.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::decline_financing {
            id: 2,
            financier: stranger.account_id(),
        }),
    );
    step.assert_succeeded("decline_financing (stranger)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::FinancingOfferRemoved {
            id: 2,
            financier: stranger.account_id(),
            by: Bob.account_id(),
        }]
    );
    step.assert_money("decline_financing (stranger)", Bob, &[]);
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::decline_financing {
            id: 2,
            financier: stranger.account_id(),
        }),
    );
    step.assert_failed_with("second decline", InvoiceError::NoOffer);
    step.assert_money("second decline", Bob, &[]);

    // 17. Charlie pays 134 FOLIO in full: the unrepaid advance (60) goes to Dave and ends the
    //     lien, the surplus (74) to Bob; the invoice is Paid.
    let step = chain.submit(
        Charlie,
        invoices(InvoiceCall::pay_invoice {
            id: 2,
            amount: gross,
        }),
    );
    step.assert_succeeded("pay_invoice (financed)");
    assert_eq!(
        step.invoice_events(),
        vec![
            InvoiceEvent::LienEnded {
                id: 2,
                financier: bank.account_id(),
                repaid: advance,
            },
            InvoiceEvent::InvoicePaid {
                id: 2,
                payer: Charlie.account_id(),
                amount: gross,
                to_seller: gross - advance,
                to_financier: advance,
                status: InvoiceStatus::Paid,
            }
        ]
    );
    step.assert_money(
        "pay_invoice (financed)",
        Charlie,
        &[(Charlie, bank, advance), (Charlie, Bob, gross - advance)],
    );
    let view = api::<Option<InvoiceView>>(node, step.block, "invoice", 2u64).unwrap();
    assert_eq!(view.state.status, InvoiceStatus::Paid);
    assert_eq!(view.state.lien, None);
    assert_eq!((view.state.paid, view.outstanding), (gross, 0));

    // 18. A credit after payment: Bob requests 10 FOLIO + 19 % on the paid invoice; Charlie
    //     confirms and gets the 11.9 FOLIO back from Bob in the same extrinsic.
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::request_credit {
            id: 2,
            content: CreditContent::Amount {
                net: 10 * UNIT,
                category: TaxCategory::Standard,
                rate: 1_900,
                classification: *b"85234910",
            },
            reason: REASON_PRICE_REDUCTION,
            content_hash: H256([0x33; 32]),
        }),
    );
    step.assert_succeeded("request_credit (paid invoice)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::CreditRequested {
            id: 2,
            requester: Bob.account_id(),
            gross: credit_gross,
            reason: REASON_PRICE_REDUCTION,
        }]
    );
    step.assert_money("request_credit (paid invoice)", Bob, &[]);
    let step = chain.submit(Charlie, invoices(InvoiceCall::confirm_credit { id: 2 }));
    step.assert_succeeded("confirm_credit (paid invoice)");
    assert_eq!(
        step.invoice_events(),
        vec![
            InvoiceEvent::CreditConfirmed {
                id: 2,
                by: Charlie.account_id()
            },
            InvoiceEvent::CreditNoteIssued {
                credit_note: 3,
                original: 2,
                sequence: 3,
                gross: credit_gross,
                reason: REASON_PRICE_REDUCTION,
                status: InvoiceStatus::Settled,
            },
            InvoiceEvent::CreditRefunded {
                id: 2,
                credit_note: 3,
                buyer: Charlie.account_id(),
                amount: credit_gross,
            }
        ]
    );
    step.assert_money(
        "confirm_credit (paid invoice)",
        Charlie,
        &[(Bob, Charlie, credit_gross)],
    );
    let view = api::<Option<InvoiceView>>(node, step.block, "invoice", 2u64).unwrap();
    assert_eq!(view.state.status, InvoiceStatus::Settled);
    assert_eq!(view.state.credited, credit_gross);
    assert_eq!(
        (view.net, view.state.paid, view.outstanding),
        (gross - credit_gross, gross - credit_gross, 0)
    );
    assert_eq!(
        api::<Option<PeriodRecord>>(
            node,
            step.block,
            "period_totals",
            (Bob.account_id(), period)
        )
        .map(|record| (record.issued, record.credited)),
        Some((2 * gross, 2 * credit_gross)),
        "both invoices and both credit notes count in Bob's period"
    );

    // 19. The period's declaration: the chain moves to the next month (`dev_timeTravel`),
    //     Bob files the month just ended and the tax authority (Sudo) confirms it. What is
    //     declared is the sum the chain holds: two invoices of 134 (tax 19 each) and two
    //     credit notes of 11.9 (tax 1.9 each).
    let next_month = folio_pallet_einvoice::calendar::period_start(period + 1) + folio_runtime::DAY;
    assert_eq!(
        node.rpc("dev_timeTravel", json!([next_month])),
        json!(next_month)
    );
    let tax = folio_pallet_einvoice::PeriodTax {
        output_tax: 2 * 19 * UNIT,
        output_tax_credited: 2 * 1_900_000_000_000,
        input_tax: 0,
        input_tax_reversed: 0,
    };
    let declaration_hash = H256([0xDE; 32]);
    let step = chain.submit(
        Bob,
        invoices(InvoiceCall::file_declaration {
            period,
            declaration_hash,
        }),
    );
    step.assert_succeeded("file_declaration");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::DeclarationFiled {
            issuer: Bob.account_id(),
            period,
            declaration_hash,
            tax,
        }]
    );
    step.assert_money("file_declaration", Bob, &[]);
    let close = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(invoices(InvoiceCall::close_period {
            issuer: Bob.account_id(),
            period,
            declaration_hash,
        })),
    });
    let step = chain.submit(Alice, close);
    step.assert_succeeded("Sudo.sudo(close_period)");
    assert_eq!(
        step.invoice_events(),
        vec![InvoiceEvent::PeriodClosed {
            issuer: Bob.account_id(),
            period,
            issued: 2 * gross,
            credited: 2 * credit_gross,
            declaration_hash,
        }]
    );
    let record = api::<Option<PeriodRecord>>(
        node,
        step.block,
        "period_totals",
        (Bob.account_id(), period),
    )
    .expect("Bob's period");
    let declaration = record.declaration.expect("declared");
    assert_eq!(
        (declaration.issued, declaration.credited, declaration.tax),
        (2 * gross, 2 * credit_gross, tax)
    );
    assert!(declaration.confirmed_at.is_some(), "confirmed");
}
