//! The runtime's version as the `runtime_version` wasm custom section: the SCALE-encoded
//! `RuntimeVersion` that `Core_version` returns, written into the wasm at compile time so
//! that a node reads a candidate runtime's version (`set_code`) without running its code, as
//! Substrate's nodes do. (Substrate splits the API list into a `runtime_apis` section; Folio's
//! section holds the whole `RuntimeVersion`.)

use crate::{
    APIS, AUTHORING_VERSION, IMPL_NAME, IMPL_VERSION, SPEC_NAME, SPEC_VERSION, SYSTEM_VERSION,
    TRANSACTION_VERSION,
};

/// The SCALE single-byte compact length prefix: every length here is below 64 (checked below).
const fn compact_len(len: usize) -> u8 {
    assert!(
        len < 64,
        "a length in the version section needs a longer compact prefix"
    );
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "below 64, so it fits in a byte"
    )]
    let byte = (len as u8) << 2;
    byte
}

/// Bytes of the encoded version.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a constant: overflow is a compile error"
)]
pub const LEN: usize =
    1 + SPEC_NAME.len() + 1 + IMPL_NAME.len() + 4 + 4 + 4 + 1 + APIS.len() * 12 + 4 + 1;

/// Writes the version field by field, as `RuntimeVersion`'s SCALE encoding lays it out.
/// Evaluated at compile time: an index out of bounds fails the build, not the runtime.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "const evaluation: any overflow or out-of-bounds index is a compile error"
)]
const fn encode() -> [u8; LEN] {
    const fn put(out: &mut [u8; LEN], at: &mut usize, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            out[*at] = bytes[i];
            *at += 1;
            i += 1;
        }
    }
    let mut out = [0u8; LEN];
    let mut at = 0;
    put(&mut out, &mut at, &[compact_len(SPEC_NAME.len())]);
    put(&mut out, &mut at, SPEC_NAME.as_bytes());
    put(&mut out, &mut at, &[compact_len(IMPL_NAME.len())]);
    put(&mut out, &mut at, IMPL_NAME.as_bytes());
    put(&mut out, &mut at, &AUTHORING_VERSION.to_le_bytes());
    put(&mut out, &mut at, &SPEC_VERSION.to_le_bytes());
    put(&mut out, &mut at, &IMPL_VERSION.to_le_bytes());
    put(&mut out, &mut at, &[compact_len(APIS.len())]);
    let mut i = 0;
    while i < APIS.len() {
        put(&mut out, &mut at, &APIS[i].0);
        put(&mut out, &mut at, &APIS[i].1.to_le_bytes());
        i += 1;
    }
    put(&mut out, &mut at, &TRANSACTION_VERSION.to_le_bytes());
    put(&mut out, &mut at, &[SYSTEM_VERSION]);
    assert!(at == LEN, "the version section is not filled exactly");
    out
}

/// The encoded version, as the section holds it.
pub const ENCODED: [u8; LEN] = encode();

/// The section itself, in the wasm build only.
#[cfg(target_arch = "wasm32")]
#[used]
#[link_section = "runtime_version"]
static RUNTIME_VERSION_SECTION: [u8; LEN] = ENCODED;

#[cfg(test)]
mod tests {
    use parity_scale_codec::Encode;

    #[test]
    fn the_section_holds_what_core_version_returns() {
        assert_eq!(super::ENCODED.to_vec(), crate::version().encode());
    }
}
