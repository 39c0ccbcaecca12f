//! A runtime with System, the currency pallet and the crowdfunding pallet, for this crate's
//! tests. Block time is a thread-local clock the tests move with [`set_now`] / [`advance`].

use crate::types::*;
use crate::Config;
use core::cell::Cell;
use folio_pallet_support::prelude::*;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::hash::H256;
use folio_primitives::version::RuntimeVersion;

pub struct Test;

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(folio_pallet_system::Event),
    #[codec(index = 6)]
    Balances(folio_pallet_currency::Event),
    #[codec(index = 7)]
    TransactionPayment(folio_pallet_currency::FeeEvent),
    #[codec(index = 9)]
    Crowdfunding(crate::Event),
}

impl folio_pallet_system::Config for Test {
    const INDEX: u8 = 0;
    const BLOCK_HASH_COUNT: BlockNumber = 250;
    const SS58_PREFIX: u16 = 42;
    const BLOCK_WEIGHTS: BlockWeights = BlockWeights::with_normal_ratio(
        Weight::from_parts(1_000, 0),
        Weight::from_parts(2_000_000_000_000, u64::MAX),
        Weight::from_parts(100_000_000, 0),
        75,
    );
    const BLOCK_LENGTH: BlockLength = BlockLength::with_normal_ratio(5 * 1024 * 1024, 75);
    type RuntimeEvent = RuntimeEvent;
    fn runtime_version() -> RuntimeVersion {
        RuntimeVersion {
            spec_name: "folio-test".into(),
            impl_name: "folio-test".into(),
            authoring_version: 1,
            spec_version: 1,
            impl_version: 0,
            apis: Vec::new(),
            transaction_version: 1,
            system_version: 1,
        }
    }
}

pub const ED: Balance = 10;
pub const TREASURY: AccountId = AccountId::new([0xee; 32]);

impl folio_pallet_currency::Config for Test {
    const INDEX: u8 = 6;
    const FEE_EVENTS_INDEX: u8 = 7;
    const EXISTENTIAL_DEPOSIT: Balance = ED;
    const MAX_HOLDS: u32 = 6;
    const MAX_FREEZES: u32 = 2;
    const TREASURY: AccountId = TREASURY;
    const BASE_FEE: Balance = 5;
    const BYTE_FEE: Balance = 1;
    const REF_TIME_PER_FEE_UNIT: u64 = 100_000_000;
}

pub const HOUR: Moment = 3_600_000;
pub const DAY: Moment = 24 * HOUR;
pub const DEPOSIT: Balance = 100;
pub const LOCK_WINDOW: Moment = 2 * DAY;
pub const RECONFIRM_WINDOW: Moment = 5 * DAY;
pub const MAX_LIVE_CHECKPOINTS: u32 = 3;
pub const MAX_OPEN_OFFERS: u32 = 3;
pub const MAX_PAUSE: Moment = 14 * DAY;
pub const MIN_OFFERING_PERIOD: Moment = 21 * DAY;
pub const REFLECTION_PERIOD: Moment = 4 * DAY;
/// Room for the benchmarks' campaigns; the issuer-cap tests use hard caps of 25 000.
pub const ISSUER_CAP: Balance = 50_000;

impl Config for Test {
    const INDEX: u8 = 9;
    type Currency = folio_pallet_currency::Pallet<Test>;
    const CAMPAIGN_DEPOSIT: Balance = DEPOSIT;
    const LOCK_WINDOW: Moment = LOCK_WINDOW;
    const RECONFIRM_WINDOW: Moment = RECONFIRM_WINDOW;
    const REFLECTION_PERIOD: Moment = REFLECTION_PERIOD;
    const LIMIT_WINDOW: Moment = 365 * DAY;
    const ISSUER_CAP: Balance = ISSUER_CAP;
    const MAX_LEDGER_ENTRIES: u32 = 3;
    const MAX_PAUSE: Moment = MAX_PAUSE;
    const MIN_OFFERING_PERIOD: Moment = MIN_OFFERING_PERIOD;
    const MAX_BATCH: u32 = 10;
    const MAX_LIVE_CHECKPOINTS: u32 = MAX_LIVE_CHECKPOINTS;
    const MAX_OPEN_OFFERS: u32 = MAX_OPEN_OFFERS;
    fn now() -> Moment {
        NOW.with(Cell::get)
    }
}

thread_local! {
    static NOW: Cell<Moment> = const { Cell::new(0) };
}

/// Sets block time.
pub fn set_now(now: Moment) {
    NOW.with(|cell| cell.set(now));
}

/// Moves block time forward.
pub fn advance(by: Moment) {
    NOW.with(|cell| cell.set(cell.get() + by));
}

pub fn now() -> Moment {
    NOW.with(Cell::get)
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

/// Investors 1–4 hold verified claims (4 with a 1 000 limit); 5 has none.
pub const ALICE: u8 = 1;
pub const BOB: u8 = 2;
pub const CHARLIE: u8 = 3;
pub const DAVE: u8 = 4;
pub const EVE: u8 = 5;
/// The company's agent.
pub const ISSUER: u8 = 10;
/// A trusted claim issuer.
pub const KYC: u8 = 20;

pub const START: Moment = 10 * DAY;
pub const DEADLINE: Moment = 40 * DAY;
pub const CLAIM_EXPIRY: Moment = 1_000 * DAY;
pub const DAVE_LIMIT: Balance = 1_000;

/// Balances, the claim issuer and the claims; time at 0; every invariant (crowdfunding and
/// currency) re-checked after each test.
pub fn new_test_ext() -> StateBuilder {
    set_now(0);
    let balances = folio_pallet_currency::GenesisConfig {
        balances: vec![
            (account(ALICE), 10_000),
            (account(BOB), 10_000),
            (account(CHARLIE), 10_000),
            (account(DAVE), 10_000),
            (account(EVE), 10_000),
            (account(ISSUER), 100_000),
            (account(KYC), 1_000),
        ],
    };
    let claim = |who: u8, limit: Option<Balance>| crate::GenesisClaim {
        subject: account(who),
        issuer: account(KYC),
        kyc: KycStatus::Verified,
        category: InvestorCategory::Retail,
        investment_limit: limit,
        expires_at: CLAIM_EXPIRY,
    };
    let crowdfunding = crate::GenesisConfig {
        claim_issuers: vec![account(KYC)],
        claims: vec![
            claim(ALICE, None),
            claim(BOB, None),
            claim(CHARLIE, None),
            claim(DAVE, Some(DAVE_LIMIT)),
        ],
    };
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            balances.build::<Test>().expect("valid test genesis");
            crowdfunding.build::<Test>().expect("valid test genesis");
            folio_pallet_support::events::reset_events();
        })
        .invariant("crowdfunding", crate::invariants::check_invariants::<Test>)
        .invariant(
            "currency",
            folio_pallet_currency::invariants::check_invariants::<Test>,
        )
}

/// Dispatches in a storage transaction, as the executive does.
pub fn dispatch(call: crate::Call, origin: Origin) -> DispatchResult {
    with_transaction(|| {
        call.dispatch::<Test>(origin)
            .map(|_| ())
            .map_err(|e| e.error)
    })
}

pub fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

/// Standard terms: class 0, price 10, soft cap 1 000, hard cap 2 000, per investor 100–1 500,
/// start at day 10, deadline at day 40.
pub fn terms() -> CampaignTerms {
    CampaignTerms {
        share_class: 0,
        price: 10,
        soft_cap: 1_000,
        hard_cap: 2_000,
        min_commitment: 100,
        max_commitment: 1_500,
        start: START,
        deadline: DEADLINE,
        document: H256([7; 32]),
    }
}

/// Creates share class 0 (at most `max_holders` holders, claims required, 10-day lockup).
pub fn create_class(max_holders: u32) {
    assert_eq!(
        dispatch(
            crate::Call::create_share_class {
                max_holders,
                requires_claim: true,
                lockup: 10 * DAY,
            },
            signed(ISSUER)
        ),
        Ok(())
    );
}

/// Class 0 and campaign 0 approved and open (time moved to the start).
pub fn open_campaign() -> CampaignId {
    create_class(10);
    let id = crate::NextCampaignId::get();
    for (call, origin) in [
        (
            crate::Call::create_campaign { terms: terms() },
            signed(ISSUER),
        ),
        (
            crate::Call::submit_campaign { campaign: id },
            signed(ISSUER),
        ),
        (crate::Call::approve_campaign { campaign: id }, Origin::Root),
    ] {
        assert_eq!(dispatch(call, origin), Ok(()));
    }
    set_now(START);
    id
}

/// An open campaign with Alice 600 and Bob 500 committed, settled after the deadline: Alice
/// holds 60 shares, Bob 50.
pub fn funded_class() -> CampaignId {
    let id = open_campaign();
    assert_eq!(
        dispatch(
            crate::Call::commit {
                campaign: id,
                amount: 600
            },
            signed(ALICE)
        ),
        Ok(())
    );
    assert_eq!(
        dispatch(
            crate::Call::commit {
                campaign: id,
                amount: 500
            },
            signed(BOB)
        ),
        Ok(())
    );
    set_now(DEADLINE);
    assert_eq!(
        dispatch(
            crate::Call::settle {
                campaign: id,
                limit: 10
            },
            signed(EVE)
        ),
        Ok(())
    );
    id
}

/// The crowdfunding pallet's events so far.
pub fn events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Crowdfunding(event) => Some(event),
            _ => None,
        })
        .collect()
}

pub fn reset_events() {
    folio_pallet_support::events::reset_events();
}

/// What benchmark setups ask of the test runtime: money is minted, time is the mock clock.
pub struct BenchEnv;

impl folio_pallet_support::benchmarking::BenchmarkEnv for BenchEnv {
    fn fund(who: &AccountId, amount: Balance) {
        folio_pallet_currency::Pallet::<Test>::do_mint(who, amount).expect("benchmark funding");
    }
    fn set_now(now: Moment) {
        set_now(now);
    }
}
