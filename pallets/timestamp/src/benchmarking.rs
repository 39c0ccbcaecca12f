//! Benchmarks of the Timestamp pallet's call (see `folio_pallet_support::benchmarking`).

use crate::{Call, Config, Now};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![Benchmark::new("set")]
}

/// The state and call of benchmark `call`: the block's time, one period after the last.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, _n: u32) -> Setup<Call> {
    match call {
        "set" => {
            let now = Now::get().saturating_add(T::minimum_period());
            Ok((Origin::None, Call::set { now }))
        }
        _ => Err(BenchmarkError::UnknownBenchmark),
    }
}
