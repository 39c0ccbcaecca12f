//! Benchmarks of the currency pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! Worst cases: every transfer creates its recipient; `transfer_allow_death`, `force_transfer`,
//! `transfer_all` and `burn` also reap the sender (with dust for the treasury where a dust
//! remainder is possible); `force_set_balance` creates the account.

use crate::{AdjustmentDirection, Call, Config, Pallet, TotalIssuance};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;
use folio_primitives::address::MultiAddress;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::new("transfer_allow_death"),
        Benchmark::new("force_transfer"),
        Benchmark::new("transfer_keep_alive"),
        Benchmark::new("transfer_all"),
        Benchmark::new("force_set_balance"),
        Benchmark::new("force_adjust_total_issuance"),
        Benchmark::new("burn"),
    ]
}

/// A funded sender holding 100 existential deposits, and a recipient that does not exist yet.
fn sender_and_new_recipient<T: Config, E: BenchmarkEnv>() -> (AccountId, MultiAddress, Balance) {
    let from = account("sender", 0);
    let balance = T::EXISTENTIAL_DEPOSIT.saturating_mul(100);
    E::fund(&from, balance);
    (from, MultiAddress::Id(account("recipient", 0)), balance)
}

/// Sends all but half an existential deposit: the sender is reaped and its dust goes to the
/// treasury.
fn all_but_dust<T: Config>(balance: Balance) -> Balance {
    balance.saturating_sub(T::EXISTENTIAL_DEPOSIT / 2)
}

/// The state and call of benchmark `call` (`_n` unused: no call has a component).
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, _n: u32) -> Setup<Call> {
    // The treasury exists, so dust lands on an account (as on a live chain).
    if Pallet::<T>::account_data(&T::TREASURY).free == 0 {
        E::fund(&T::TREASURY, T::EXISTENTIAL_DEPOSIT);
    }
    let (from, dest, balance) = sender_and_new_recipient::<T, E>();
    let signed = Origin::Signed(from);
    Ok(match call {
        "transfer_allow_death" => (
            signed,
            Call::transfer_allow_death {
                dest,
                value: all_but_dust::<T>(balance),
            },
        ),
        "force_transfer" => (
            Origin::Root,
            Call::force_transfer {
                source: MultiAddress::Id(from),
                dest,
                value: all_but_dust::<T>(balance),
            },
        ),
        "transfer_keep_alive" => (
            signed,
            Call::transfer_keep_alive {
                dest,
                value: balance / 2,
            },
        ),
        "transfer_all" => (
            signed,
            Call::transfer_all {
                dest,
                keep_alive: false,
            },
        ),
        "force_set_balance" => (
            Origin::Root,
            Call::force_set_balance {
                who: dest,
                new_free: balance,
            },
        ),
        "force_adjust_total_issuance" => {
            // The drift the call exists to repair.
            TotalIssuance::mutate(|issuance| *issuance = issuance.saturating_sub(1));
            (
                Origin::Root,
                Call::force_adjust_total_issuance {
                    direction: AdjustmentDirection::Increase,
                    delta: 1,
                },
            )
        }
        "burn" => (
            signed,
            Call::burn {
                value: all_but_dust::<T>(balance),
                keep_alive: false,
            },
        ),
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, BenchEnv, Test};

    #[test]
    fn every_call_has_a_benchmark() {
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call>(&benchmarks::<
            Test,
        >());
    }

    #[test]
    fn every_benchmark_dispatches_successfully() {
        for benchmark in benchmarks::<Test>() {
            for n in benchmark.points() {
                new_test_ext().execute(|| {
                    let (origin, call) = setup::<Test, BenchEnv>(benchmark.call, n).unwrap();
                    let result = call.dispatch::<Test>(origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }
}
