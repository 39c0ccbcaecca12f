use crate::mock::*;
use crate::*;
use folio_primitives::era::Era;
use folio_primitives::externalities::TestExternalities;
use folio_primitives::transaction_validity::InvalidTransaction;

type System = Pallet<Test>;

fn account(n: u8) -> AccountId {
    AccountId::new([n; 32])
}

fn fund(who: &AccountId) {
    System::mutate_account(who, |data| {
        data.free = 100;
        Ok::<_, ()>(((), true))
    })
    .unwrap();
}

#[test]
fn genesis_stores_placeholder_block_hash_and_upgrade_record() {
    new_test_ext().execute(|| {
        assert_eq!(BlockHash::get(&0), GENESIS_BLOCK_HASH_PLACEHOLDER);
        assert_eq!(
            LastRuntimeUpgrade::get().map(|u| u.spec_version),
            Some(SPEC_VERSION)
        );
        assert!(!System::note_runtime_upgrade_if_new());
    });
}

#[test]
fn blocks_record_parent_hashes_and_prune_old_ones() {
    new_test_ext().execute(|| {
        let mut parent = H256([0xaa; 32]);
        for n in 1..=10u32 {
            System::initialize(n, parent, &Default::default());
            assert_eq!(BlockHash::get(&(n - 1)), parent);
            let header = System::finalize();
            assert_eq!(header.number, n);
            assert_eq!(header.parent_hash, parent);
            parent = header.hash();
        }
        // Genesis is always kept; of the rest, only the last BLOCK_HASH_COUNT.
        assert!(BlockHash::contains_key(&0));
        assert!(!BlockHash::contains_key(&5));
        assert!(BlockHash::contains_key(&6));
        assert!(BlockHash::contains_key(&9));
    });
}

#[test]
fn finalize_commits_to_the_noted_extrinsics() {
    new_test_ext().execute(|| {
        System::initialize(1, H256::zero(), &Default::default());
        System::note_extrinsic(b"first");
        System::note_applied_extrinsic(&Ok(()), Default::default());
        System::note_extrinsic(b"second");
        System::note_applied_extrinsic(&Err(DispatchError::BadOrigin), Default::default());
        System::note_finished_extrinsics();
        let header = System::finalize();
        let expected = folio_trie::ordered_trie_root(&[b"first".to_vec(), b"second".to_vec()]);
        assert_eq!(header.extrinsics_root, H256(expected));
        assert!(
            !ExtrinsicData::contains_key(&0),
            "per-block data is cleared"
        );
        let events = system_events();
        assert!(matches!(events[0], Event::ExtrinsicSuccess { .. }));
        assert!(matches!(
            events[1],
            Event::ExtrinsicFailed {
                dispatch_error: DispatchError::BadOrigin,
                ..
            }
        ));
    });
}

#[test]
fn state_root_in_header_is_the_trie_root_of_the_state() {
    let mut ext = new_test_ext().into_externalities();
    let header = ext.execute_with(|| {
        System::initialize(1, H256::zero(), &Default::default());
        System::finalize()
    });
    assert_eq!(
        header.state_root,
        H256(folio_trie::state_root(ext.snapshot()))
    );
}

#[test]
fn accounts_are_created_and_killed_with_events() {
    new_test_ext().execute(|| {
        let who = account(1);
        fund(&who);
        assert!(System::account_exists(&who));
        assert_eq!(Account::get(&who).providers, 1);
        assert_eq!(
            Account::get(&who).data.flags,
            ExtraFlags(ExtraFlags::IS_NEW_LOGIC)
        );
        System::inc_account_nonce(&who);
        System::mutate_account(&who, |data| {
            data.free = 0;
            Ok::<_, ()>(((), false))
        })
        .unwrap();
        assert!(!Account::contains_key(&who));
        assert_eq!(
            system_events(),
            vec![
                Event::NewAccount { account: who },
                Event::KilledAccount { account: who }
            ]
        );
    });
}

#[test]
fn failed_account_mutation_changes_nothing() {
    new_test_ext().execute(|| {
        let who = account(1);
        let result = System::mutate_account(&who, |data| {
            data.free = 5;
            Err::<((), bool), _>("refused")
        });
        assert_eq!(result, Err("refused"));
        assert!(!Account::contains_key(&who));
    });
}

#[test]
fn nonce_validation_tags_and_errors() {
    new_test_ext().execute(|| {
        let who = account(2);
        assert_eq!(
            extensions::validate_nonce(&who, 0),
            Err(InvalidTransaction::Payment)
        );
        fund(&who);
        System::inc_account_nonce(&who);
        assert_eq!(
            extensions::validate_nonce(&who, 0),
            Err(InvalidTransaction::Stale)
        );
        let (requires, provides) = extensions::validate_nonce(&who, 1).unwrap();
        assert!(requires.is_empty());
        assert_eq!(provides, vec![extensions::nonce_tag(&who, 1)]);
        let (requires, _) = extensions::validate_nonce(&who, 3).unwrap();
        assert_eq!(requires, vec![extensions::nonce_tag(&who, 2)]);
        assert_eq!(
            extensions::use_nonce::<Test>(&who, 2),
            Err(InvalidTransaction::Future)
        );
        assert_eq!(extensions::use_nonce::<Test>(&who, 1), Ok(()));
        assert_eq!(System::account_nonce(&who), 2);
    });
}

#[test]
fn zero_sender_is_refused() {
    assert_eq!(
        extensions::check_non_zero_sender(&account(0)),
        Err(InvalidTransaction::BadSigner)
    );
    assert_eq!(extensions::check_non_zero_sender(&account(1)), Ok(()));
}

#[test]
fn mortal_era_needs_a_known_birth_block() {
    new_test_ext().execute(|| {
        let mut parent = H256([1; 32]);
        for n in 1..=8u32 {
            System::initialize(n, parent, &Default::default());
            parent = System::finalize().hash();
        }
        System::initialize(9, parent, &Default::default());
        // Born at block 8 (the parent): its hash is known.
        assert_eq!(extensions::era_block_hash(Era::mortal(4, 8)), Ok(parent));
        // Born at block 2: pruned.
        assert_eq!(
            extensions::era_block_hash(Era::Mortal {
                period: 8,
                phase: 2
            }),
            Err(InvalidTransaction::AncientBirthBlock)
        );
        assert_eq!(
            extensions::era_block_hash(Era::Immortal),
            Ok(BlockHash::get(&0))
        );
        assert_eq!(extensions::era_longevity(Era::mortal(4, 8)), 3);
    });
}

#[test]
fn weight_and_length_limits_are_enforced_per_class() {
    new_test_ext().execute(|| {
        System::initialize(1, H256::zero(), &Default::default());
        let big = DispatchInfo {
            weight: Weight::from_parts(700_000_000, 0),
            ..Default::default()
        };
        assert_eq!(extensions::note_weight_and_length::<Test>(&big, 10), Ok(()));
        assert_eq!(
            extensions::note_weight_and_length::<Test>(&big, 10),
            Err(InvalidTransaction::ExhaustsResources)
        );
        // Operational transactions may use the space normal ones cannot, up to the block.
        let operational = DispatchInfo {
            weight: Weight::from_parts(200_000_000, 0),
            class: DispatchClass::Operational,
            ..big
        };
        assert_eq!(
            extensions::note_weight_and_length::<Test>(&operational, 10),
            Ok(())
        );
        assert_eq!(
            extensions::note_weight_and_length::<Test>(&operational, 10),
            Err(InvalidTransaction::ExhaustsResources)
        );
        let long = DispatchInfo::default();
        assert_eq!(
            extensions::validate_weight::<Test>(&long, 751),
            Err(InvalidTransaction::ExhaustsResources)
        );
        extensions::refund_weight(DispatchClass::Normal, Weight::from_parts(700_000_000, 0));
        assert_eq!(
            extensions::note_weight_and_length::<Test>(&DispatchInfo::default(), 10),
            Ok(())
        );
    });
}

#[test]
fn remark_needs_signed_or_root() {
    new_test_ext().execute(|| {
        let call = Call::remark {
            remark: vec![1, 2, 3],
        };
        assert!(call
            .clone()
            .dispatch::<Test>(Origin::Signed(account(1)))
            .is_ok());
        assert!(call.clone().dispatch::<Test>(Origin::Root).is_ok());
        assert_eq!(
            call.dispatch::<Test>(Origin::None).map_err(|e| e.error),
            Err(DispatchError::BadOrigin)
        );
    });
}

#[test]
fn remark_with_event_emits_the_hash() {
    new_test_ext().execute(|| {
        let call = Call::remark_with_event {
            remark: b"hello".to_vec(),
        };
        assert!(call
            .clone()
            .dispatch::<Test>(Origin::Signed(account(1)))
            .is_ok());
        let hash = H256(folio_primitives::io::blake2_256(b"hello"));
        assert_eq!(
            system_events(),
            vec![Event::Remarked {
                sender: account(1),
                hash
            }]
        );
        assert_eq!(
            call.dispatch::<Test>(Origin::Root).map_err(|e| e.error),
            Err(DispatchError::BadOrigin)
        );
    });
}

/// A version reader for tests: candidate "code" is the SCALE of its `RuntimeVersion`.
fn ext_reading_versions() -> TestExternalities {
    let mut ext = new_test_ext().into_externalities();
    ext = std::mem::take(&mut ext).with_runtime_version_reader(Box::new(|code: &[u8]| {
        RuntimeVersion::decode(&mut &code[..])
            .ok()
            .map(|v| v.encode())
    }));
    ext
}

#[test]
fn set_code_accepts_a_newer_version_of_the_same_runtime() {
    let mut ext = ext_reading_versions();
    ext.execute_with(|| {
        let code = version("folio-test", SPEC_VERSION + 1).encode();
        let call = Call::set_code { code: code.clone() };
        assert!(call.dispatch::<Test>(Origin::Root).is_ok());
        assert_eq!(folio_primitives::io::storage_get(b":code"), Some(code));
        assert_eq!(system_events(), vec![Event::CodeUpdated]);
        assert_eq!(
            Digest::get().logs,
            vec![DigestItem::RuntimeEnvironmentUpdated]
        );
    });
}

#[test]
fn set_code_rejects_other_names_older_versions_garbage_and_non_root() {
    let mut ext = ext_reading_versions();
    ext.execute_with(|| {
        let err = |code: Vec<u8>, origin: Origin| {
            Call::set_code { code }
                .dispatch::<Test>(origin)
                .map_err(|e| e.error)
                .err()
        };
        let module = |e: Error| Some(module_error(0, &e));
        assert_eq!(
            err(version("other", SPEC_VERSION + 1).encode(), Origin::Root),
            module(Error::InvalidSpecName)
        );
        assert_eq!(
            err(version("folio-test", SPEC_VERSION).encode(), Origin::Root),
            module(Error::SpecVersionNeedsToIncrease)
        );
        assert_eq!(
            err(vec![1, 2, 3], Origin::Root),
            module(Error::FailedToExtractRuntimeVersion)
        );
        assert_eq!(
            err(
                version("folio-test", SPEC_VERSION + 1).encode(),
                Origin::Signed(account(1))
            ),
            Some(DispatchError::BadOrigin)
        );
        assert_eq!(folio_primitives::io::storage_get(b":code"), None);
    });
}

#[test]
fn metadata_names_frame_items() {
    let meta = metadata::<Test>();
    let names: Vec<_> = meta.storage.iter().map(|e| e.name).collect();
    for expected in [
        "Account",
        "Events",
        "Number",
        "ParentHash",
        "BlockHash",
        "EventCount",
        "LastRuntimeUpgrade",
    ] {
        assert!(names.contains(&expected), "{expected} missing");
    }
    let constants: Vec<_> = meta.constants.iter().map(|c| c.name).collect();
    assert_eq!(
        constants,
        [
            "BlockWeights",
            "BlockLength",
            "BlockHashCount",
            "Version",
            "SS58Prefix"
        ]
    );
}

#[test]
fn account_info_is_80_bytes() {
    let info = AccountInfo {
        nonce: 1,
        consumers: 2,
        providers: 3,
        sufficients: 4,
        data: AccountData {
            free: 5,
            reserved: 6,
            frozen: 7,
            flags: ExtraFlags(ExtraFlags::IS_NEW_LOGIC),
        },
    };
    let bytes = info.encode();
    assert_eq!(bytes.len(), 80);
    assert_eq!(&bytes[0..4], &1u32.to_le_bytes());
    assert_eq!(&bytes[16..32], &5u128.to_le_bytes());
    assert_eq!(&bytes[64..80], &(1u128 << 127).to_le_bytes());
}
