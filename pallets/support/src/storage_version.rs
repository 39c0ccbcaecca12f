//! Each pallet's storage version, at FRAME's key `twox128(pallet) ++ twox128(":__STORAGE_VERSION__:")`,
//! so migrations run exactly when the stored layout is the one they expect.

use folio_primitives::io;
use folio_primitives::storage::storage_prefix;
use parity_scale_codec::{Decode, Encode};

fn key(pallet: &str) -> [u8; 32] {
    storage_prefix(pallet, ":__STORAGE_VERSION__:")
}

/// The storage version the state of `pallet` is at (0 if never written).
pub fn on_chain(pallet: &str) -> u16 {
    io::storage_get(&key(pallet))
        .and_then(|raw| u16::decode(&mut raw.as_slice()).ok())
        .unwrap_or(0)
}

/// Records that the state of `pallet` is at `version`.
pub fn put(pallet: &str, version: u16) {
    io::storage_set(&key(pallet), &version.encode());
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::externalities::TestExternalities;

    #[test]
    fn versions_default_to_zero_and_round_trip() {
        TestExternalities::default().execute_with(|| {
            assert_eq!(on_chain("Balances"), 0);
            put("Balances", 3);
            assert_eq!(on_chain("Balances"), 3);
            assert_eq!(on_chain("System"), 0);
        });
    }
}
