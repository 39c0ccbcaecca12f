//! A runtime with System, Timestamp, the currency pallet and the e-invoice pallet, for this
//! crate's tests.

use crate::arithmetic;
use crate::types::*;
use crate::Config;
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
    Invoices(crate::Event),
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

pub const INDEX: u8 = 9;
pub const MAX_LINES: u32 = 8;
pub const PERIOD: Moment = 30 * DAY_MS;
pub const EUR: CurrencyCode = *b"EUR";

impl Config for Test {
    const INDEX: u8 = INDEX;
    const MAX_LINES: u32 = MAX_LINES;
    const MAX_SERIES: u32 = 3;
    const MAX_OPEN_DRAFTS: u32 = 2;
    const MAX_PAYMENT_DAYS: u32 = 120;
    const CURRENCY_CODE: CurrencyCode = EUR;
    type Currency = folio_pallet_currency::Pallet<Test>;
    fn now() -> Moment {
        folio_pallet_timestamp::Now::get()
    }
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

/// Sellers (registered issuers).
pub const SELLER: u8 = 1;
pub const SELLER2: u8 = 2;
/// Buyers (organisations).
pub const BUYER: u8 = 3;
pub const BUYER2: u8 = 4;
/// An employee who pays and claims reimbursement.
pub const EMPLOYEE: u8 = 5;
/// A financier.
pub const BANK: u8 = 6;
/// An agent a buyer may authorise.
pub const AGENT: u8 = 7;
/// Not registered, not a party.
pub const STRANGER: u8 = 8;

pub const SERIES: SeriesCode = *b"A001";
pub const SERIES_B: SeriesCode = *b"B001";
pub const QUOTA: Balance = 1_000_000;
/// Block time at genesis: day 45 (period 1).
pub const GENESIS_TIME: Moment = 45 * DAY_MS;

pub fn tax_id(n: u8) -> TaxId {
    [n; 20]
}

/// Two issuers (sellers 1 and 2), every account endowed with 1 000 000, the clock at day 45;
/// invariants re-checked after every test.
pub fn new_test_ext() -> StateBuilder {
    let balances = crate::mock::balances();
    let issuers = crate::GenesisConfig {
        issuers: vec![
            crate::GenesisIssuer {
                account: account(SELLER),
                tax_id: tax_id(SELLER),
                name_hash: [SELLER; 32],
                series: vec![SERIES, SERIES_B],
                default_quota: QUOTA,
            },
            crate::GenesisIssuer {
                account: account(SELLER2),
                tax_id: tax_id(SELLER2),
                name_hash: [SELLER2; 32],
                series: vec![SERIES],
                default_quota: QUOTA,
            },
        ],
    };
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            balances.build::<Test>().expect("valid balances");
            issuers.build::<Test>().expect("valid issuers");
            folio_pallet_system::Number::put(&1);
            set_time(GENESIS_TIME);
            folio_pallet_support::events::reset_events();
        })
        .invariant(
            "currency",
            folio_pallet_currency::invariants::check_invariants::<Test>,
        )
        .invariant("einvoice", crate::invariants::check_invariants::<Test>)
}

fn balances() -> folio_pallet_currency::GenesisConfig {
    folio_pallet_currency::GenesisConfig {
        balances: (1..=STRANGER).map(|n| (account(n), 1_000_000)).collect(),
    }
}

pub fn set_time(now: Moment) {
    folio_pallet_timestamp::Now::put(&now);
}

pub fn now() -> Moment {
    folio_pallet_timestamp::Now::get()
}

/// A correct line: the net computed half-up.
pub fn line(quantity: u64, unit_price: Balance, category: TaxCategory, rate: u32) -> InvoiceLine {
    InvoiceLine {
        quantity,
        unit_price,
        net: arithmetic::line_net(quantity, unit_price).expect("small amounts"),
        category,
        rate,
        classification: *b"CN010101",
    }
}

/// A valid exemption reason for `category` (none for standard and zero-rated).
pub fn exemption_for(category: TaxCategory) -> Option<ExemptionReason> {
    let code = match category {
        TaxCategory::Standard | TaxCategory::ZeroRated => return None,
        TaxCategory::Exempt => "VATEX-EU-132-1A",
        TaxCategory::ReverseCharge => "VATEX-EU-AE",
        TaxCategory::IntraCommunity => "VATEX-EU-IC",
        TaxCategory::Export => "VATEX-EU-G",
        TaxCategory::OutsideScope => "VATEX-EU-O",
    };
    Some(ExemptionReason {
        code: crate::exemption::code(code).expect("fits"),
        text_hash: None,
    })
}

/// A correct body for `lines` to `buyer`, due in 30 days, with exemption reasons.
pub fn body_of(buyer: u8, lines: Vec<InvoiceLine>) -> InvoiceBody {
    let (mut breakdown, totals) = arithmetic::compute(&lines).expect("valid lines");
    for entry in &mut breakdown {
        entry.exemption = exemption_for(entry.category);
    }
    InvoiceBody {
        invoice_type: InvoiceType::Commercial,
        currency: EUR,
        buyer: account(buyer),
        lines,
        breakdown,
        totals,
        terms: PaymentTerms::NetDays(30),
        content_hash: H256([0xab; 32]),
    }
}

/// 10 units at 10.00 (1000 minor units) at 19 %: net 10 000, tax 1 900, gross 11 900.
pub fn standard_body(buyer: u8) -> InvoiceBody {
    body_of(
        buyer,
        vec![line(10_000, 1_000, TaxCategory::Standard, 1_900)],
    )
}

pub const STANDARD_GROSS: Balance = 11_900;

/// The e-invoice pallet's events so far.
pub fn invoice_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Invoices(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// The currency pallet's events so far.
pub fn balance_events() -> Vec<folio_pallet_currency::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Balances(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// What benchmark setups ask of the test runtime: money is minted, time is the Timestamp
/// pallet's (as in the runtime).
pub struct BenchEnv;

impl folio_pallet_support::benchmarking::BenchmarkEnv for BenchEnv {
    fn fund(who: &AccountId, amount: Balance) {
        folio_pallet_currency::Pallet::<Test>::do_mint(who, amount).expect("benchmark funding");
    }
    fn set_now(now: Moment) {
        set_time(now);
    }
}
