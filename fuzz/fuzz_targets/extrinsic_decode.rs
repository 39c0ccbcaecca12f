//! Random bytes as a submitted extrinsic: the RPC's format check (`OpaqueExtrinsic`) and the
//! runtime's full decoding never panic, and what decodes re-encodes to the same bytes.
#![no_main]

use folio_primitives::extrinsic::OpaqueExtrinsic;
use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Decode, DecodeLimit, Encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(opaque) = OpaqueExtrinsic::from_bytes(data) {
        assert_eq!(opaque.as_bytes(), data);
    }
    let mut input = data;
    if let Ok(xt) = folio_runtime::UncheckedExtrinsic::decode_with_depth_limit(
        folio_primitives::extrinsic::MAX_CALL_DEPTH,
        &mut input,
    ) {
        let consumed = &data[..data.len() - input.len()];
        assert_eq!(xt.encode(), consumed);
    }
    let _ = folio_runtime::UncheckedExtrinsic::decode(&mut &data[..]);
});
