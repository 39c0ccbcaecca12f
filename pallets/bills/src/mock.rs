//! A runtime with System, the currency pallet and the bills pallet, for this crate's tests.

use crate::{Call, Config, Error, InvoiceRef, TradeBackground, TradeInvoices};
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

/// The mock's invoices, all sold by Alice to Bob unless said otherwise: invoice 1 nets
/// 20 000, invoice 2 nets 5 000, invoices 3 to 7 net 1 000 000; invoice 8 is a credit note;
/// invoice 9 is between Dave and Eve; 100 to 199 are the benchmarks' (drawer to acceptor).
/// What is financed of each lives in storage (so failed calls roll it back), and
/// [`set_lien`] stands for an e-invoice lien financing part of it.
pub struct MockInvoices;

fn financed_key(invoice: InvoiceRef) -> Vec<u8> {
    (b":mock:financed:", invoice).encode()
}

/// How much of an invoice the mock registry counts as financed (bills and liens).
pub fn financed(invoice: InvoiceRef) -> Balance {
    folio_primitives::io::storage_get(&financed_key(invoice))
        .and_then(|raw| Balance::decode(&mut &raw[..]).ok())
        .unwrap_or(0)
}

fn set_financed(invoice: InvoiceRef, amount: Balance) {
    folio_primitives::io::storage_set(&financed_key(invoice), &amount.encode());
}

/// An invoice lien financing `amount` of the invoice (as the e-invoice pallet would count it).
pub fn set_lien(invoice: InvoiceRef, amount: Balance) {
    set_financed(invoice, financed(invoice) + amount);
}

impl TradeInvoices for MockInvoices {
    fn trade_background(invoice: InvoiceRef) -> Option<TradeBackground> {
        let (seller, buyer, net, is_credit_note) = match invoice {
            1 => (account(ALICE), account(BOB), 20_000, false),
            2 => (account(ALICE), account(BOB), 5_000, false),
            3..=7 => (account(ALICE), account(BOB), 1_000_000, false),
            8 => (account(ALICE), account(BOB), 0, true),
            9 => (account(DAVE), account(EVE), 1_000_000, false),
            100..=199 => (
                folio_pallet_support::benchmarking::account("drawer", 0),
                folio_pallet_support::benchmarking::account("acceptor", 0),
                1_000_000,
                false,
            ),
            _ => return None,
        };
        Some(TradeBackground {
            seller,
            buyer,
            net,
            is_credit_note,
        })
    }

    fn finance(invoice: InvoiceRef, amount: Balance) -> DispatchResult {
        let net = Self::trade_background(invoice).map_or(0, |background| background.net);
        let after = financed(invoice)
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        if after > net {
            return Err(DispatchError::Other);
        }
        set_financed(invoice, after);
        Ok(())
    }

    fn release(invoice: InvoiceRef, amount: Balance) {
        set_financed(invoice, financed(invoice).saturating_sub(amount));
    }
}

pub fn invoice(id: u64) -> InvoiceRef {
    id
}

/// What drawing a bill holds from the drawer in the mock.
pub const ISSUE_DEPOSIT: Balance = 50;

impl Config for Test {
    const INDEX: u8 = INDEX;
    const ISSUE_DEPOSIT: Balance = ISSUE_DEPOSIT;
    type Currency = folio_pallet_currency::Pallet<Test>;
    type Invoices = MockInvoices;
    const RANGE_UNIT: Balance = UNIT;
    const MAX_TENOR: Moment = 180 * DAY;
    const ACCEPTANCE_WINDOW: Moment = 3 * DAY;
    const OFFER_WINDOW: Moment = 3 * DAY;
    const PRESENTMENT_PERIOD: Moment = 10 * DAY;
    const PAYMENT_WINDOW: Moment = 3 * DAY;
    const RECOURSE_WINDOW: Moment = 5 * DAY;
    const RECOURSE_LIMITATION: Moment = 60 * DAY;
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

/// The same test runtime with the runtime's own limits (`MaxRanges` 64, `MaxHistory` 256,
/// `HistoryReserve` 32): the properties that depend on limits are also run at these values.
/// Storage is global, so it shares `Test`'s currency and state.
pub struct RuntimeLimits;

pub const RUNTIME_MAX_RANGES: u32 = 64;
pub const RUNTIME_MAX_HISTORY: u32 = 256;
pub const RUNTIME_HISTORY_RESERVE: u32 = 32;
pub const RUNTIME_MAX_CHAIN: u32 = 32;

impl folio_pallet_system::Config for RuntimeLimits {
    const INDEX: u8 = <Test as folio_pallet_system::Config>::INDEX;
    const BLOCK_HASH_COUNT: BlockNumber = <Test as folio_pallet_system::Config>::BLOCK_HASH_COUNT;
    const SS58_PREFIX: u16 = <Test as folio_pallet_system::Config>::SS58_PREFIX;
    const BLOCK_WEIGHTS: BlockWeights = <Test as folio_pallet_system::Config>::BLOCK_WEIGHTS;
    const BLOCK_LENGTH: BlockLength = <Test as folio_pallet_system::Config>::BLOCK_LENGTH;
    type RuntimeEvent = RuntimeEvent;
    fn runtime_version() -> RuntimeVersion {
        <Test as folio_pallet_system::Config>::runtime_version()
    }
}

impl Config for RuntimeLimits {
    const INDEX: u8 = INDEX;
    const ISSUE_DEPOSIT: Balance = ISSUE_DEPOSIT;
    type Currency = folio_pallet_currency::Pallet<Test>;
    type Invoices = MockInvoices;
    const RANGE_UNIT: Balance = UNIT;
    const MAX_TENOR: Moment = <Test as Config>::MAX_TENOR;
    const ACCEPTANCE_WINDOW: Moment = <Test as Config>::ACCEPTANCE_WINDOW;
    const OFFER_WINDOW: Moment = <Test as Config>::OFFER_WINDOW;
    const PRESENTMENT_PERIOD: Moment = <Test as Config>::PRESENTMENT_PERIOD;
    const PAYMENT_WINDOW: Moment = <Test as Config>::PAYMENT_WINDOW;
    const RECOURSE_WINDOW: Moment = <Test as Config>::RECOURSE_WINDOW;
    const RECOURSE_LIMITATION: Moment = <Test as Config>::RECOURSE_LIMITATION;
    const MAX_RANGES: u32 = RUNTIME_MAX_RANGES;
    const MAX_CHAIN: u32 = RUNTIME_MAX_CHAIN;
    const MAX_INVOICES: u32 = <Test as Config>::MAX_INVOICES;
    const MAX_HISTORY: u32 = RUNTIME_MAX_HISTORY;
    const HISTORY_RESERVE: u32 = RUNTIME_HISTORY_RESERVE;
    const SWEEP_PER_BLOCK: u32 = <Test as Config>::SWEEP_PER_BLOCK;
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

/// As [`new_test_ext`], with the bills invariants checked at the runtime's limits.
pub fn new_runtime_limits_ext() -> StateBuilder {
    set_now(START);
    let balances = crate::mock::endowments();
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            folio_pallet_currency::GenesisConfig { balances }
                .build::<Test>()
                .expect("valid test genesis");
            crate::GenesisConfig {}
                .build::<RuntimeLimits>()
                .expect("valid bills configuration");
            folio_pallet_system::Number::put(&1);
            folio_pallet_support::events::reset_events();
        })
        .invariant(
            "currency",
            folio_pallet_currency::invariants::check_invariants::<Test>,
        )
        .invariant(
            "bills",
            crate::invariants::check_invariants::<RuntimeLimits>,
        )
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

// Dispatch helpers of the settlement and presentment tests: a call signed by a test account,
// asserted to succeed, or the module error it must fail with.

pub fn dispatch_as<R: Config>(call: Call, who: u8) -> DispatchResult {
    call.dispatch::<R>(Origin::Signed(account(who)))
        .map(|_| ())
        .map_err(|e| e.error)
}

pub fn ok_as<R: Config>(who: u8, call: Call) {
    assert_eq!(
        dispatch_as::<R>(call.clone(), who),
        Ok(()),
        "{call:?} by {who}"
    );
}

pub fn ok(who: u8, call: Call) {
    ok_as::<Test>(who, call);
}

pub fn err(e: Error) -> DispatchResult {
    Err(module_error(INDEX, &e))
}
