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
use folio_primitives::crypto::SignatureKind;
use folio_primitives::externalities::{
    set_and_run_with_externalities, Externalities, OverlayedExt, TestExternalities,
};
use folio_primitives::io::NoOpenTransaction;
use folio_runtime::benchmarks::{self, PENDING};
use folio_runtime::{Runtime, RuntimeCall};
use parity_scale_codec::Decode;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// Counts the distinct keys read and written, as `folio-node benchmark pallet` does.
struct Counting<'a> {
    inner: &'a mut dyn Externalities,
    whitelist: BTreeSet<Vec<u8>>,
    reads: RefCell<BTreeSet<Vec<u8>>>,
    writes: BTreeSet<Vec<u8>>,
}

impl Counting<'_> {
    fn counted(&self, key: &[u8]) -> bool {
        key != PENDING && !self.whitelist.contains(key)
    }
    fn read(&self, key: &[u8]) {
        if self.counted(key) && !self.writes.contains(key) {
            self.reads.borrow_mut().insert(key.to_vec());
        }
    }
    fn write(&mut self, key: &[u8]) {
        if self.counted(key) {
            self.writes.insert(key.to_vec());
        }
    }
}

impl Externalities for Counting<'_> {
    fn storage(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.read(key);
        self.inner.storage(key)
    }
    fn set_storage(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.write(&key);
        self.inner.set_storage(key, value)
    }
    fn clear_storage(&mut self, key: &[u8]) {
        self.write(key);
        self.inner.clear_storage(key)
    }
    fn exists_storage(&self, key: &[u8]) -> bool {
        self.read(key);
        self.inner.exists_storage(key)
    }
    fn clear_prefix(&mut self, prefix: &[u8], limit: Option<u32>) -> u32 {
        let mut cursor = prefix.to_vec();
        let mut seen = 0u32;
        while limit.is_none_or(|l| seen < l) {
            match self.inner.next_storage_key(&cursor) {
                Some(key) if key.starts_with(prefix) => {
                    self.write(&key);
                    cursor = key;
                    seen += 1;
                }
                _ => break,
            }
        }
        self.inner.clear_prefix(prefix, limit)
    }
    fn append_storage(&mut self, key: Vec<u8>, item: Vec<u8>) {
        self.write(&key);
        self.inner.append_storage(key, item)
    }
    fn next_storage_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        let next = self.inner.next_storage_key(key);
        if let Some(next) = &next {
            self.read(next);
        }
        next
    }
    fn storage_root(&mut self) -> [u8; 32] {
        self.inner.storage_root()
    }
    fn start_transaction(&mut self) {
        self.inner.start_transaction()
    }
    fn commit_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        self.inner.commit_transaction()
    }
    fn rollback_transaction(&mut self) -> Result<(), NoOpenTransaction> {
        self.inner.rollback_transaction()
    }
    fn verify(
        &mut self,
        kind: SignatureKind,
        sig: &[u8; 64],
        msg: &[u8],
        public: &[u8; 32],
    ) -> bool {
        self.inner.verify(kind, sig, msg, public)
    }
    fn start_batch_verify(&mut self) {
        self.inner.start_batch_verify()
    }
    fn finish_batch_verify(&mut self) -> bool {
        self.inner.finish_batch_verify()
    }
    fn runtime_version(&mut self, code: &[u8]) -> Option<Vec<u8>> {
        self.inner.runtime_version(code)
    }
}

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
    let mut counting = Counting {
        inner: &mut inner,
        whitelist: whitelist.into_iter().collect(),
        reads: RefCell::default(),
        writes: BTreeSet::new(),
    };
    let result = set_and_run_with_externalities(&mut counting, benchmarks::dispatch);
    assert_eq!(result, Some(Ok(())), "{call} ({n}) dispatches");
    let reads = counting.reads.borrow().len() as u64;
    Measured {
        call: prepared,
        reads,
        writes: counting.writes.len() as u64,
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
