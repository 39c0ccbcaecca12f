//! Every crowdfunding call is charged at least the database work it does in its benchmark's
//! worst case, set up with this runtime's own limits (`MAX_LIVE_CHECKPOINTS`, `MAX_BATCH`):
//! the distinct keys its dispatch reads and writes, priced at `READ`/`WRITE`. Calls that change
//! share balances write one record per live checkpoint, so a weight measured with one
//! checkpoint undercharges them (issue 18, "Weights ignore live checkpoints").

mod common;

use common::weights::undercharged;
use folio_pallet_crowdfunding::ClassId;
use folio_pallet_crowdfunding::ShareClasses;
use folio_pallet_support::storage::StorageMap;
use folio_primitives::externalities::TestExternalities;
use folio_runtime::benchmarks;
use folio_runtime::Runtime;

#[test]
fn crowdfunding_weights_cover_their_database_work() {
    let short = undercharged("Crowdfunding");
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
