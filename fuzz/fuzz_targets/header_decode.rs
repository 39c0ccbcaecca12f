//! Random bytes as a header: never panic; decode ∘ encode = id.
#![no_main]

use folio_primitives::header::Header;
use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Decode, Encode};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    if let Ok(header) = Header::decode(&mut input) {
        let consumed = &data[..data.len() - input.len()];
        assert_eq!(header.encode(), consumed);
    }
});
