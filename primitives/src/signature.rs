//! `MultiSignature`: sr25519 (first-class), ed25519, and ecdsa (decoded, not accepted).

use crate::crypto::AccountId32;
use parity_scale_codec::{Decode, Encode, Error as CodecError, Input, Output};
use scale_info::{build::Fields, build::Variants, Path, Type, TypeInfo};

/// Substrate's `sp_runtime::MultiSignature`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiSignature {
    Ed25519([u8; 64]),
    Sr25519([u8; 64]),
    /// A recoverable secp256k1 signature. Folio has no ecdsa host function, so transactions
    /// signed this way fail with `BadProof`; the variant exists so they decode.
    Ecdsa([u8; 65]),
}

impl MultiSignature {
    /// Whether this signature signs `message` for `signer` (the account is the public key).
    pub fn verify(&self, message: &[u8], signer: &AccountId32) -> bool {
        match self {
            Self::Sr25519(sig) => crate::io::sr25519_verify(sig, message, &signer.0),
            Self::Ed25519(sig) => crate::io::ed25519_verify(sig, message, &signer.0),
            Self::Ecdsa(_) => false,
        }
    }
}

impl Encode for MultiSignature {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        match self {
            Self::Ed25519(sig) => {
                dest.push_byte(0);
                dest.write(sig);
            }
            Self::Sr25519(sig) => {
                dest.push_byte(1);
                dest.write(sig);
            }
            Self::Ecdsa(sig) => {
                dest.push_byte(2);
                dest.write(sig);
            }
        }
    }
}

impl Decode for MultiSignature {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        Ok(match input.read_byte()? {
            0 => Self::Ed25519(Decode::decode(input)?),
            1 => Self::Sr25519(Decode::decode(input)?),
            2 => Self::Ecdsa(Decode::decode(input)?),
            _ => return Err("unknown MultiSignature variant".into()),
        })
    }
}

/// The signature newtypes as Substrate describes them (`sp_core::<scheme>::Signature`).
fn signature_type(scheme: &'static str, len: u32) -> Type {
    let module = match scheme {
        "ed25519" => "sp_core::ed25519",
        "sr25519" => "sp_core::sr25519",
        _ => "sp_core::ecdsa",
    };
    let field = if len == 64 {
        Fields::unnamed().field(|f| f.ty::<[u8; 64]>().type_name("[u8; 64]"))
    } else {
        Fields::unnamed().field(|f| f.ty::<[u8; 65]>().type_name("[u8; 65]"))
    };
    Type::builder()
        .path(Path::new("Signature", module))
        .composite(field)
}

macro_rules! signature_newtype {
    ($name:ident, $scheme:literal, $len:literal) => {
        /// Type description only: the metadata names each scheme's signature like Substrate.
        pub struct $name;
        impl TypeInfo for $name {
            type Identity = Self;
            fn type_info() -> Type {
                signature_type($scheme, $len)
            }
        }
    };
}
signature_newtype!(Ed25519Signature, "ed25519", 64);
signature_newtype!(Sr25519Signature, "sr25519", 64);
signature_newtype!(EcdsaSignature, "ecdsa", 65);

impl TypeInfo for MultiSignature {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("MultiSignature", "sp_runtime"))
            .variant(
                Variants::new()
                    .variant("Ed25519", |v| {
                        v.index(0).fields(
                            Fields::unnamed().field(|f| {
                                f.ty::<Ed25519Signature>().type_name("ed25519::Signature")
                            }),
                        )
                    })
                    .variant("Sr25519", |v| {
                        v.index(1).fields(
                            Fields::unnamed().field(|f| {
                                f.ty::<Sr25519Signature>().type_name("sr25519::Signature")
                            }),
                        )
                    })
                    .variant("Ecdsa", |v| {
                        v.index(2).fields(
                            Fields::unnamed()
                                .field(|f| f.ty::<EcdsaSignature>().type_name("ecdsa::Signature")),
                        )
                    }),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_round_trip() {
        for sig in [
            MultiSignature::Ed25519([1; 64]),
            MultiSignature::Sr25519([2; 64]),
            MultiSignature::Ecdsa([3; 65]),
        ] {
            let bytes = sig.encode();
            assert_eq!(MultiSignature::decode(&mut &bytes[..]), Ok(sig));
        }
        assert!(MultiSignature::decode(&mut &[1u8, 0, 0][..]).is_err());
    }
}
