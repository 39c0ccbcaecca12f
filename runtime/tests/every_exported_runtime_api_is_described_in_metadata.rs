//! polkadot-js builds `api.call.*` and PAPI/Dedot their typed runtime calls from V15/V16's
//! `apis`: an exported method missing there is invisible to them
//! (`api.call.transactionPaymentApi.queryFeeDetails is not a function`). Every method the
//! runtime answers, except the node's own `Folio*` entries, must be described, and only those.

use folio_primitives::externalities::TestExternalities;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Decode, Encode};
use std::collections::BTreeSet;

/// Entry points the node calls itself (batched authoring, pool admission, invariants,
/// benchmarks); no client calls them, so they stay out of the metadata.
const NODE_INTERNAL_PREFIX: &str = "Folio";

fn v15_methods() -> BTreeSet<String> {
    let out = TestExternalities::default()
        .execute_with(|| folio_runtime::apis::call("Metadata_metadata_at_version", &15u32.encode()))
        .expect("api call");
    let bytes = Option::<Vec<u8>>::decode(&mut &out[..]).unwrap().unwrap();
    let RuntimeMetadata::V15(m) = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).unwrap().1
    else {
        panic!("not V15")
    };
    m.apis
        .iter()
        .flat_map(|api| {
            api.methods
                .iter()
                .map(move |m| format!("{}_{}", api.name, m.name))
        })
        .collect()
}

#[test]
fn every_exported_runtime_api_is_described_in_metadata() {
    let exported: BTreeSet<String> = folio_runtime::apis::METHODS
        .iter()
        .filter(|m| !m.starts_with(NODE_INTERNAL_PREFIX))
        .map(|m| m.to_string())
        .collect();
    let described = v15_methods();
    let missing: Vec<_> = exported.difference(&described).collect();
    let unknown: Vec<_> = described.difference(&exported).collect();
    assert!(missing.is_empty(), "exported but not in V15: {missing:?}");
    assert!(unknown.is_empty(), "in V15 but not exported: {unknown:?}");
    for name in [
        "TransactionPaymentApi_query_fee_details",
        "BlockBuilder_check_inherents",
        "TransactionPaymentCallApi_query_call_fee_details",
    ] {
        assert!(described.contains(name), "{name}");
    }
}
