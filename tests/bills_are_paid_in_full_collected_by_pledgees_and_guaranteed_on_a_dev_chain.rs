//! Issue 20 on `folio-node --dev`, over JSON-RPC with signed extrinsics, one block per step:
//! - a divisible bill split into the runtime's 64 ranges (`MaxRanges`) by ordinary
//!   endorsements is presented range by range and paid in full: the bill closes, the payments
//!   add up to the face and the margin is used up;
//! - a pledged bill: the pledgor cannot present it, the pledgee presents and collects the
//!   secured amount, the pledgor keeps the surplus;
//! - a guaranteed bill in recourse: after a dishonour the holder claims from the acceptor's
//!   guarantor (aval), which pays, cannot go to the drawer, and recovers from the acceptor:
//!   settled and closed.
//!
//! Each step checks the extrinsic's result (success or the exact module error) from the
//! block's `System.Events`; amounts are checked from the bills events and `BillsApi_bill`.

mod common;

use common::*;
use folio_pallet_bills::api::BillView;
use folio_pallet_bills::{
    BillId, BillState, Call as BillsCall, Error as BillsError, Event as BillsEvent, RangeState,
    Unit,
};
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::dispatch::ModuleError;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use folio_primitives::DispatchError;
use folio_runtime::{RuntimeCall, RuntimeEvent, UNIT};
use parity_scale_codec::{Decode, Encode};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tungstenite::Message;

/// This test's ports (the bills helper's range).
const RPC_PORT: u16 = 25101;
const P2P_PORT: u16 = 25102;
/// Divisible bills split in units of 0.01 FOLIO (`RANGE_UNIT`).
const RANGE_UNIT: u128 = UNIT / 100;
/// The runtime's `MaxRanges`.
const MAX_RANGES: u64 = 64;

fn decode_hex<T: Decode>(value: &Value) -> T {
    let text = value.as_str().expect("hex string");
    let bytes = hex::decode(text.trim_start_matches("0x")).expect("hex");
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

fn module_error(error: BillsError) -> DispatchError {
    DispatchError::Module(ModuleError {
        index: folio_runtime::pallet_index::BILLS,
        error: [error.encode()[0], 0, 0, 0],
    })
}

/// What one extrinsic did, read back from its block.
struct Outcome {
    time: u64,
    result: Result<(), DispatchError>,
    bills: Vec<BillsEvent>,
}

struct Chain {
    node: NodeProcess,
    genesis: H256,
}

impl Chain {
    fn start() -> Self {
        let p2p = P2P_PORT.to_string();
        let node = NodeProcess::start_on(RPC_PORT, &["--dev", "--port", &p2p]);
        let genesis = node.genesis_hash();
        Self { node, genesis }
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
                return (format!("{:?}", parse_hash(hash)), tx);
            }
            assert!(
                status.is_null() || status == "ready" || status == "future",
                "unexpected status {note}"
            );
        }
    }

    /// Submits `call` and reads back its result and bills events from its block.
    fn run(&self, who: Keyring, call: RuntimeCall) -> Outcome {
        let (hash, tx) = self.submit(who, call);
        let block = self.node.rpc("chain_getBlock", json!([hash]));
        let position = block["block"]["extrinsics"]
            .as_array()
            .expect("extrinsics")
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
            time,
            result: Err(DispatchError::Other),
            bills: Vec::new(),
        };
        for record in records {
            if record.phase != Phase::ApplyExtrinsic(position) {
                continue;
            }
            match record.event {
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. }) => {
                    outcome.result = Ok(());
                }
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed {
                    dispatch_error,
                    ..
                }) => outcome.result = Err(dispatch_error),
                RuntimeEvent::Bills(event) => outcome.bills.push(event),
                _ => {}
            }
        }
        outcome
    }

    fn ok(&self, who: Keyring, call: BillsCall) -> Vec<BillsEvent> {
        let what = format!("{call:?} by {who:?}");
        let outcome = self.run(who, bills(call));
        assert_eq!(outcome.result, Ok(()), "{what}");
        outcome.bills
    }

    fn fails(&self, who: Keyring, call: BillsCall, error: BillsError) {
        let what = format!("{call:?} by {who:?}");
        let outcome = self.run(who, bills(call));
        assert_eq!(outcome.result, Err(module_error(error)), "{what}");
        assert!(outcome.bills.is_empty(), "{what}: no bills event");
    }

    fn view(&self, bill: BillId) -> BillView {
        let out = self.node.rpc(
            "state_call",
            json!(["BillsApi_bill", hex_of(&bill.encode())]),
        );
        decode_hex::<Option<BillView>>(&out).expect("BillsApi_bill knows the bill")
    }

    fn free(&self, who: Keyring) -> u128 {
        account(&self.node, who).1
    }

    /// Draws a bill of `face` from Alice on Bob to `payee`, accepted with `margin` and
    /// delivered; returns its id.
    fn delivered(&self, payee: Keyring, face: u128, margin: u128, maturity: u64) -> BillId {
        let events = self.ok(
            Alice,
            BillsCall::issue {
                acceptor: Bob.account_id(),
                payee: payee.account_id(),
                face,
                maturity,
                non_transferable: false,
                divisible: true,
                invoices: Vec::new(),
            },
        );
        let Some(BillsEvent::BillIssued { bill, .. }) = events.first() else {
            panic!("BillIssued, got {events:?}");
        };
        let bill = *bill;
        self.ok(Alice, BillsCall::request_acceptance { bill });
        self.ok(Bob, BillsCall::accept { bill, margin });
        self.ok(Alice, BillsCall::deliver { bill });
        bill
    }

    /// Seals blocks with small transfers until block time reaches `time`.
    fn seal_until(&self, time: u64) {
        loop {
            let outcome = self.run(Alice, transfer(Bob, UNIT / 1000));
            assert_eq!(outcome.result, Ok(()));
            if outcome.time >= time {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

fn paid_amount(events: &[BillsEvent]) -> u128 {
    events
        .iter()
        .map(|event| match event {
            BillsEvent::Paid { amount, .. } => *amount,
            _ => 0,
        })
        .sum()
}

#[test]
fn bills_are_paid_in_full_collected_by_pledgees_and_guaranteed_on_a_dev_chain() {
    let chain = Chain::start();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis() as u64;
    let maturity = now + 30_000;

    // Three bills drawn by Alice on Bob to Charlie, all delivered before circulating any
    // (a maturity must lie ahead at issue; endorsing after it is allowed).
    let face = 100 * UNIT;
    let margin = 40 * UNIT;
    let split = chain.delivered(Charlie, face, margin, maturity);
    let pledged_face = 10 * UNIT;
    let pledged = chain.delivered(Charlie, pledged_face, 0, maturity);
    let guaranteed_face = 5 * UNIT;
    let guaranteed = chain.delivered(Charlie, guaranteed_face, 0, maturity);

    // --- a bill of 64 ranges: Charlie endorses 63 single units to Dave --------------------
    for start in 0..MAX_RANGES - 1 {
        let end = start + 1;
        let to = Dave.account_id();
        chain.ok(
            Charlie,
            BillsCall::endorse {
                bill: split,
                start,
                end,
                to,
            },
        );
        chain.ok(Dave, BillsCall::sign { bill: split, start });
    }
    let view = chain.view(split);
    assert_eq!(view.ranges.len() as u64, MAX_RANGES);
    assert_eq!(view.bill.ranges as u64, MAX_RANGES);
    // One more split would exceed MaxRanges.
    chain.fails(
        Charlie,
        BillsCall::endorse {
            bill: split,
            start: MAX_RANGES - 1,
            end: MAX_RANGES,
            to: Dave.account_id(),
        },
        BillsError::TooManyRanges,
    );

    // --- a pledged bill: Charlie pledges it to Eve for 4 FOLIO ----------------------------
    let units = (pledged_face / RANGE_UNIT) as Unit;
    chain.ok(
        Charlie,
        BillsCall::pledge {
            bill: pledged,
            start: 0,
            end: units,
            pledgee: Eve.account_id(),
            secured: 4 * UNIT,
        },
    );
    chain.ok(
        Eve,
        BillsCall::sign {
            bill: pledged,
            start: 0,
        },
    );

    // --- a guaranteed bill: Charlie endorses to Dave; Ferdie gives its aval for Bob -------
    let units = (guaranteed_face / RANGE_UNIT) as Unit;
    chain.ok(
        Charlie,
        BillsCall::endorse {
            bill: guaranteed,
            start: 0,
            end: units,
            to: Dave.account_id(),
        },
    );
    chain.ok(
        Dave,
        BillsCall::sign {
            bill: guaranteed,
            start: 0,
        },
    );
    chain.fails(
        Ferdie,
        BillsCall::guarantee {
            bill: guaranteed,
            for_party: Eve.account_id(),
        },
        BillsError::NotASigner,
    );
    let events = chain.ok(
        Ferdie,
        BillsCall::guarantee {
            bill: guaranteed,
            for_party: Bob.account_id(),
        },
    );
    assert_eq!(
        events,
        vec![BillsEvent::Guaranteed {
            bill: guaranteed,
            guarantor: Ferdie.account_id(),
            for_party: Bob.account_id(),
        }]
    );

    chain.seal_until(maturity);

    // --- every one of the 64 ranges presented and paid: the bill closes --------------------
    let mut paid = 0;
    let ranges: Vec<(Unit, Keyring)> = chain
        .view(split)
        .ranges
        .iter()
        .map(|(start, range)| {
            let holder = if range.holder == Dave.account_id() {
                Dave
            } else {
                Charlie
            };
            (*start, holder)
        })
        .collect();
    let mut closed = false;
    for (start, holder) in ranges {
        chain.ok(holder, BillsCall::present { bill: split, start });
        let events = chain.ok(Bob, BillsCall::pay { bill: split, start });
        paid += paid_amount(&events);
        closed |= events
            .iter()
            .any(|e| matches!(e, BillsEvent::BillClosed { .. }));
    }
    assert!(closed, "paying the last range closed the bill");
    assert_eq!(paid, face, "the 64 payments add up to the face");
    let view = chain.view(split);
    assert_eq!(view.bill.state, BillState::Closed);
    assert_eq!(view.bill.margin, 0, "the margin was used up");
    assert!(view
        .ranges
        .iter()
        .all(|(_, range)| range.state == RangeState::Paid));

    // --- the pledgee presents and collects; the pledgor keeps the surplus ------------------
    chain.fails(
        Charlie,
        BillsCall::present {
            bill: pledged,
            start: 0,
        },
        BillsError::NotHolder,
    );
    chain.ok(
        Eve,
        BillsCall::present {
            bill: pledged,
            start: 0,
        },
    );
    let charlie_before = chain.free(Charlie);
    let events = chain.ok(
        Bob,
        BillsCall::pay {
            bill: pledged,
            start: 0,
        },
    );
    let collected: u128 = events
        .iter()
        .map(|e| match e {
            BillsEvent::PledgeeCollected {
                pledgee, amount, ..
            } if *pledgee == Eve.account_id() => *amount,
            _ => 0,
        })
        .sum();
    assert_eq!(collected, 4 * UNIT, "the pledgee collected what is secured");
    assert_eq!(
        chain.free(Charlie),
        charlie_before + pledged_face - 4 * UNIT,
        "the pledgor received the surplus"
    );
    assert_eq!(chain.view(pledged).bill.state, BillState::Closed);

    // --- the guaranteed bill in recourse ---------------------------------------------------
    chain.ok(
        Dave,
        BillsCall::present {
            bill: guaranteed,
            start: 0,
        },
    );
    chain.ok(
        Bob,
        BillsCall::refuse_payment {
            bill: guaranteed,
            start: 0,
            reason: folio_pallet_bills::DishonourReason::InsufficientFunds,
        },
    );
    chain.ok(
        Dave,
        BillsCall::claim_recourse {
            bill: guaranteed,
            start: 0,
            against: Ferdie.account_id(),
        },
    );
    let dave_before = chain.free(Dave);
    let events = chain.ok(
        Ferdie,
        BillsCall::pay_recourse {
            bill: guaranteed,
            start: 0,
        },
    );
    assert!(events.iter().any(|e| matches!(
        e,
        BillsEvent::RecoursePaid { payer, amount, settled: false, .. }
            if *payer == Ferdie.account_id() && *amount == guaranteed_face
    )));
    assert_eq!(chain.free(Dave), dave_before + guaranteed_face);
    chain.fails(
        Ferdie,
        BillsCall::claim_recourse {
            bill: guaranteed,
            start: 0,
            against: Alice.account_id(),
        },
        BillsError::NotLiable,
    );
    chain.ok(
        Ferdie,
        BillsCall::claim_recourse {
            bill: guaranteed,
            start: 0,
            against: Bob.account_id(),
        },
    );
    let events = chain.ok(
        Bob,
        BillsCall::pay_recourse {
            bill: guaranteed,
            start: 0,
        },
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, BillsEvent::RecoursePaid { settled: true, .. })));
    let view = chain.view(guaranteed);
    assert_eq!(view.bill.state, BillState::Closed);
    assert_eq!(view.ranges[0].1.state, RangeState::Settled);
}
