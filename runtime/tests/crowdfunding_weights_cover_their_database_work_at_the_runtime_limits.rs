//! Every crowdfunding call is charged at least the database work it does in its benchmark's
//! worst case, set up with this runtime's own limits (`MAX_LIVE_CHECKPOINTS`, `MAX_BATCH`):
//! the distinct keys its dispatch reads and writes, priced at `READ`/`WRITE`. Calls that change
//! share balances write one record per live checkpoint, so a weight measured with one
//! checkpoint undercharges them (issue 18, "Weights ignore live checkpoints").

use folio_pallet_crowdfunding::ClassId;
use folio_pallet_crowdfunding::ShareClasses;
use folio_pallet_support::benchmarking::BenchmarkError;
use folio_pallet_support::dispatch::CallWeight;
use folio_pallet_support::origin::Origin;
use folio_pallet_support::storage::StorageMap;
use folio_pallet_support::weights::reads_writes;
use folio_primitives::externalities::{
    set_and_run_with_externalities, KeyCounting, OverlayedExt, TestExternalities,
};
use folio_runtime::benchmarks::{self, PENDING};
use folio_runtime::{Runtime, RuntimeCall};
use parity_scale_codec::Decode;
use std::collections::BTreeSet;

/// What one benchmark's dispatch did and was charged.
struct Measured {
    call: RuntimeCall,
    reads: u64,
    writes: u64,
}

/// Sets up `call` with component `n` over the dev genesis, then dispatches it counting keys.
fn measure(call: &str, n: u32) -> Measured {
    let mut ext = TestExternalities::default();
    ext.execute_with(|| {
        let config = folio_runtime::genesis::preset_config(Some(b"development")).expect("preset");
        folio_runtime::genesis::build(&config).expect("dev genesis builds");
    });
    ext.commit_all();
    let whitelist = ext
        .execute_with(|| benchmarks::setup("Crowdfunding", call, n))
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

/// Each benchmark at both ends of its component, as `folio-node benchmark pallet` runs them.
fn worst_cases() -> Vec<(String, u32)> {
    benchmarks::list()
        .into_iter()
        .filter(|listing| listing.pallet == "Crowdfunding")
        .flat_map(|listing| {
            let ends = match listing.component {
                Some((_, min, max)) => vec![min, max],
                None => vec![0],
            };
            ends.into_iter().map(move |n| (listing.call.clone(), n))
        })
        .collect()
}

#[test]
fn crowdfunding_weights_cover_their_database_work() {
    let mut short = Vec::new();
    for (call, n) in worst_cases() {
        let measured = measure(&call, n);
        let charged = measured.call.dispatch_info().weight.ref_time;
        let database = reads_writes(measured.reads, measured.writes).ref_time;
        println!(
            "{call:>24} ({n:>3}): reads {:>4}, writes {:>4}, charged {charged:>14}, database {database:>14}",
            measured.reads, measured.writes
        );
        if charged < database {
            short.push(format!(
                "{call} ({n}): charged {charged} < database {database}"
            ));
        }
    }
    assert!(short.is_empty(), "undercharged: {short:#?}");
}

#[test]
fn balance_changing_benchmarks_find_every_checkpoint_live() {
    let max = <Runtime as folio_pallet_crowdfunding::Config>::MAX_LIVE_CHECKPOINTS;
    for call in ["settle", "transfer_shares", "force_transfer_shares"] {
        let mut ext = TestExternalities::default();
        ext.execute_with(|| {
            let config =
                folio_runtime::genesis::preset_config(Some(b"development")).expect("preset");
            folio_runtime::genesis::build(&config).expect("dev genesis builds");
            benchmarks::setup("Crowdfunding", call, 1).expect("setup");
            let live = (0..8 as ClassId)
                .filter_map(|class| ShareClasses::get(&class))
                .map(|class| class.live_checkpoints.len())
                .max()
                .unwrap_or(0);
            assert_eq!(live, max as usize, "{call}: live checkpoints at the limit");
        });
    }
}
