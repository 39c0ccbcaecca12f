use crate::mock::*;
use crate::*;
use alloc::boxed::Box;
use folio_primitives::address::MultiAddress;

type Sudo = Pallet<Test>;
type SudoCall = Call<RuntimeCall>;

fn dispatch(call: SudoCall, origin: Origin) -> DispatchResultWithPostInfo {
    call.dispatch::<Test>(origin)
}

fn result(call: SudoCall, origin: Origin) -> DispatchResult {
    dispatch(call, origin).map(|_| ()).map_err(|e| e.error)
}

fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

fn require_sudo() -> DispatchResult {
    Err(module_error(INDEX, &Error::RequireSudo))
}

fn mock(call: MockCall) -> Box<RuntimeCall> {
    Box::new(RuntimeCall::Mock(call))
}

fn id(who: u8) -> MultiAddress {
    MultiAddress::Id(account(who))
}

// ---- sudo ----

#[test]
fn sudo_dispatches_as_root_and_the_key_pays_no_fee() {
    new_test_ext().execute(|| {
        let post = dispatch(
            SudoCall::sudo {
                call: mock(MockCall::Note(5)),
            },
            signed(ALICE),
        )
        .unwrap();
        assert_eq!(noted(), vec![5]);
        assert_eq!(post.pays_fee, Pays::No);
        assert_eq!(
            post.actual_weight,
            Some(weights::sudo().saturating_add(Weight::from_parts(4, 0)))
        );
        assert_eq!(
            sudo_events(),
            vec![Event::Sudid {
                sudo_result: Ok(())
            }]
        );
    });
}

#[test]
fn sudo_reports_a_failed_call_and_discards_its_writes() {
    new_test_ext().execute(|| {
        let call = SudoCall::sudo {
            call: mock(MockCall::Fail),
        };
        assert_eq!(result(call, signed(ALICE)), Ok(()));
        assert!(noted().is_empty());
        assert_eq!(
            sudo_events(),
            vec![Event::Sudid {
                sudo_result: Err(DispatchError::Other)
            }]
        );
    });
}

#[test]
fn sudo_requires_the_key() {
    new_test_ext().execute(|| {
        let call = || SudoCall::sudo {
            call: mock(MockCall::Note(1)),
        };
        assert_eq!(result(call(), signed(BOB)), require_sudo());
        assert_eq!(result(call(), Origin::None), Err(DispatchError::BadOrigin));
        assert!(noted().is_empty());
        assert!(sudo_events().is_empty());
    });
    with_key(None).execute(|| {
        let call = SudoCall::sudo {
            call: mock(MockCall::Note(1)),
        };
        assert_eq!(result(call, Origin::Root), require_sudo());
    });
}

#[test]
fn sudo_nests_like_any_runtime_call() {
    new_test_ext().execute(|| {
        let inner = SudoCall::sudo {
            call: mock(MockCall::Note(2)),
        };
        let call = SudoCall::sudo {
            call: Box::new(RuntimeCall::Sudo(inner)),
        };
        assert_eq!(result(call, signed(ALICE)), Ok(()));
        assert_eq!(noted(), vec![2]);
        assert_eq!(sudo_events().len(), 2);
    });
}

// ---- sudo_unchecked_weight ----

#[test]
fn sudo_unchecked_weight_charges_the_given_weight_in_the_calls_class() {
    new_test_ext().execute(|| {
        let call = SudoCall::sudo_unchecked_weight {
            call: mock(MockCall::Fail),
            weight: Weight::from_parts(123, 4),
        };
        let info = call.dispatch_info();
        assert_eq!(info.weight, Weight::from_parts(123, 4));
        assert_eq!(info.class, DispatchClass::Operational);
        let call = SudoCall::sudo_unchecked_weight {
            call: mock(MockCall::Note(8)),
            weight: Weight::from_parts(1, 0),
        };
        assert_eq!(result(call, signed(ALICE)), Ok(()));
        assert_eq!(noted(), vec![8]);
        assert_eq!(
            sudo_events(),
            vec![Event::Sudid {
                sudo_result: Ok(())
            }]
        );
    });
}

#[test]
fn sudo_unchecked_weight_requires_the_key() {
    new_test_ext().execute(|| {
        let call = SudoCall::sudo_unchecked_weight {
            call: mock(MockCall::Note(8)),
            weight: Weight::zero(),
        };
        assert_eq!(result(call, signed(BOB)), require_sudo());
        assert!(noted().is_empty());
    });
}

// ---- set_key ----

#[test]
fn the_key_hands_itself_on() {
    new_test_ext().execute(|| {
        assert_eq!(
            result(SudoCall::set_key { new: id(BOB) }, signed(ALICE)),
            Ok(())
        );
        assert_eq!(Sudo::key(), Some(account(BOB)));
        assert_eq!(
            sudo_events(),
            vec![Event::KeyChanged {
                old: Some(account(ALICE)),
                new: account(BOB)
            }]
        );
        let call = SudoCall::sudo {
            call: mock(MockCall::Note(1)),
        };
        assert_eq!(result(call, signed(ALICE)), require_sudo());
    });
}

#[test]
fn root_rotates_the_key() {
    new_test_ext().execute(|| {
        assert_eq!(
            result(SudoCall::set_key { new: id(BOB) }, Origin::Root),
            Ok(())
        );
        assert_eq!(Sudo::key(), Some(account(BOB)));
    });
}

#[test]
fn set_key_requires_the_key_and_an_account_address() {
    new_test_ext().execute(|| {
        assert_eq!(
            result(SudoCall::set_key { new: id(BOB) }, signed(BOB)),
            require_sudo()
        );
        assert_eq!(
            result(
                SudoCall::set_key {
                    new: MultiAddress::Address20([7; 20])
                },
                signed(ALICE)
            ),
            Err(DispatchError::CannotLookup)
        );
        assert_eq!(Sudo::key(), Some(account(ALICE)));
        assert!(sudo_events().is_empty());
    });
}

// ---- sudo_as ----

#[test]
fn sudo_as_dispatches_as_the_given_account() {
    new_test_ext().execute(|| {
        let call = SudoCall::sudo_as {
            who: id(BOB),
            call: mock(MockCall::WhoAmI),
        };
        assert_eq!(result(call, signed(ALICE)), Ok(()));
        assert_eq!(last_signer(), Some(account(BOB)));
        assert_eq!(
            sudo_events(),
            vec![Event::SudoAsDone {
                sudo_result: Ok(())
            }]
        );
    });
}

#[test]
fn sudo_as_reports_the_calls_origin_error() {
    new_test_ext().execute(|| {
        let call = SudoCall::sudo_as {
            who: id(BOB),
            call: mock(MockCall::Note(3)),
        };
        assert_eq!(result(call, signed(ALICE)), Ok(()));
        assert!(noted().is_empty());
        assert_eq!(
            sudo_events(),
            vec![Event::SudoAsDone {
                sudo_result: Err(DispatchError::BadOrigin)
            }]
        );
    });
}

#[test]
fn sudo_as_requires_the_key_and_an_account_address() {
    new_test_ext().execute(|| {
        let call = |who: MultiAddress| SudoCall::sudo_as {
            who,
            call: mock(MockCall::WhoAmI),
        };
        assert_eq!(result(call(id(ALICE)), signed(BOB)), require_sudo());
        assert_eq!(
            result(call(MultiAddress::Address32([3; 32])), signed(ALICE)),
            Err(DispatchError::CannotLookup)
        );
        assert_eq!(last_signer(), None);
    });
}

// ---- remove_key ----

#[test]
fn removing_the_key_ends_sudo_for_good() {
    new_test_ext().execute(|| {
        assert_eq!(result(SudoCall::remove_key, signed(ALICE)), Ok(()));
        assert_eq!(Sudo::key(), None);
        assert_eq!(sudo_events(), vec![Event::KeyRemoved]);
        let call = SudoCall::sudo {
            call: mock(MockCall::Note(1)),
        };
        assert_eq!(result(call, signed(ALICE)), require_sudo());
        // Not even Root brings it back.
        assert_eq!(
            result(SudoCall::set_key { new: id(ALICE) }, Origin::Root),
            require_sudo()
        );
        assert_eq!(result(SudoCall::remove_key, Origin::Root), require_sudo());
        assert_eq!(Sudo::key(), None);
    });
}

#[test]
fn governance_removes_sudo_with_root() {
    new_test_ext().execute(|| {
        assert_eq!(result(SudoCall::remove_key, Origin::Root), Ok(()));
        assert_eq!(Sudo::key(), None);
    });
}

#[test]
fn remove_key_requires_the_key() {
    new_test_ext().execute(|| {
        assert_eq!(result(SudoCall::remove_key, signed(BOB)), require_sudo());
        assert_eq!(
            result(SudoCall::remove_key, Origin::None),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(Sudo::key(), Some(account(ALICE)));
    });
}

// ---- weights, encodings, metadata, genesis ----

#[test]
fn a_sudo_call_weighs_its_own_work_plus_the_wrapped_call() {
    let call = SudoCall::sudo_as {
        who: id(BOB),
        call: mock(MockCall::Fail),
    };
    let info = call.dispatch_info();
    assert_eq!(
        info.weight,
        weights::sudo_as().saturating_add(Weight::from_parts(7, 0))
    );
    assert_eq!(info.class, DispatchClass::Operational);
    assert_eq!(
        SudoCall::remove_key.dispatch_info().weight,
        weights::remove_key()
    );
}

#[test]
fn encodings_match_frame_pallet_sudo() {
    assert_eq!(
        SudoCall::sudo {
            call: mock(MockCall::Note(1))
        }
        .encode(),
        vec![0, 50, 0, 1, 0, 0, 0]
    );
    let mut set_key = vec![2, 0];
    set_key.extend([2u8; 32]);
    assert_eq!(SudoCall::set_key { new: id(BOB) }.encode(), set_key);
    assert_eq!(SudoCall::remove_key.encode(), vec![4]);
    assert_eq!(
        SudoCall::sudo_unchecked_weight {
            call: mock(MockCall::WhoAmI),
            weight: Weight::from_parts(1, 2)
        }
        .encode(),
        vec![1, 50, 1, 4, 8]
    );
    assert_eq!(Event::KeyRemoved.encode(), vec![2]);
    assert_eq!(
        Event::SudoAsDone {
            sudo_result: Ok(())
        }
        .encode(),
        vec![3, 0]
    );
    assert_eq!(Error::RequireSudo.encode(), vec![0]);
    let decoded = RuntimeCall::decode(&mut &[13u8, 4][..]).unwrap();
    assert_eq!(decoded, RuntimeCall::Sudo(SudoCall::remove_key));
}

#[test]
fn metadata_uses_frame_names_and_paths() {
    let description = metadata::<Test>();
    assert_eq!(description.name, "Sudo");
    assert_eq!(description.index, INDEX);
    assert_eq!(description.storage.len(), 1);
    assert_eq!(description.storage[0].name, "Key");
    let path = |ty: scale_info::MetaType| ty.type_info().path.segments.clone();
    assert_eq!(
        path(description.calls.unwrap()),
        vec!["pallet_sudo", "pallet", "Call"]
    );
    assert_eq!(
        path(description.event.unwrap()),
        vec!["pallet_sudo", "pallet", "Event"]
    );
    assert_eq!(
        path(description.error.unwrap()),
        vec!["pallet_sudo", "pallet", "Error"]
    );
}

#[test]
fn genesis_reads_frame_chain_specs() {
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        let json = format!(
            r#"{{"key": "{}"}}"#,
            folio_primitives::ss58::encode(&[1; 32], 42)
        );
        let config: GenesisConfig = serde_json::from_str(&json).unwrap();
        config.build::<Test>();
        assert_eq!(Sudo::key(), Some(account(1)));
        let none: GenesisConfig = serde_json::from_str(r#"{"key": null}"#).unwrap();
        assert_eq!(none, GenesisConfig::default());
        let absent: GenesisConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.key, None);
        assert!(serde_json::from_str::<GenesisConfig>(r#"{"keys": null}"#).is_err());
    });
}

#[test]
fn the_invariant_catches_a_corrupt_key() {
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        assert_eq!(invariants::check_invariants(), Ok(()));
        folio_primitives::io::storage_set(
            &<Key as folio_pallet_support::storage::StorageItem>::prefix(),
            &[1, 2, 3],
        );
        assert!(invariants::check_invariants().is_err());
    });
}
