//! polkadot-js builds `api.call.*` and PAPI/Dedot their typed runtime calls from V15/V16's
//! `apis`: an exported method missing there is invisible to them
//! (`api.call.transactionPaymentApi.queryFeeDetails is not a function`). Every function the
//! wasm runtime exports, except the node's own `Folio*` entries, must be described in V15 and
//! V16, and only those.

use folio_primitives::externalities::TestExternalities;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Decode, Encode};
use std::collections::BTreeSet;

/// Entry points the node calls itself (batched authoring, pool admission, invariants,
/// benchmarks); no client calls them, so they stay out of the metadata.
const NODE_INTERNAL_PREFIX: &str = "Folio";

/// Functions of the host ABI, not runtime APIs: the executor calls `folio_alloc` to place a
/// call's input in the runtime's memory (`runtime/src/wasm.rs`).
const HOST_ABI: &[&str] = &["folio_alloc"];

fn served(version: u32) -> RuntimeMetadata {
    let out = TestExternalities::default()
        .execute_with(|| {
            folio_runtime::apis::call("Metadata_metadata_at_version", &version.encode())
        })
        .expect("api call");
    let bytes = Option::<Vec<u8>>::decode(&mut &out[..])
        .expect("Option<OpaqueMetadata>")
        .unwrap_or_else(|| panic!("V{version} is served"));
    RuntimeMetadataPrefixed::decode(&mut &bytes[..])
        .expect("metadata decodes")
        .1
}

/// `Api_method` for every method of V15's or V16's `apis`.
fn described(version: u32) -> BTreeSet<String> {
    let names: Vec<(String, String)> = match served(version) {
        RuntimeMetadata::V15(m) => m
            .apis
            .iter()
            .flat_map(|api| {
                api.methods
                    .iter()
                    .map(|m| (api.name.clone(), m.name.clone()))
            })
            .collect(),
        RuntimeMetadata::V16(m) => m
            .apis
            .iter()
            .flat_map(|api| {
                api.methods
                    .iter()
                    .map(|m| (api.name.clone(), m.name.clone()))
            })
            .collect(),
        _ => panic!("V{version} has no runtime APIs"),
    };
    names
        .into_iter()
        .map(|(api, method)| format!("{api}_{method}"))
        .collect()
}

/// Reads an unsigned LEB128 number (what wasm uses for lengths and indices).
fn leb128(bytes: &[u8], at: &mut usize) -> usize {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return value;
        }
        shift += 7;
    }
}

/// The names of the functions a wasm module exports (its export section, id 7, kind 0).
fn function_exports(wasm: &[u8]) -> BTreeSet<String> {
    assert_eq!(&wasm[..4], b"\0asm", "a wasm module");
    let mut exports = BTreeSet::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb128(wasm, &mut at);
        let end = at + size;
        if id == 7 {
            let mut p = at;
            for _ in 0..leb128(wasm, &mut p) {
                let len = leb128(wasm, &mut p);
                let name = std::str::from_utf8(&wasm[p..p + len]).expect("utf-8 export name");
                p += len;
                let kind = wasm[p];
                p += 1;
                leb128(wasm, &mut p);
                if kind == 0 {
                    exports.insert(name.to_string());
                }
            }
        }
        at = end;
    }
    exports
}

/// The runtime API functions the wasm runtime exports (the host ABI left out).
fn wasm_exports() -> BTreeSet<String> {
    let wasm = folio_runtime::WASM_BINARY.expect("the wasm runtime is built");
    let mut exports = function_exports(wasm);
    for name in HOST_ABI {
        assert!(exports.remove(*name), "the runtime exports {name}");
    }
    exports
}

#[test]
fn the_wasm_exports_are_the_native_methods() {
    let native: BTreeSet<String> = folio_runtime::apis::METHODS
        .iter()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(wasm_exports(), native);
}

#[test]
fn every_exported_runtime_api_is_described_in_metadata() {
    let exported: BTreeSet<String> = wasm_exports()
        .into_iter()
        .filter(|m| !m.starts_with(NODE_INTERNAL_PREFIX))
        .collect();
    for version in [15, 16] {
        let described = described(version);
        let missing: Vec<_> = exported.difference(&described).collect();
        let unknown: Vec<_> = described.difference(&exported).collect();
        assert!(
            missing.is_empty(),
            "exported but not in V{version}: {missing:?}"
        );
        assert!(
            unknown.is_empty(),
            "in V{version} but not exported: {unknown:?}"
        );
        for name in [
            "TransactionPaymentApi_query_fee_details",
            "BlockBuilder_check_inherents",
            "TransactionPaymentCallApi_query_call_info",
            "TransactionPaymentCallApi_query_call_fee_details",
        ] {
            assert!(described.contains(name), "V{version} lacks {name}");
        }
    }
}
