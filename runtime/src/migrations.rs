//! Storage migrations: run once, in the first block executed by new code, for each pallet
//! whose stored storage version is the one a migration expects. A migration that fails is
//! rolled back and puts the chain in safe mode (only governance calls) instead of halting it.

use crate::*;
use alloc::vec::Vec;
use folio_pallet_support::storage_version;

/// One migration of one pallet's storage.
pub struct Migration {
    pub pallet: &'static str,
    pub pallet_index: u8,
    pub from: u16,
    pub to: u16,
    pub run: fn() -> Result<Weight, &'static str>,
}

/// The storage version each pallet's code expects, written at genesis.
pub fn current_versions() -> Vec<(&'static str, u16)> {
    alloc::vec![
        ("System", 0),
        ("Timestamp", 0),
        ("Balances", BALANCES_STORAGE_VERSION),
        ("Sudo", 0),
        ("Governance", 0),
        ("Crowdfunding", 0),
        ("Invoices", folio_pallet_einvoice::migrations::v1::TO),
        ("Bills", 0),
    ]
}

#[cfg(not(feature = "upgrade-test"))]
const BALANCES_STORAGE_VERSION: u16 = 0;
#[cfg(feature = "upgrade-test")]
const BALANCES_STORAGE_VERSION: u16 = 1;

/// The migrations this code carries.
pub fn all() -> Vec<Migration> {
    #[cfg(feature = "upgrade-test")]
    {
        alloc::vec![Migration {
            pallet: "Balances",
            pallet_index: pallet_index::BALANCES,
            from: 0,
            to: 1,
            run: balances_v1::migrate,
        }]
    }
    #[cfg(not(feature = "upgrade-test"))]
    {
        alloc::vec![invoices_v1()]
    }
}

/// Invoices v0 → v1 (issue 19): digests, offers and the financed-receivables registry.
#[cfg_attr(feature = "upgrade-test", allow(dead_code))]
fn invoices_v1() -> Migration {
    Migration {
        pallet: "Invoices",
        pallet_index: pallet_index::INVOICES,
        from: folio_pallet_einvoice::migrations::v1::FROM,
        to: folio_pallet_einvoice::migrations::v1::TO,
        run: || folio_pallet_einvoice::migrations::v1::migrate(Timestamp::now()),
    }
}

/// Writes every pallet's current storage version (genesis).
pub fn write_current_versions() {
    for (pallet, version) in current_versions() {
        storage_version::put(pallet, version);
    }
}

/// Runs the migrations that apply, in order; stops at the first failure, which enters safe
/// mode. Returns the weight used.
pub fn run(migrations: &[Migration]) -> Weight {
    let mut weight = Weight::zero();
    for migration in migrations {
        if storage_version::on_chain(migration.pallet) != migration.from {
            continue;
        }
        let outcome: Result<Weight, DispatchError> =
            folio_pallet_support::transactional::with_transaction(|| {
                (migration.run)().map_err(|_| DispatchError::Corruption)
            });
        match outcome {
            Ok(used) => {
                storage_version::put(migration.pallet, migration.to);
                weight = weight.saturating_add(used);
            }
            Err(_) => {
                folio_primitives::io::log(
                    folio_primitives::io::LogLevel::Error,
                    "runtime::migrations",
                    "a migration failed: entering safe mode",
                );
                System::enter_safe_mode(migration.pallet_index);
                break;
            }
        }
    }
    weight
}

/// Balances v1 (carried by the test runtime): checks that every account's held balance is the
/// sum of its holds before declaring the layout current. A mismatch fails the migration.
pub mod balances_v1 {
    use super::*;
    use folio_pallet_support::storage::StorageMap;

    pub fn migrate() -> Result<Weight, &'static str> {
        let mut accounts = 0u64;
        for (who, account) in folio_pallet_system::Account::iter() {
            let held = folio_pallet_currency::Holds::get(&who)
                .iter()
                .fold(0u128, |sum, hold| sum.saturating_add(hold.amount));
            if held != account.data.reserved {
                return Err("held balance differs from the sum of holds");
            }
            accounts = accounts.saturating_add(1);
        }
        Ok(folio_pallet_system::weights::READ.saturating_mul(accounts.saturating_mul(2)))
    }
}
