//! A runtime entry point fed random bytes, as `state_call` would: the first byte picks the
//! method, the rest is its input, dispatched natively on the dev chain's genesis state. A
//! runtime API must answer an error for bad input, never panic.
#![no_main]

use folio_primitives::externalities::TestExternalities;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Entry points that run whole blocks or build genesis: slow per input and refused on safe
/// RPC; the others are what a public node answers.
const SKIPPED: &[&str] = &["Core_execute_block", "GenesisBuilder_build_state"];

fn genesis() -> &'static BTreeMap<Vec<u8>, Vec<u8>> {
    static GENESIS: OnceLock<BTreeMap<Vec<u8>, Vec<u8>>> = OnceLock::new();
    GENESIS.get_or_init(|| {
        let patch = folio_runtime::genesis::preset(Some(b"development")).expect("dev preset");
        let mut ext = TestExternalities::default();
        ext.execute_with(|| folio_runtime::genesis::build_state(&patch))
            .expect("genesis builds");
        ext.commit_all();
        ext.snapshot()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let methods: Vec<&str> = folio_runtime::apis::METHODS
        .iter()
        .copied()
        .filter(|m| !SKIPPED.contains(m))
        .collect();
    let method = methods[usize::from(pick) % methods.len()];
    let mut ext = TestExternalities::new(genesis().clone());
    let _ = ext.execute_with(|| folio_runtime::apis::call(method, input));
});
