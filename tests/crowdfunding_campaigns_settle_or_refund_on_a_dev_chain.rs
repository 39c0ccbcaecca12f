//! On `folio-node --dev`, over JSON-RPC only: one crowdfunding campaign succeeds (the issuer is
//! paid, shares are minted, a dividend is claimed) and another fails (every investor's hold is
//! released), with every money movement checked exactly.
//!
//! The story: Root (//Alice through `Sudo.sudo`) trusts //Alice as a claim issuer, who gives
//! //Charlie, //Dave and //Eve a KYC claim. //Bob, a company, creates two share classes and a
//! campaign for each, submits them, and Root approves them. Campaign 0 is over-subscribed up to
//! its hard cap (//Eve's commitment is partly filled) and succeeds; campaign 1 misses its soft
//! cap and fails. Anyone settles campaign 0 (Bob receives the held money, the investors receive
//! shares) and refunds campaign 1 in two bounded batches (each hold is released). Bob then
//! announces a dividend on the class of campaign 0, and after its record date //Charlie claims
//! his pro-rata part from Bob's hold. Last, a secondary trade delivery-versus-payment: Charlie
//! offers 50 shares at 2 FOLIO each, Dave buys 20 of them (40 FOLIO move from Dave to Charlie in
//! the same extrinsic as the shares) and Charlie withdraws the rest of the offer.
//!
//! Time: the campaigns run their real windows. They start a minute after the chain's clock and
//! end `MIN_OFFERING_PERIOD` (21 days) and a day later; `dev_timeTravel` moves block time to
//! the start (anyone then opens them with `advance_campaign`) and past the deadline, each time
//! followed by one sealed block (a small transfer from //Ferdie); a week into the offering
//! //Dave cancels a commitment (the cancellation window) and commits again. The investors' claims are
//! `Sophisticated` (no 4-day reflection period to wait for at the deadline).
//!
//! After every extrinsic the test decodes `System.Events` of its block (`state_getStorage` at the
//! block hash), checks the pallet's and the currency's events of that extrinsic exactly, and
//! checks `free` and `reserved` (held) of Bob, Charlie, Dave and Eve against a ledger that
//! subtracts each fee (`TransactionFeePaid`) and applies each expected money movement. The
//! runtime API (`state_call` of `CrowdfundingApi_*`) is checked at each stage.

mod common;

use common::*;
use folio_pallet_crowdfunding::api::InvestorStatus;
use folio_pallet_crowdfunding::{
    Call as Cf, Campaign, CampaignState, CampaignTerms, Commitment, Distribution, Event as CfEvent,
    InvestorCategory, KycStatus, Outcome, ReleaseReason, ShareAccount, ShareClass,
};
use folio_pallet_currency::Event as BalancesEvent;
use folio_pallet_support::currency::HoldReason;
use folio_pallet_support::events::{EventRecord, Phase};
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use folio_runtime::{Runtime, RuntimeCall, RuntimeEvent, UNIT};
use parity_scale_codec::{Decode, Encode};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};
use tungstenite::Message;

const DEPOSIT: u128 = <Runtime as folio_pallet_crowdfunding::Config>::CAMPAIGN_DEPOSIT;
const MIN_OFFERING_PERIOD: u64 =
    <Runtime as folio_pallet_crowdfunding::Config>::MIN_OFFERING_PERIOD;
const DAY_MS: u64 = 86_400_000;

/// The accounts whose balances are checked exactly after every step.
const TRACKED: [Keyring; 4] = [Bob, Charlie, Dave, Eve];

fn storage_key(pallet: &str, item: &str) -> String {
    let mut key = folio_primitives::crypto::native::twox_128(pallet.as_bytes()).to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(item.as_bytes()));
    hex_of(&key)
}

fn unhex(value: &Value) -> Vec<u8> {
    let text = value.as_str().unwrap_or_else(|| panic!("not hex: {value}"));
    hex::decode(text.trim_start_matches("0x")).expect("hex")
}

fn wall_clock_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as u64
}

fn sudo(call: Cf) -> RuntimeCall {
    RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::Crowdfunding(call)),
    })
}

/// `(free, reserved)`: `System.Account` is FRAME's `AccountInfo` (nonce, consumers, providers,
/// sufficients, then free, reserved, frozen, flags).
fn balances(node: &NodeProcess, who: Keyring) -> (u128, u128) {
    let bytes = unhex(&node.rpc("state_getStorage", json!([account_key(who)])));
    let word = |at: usize| u128::from_le_bytes(bytes[at..at + 16].try_into().unwrap());
    (word(16), word(32))
}

/// What one extrinsic did: its block, and its crowdfunding, hold and sudo events in order.
struct Included {
    block: String,
    events: Vec<RuntimeEvent>,
}

struct Chain {
    node: NodeProcess,
    genesis: H256,
    /// Expected `(free, reserved)` of each tracked account.
    expected: Vec<(Keyring, u128, u128)>,
    /// Fees each tracked account paid so far.
    fees: Vec<(Keyring, u128)>,
}

impl Chain {
    fn start() -> Self {
        let node = NodeProcess::dev(&[]);
        let genesis = node.genesis_hash();
        let expected = TRACKED
            .iter()
            .map(|&who| {
                let (free, reserved) = balances(&node, who);
                assert_eq!(free, 1_000_000 * UNIT, "{who:?} is endowed on --dev");
                assert_eq!(reserved, 0);
                (who, free, reserved)
            })
            .collect();
        Self {
            node,
            genesis,
            expected,
            fees: TRACKED.iter().map(|&who| (who, 0)).collect(),
        }
    }

    /// Signs `call` as `who`, submits it over WebSocket, waits for its block and returns the
    /// events it caused (crowdfunding, sudo, and the currency's hold events). Asserts that it
    /// succeeded and books its fee in the ledger.
    fn submit(&mut self, who: Keyring, call: RuntimeCall) -> Included {
        let (nonce, _) = account(&self.node, who);
        let tx = sign(self.genesis, who, call, nonce, folio_runtime::SPEC_VERSION);
        let (mut socket, _) = tungstenite::connect(self.node.url()).expect("websocket connects");
        socket
            .send(Message::text(
                json!({"id": 1, "jsonrpc": "2.0", "method": "author_submitAndWatchExtrinsic", "params": [hex_of(&tx)]})
                    .to_string(),
            ))
            .expect("send");
        let block = loop {
            let text = match socket.read().expect("socket open") {
                Message::Text(text) => text,
                _ => continue,
            };
            let note: Value = serde_json::from_str(&text).expect("json");
            assert!(note.get("error").is_none(), "{who:?}: refused: {note}");
            let status = &note["params"]["result"];
            if let Some(hash) = status["inBlock"].as_str() {
                break hash.to_string();
            }
            assert!(
                status.is_string() || note.get("result").is_some(),
                "{who:?}: unexpected status {note}"
            );
        };
        let _ = socket.close(None);

        let body = self.node.rpc("chain_getBlock", json!([block]));
        let index = body["block"]["extrinsics"]
            .as_array()
            .expect("extrinsics")
            .iter()
            .position(|x| x.as_str() == Some(hex_of(&tx).as_str()))
            .expect("the block holds the transaction") as u32;
        let raw = unhex(&self.node.rpc(
            "state_getStorage",
            json!([storage_key("System", "Events"), block]),
        ));
        let records = Vec::<EventRecord<RuntimeEvent>>::decode(&mut &raw[..]).expect("events");
        let mine: Vec<RuntimeEvent> = records
            .into_iter()
            .filter(|r| r.phase == Phase::ApplyExtrinsic(index))
            .map(|r| r.event)
            .collect();
        let mut fee = 0;
        let mut success = false;
        let mut events = Vec::new();
        for event in mine {
            match event {
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicSuccess { .. }) => {
                    success = true
                }
                RuntimeEvent::System(folio_pallet_system::Event::ExtrinsicFailed {
                    dispatch_error,
                    ..
                }) => panic!("{who:?}: extrinsic failed: {dispatch_error:?}"),
                RuntimeEvent::TransactionPayment(
                    folio_pallet_currency::FeeEvent::TransactionFeePaid {
                        who: payer,
                        actual_fee,
                        ..
                    },
                ) => {
                    assert_eq!(payer, who.account_id());
                    fee += actual_fee;
                }
                e @ (RuntimeEvent::Crowdfunding(_)
                | RuntimeEvent::Sudo(_)
                | RuntimeEvent::Balances(
                    BalancesEvent::Held { .. }
                    | BalancesEvent::Released { .. }
                    | BalancesEvent::TransferOnHold { .. },
                )) => events.push(e),
                _ => {}
            }
        }
        assert!(success, "{who:?}: no ExtrinsicSuccess");
        if let Some(entry) = self.expected.iter_mut().find(|(k, ..)| *k == who) {
            entry.1 -= fee;
        }
        if let Some(entry) = self.fees.iter_mut().find(|(k, _)| *k == who) {
            entry.1 += fee;
        }
        Included { block, events }
    }

    /// Books an expected money movement: `free` and `reserved` change by these amounts.
    fn moves(&mut self, who: Keyring, free: i128, reserved: i128) {
        let entry = self
            .expected
            .iter_mut()
            .find(|(k, ..)| *k == who)
            .expect("tracked");
        entry.1 = entry.1.checked_add_signed(free).expect("free");
        entry.2 = entry.2.checked_add_signed(reserved).expect("reserved");
    }

    /// Every tracked account's balances are exactly as booked.
    fn check_balances(&self, step: &str) {
        for &(who, free, reserved) in &self.expected {
            assert_eq!(
                balances(&self.node, who),
                (free, reserved),
                "{step}: (free, reserved) of {who:?}"
            );
        }
    }

    /// `state_call` of a runtime API function at the best block, SCALE in and out.
    fn api<T: Decode>(&self, method: &str, args: impl Encode) -> T {
        let answer = self
            .node
            .rpc("state_call", json!([method, hex_of(&args.encode())]));
        T::decode(&mut &unhex(&answer)[..]).unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// `Timestamp.Now` of the best block.
    fn block_time(&self) -> u64 {
        let raw = unhex(
            &self
                .node
                .rpc("state_getStorage", json!([storage_key("Timestamp", "Now")])),
        );
        u64::decode(&mut &raw[..]).expect("moment")
    }

    /// Moves block time to `moment` (`dev_timeTravel`) and seals one block there (a small
    /// transfer from Ferdie to Alice).
    fn travel_to(&mut self, moment: u64) {
        assert_eq!(
            self.node.rpc("dev_timeTravel", json!([moment])),
            json!(moment)
        );
        self.submit(Ferdie, transfer(Alice, UNIT));
        assert!(self.block_time() >= moment, "block time reached {moment}");
    }
}

fn crowdfunding(events: &[RuntimeEvent]) -> Vec<CfEvent> {
    events
        .iter()
        .filter_map(|e| match e {
            RuntimeEvent::Crowdfunding(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn holds(events: &[RuntimeEvent]) -> Vec<BalancesEvent> {
    events
        .iter()
        .filter_map(|e| match e {
            RuntimeEvent::Balances(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn assert_sudo_ok(included: &Included) {
    assert!(
        included.events.iter().any(|e| matches!(
            e,
            RuntimeEvent::Sudo(folio_pallet_sudo::Event::Sudid {
                sudo_result: Ok(())
            })
        )),
        "Sudid(Ok) in {}: {:?}",
        included.block,
        included.events
    );
}

fn changed(campaign: u32, from: CampaignState, to: CampaignState) -> CfEvent {
    CfEvent::CampaignStateChanged { campaign, from, to }
}

fn held(reason: HoldReason, who: Keyring, amount: u128) -> BalancesEvent {
    BalancesEvent::Held {
        reason,
        who: who.account_id(),
        amount,
    }
}

fn released(reason: HoldReason, who: Keyring, amount: u128) -> BalancesEvent {
    BalancesEvent::Released {
        reason,
        who: who.account_id(),
        amount,
    }
}

fn on_hold(reason: HoldReason, source: Keyring, dest: Keyring, amount: u128) -> BalancesEvent {
    BalancesEvent::TransferOnHold {
        reason,
        source: source.account_id(),
        dest: dest.account_id(),
        amount,
    }
}

#[test]
fn crowdfunding_campaigns_settle_or_refund_on_a_dev_chain() {
    use HoldReason::{CrowdfundingCommitment as Commit, DividendFunds, IssuerDeposit};
    let mut chain = Chain::start();
    let limit = 1_000 * UNIT;

    // --- claims: Root trusts Alice as claim issuer; Alice attests three investors ------------
    let included = chain.submit(
        Alice,
        sudo(Cf::add_claim_issuer {
            issuer: Alice.account_id(),
        }),
    );
    assert_sudo_ok(&included);
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::ClaimIssuerAdded {
            issuer: Alice.account_id()
        }]
    );
    let claim_expiry = wall_clock_ms() + 365 * DAY_MS;
    for investor in [Charlie, Dave, Eve] {
        let included = chain.submit(
            Alice,
            RuntimeCall::Crowdfunding(Cf::issue_claim {
                subject: investor.account_id(),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Sophisticated,
                investment_limit: Some(limit),
                expires_at: claim_expiry,
            }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![CfEvent::ClaimIssued {
                subject: investor.account_id(),
                issuer: Alice.account_id(),
                kyc: KycStatus::Verified,
                category: InvestorCategory::Sophisticated,
                investment_limit: Some(limit),
                expires_at: claim_expiry,
            }]
        );
    }
    let status: InvestorStatus = chain.api("CrowdfundingApi_investor_status", Charlie.account_id());
    assert!(status.claim_valid);
    assert_eq!((status.active, status.headroom), (0, Some(limit)));
    chain.check_balances("claims");

    // --- Bob's share classes and campaigns ----------------------------------------------------
    for class in 0..2u32 {
        let included = chain.submit(
            Bob,
            RuntimeCall::Crowdfunding(Cf::create_share_class {
                max_holders: 10,
                requires_claim: true,
                lockup: 0,
            }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![CfEvent::ShareClassCreated {
                share_class: class,
                issuer: Bob.account_id(),
                max_holders: 10,
                requires_claim: true,
                lockup: 0,
            }]
        );
    }
    // The shortest offering period Reg CF allows, and a day.
    let start = chain.block_time() + 60_000;
    let deadline = start + MIN_OFFERING_PERIOD + DAY_MS;
    let terms = |class: u32| CampaignTerms {
        share_class: class,
        price: UNIT,
        soft_cap: 300 * UNIT,
        hard_cap: 400 * UNIT,
        min_commitment: 10 * UNIT,
        max_commitment: 300 * UNIT,
        start,
        deadline,
        document: H256([class as u8 + 1; 32]),
    };
    for campaign in 0..2u32 {
        let included = chain.submit(
            Bob,
            RuntimeCall::Crowdfunding(Cf::create_campaign {
                terms: terms(campaign),
            }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![CfEvent::CampaignCreated {
                campaign,
                issuer: Bob.account_id(),
                share_class: campaign,
                deposit: DEPOSIT,
            }]
        );
        assert_eq!(
            holds(&included.events),
            vec![held(IssuerDeposit, Bob, DEPOSIT)]
        );
        chain.moves(Bob, -(DEPOSIT as i128), DEPOSIT as i128);
        let included = chain.submit(
            Bob,
            RuntimeCall::Crowdfunding(Cf::submit_campaign { campaign }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![changed(
                campaign,
                CampaignState::Draft,
                CampaignState::PendingReview
            )]
        );
        let included = chain.submit(Alice, sudo(Cf::approve_campaign { campaign }));
        assert_sudo_ok(&included);
        // Approved before its start: scheduled.
        assert_eq!(
            crowdfunding(&included.events),
            vec![changed(
                campaign,
                CampaignState::PendingReview,
                CampaignState::Scheduled
            )]
        );
    }
    chain.check_balances("campaigns created");

    // --- the start comes: anyone opens the campaigns --------------------------------------
    chain.travel_to(start);
    for campaign in 0..2u32 {
        let included = chain.submit(
            Ferdie,
            RuntimeCall::Crowdfunding(Cf::advance_campaign { campaign }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![changed(
                campaign,
                CampaignState::Scheduled,
                CampaignState::Open
            )]
        );
    }

    // --- commitments: holds on the investors' own balances ------------------------------------
    // Campaign 0: Charlie 200 + Dave 150 + Eve asks 100 but only 50 fit under the hard cap.
    // Campaign 1: Dave 50 + Eve 100 = 150 < soft cap 300.
    let commitments = [
        (0u32, Charlie, 200 * UNIT, 200 * UNIT),
        (0, Dave, 150 * UNIT, 150 * UNIT),
        (0, Eve, 100 * UNIT, 50 * UNIT),
        (1, Dave, 50 * UNIT, 50 * UNIT),
        (1, Eve, 100 * UNIT, 100 * UNIT),
    ];
    for (campaign, investor, requested, filled) in commitments {
        let included = chain.submit(
            investor,
            RuntimeCall::Crowdfunding(Cf::commit {
                campaign,
                amount: requested,
            }),
        );
        assert_eq!(
            crowdfunding(&included.events),
            vec![CfEvent::Committed {
                campaign,
                investor: investor.account_id(),
                amount: filled,
                requested,
            }]
        );
        assert_eq!(
            holds(&included.events),
            vec![held(Commit, investor, filled)]
        );
        chain.moves(investor, -(filled as i128), filled as i128);
        chain.check_balances("commit");
    }
    // --- the cancellation window: a week into the offering (outside the 48 h lock window)
    // Dave cancels his commitment to campaign 1, whose whole hold is released, and commits
    // the same again (his record and place are reused, so what follows is unchanged) ---------
    chain.travel_to(start + 7 * DAY_MS);
    let included = chain.submit(
        Dave,
        RuntimeCall::Crowdfunding(Cf::cancel_commitment { campaign: 1 }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::CommitmentReleased {
            campaign: 1,
            investor: Dave.account_id(),
            amount: 50 * UNIT,
            reason: ReleaseReason::Cancelled,
        }]
    );
    assert_eq!(
        holds(&included.events),
        vec![released(Commit, Dave, 50 * UNIT)]
    );
    chain.moves(Dave, (50 * UNIT) as i128, -((50 * UNIT) as i128));
    chain.check_balances("cancel");
    let c1: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 1u32)
        .expect("campaign 1");
    assert_eq!((c1.raised, c1.investors), (100 * UNIT, 1));
    let included = chain.submit(
        Dave,
        RuntimeCall::Crowdfunding(Cf::commit {
            campaign: 1,
            amount: 50 * UNIT,
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::Committed {
            campaign: 1,
            investor: Dave.account_id(),
            amount: 50 * UNIT,
            requested: 50 * UNIT,
        }]
    );
    assert_eq!(holds(&included.events), vec![held(Commit, Dave, 50 * UNIT)]);
    chain.moves(Dave, -((50 * UNIT) as i128), (50 * UNIT) as i128);
    chain.check_balances("commit again");
    assert!(
        chain.block_time() < deadline,
        "the commitments were all made before the deadline"
    );
    let c0: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 0u32)
        .expect("campaign 0");
    assert_eq!(c0.state, CampaignState::Open);
    assert_eq!(
        (c0.raised, c0.committed, c0.investors),
        (400 * UNIT, 400 * UNIT, 3)
    );
    let c1: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 1u32)
        .expect("campaign 1");
    assert_eq!((c1.raised, c1.investors), (150 * UNIT, 2));
    let eve0: Option<Commitment> =
        chain.api("CrowdfundingApi_commitment", (0u32, Eve.account_id()));
    assert_eq!(
        eve0.map(|c| (c.amount, c.committed)),
        Some((50 * UNIT, 50 * UNIT))
    );
    let dave: InvestorStatus = chain.api("CrowdfundingApi_investor_status", Dave.account_id());
    assert_eq!(dave.active, 200 * UNIT, "Dave: 150 in campaign 0 + 50 in 1");
    assert_eq!(dave.headroom, Some(limit - 200 * UNIT));

    // --- the deadline passes: 0 succeeded (400 ≥ 300), 1 failed (150 < 300) ------------------
    chain.travel_to(deadline);
    let c0: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 0u32)
        .unwrap();
    let c1: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 1u32)
        .unwrap();
    assert_eq!(c0.state, CampaignState::Succeeded);
    assert_eq!(c1.state, CampaignState::Failed);
    chain.check_balances("deadline (nothing moved)");

    // --- settle campaign 0 (anyone may): the holds move to Bob, shares are minted -------------
    let included = chain.submit(
        Ferdie,
        RuntimeCall::Crowdfunding(Cf::settle {
            campaign: 0,
            limit: 10,
        }),
    );
    let settled = [(Charlie, 200u128), (Dave, 150), (Eve, 50)];
    let mut expected_events: Vec<CfEvent> = settled
        .iter()
        .map(|&(investor, n)| CfEvent::CommitmentSettled {
            campaign: 0,
            investor: investor.account_id(),
            amount: n * UNIT,
            shares: n,
        })
        .collect();
    expected_events.push(CfEvent::IssuerDepositReturned {
        campaign: 0,
        issuer: Bob.account_id(),
        amount: DEPOSIT,
    });
    expected_events.push(changed(
        0,
        CampaignState::Open,
        CampaignState::Closed(Outcome::Funded),
    ));
    assert_eq!(crowdfunding(&included.events), expected_events);
    let mut expected_holds: Vec<BalancesEvent> = settled
        .iter()
        .map(|&(investor, n)| on_hold(Commit, investor, Bob, n * UNIT))
        .collect();
    expected_holds.push(released(IssuerDeposit, Bob, DEPOSIT));
    assert_eq!(holds(&included.events), expected_holds);
    for (investor, n) in settled {
        chain.moves(investor, 0, -((n * UNIT) as i128));
    }
    chain.moves(Bob, (400 * UNIT + DEPOSIT) as i128, -(DEPOSIT as i128));
    chain.check_balances("settle");

    let c0: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 0u32)
        .unwrap();
    assert_eq!(c0.state, CampaignState::Closed(Outcome::Funded));
    assert_eq!(
        (c0.raised, c0.settled, c0.shares_minted, c0.deposit_held),
        (0, 400 * UNIT, 400, false)
    );
    let class: ShareClass = chain
        .api::<Option<ShareClass>>("CrowdfundingApi_share_class", 0u32)
        .unwrap();
    assert_eq!(
        (class.supply, class.holders, class.pending_investors),
        (400, 3, 0)
    );
    let mut cap_table: Vec<(folio_primitives::AccountId, ShareAccount)> =
        chain.api("CrowdfundingApi_cap_table", (0u32, 0u32, 100u32));
    cap_table.sort_by_key(|(_, account)| std::cmp::Reverse(account.balance));
    assert_eq!(
        cap_table
            .iter()
            .map(|(who, account)| (*who, account.balance))
            .collect::<Vec<_>>(),
        settled
            .iter()
            .map(|&(investor, n)| (investor.account_id(), n))
            .collect::<Vec<_>>()
    );
    let charlie_shares: ShareAccount = chain.api(
        "CrowdfundingApi_share_account",
        (0u32, Charlie.account_id()),
    );
    assert_eq!(charlie_shares.balance, 200);
    let charlie: InvestorStatus =
        chain.api("CrowdfundingApi_investor_status", Charlie.account_id());
    assert_eq!(
        (charlie.active, charlie.settled_in_window, charlie.headroom),
        (0, 200 * UNIT, Some(limit - 200 * UNIT))
    );

    // --- refund campaign 1 in two bounded batches: every hold is released ---------------------
    let included = chain.submit(
        Ferdie,
        RuntimeCall::Crowdfunding(Cf::refund {
            campaign: 1,
            limit: 1,
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![
            CfEvent::CommitmentReleased {
                campaign: 1,
                investor: Dave.account_id(),
                amount: 50 * UNIT,
                reason: ReleaseReason::Refunded,
            },
            changed(1, CampaignState::Open, CampaignState::Refunding),
        ]
    );
    assert_eq!(
        holds(&included.events),
        vec![released(Commit, Dave, 50 * UNIT)]
    );
    chain.moves(Dave, 50 * UNIT as i128, -(50 * UNIT as i128));
    chain.check_balances("refund, first batch");
    let included = chain.submit(
        Ferdie,
        RuntimeCall::Crowdfunding(Cf::refund {
            campaign: 1,
            limit: 10,
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![
            CfEvent::CommitmentReleased {
                campaign: 1,
                investor: Eve.account_id(),
                amount: 100 * UNIT,
                reason: ReleaseReason::Refunded,
            },
            CfEvent::IssuerDepositReturned {
                campaign: 1,
                issuer: Bob.account_id(),
                amount: DEPOSIT,
            },
            changed(
                1,
                CampaignState::Refunding,
                CampaignState::Closed(Outcome::Refunded)
            ),
        ]
    );
    assert_eq!(
        holds(&included.events),
        vec![
            released(Commit, Eve, 100 * UNIT),
            released(IssuerDeposit, Bob, DEPOSIT)
        ]
    );
    chain.moves(Eve, 100 * UNIT as i128, -(100 * UNIT as i128));
    chain.moves(Bob, DEPOSIT as i128, -(DEPOSIT as i128));
    chain.check_balances("refund, second batch");
    let c1: Campaign = chain
        .api::<Option<Campaign>>("CrowdfundingApi_campaign", 1u32)
        .unwrap();
    assert_eq!(c1.state, CampaignState::Closed(Outcome::Refunded));
    assert_eq!(
        (c1.raised, c1.refunded, c1.settled, c1.investors),
        (0, 150 * UNIT, 0, 0)
    );
    let class1: ShareClass = chain
        .api::<Option<ShareClass>>("CrowdfundingApi_share_class", 1u32)
        .unwrap();
    assert_eq!((class1.supply, class1.holders), (0, 0));
    for investor in [Dave, Eve] {
        let status: InvestorStatus =
            chain.api("CrowdfundingApi_investor_status", investor.account_id());
        assert_eq!(
            status.active, 0,
            "{investor:?} has no active commitment left"
        );
        let commitment: Option<Commitment> =
            chain.api("CrowdfundingApi_commitment", (1u32, investor.account_id()));
        let commitment = commitment.expect("kept for the record");
        assert_eq!(commitment.amount, 0);
        assert_eq!(commitment.released, commitment.committed);
    }
    for &(who, _, reserved) in &chain.expected {
        if who != Bob {
            assert_eq!(reserved, 0, "{who:?} holds nothing any more");
        }
    }

    // --- a dividend on class 0, claimed by Charlie after its record date ----------------------
    let dividend = 100 * UNIT;
    let record_date = chain.block_time() + 60_000;
    let expires_at = record_date + 86_400_000;
    let included = chain.submit(
        Bob,
        RuntimeCall::Crowdfunding(Cf::create_distribution {
            share_class: 0,
            amount: dividend,
            record_date,
            expires_at,
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::DistributionCreated {
            distribution: 0,
            share_class: 0,
            payer: Bob.account_id(),
            amount: dividend,
            checkpoint: 0,
            record_date,
            expires_at,
        }]
    );
    assert_eq!(
        holds(&included.events),
        vec![held(DividendFunds, Bob, dividend)]
    );
    chain.moves(Bob, -(dividend as i128), dividend as i128);
    chain.check_balances("distribution created");
    let before_record: u128 = chain.api(
        "CrowdfundingApi_claimable_dividend",
        (0u32, Charlie.account_id()),
    );
    assert_eq!(
        before_record, 0,
        "nothing is claimable before the record date"
    );

    chain.travel_to(record_date);
    // 100 FOLIO × 200 / 400 shares.
    let entitlement = 50 * UNIT;
    let claimable: u128 = chain.api(
        "CrowdfundingApi_claimable_dividend",
        (0u32, Charlie.account_id()),
    );
    assert_eq!(claimable, entitlement);
    let claimable_dave: u128 = chain.api(
        "CrowdfundingApi_claimable_dividend",
        (0u32, Dave.account_id()),
    );
    assert_eq!(claimable_dave, 37_500_000_000_000, "100 × 150 / 400");
    let included = chain.submit(
        Charlie,
        RuntimeCall::Crowdfunding(Cf::claim_dividend { distribution: 0 }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::DividendClaimed {
            distribution: 0,
            holder: Charlie.account_id(),
            amount: entitlement,
        }]
    );
    assert_eq!(
        holds(&included.events),
        vec![on_hold(DividendFunds, Bob, Charlie, entitlement)]
    );
    chain.moves(Bob, 0, -(entitlement as i128));
    chain.moves(Charlie, entitlement as i128, 0);
    chain.check_balances("dividend claimed");
    let distribution: Distribution = chain
        .api::<Option<Distribution>>("CrowdfundingApi_distribution", 0u32)
        .unwrap();
    assert_eq!(
        (
            distribution.claimed,
            distribution.remaining,
            distribution.reclaimed
        ),
        (entitlement, dividend - entitlement, 0)
    );
    let again: u128 = chain.api(
        "CrowdfundingApi_claimable_dividend",
        (0u32, Charlie.account_id()),
    );
    assert_eq!(again, 0, "claimed once");

    // --- a secondary trade, delivery-versus-payment: Charlie sells 20 of 50 offered shares ----
    let price = 2 * UNIT;
    let included = chain.submit(
        Charlie,
        RuntimeCall::Crowdfunding(Cf::offer_shares {
            share_class: 0,
            amount: 50,
            price,
            buyer: None,
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::SharesOffered {
            offer: 0,
            share_class: 0,
            seller: Charlie.account_id(),
            buyer: None,
            amount: 50,
            price,
        }]
    );
    chain.check_balances("offered: no money moved");
    let included = chain.submit(
        Dave,
        RuntimeCall::Crowdfunding(Cf::accept_offer {
            offer: 0,
            amount: Some(20),
        }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::OfferAccepted {
            offer: 0,
            share_class: 0,
            seller: Charlie.account_id(),
            buyer: Dave.account_id(),
            amount: 20,
            paid: 20 * price,
            remaining: 30,
        }]
    );
    chain.moves(Dave, -((20 * price) as i128), 0);
    chain.moves(Charlie, (20 * price) as i128, 0);
    chain.check_balances("offer accepted: shares and money moved together");
    let share = |who: Keyring| -> u128 {
        chain
            .api::<ShareAccount>("CrowdfundingApi_share_account", (0u32, who.account_id()))
            .balance
    };
    assert_eq!((share(Charlie), share(Dave)), (180, 170));
    let included = chain.submit(
        Charlie,
        RuntimeCall::Crowdfunding(Cf::withdraw_offer { offer: 0 }),
    );
    assert_eq!(
        crowdfunding(&included.events),
        vec![CfEvent::OfferWithdrawn {
            offer: 0,
            share_class: 0,
            seller: Charlie.account_id(),
            amount: 30,
            remaining: 0,
        }]
    );
    chain.check_balances("offer withdrawn");

    // The whole story, independently of the step-by-step ledger: Bob received 400 FOLIO for
    // 400 shares and holds the unclaimed half of the dividend; each investor is down exactly
    // what was settled (Charlie up his dividend and the 40 FOLIO Dave paid him for 20 shares),
    // less fees; nobody else holds anything.
    let endowment = 1_000_000 * UNIT;
    let net = [
        (
            Bob,
            endowment + 400 * UNIT - dividend,
            dividend - entitlement,
        ),
        (
            Charlie,
            endowment - 200 * UNIT + entitlement + 20 * price,
            0,
        ),
        (Dave, endowment - 150 * UNIT - 20 * price, 0),
        (Eve, endowment - 50 * UNIT, 0),
    ];
    for (who, free, reserved) in net {
        let (_, fees) = *chain.fees.iter().find(|(k, _)| *k == who).unwrap();
        assert_eq!(
            balances(&chain.node, who),
            (free - fees, reserved),
            "{who:?} at the end"
        );
    }
}
