//! Storage keys: `twox128(pallet) ++ twox128(item) ++ hasher(SCALE(key))…`, as FRAME lays them out.

use crate::io;
use alloc::vec::Vec;

/// The runtime code, at a well-known unhashed key.
pub const CODE: &[u8] = b":code";
/// The runtime's heap pages, at a well-known unhashed key.
pub const HEAP_PAGES: &[u8] = b":heappages";

/// `twox128(pallet) ++ twox128(item)`: the key of a value, the prefix of a map. A `const fn`,
/// so a storage item's prefix is computed once, at compile time (see
/// `folio_pallet_support::storage::StorageItem::PREFIX`), not on every key.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "const fn (no iterators): loops over fixed-size arrays, every index below 32"
)]
pub const fn storage_prefix(pallet: &str, item: &str) -> [u8; 32] {
    let pallet = twox_128_const(pallet.as_bytes());
    let item = twox_128_const(item.as_bytes());
    let mut key = [0u8; 32];
    let mut i = 0;
    while i < 16 {
        key[i] = pallet[i];
        key[16 + i] = item[i];
        i += 1;
    }
    key
}

/// `twox_128` (two xxHash64 with seeds 0 and 1, little-endian) as a `const fn`.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "const fn (no iterators): loops over fixed-size arrays, every index below 32"
)]
const fn twox_128_const(data: &[u8]) -> [u8; 16] {
    let low = xxhash_rust::const_xxh64::xxh64(data, 0).to_le_bytes();
    let high = xxhash_rust::const_xxh64::xxh64(data, 1).to_le_bytes();
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 8 {
        out[i] = low[i];
        out[8 + i] = high[i];
        i += 1;
    }
    out
}

/// How a map key is hashed into a storage key. Each hasher says how clients describe it.
pub trait KeyHasher {
    /// The hasher's name as frame-metadata's `StorageHasher` variant index.
    const METADATA_INDEX: u8;
    /// Appends the hashed form of `encoded_key` to `out` (building a key in one allocation).
    fn hash_into(encoded_key: &[u8], out: &mut Vec<u8>);
    /// The hashed form of `encoded_key`.
    fn hash(encoded_key: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(encoded_key.len().saturating_add(16));
        Self::hash_into(encoded_key, &mut out);
        out
    }
    /// The encoded key inside a hashed key, for reversible hashers (`None` otherwise).
    fn reverse(hashed_key: &[u8]) -> Option<&[u8]>;
}

/// `blake2_128(key) ++ key`: for keys users choose (not grindable, reversible).
pub struct Blake2_128Concat;
/// `twox64(key) ++ key`: for keys users cannot choose (block numbers, ids), cheaper.
pub struct Twox64Concat;
/// The key itself: for keys that are already hashes.
pub struct Identity;

impl KeyHasher for Blake2_128Concat {
    const METADATA_INDEX: u8 = 2;
    fn hash_into(encoded_key: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(&io::blake2_128(encoded_key));
        out.extend_from_slice(encoded_key);
    }
    fn reverse(hashed_key: &[u8]) -> Option<&[u8]> {
        hashed_key.get(16..)
    }
}

impl KeyHasher for Twox64Concat {
    const METADATA_INDEX: u8 = 5;
    fn hash_into(encoded_key: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(&io::twox_64(encoded_key));
        out.extend_from_slice(encoded_key);
    }
    fn reverse(hashed_key: &[u8]) -> Option<&[u8]> {
        hashed_key.get(8..)
    }
}

impl KeyHasher for Identity {
    const METADATA_INDEX: u8 = 6;
    fn hash_into(encoded_key: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(encoded_key);
    }
    fn reverse(hashed_key: &[u8]) -> Option<&[u8]> {
        Some(hashed_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::externalities::TestExternalities;
    use parity_scale_codec::Encode;

    fn hex_of(bytes: &[u8]) -> String {
        hex::encode(bytes)
    }

    proptest::proptest! {
        /// The compile-time prefix is the host's `twox_128(pallet) ++ twox_128(item)`.
        #[test]
        fn const_prefix_is_twox_128_of_both_names(pallet in ".{0,40}", item in ".{0,80}") {
            let mut expected = crate::crypto::native::twox_128(pallet.as_bytes()).to_vec();
            expected.extend(crate::crypto::native::twox_128(item.as_bytes()));
            proptest::prop_assert_eq!(storage_prefix(&pallet, &item).to_vec(), expected);
        }
    }

    /// The precomputed keys of SUBSTRATE-COMPAT.md §7.1.
    #[test]
    fn keys_match_substrate() {
        TestExternalities::default().execute_with(|| {
            let system = "26aa394eea5630e07c48ae0c9558cef7";
            assert_eq!(hex_of(&io::twox_128(b"System")), system);
            assert_eq!(
                hex_of(&storage_prefix("System", "Account")),
                format!("{system}b99d880ec681799c0cf30e8886371da9")
            );
            let alice = crate::ss58::parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap();
            let mut key = storage_prefix("System", "Account").to_vec();
            key.extend(Blake2_128Concat::hash(&alice.encode()));
            assert_eq!(
                hex_of(&key),
                format!("{system}b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
            );
            assert_eq!(hex_of(&storage_prefix("System", "Events")), format!("{system}80d41e5e16056765bc8461851072c9d7"));
            assert_eq!(hex_of(&storage_prefix("System", "Number")), format!("{system}02a5c1b19ab7a04f536c519aca4983ac"));
            assert_eq!(hex_of(&storage_prefix("System", "ParentHash")), format!("{system}8a42f33323cb5ced3b44dd825fda9fcc"));
            assert_eq!(hex_of(&storage_prefix("System", "EventCount")), format!("{system}0a98fdbe9ce6c55837576c60c7af3850"));
            assert_eq!(hex_of(&storage_prefix("System", "LastRuntimeUpgrade")), format!("{system}f9cce9c888469bb1a0dceaa129672ef8"));
            assert_eq!(hex_of(&storage_prefix("System", "Digest")), format!("{system}99e7f93fc6a98f0874fd057f111c4d2d"));
            let mut block_hash_0 = storage_prefix("System", "BlockHash").to_vec();
            block_hash_0.extend(Twox64Concat::hash(&0u32.encode()));
            assert_eq!(
                hex_of(&block_hash_0),
                format!("{system}a44704b568d21667356a5a050c118746b4def25cfda6ef3a00000000")
            );
            assert_eq!(
                hex_of(&storage_prefix("Balances", "TotalIssuance")),
                "c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80"
            );
            assert_eq!(hex_of(CODE), "3a636f6465");
            assert_eq!(hex_of(HEAP_PAGES), "3a686561707061676573");
        });
    }
}
