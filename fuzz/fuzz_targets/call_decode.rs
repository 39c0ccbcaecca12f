//! Random bytes as a `RuntimeCall` (nesting bounded as the runtime bounds it): never panic,
//! never overflow the stack; decode ∘ encode = id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{DecodeLimit, Encode};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    if let Ok(call) = folio_runtime::RuntimeCall::decode_with_depth_limit(
        folio_primitives::extrinsic::MAX_CALL_DEPTH,
        &mut input,
    ) {
        let consumed = &data[..data.len() - input.len()];
        assert_eq!(call.encode(), consumed);
    }
});
