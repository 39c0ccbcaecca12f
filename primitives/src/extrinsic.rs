//! Extrinsic format v4: `compact(len) ++ version ++ [address ++ signature ++ extra] ++ call`.
//!
//! Signed transactions carry version byte `0x84`, unsigned ones (inherents) `0x04`. The signer
//! signs `call ++ extra ++ additional`, or its blake2-256 hash when that payload is longer
//! than 256 bytes.

use crate::address::MultiAddress;
use crate::crypto::AccountId32;
use crate::extensions::{AdditionalSigned, ExtraTuple, SignedExtra};
use crate::hash::H256;
use crate::signature::MultiSignature;
use alloc::vec::Vec;
use parity_scale_codec::{Decode, DecodeLimit, Encode, Error as CodecError, Input, Output};
use scale_info::{build::Fields, Path, Type, TypeInfo, TypeParameter};

/// The extrinsic format version Folio speaks.
pub const EXTRINSIC_FORMAT_VERSION: u8 = 4;
const SIGNED_FLAG: u8 = 0b1000_0000;
/// Calls nest (e.g. `sudo(call)`); deeper nesting is rejected at decoding.
pub const MAX_CALL_DEPTH: u32 = 256;
/// Payloads longer than this are hashed before signing.
pub const MAX_UNHASHED_PAYLOAD: usize = 256;

/// The sender part of a signed extrinsic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedPart {
    pub address: MultiAddress,
    pub signature: MultiSignature,
    pub extra: SignedExtra,
}

/// An extrinsic as it travels: signed transaction or unsigned (inherent) call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncheckedExtrinsic<Call> {
    pub signature: Option<SignedPart>,
    pub function: Call,
}

impl<Call> UncheckedExtrinsic<Call> {
    pub fn new_unsigned(function: Call) -> Self {
        Self {
            signature: None,
            function,
        }
    }
    pub fn new_signed(
        function: Call,
        address: MultiAddress,
        signature: MultiSignature,
        extra: SignedExtra,
    ) -> Self {
        Self {
            signature: Some(SignedPart {
                address,
                signature,
                extra,
            }),
            function,
        }
    }
    pub fn is_signed(&self) -> bool {
        self.signature.is_some()
    }
}

impl<Call: Encode> UncheckedExtrinsic<Call> {
    /// The transaction hash clients compute: blake2-256 of the full encoding.
    pub fn hash(&self) -> H256 {
        crate::hash::hash_of(self)
    }

    /// Whether the signature signs this call with these extensions for its address.
    pub fn verify_signature(
        &self,
        additional: &AdditionalSigned,
    ) -> Result<AccountId32, SignatureError> {
        let signed = self.signature.as_ref().ok_or(SignatureError::Unsigned)?;
        let signer = signed
            .address
            .lookup()
            .ok_or(SignatureError::UnknownAddress)?;
        let valid = with_signing_payload(&self.function, &signed.extra, additional, |payload| {
            signed.signature.verify(payload, &signer)
        });
        if valid {
            Ok(signer)
        } else {
            Err(SignatureError::BadSignature)
        }
    }
}

/// Why a signature check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    Unsigned,
    UnknownAddress,
    BadSignature,
}

/// Runs `f` over the bytes a signer signs: the payload, or its hash when over 256 bytes.
pub fn with_signing_payload<Call: Encode, R>(
    call: &Call,
    extra: &SignedExtra,
    additional: &AdditionalSigned,
    f: impl FnOnce(&[u8]) -> R,
) -> R {
    let payload = (call, extra, additional).encode();
    if payload.len() > MAX_UNHASHED_PAYLOAD {
        f(&crate::io::blake2_256(&payload))
    } else {
        f(&payload)
    }
}

impl<Call: Encode> Encode for UncheckedExtrinsic<Call> {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        let mut body = Vec::new();
        match &self.signature {
            Some(signed) => {
                body.push(EXTRINSIC_FORMAT_VERSION | SIGNED_FLAG);
                signed.address.encode_to(&mut body);
                signed.signature.encode_to(&mut body);
                signed.extra.encode_to(&mut body);
            }
            None => body.push(EXTRINSIC_FORMAT_VERSION),
        }
        self.function.encode_to(&mut body);
        body.encode_to(dest);
    }
}

impl<Call: Decode> Decode for UncheckedExtrinsic<Call> {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        // The length prefix is checked: the body must be exactly as long as it says.
        let body: Vec<u8> = Decode::decode(input)?;
        let mut rest = body.as_slice();
        let version = rest.read_byte()?;
        let signature = match version {
            v if v == EXTRINSIC_FORMAT_VERSION | SIGNED_FLAG => Some(SignedPart {
                address: Decode::decode(&mut rest)?,
                signature: Decode::decode(&mut rest)?,
                extra: Decode::decode(&mut rest)?,
            }),
            v if v == EXTRINSIC_FORMAT_VERSION => None,
            _ => return Err("unsupported extrinsic version".into()),
        };
        let function = Call::decode_with_depth_limit(MAX_CALL_DEPTH, &mut rest)?;
        if !rest.is_empty() {
            return Err("Invalid length prefix".into());
        }
        Ok(Self {
            signature,
            function,
        })
    }
}

impl<Call: TypeInfo + 'static> TypeInfo for UncheckedExtrinsic<Call> {
    type Identity = Self;
    /// Substrate describes the extrinsic as opaque bytes with four type parameters, which
    /// polkadot-js reads to find the address, call, signature and extension types.
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new(
                "UncheckedExtrinsic",
                "sp_runtime::generic::unchecked_extrinsic",
            ))
            .type_params([
                TypeParameter::new("Address", Some(scale_info::meta_type::<MultiAddress>())),
                TypeParameter::new("Call", Some(scale_info::meta_type::<Call>())),
                TypeParameter::new("Signature", Some(scale_info::meta_type::<MultiSignature>())),
                TypeParameter::new("Extra", Some(scale_info::meta_type::<ExtraTuple>())),
            ])
            .composite(Fields::unnamed().field(|f| f.ty::<Vec<u8>>()))
    }
}

/// An extrinsic whose call is not decoded: the node handles these. Holds the full encoding,
/// length prefix included, so its hash and its bytes in a block body are exactly what clients
/// submitted.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct OpaqueExtrinsic(Vec<u8>);

impl OpaqueExtrinsic {
    /// Wraps a full encoding after checking its length prefix.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CodecError> {
        let mut input = bytes;
        let decoded = Self::decode(&mut input)?;
        if !input.is_empty() {
            return Err("trailing bytes after extrinsic".into());
        }
        Ok(decoded)
    }
    /// The full encoding, length prefix included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    pub fn hash(&self) -> H256 {
        H256(crate::io::blake2_256(&self.0))
    }
}

impl core::fmt::Debug for OpaqueExtrinsic {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "OpaqueExtrinsic({} bytes)", self.0.len())
    }
}

impl Encode for OpaqueExtrinsic {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.write(&self.0);
    }
    fn size_hint(&self) -> usize {
        self.0.len()
    }
}

impl Decode for OpaqueExtrinsic {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        let body: Vec<u8> = Decode::decode(input)?;
        let mut full = parity_scale_codec::Compact(body.len() as u32).encode();
        full.extend_from_slice(&body);
        Ok(Self(full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::era::Era;

    /// `Balances.transfer_keep_alive(Bob, 12345)` with kitchensink indices, as raw bytes.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct RawCall(Vec<u8>);
    impl Encode for RawCall {
        fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
            dest.write(&self.0);
        }
    }
    impl Decode for RawCall {
        fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
            let mut out = Vec::new();
            while let Ok(b) = input.read_byte() {
                out.push(b);
            }
            Ok(Self(out))
        }
    }

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    const CALL: &str = "0603008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48e5c0";
    const ALICE_ED: &str = "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee";

    fn additional(era_hash: [u8; 32]) -> AdditionalSigned {
        AdditionalSigned {
            spec_version: 100,
            transaction_version: 1,
            genesis_hash: H256([0x11; 32]),
            era_block_hash: H256(era_hash),
            metadata_hash: None,
        }
    }

    /// SUBSTRATE-COMPAT.md §4.6 prints this signature with its last byte (`00`) missing (63
    /// bytes); ed25519 is deterministic, and re-signing the payload with //Alice gives the
    /// 64 bytes below, whose extrinsic hashes to the documented hash.
    #[test]
    fn compat_vector_mortal_ed25519_decodes_verifies_and_hashes() {
        let bytes = h(&format!(
            "350284 00 {ALICE_ED} 00 f8acf98e2a157fbeff197f920b9029def7a13e19cbb7d9cc2bd498175efddeb7c6b66e7d2f35c024c5c1a49f84f6a7eb1303bce3dfe5053aa68839509b4e7c00 4502 14 00 00 {CALL}"
        ));
        let xt = UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]).unwrap();
        let signed = xt.signature.clone().unwrap();
        assert_eq!(
            signed.extra.era,
            Era::Mortal {
                period: 64,
                phase: 36
            }
        );
        assert_eq!(signed.extra.nonce, 5);
        assert_eq!(xt.function.0, h(CALL));
        let additional = additional([0x22; 32]);
        let mut ext = crate::externalities::TestExternalities::default();
        ext.execute_with(|| {
            assert_eq!(
                xt.verify_signature(&additional).map(|a| a.0.to_vec()),
                Ok(h(ALICE_ED))
            );
            // A different spec version is a different payload: the signature no longer holds.
            let mut wrong = additional;
            wrong.spec_version = 101;
            assert_eq!(
                xt.verify_signature(&wrong),
                Err(SignatureError::BadSignature)
            );
            assert_eq!(
                xt.hash().to_hex(),
                "0x56addf6e39b04ef894f724bfe8882c06df4f7c9b6aafb877a8c9ba80caa2a73d"
            );
        });
        assert_eq!(xt.encode(), bytes);
    }

    #[test]
    fn compat_vector_immortal_ed25519() {
        let bytes = h(&format!(
            "310284 00 {ALICE_ED} 00 7b01580e5ab879ce8197bcd21d4b2d3979528c1ae434b74d8cddcb296bacaa5c11fc8d37a125065275d72ae971ec5529a2d26dd3e8958934f20edbfc0e6cfc0c 00 14 00 00 {CALL}"
        ));
        let xt = UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]).unwrap();
        let mut ext = crate::externalities::TestExternalities::default();
        ext.execute_with(|| {
            assert!(xt.verify_signature(&additional([0x11; 32])).is_ok());
            assert_eq!(
                xt.hash().to_hex(),
                "0x17ea12da2c49f64c13d3059852c50e824fca38dd43aeddf467a942ebba405f56"
            );
        });
    }

    #[test]
    fn compat_vector_unsigned() {
        let bytes = h(&format!("98 04 {CALL}"));
        let xt = UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]).unwrap();
        assert!(!xt.is_signed());
        assert_eq!(xt.encode(), bytes);
    }

    #[test]
    fn wrong_length_prefix_or_version_is_rejected() {
        let mut bytes = h(&format!("98 04 {CALL}"));
        bytes[0] = 0x9c; // claims one byte more than there is
        assert!(UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]).is_err());
        let bytes = h(&format!("98 05 {CALL}"));
        assert!(UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]).is_err());
    }

    #[test]
    fn opaque_extrinsic_keeps_the_exact_bytes() {
        let bytes = h(&format!("98 04 {CALL}"));
        let opaque = OpaqueExtrinsic::from_bytes(&bytes).unwrap();
        assert_eq!(opaque.as_bytes(), &bytes[..]);
        assert_eq!(opaque.encode(), bytes);
        let list = alloc::vec![opaque.clone(), opaque.clone()].encode();
        assert_eq!(
            Vec::<OpaqueExtrinsic>::decode(&mut &list[..]).unwrap(),
            [opaque.clone(), opaque]
        );
    }

    proptest::proptest! {
        #[test]
        fn decoding_random_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = UncheckedExtrinsic::<RawCall>::decode(&mut &bytes[..]);
            let _ = OpaqueExtrinsic::from_bytes(&bytes);
        }
    }
}
