//! Benchmarks of the System pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! `remark` and `remark_with_event` are linear in the remark's length. `set_code` and
//! `apply_authorized_upgrade` install the candidate the node leaves under
//! [`CANDIDATE_CODE`]; their cost is dominated by reading its version (the host compiles it).

use crate::{Call, Config, Pallet};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{
    account, Benchmark, BenchmarkEnv, BenchmarkError, Setup, CANDIDATE_CODE,
};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// The longest remark measured: the slope is per byte, so the end only needs to be long enough
/// to measure it well.
pub const MAX_REMARK: u32 = 64 * 1024;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::linear("remark", "len", 0, MAX_REMARK),
        Benchmark::new("set_code"),
        Benchmark::linear("remark_with_event", "len", 0, MAX_REMARK),
        Benchmark::new("authorize_upgrade"),
        Benchmark::new("apply_authorized_upgrade"),
        Benchmark::new("exit_safe_mode"),
    ]
}

fn bytes(n: u32) -> Vec<u8> {
    alloc::vec![0x2a; usize::try_from(n).unwrap_or(0)]
}

fn candidate() -> Result<Vec<u8>, BenchmarkError> {
    folio_primitives::io::storage_get(CANDIDATE_CODE)
        .ok_or(BenchmarkError::Setup(DispatchError::CannotLookup))
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, n: u32) -> Setup<Call> {
    let signed = Origin::Signed(account("caller", 0));
    Ok(match call {
        "remark" => (signed, Call::remark { remark: bytes(n) }),
        "remark_with_event" => (signed, Call::remark_with_event { remark: bytes(n) }),
        "set_code" => (Origin::Root, Call::set_code { code: candidate()? }),
        "authorize_upgrade" => (
            Origin::Root,
            Call::authorize_upgrade {
                code_hash: H256([7; 32]),
            },
        ),
        "apply_authorized_upgrade" => {
            let code = candidate()?;
            let code_hash = H256(folio_primitives::io::blake2_256(&code));
            Call::authorize_upgrade { code_hash }.dispatch::<T>(Origin::Root)?;
            (signed, Call::apply_authorized_upgrade { code })
        }
        "exit_safe_mode" => {
            Pallet::<T>::enter_safe_mode(0);
            (Origin::Root, Call::exit_safe_mode)
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, version, Test, SPEC_VERSION};
    use folio_pallet_support::benchmarking::BenchmarkEnv;

    struct Env;
    impl BenchmarkEnv for Env {
        fn fund(_who: &AccountId, _amount: Balance) {}
        fn set_now(_now: Moment) {}
    }

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
                let mut ext = new_test_ext()
                    .into_externalities()
                    .with_runtime_version_reader(Box::new(|_code: &[u8]| {
                        Some(version("folio-test", SPEC_VERSION + 1).encode())
                    }));
                ext.execute_with(|| {
                    folio_primitives::io::storage_set(CANDIDATE_CODE, b"newer code");
                    let (origin, call) = setup::<Test, Env>(benchmark.call, n).unwrap();
                    let result = call.dispatch::<Test>(origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }
}
