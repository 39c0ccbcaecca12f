//! Random call sequences keep every invariant, and failed calls change nothing.

use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Arrival, Currency as _};
use folio_pallet_system::Account;
use folio_primitives::address::MultiAddress;
use folio_primitives::externalities::TestExternalities;
use proptest::prelude::*;

type Balances = Pallet<Test>;

/// One step: a call through dispatch, or a hold operation as another pallet would do it.
#[derive(Clone, Debug)]
enum Step {
    Call(u8, Call),
    Root(Call),
    Hold(u8, HoldReason, Balance),
    Release(u8, HoldReason, Balance),
    TransferOnHold(u8, u8, Balance, bool),
    Freeze(u8, FreezeReason, Balance),
    Thaw(u8, FreezeReason),
    Fee(u8, Balance, Balance),
}

const ACCOUNTS: u8 = 5;

fn who() -> impl Strategy<Value = u8> {
    1..=ACCOUNTS
}

fn amount() -> impl Strategy<Value = Balance> {
    prop_oneof![0..30u128, 0..2_000u128, Just(ED), Just(ED - 1)]
}

fn hold_reason() -> impl Strategy<Value = HoldReason> {
    prop_oneof![
        Just(HoldReason::CrowdfundingCommitment),
        Just(HoldReason::BillMargin),
        Just(HoldReason::PendingDelivery),
        Just(HoldReason::GovernanceDeposit),
    ]
}

fn freeze_reason() -> impl Strategy<Value = FreezeReason> {
    prop_oneof![
        Just(FreezeReason::Vesting),
        Just(FreezeReason::GovernanceVote)
    ]
}

fn dest() -> impl Strategy<Value = MultiAddress> {
    who().prop_map(|w| MultiAddress::Id(account(w)))
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (who(), dest(), amount())
            .prop_map(|(w, dest, value)| Step::Call(w, Call::transfer_allow_death { dest, value })),
        (who(), dest(), amount())
            .prop_map(|(w, dest, value)| Step::Call(w, Call::transfer_keep_alive { dest, value })),
        (who(), dest(), any::<bool>()).prop_map(|(w, dest, keep_alive)| Step::Call(
            w,
            Call::transfer_all { dest, keep_alive }
        )),
        (who(), amount(), any::<bool>())
            .prop_map(|(w, value, keep_alive)| Step::Call(w, Call::burn { value, keep_alive })),
        (dest(), dest(), amount()).prop_map(|(source, dest, value)| Step::Root(
            Call::force_transfer {
                source,
                dest,
                value
            }
        )),
        (dest(), amount())
            .prop_map(|(who, new_free)| Step::Root(Call::force_set_balance { who, new_free })),
        (who(), hold_reason(), amount()).prop_map(|(w, r, a)| Step::Hold(w, r, a)),
        (who(), hold_reason(), amount()).prop_map(|(w, r, a)| Step::Release(w, r, a)),
        (who(), who(), amount(), any::<bool>())
            .prop_map(|(f, t, a, h)| Step::TransferOnHold(f, t, a, h)),
        (who(), freeze_reason(), amount()).prop_map(|(w, r, a)| Step::Freeze(w, r, a)),
        (who(), freeze_reason()).prop_map(|(w, r)| Step::Thaw(w, r)),
        (who(), amount(), amount()).prop_map(|(w, fee, used)| Step::Fee(w, fee, used)),
    ]
}

/// Runs a step in its own storage transaction, as the executive does; returns whether it
/// succeeded.
fn run(step: Step) -> bool {
    let outcome: Result<(), DispatchError> =
        folio_pallet_support::transactional::with_transaction(|| match step {
            Step::Call(w, call) => call
                .dispatch::<Test>(Origin::Signed(account(w)))
                .map(|_| ())
                .map_err(|e| e.error),
            Step::Root(call) => call
                .dispatch::<Test>(Origin::Root)
                .map(|_| ())
                .map_err(|e| e.error),
            Step::Hold(w, r, a) => Balances::hold(r, &account(w), a),
            Step::Release(w, r, a) => Balances::release(r, &account(w), a),
            Step::TransferOnHold(f, t, a, on_hold) => {
                let arrival = if on_hold {
                    Arrival::OnHold
                } else {
                    Arrival::Free
                };
                Balances::transfer_on_hold(
                    HoldReason::PendingDelivery,
                    &account(f),
                    &account(t),
                    a,
                    arrival,
                )
            }
            Step::Freeze(w, r, a) => Balances::set_freeze(r, &account(w), a),
            Step::Thaw(w, r) => {
                Balances::thaw(r, &account(w));
                Ok(())
            }
            Step::Fee(w, fee, used) => {
                fees::withdraw_fee::<Test>(&account(w), fee).map_err(|_| DispatchError::Other)?;
                fees::settle_fee::<Test>(&account(w), fee, used, 0);
                Ok(())
            }
        });
    outcome.is_ok()
}

/// Anything but the watched hold's own pallet: the owner's calls, Root, fees, freezes (votes)
/// and other pallets' holds on the same account.
fn user_step() -> impl Strategy<Value = Step> {
    step().prop_filter("the watched hold is the pallet's own", |step| {
        !matches!(
            step,
            Step::Hold(_, HoldReason::CrowdfundingCommitment, _)
                | Step::Release(_, HoldReason::CrowdfundingCommitment, _)
        )
    })
}

/// How a probe ended: it always rolls back, saying whether the move itself worked.
#[derive(Debug, PartialEq)]
enum Probe {
    Moved,
    Failed(DispatchError),
}

impl From<DispatchError> for Probe {
    fn from(error: DispatchError) -> Self {
        Probe::Failed(error)
    }
}

/// Moves `held` of the watched hold from account 1 to `to` (1 = back to its free balance)
/// and checks the invariants after, then rolls everything back.
fn probe_move(to: u8, held: Balance, arrival: Arrival) -> Probe {
    let outcome: Result<(), Probe> = folio_pallet_support::transactional::with_transaction(|| {
        Balances::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            &account(1),
            &account(to),
            held,
            arrival,
        )?;
        if Balances::balance_on_hold(HoldReason::CrowdfundingCommitment, &account(1)) != 0 {
            return Err(Probe::Failed(DispatchError::Other));
        }
        invariants::check_invariants::<Test>().map_err(|_| DispatchError::Other)?;
        Err(Probe::Moved)
    });
    match outcome {
        Ok(()) => Probe::Failed(DispatchError::Other),
        Err(probe) => probe,
    }
}

fn genesis() -> TestExternalities {
    with_balances(&[(1, 1_000), (2, 500), (3, 100), (4, ED)]).into_externalities()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Total issuance = Σ(free + held), no live account below ED, held = Σ holds,
    /// frozen = max freeze — after every step of any sequence.
    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..40)) {
        let mut ext = genesis();
        ext.execute_with(|| {
            for step in steps {
                let description = format!("{step:?}");
                run(step);
                if let Err(violation) = invariants::check_invariants::<Test>() {
                    return Err(TestCaseError::fail(format!("{violation:?} after {description}")));
                }
            }
            Ok(())
        })?;
    }

    /// A failed step leaves the state exactly as it was (the executive then only charges the
    /// fee and bumps the nonce, which are outside the call).
    #[test]
    fn failed_steps_change_nothing(steps in proptest::collection::vec(step(), 1..40)) {
        let mut ext = genesis();
        for step in steps {
            ext.commit_all();
            let before = ext.snapshot();
            let succeeded = ext.execute_with(|| {
                folio_pallet_support::events::reset_events();
                run(step.clone())
            });
            if !succeeded {
                let mut after = ext.snapshot();
                // Only the event log was touched by the reset above.
                let events_key = ext.execute_with(folio_pallet_support::events::events_key);
                let count_key = ext.execute_with(<folio_pallet_support::events::EventCount as folio_pallet_support::storage::StorageItem>::prefix);
                let mut before = before.clone();
                for key in [events_key.to_vec(), count_key.to_vec()] {
                    before.remove(&key);
                    after.remove(&key);
                }
                prop_assert_eq!(before, after, "failed step {:?} changed state", step);
            }
        }
    }

    /// The root-cause property of issue 18: whatever the owner and everyone else do (freeze
    /// or vote over held money, other holds, transfers out, fees, deposit games, Root setting
    /// balances), the pallet that placed a hold can move it in full, to the owner's free
    /// balance or to any account that can receive it, after every step.
    #[test]
    fn a_hold_stays_movable_in_full_by_its_pallet(
        placed in 1..=(1_000 - ED),
        steps in proptest::collection::vec(user_step(), 1..40),
    ) {
        let mut ext = genesis();
        ext.execute_with(|| {
            Balances::hold(HoldReason::CrowdfundingCommitment, &account(1), placed)
                .map_err(|e| TestCaseError::fail(format!("placing the hold: {e:?}")))?;
            for step in steps {
                let description = format!("{step:?}");
                run(step);
                let held = Balances::balance_on_hold(HoldReason::CrowdfundingCommitment, &account(1));
                prop_assert_eq!(held, placed, "only its pallet changes a hold ({})", &description);
                prop_assert_eq!(probe_move(1, held, Arrival::Free), Probe::Moved, "release after {}", &description);
                for to in 2..=ACCOUNTS {
                    let dest = Balances::account_data(&account(to));
                    let can_receive = Account::contains_key(&account(to)) || held >= ED;
                    if can_receive {
                        prop_assert_eq!(probe_move(to, held, Arrival::Free), Probe::Moved, "to {} after {}", to, &description);
                    }
                    let room = Holds::get(&account(to)).len() < <Test as Config>::MAX_HOLDS as usize;
                    if dest.free >= ED && room {
                        prop_assert_eq!(probe_move(to, held, Arrival::OnHold), Probe::Moved, "on hold to {} after {}", to, &description);
                    }
                }
            }
            Ok(())
        })?;
    }
}
