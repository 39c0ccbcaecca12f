//! Benchmarks of this pallet's calls (see `folio_pallet_support::benchmarking`).

use crate::{Call, Config};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{Benchmark, BenchmarkEnv, BenchmarkError, Setup};

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    Vec::new()
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(_call: &str, _n: u32) -> Setup<Call> {
    Err(BenchmarkError::UnknownBenchmark)
}
