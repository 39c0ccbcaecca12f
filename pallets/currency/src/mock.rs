//! A runtime with System and the currency pallet, for this crate's tests.

use crate::Config;
use folio_pallet_support::prelude::*;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::version::RuntimeVersion;

pub struct Test;

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(folio_pallet_system::Event),
    #[codec(index = 6)]
    Balances(crate::Event),
    #[codec(index = 7)]
    TransactionPayment(crate::FeeEvent),
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

impl Config for Test {
    const INDEX: u8 = 6;
    const FEE_EVENTS_INDEX: u8 = 7;
    const EXISTENTIAL_DEPOSIT: Balance = ED;
    const MAX_HOLDS: u32 = 3;
    const MAX_FREEZES: u32 = 2;
    const TREASURY: AccountId = TREASURY;
    const BASE_FEE: Balance = 5;
    const BYTE_FEE: Balance = 1;
    const REF_TIME_PER_FEE_UNIT: u64 = 100_000_000;
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

pub const ALICE: u8 = 1;
pub const BOB: u8 = 2;
pub const CHARLIE: u8 = 3;

/// Alice 1000, Bob 100, the treasury endowed with the existential deposit; invariants
/// re-checked after every test.
pub fn new_test_ext() -> StateBuilder {
    with_balances(&[(ALICE, 1_000), (BOB, 100)])
}

pub fn with_balances(balances: &[(u8, Balance)]) -> StateBuilder {
    let config = crate::GenesisConfig {
        balances: balances
            .iter()
            .map(|(who, amount)| (account(*who), *amount))
            .collect(),
    };
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            config.build::<Test>().expect("valid test genesis");
            folio_pallet_support::events::reset_events();
        })
        .invariant("currency", crate::invariants::check_invariants::<Test>)
}

/// The currency pallet's events so far.
pub fn balance_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Balances(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// Every event so far.
pub fn all_events() -> Vec<RuntimeEvent> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .map(|record| record.event)
        .collect()
}

/// What benchmark setups ask of the runtime: money is minted, time is not used.
pub struct BenchEnv;

impl folio_pallet_support::benchmarking::BenchmarkEnv for BenchEnv {
    fn fund(who: &AccountId, amount: Balance) {
        crate::Pallet::<Test>::do_mint(who, amount).expect("benchmark funding");
    }
    fn set_now(_now: Moment) {}
}
