//! What a benchmark's dispatch reads and writes, counted over the dev genesis with the
//! runtime's own limits, against the weight it is charged: the weight tests of every pallet
//! (crowdfunding, e-invoices, bills) check their calls with it.

use folio_pallet_support::benchmarking::BenchmarkError;
use folio_pallet_support::dispatch::CallWeight;
use folio_pallet_support::origin::Origin;
use folio_pallet_support::weights::reads_writes;
use folio_primitives::externalities::{
    set_and_run_with_externalities, KeyCounting, OverlayedExt, TestExternalities,
};
use folio_runtime::benchmarks::{self, PENDING};
use folio_runtime::RuntimeCall;
use parity_scale_codec::Decode;
use std::collections::BTreeSet;

/// What one benchmark's dispatch did and was charged.
struct Measured {
    call: RuntimeCall,
    reads: u64,
    writes: u64,
}

/// Sets up `pallet`'s `call` with component `n` over the dev genesis, then dispatches it
/// counting keys.
fn measure(pallet: &str, call: &str, n: u32) -> Measured {
    let mut ext = TestExternalities::default();
    ext.execute_with(|| {
        let config = folio_runtime::genesis::preset_config(Some(b"development")).expect("preset");
        folio_runtime::genesis::build(&config).expect("dev genesis builds");
    });
    ext.commit_all();
    let whitelist = ext
        .execute_with(|| benchmarks::setup(pallet, call, n))
        .unwrap_or_else(|e: BenchmarkError| panic!("{call} ({n}) setup: {e:?}"));
    ext.commit_all();
    let pending = ext
        .backend
        .0
        .get(PENDING)
        .expect("a call is pending")
        .clone();
    let (_, prepared) = <(Origin, RuntimeCall)>::decode(&mut &pending[..]).expect("decodes");
    let mut overlay = Default::default();
    let mut inner = OverlayedExt::new(&ext.backend, &mut overlay, None);
    let uncounted: BTreeSet<Vec<u8>> = whitelist.into_iter().collect();
    let mut counting = KeyCounting::new(&mut inner, &uncounted, PENDING);
    let result = set_and_run_with_externalities(&mut counting, benchmarks::dispatch);
    assert_eq!(result, Some(Ok(())), "{call} ({n}) dispatches");
    let (reads, writes) = counting.counts();
    Measured {
        call: prepared,
        reads,
        writes,
    }
}

/// Each of `pallet`'s benchmarks at both ends of its component, as `folio-node benchmark
/// pallet` runs them.
fn worst_cases(pallet: &str) -> Vec<(String, u32)> {
    benchmarks::list()
        .into_iter()
        .filter(|listing| listing.pallet == pallet)
        .flat_map(|listing| {
            let ends = match listing.component {
                Some((_, min, max)) => vec![min, max],
                None => vec![0],
            };
            ends.into_iter().map(move |n| (listing.call.clone(), n))
        })
        .collect()
}

/// Every short weight of `pallet`, with its counts printed for the weights file.
pub fn undercharged(pallet: &str) -> Vec<String> {
    let mut short = Vec::new();
    for (call, n) in worst_cases(pallet) {
        let measured = measure(pallet, &call, n);
        let charged = measured.call.dispatch_info().weight.ref_time;
        let database = reads_writes(measured.reads, measured.writes).ref_time;
        println!(
            "{pallet}.{call:>24} ({n:>3}): reads {:>4}, writes {:>4}, charged {charged:>14}, database {database:>14}",
            measured.reads, measured.writes
        );
        if charged < database {
            short.push(format!(
                "{call} ({n}): charged {charged} < database {database}"
            ));
        }
    }
    short
}
