//! Benchmarks of the sudo pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! The wrapped call's own weight is added to sudo's at dispatch, so the wrapped call here is
//! the runtime's cheapest ([`NoopCall`]); its dispatch is inside the measured time, which makes
//! the figures a slight overestimate.

use crate::{Call, Config, Key};
use alloc::boxed::Box;
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;
use folio_primitives::address::MultiAddress;

/// The runtime's cheapest call, for sudo to wrap.
pub trait NoopCall {
    fn noop() -> Self;
}

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::new("sudo"),
        Benchmark::new("sudo_unchecked_weight"),
        Benchmark::new("set_key"),
        Benchmark::new("sudo_as"),
        Benchmark::new("remove_key"),
    ]
}

/// The state and call of benchmark `call`: a sudo key exists and signs.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, _n: u32) -> Setup<Call<T::RuntimeCall>>
where
    T::RuntimeCall: NoopCall,
{
    let key = account("sudo", 0);
    Key::put(&key);
    let origin = Origin::Signed(key);
    let inner = || Box::new(T::RuntimeCall::noop());
    let other = MultiAddress::Id(account("other", 0));
    Ok(match call {
        "sudo" => (origin, Call::sudo { call: inner() }),
        "sudo_unchecked_weight" => (
            origin,
            Call::sudo_unchecked_weight {
                call: inner(),
                weight: Weight::zero(),
            },
        ),
        "set_key" => (origin, Call::set_key { new: other }),
        "sudo_as" => (
            origin,
            Call::sudo_as {
                who: other,
                call: inner(),
            },
        ),
        "remove_key" => (origin, Call::remove_key),
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, RuntimeCall, Test};

    struct Env;
    impl BenchmarkEnv for Env {
        fn fund(_who: &AccountId, _amount: Balance) {}
        fn set_now(_now: Moment) {}
    }

    #[test]
    fn every_call_has_a_benchmark() {
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call<RuntimeCall>>(
            &benchmarks::<Test>(),
        );
    }

    #[test]
    fn every_benchmark_dispatches_successfully() {
        for benchmark in benchmarks::<Test>() {
            new_test_ext().execute(|| {
                let (origin, call) = setup::<Test, Env>(benchmark.call, 0).unwrap();
                let result = call.dispatch::<Test>(origin);
                assert!(result.is_ok(), "{}: {result:?}", benchmark.call);
            });
        }
    }
}
