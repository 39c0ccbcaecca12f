//! Random sequences of sudo calls from random origins: the invariant holds after every step,
//! only the key's holder or Root succeeds, a removed key never comes back, and failed calls
//! change nothing.

use crate::mock::*;
use crate::*;
use alloc::boxed::Box;
use folio_primitives::address::MultiAddress;
use folio_primitives::externalities::TestExternalities;
use proptest::prelude::*;

type SudoCall = Call<RuntimeCall>;

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![
        6 => (1..=3u8).prop_map(|n| Origin::Signed(account(n))),
        2 => Just(Origin::Root),
        1 => Just(Origin::None),
    ]
}

fn address() -> impl Strategy<Value = MultiAddress> {
    prop_oneof![
        5 => (1..=3u8).prop_map(|n| MultiAddress::Id(account(n))),
        1 => Just(MultiAddress::Address20([9; 20])),
    ]
}

fn inner() -> impl Strategy<Value = Box<RuntimeCall>> {
    prop_oneof![
        (0..10u32).prop_map(|n| Box::new(RuntimeCall::Mock(MockCall::Note(n)))),
        Just(Box::new(RuntimeCall::Mock(MockCall::WhoAmI))),
        Just(Box::new(RuntimeCall::Mock(MockCall::Fail))),
        Just(Box::new(RuntimeCall::Sudo(SudoCall::remove_key))),
    ]
}

fn call() -> impl Strategy<Value = SudoCall> {
    prop_oneof![
        3 => inner().prop_map(|call| SudoCall::sudo { call }),
        1 => (inner(), 0..100u64).prop_map(|(call, w)| SudoCall::sudo_unchecked_weight {
            call,
            weight: Weight::from_parts(w, 0)
        }),
        2 => address().prop_map(|new| SudoCall::set_key { new }),
        2 => (address(), inner()).prop_map(|(who, call)| SudoCall::sudo_as { who, call }),
        1 => Just(SudoCall::remove_key),
    ]
}

fn genesis() -> TestExternalities {
    new_test_ext().into_externalities()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn only_the_key_or_root_succeeds_and_a_removed_key_never_returns(
        steps in proptest::collection::vec((origin(), call()), 1..40)
    ) {
        let mut ext = genesis();
        ext.execute_with(|| {
            let mut removed = false;
            for (origin, call) in steps {
                let key_before = Pallet::<Test>::key();
                let description = format!("{call:?} from {origin:?}");
                let outcome = folio_pallet_support::transactional::with_transaction(|| {
                    call.dispatch::<Test>(origin.clone())
                });
                if outcome.is_ok() {
                    let allowed = match &origin {
                        Origin::Root => key_before.is_some(),
                        Origin::Signed(who) => key_before.as_ref() == Some(who),
                        Origin::None => false,
                    };
                    prop_assert!(allowed, "{} succeeded without the key", description);
                }
                removed |= key_before.is_some() && Pallet::<Test>::key().is_none();
                if removed {
                    prop_assert_eq!(Pallet::<Test>::key(), None, "key back after {}", description);
                }
                if let Err(violation) = invariants::check_invariants() {
                    return Err(TestCaseError::fail(format!("{violation:?} after {description}")));
                }
            }
            Ok(())
        })?;
    }

    /// A failed call leaves the state exactly as it was, even without the executive's storage
    /// transaction around it.
    #[test]
    fn failed_calls_change_nothing(steps in proptest::collection::vec((origin(), call()), 1..40)) {
        let mut ext = genesis();
        for (origin, call) in steps {
            ext.commit_all();
            let before = ext.snapshot();
            let succeeded = ext.execute_with(|| {
                folio_pallet_support::events::reset_events();
                call.clone().dispatch::<Test>(origin.clone()).is_ok()
            });
            if !succeeded {
                let mut after = ext.snapshot();
                let events_key = ext.execute_with(folio_pallet_support::events::events_key);
                let count_key = ext.execute_with(<folio_pallet_support::events::EventCount as folio_pallet_support::storage::StorageItem>::prefix);
                let mut before = before.clone();
                for key in [events_key.to_vec(), count_key.to_vec()] {
                    before.remove(&key);
                    after.remove(&key);
                }
                prop_assert_eq!(before, after, "failed {:?} from {:?} changed state", call, origin);
            }
        }
    }
}
