use super::*;
use folio_pallet_support::storage::StorageValue as _;
use folio_pallet_support::testing::StateBuilder;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::hash::H256;
use folio_primitives::header::Digest;
use folio_primitives::version::RuntimeVersion;

struct Test;

#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
enum RuntimeEvent {
    #[codec(index = 0)]
    System(folio_pallet_system::Event),
    #[codec(index = 4)]
    Grandpa(crate::Event),
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

folio_pallet_support::storage! {
    pallet "TestAuthors";
    /// What `set_authors` last wrote.
    pub TestAuthors: Value<Vec<[u8; 32]>, ValueQuery>;
}

struct Authors;
impl BlockAuthors for Authors {
    fn set_authors(authors: &[[u8; 32]]) {
        TestAuthors::put(&authors.to_vec());
    }
}

impl Config for Test {
    const INDEX: u8 = 4;
    const SET_CHANGE_DELAY: BlockNumber = 2;
    type Authors = Authors;
}
type Grandpa = Pallet<Test>;
type System = folio_pallet_system::Pallet<Test>;

fn key(n: u8) -> [u8; 32] {
    [n; 32]
}

fn with_genesis(test: impl FnOnce()) {
    StateBuilder::new().execute(|| {
        GenesisConfig {
            authorities: alloc::vec![(AccountId::new(key(1)), 1), (AccountId::new(key(2)), 1)],
        }
        .build::<Test>()
        .unwrap();
        test();
    });
}

/// Runs block `n`: `calls` dispatched, then `on_finalize`; returns the block's digest.
fn block(n: BlockNumber, calls: impl FnOnce()) -> Digest {
    System::initialize(n, H256::default(), &Digest::default());
    calls();
    <Grandpa as Hooks>::on_finalize(n);
    folio_pallet_system::Digest::get()
}

fn set_validators(validators: Vec<([u8; 32], [u8; 32])>) -> DispatchResultWithPostInfo {
    Call::set_validators { validators }.dispatch::<Test>(Origin::Root)
}

fn events() -> Vec<RuntimeEvent> {
    folio_pallet_support::events::read_events::<RuntimeEvent>()
        .into_iter()
        .map(|record| record.event)
        .collect()
}

#[test]
fn genesis_is_set_zero_with_its_weights() {
    with_genesis(|| {
        assert_eq!(
            Grandpa::grandpa_authorities(),
            vec![(AuthorityId(key(1)), 1), (AuthorityId(key(2)), 1)]
        );
        assert_eq!(Grandpa::current_set_id(), 0);
        assert_eq!(Grandpa::pending_change(), None);
    });
}

#[test]
fn genesis_refuses_duplicates_and_zero_weights() {
    StateBuilder::new().execute(|| {
        let twice = GenesisConfig {
            authorities: alloc::vec![(AccountId::new(key(1)), 1), (AccountId::new(key(1)), 1)],
        };
        assert_eq!(twice.build::<Test>(), Err(GenesisError::DuplicateAuthority));
        let zero = GenesisConfig {
            authorities: alloc::vec![(AccountId::new(key(1)), 0)],
        };
        assert_eq!(zero.build::<Test>(), Err(GenesisError::ZeroWeight));
    });
}

#[test]
fn genesis_json_names_authorities_as_ss58_with_weights() {
    let json = r#"{"authorities":[["5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu",1]]}"#;
    let config: GenesisConfig = serde_json::from_str(json).unwrap();
    assert_eq!(
        hex_of(&config.authorities[0].0 .0),
        "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_change_is_announced_in_its_block_and_enacted_after_the_delay() {
    with_genesis(|| {
        let digest = block(10, || {
            set_validators(vec![(key(7), key(8)), (key(9), key(10))]).unwrap();
        });
        // Announced now, set id raised now (as FRAME's), not yet enacted.
        let change = find_scheduled_change(&digest.logs).unwrap();
        assert_eq!(change.delay, 2);
        assert_eq!(
            change.next_authorities,
            vec![(AuthorityId(key(8)), 1), (AuthorityId(key(10)), 1)]
        );
        assert_eq!(Grandpa::current_set_id(), 1);
        assert_eq!(Grandpa::grandpa_authorities().len(), 2);
        assert_eq!(Grandpa::grandpa_authorities()[0].0, AuthorityId(key(1)));
        assert!(TestAuthors::get().is_empty());

        let digest = block(11, || {});
        assert_eq!(find_scheduled_change(&digest.logs), None);
        assert!(Grandpa::pending_change().is_some());

        block(12, || {});
        assert_eq!(
            Grandpa::grandpa_authorities(),
            vec![(AuthorityId(key(8)), 1), (AuthorityId(key(10)), 1)]
        );
        assert_eq!(TestAuthors::get(), vec![key(7), key(9)]);
        assert_eq!(Grandpa::pending_change(), None);
        assert_eq!(Grandpa::current_set_id(), 1);
        assert!(
            events().contains(&RuntimeEvent::Grandpa(Event::NewAuthorities {
                authority_set: vec![(AuthorityId(key(8)), 1), (AuthorityId(key(10)), 1)],
            }))
        );
    });
}

#[test]
fn the_digest_is_substrates_scale() {
    let log = ConsensusLog::ScheduledChange(ScheduledChange {
        next_authorities: vec![(AuthorityId(key(1)), 1)],
        delay: 5,
    });
    // Variant 1, one authority (compact 1 = 0x04), key, weight u64 LE, delay u32 LE.
    let mut expected = vec![1u8, 4];
    expected.extend_from_slice(&key(1));
    expected.extend_from_slice(&1u64.to_le_bytes());
    expected.extend_from_slice(&5u32.to_le_bytes());
    assert_eq!(log.encode(), expected);
}

#[test]
fn only_root_changes_validators_and_one_change_at_a_time() {
    with_genesis(|| {
        System::initialize(1, H256::default(), &Digest::default());
        let call = Call::set_validators {
            validators: vec![(key(7), key(8))],
        };
        assert!(call
            .clone()
            .dispatch::<Test>(Origin::Signed(AccountId::new(key(1))))
            .is_err());
        call.clone().dispatch::<Test>(Origin::Root).unwrap();
        let again = call.dispatch::<Test>(Origin::Root).unwrap_err();
        assert_eq!(again.error, Grandpa::error(Error::ChangePending));
        assert_eq!(Grandpa::current_set_id(), 1);
    });
}

#[test]
fn empty_or_duplicated_sets_are_refused() {
    with_genesis(|| {
        System::initialize(1, H256::default(), &Digest::default());
        let empty = set_validators(vec![]).unwrap_err();
        assert_eq!(empty.error, Grandpa::error(Error::NoValidators));
        let twice = set_validators(vec![(key(7), key(8)), (key(9), key(8))]).unwrap_err();
        assert_eq!(twice.error, Grandpa::error(Error::DuplicateValidator));
        let too_many: Vec<_> = (0..=MAX_AUTHORITIES as u8)
            .map(|i| (key(i), key(i)))
            .collect();
        let error = set_validators(too_many).unwrap_err();
        assert_eq!(error.error, Grandpa::error(Error::TooManyValidators));
        assert_eq!(Grandpa::current_set_id(), 0);
    });
}
