//! Random call sequences keep every invariant, failed calls change nothing, and the
//! scheduler's history is sound: every enacted task was approved, waited its delay, was not
//! cancelled, and ran once.

use crate::mock::*;
use crate::*;
use alloc::collections::{BTreeMap, BTreeSet};
use folio_pallet_support::currency::{Currency as _, Preservation};
use folio_primitives::externalities::TestExternalities;
use proptest::prelude::*;

type Governance = Pallet<Test>;
type Balances = folio_pallet_currency::Pallet<Test>;

/// One step: a governance call through dispatch, a transfer (money moving under holds and
/// freezes), or some blocks passing.
#[derive(Clone, Debug)]
enum Step {
    Signed(u8, Call),
    Root(Call),
    Transfer(u8, u8, Balance),
    Blocks(u8),
    /// Members 1 and 2 pass a motion for the call at once (four calls).
    CouncilPasses(Vec<u8>),
    /// Members 1 and 2 try to cancel the task `offset` places before the newest (four calls).
    CouncilCancels(u32),
}

/// The calls a step stands for, in the current state.
fn expand(step: &Step) -> Vec<Step> {
    let motion = MotionCount::get();
    let approve = |who: u8| {
        Step::Signed(
            who,
            Call::vote_motion {
                motion,
                approve: true,
            },
        )
    };
    let close = Step::Signed(3, Call::close_motion { motion });
    match step {
        Step::CouncilPasses(call) => vec![
            Step::Signed(
                1,
                Call::propose_motion {
                    threshold: 2,
                    call: call.clone(),
                },
            ),
            approve(1),
            approve(2),
            close,
        ],
        Step::CouncilCancels(offset) => {
            let task = TaskCount::get().saturating_sub(1 + offset);
            vec![
                Step::Signed(1, Call::propose_cancellation { task }),
                approve(1),
                approve(2),
                close,
            ]
        }
        other => vec![other.clone()],
    }
}

const ACCOUNTS: u8 = 6;

fn who() -> impl Strategy<Value = u8> {
    1..=ACCOUNTS
}

/// Mostly a genesis council member, so motions get somewhere.
fn member() -> impl Strategy<Value = u8> {
    prop_oneof![3 => 1..=3u8, 1 => who()]
}

fn threshold() -> impl Strategy<Value = u32> {
    prop_oneof![3 => Just(2u32), 1 => 0..5u32]
}

/// Mostly one of the first few motions, referenda or tasks, so calls find them.
fn small_index() -> impl Strategy<Value = u32> {
    prop_oneof![3 => 0..2u32, 1 => 0..6u32]
}

fn stored_call() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (0..100u32).prop_map(|n| MockCall::Note(n).encoded()),
        1 => Just(MockCall::Fail.encoded()),
        1 => (0..40u64).prop_map(|w| MockCall::Heavy(w).encoded()),
        1 => proptest::collection::vec(who(), 0..4).prop_map(|members| MockCall::Governance(
            Call::set_members { new_members: members.into_iter().map(account).collect() }
        ).encoded()),
        1 => small_index().prop_map(|referendum| MockCall::Governance(
            Call::cancel_referendum { referendum }
        ).encoded()),
        1 => Just(vec![0xff]),
    ]
}

fn balance() -> impl Strategy<Value = Balance> {
    prop_oneof![0..50u128, 0..1_200u128, Just(ED)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => proptest::collection::vec(who(), 0..5).prop_map(|members| Step::Root(
            Call::set_members { new_members: members.into_iter().map(account).collect() }
        )),
        4 => (member(), threshold(), stored_call()).prop_map(|(w, threshold, call)| Step::Signed(
            w,
            Call::propose_motion { threshold, call }
        )),
        2 => (member(), small_index()).prop_map(|(w, task)| Step::Signed(
            w,
            Call::propose_cancellation { task }
        )),
        14 => (member(), small_index(), prop::bool::weighted(0.85)).prop_map(|(w, motion, approve)| {
            Step::Signed(w, Call::vote_motion { motion, approve })
        }),
        5 => (who(), small_index())
            .prop_map(|(w, motion)| Step::Signed(w, Call::close_motion { motion })),
        3 => (who(), stored_call())
            .prop_map(|(w, call)| Step::Signed(w, Call::start_referendum { call })),
        6 => (who(), small_index(), prop::bool::weighted(0.7), balance()).prop_map(
            |(w, referendum, aye, balance)| Step::Signed(
                w,
                Call::vote_referendum { referendum, aye, balance }
            )
        ),
        1 => (who(), small_index())
            .prop_map(|(w, referendum)| Step::Signed(w, Call::remove_vote { referendum })),
        1 => small_index().prop_map(|referendum| Step::Root(Call::cancel_referendum { referendum })),
        2 => (who(), who(), balance()).prop_map(|(f, t, a)| Step::Transfer(f, t, a)),
        4 => prop_oneof![3 => 1..3u8, 1 => 1..12u8].prop_map(Step::Blocks),
        2 => stored_call().prop_map(Step::CouncilPasses),
        2 => (0..3u32).prop_map(Step::CouncilCancels),
    ]
}

fn genesis() -> TestExternalities {
    new_test_ext().into_externalities()
}

/// Runs a call step; returns whether it succeeded. `Blocks` and composite steps are handled
/// by the caller (see [`expand`]).
fn dispatch_step(step: &Step) -> Result<(), DispatchError> {
    match step.clone() {
        Step::Signed(w, call) => call
            .dispatch::<Test>(Origin::Signed(account(w)))
            .map(|_| ())
            .map_err(|e| e.error),
        Step::Root(call) => call
            .dispatch::<Test>(Origin::Root)
            .map(|_| ())
            .map_err(|e| e.error),
        Step::Transfer(f, t, a) => {
            Balances::transfer(&account(f), &account(t), a, Preservation::Expendable)
        }
        Step::Blocks(_) | Step::CouncilPasses(_) | Step::CouncilCancels(_) => Ok(()),
    }
}

/// Runs a step in its own storage transaction, as the executive does.
fn run_call(step: &Step) -> bool {
    folio_pallet_support::transactional::with_transaction(|| dispatch_step(step)).is_ok()
}

/// What the scheduler's history must respect, built from the events.
#[derive(Default)]
struct History {
    approved_motions: BTreeSet<MotionIndex>,
    passed_referenda: BTreeSet<ReferendumIndex>,
    scheduled: BTreeMap<TaskId, BlockNumber>,
    cancelled: BTreeSet<TaskId>,
    enacted: BTreeSet<TaskId>,
}

impl History {
    /// Takes in the events of the current block since the last reset.
    fn observe(&mut self, now: BlockNumber) -> Result<(), TestCaseError> {
        for event in governance_events() {
            match event {
                Event::MotionApproved { motion } => {
                    self.approved_motions.insert(motion);
                }
                Event::ReferendumPassed { referendum, .. } => {
                    self.passed_referenda.insert(referendum);
                }
                Event::Scheduled {
                    task,
                    source,
                    not_before,
                    ..
                } => {
                    let approved = match source {
                        TaskSource::Motion(m) => self.approved_motions.contains(&m),
                        TaskSource::Referendum(r) => self.passed_referenda.contains(&r),
                    };
                    prop_assert!(approved, "task {} scheduled without approval", task);
                    prop_assert_eq!(not_before, now + DELAY);
                    prop_assert!(self.scheduled.insert(task, not_before).is_none());
                }
                Event::Cancelled { task } => {
                    prop_assert!(!self.enacted.contains(&task), "cancelled after enactment");
                    self.cancelled.insert(task);
                }
                Event::Enacted { task, .. } => {
                    let not_before = self.scheduled.get(&task).copied();
                    prop_assert!(not_before.is_some(), "task {} enacted unscheduled", task);
                    prop_assert!(now >= not_before.unwrap_or(u32::MAX), "enacted early");
                    prop_assert!(!self.cancelled.contains(&task), "cancelled task enacted");
                    prop_assert!(self.enacted.insert(task), "task {} enacted twice", task);
                }
                _ => {}
            }
        }
        folio_pallet_support::events::reset_events();
        Ok(())
    }
}

fn check_all(description: &str) -> Result<(), TestCaseError> {
    if let Err(violation) = folio_pallet_currency::invariants::check_invariants::<Test>() {
        return Err(TestCaseError::fail(format!(
            "currency {violation:?} after {description}"
        )));
    }
    if let Err(violation) = invariants::check_invariants::<Test>() {
        return Err(TestCaseError::fail(format!(
            "{violation:?} after {description}"
        )));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every invariant of governance and currency holds after every step, and the scheduler's
    /// history is sound.
    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ext = genesis();
        ext.execute_with(|| {
            let mut history = History::default();
            for step in steps {
                let description = format!("{step:?}");
                if let Step::Blocks(k) = step {
                    for _ in 0..k {
                        run_to_block(now() + 1);
                        history.observe(now())?;
                        check_all(&description)?;
                    }
                } else {
                    for call in expand(&step) {
                        run_call(&call);
                        history.observe(now())?;
                        check_all(&description)?;
                    }
                }
            }
            // Let everything due run out: whatever was scheduled and not cancelled is enacted.
            for _ in 0..(VOTING_PERIOD + DELAY + 20) {
                run_to_block(now() + 1);
                history.observe(now())?;
            }
            check_all("the final blocks")?;
            for task in history.scheduled.keys() {
                prop_assert!(
                    history.enacted.contains(task) != history.cancelled.contains(task)
                        || Governance::task(*task).is_some(),
                    "task {} neither enacted, cancelled nor waiting", task
                );
            }
            Ok(())
        })?;
    }

    /// A failed call leaves the state exactly as it was even without the executive's storage
    /// transaction around it: every call validates before it writes.
    #[test]
    fn failed_calls_change_nothing(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ext = genesis();
        for step in steps {
            if let Step::Blocks(k) = step {
                ext.execute_with(|| run_to_block(now() + u32::from(k)));
                continue;
            }
            // Composite steps expand in the state the steps before reached.
            for call in ext.execute_with(|| expand(&step)) {
                ext.commit_all();
                let before = ext.snapshot();
                let succeeded = ext.execute_with(|| {
                    folio_pallet_support::events::reset_events();
                    dispatch_step(&call).is_ok()
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
                    prop_assert_eq!(before, after, "failed call {:?} changed state", call);
                }
            }
        }
    }
}
