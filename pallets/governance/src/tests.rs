use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Currency as _, FreezeReason, HoldReason, Preservation};

type Governance = Pallet<Test>;
type Balances = folio_pallet_currency::Pallet<Test>;

fn dispatch(call: Call, origin: Origin) -> DispatchResult {
    call.dispatch::<Test>(origin)
        .map(|_| ())
        .map_err(|e| e.error)
}

fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

fn err(e: Error) -> DispatchResult {
    Err(module_error(INDEX, &e))
}

fn currency_err(e: folio_pallet_currency::Error) -> DispatchResult {
    Err(module_error(6, &e))
}

fn note(n: u32) -> Vec<u8> {
    MockCall::Note(n).encoded()
}

fn propose(who: u8, threshold: u32, call: Vec<u8>) -> DispatchResult {
    dispatch(Call::propose_motion { threshold, call }, signed(who))
}

fn vote(who: u8, motion: MotionIndex, approve: bool) -> DispatchResult {
    dispatch(Call::vote_motion { motion, approve }, signed(who))
}

fn close(who: u8, motion: MotionIndex) -> DispatchResult {
    dispatch(Call::close_motion { motion }, signed(who))
}

fn start(who: u8, call: Vec<u8>) -> DispatchResult {
    dispatch(Call::start_referendum { call }, signed(who))
}

fn vote_ref(who: u8, referendum: ReferendumIndex, aye: bool, balance: Balance) -> DispatchResult {
    dispatch(
        Call::vote_referendum {
            referendum,
            aye,
            balance,
        },
        signed(who),
    )
}

/// Alice proposes `call` with threshold 2, Alice and Bob vote aye, Charlie closes: the call is
/// scheduled in this block. Returns the task id.
fn schedule_by_motion(call: Vec<u8>) -> TaskId {
    let motion = MotionCount::get();
    assert_eq!(propose(ALICE, 2, call), Ok(()));
    assert_eq!(vote(ALICE, motion, true), Ok(()));
    assert_eq!(vote(BOB, motion, true), Ok(()));
    assert_eq!(close(CHARLIE, motion), Ok(()));
    TaskCount::get() - 1
}

fn held(who: u8) -> Balance {
    Balances::balance_on_hold(HoldReason::GovernanceDeposit, &account(who))
}

fn frozen(who: u8) -> Balance {
    Balances::balance_frozen(FreezeReason::GovernanceVote, &account(who))
}

fn enacted() -> Vec<(TaskId, DispatchResult)> {
    governance_events()
        .into_iter()
        .filter_map(|event| match event {
            Event::Enacted { task, result } => Some((task, result)),
            _ => None,
        })
        .collect()
}

// ---- helpers of lib.rs ----

#[test]
fn percentages_are_exact_and_never_overflow() {
    assert_eq!(percent_of(4_520, 10), 452);
    assert_eq!(percent_of(199, 50), 99);
    assert_eq!(percent_of(u128::MAX, 100), u128::MAX);
    assert_eq!(percent_of(u128::MAX, 150), u128::MAX);
    assert_eq!(more_than_percent(3, 50), 2);
    assert_eq!(more_than_percent(4, 50), 3);
    assert_eq!(more_than_percent(3, 66), 2);
    assert_eq!(more_than_percent(5, 66), 4);
    assert_eq!(more_than_percent(0, 50), 1);
}

// ---- set_members ----

#[test]
fn set_members_replaces_the_council_sorted() {
    new_test_ext().execute(|| {
        let call = Call::set_members {
            new_members: vec![account(EVE), account(DAVE)],
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        assert_eq!(Governance::members(), vec![account(DAVE), account(EVE)]);
        assert!(!Governance::is_member(&account(ALICE)));
        assert_eq!(
            governance_events(),
            vec![Event::MembersChanged {
                members: vec![account(DAVE), account(EVE)]
            }]
        );
    });
}

#[test]
fn set_members_needs_root_and_a_valid_list() {
    new_test_ext().execute(|| {
        let before = Governance::members();
        let call = |members: &[u8]| Call::set_members {
            new_members: members.iter().map(|m| account(*m)).collect(),
        };
        assert_eq!(
            dispatch(call(&[DAVE]), signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(call(&[DAVE, EVE, DAVE]), Origin::Root),
            err(Error::DuplicateMember)
        );
        assert_eq!(
            dispatch(call(&[10, 11, 12, 13, 14, 15, 16, 17]), Origin::Root),
            err(Error::TooManyMembers)
        );
        assert_eq!(Governance::members(), before);
        assert!(governance_events().is_empty());
    });
}

#[test]
fn set_members_strips_votes_of_members_who_leave() {
    new_test_ext().execute(|| {
        assert_eq!(propose(ALICE, 2, note(1)), Ok(()));
        assert_eq!(vote(ALICE, 0, true), Ok(()));
        assert_eq!(vote(BOB, 0, false), Ok(()));
        let call = Call::set_members {
            new_members: vec![account(ALICE), account(CHARLIE), account(DAVE)],
        };
        assert_eq!(dispatch(call, Origin::Root), Ok(()));
        let motion = Motions::get(&0).unwrap();
        assert_eq!(motion.ayes, vec![account(ALICE)]);
        assert!(motion.nays.is_empty());
    });
}

#[test]
fn the_council_changes_itself_through_an_approved_motion() {
    new_test_ext().execute(|| {
        let call = MockCall::Governance(Call::set_members {
            new_members: vec![account(DAVE)],
        });
        let task = schedule_by_motion(call.encoded());
        run_to_block(1 + DELAY);
        assert_eq!(enacted(), vec![(task, Ok(()))]);
        assert_eq!(Governance::members(), vec![account(DAVE)]);
    });
}

// ---- propose_motion ----

#[test]
fn a_member_proposes_a_motion() {
    new_test_ext().execute(|| {
        assert_eq!(propose(BOB, 3, note(7)), Ok(()));
        assert_eq!(ActiveMotions::get(), vec![0]);
        assert_eq!(MotionCount::get(), 1);
        let motion = Motions::get(&0).unwrap();
        assert_eq!(motion.proposer, account(BOB));
        assert_eq!(motion.proposal, MotionProposal::Enact { call: note(7) });
        assert_eq!(motion.end, 1 + MOTION_DURATION);
        assert_eq!(
            governance_events(),
            vec![Event::MotionProposed {
                account: account(BOB),
                motion: 0,
                call_hash: call_hash(&note(7)),
                threshold: 3,
                end: 1 + MOTION_DURATION,
            }]
        );
    });
}

#[test]
fn propose_motion_checks_proposer_threshold_and_call() {
    new_test_ext().execute(|| {
        assert_eq!(propose(DAVE, 2, note(1)), err(Error::NotMember));
        assert_eq!(
            dispatch(
                Call::propose_motion {
                    threshold: 2,
                    call: note(1)
                },
                Origin::Root
            ),
            Err(DispatchError::BadOrigin)
        );
        // A single member of three is not a majority: a motion dispatches as Root.
        assert_eq!(propose(ALICE, 1, note(1)), err(Error::ThresholdTooLow));
        assert_eq!(propose(ALICE, 4, note(1)), err(Error::ThresholdTooHigh));
        assert_eq!(
            propose(ALICE, 2, vec![0xff, 1]),
            err(Error::UndecodableCall)
        );
        let long = MockCall::Governance(Call::start_referendum {
            call: vec![0; MAX_CALL_LEN as usize],
        });
        assert_eq!(propose(ALICE, 2, long.encoded()), err(Error::CallTooLong));
        assert!(ActiveMotions::get().is_empty());
        assert_eq!(MotionCount::get(), 0);
        assert!(governance_events().is_empty());
    });
}

#[test]
fn no_more_than_max_motions_are_open() {
    new_test_ext().execute(|| {
        for n in 0..MAX_MOTIONS {
            assert_eq!(propose(ALICE, 2, note(n)), Ok(()));
        }
        assert_eq!(propose(ALICE, 2, note(99)), err(Error::TooManyMotions));
    });
}

// ---- propose_cancellation ----

#[test]
fn a_cancellation_needs_a_supermajority_fixed_on_chain() {
    with_council(&[ALICE, BOB, CHARLIE, DAVE, EVE]).execute(|| {
        assert_eq!(propose(ALICE, 3, note(1)), Ok(()));
        for who in [ALICE, BOB, CHARLIE] {
            assert_eq!(vote(who, 0, true), Ok(()));
        }
        assert_eq!(close(ALICE, 0), Ok(()));
        assert_eq!(
            dispatch(Call::propose_cancellation { task: 0 }, signed(EVE)),
            Ok(())
        );
        let motion = Motions::get(&1).unwrap();
        // More than 66 % of five members: four.
        assert_eq!(motion.threshold, 4);
        assert_eq!(motion.proposal, MotionProposal::CancelTask { task: 0 });
        assert_eq!(
            governance_events().last(),
            Some(&Event::CancellationProposed {
                account: account(EVE),
                motion: 1,
                task: 0,
                threshold: 4,
                end: 1 + MOTION_DURATION,
            })
        );
    });
}

#[test]
fn propose_cancellation_needs_a_member_and_a_waiting_task() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(Call::propose_cancellation { task: 0 }, signed(ALICE)),
            err(Error::UnknownTask)
        );
        let task = schedule_by_motion(note(1));
        assert_eq!(
            dispatch(Call::propose_cancellation { task }, signed(DAVE)),
            err(Error::NotMember)
        );
    });
}

// ---- vote_motion ----

#[test]
fn members_vote_and_may_change_their_vote() {
    new_test_ext().execute(|| {
        assert_eq!(propose(ALICE, 3, note(1)), Ok(()));
        assert_eq!(vote(BOB, 0, false), Ok(()));
        assert_eq!(vote(BOB, 0, true), Ok(()));
        let motion = Motions::get(&0).unwrap();
        assert_eq!((motion.ayes, motion.nays), (vec![account(BOB)], vec![]));
        assert_eq!(
            governance_events().last(),
            Some(&Event::MotionVoted {
                account: account(BOB),
                motion: 0,
                approve: true,
                ayes: 1,
                nays: 0,
            })
        );
    });
}

#[test]
fn vote_motion_rejects_outsiders_unknown_duplicate_and_late_votes() {
    new_test_ext().execute(|| {
        assert_eq!(vote(ALICE, 0, true), err(Error::UnknownMotion));
        assert_eq!(propose(ALICE, 3, note(1)), Ok(()));
        assert_eq!(vote(DAVE, 0, true), err(Error::NotMember));
        assert_eq!(vote(ALICE, 0, true), Ok(()));
        assert_eq!(vote(ALICE, 0, true), err(Error::DuplicateVote));
        run_to_block(1 + MOTION_DURATION);
        assert_eq!(vote(BOB, 0, true), err(Error::MotionEnded));
        assert_eq!(Motions::get(&0).unwrap().ayes, vec![account(ALICE)]);
    });
}

// ---- close_motion ----

#[test]
fn a_motion_that_reached_its_threshold_closes_early_and_schedules_its_call() {
    new_test_ext().execute(|| {
        let task = schedule_by_motion(note(5));
        assert!(ActiveMotions::get().is_empty());
        assert!(Motions::get(&0).is_none());
        let waiting = Tasks::get(&task).unwrap();
        assert_eq!(waiting.source, TaskSource::Motion(0));
        assert_eq!((waiting.scheduled_at, waiting.not_before), (1, 1 + DELAY));
        let events = governance_events();
        let tail = &events[events.len() - 3..];
        assert_eq!(
            tail,
            &[
                Event::MotionClosed {
                    motion: 0,
                    ayes: 2,
                    nays: 0
                },
                Event::MotionApproved { motion: 0 },
                Event::Scheduled {
                    task,
                    source: TaskSource::Motion(0),
                    call_hash: call_hash(&note(5)),
                    not_before: 1 + DELAY,
                },
            ]
        );
    });
}

#[test]
fn a_motion_that_can_no_longer_pass_closes_early_as_disapproved() {
    new_test_ext().execute(|| {
        assert_eq!(propose(ALICE, 2, note(1)), Ok(()));
        assert_eq!(vote(BOB, 0, false), Ok(()));
        assert_eq!(close(DAVE, 0), err(Error::TooEarly));
        assert_eq!(vote(CHARLIE, 0, false), Ok(()));
        assert_eq!(close(DAVE, 0), Ok(()));
        assert_eq!(
            governance_events().last(),
            Some(&Event::MotionDisapproved { motion: 0 })
        );
        assert_eq!(TaskCount::get(), 0);
    });
}

#[test]
fn after_its_end_a_motion_short_of_its_threshold_is_disapproved() {
    new_test_ext().execute(|| {
        assert_eq!(propose(ALICE, 2, note(1)), Ok(()));
        assert_eq!(vote(ALICE, 0, true), Ok(()));
        run_to_block(MOTION_DURATION);
        assert_eq!(close(ALICE, 0), err(Error::TooEarly));
        run_to_block(1 + MOTION_DURATION);
        assert_eq!(close(ALICE, 0), Ok(()));
        assert!(governance_events().contains(&Event::MotionDisapproved { motion: 0 }));
        assert!(Tasks::iter().next().is_none());
    });
}

#[test]
fn close_motion_needs_a_signed_origin_and_an_open_motion() {
    new_test_ext().execute(|| {
        assert_eq!(close(ALICE, 0), err(Error::UnknownMotion));
        assert_eq!(propose(ALICE, 2, note(1)), Ok(()));
        assert_eq!(
            dispatch(Call::close_motion { motion: 0 }, Origin::None),
            Err(DispatchError::BadOrigin)
        );
    });
}

#[test]
fn an_approved_cancellation_removes_the_task_and_it_never_runs() {
    new_test_ext().execute(|| {
        let task = schedule_by_motion(note(1));
        assert_eq!(
            dispatch(Call::propose_cancellation { task }, signed(BOB)),
            Ok(())
        );
        assert_eq!(vote(BOB, 1, true), Ok(()));
        assert_eq!(vote(CHARLIE, 1, true), Ok(()));
        assert_eq!(close(DAVE, 1), Ok(()));
        assert!(governance_events().contains(&Event::Cancelled { task }));
        assert!(Governance::task(task).is_none());
        run_to_block(1 + DELAY + 3);
        assert!(enacted().is_empty());
        assert!(noted().is_empty());
        assert_eq!(NextToEnact::get(), 1);
    });
}

#[test]
fn a_cancellation_approved_after_enactment_changes_nothing() {
    new_test_ext().execute(|| {
        let task = schedule_by_motion(note(1));
        assert_eq!(
            dispatch(Call::propose_cancellation { task }, signed(BOB)),
            Ok(())
        );
        run_to_block(1 + DELAY);
        assert_eq!(noted(), vec![1]);
        assert_eq!(vote(BOB, 1, true), Ok(()));
        assert_eq!(vote(CHARLIE, 1, true), Ok(()));
        assert_eq!(close(DAVE, 1), Ok(()));
        assert!(!governance_events().contains(&Event::Cancelled { task }));
    });
}

// ---- start_referendum ----

#[test]
fn anyone_starts_a_referendum_by_holding_the_deposit() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(3)), Ok(()));
        assert_eq!(held(DAVE), DEPOSIT);
        let referendum = Governance::referendum(0).unwrap();
        assert_eq!(referendum.state, ReferendumState::Ongoing);
        assert_eq!(referendum.end, 1 + VOTING_PERIOD);
        assert_eq!(OngoingReferenda::get(), vec![(0, 1 + VOTING_PERIOD)]);
        assert_eq!(
            governance_events(),
            vec![Event::ReferendumStarted {
                referendum: 0,
                proposer: account(DAVE),
                call_hash: call_hash(&note(3)),
                deposit: DEPOSIT,
                end: 1 + VOTING_PERIOD,
            }]
        );
    });
}

#[test]
fn start_referendum_needs_funds_a_valid_call_and_a_free_slot() {
    new_test_ext().execute(|| {
        assert_eq!(
            start(FERDIE, note(1)),
            currency_err(folio_pallet_currency::Error::InsufficientBalance)
        );
        assert_eq!(start(DAVE, vec![9, 9, 9]), err(Error::UndecodableCall));
        assert_eq!(
            start(DAVE, vec![0; MAX_CALL_LEN as usize + 1]),
            err(Error::CallTooLong)
        );
        assert_eq!(
            dispatch(Call::start_referendum { call: note(1) }, Origin::Root),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(ReferendumCount::get(), 0);
        for n in 0..MAX_REFERENDA {
            assert_eq!(start(DAVE, note(n)), Ok(()));
        }
        assert_eq!(start(EVE, note(9)), err(Error::TooManyReferenda));
        assert_eq!(held(EVE), 0);
    });
}

// ---- vote_referendum ----

#[test]
fn a_vote_is_tallied_and_its_balance_frozen() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(start(DAVE, note(2)), Ok(()));
        assert_eq!(vote_ref(EVE, 0, true, 300), Ok(()));
        assert_eq!(vote_ref(EVE, 1, false, 200), Ok(()));
        assert_eq!(vote_ref(ALICE, 0, false, 50), Ok(()));
        // One freeze per account: the largest vote.
        assert_eq!(frozen(EVE), 300);
        assert_eq!(
            Governance::referendum(0).unwrap().tally,
            Tally {
                ayes: 300,
                nays: 50
            }
        );
        // Changing a vote replaces it.
        assert_eq!(vote_ref(EVE, 0, false, 100), Ok(()));
        assert_eq!(
            Governance::referendum(0).unwrap().tally,
            Tally { ayes: 0, nays: 150 }
        );
        assert_eq!(frozen(EVE), 200);
        assert_eq!(
            governance_events().last(),
            Some(&Event::ReferendumVoted {
                referendum: 0,
                voter: account(EVE),
                aye: false,
                balance: 100,
            })
        );
        // The frozen balance cannot leave the account.
        assert_eq!(
            Balances::transfer(&account(EVE), &account(DAVE), 301, Preservation::Expendable),
            Err(module_error(
                6,
                &folio_pallet_currency::Error::LiquidityRestrictions
            ))
        );
    });
}

#[test]
fn vote_referendum_rejects_empty_excessive_and_late_votes() {
    new_test_ext().execute(|| {
        assert_eq!(vote_ref(EVE, 0, true, 10), err(Error::UnknownReferendum));
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(vote_ref(EVE, 0, true, 0), err(Error::ZeroVote));
        assert_eq!(vote_ref(EVE, 0, true, 501), err(Error::InsufficientBalance));
        assert_eq!(
            dispatch(
                Call::vote_referendum {
                    referendum: 0,
                    aye: true,
                    balance: 1
                },
                Origin::Root
            ),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(Call::cancel_referendum { referendum: 0 }, Origin::Root),
            Ok(())
        );
        assert_eq!(vote_ref(EVE, 0, true, 10), err(Error::ReferendumNotOngoing));
        assert_eq!(frozen(EVE), 0);
    });
}

// ---- remove_vote ----

#[test]
fn removing_a_vote_untallies_and_thaws_it() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(vote_ref(EVE, 0, true, 300), Ok(()));
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 0 }, signed(EVE)),
            Ok(())
        );
        assert_eq!(Governance::referendum(0).unwrap().tally, Tally::default());
        assert_eq!(frozen(EVE), 0);
        assert_eq!(
            governance_events().last(),
            Some(&Event::ReferendumVoteRemoved {
                referendum: 0,
                voter: account(EVE)
            })
        );
    });
}

/// A vote freeze overlaps held money, and the pallet holding it may move it away (issue 18:
/// holds stay movable). The freeze then exceeds the voter's total; lowering it, by removing a
/// vote or by the end of the referendum, must still work.
#[test]
fn votes_over_money_moved_out_of_a_hold_can_still_be_removed() {
    new_test_ext().execute(|| {
        let (eve, dave) = (account(EVE), account(DAVE));
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(start(DAVE, note(2)), Ok(()));
        Balances::hold(HoldReason::CrowdfundingCommitment, &eve, 400).unwrap();
        assert_eq!(vote_ref(EVE, 0, true, 300), Ok(()));
        assert_eq!(vote_ref(EVE, 1, true, 490), Ok(()));
        Balances::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            &eve,
            &dave,
            400,
            folio_pallet_support::currency::Arrival::Free,
        )
        .unwrap();
        assert_eq!(Balances::total_balance(&eve), 100);
        assert_eq!(frozen(EVE), 490);
        // A larger vote needs backing; removing one lowers the freeze though it stays above
        // the total.
        assert_eq!(vote_ref(EVE, 0, true, 101), err(Error::InsufficientBalance));
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 1 }, signed(EVE)),
            Ok(())
        );
        assert_eq!(frozen(EVE), 300);
        run_to_block(2 + VOTING_PERIOD);
        assert_eq!(frozen(EVE), 0);
        assert!(Balances::reducible_balance(&eve, Preservation::Expendable) > 0);
    });
}

#[test]
fn after_the_end_removing_a_vote_thaws_it_and_keeps_the_result() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        for who in [ALICE, BOB, CHARLIE] {
            assert_eq!(vote_ref(who, 0, false, 500), Ok(()));
        }
        run_to_block(1 + VOTING_PERIOD);
        // Two of three votes were removed by on_initialize; Charlie's (or another) is left.
        let left: Vec<u8> = [ALICE, BOB, CHARLIE]
            .into_iter()
            .filter(|who| frozen(*who) > 0)
            .collect();
        assert_eq!(left.len(), 1);
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 0 }, signed(left[0])),
            Ok(())
        );
        assert_eq!(frozen(left[0]), 0);
        assert_eq!(
            Governance::referendum(0).unwrap().state,
            ReferendumState::NotPassed
        );
    });
}

#[test]
fn remove_vote_needs_a_vote() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 0 }, signed(EVE)),
            err(Error::UnknownReferendum)
        );
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 0 }, signed(EVE)),
            err(Error::NotVoted)
        );
        assert_eq!(
            dispatch(Call::remove_vote { referendum: 0 }, Origin::Root),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- cancel_referendum ----

#[test]
fn root_cancels_a_referendum_and_its_deposit_and_votes_are_released() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(vote_ref(EVE, 0, true, 400), Ok(()));
        assert_eq!(
            dispatch(Call::cancel_referendum { referendum: 0 }, Origin::Root),
            Ok(())
        );
        assert_eq!(held(DAVE), 0);
        assert_eq!(EndedReferenda::get(), vec![0]);
        assert!(governance_events().contains(&Event::ReferendumCancelled { referendum: 0 }));
        run_to_block(2);
        assert_eq!(frozen(EVE), 0);
        assert!(Governance::referendum(0).is_none());
        assert!(governance_events().contains(&Event::ReferendumCleared { referendum: 0 }));
        run_to_block(1 + VOTING_PERIOD + DELAY);
        assert!(noted().is_empty());
    });
}

#[test]
fn cancel_referendum_needs_root_and_an_ongoing_referendum() {
    new_test_ext().execute(|| {
        let cancel = || Call::cancel_referendum { referendum: 0 };
        assert_eq!(
            dispatch(cancel(), Origin::Root),
            err(Error::UnknownReferendum)
        );
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(
            dispatch(cancel(), signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(dispatch(cancel(), Origin::Root), Ok(()));
        assert_eq!(
            dispatch(cancel(), Origin::Root),
            err(Error::ReferendumNotOngoing)
        );
    });
}

#[test]
fn a_council_motion_can_cancel_a_referendum_as_root() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        let call = MockCall::Governance(Call::cancel_referendum { referendum: 0 });
        let task = schedule_by_motion(call.encoded());
        run_to_block(1 + DELAY);
        assert_eq!(enacted(), vec![(task, Ok(()))]);
        assert_eq!(
            Governance::referendum(0).map(|r| r.state),
            None,
            "cancelled, and without votes cleared at once"
        );
        assert_eq!(held(DAVE), 0);
    });
}

// ---- referendum outcome (on_initialize) ----

#[test]
fn a_referendum_with_majority_and_turnout_passes_and_is_enacted_after_the_delay() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(42)), Ok(()));
        // Issuance 4 520 (with the treasury's ED): 10 % turnout is 452.
        assert_eq!(vote_ref(ALICE, 0, true, 400), Ok(()));
        assert_eq!(vote_ref(EVE, 0, false, 100), Ok(()));
        let end = 1 + VOTING_PERIOD;
        run_to_block(end - 1);
        assert_eq!(held(DAVE), DEPOSIT);
        run_to_block(end);
        assert_eq!(held(DAVE), 0);
        assert!(governance_events().contains(&Event::ReferendumPassed {
            referendum: 0,
            tally: Tally {
                ayes: 400,
                nays: 100
            }
        }));
        let task = Tasks::get(&0).unwrap();
        assert_eq!(task.source, TaskSource::Referendum(0));
        assert_eq!(task.not_before, end + DELAY);
        run_to_block(end + DELAY - 1);
        assert!(noted().is_empty());
        run_to_block(end + DELAY);
        assert_eq!(noted(), vec![42]);
        assert_eq!(enacted(), vec![(0, Ok(()))]);
    });
}

#[test]
fn a_referendum_below_the_turnout_does_not_pass() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(vote_ref(ALICE, 0, true, 451), Ok(()));
        run_to_block(1 + VOTING_PERIOD);
        assert!(governance_events().contains(&Event::ReferendumNotPassed {
            referendum: 0,
            tally: Tally { ayes: 451, nays: 0 }
        }));
        assert_eq!(held(DAVE), 0);
        assert_eq!(TaskCount::get(), 0);
    });
}

#[test]
fn a_tied_referendum_does_not_pass() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        assert_eq!(vote_ref(ALICE, 0, true, 500), Ok(()));
        assert_eq!(vote_ref(BOB, 0, false, 500), Ok(()));
        run_to_block(1 + VOTING_PERIOD);
        assert_eq!(
            Governance::referendum(0).map(|r| r.state),
            None,
            "both votes removed in the end block"
        );
        assert!(governance_events()
            .iter()
            .any(|e| matches!(e, Event::ReferendumNotPassed { referendum: 0, .. })));
        assert_eq!(TaskCount::get(), 0);
    });
}

#[test]
fn votes_of_an_ended_referendum_are_removed_a_bounded_number_per_block() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        for who in [ALICE, BOB, CHARLIE, EVE] {
            assert_eq!(vote_ref(who, 0, true, 100), Ok(()));
        }
        let end = 1 + VOTING_PERIOD;
        run_to_block(end);
        let still_frozen = || {
            [ALICE, BOB, CHARLIE, EVE]
                .into_iter()
                .filter(|who| frozen(*who) > 0)
                .count()
        };
        assert_eq!(still_frozen(), 4 - MAX_VOTE_REMOVALS as usize);
        assert!(Governance::referendum(0).is_some());
        run_to_block(end + 1);
        assert_eq!(still_frozen(), 0);
        assert!(Governance::referendum(0).is_none());
        assert!(EndedReferenda::get().is_empty());
        // The slot is free again.
        assert_eq!(start(DAVE, note(2)), Ok(()));
    });
}

#[test]
fn a_vote_in_another_live_referendum_keeps_its_freeze_after_the_first_ends() {
    new_test_ext().execute(|| {
        assert_eq!(start(DAVE, note(1)), Ok(()));
        run_to_block(5);
        assert_eq!(start(DAVE, note(2)), Ok(()));
        assert_eq!(vote_ref(EVE, 0, true, 400), Ok(()));
        assert_eq!(vote_ref(EVE, 1, true, 150), Ok(()));
        run_to_block(2 + VOTING_PERIOD);
        assert_eq!(frozen(EVE), 150);
        run_to_block(6 + VOTING_PERIOD);
        assert_eq!(frozen(EVE), 0);
    });
}

// ---- scheduler (on_initialize) ----

#[test]
fn a_scheduled_call_runs_as_root_not_before_its_delay() {
    new_test_ext().execute(|| {
        let task = schedule_by_motion(note(9));
        run_to_block(DELAY);
        assert!(noted().is_empty());
        assert!(Governance::task(task).is_some());
        run_to_block(1 + DELAY);
        assert_eq!(noted(), vec![9]);
        assert!(Governance::task(task).is_none());
        assert_eq!(NextToEnact::get(), 1);
    });
}

#[test]
fn a_failing_call_is_reported_and_leaves_no_writes() {
    new_test_ext().execute(|| {
        let task = schedule_by_motion(MockCall::Fail.encoded());
        run_to_block(1 + DELAY);
        assert_eq!(enacted(), vec![(task, Err(DispatchError::Other))]);
        assert!(noted().is_empty());
        assert!(Governance::task(task).is_none());
    });
}

#[test]
fn a_failing_call_does_not_stop_the_calls_after_it_nor_later_blocks() {
    new_test_ext().execute(|| {
        let failing = schedule_by_motion(MockCall::Fail.encoded());
        let after = schedule_by_motion(note(1));
        let unchecked = schedule_by_motion(MockCall::Heavy(u64::MAX).encoded());
        let later = schedule_by_motion(note(2));
        run_to_block(1 + DELAY);
        // The failure is reported, the next due call runs in the same block.
        assert_eq!(
            enacted(),
            vec![(failing, Err(DispatchError::Other)), (after, Ok(()))]
        );
        run_to_block(3 + DELAY);
        // A call declaring more than the enactment weight runs alone; the rest follows.
        assert_eq!(
            enacted().iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            vec![failing, after, unchecked, later]
        );
        assert_eq!(noted(), vec![1, 2]);
        assert_eq!(NextToEnact::get(), TaskCount::get());
    });
}

#[test]
fn at_most_max_enactments_per_block_and_the_rest_carried_over_in_order() {
    new_test_ext().execute(|| {
        let tasks: Vec<TaskId> = (0..3)
            .map(|n| schedule_by_motion(MockCall::Heavy(n).encoded()))
            .collect();
        run_to_block(1 + DELAY);
        assert_eq!(
            enacted().iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            tasks[..2].to_vec()
        );
        run_to_block(2 + DELAY);
        assert_eq!(enacted().iter().map(|(t, _)| *t).collect::<Vec<_>>(), tasks);
    });
}

#[test]
fn enactments_stay_within_the_block_weight_but_the_first_always_runs() {
    new_test_ext().execute(|| {
        schedule_by_motion(MockCall::Heavy(100).encoded());
        schedule_by_motion(note(1));
        schedule_by_motion(MockCall::Heavy(20).encoded());
        run_to_block(1 + DELAY);
        // Heavy(100) exceeds the limit but is first; nothing else fits after it.
        assert_eq!(enacted().len(), 1);
        run_to_block(2 + DELAY);
        // Note (10) runs; Heavy(20) would take the block to 30 > 25.
        assert_eq!(enacted().len(), 2);
        assert_eq!(noted(), vec![1]);
        run_to_block(3 + DELAY);
        assert_eq!(enacted().len(), 3);
    });
}

#[test]
fn on_initialize_reports_the_weight_it_used() {
    new_test_ext().execute(|| {
        schedule_by_motion(MockCall::Heavy(1_000).encoded());
        folio_pallet_system::Number::put(&(1 + DELAY));
        let used = <Governance as Hooks>::on_initialize(1 + DELAY);
        assert!(used.ref_time >= 1_000 + weights::enactment_step().ref_time);
        let idle = <Governance as Hooks>::on_initialize(2 + DELAY);
        assert!(idle.ref_time < used.ref_time);
    });
}

// ---- genesis and metadata ----

#[test]
fn genesis_refuses_duplicate_or_too_many_members() {
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        let config = GenesisConfig {
            members: vec![account(1), account(2), account(1)],
        };
        assert_eq!(
            config.build::<Test>(),
            Err(GenesisError::DuplicateMember(account(1)))
        );
        let config = GenesisConfig {
            members: (0..=MAX_MEMBERS as u8).map(account).collect(),
        };
        assert_eq!(config.build::<Test>(), Err(GenesisError::TooManyMembers));
        assert!(Members::get().is_empty());
    });
}

#[test]
fn genesis_reads_a_chain_spec_and_sorts_the_council() {
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        let json = format!(
            r#"{{"members": ["{}", "{}"]}}"#,
            folio_primitives::ss58::encode(&[2; 32], 42),
            folio_primitives::ss58::encode(&[1; 32], 42)
        );
        let config: GenesisConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(config.build::<Test>(), Ok(()));
        assert_eq!(Members::get(), vec![account(1), account(2)]);
        assert!(serde_json::from_str::<GenesisConfig>(r#"{"members": [], "x": 1}"#).is_err());
    });
}

#[test]
fn metadata_describes_every_storage_item_and_constant() {
    let description = metadata::<Test>();
    assert_eq!(description.name, "Governance");
    assert_eq!(description.index, INDEX);
    assert_eq!(description.storage.len(), 12);
    assert_eq!(description.constants.len(), 15);
    assert!(description
        .storage
        .iter()
        .all(|entry| !entry.docs.is_empty()));
}

#[test]
fn call_and_error_encodings_are_pinned() {
    assert_eq!(
        Call::vote_motion {
            motion: 1,
            approve: true
        }
        .encode(),
        vec![3, 1, 0, 0, 0, 1]
    );
    assert_eq!(
        Call::start_referendum { call: vec![7] }.encode(),
        vec![10, 4, 7]
    );
    assert_eq!(Error::NotVoted.encode(), vec![18]);
    assert_eq!(Event::Cancelled { task: 2 }.encode(), vec![15, 2, 0, 0, 0]);
}

/// The test runtime with a percentage above 100.
struct Misconfigured;

impl folio_pallet_system::Config for Misconfigured {
    const INDEX: u8 = 0;
    const BLOCK_HASH_COUNT: BlockNumber = <Test as folio_pallet_system::Config>::BLOCK_HASH_COUNT;
    const SS58_PREFIX: u16 = 42;
    const BLOCK_WEIGHTS: folio_pallet_system::limits::BlockWeights =
        <Test as folio_pallet_system::Config>::BLOCK_WEIGHTS;
    const BLOCK_LENGTH: folio_pallet_system::limits::BlockLength =
        <Test as folio_pallet_system::Config>::BLOCK_LENGTH;
    type RuntimeEvent = RuntimeEvent;
    fn runtime_version() -> folio_primitives::version::RuntimeVersion {
        <Test as folio_pallet_system::Config>::runtime_version()
    }
}

impl Config for Misconfigured {
    const INDEX: u8 = INDEX;
    type Currency = Balances;
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
    const REFERENDUM_APPROVAL_PERCENT: u32 = 101;
    const REFERENDUM_MIN_TURNOUT_PERCENT: u32 = TURNOUT_PERCENT;
    const ENACTMENT_DELAY: BlockNumber = DELAY;
    const MAX_ENACTMENTS_PER_BLOCK: u32 = MAX_ENACTMENTS;
    const MAX_ENACTMENT_WEIGHT: Weight = MAX_ENACTMENT_WEIGHT;
    const MAX_VOTE_REMOVALS_PER_BLOCK: u32 = MAX_VOTE_REMOVALS;
}

#[test]
fn genesis_refuses_constants_out_of_range() {
    assert_eq!(check_constants::<Test>(), Ok(()));
    folio_primitives::externalities::TestExternalities::default().execute_with(|| {
        assert_eq!(
            GenesisConfig::default().build::<Misconfigured>(),
            Err(GenesisError::InvalidConstant("REFERENDUM_APPROVAL_PERCENT"))
        );
    });
}
