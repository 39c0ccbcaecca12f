use crate::mock::*;
use crate::*;
use folio_pallet_support::currency::{Arrival, Currency as _, Preservation};
use folio_pallet_system::Account;
use folio_primitives::address::MultiAddress;

type Balances = Pallet<Test>;

fn free(who: u8) -> Balance {
    Balances::free_balance(&account(who))
}

fn id(who: u8) -> MultiAddress {
    MultiAddress::Id(account(who))
}

fn dispatch(call: Call, origin: Origin) -> DispatchResult {
    call.dispatch::<Test>(origin)
        .map(|_| ())
        .map_err(|e| e.error)
}

fn signed(who: u8) -> Origin {
    Origin::Signed(account(who))
}

fn err(e: Error) -> DispatchResult {
    Err(module_error(6, &e))
}

// ---- transfer_allow_death ----

#[test]
fn transfer_allow_death_moves_money_and_emits_transfer() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(BOB),
                    value: 300
                },
                signed(ALICE)
            ),
            Ok(())
        );
        assert_eq!((free(ALICE), free(BOB)), (700, 400));
        assert_eq!(
            balance_events(),
            vec![Event::Transfer {
                from: account(ALICE),
                to: account(BOB),
                amount: 300
            }]
        );
    });
}

#[test]
fn transfer_allow_death_reaps_the_sender_and_sends_dust_to_the_treasury() {
    new_test_ext().execute(|| {
        let treasury_before = Balances::free_balance(&TREASURY);
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(CHARLIE),
                    value: 95
                },
                signed(BOB)
            ),
            Ok(())
        );
        assert!(!Account::contains_key(&account(BOB)));
        assert_eq!(free(CHARLIE), 95);
        assert_eq!(Balances::free_balance(&TREASURY), treasury_before + 5);
        let events = balance_events();
        assert!(events.contains(&Event::DustLost {
            account: account(BOB),
            amount: 5
        }));
        assert!(events.contains(&Event::Endowed {
            account: account(CHARLIE),
            free_balance: 95
        }));
    });
}

#[test]
fn transfer_allow_death_fails_without_funds_and_changes_nothing() {
    new_test_ext().execute(|| {
        let before = Account::get(&account(BOB));
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(ALICE),
                    value: 101
                },
                signed(BOB)
            ),
            err(Error::InsufficientBalance)
        );
        assert_eq!(Account::get(&account(BOB)), before);
        assert!(balance_events().is_empty());
    });
}

#[test]
fn transfer_below_existential_deposit_to_a_new_account_fails() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(CHARLIE),
                    value: ED - 1
                },
                signed(ALICE)
            ),
            err(Error::ExistentialDeposit)
        );
        assert_eq!(free(ALICE), 1_000);
    });
}

#[test]
fn transfer_needs_a_signed_origin_and_a_resolvable_address() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(BOB),
                    value: 1
                },
                Origin::Root
            ),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: MultiAddress::Address20([1; 20]),
                    value: 1
                },
                signed(ALICE)
            ),
            err(Error::UnknownAddress)
        );
    });
}

// ---- transfer_keep_alive ----

#[test]
fn transfer_keep_alive_keeps_the_existential_deposit() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_keep_alive {
                    dest: id(ALICE),
                    value: 90
                },
                signed(BOB)
            ),
            Ok(())
        );
        assert_eq!(free(BOB), 10);
    });
}

#[test]
fn transfer_keep_alive_refuses_to_reap() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_keep_alive {
                    dest: id(ALICE),
                    value: 91
                },
                signed(BOB)
            ),
            err(Error::Expendability)
        );
        assert_eq!(free(BOB), 100);
    });
}

// ---- transfer_all ----

#[test]
fn transfer_all_empties_the_account() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_all {
                    dest: id(ALICE),
                    keep_alive: false
                },
                signed(BOB)
            ),
            Ok(())
        );
        assert!(!Account::contains_key(&account(BOB)));
        assert_eq!(free(ALICE), 1_100);
    });
}

#[test]
fn transfer_all_keep_alive_leaves_the_deposit_and_respects_holds() {
    new_test_ext().execute(|| {
        Balances::hold(HoldReason::BillMargin, &account(BOB), 30).unwrap();
        assert_eq!(
            dispatch(
                Call::transfer_all {
                    dest: id(ALICE),
                    keep_alive: false
                },
                signed(BOB)
            ),
            Ok(())
        );
        // The hold keeps the account alive and the deposit free beside it (so the hold stays
        // movable); everything else went.
        assert_eq!(free(BOB), ED);
        assert_eq!(
            Balances::balance_on_hold(HoldReason::BillMargin, &account(BOB)),
            30
        );
    });
}

#[test]
fn transfer_all_fails_for_unsigned_origin() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::transfer_all {
                    dest: id(ALICE),
                    keep_alive: true
                },
                Origin::None
            ),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- burn ----

#[test]
fn burn_reduces_issuance() {
    new_test_ext().execute(|| {
        let issuance = TotalIssuance::get();
        assert_eq!(
            dispatch(
                Call::burn {
                    value: 100,
                    keep_alive: true
                },
                signed(ALICE)
            ),
            Ok(())
        );
        assert_eq!(TotalIssuance::get(), issuance - 100);
        assert!(balance_events().contains(&Event::Burned {
            who: account(ALICE),
            amount: 100
        }));
    });
}

#[test]
fn burn_keep_alive_refuses_to_reap() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::burn {
                    value: 95,
                    keep_alive: true
                },
                signed(BOB)
            ),
            err(Error::Expendability)
        );
        assert_eq!(
            dispatch(
                Call::burn {
                    value: 101,
                    keep_alive: false
                },
                signed(BOB)
            ),
            err(Error::InsufficientBalance)
        );
    });
}

// ---- force_transfer ----

#[test]
fn force_transfer_moves_from_any_account_for_root() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::force_transfer {
                    source: id(ALICE),
                    dest: id(BOB),
                    value: 10
                },
                Origin::Root
            ),
            Ok(())
        );
        assert_eq!(free(BOB), 110);
    });
}

#[test]
fn force_transfer_is_root_only() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::force_transfer {
                    source: id(ALICE),
                    dest: id(BOB),
                    value: 10
                },
                signed(BOB)
            ),
            Err(DispatchError::BadOrigin)
        );
        assert_eq!(free(ALICE), 1_000);
    });
}

// ---- force_set_balance ----

#[test]
fn force_set_balance_follows_with_issuance() {
    new_test_ext().execute(|| {
        let issuance = TotalIssuance::get();
        assert_eq!(
            dispatch(
                Call::force_set_balance {
                    who: id(BOB),
                    new_free: 250
                },
                Origin::Root
            ),
            Ok(())
        );
        assert_eq!(free(BOB), 250);
        assert_eq!(TotalIssuance::get(), issuance + 150);
        assert_eq!(
            dispatch(
                Call::force_set_balance {
                    who: id(BOB),
                    new_free: ED - 1
                },
                Origin::Root
            ),
            Ok(())
        );
        assert!(!Account::contains_key(&account(BOB)));
        assert_eq!(TotalIssuance::get(), issuance - 100);
        assert!(balance_events().contains(&Event::BalanceSet {
            who: account(BOB),
            free: 0
        }));
    });
}

#[test]
fn force_set_balance_is_root_only_and_keeps_held_accounts() {
    new_test_ext().execute(|| {
        assert_eq!(
            dispatch(
                Call::force_set_balance {
                    who: id(BOB),
                    new_free: 1
                },
                signed(ALICE)
            ),
            Err(DispatchError::BadOrigin)
        );
        Balances::hold(HoldReason::BillMargin, &account(BOB), 5).unwrap();
        assert_eq!(
            dispatch(
                Call::force_set_balance {
                    who: id(BOB),
                    new_free: 0
                },
                Origin::Root
            ),
            err(Error::Expendability)
        );
    });
}

// ---- force_adjust_total_issuance ----

#[test]
fn force_adjust_total_issuance_changes_only_the_issuance() {
    new_test_ext().execute(|| {
        let old = TotalIssuance::get();
        let call = |direction, delta| Call::force_adjust_total_issuance { direction, delta };
        assert_eq!(
            dispatch(call(AdjustmentDirection::Increase, 7), Origin::Root),
            Ok(())
        );
        assert_eq!(TotalIssuance::get(), old + 7);
        assert!(balance_events().contains(&Event::TotalIssuanceForced { old, new: old + 7 }));
        // Undo it so the invariant (issuance = Σ balances) holds again for the check after.
        assert_eq!(
            dispatch(call(AdjustmentDirection::Decrease, 7), Origin::Root),
            Ok(())
        );
        assert_eq!(TotalIssuance::get(), old);
    });
}

#[test]
fn force_adjust_total_issuance_refuses_zero_underflow_and_non_root() {
    new_test_ext().execute(|| {
        let call = |direction, delta| Call::force_adjust_total_issuance { direction, delta };
        assert_eq!(
            dispatch(call(AdjustmentDirection::Increase, 0), Origin::Root),
            err(Error::DeltaZero)
        );
        assert_eq!(
            dispatch(
                call(AdjustmentDirection::Decrease, Balance::MAX),
                Origin::Root
            ),
            err(Error::IssuanceOutOfRange)
        );
        assert_eq!(
            dispatch(call(AdjustmentDirection::Increase, 1), signed(ALICE)),
            Err(DispatchError::BadOrigin)
        );
    });
}

// ---- holds ----

#[test]
fn hold_and_release_move_between_free_and_reserved() {
    new_test_ext().execute(|| {
        let alice = account(ALICE);
        Balances::hold(HoldReason::CrowdfundingCommitment, &alice, 300).unwrap();
        let data = Balances::account_data(&alice);
        assert_eq!((data.free, data.reserved), (700, 300));
        assert_eq!(Balances::total_balance(&alice), 1_000);
        Balances::release(HoldReason::CrowdfundingCommitment, &alice, 100).unwrap();
        assert_eq!(
            Balances::balance_on_hold(HoldReason::CrowdfundingCommitment, &alice),
            200
        );
        assert!(balance_events().contains(&Event::Held {
            reason: HoldReason::CrowdfundingCommitment,
            who: alice,
            amount: 300
        }));
    });
}

#[test]
fn hold_fails_beyond_free_balance_or_max_holds() {
    new_test_ext().execute(|| {
        let alice = account(ALICE);
        assert_eq!(
            Balances::hold(HoldReason::BillMargin, &alice, 1_001),
            err(Error::InsufficientBalance)
        );
        for reason in [
            HoldReason::BillMargin,
            HoldReason::DividendFunds,
            HoldReason::PendingDelivery,
        ] {
            Balances::hold(reason, &alice, 1).unwrap();
        }
        assert_eq!(
            Balances::hold(HoldReason::GovernanceDeposit, &alice, 1),
            err(Error::TooManyHolds)
        );
        assert_eq!(
            Balances::release(HoldReason::GovernanceDeposit, &alice, 1),
            err(Error::InsufficientBalance)
        );
        assert_eq!(
            Balances::hold(HoldReason::BillMargin, &account(9), 1),
            err(Error::DeadAccount)
        );
    });
}

#[test]
fn transfer_on_hold_delivers_versus_payment() {
    new_test_ext().execute(|| {
        let (alice, bob) = (account(ALICE), account(BOB));
        Balances::hold(HoldReason::PendingDelivery, &alice, 400).unwrap();
        Balances::transfer_on_hold(
            HoldReason::PendingDelivery,
            &alice,
            &bob,
            150,
            Arrival::Free,
        )
        .unwrap();
        assert_eq!(free(BOB), 250);
        Balances::transfer_on_hold(
            HoldReason::PendingDelivery,
            &alice,
            &bob,
            50,
            Arrival::OnHold,
        )
        .unwrap();
        assert_eq!(
            Balances::balance_on_hold(HoldReason::PendingDelivery, &bob),
            50
        );
        assert_eq!(
            Balances::balance_on_hold(HoldReason::PendingDelivery, &alice),
            200
        );
        assert_eq!(
            Balances::transfer_on_hold(
                HoldReason::PendingDelivery,
                &alice,
                &bob,
                201,
                Arrival::Free
            ),
            err(Error::InsufficientBalance)
        );
    });
}

#[test]
fn a_hold_cannot_take_the_deposit_out_of_the_free_balance() {
    with_balances(&[(ALICE, 1_000), (BOB, 100)]).execute(|| {
        let bob = account(BOB);
        assert_eq!(
            Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 100),
            err(Error::Expendability)
        );
        assert_eq!(
            Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 100 - ED + 1),
            err(Error::Expendability)
        );
        Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 100 - ED).unwrap();
        assert_eq!(free(BOB), ED);
    });
}

#[test]
fn transfer_on_hold_of_a_whole_hold_keeps_the_source_alive() {
    with_balances(&[(ALICE, 1_000), (BOB, 100)]).execute(|| {
        let (alice, bob) = (account(ALICE), account(BOB));
        Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 90).unwrap();
        Balances::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            &bob,
            &alice,
            90,
            Arrival::Free,
        )
        .unwrap();
        assert!(!Holds::contains_key(&bob));
        assert_eq!(free(BOB), ED);
        assert_eq!(free(ALICE), 1_090);
    });
}

/// The issue-18 scenario, first trick: the owner freezes (votes with) nearly his whole
/// balance, held money included. The pallet still moves the hold; the freeze then exceeds
/// the total and stops the owner, not the pallet.
#[test]
fn a_freeze_over_held_money_does_not_block_moving_the_hold() {
    with_balances(&[(ALICE, 1_000), (BOB, 200)]).execute(|| {
        let (alice, bob) = (account(ALICE), account(BOB));
        Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 150).unwrap();
        Balances::set_freeze(FreezeReason::GovernanceVote, &bob, 195).unwrap();
        Balances::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            &bob,
            &alice,
            150,
            Arrival::Free,
        )
        .unwrap();
        assert_eq!(free(ALICE), 1_150);
        assert_eq!(Balances::account_data(&bob).frozen, 195);
        assert_eq!(
            Balances::reducible_balance(&bob, Preservation::Expendable),
            0
        );
        assert_eq!(
            Balances::do_transfer(&bob, &alice, 1, Preservation::Expendable),
            err(Error::LiquidityRestrictions)
        );
        // The freeze's owner can still lower it (a vote removed) although it is above the total.
        Balances::set_freeze(FreezeReason::GovernanceVote, &bob, 100).unwrap();
        assert_eq!(
            Balances::set_freeze(FreezeReason::GovernanceVote, &bob, 101),
            err(Error::InsufficientBalance)
        );
        invariants::check_invariants::<Test>().unwrap();
    });
}

/// The issue-18 scenario, second trick: a 1-planck hold elsewhere, then everything free moved
/// out. The deposit stays free, so the commitment is still movable in full.
#[test]
fn another_hold_and_transfers_out_do_not_block_moving_a_hold() {
    with_balances(&[(ALICE, 1_000), (BOB, 200)]).execute(|| {
        let (alice, bob) = (account(ALICE), account(BOB));
        Balances::hold(HoldReason::CrowdfundingCommitment, &bob, 150).unwrap();
        Balances::hold(HoldReason::BillMargin, &bob, 1).unwrap();
        let movable = Balances::reducible_balance(&bob, Preservation::Expendable);
        assert_eq!(movable, 49 - ED);
        assert_eq!(
            Balances::do_transfer(&bob, &alice, movable + 1, Preservation::Expendable),
            err(Error::Expendability)
        );
        Balances::do_transfer(&bob, &alice, movable, Preservation::Expendable).unwrap();
        Balances::transfer_on_hold(
            HoldReason::CrowdfundingCommitment,
            &bob,
            &alice,
            150,
            Arrival::Free,
        )
        .unwrap();
        assert_eq!(free(BOB), ED);
        assert_eq!(Balances::balance_on_hold(HoldReason::BillMargin, &bob), 1);
        invariants::check_invariants::<Test>().unwrap();
    });
}

// ---- freezes ----

#[test]
fn freezes_floor_the_total() {
    new_test_ext().execute(|| {
        let alice = account(ALICE);
        Balances::set_freeze(FreezeReason::GovernanceVote, &alice, 600).unwrap();
        Balances::set_freeze(FreezeReason::Vesting, &alice, 300).unwrap();
        assert_eq!(Balances::account_data(&alice).frozen, 600);
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(BOB),
                    value: 401
                },
                signed(ALICE)
            ),
            err(Error::LiquidityRestrictions)
        );
        assert_eq!(
            dispatch(
                Call::transfer_allow_death {
                    dest: id(BOB),
                    value: 400
                },
                signed(ALICE)
            ),
            Ok(())
        );
        Balances::thaw(FreezeReason::GovernanceVote, &alice);
        assert_eq!(Balances::account_data(&alice).frozen, 300);
        assert_eq!(
            Balances::reducible_balance(&alice, Preservation::Expendable),
            300
        );
    });
}

#[test]
fn freeze_beyond_total_or_max_freezes_fails() {
    new_test_ext().execute(|| {
        let alice = account(ALICE);
        assert_eq!(
            Balances::set_freeze(FreezeReason::Vesting, &alice, 1_001),
            err(Error::InsufficientBalance)
        );
        assert_eq!(
            Balances::set_freeze(FreezeReason::Vesting, &account(9), 1),
            err(Error::DeadAccount)
        );
    });
}

// ---- fees ----

#[test]
fn fees_are_withdrawn_refunded_and_paid_to_the_treasury() {
    new_test_ext().execute(|| {
        let alice = account(ALICE);
        let issuance = TotalIssuance::get();
        let treasury = Balances::free_balance(&TREASURY);
        fees::withdraw_fee::<Test>(&alice, 50).unwrap();
        assert_eq!(free(ALICE), 950);
        fees::settle_fee::<Test>(&alice, 50, 30, 2);
        assert_eq!(free(ALICE), 970);
        assert_eq!(Balances::free_balance(&TREASURY), treasury + 30);
        assert_eq!(TotalIssuance::get(), issuance);
        assert!(all_events().contains(&RuntimeEvent::TransactionPayment(
            FeeEvent::TransactionFeePaid {
                who: alice,
                actual_fee: 30,
                tip: 2
            }
        )));
    });
}

#[test]
fn fees_never_reap_the_payer() {
    new_test_ext().execute(|| {
        let bob = account(BOB);
        assert_eq!(
            fees::withdraw_fee::<Test>(&bob, 91),
            Err(folio_primitives::transaction_validity::InvalidTransaction::Payment)
        );
        assert_eq!(free(BOB), 100);
        assert_eq!(fees::withdraw_fee::<Test>(&bob, 90), Ok(()));
        fees::settle_fee::<Test>(&bob, 90, 90, 0);
    });
}

#[test]
fn fee_grows_with_length_weight_and_tip() {
    let info = DispatchInfo {
        weight: Weight::from_parts(1_000_000_000, 0),
        ..Default::default()
    };
    let small = fees::compute_fee::<Test>(100, &info, 0);
    assert!(fees::compute_fee::<Test>(200, &info, 0) > small);
    assert_eq!(fees::compute_fee::<Test>(100, &info, 7), small + 7);
    let free_call = DispatchInfo {
        pays_fee: Pays::No,
        ..info
    };
    assert_eq!(fees::compute_fee::<Test>(100, &free_call, 7), 7);
}

// ---- genesis ----

#[test]
fn genesis_endows_accounts_and_the_treasury() {
    new_test_ext().execute(|| {
        assert_eq!(free(ALICE), 1_000);
        assert_eq!(Balances::free_balance(&TREASURY), ED);
        assert_eq!(TotalIssuance::get(), 1_100 + ED);
    });
}

#[test]
fn genesis_rejects_duplicates_and_dust() {
    folio_pallet_support::testing::StateBuilder::new().execute(|| {
        let dup = GenesisConfig {
            balances: vec![(account(1), 100), (account(1), 100)],
        };
        assert_eq!(
            dup.build::<Test>(),
            Err(GenesisError::DuplicateAccount(account(1)))
        );
        let dust = GenesisConfig {
            balances: vec![(account(1), ED - 1)],
        };
        assert_eq!(
            dust.build::<Test>(),
            Err(GenesisError::BelowExistentialDeposit(account(1)))
        );
        assert_eq!(TotalIssuance::get(), 0, "a refused genesis writes nothing");
    });
}

#[test]
fn genesis_config_reads_ss58_json() {
    let json = r#"{"balances":[["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",1000000000000000000000]]}"#;
    let config: GenesisConfig = serde_json::from_str(json).unwrap();
    assert_eq!(config.balances[0].1, 1_000_000_000_000_000_000_000);
    assert_eq!(
        config.balances[0].0,
        folio_primitives::keyring::Keyring::Alice.account_id()
    );
}

// ---- encoding ----

#[test]
fn call_indices_match_frame() {
    let bob = id(BOB);
    assert_eq!(
        Call::transfer_allow_death {
            dest: bob.clone(),
            value: 1
        }
        .encode()[0],
        0
    );
    assert_eq!(
        Call::force_transfer {
            source: bob.clone(),
            dest: bob.clone(),
            value: 1
        }
        .encode()[0],
        2
    );
    assert_eq!(
        Call::transfer_keep_alive {
            dest: bob.clone(),
            value: 12345
        }
        .encode()[..2],
        [3, 0]
    );
    assert_eq!(
        Call::transfer_all {
            dest: bob.clone(),
            keep_alive: true
        }
        .encode()[0],
        4
    );
    assert_eq!(
        Call::force_set_balance {
            who: bob,
            new_free: 1
        }
        .encode()[0],
        8
    );
    assert_eq!(
        Call::force_adjust_total_issuance {
            direction: AdjustmentDirection::Increase,
            delta: 1
        }
        .encode()[0],
        9
    );
    assert_eq!(
        Call::burn {
            value: 1,
            keep_alive: false
        }
        .encode()[0],
        10
    );
    // value is compact: 12345 → 0xe5c0.
    let encoded = Call::transfer_keep_alive {
        dest: id(BOB),
        value: 12345,
    }
    .encode();
    assert_eq!(&encoded[encoded.len() - 2..], &[0xe5, 0xc0]);
}
