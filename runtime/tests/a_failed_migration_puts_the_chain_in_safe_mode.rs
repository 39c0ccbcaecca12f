//! A migration that fails is rolled back and puts the chain in safe mode instead of halting it:
//! ordinary transactions are refused, governance (here Sudo) still works and can leave safe mode.

mod common;

use common::*;
use folio_pallet_support::storage::StorageMap;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use folio_primitives::transaction_validity::{InvalidTransaction, TransactionValidityError};
use folio_runtime::migrations::{self, Migration};
use folio_runtime::{RuntimeCall, RuntimeEvent};

fn balances_v1() -> Migration {
    Migration {
        pallet: "Balances",
        pallet_index: 6,
        from: 0,
        to: 1,
        run: migrations::balances_v1::migrate,
    }
}

#[test]
fn a_passing_migration_runs_once_and_records_the_version() {
    let mut chain = Chain::dev(Backend::Native);
    chain.ext.execute_with(|| {
        assert_eq!(
            folio_pallet_support::storage_version::on_chain("Balances"),
            0
        );
        migrations::run(&[balances_v1()]);
        assert_eq!(
            folio_pallet_support::storage_version::on_chain("Balances"),
            1
        );
        // Already at 1: it does not run again.
        migrations::run(&[Migration {
            run: || Err("must not run"),
            ..balances_v1()
        }]);
        assert!(!folio_runtime::System::in_safe_mode());
    });
}

#[test]
fn a_failed_migration_puts_the_chain_in_safe_mode() {
    let mut chain = Chain::dev(Backend::Native);
    // Corrupt the state the migration checks: a held balance with no hold behind it.
    let alice = Alice.account_id();
    chain.ext.execute_with(|| {
        folio_pallet_system::Account::mutate(&alice, |account| account.data.reserved = 5);
        migrations::run(&[balances_v1()]);
        assert!(folio_runtime::System::in_safe_mode());
        assert_eq!(
            folio_pallet_support::storage_version::on_chain("Balances"),
            0,
            "rolled back"
        );
    });
    assert!(chain.events().contains(&RuntimeEvent::System(
        folio_pallet_system::Event::SafeModeEntered { pallet_index: 6 }
    )));
    chain.ext.commit_all();

    // Ordinary transactions are refused, from the pool and from blocks.
    let transfer_tx = chain.sign(Bob, transfer(Alice, 1), 0, 0);
    assert_eq!(
        chain.validate(&transfer_tx),
        Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
    );
    let (_, results) = chain.build_block(&[transfer_tx]);
    assert_eq!(
        results,
        vec![Err(TransactionValidityError::Invalid(
            InvalidTransaction::Call
        ))]
    );

    // Governance still works: Sudo leaves safe mode, and transfers flow again.
    let exit = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::System(
            folio_pallet_system::Call::exit_safe_mode,
        )),
    });
    let exit_tx = chain.sign(Alice, exit, 0, 0);
    let (_, results) = chain.build_block(&[exit_tx]);
    assert_eq!(results, vec![Ok(Ok(()))]);
    assert!(chain.events().contains(&RuntimeEvent::System(
        folio_pallet_system::Event::SafeModeExited
    )));
    let transfer_tx = chain.sign(Bob, transfer(Alice, 1), 0, 0);
    let (_, results) = chain.build_block(&[transfer_tx]);
    assert_eq!(results, vec![Ok(Ok(()))]);
}
