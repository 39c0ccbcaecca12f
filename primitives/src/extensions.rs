//! The signed extensions of a Folio transaction: what is sent ("extra") and what is only
//! signed ("additional"), in the order the metadata lists them.
//!
//! Only Substrate's standard identifiers are used, so polkadot-js and subxt encode them from
//! their own hard-coded tables; the type descriptions here must match those tables exactly.

use crate::era::Era;
use crate::hash::H256;
use crate::{Balance, Nonce};
use alloc::vec::Vec;
use parity_scale_codec::{Compact, Decode, Encode, Error as CodecError, Input, Output};
use scale_info::{
    build::{Fields, Variants},
    meta_type, MetaType, Path, Type, TypeInfo,
};

/// The part of the signed extensions that travels in the transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedExtra {
    /// `CheckMortality`.
    pub era: Era,
    /// `CheckNonce`.
    pub nonce: Nonce,
    /// `ChargeTransactionPayment`.
    pub tip: Balance,
    /// `CheckMetadataHash` mode: 0 = disabled (the only mode Folio accepts), 1 = enabled.
    pub metadata_hash_mode: u8,
}

impl Encode for SignedExtra {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        // CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis carry nothing.
        self.era.encode_to(dest);
        Compact(self.nonce).encode_to(dest);
        // CheckWeight carries nothing.
        Compact(self.tip).encode_to(dest);
        dest.push_byte(self.metadata_hash_mode);
    }
}

impl Decode for SignedExtra {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        let era = Era::decode(input)?;
        let Compact(nonce) = Compact::<Nonce>::decode(input)?;
        let Compact(tip) = Compact::<Balance>::decode(input)?;
        let metadata_hash_mode = input.read_byte()?;
        if metadata_hash_mode > 1 {
            return Err("invalid CheckMetadataHash mode".into());
        }
        Ok(Self {
            era,
            nonce,
            tip,
            metadata_hash_mode,
        })
    }
}

/// The part of the signed extensions that is signed but rebuilt by the runtime from its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode)]
pub struct AdditionalSigned {
    /// `CheckSpecVersion`.
    pub spec_version: u32,
    /// `CheckTxVersion`.
    pub transaction_version: u32,
    /// `CheckGenesis`: `System.BlockHash[0]`.
    pub genesis_hash: H256,
    /// `CheckMortality`: `System.BlockHash[birth]` (the genesis hash when immortal).
    pub era_block_hash: H256,
    /// `CheckMetadataHash`: always `None` (mode 0).
    pub metadata_hash: Option<[u8; 32]>,
}

/// One signed extension as the metadata describes it.
pub struct ExtensionDescription {
    pub identifier: &'static str,
    pub extra: MetaType,
    pub additional: MetaType,
}

/// The extensions in metadata (and encoding) order.
pub fn descriptions() -> Vec<ExtensionDescription> {
    fn describe<E: TypeInfo + 'static, A: TypeInfo + 'static>(
        identifier: &'static str,
    ) -> ExtensionDescription {
        ExtensionDescription {
            identifier,
            extra: meta_type::<E>(),
            additional: meta_type::<A>(),
        }
    }
    alloc::vec![
        describe::<CheckNonZeroSender, ()>("CheckNonZeroSender"),
        describe::<CheckSpecVersion, u32>("CheckSpecVersion"),
        describe::<CheckTxVersion, u32>("CheckTxVersion"),
        describe::<CheckGenesis, H256>("CheckGenesis"),
        describe::<CheckMortality, H256>("CheckMortality"),
        describe::<CheckNonce, ()>("CheckNonce"),
        describe::<CheckWeight, ()>("CheckWeight"),
        describe::<ChargeTransactionPayment, ()>("ChargeTransactionPayment"),
        describe::<CheckMetadataHash, Option<[u8; 32]>>("CheckMetadataHash"),
    ]
}

/// The tuple of all extensions: the `Extra` parameter of `UncheckedExtrinsic` in metadata.
pub type ExtraTuple = (
    CheckNonZeroSender,
    CheckSpecVersion,
    CheckTxVersion,
    CheckGenesis,
    CheckMortality,
    CheckNonce,
    CheckWeight,
    ChargeTransactionPayment,
    CheckMetadataHash,
);

macro_rules! empty_extension {
    ($name:ident, $module:literal) => {
        /// Type description of a signed extension that sends no data.
        pub struct $name;
        impl TypeInfo for $name {
            type Identity = Self;
            fn type_info() -> Type {
                Type::builder()
                    .path(Path::new(stringify!($name), $module))
                    .composite(Fields::unit())
            }
        }
    };
}

empty_extension!(
    CheckNonZeroSender,
    "frame_system::extensions::check_non_zero_sender"
);
empty_extension!(
    CheckSpecVersion,
    "frame_system::extensions::check_spec_version"
);
empty_extension!(CheckTxVersion, "frame_system::extensions::check_tx_version");
empty_extension!(CheckGenesis, "frame_system::extensions::check_genesis");
empty_extension!(CheckWeight, "frame_system::extensions::check_weight");

/// Type description of `CheckMortality(Era)`.
pub struct CheckMortality;
impl TypeInfo for CheckMortality {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new(
                "CheckMortality",
                "frame_system::extensions::check_mortality",
            ))
            .composite(Fields::unnamed().field(|f| f.ty::<Era>().type_name("Era")))
    }
}

/// Type description of `CheckNonce(#[codec(compact)] Nonce)`.
pub struct CheckNonce;
impl TypeInfo for CheckNonce {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new(
                "CheckNonce",
                "frame_system::extensions::check_nonce",
            ))
            .composite(Fields::unnamed().field(|f| f.compact::<Nonce>().type_name("T::Nonce")))
    }
}

/// Type description of `ChargeTransactionPayment(#[codec(compact)] Balance)` (the tip).
pub struct ChargeTransactionPayment;
impl TypeInfo for ChargeTransactionPayment {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new(
                "ChargeTransactionPayment",
                "pallet_transaction_payment",
            ))
            .composite(
                Fields::unnamed().field(|f| f.compact::<Balance>().type_name("BalanceOf<T>")),
            )
    }
}

/// Type description of `CheckMetadataHash { mode: Mode }`.
pub struct CheckMetadataHash;
impl TypeInfo for CheckMetadataHash {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new(
                "CheckMetadataHash",
                "frame_metadata_hash_extension",
            ))
            .composite(
                Fields::named()
                    .field(|f| f.ty::<MetadataHashMode>().name("mode").type_name("Mode")),
            )
    }
}

/// Type description of `frame_metadata_hash_extension::Mode`.
pub struct MetadataHashMode;
impl TypeInfo for MetadataHashMode {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("Mode", "frame_metadata_hash_extension"))
            .variant(
                Variants::new()
                    .variant("Disabled", |v| v.index(0))
                    .variant("Enabled", |v| v.index(1)),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_encodes_as_clients_do() {
        let extra = SignedExtra {
            era: Era::mortal(64, 100),
            nonce: 5,
            tip: 0,
            metadata_hash_mode: 0,
        };
        assert_eq!(extra.encode(), [0x45, 0x02, 0x14, 0x00, 0x00]);
        assert_eq!(SignedExtra::decode(&mut &extra.encode()[..]), Ok(extra));
    }

    #[test]
    fn unknown_metadata_mode_is_rejected() {
        assert!(SignedExtra::decode(&mut &[0x00u8, 0x00, 0x00, 0x02][..]).is_err());
    }

    #[test]
    fn nine_extensions_in_substrate_order() {
        let names: Vec<_> = descriptions().iter().map(|d| d.identifier).collect();
        assert_eq!(
            names,
            [
                "CheckNonZeroSender",
                "CheckSpecVersion",
                "CheckTxVersion",
                "CheckGenesis",
                "CheckMortality",
                "CheckNonce",
                "CheckWeight",
                "ChargeTransactionPayment",
                "CheckMetadataHash"
            ]
        );
    }
}
