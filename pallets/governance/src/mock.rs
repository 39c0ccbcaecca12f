//! A runtime with System, the currency pallet and governance, for this crate's tests. Stored
//! calls are a small [`MockCall`] enum run by [`MockDispatcher`].

use crate::{CallDispatcher, Config};
use folio_pallet_support::prelude::*;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::version::RuntimeVersion;
use parity_scale_codec::DecodeAll;

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
    Governance(crate::Event),
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

pub const INDEX: u8 = 12;
pub const MAX_CALL_LEN: u32 = 64;
pub const MAX_MEMBERS: u32 = 7;
pub const MAX_MOTIONS: u32 = 4;
pub const MOTION_DURATION: BlockNumber = 10;
pub const DEPOSIT: Balance = 100;
pub const VOTING_PERIOD: BlockNumber = 20;
pub const MAX_REFERENDA: u32 = 3;
pub const APPROVAL_PERCENT: u32 = 50;
pub const TURNOUT_PERCENT: u32 = 10;
pub const DELAY: BlockNumber = 5;
pub const MAX_ENACTMENTS: u32 = 2;
/// Fits two `Note` calls (weight 10 each) but not a third, nor a `Heavy(30)` after one.
pub const MAX_ENACTMENT_WEIGHT: Weight = Weight::from_parts(25, 0);
pub const MAX_VOTE_REMOVALS: u32 = 2;

impl Config for Test {
    const INDEX: u8 = INDEX;
    type Currency = folio_pallet_currency::Pallet<Test>;
    type Dispatcher = MockDispatcher;
    const MAX_CALL_LEN: u32 = MAX_CALL_LEN;
    const MAX_MEMBERS: u32 = MAX_MEMBERS;
    const MAX_MOTIONS: u32 = MAX_MOTIONS;
    const MOTION_DURATION: BlockNumber = MOTION_DURATION;
    const MOTION_MAJORITY_PERCENT: u32 = 50;
    const CANCELLATION_PERCENT: u32 = 66;
    const REFERENDUM_DEPOSIT: Balance = DEPOSIT;
    const VOTING_PERIOD: BlockNumber = VOTING_PERIOD;
    const MAX_REFERENDA: u32 = MAX_REFERENDA;
    const REFERENDUM_APPROVAL_PERCENT: u32 = APPROVAL_PERCENT;
    const REFERENDUM_MIN_TURNOUT_PERCENT: u32 = TURNOUT_PERCENT;
    const ENACTMENT_DELAY: BlockNumber = DELAY;
    const MAX_ENACTMENTS_PER_BLOCK: u32 = MAX_ENACTMENTS;
    const MAX_ENACTMENT_WEIGHT: Weight = MAX_ENACTMENT_WEIGHT;
    const MAX_VOTE_REMOVALS_PER_BLOCK: u32 = MAX_VOTE_REMOVALS;
}

folio_pallet_support::storage! {
    pallet "Mock";
    /// What `MockCall::Note` calls wrote, in order.
    pub Noted: Value<Vec<u32>, ValueQuery>;
}

/// The calls the test runtime can enact.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum MockCall {
    /// Root only: appends the number to `Noted`. Weight 10.
    #[codec(index = 0)]
    Note(u32),
    /// Writes to `Noted`, then fails: its write must not survive. Weight 10.
    #[codec(index = 1)]
    Fail,
    /// Root only, does nothing; weighs its argument.
    #[codec(index = 2)]
    Heavy(u64),
    /// A governance call (e.g. `set_members` or `cancel_referendum`, which need Root).
    #[codec(index = 3)]
    Governance(crate::Call),
}

impl MockCall {
    pub fn encoded(&self) -> Vec<u8> {
        self.encode()
    }

    fn weight(&self) -> Weight {
        match self {
            Self::Note(_) | Self::Fail => Weight::from_parts(10, 0),
            Self::Heavy(ref_time) => Weight::from_parts(*ref_time, 0),
            Self::Governance(call) => call.dispatch_info().weight,
        }
    }

    fn dispatch(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::Note(n) => {
                ensure_root(&origin)?;
                Noted::mutate(|noted| noted.push(n));
                Ok(().into())
            }
            Self::Fail => {
                Noted::mutate(|noted| noted.push(u32::MAX));
                Err(DispatchError::Other.into())
            }
            Self::Heavy(_) => {
                ensure_root(&origin)?;
                Ok(().into())
            }
            Self::Governance(call) => call.dispatch::<Test>(origin),
        }
    }
}

/// Decodes [`MockCall`]s (all bytes must be used) and runs them.
pub struct MockDispatcher;

impl CallDispatcher for MockDispatcher {
    fn dispatch(encoded_call: &[u8], origin: Origin) -> DispatchResultWithPostInfo {
        let call =
            MockCall::decode_all(&mut &encoded_call[..]).map_err(|_| DispatchError::Other)?;
        call.dispatch(origin)
    }

    fn weight(encoded_call: &[u8]) -> Option<Weight> {
        MockCall::decode_all(&mut &encoded_call[..])
            .ok()
            .map(|call| call.weight())
    }
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

/// Council members 1, 2 and 3; token holders 4 (1 000), 5 (500) and 6 (ED).
pub const ALICE: u8 = 1;
pub const BOB: u8 = 2;
pub const CHARLIE: u8 = 3;
pub const DAVE: u8 = 4;
pub const EVE: u8 = 5;
pub const FERDIE: u8 = 6;

/// Council Alice, Bob, Charlie; balances of 1 000 for each of them and Dave, 500 for Eve,
/// ED for Ferdie; block 1. Invariants of governance and currency re-checked after every test.
pub fn new_test_ext() -> StateBuilder {
    with_council(&[ALICE, BOB, CHARLIE])
}

pub fn with_council(members: &[u8]) -> StateBuilder {
    let governance = crate::GenesisConfig {
        members: members.iter().map(|m| account(*m)).collect(),
    };
    let balances = folio_pallet_currency::GenesisConfig {
        balances: vec![
            (account(ALICE), 1_000),
            (account(BOB), 1_000),
            (account(CHARLIE), 1_000),
            (account(DAVE), 1_000),
            (account(EVE), 500),
            (account(FERDIE), ED),
        ],
    };
    StateBuilder::new()
        .setup(|| {
            folio_pallet_system::GenesisConfig.build::<Test>();
            balances.build::<Test>().expect("valid balances");
            governance.build::<Test>().expect("valid council");
            folio_pallet_system::Number::put(&1);
            folio_pallet_support::events::reset_events();
        })
        .invariant(
            "currency",
            folio_pallet_currency::invariants::check_invariants::<Test>,
        )
        .invariant("governance", crate::invariants::check_invariants::<Test>)
}

/// Runs `on_initialize` for every block after the current one up to `n`.
pub fn run_to_block(n: BlockNumber) {
    let mut now = folio_pallet_system::Number::get();
    while now < n {
        now += 1;
        folio_pallet_system::Number::put(&now);
        <crate::Pallet<Test> as Hooks>::on_initialize(now);
    }
}

pub fn now() -> BlockNumber {
    folio_pallet_system::Number::get()
}

/// The governance pallet's events so far.
pub fn governance_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Governance(event) => Some(event),
            _ => None,
        })
        .collect()
}

pub fn noted() -> Vec<u32> {
    Noted::get()
}

/// What benchmark setups ask of the test runtime: money is minted; time is the block number.
pub struct BenchEnv;

impl folio_pallet_support::benchmarking::BenchmarkEnv for BenchEnv {
    fn fund(who: &AccountId, amount: Balance) {
        folio_pallet_currency::Pallet::<Test>::do_mint(who, amount).expect("benchmark funding");
    }
    fn set_now(_now: Moment) {}
}

impl crate::benchmarking::BenchmarkCalls for MockDispatcher {
    fn call_of_len(_len: u32) -> Vec<u8> {
        MockCall::Note(0).encoded()
    }
}
