//! Decoding any byte string as an extrinsic, a call, a header or a block returns an error or
//! a value that re-encodes to exactly the bytes it consumed — it never panics.

use folio_primitives::header::{Block, Header};
use folio_runtime::{RuntimeCall, UncheckedExtrinsic};
use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;

fn check<T: Decode + Encode>(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut input = bytes;
    if let Ok(value) = T::decode(&mut input) {
        let consumed = bytes.len() - input.len();
        prop_assert_eq!(value.encode(), bytes[..consumed].to_vec());
    }
    Ok(())
}

/// Random bytes, often starting like real data (a valid pallet and call index, a compact
/// length) so decoding gets deep rather than failing on the first byte.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop_oneof![
        Just(vec![]),
        Just(vec![6, 3, 0]),
        Just(vec![0, 0]),
        Just(vec![2, 0]),
        Just(vec![0x84]),
        Just(vec![0x04, 6]),
    ];
    (prefix, proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(mut p, rest)| {
        p.extend(rest);
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn calls(bytes in bytes()) {
        check::<RuntimeCall>(&bytes)?;
    }

    #[test]
    fn extrinsics(bytes in bytes()) {
        check::<UncheckedExtrinsic>(&bytes)?;
        let mut with_length = parity_scale_codec::Compact(bytes.len() as u32).encode();
        with_length.extend(&bytes);
        check::<UncheckedExtrinsic>(&with_length)?;
    }

    #[test]
    fn headers_and_blocks(bytes in bytes()) {
        check::<Header>(&bytes)?;
        check::<Block<UncheckedExtrinsic>>(&bytes)?;
    }
}

#[test]
fn deeply_nested_input_is_refused_not_overflowed() {
    // A call whose encoding claims more nesting than the decoder allows must fail cleanly.
    let mut bytes = vec![0x84u8; 100_000];
    bytes.insert(0, 0);
    assert!(UncheckedExtrinsic::decode(&mut &bytes[..]).is_err());
}
