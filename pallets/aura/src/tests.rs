use super::*;
use folio_pallet_support::testing::StateBuilder;
use parity_scale_codec::Encode;

struct Test;
impl Config for Test {
    const INDEX: u8 = 3;
}
type Aura = Pallet<Test>;

fn pre_digest(slot: u64) -> DigestItem {
    DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())
}

fn with_authorities(slot_duration: Moment, test: impl FnOnce()) {
    StateBuilder::new().execute(|| {
        GenesisConfig {
            authorities: alloc::vec![AccountId::new([1; 32]), AccountId::new([2; 32])],
            slot_duration,
        }
        .build::<Test>()
        .unwrap();
        test();
    });
}

#[test]
fn genesis_stores_authorities_and_slot_duration() {
    with_authorities(2_000, || {
        assert_eq!(Aura::authorities(), vec![Public([1; 32]), Public([2; 32])]);
        assert_eq!(Aura::slot_duration(), 2_000);
        assert_eq!(Aura::minimum_period(), 1_000);
    });
}

#[test]
fn genesis_refuses_an_authority_listed_twice() {
    StateBuilder::new().execute(|| {
        let config = GenesisConfig {
            authorities: alloc::vec![AccountId::new([1; 32]), AccountId::new([1; 32])],
            slot_duration: 2_000,
        };
        assert_eq!(
            config.build::<Test>(),
            Err(genesis::GenesisError::DuplicateAuthority)
        );
    });
}

#[test]
fn genesis_json_has_substrate_shape() {
    let json = r#"{"authorities":["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"],"slotDuration":2000}"#;
    let config: GenesisConfig = serde_json::from_str(json).unwrap();
    assert_eq!(
        config.authorities,
        vec![AccountId::new(folio_primitives::dev::ALICE)]
    );
    assert_eq!(config.slot_duration, 2_000);
}

#[test]
fn slots_must_increase_and_match_the_timestamp() {
    with_authorities(2_000, || {
        assert_eq!(Aura::note_block(&[pre_digest(10)], 20_000), Ok(()));
        assert_eq!(Aura::current_slot(), 10);
        assert_eq!(
            Aura::note_block(&[pre_digest(10)], 20_500),
            Err(AuraError::SlotNotIncreasing)
        );
        assert_eq!(
            Aura::note_block(&[pre_digest(9)], 18_000),
            Err(AuraError::SlotNotIncreasing)
        );
        // Slot 12 is [24 000, 26 000).
        assert_eq!(
            Aura::note_block(&[pre_digest(12)], 26_000),
            Err(AuraError::TimestampNotInSlot)
        );
        assert_eq!(Aura::current_slot(), 10);
        assert_eq!(Aura::note_block(&[pre_digest(12)], 25_999), Ok(()));
        assert_eq!(Aura::current_slot(), 12);
    });
}

#[test]
fn a_chain_with_authorities_needs_exactly_one_slot() {
    with_authorities(2_000, || {
        assert_eq!(Aura::note_block(&[], 20_000), Err(AuraError::MissingSlot));
        assert_eq!(
            Aura::note_block(&[pre_digest(10), pre_digest(10)], 20_000),
            Err(AuraError::BadPreDigest)
        );
        assert_eq!(
            Aura::note_block(
                &[DigestItem::PreRuntime(AURA_ENGINE_ID, vec![1, 2])],
                20_000
            ),
            Err(AuraError::BadPreDigest)
        );
        // Another engine's pre-runtime digest is not Aura's business.
        assert_eq!(
            Aura::note_block(
                &[DigestItem::PreRuntime(*b"BABE", vec![1]), pre_digest(10)],
                20_000
            ),
            Ok(())
        );
    });
}

#[test]
fn a_chain_without_authorities_is_not_checked() {
    StateBuilder::new().execute(|| {
        assert_eq!(Aura::note_block(&[], 5), Ok(()));
        assert_eq!(Aura::slot_duration(), MIN_SLOT_DURATION);
        assert_eq!(Aura::minimum_period(), 1);
    });
}

#[test]
fn pre_digest_is_substrates_encoding() {
    // DigestItem::PreRuntime = 6, engine id, compact length 8, slot as u64 little endian.
    assert_eq!(
        pre_digest(0x0102).encode(),
        [&[6u8][..], b"aura", &[32], &[2, 1, 0, 0, 0, 0, 0, 0]].concat()
    );
}
