//! Random text as a JSON-RPC request's parameters, through every parameter parser the server
//! has (positional arrays, hex bytes, hashes, block numbers, lists, SS58 accounts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        folio_rpc::fuzzing::parse_params(text);
    }
});
