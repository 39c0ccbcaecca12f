//! Entry points for the fuzz targets (`fuzz/`) and the property tests below: every parameter
//! parser of the server, fed one request's parameter text. Not part of the API.

use crate::json::{ExtrinsicOrHash, HexBytes, HexHash, ListOrValue, NumberOrHex};
use crate::params::Args;
use crate::system::MAX_ACCOUNT_TEXT;
use jsonrpsee::types::Params;

/// Positions tried per parser: more than any method takes.
const POSITIONS: usize = 4;

/// Parses `text` as positional parameters, then each position as every parameter type a
/// method reads, and strings as accounts (within the length cap) and runtime function names.
/// Errors are expected; a panic is a bug.
pub fn parse_params(text: &str) {
    let params = Params::new(Some(text));
    try_all::<HexBytes>(&params);
    try_all::<HexHash>(&params);
    try_all::<ListOrValue<NumberOrHex>>(&params);
    try_all::<Vec<HexBytes>>(&params);
    try_all::<Vec<ExtrinsicOrHash>>(&params);
    try_all::<bool>(&params);
    try_all::<u32>(&params);
    if let Ok(mut args) = Args::parse(&params) {
        for _ in 0..POSITIONS {
            if let Ok(Some(text)) = args.optional::<String>("text") {
                if text.len() <= MAX_ACCOUNT_TEXT {
                    let _ = folio_primitives::ss58::parse_account(&text);
                }
                let _ = crate::state::is_node_internal(&text);
            }
        }
    }
}

fn try_all<T: serde::de::DeserializeOwned>(params: &Params<'_>) {
    if let Ok(mut args) = Args::parse(params) {
        for _ in 0..POSITIONS {
            let _ = args.optional::<T>("value");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_params;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn random_parameter_text_never_panics(text in ".{0,200}") {
            parse_params(&text);
        }

        #[test]
        fn json_shaped_parameters_never_panic(
            items in proptest::collection::vec(
                prop_oneof![
                    "0x[0-9a-fA-F]{0,80}".prop_map(|s| format!("\"{s}\"")),
                    "[1-9A-HJ-NP-Za-km-z]{0,60}".prop_map(|s| format!("\"{s}\"")),
                    any::<u64>().prop_map(|n| n.to_string()),
                    Just("null".to_string()),
                    Just("[\"0x00\",1,\"0xffffffffffffffffffffffffffffffffff\"]".to_string()),
                    Just("{\"hash\":\"0x00\"}".to_string()),
                ],
                0..5,
            )
        ) {
            parse_params(&format!("[{}]", items.join(",")));
        }
    }
}
