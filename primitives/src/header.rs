//! Block headers, digests and blocks, byte-exact with Substrate's `sp_runtime::generic`.
//! Clients recompute block hashes from header JSON, so nothing here may differ by a byte.

use crate::hash::H256;
use crate::BlockNumber;
use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// One digest entry. Only the variants polkadot-js knows are used.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
#[scale_info(replace_segment("header", "generic"))]
pub enum DigestItem {
    #[codec(index = 6)]
    PreRuntime([u8; 4], Vec<u8>),
    #[codec(index = 4)]
    Consensus([u8; 4], Vec<u8>),
    #[codec(index = 5)]
    Seal([u8; 4], Vec<u8>),
    #[codec(index = 0)]
    Other(Vec<u8>),
    /// The runtime code or heap pages changed in this block.
    #[codec(index = 8)]
    RuntimeEnvironmentUpdated,
}

/// The header's list of digest items.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
#[scale_info(replace_segment("header", "generic"))]
pub struct Digest {
    pub logs: Vec<DigestItem>,
}

/// A block header. `hash()` is the block hash: blake2-256 of the SCALE encoding.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub struct Header {
    pub parent_hash: H256,
    #[codec(compact)]
    pub number: BlockNumber,
    pub state_root: H256,
    pub extrinsics_root: H256,
    pub digest: Digest,
}

impl Header {
    pub fn hash(&self) -> H256 {
        crate::hash::hash_of(self)
    }
}

/// A block: header plus extrinsics (`E` is the runtime's extrinsic type, or
/// [`crate::extrinsic::OpaqueExtrinsic`] in the node).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub struct Block<E> {
    pub header: Header,
    pub extrinsics: Vec<E>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_items_encode_as_substrate() {
        assert_eq!(
            DigestItem::Other(alloc::vec![1, 2, 3]).encode(),
            [0x00, 0x0c, 1, 2, 3]
        );
        assert_eq!(
            DigestItem::Seal(*b"test", alloc::vec![1, 2, 3]).encode(),
            [0x05, b't', b'e', b's', b't', 0x0c, 1, 2, 3]
        );
        assert_eq!(DigestItem::RuntimeEnvironmentUpdated.encode(), [0x08]);
    }

    #[test]
    fn header_number_is_compact_and_hash_is_blake2_of_encoding() {
        let header = Header {
            parent_hash: H256([1; 32]),
            number: 0x1a,
            state_root: H256([2; 32]),
            extrinsics_root: H256([3; 32]),
            digest: Digest::default(),
        };
        let bytes = header.encode();
        assert_eq!(bytes.len(), 32 + 1 + 32 + 32 + 1);
        assert_eq!(bytes[32], 0x1a << 2);
        let mut ext = crate::externalities::TestExternalities::default();
        let hash = ext.execute_with(|| header.hash());
        assert_eq!(hash.0, crate::crypto::native::blake2_256(&bytes));
        assert_eq!(Header::decode(&mut &bytes[..]), Ok(header));
    }

    proptest::proptest! {
        #[test]
        fn decoding_random_bytes_errors_or_round_trips(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let mut input = &bytes[..];
            if let Ok(header) = Header::decode(&mut input) {
                let consumed = bytes.len() - input.len();
                proptest::prop_assert_eq!(header.encode(), bytes[..consumed].to_vec());
            }
        }
    }
}
