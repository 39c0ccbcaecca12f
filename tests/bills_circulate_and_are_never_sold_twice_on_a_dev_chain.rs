//! Commercial bills circulate on `folio-node --dev` and are never sold twice (issue 9).
//!
//! Over JSON-RPC, with signed extrinsics, one block per step:
//! - bill 0: Alice draws on Bob to Charlie; Bob accepts holding a margin; Alice delivers; the
//!   payee cannot present before maturity; Charlie endorses to Dave, Dave to Eve; while Eve's
//!   endorsement is pending Dave can neither endorse nor discount the bill to Ferdie (`Locked`:
//!   no double sale); Eve signs, offers it to Ferdie for a discount, Ferdie takes it and pays
//!   the price in the same extrinsic; at maturity (block time) Ferdie presents and Bob pays,
//!   from the margin first, and the bill closes;
//! - bill 1: Charlie draws on Dave to Eve; Eve endorses to Ferdie; the court (Root, through
//!   `Sudo.sudo` by Alice) freezes it, presenting fails, the court unfreezes it; Dave refuses
//!   payment (dishonour); Ferdie cannot claim from a stranger (`NotLiable`), claims recourse
//!   from Eve, who pays and claims from the drawer Charlie, who pays and claims from the
//!   acceptor Dave, who pays: settled and closed.
//!
//! Every step checks the block's events (`System.Events` at the block hash: the extrinsic's
//! success or exact module error, its bills events, its money events) and every dev account's
//! free and reserved balance, exactly: the fee the signer paid plus the step's money
//! movements. The runtime API (`BillsApi_*`) is checked along the way and at the end: each
//! bill's view, whose stamped history is exactly the events seen, block by block; holdings,
//! involvement, what awaits an answer, and the acceptors' credit records.

mod common;

use common::*;
use folio_pallet_bills::api::{Awaiting, BillView};
use folio_pallet_bills::{
    BillId, BillRange, BillState, Call as BillsCall, CreditRecord, DishonourReason,
    Error as BillsError, Event as BillsEvent, RangeState, Unit,
};
use folio_pallet_currency::Event as CurrencyEvent;
use folio_pallet_support::currency::HoldReason;
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::dispatch::ModuleError;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use folio_primitives::{AccountId, DispatchError};
use folio_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use parity_scale_codec::{Decode, Encode};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tungstenite::Message;

const ACCOUNTS: [Keyring; 6] = [Alice, Bob, Charlie, Dave, Eve, Ferdie];
/// Divisible bills split in units of 0.01 FOLIO (`RANGE_UNIT`).
const RANGE_UNIT: u128 = UNIT / 100;

/// A money movement a step must make, exactly.
#[derive(Clone, Copy, Debug)]
enum Move {
    /// Free balance from one account to another (`Balances.Transfer`).
    Pay(Keyring, Keyring, u128),
    /// Free to reserved of the same account (`Balances.Held`, `BillMargin`).
    Hold(Keyring, u128),
    /// Reserved of one account to the free balance of another (`Balances.TransferOnHold`).
    FromHold(Keyring, Keyring, u128),
    /// The drawer's deposit held at issue (`Balances.Held`, `BillDeposit`).
    Deposit(Keyring),
    /// The drawer's deposit returned when the bill closes (`Balances.Released`, `BillDeposit`).
    Refund(Keyring),
}

/// What issuing a bill holds from the drawer (`ISSUE_DEPOSIT`).
const ISSUE_DEPOSIT: u128 = UNIT;

impl Move {
    fn event(self) -> CurrencyEvent {
        match self {
            Move::Pay(from, to, amount) => CurrencyEvent::Transfer {
                from: from.account_id(),
                to: to.account_id(),
                amount,
            },
            Move::Hold(who, amount) => CurrencyEvent::Held {
                reason: HoldReason::BillMargin,
                who: who.account_id(),
                amount,
            },
            Move::FromHold(from, to, amount) => CurrencyEvent::TransferOnHold {
                reason: HoldReason::BillMargin,
                source: from.account_id(),
                dest: to.account_id(),
                amount,
            },
            Move::Deposit(who) => CurrencyEvent::Held {
                reason: HoldReason::BillDeposit,
                who: who.account_id(),
                amount: ISSUE_DEPOSIT,
            },
            Move::Refund(who) => CurrencyEvent::Released {
                reason: HoldReason::BillDeposit,
                who: who.account_id(),
                amount: ISSUE_DEPOSIT,
            },
        }
    }
}

/// What one extrinsic did, read back from its block.
struct Outcome {
    block: u32,
    time: u64,
    result: Result<(), DispatchError>,
    bills: Vec<BillsEvent>,
    money: Vec<CurrencyEvent>,
}

struct Chain {
    node: NodeProcess,
    genesis: H256,
    /// `(free, reserved)` of each of `ACCOUNTS`, as the test expects it.
    ledger: Vec<(u128, u128)>,
    /// Every bills event seen, with the block number and time of its block.
    seen: Vec<(u32, u64, BillsEvent)>,
}

fn index(who: Keyring) -> usize {
    ACCOUNTS.iter().position(|k| *k == who).unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn decode_hex<T: Decode>(value: &Value) -> T {
    let bytes =
        hex::decode(value.as_str().expect("hex string").trim_start_matches("0x")).expect("hex");
    T::decode(&mut &bytes[..]).expect("SCALE decodes")
}

fn storage_key(pallet: &str, item: &str) -> Vec<u8> {
    let mut key = folio_primitives::crypto::native::twox_128(pallet.as_bytes()).to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(item.as_bytes()));
    key
}

fn bills(call: BillsCall) -> RuntimeCall {
    RuntimeCall::Bills(call)
}

fn sudo(call: BillsCall) -> RuntimeCall {
    RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(bills(call)),
    })
}

fn id(who: Keyring) -> AccountId {
    who.account_id()
}

fn module_error(error: BillsError) -> DispatchError {
    DispatchError::Module(ModuleError {
        index: folio_runtime::pallet_index::BILLS,
        error: [error.encode()[0], 0, 0, 0],
    })
}

impl Chain {
    fn start() -> Self {
        let node = NodeProcess::dev(&[]);
        let genesis = node.genesis_hash();
        let mut chain = Self {
            node,
            genesis,
            ledger: Vec::new(),
            seen: Vec::new(),
        };
        chain.ledger = ACCOUNTS.iter().map(|k| chain.balance(*k)).collect();
        chain
    }

    /// `(free, reserved)` of `who` at the best block.
    fn balance(&self, who: Keyring) -> (u128, u128) {
        let value = self.node.rpc("state_getStorage", json!([account_key(who)]));
        let bytes = hex::decode(
            value
                .as_str()
                .expect("account exists")
                .trim_start_matches("0x"),
        )
        .expect("hex");
        let free = u128::from_le_bytes(bytes[16..32].try_into().unwrap());
        let reserved = u128::from_le_bytes(bytes[32..48].try_into().unwrap());
        (free, reserved)
    }

    /// Submits `call` signed by `who` over WebSocket and waits until it is in a block.
    fn submit(&self, who: Keyring, call: RuntimeCall) -> (String, Vec<u8>) {
        let (nonce, _) = account(&self.node, who);
        let tx = sign(self.genesis, who, call, nonce, folio_runtime::SPEC_VERSION);
        let (mut socket, _) = tungstenite::connect(self.node.url()).expect("websocket connects");
        socket
            .send(Message::text(
                json!({"id": 1, "jsonrpc": "2.0", "method": "author_submitAndWatchExtrinsic", "params": [hex_of(&tx)]})
                    .to_string(),
            ))
            .expect("send");
        loop {
            let text = match socket.read().expect("socket open") {
                Message::Text(text) => text,
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected message {other:?}"),
            };
            let note: Value = serde_json::from_str(&text).expect("json");
            if let Some(error) = note.get("error") {
                panic!("submission refused: {error}");
            }
            let status = &note["params"]["result"];
            if let Some(hash) = status.get("inBlock") {
                let _ = socket.close(None);
                let hash = parse_hash(hash);
                return (format!("{hash:?}"), tx);
            }
            assert!(
                status.is_null() || status == "ready" || status == "future",
                "unexpected status {note}"
            );
        }
    }

    /// Submits `call` and reads back what it did from its block's events.
    fn run(&mut self, who: Keyring, call: RuntimeCall) -> Outcome {
        // `Sudo.sudo` by the sudo key is free (FRAME's `pays_fee: No`); everything else pays.
        let free = matches!(call, RuntimeCall::Sudo(_));
        let (hash, tx) = self.submit(who, call);
        let block = self.node.rpc("chain_getBlock", json!([hash]));
        let number = u32::from_str_radix(
            block["block"]["header"]["number"]
                .as_str()
                .unwrap()
                .trim_start_matches("0x"),
            16,
        )
        .unwrap();
        let position = block["block"]["extrinsics"]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x.as_str() == Some(hex_of(&tx).as_str()))
            .expect("the block holds the extrinsic") as u32;
        let time: u64 = decode_hex(&self.node.rpc(
            "state_getStorage",
            json!([hex_of(&storage_key("Timestamp", "Now")), hash]),
        ));
        let records: Vec<EventRecord<RuntimeEvent>> = decode_hex(&self.node.rpc(
            "state_getStorage",
            json!([hex_of(&storage_key("System", "Events")), hash]),
        ));
        let mut outcome = Outcome {
            block: number,
            time,
            result: Err(DispatchError::Other),
            bills: Vec::new(),
            money: Vec::new(),
        };
        let mut fee = None;
        let mut finished = false;
        let mut sudid = None;
        for record in records {
            if record.phase != Phase::ApplyExtrinsic(position) {
                continue;
            }
            match record.event {
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. }) => {
                    outcome.result = Ok(());
                    finished = true;
                }
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed {
                    dispatch_error,
                    ..
                }) => {
                    outcome.result = Err(dispatch_error);
                    finished = true;
                }
                RuntimeEvent::TransactionPayment(
                    folio_pallet_currency::FeeEvent::TransactionFeePaid {
                        who: payer,
                        actual_fee,
                        tip,
                    },
                ) => {
                    assert_eq!(payer, id(who), "the signer pays the fee");
                    assert_eq!(tip, 0);
                    fee = Some(actual_fee);
                }
                RuntimeEvent::Sudo(folio_pallet_sudo::Event::Sudid { sudo_result }) => {
                    sudid = Some(sudo_result);
                }
                RuntimeEvent::Bills(event) => {
                    self.seen.push((number, time, event.clone()));
                    outcome.bills.push(event);
                }
                RuntimeEvent::Balances(
                    event @ (CurrencyEvent::Transfer { .. }
                    | CurrencyEvent::Held { .. }
                    | CurrencyEvent::TransferOnHold { .. }
                    | CurrencyEvent::Released { .. }),
                ) => outcome.money.push(event),
                _ => {}
            }
        }
        assert!(finished, "no ExtrinsicSuccess/Failed for the extrinsic");
        if free {
            // Root calls: the inner call's result (in `Sudid`) is the step's result.
            assert_eq!(outcome.result, Ok(()), "Sudo.sudo by the sudo key");
            outcome.result = sudid.expect("a Sudid event");
        }
        let fee = fee.expect("a fee was paid");
        if free {
            assert_eq!(fee, 0, "the sudo key's calls are free");
        } else {
            assert!(fee > 0, "transactions pay fees");
        }
        self.ledger[index(who)].0 -= fee;
        outcome
    }

    /// Applies `moves` to the expected ledger and checks every account against the chain.
    fn settle(&mut self, moves: &[Move]) {
        for m in moves {
            match *m {
                Move::Pay(from, to, amount) => {
                    self.ledger[index(from)].0 -= amount;
                    self.ledger[index(to)].0 += amount;
                }
                Move::Hold(who, amount) => {
                    self.ledger[index(who)].0 -= amount;
                    self.ledger[index(who)].1 += amount;
                }
                Move::FromHold(from, to, amount) => {
                    self.ledger[index(from)].1 -= amount;
                    self.ledger[index(to)].0 += amount;
                }
                Move::Deposit(who) => {
                    self.ledger[index(who)].0 -= ISSUE_DEPOSIT;
                    self.ledger[index(who)].1 += ISSUE_DEPOSIT;
                }
                Move::Refund(who) => {
                    self.ledger[index(who)].1 -= ISSUE_DEPOSIT;
                    self.ledger[index(who)].0 += ISSUE_DEPOSIT;
                }
            }
        }
        for who in ACCOUNTS {
            assert_eq!(
                self.balance(who),
                self.ledger[index(who)],
                "(free, reserved) of {who:?}"
            );
        }
    }

    /// `call` by `who` succeeds with exactly `events` from the bills pallet and exactly
    /// `moves` of money (besides the fee).
    fn ok(
        &mut self,
        who: Keyring,
        call: RuntimeCall,
        events: &[BillsEvent],
        moves: &[Move],
    ) -> Outcome {
        let what = format!("{call:?}");
        let outcome = self.run(who, call);
        assert_eq!(outcome.result, Ok(()), "{what} by {who:?}");
        assert_eq!(outcome.bills, events, "bills events of {what}");
        let money: Vec<CurrencyEvent> = moves.iter().map(|m| m.event()).collect();
        assert_eq!(outcome.money, money, "money events of {what}");
        self.settle(moves);
        outcome
    }

    /// `call` by `who` fails with `error`: no bills event, no money moved but the fee, and
    /// the bill's view unchanged.
    fn fails(&mut self, who: Keyring, call: RuntimeCall, bill: BillId, error: BillsError) {
        let what = format!("{call:?}");
        let before = self.view(bill);
        let outcome = self.run(who, call);
        assert_eq!(
            outcome.result,
            Err(module_error(error)),
            "{what} by {who:?}"
        );
        assert!(outcome.bills.is_empty(), "{what}: {:?}", outcome.bills);
        assert!(outcome.money.is_empty(), "{what}: {:?}", outcome.money);
        self.settle(&[]);
        assert_eq!(self.view(bill), before, "a failed {what} changes nothing");
    }

    fn api<T: Decode>(&self, method: &str, input: impl Encode) -> T {
        decode_hex(&self.node.rpc(
            "state_call",
            json!([format!("BillsApi_{method}"), hex_of(&input.encode())]),
        ))
    }

    fn view(&self, bill: BillId) -> BillView {
        self.api::<Option<BillView>>("bill", bill)
            .expect("BillsApi_bill knows the bill")
    }

    fn range(&self, bill: BillId) -> BillRange {
        let view = self.view(bill);
        assert_eq!(view.ranges.len(), 1, "one range");
        assert_eq!(view.ranges[0].0, 0);
        view.ranges[0].1.clone()
    }

    /// Seals blocks with small transfers until block time reaches `time`.
    fn seal_until(&mut self, time: u64) {
        loop {
            let small = UNIT / 1000;
            let outcome = self.ok(
                Alice,
                transfer(Bob, small),
                &[],
                &[Move::Pay(Alice, Bob, small)],
            );
            if outcome.time >= time {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

#[test]
fn bills_circulate_and_are_never_sold_twice_on_a_dev_chain() {
    let mut chain = Chain::start();
    let maturity = now_ms() + 15_000;

    // ---- bill 0: issue, accept with a margin, deliver --------------------------------------
    let face0 = 1_000 * UNIT;
    let units0 = (face0 / RANGE_UNIT) as Unit;
    let margin0 = 400 * UNIT;
    let issued = chain.ok(
        Alice,
        bills(BillsCall::issue {
            acceptor: id(Bob),
            payee: id(Charlie),
            face: face0,
            maturity,
            non_transferable: false,
            divisible: false,
            invoices: vec![],
        }),
        &[BillsEvent::BillIssued {
            bill: 0,
            drawer: id(Alice),
            acceptor: id(Bob),
            payee: id(Charlie),
            face: face0,
            maturity,
        }],
        &[Move::Deposit(Alice)],
    );
    let view = chain.view(0);
    assert_eq!(view.bill.state, BillState::Issued);
    assert_eq!(view.bill.issued_at, issued.time);
    assert_eq!(view.bill.issued_block, issued.block);
    assert!(view.ranges.is_empty());

    let requested = chain.run(Alice, bills(BillsCall::request_acceptance { bill: 0 }));
    assert_eq!(requested.result, Ok(()));
    let acceptance_deadline =
        requested.time + <folio_runtime::Runtime as folio_pallet_bills::Config>::ACCEPTANCE_WINDOW;
    assert_eq!(
        requested.bills,
        [BillsEvent::AcceptanceRequested {
            bill: 0,
            deadline: acceptance_deadline
        }]
    );
    chain.settle(&[]);
    assert_eq!(
        chain.api::<Vec<Awaiting>>("awaiting", id(Bob)),
        [Awaiting::Acceptance {
            bill: 0,
            deadline: acceptance_deadline
        }]
    );
    // Only the acceptor accepts.
    chain.fails(
        Charlie,
        bills(BillsCall::accept { bill: 0, margin: 0 }),
        0,
        BillsError::NotAcceptor,
    );
    chain.ok(
        Bob,
        bills(BillsCall::accept {
            bill: 0,
            margin: margin0,
        }),
        &[BillsEvent::BillAccepted {
            bill: 0,
            acceptor: id(Bob),
            margin: margin0,
        }],
        &[Move::Hold(Bob, margin0)],
    );
    assert_eq!(chain.view(0).bill.margin, margin0);
    chain.ok(
        Alice,
        bills(BillsCall::deliver { bill: 0 }),
        &[BillsEvent::BillDelivered {
            bill: 0,
            payee: id(Charlie),
            units: units0,
        }],
        &[],
    );
    let range = chain.range(0);
    assert_eq!((range.end, range.holder), (units0, id(Charlie)));
    assert_eq!(range.state, RangeState::Held);

    // Not before maturity (this block's time is well before it).
    let early = chain.run(Charlie, bills(BillsCall::present { bill: 0, start: 0 }));
    assert!(early.time < maturity, "the test ran too slowly");
    assert_eq!(early.result, Err(module_error(BillsError::NotMature)));
    assert!(early.bills.is_empty() && early.money.is_empty());
    chain.settle(&[]);

    // ---- endorse twice, with a double sale refused ----------------------------------------
    chain.ok(
        Charlie,
        bills(BillsCall::endorse {
            bill: 0,
            start: 0,
            end: units0,
            to: id(Dave),
        }),
        &[BillsEvent::EndorsementOffered {
            bill: 0,
            start: 0,
            end: units0,
            from: id(Charlie),
            to: id(Dave),
        }],
        &[],
    );
    // The pending endorsement locks the bill: Charlie cannot offer it to anyone else.
    chain.fails(
        Charlie,
        bills(BillsCall::endorse {
            bill: 0,
            start: 0,
            end: units0,
            to: id(Eve),
        }),
        0,
        BillsError::Locked,
    );
    chain.ok(
        Dave,
        bills(BillsCall::sign { bill: 0, start: 0 }),
        &[BillsEvent::Endorsed {
            bill: 0,
            start: 0,
            from: id(Charlie),
            to: id(Dave),
        }],
        &[],
    );
    chain.ok(
        Dave,
        bills(BillsCall::endorse {
            bill: 0,
            start: 0,
            end: units0,
            to: id(Eve),
        }),
        &[BillsEvent::EndorsementOffered {
            bill: 0,
            start: 0,
            end: units0,
            from: id(Dave),
            to: id(Eve),
        }],
        &[],
    );
    let awaiting_eve = chain.api::<Vec<Awaiting>>("awaiting", id(Eve));
    assert!(
        matches!(
            awaiting_eve[..],
            [Awaiting::Offer {
                bill: 0,
                start: 0,
                ..
            }]
        ),
        "{awaiting_eve:?}"
    );
    // No double sale: while Eve has not signed, Dave can neither endorse nor discount the
    // same bill to Ferdie.
    chain.fails(
        Dave,
        bills(BillsCall::endorse {
            bill: 0,
            start: 0,
            end: units0,
            to: id(Ferdie),
        }),
        0,
        BillsError::Locked,
    );
    chain.fails(
        Dave,
        bills(BillsCall::offer_discount {
            bill: 0,
            start: 0,
            end: units0,
            financier: id(Ferdie),
            price: 900 * UNIT,
        }),
        0,
        BillsError::Locked,
    );
    // Nor can Ferdie sign what was offered to Eve.
    chain.fails(
        Ferdie,
        bills(BillsCall::sign { bill: 0, start: 0 }),
        0,
        BillsError::NotCounterparty,
    );
    chain.ok(
        Eve,
        bills(BillsCall::sign { bill: 0, start: 0 }),
        &[BillsEvent::Endorsed {
            bill: 0,
            start: 0,
            from: id(Dave),
            to: id(Eve),
        }],
        &[],
    );
    let range = chain.range(0);
    assert_eq!(range.holder, id(Eve));
    assert_eq!(range.endorsers, [id(Charlie), id(Dave)]);

    // ---- discount: the price and the bill move in one extrinsic ---------------------------
    let price = 990 * UNIT;
    chain.ok(
        Eve,
        bills(BillsCall::offer_discount {
            bill: 0,
            start: 0,
            end: units0,
            financier: id(Ferdie),
            price,
        }),
        &[BillsEvent::DiscountOffered {
            bill: 0,
            start: 0,
            end: units0,
            from: id(Eve),
            financier: id(Ferdie),
            price,
        }],
        &[],
    );
    chain.fails(
        Ferdie,
        bills(BillsCall::take_discount {
            bill: 0,
            start: 0,
            price: price - 1,
        }),
        0,
        BillsError::PriceMismatch,
    );
    chain.ok(
        Ferdie,
        bills(BillsCall::take_discount {
            bill: 0,
            start: 0,
            price,
        }),
        &[BillsEvent::Discounted {
            bill: 0,
            start: 0,
            from: id(Eve),
            financier: id(Ferdie),
            price,
        }],
        &[Move::Pay(Ferdie, Eve, price)],
    );
    let range = chain.range(0);
    assert_eq!(range.holder, id(Ferdie));
    assert_eq!(range.endorsers, [id(Charlie), id(Dave), id(Eve)]);

    // ---- bill 1: issue, accept without margin, deliver, endorse ---------------------------
    let face1 = 500 * UNIT;
    let units1 = (face1 / RANGE_UNIT) as Unit;
    chain.ok(
        Charlie,
        bills(BillsCall::issue {
            acceptor: id(Dave),
            payee: id(Eve),
            face: face1,
            maturity,
            non_transferable: false,
            divisible: true,
            invoices: vec![],
        }),
        &[BillsEvent::BillIssued {
            bill: 1,
            drawer: id(Charlie),
            acceptor: id(Dave),
            payee: id(Eve),
            face: face1,
            maturity,
        }],
        &[Move::Deposit(Charlie)],
    );
    let requested = chain.run(Charlie, bills(BillsCall::request_acceptance { bill: 1 }));
    assert_eq!(requested.result, Ok(()));
    chain.settle(&[]);
    chain.ok(
        Dave,
        bills(BillsCall::accept { bill: 1, margin: 0 }),
        &[BillsEvent::BillAccepted {
            bill: 1,
            acceptor: id(Dave),
            margin: 0,
        }],
        &[],
    );
    chain.ok(
        Charlie,
        bills(BillsCall::deliver { bill: 1 }),
        &[BillsEvent::BillDelivered {
            bill: 1,
            payee: id(Eve),
            units: units1,
        }],
        &[],
    );
    chain.ok(
        Eve,
        bills(BillsCall::endorse {
            bill: 1,
            start: 0,
            end: units1,
            to: id(Ferdie),
        }),
        &[BillsEvent::EndorsementOffered {
            bill: 1,
            start: 0,
            end: units1,
            from: id(Eve),
            to: id(Ferdie),
        }],
        &[],
    );
    chain.ok(
        Ferdie,
        bills(BillsCall::sign { bill: 1, start: 0 }),
        &[BillsEvent::Endorsed {
            bill: 1,
            start: 0,
            from: id(Eve),
            to: id(Ferdie),
        }],
        &[],
    );

    // ---- maturity: block time passes it ---------------------------------------------------
    chain.seal_until(maturity);

    // ---- bill 0 is paid at maturity, from the margin first --------------------------------
    let presented = chain.run(Ferdie, bills(BillsCall::present { bill: 0, start: 0 }));
    assert_eq!(presented.result, Ok(()));
    let payment_deadline =
        presented.time + <folio_runtime::Runtime as folio_pallet_bills::Config>::PAYMENT_WINDOW;
    assert_eq!(
        presented.bills,
        [BillsEvent::Presented {
            bill: 0,
            start: 0,
            by: id(Ferdie),
            deadline: payment_deadline,
            late: false,
        }]
    );
    chain.settle(&[]);
    assert_eq!(
        chain.api::<Vec<Awaiting>>("awaiting", id(Bob)),
        [Awaiting::Payment {
            bill: 0,
            start: 0,
            deadline: payment_deadline
        }]
    );
    chain.fails(
        Ferdie,
        bills(BillsCall::pay { bill: 0, start: 0 }),
        0,
        BillsError::NotAcceptor,
    );
    chain.ok(
        Bob,
        bills(BillsCall::pay { bill: 0, start: 0 }),
        &[
            BillsEvent::Paid {
                bill: 0,
                start: 0,
                acceptor: id(Bob),
                to: id(Ferdie),
                amount: face0,
                from_margin: margin0,
                on_time: true,
            },
            BillsEvent::BillClosed {
                bill: 0,
                margin_released: 0,
            },
        ],
        &[
            Move::FromHold(Bob, Ferdie, margin0),
            Move::Pay(Bob, Ferdie, face0 - margin0),
            Move::Refund(Alice),
        ],
    );
    let view = chain.view(0);
    assert_eq!(view.bill.state, BillState::Closed);
    assert_eq!(view.bill.margin, 0);
    assert_eq!(view.ranges[0].1.state, RangeState::Paid);
    // A paid bill circulates no more.
    chain.fails(
        Ferdie,
        bills(BillsCall::endorse {
            bill: 0,
            start: 0,
            end: units0,
            to: id(Alice),
        }),
        0,
        BillsError::WrongState,
    );

    // ---- bill 1: the court freezes it (Root via Sudo) --------------------------------------
    chain.ok(
        Alice,
        sudo(BillsCall::freeze { bill: 1 }),
        &[BillsEvent::BillFrozen { bill: 1 }],
        &[],
    );
    chain.fails(
        Ferdie,
        bills(BillsCall::present { bill: 1, start: 0 }),
        1,
        BillsError::Frozen,
    );
    // Only Root freezes: signed directly, it is refused.
    let direct = chain.run(Alice, bills(BillsCall::unfreeze { bill: 1 }));
    assert_eq!(direct.result, Err(DispatchError::BadOrigin));
    chain.settle(&[]);
    chain.ok(
        Alice,
        sudo(BillsCall::unfreeze { bill: 1 }),
        &[BillsEvent::BillUnfrozen { bill: 1 }],
        &[],
    );

    // ---- bill 1: dishonour and recourse back to the acceptor ------------------------------
    let presented = chain.run(Ferdie, bills(BillsCall::present { bill: 1, start: 0 }));
    assert_eq!(presented.result, Ok(()));
    assert!(matches!(
        presented.bills[..],
        [BillsEvent::Presented {
            bill: 1,
            start: 0,
            late: false,
            ..
        }]
    ));
    chain.settle(&[]);
    chain.ok(
        Dave,
        bills(BillsCall::refuse_payment {
            bill: 1,
            start: 0,
            reason: DishonourReason::InsufficientFunds,
        }),
        &[BillsEvent::PaymentDishonoured {
            bill: 1,
            start: 0,
            reason: DishonourReason::InsufficientFunds,
        }],
        &[],
    );
    assert_eq!(chain.range(1).state, RangeState::Dishonored);
    // A dishonoured bill circulates no more.
    chain.fails(
        Ferdie,
        bills(BillsCall::endorse {
            bill: 1,
            start: 0,
            end: units1,
            to: id(Alice),
        }),
        1,
        BillsError::WrongState,
    );
    // Alice never signed bill 1.
    chain.fails(
        Ferdie,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Alice),
        }),
        1,
        BillsError::NotLiable,
    );
    let recourse_window = <folio_runtime::Runtime as folio_pallet_bills::Config>::RECOURSE_WINDOW;
    let claimed = chain.run(
        Ferdie,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Eve),
        }),
    );
    assert_eq!(claimed.result, Ok(()));
    assert_eq!(
        claimed.bills,
        [BillsEvent::RecourseClaimed {
            bill: 1,
            start: 0,
            holder: id(Ferdie),
            against: id(Eve),
            deadline: claimed.time + recourse_window,
        }]
    );
    chain.settle(&[]);
    chain.ok(
        Eve,
        bills(BillsCall::pay_recourse { bill: 1, start: 0 }),
        &[BillsEvent::RecoursePaid {
            bill: 1,
            start: 0,
            payer: id(Eve),
            to: id(Ferdie),
            amount: face1,
            from_margin: 0,
            settled: false,
        }],
        &[Move::Pay(Eve, Ferdie, face1)],
    );
    let range = chain.range(1);
    assert_eq!(range.holder, id(Eve));
    assert_eq!(range.state, RangeState::Dishonored);
    assert!(range.endorsers.is_empty(), "Eve's own signature is gone");
    // Ferdie is paid and out: it cannot claim again.
    chain.fails(
        Ferdie,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Dave),
        }),
        1,
        BillsError::NotHolder,
    );
    let claimed = chain.run(
        Eve,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Charlie),
        }),
    );
    assert_eq!(claimed.result, Ok(()));
    chain.settle(&[]);
    chain.ok(
        Charlie,
        bills(BillsCall::pay_recourse { bill: 1, start: 0 }),
        &[BillsEvent::RecoursePaid {
            bill: 1,
            start: 0,
            payer: id(Charlie),
            to: id(Eve),
            amount: face1,
            from_margin: 0,
            settled: false,
        }],
        &[Move::Pay(Charlie, Eve, face1)],
    );
    // The drawer holding its own bill has recourse only against the acceptor.
    chain.fails(
        Charlie,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Eve),
        }),
        1,
        BillsError::NotLiable,
    );
    let claimed = chain.run(
        Charlie,
        bills(BillsCall::claim_recourse {
            bill: 1,
            start: 0,
            against: id(Dave),
        }),
    );
    assert_eq!(claimed.result, Ok(()));
    chain.settle(&[]);
    chain.ok(
        Dave,
        bills(BillsCall::pay_recourse { bill: 1, start: 0 }),
        &[
            BillsEvent::RecoursePaid {
                bill: 1,
                start: 0,
                payer: id(Dave),
                to: id(Charlie),
                amount: face1,
                from_margin: 0,
                settled: true,
            },
            BillsEvent::BillClosed {
                bill: 1,
                margin_released: 0,
            },
        ],
        &[Move::Pay(Dave, Charlie, face1), Move::Refund(Charlie)],
    );
    let view = chain.view(1);
    assert_eq!(view.bill.state, BillState::Closed);
    assert_eq!(view.ranges[0].1.state, RangeState::Settled);
    assert_eq!(view.ranges[0].1.holder, id(Dave));

    // ---- the runtime API tells each bill's whole life, stamped ----------------------------
    for bill in [0, 1] {
        let history: Vec<(u32, u64, BillsEvent)> = chain
            .view(bill)
            .history
            .into_iter()
            .map(|entry| (entry.block, entry.time, entry.event))
            .collect();
        let seen: Vec<(u32, u64, BillsEvent)> = chain
            .seen
            .iter()
            .filter(|(_, _, event)| event.bill() == bill)
            .cloned()
            .collect();
        assert_eq!(
            history, seen,
            "history of bill {bill} = its events, stamped"
        );
    }
    assert_eq!(
        chain.api::<CreditRecord>("acceptor_credit", id(Bob)),
        CreditRecord {
            on_time: 1,
            late: 0,
            dishonored: 0
        }
    );
    assert_eq!(
        chain.api::<CreditRecord>("acceptor_credit", id(Dave)),
        CreditRecord {
            on_time: 0,
            late: 1,
            dishonored: 1
        }
    );
    for (who, bills_of) in [
        (Alice, vec![0u64]),
        (Bob, vec![0]),
        (Charlie, vec![0, 1]),
        (Dave, vec![0, 1]),
        (Eve, vec![0, 1]),
        (Ferdie, vec![0, 1]),
    ] {
        assert_eq!(
            chain.api::<Vec<BillId>>("bills_of", id(who)),
            bills_of,
            "bills {who:?} took part in"
        );
        assert!(
            chain.api::<Vec<Awaiting>>("awaiting", id(who)).is_empty(),
            "nothing awaits {who:?}"
        );
    }
    let ferdie = chain.api::<Vec<(BillId, Vec<(Unit, BillRange)>)>>("holdings", id(Ferdie));
    assert_eq!(ferdie.len(), 1);
    assert_eq!(ferdie[0].0, 0);
    assert_eq!(ferdie[0].1[0].1.state, RangeState::Paid);
    let dave = chain.api::<Vec<(BillId, Vec<(Unit, BillRange)>)>>("holdings", id(Dave));
    assert_eq!(dave.len(), 1);
    assert_eq!(dave[0].0, 1);
    assert!(chain
        .api::<Vec<(BillId, Vec<(Unit, BillRange)>)>>("holdings", id(Eve))
        .is_empty());
    assert!(chain.api::<Option<BillView>>("bill", 2u64).is_none());
}
