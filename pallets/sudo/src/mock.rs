//! A runtime with System and Sudo, for this crate's tests. Its `RuntimeCall` nests Sudo's own
//! calls (as a real runtime's does) beside a small [`MockCall`] enum.

use crate::{CallDispatcher, Config};
use folio_pallet_support::prelude::*;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::version::RuntimeVersion;

pub struct Test;

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(folio_pallet_system::Event),
    #[codec(index = 13)]
    Sudo(crate::Event),
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

pub const INDEX: u8 = 13;

/// The test runtime's calls.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeCall {
    #[codec(index = 13)]
    Sudo(crate::Call<RuntimeCall>),
    #[codec(index = 50)]
    Mock(MockCall),
}

/// Calls that show which origin they ran with.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum MockCall {
    /// Root only: appends the number to `Noted`. Weight 10, reports 4 used.
    #[codec(index = 0)]
    Note(u32),
    /// Signed only: records the signer in `LastSigner`. Weight 10.
    #[codec(index = 1)]
    WhoAmI,
    /// Writes to `Noted`, then fails: its write must not survive. Operational, weight 7.
    #[codec(index = 2)]
    Fail,
}

folio_pallet_support::storage! {
    pallet "Mock";
    /// What `MockCall::Note` calls wrote, in order.
    pub Noted: Value<Vec<u32>, ValueQuery>;
    /// The signer of the last `MockCall::WhoAmI`.
    pub LastSigner: Value<AccountId, OptionQuery>;
}

impl CallWeight for RuntimeCall {
    fn dispatch_info(&self) -> DispatchInfo {
        match self {
            Self::Sudo(call) => call.dispatch_info(),
            Self::Mock(MockCall::Fail) => DispatchInfo {
                weight: Weight::from_parts(7, 0),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
            Self::Mock(_) => DispatchInfo {
                weight: Weight::from_parts(10, 0),
                ..Default::default()
            },
        }
    }
}

impl RuntimeCall {
    pub fn dispatch(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::Sudo(call) => call.dispatch::<Test>(origin),
            Self::Mock(MockCall::Note(n)) => {
                ensure_root(&origin)?;
                Noted::mutate(|noted| noted.push(n));
                Ok(PostDispatchInfo {
                    actual_weight: Some(Weight::from_parts(4, 0)),
                    pays_fee: Pays::Yes,
                })
            }
            Self::Mock(MockCall::WhoAmI) => {
                let who = ensure_signed(&origin)?;
                LastSigner::put(&who);
                Ok(().into())
            }
            Self::Mock(MockCall::Fail) => {
                Noted::mutate(|noted| noted.push(u32::MAX));
                Err(DispatchError::Other.into())
            }
        }
    }
}

/// Runs [`RuntimeCall`]s, as a real runtime's dispatcher does.
pub struct Dispatcher;

impl CallDispatcher<RuntimeCall> for Dispatcher {
    fn dispatch(call: RuntimeCall, origin: Origin) -> DispatchResultWithPostInfo {
        call.dispatch(origin)
    }
}

impl Config for Test {
    const INDEX: u8 = INDEX;
    type RuntimeCall = RuntimeCall;
    type Dispatcher = Dispatcher;
}

pub fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

pub const ALICE: u8 = 1;
pub const BOB: u8 = 2;

/// Alice holds the sudo key; the invariant is re-checked after every test.
pub fn new_test_ext() -> StateBuilder {
    with_key(Some(ALICE))
}

pub fn with_key(key: Option<u8>) -> StateBuilder {
    let config = crate::GenesisConfig {
        key: key.map(account),
    };
    StateBuilder::new()
        .setup(|| {
            config.build::<Test>();
            folio_pallet_support::events::reset_events();
        })
        .invariant("sudo", crate::invariants::check_invariants)
}

/// The sudo pallet's events so far.
pub fn sudo_events() -> Vec<crate::Event> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Sudo(event) => Some(event),
            _ => None,
        })
        .collect()
}

pub fn noted() -> Vec<u32> {
    Noted::get()
}

pub fn last_signer() -> Option<AccountId> {
    LastSigner::get()
}

impl crate::benchmarking::NoopCall for RuntimeCall {
    fn noop() -> Self {
        Self::Mock(MockCall::Note(0))
    }
}
