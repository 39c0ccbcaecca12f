//! A runtime with only the System pallet, for this crate's tests.

use crate::limits::{BlockLength, BlockWeights};
use crate::Config;
use folio_pallet_support::prelude::*;
use folio_pallet_support::testing::StateBuilder;
use folio_primitives::version::RuntimeVersion;

pub struct Test;

/// The test runtime's events: System at index 0.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(crate::Event),
}

pub const SPEC_VERSION: u32 = 3;

impl Config for Test {
    const INDEX: u8 = 0;
    const BLOCK_HASH_COUNT: BlockNumber = 4;
    const SS58_PREFIX: u16 = 42;
    const BLOCK_WEIGHTS: BlockWeights = BlockWeights::with_normal_ratio(
        Weight::from_parts(1_000, 0),
        Weight::from_parts(1_000_000_000, u64::MAX),
        Weight::from_parts(100, 0),
        75,
    );
    const BLOCK_LENGTH: BlockLength = BlockLength::with_normal_ratio(1_000, 75);
    type RuntimeEvent = RuntimeEvent;
    fn runtime_version() -> RuntimeVersion {
        version("folio-test", SPEC_VERSION)
    }
}

pub fn version(name: &str, spec_version: u32) -> RuntimeVersion {
    RuntimeVersion {
        spec_name: name.into(),
        impl_name: name.into(),
        authoring_version: 1,
        spec_version,
        impl_version: 0,
        apis: Vec::new(),
        transaction_version: 1,
        system_version: 1,
    }
}

/// State after System's genesis, with its invariants checked after each test.
pub fn new_test_ext() -> StateBuilder {
    StateBuilder::new().setup(|| crate::GenesisConfig.build::<Test>())
}

/// The System events deposited so far.
pub fn system_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .map(|record| match record.event {
            RuntimeEvent::System(event) => event,
        })
        .collect()
}
