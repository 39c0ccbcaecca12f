//! The public keys of the development accounts //Alice … //Ferdie, usable without `std`
//! (dev genesis presets in the runtime). `keyring` derives them and a test checks they agree.

/// //Alice, //Bob, //Charlie, //Dave, //Eve, //Ferdie (sr25519 public keys).
pub const ACCOUNTS: [[u8; 32]; 6] = [
    hex32(b"d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"),
    hex32(b"8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"),
    hex32(b"90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"),
    hex32(b"306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20"),
    hex32(b"e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e"),
    hex32(b"1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c"),
];

/// //Alice.
pub const ALICE: [u8; 32] = ACCOUNTS[0];

/// Parses 64 hex digits at compile time.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]
const fn hex32(hex: &[u8; 64]) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not lowercase hex"),
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

#[cfg(all(test, feature = "std"))]
mod tests {
    #[test]
    fn constants_match_derived_dev_keys() {
        for (who, public) in crate::keyring::Keyring::ALL.iter().zip(super::ACCOUNTS) {
            assert_eq!(who.pair().public(), public, "{who:?}");
        }
    }
}
