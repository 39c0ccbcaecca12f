//! Random bytes as a block (opaque body, as imported, and typed body, as the runtime executes):
//! never panic; decode ∘ encode = id.
#![no_main]

use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::header::Block;
use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Decode, DecodeLimit, Encode};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    if let Ok(block) = Block::<OpaqueExtrinsic>::decode(&mut input) {
        let consumed = &data[..data.len() - input.len()];
        assert_eq!(block.encode(), consumed);
    }
    let mut input = data;
    if let Ok(block) = folio_runtime::Block::decode_with_depth_limit(
        folio_primitives::extrinsic::MAX_CALL_DEPTH,
        &mut input,
    ) {
        let consumed = &data[..data.len() - input.len()];
        assert_eq!(block.encode(), consumed);
    }
});
