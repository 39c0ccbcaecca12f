//! The decoders that read bytes from the network (extrinsics, blocks, headers, digests,
//! addresses, eras, SS58): random bytes never panic, what decodes re-encodes to the bytes it
//! consumed, and decode ∘ encode = id on generated values. The same decoders are fuzzed on
//! nightly (`fuzz/`, `scripts/fuzz.sh`); these run on stable in CI.

use folio_primitives::address::MultiAddress;
use folio_primitives::era::Era;
use folio_primitives::extrinsic::{OpaqueExtrinsic, UncheckedExtrinsic, MAX_CALL_DEPTH};
use folio_primitives::hash::H256;
use folio_primitives::header::{Block, Digest, DigestItem, Header};
use folio_primitives::ss58;
use parity_scale_codec::{Decode, DecodeLimit, Encode, Error, Input, Output};
use proptest::prelude::*;

/// A call as opaque bytes (the rest of the input), as a node sees it before the runtime does.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RawCall(Vec<u8>);

impl Encode for RawCall {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(&self.0);
    }
}

impl Decode for RawCall {
    fn decode<I: Input>(input: &mut I) -> Result<Self, Error> {
        let mut out = Vec::new();
        while let Ok(b) = input.read_byte() {
            out.push(b);
        }
        Ok(Self(out))
    }
}

/// Decodes a prefix of `bytes` as `T`; if it decodes, its encoding is exactly that prefix.
fn round_trips<T: Decode + Encode>(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut input = bytes;
    if let Ok(value) = T::decode_with_depth_limit(MAX_CALL_DEPTH, &mut input) {
        let consumed = bytes.len() - input.len();
        prop_assert_eq!(value.encode(), bytes[..consumed].to_vec());
    }
    Ok(())
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn digest_item() -> impl Strategy<Value = DigestItem> {
    prop_oneof![
        (any::<[u8; 4]>(), bytes(40)).prop_map(|(id, data)| DigestItem::PreRuntime(id, data)),
        (any::<[u8; 4]>(), bytes(40)).prop_map(|(id, data)| DigestItem::Consensus(id, data)),
        (any::<[u8; 4]>(), bytes(40)).prop_map(|(id, data)| DigestItem::Seal(id, data)),
        bytes(40).prop_map(DigestItem::Other),
        Just(DigestItem::RuntimeEnvironmentUpdated),
    ]
}

fn header() -> impl Strategy<Value = Header> {
    (
        any::<[u8; 32]>(),
        any::<u32>(),
        any::<[u8; 32]>(),
        any::<[u8; 32]>(),
        proptest::collection::vec(digest_item(), 0..4),
    )
        .prop_map(|(parent, number, state, extrinsics, logs)| Header {
            parent_hash: H256(parent),
            number,
            state_root: H256(state),
            extrinsics_root: H256(extrinsics),
            digest: Digest { logs },
        })
}

proptest! {
    #[test]
    fn random_bytes_never_panic_and_what_decodes_round_trips(data in bytes(600)) {
        round_trips::<Header>(&data)?;
        round_trips::<Digest>(&data)?;
        round_trips::<Block<OpaqueExtrinsic>>(&data)?;
        round_trips::<OpaqueExtrinsic>(&data)?;
        round_trips::<UncheckedExtrinsic<RawCall>>(&data)?;
        round_trips::<MultiAddress>(&data)?;
        let _ = Era::decode(&mut &data[..]);
        if let Ok(opaque) = OpaqueExtrinsic::from_bytes(&data) {
            prop_assert_eq!(opaque.as_bytes(), &data[..]);
        }
    }

    #[test]
    fn random_text_never_panics_as_an_account(text in ".{0,80}") {
        let _ = ss58::parse_account(&text);
        let _ = ss58::decode(&text);
    }

    #[test]
    fn headers_and_blocks_decode_to_what_was_encoded(
        header in header(),
        body in proptest::collection::vec(bytes(50), 0..4),
    ) {
        let encoded = header.encode();
        prop_assert_eq!(Header::decode(&mut &encoded[..]), Ok(header.clone()));
        let extrinsics: Vec<OpaqueExtrinsic> = body
            .iter()
            .map(|b| OpaqueExtrinsic::from_bytes(&b.encode()).expect("a length-prefixed body"))
            .collect();
        let block = Block { header, extrinsics };
        let encoded = block.encode();
        prop_assert_eq!(Block::<OpaqueExtrinsic>::decode(&mut &encoded[..]), Ok(block));
    }

    #[test]
    fn ss58_addresses_decode_to_what_was_encoded(key in any::<[u8; 32]>(), prefix in 0u16..16384) {
        prop_assume!(prefix != 46 && prefix != 47);
        let address = ss58::encode(&key, prefix);
        let (account, decoded_prefix) = ss58::decode(&address).expect("own address decodes");
        prop_assert_eq!(account.0, key);
        prop_assert_eq!(decoded_prefix, prefix);
    }
}
