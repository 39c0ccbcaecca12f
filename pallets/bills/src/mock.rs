//! A runtime with System, the currency pallet and the bills pallet, for this crate's tests.

use crate::{Config, InvoiceNet, InvoiceRef};
use core::cell::Cell;
use folio_pallet_support::prelude::*;
use folio_pallet_support::storage::StorageValue;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
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
    #[codec(index = 12)]
    Bills(crate::Event),
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
    const MAX_HOLDS: u32 = 4;
    const MAX_FREEZES: u32 = 2;
    const TREASURY: AccountId = TREASURY;
    const BASE_FEE: Balance = 5;
    const BYTE_FEE: Balance = 1;
    const REF_TIME_PER_FEE_UNIT: u64 = 100_000_000;
}

pub const INDEX: u8 = 12;
pub const UNIT: Balance = 100;
pub const DAY: Moment = 86_400_000;
pub const START: Moment = 1_000_000;
pub const MAX_RANGES: u32 = 8;
pub const MAX_CHAIN: u32 = 4;
pub const MAX_HISTORY: u32 = 64;
pub const HISTORY_RESERVE: u32 = 16;

/// Invoices whose net the mock knows: invoice 1 nets 20 000, invoice 2 nets 5 000.
pub struct MockInvoices;

impl InvoiceNet for MockInvoices {
    fn net(invoice: &InvoiceRef) -> Option<Balance> {
        match invoice {
            1 => Some(20_000),
            2 => Some(5_000),
            // Benchmark invoices.
            100..=199 => Some(1_000_000),
            _ => None,
        }
    }
}

pub fn invoice(id: u64) -> InvoiceRef {
    id
}

impl Config for Test {
    const INDEX: u8 = INDEX;
    type Currency = folio_pallet_currency::Pallet<Test>;
    type Invoices = MockInvoices;
    const RANGE_UNIT: Balance = UNIT;
    const MAX_TENOR: Moment = 180 * DAY;
    const ACCEPTANCE_WINDOW: Moment = 3 * DAY;
    const OFFER_WINDOW: Moment = 3 * DAY;
    const PRESENTMENT_PERIOD: Moment = 10 * DAY;
    const PAYMENT_WINDOW: Moment = 3 * DAY;
    const RECOURSE_WINDOW: Moment = 5 * DAY;
    const MAX_RANGES: u32 = MAX_RANGES;
    const MAX_CHAIN: u32 = MAX_CHAIN;
    const MAX_INVOICES: u32 = 3;
    const MAX_HISTORY: u32 = MAX_HISTORY;
    const HISTORY_RESERVE: u32 = HISTORY_RESERVE;
    const SWEEP_PER_BLOCK: u32 = 4;
    fn now() -> Moment {
        NOW.with(Cell::get)
    }
}

thread_local! {
    static NOW: Cell<Moment> = const { Cell::new(START) };
}

/// Sets the block time.
pub fn set_now(now: Moment) {
    NOW.with(|cell| cell.set(now));
}

/// Moves time forward by `ms` and the block number by one.
pub fn advance(ms: Moment) {
    set_now(now() + ms);
    folio_pallet_system::Number::mutate(|n| *n += 1);
}

pub fn now() -> Moment {
    <Test as Config>::now()
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

pub const ALICE: u8 = 1; // drawer
pub const BOB: u8 = 2; // acceptor
pub const CHARLIE: u8 = 3; // payee
pub const DAVE: u8 = 4;
pub const EVE: u8 = 5; // financier
pub const FERDIE: u8 = 6;

pub const ENDOWMENT: Balance = 1_000_000;

/// Six endowed accounts at block 1, time `START`; invariants of both pallets re-checked
/// after every test.
pub fn new_test_ext() -> StateBuilder {
    set_now(START);
    let balances = crate::mock::endowments();
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            folio_pallet_currency::GenesisConfig { balances }
                .build::<Test>()
                .expect("valid test genesis");
            crate::GenesisConfig {}
                .build::<Test>()
                .expect("valid bills configuration");
            folio_pallet_system::Number::put(&1);
            folio_pallet_support::events::reset_events();
        })
        .invariant(
            "currency",
            folio_pallet_currency::invariants::check_invariants::<Test>,
        )
        .invariant("bills", crate::invariants::check_invariants::<Test>)
}

pub fn endowments() -> Vec<(AccountId, Balance)> {
    [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE]
        .iter()
        .map(|who| (account(*who), ENDOWMENT))
        .collect()
}

/// The bills pallet's events so far.
pub fn bill_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Bills(event) => Some(event),
            _ => None,
        })
        .collect()
}

impl crate::benchmarking::BenchmarkInvoices for MockInvoices {
    fn invoice(index: u32, _face: Balance) -> Option<InvoiceRef> {
        Some(100 + u64::from(index))
    }
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
