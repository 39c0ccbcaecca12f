//! `MultiAddress`, the address type of transaction senders and call arguments.

use crate::crypto::AccountId32;
use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode, Error as CodecError, Input, Output};
use scale_info::{build::Variants, Path, Type, TypeInfo, TypeParameter};

/// Substrate's `MultiAddress<AccountId32, ()>` (the Polkadot flavour: no account indices).
///
/// Only `Id` resolves to an account on Folio, as with FRAME's `AccountIdLookup`; the other
/// variants decode (so any client-built address is readable) and fail lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MultiAddress {
    /// An account id (variant 0): what polkadot-js and subxt send.
    Id(AccountId32),
    /// An account index (variant 1); Folio has no index pallet, so its payload is `Compact<()>`.
    Index,
    /// Raw bytes (variant 2).
    Raw(Vec<u8>),
    /// A 32-byte address that is not necessarily a public key (variant 3).
    Address32([u8; 32]),
    /// A 20-byte (Ethereum-style) address (variant 4).
    Address20([u8; 20]),
}

impl MultiAddress {
    /// The account this address names, if Folio can resolve it.
    pub fn lookup(&self) -> Option<AccountId32> {
        match self {
            Self::Id(account) => Some(*account),
            _ => None,
        }
    }
}

impl From<AccountId32> for MultiAddress {
    fn from(account: AccountId32) -> Self {
        Self::Id(account)
    }
}

impl Encode for MultiAddress {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        match self {
            Self::Id(account) => {
                dest.push_byte(0);
                account.encode_to(dest);
            }
            Self::Index => dest.push_byte(1),
            Self::Raw(bytes) => {
                dest.push_byte(2);
                bytes.encode_to(dest);
            }
            Self::Address32(bytes) => {
                dest.push_byte(3);
                bytes.encode_to(dest);
            }
            Self::Address20(bytes) => {
                dest.push_byte(4);
                bytes.encode_to(dest);
            }
        }
    }
}

impl Decode for MultiAddress {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        Ok(match input.read_byte()? {
            0 => Self::Id(AccountId32::decode(input)?),
            1 => Self::Index,
            2 => Self::Raw(Vec::decode(input)?),
            3 => Self::Address32(Decode::decode(input)?),
            4 => Self::Address20(Decode::decode(input)?),
            _ => return Err("unknown MultiAddress variant".into()),
        })
    }
}

impl TypeInfo for MultiAddress {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("MultiAddress", "sp_runtime::multiaddress"))
            .type_params([
                TypeParameter::new("AccountId", Some(scale_info::meta_type::<AccountId32>())),
                TypeParameter::new("AccountIndex", Some(scale_info::meta_type::<()>())),
            ])
            .variant(
                Variants::new()
                    .variant("Id", |v| {
                        v.index(0).fields(
                            scale_info::build::Fields::unnamed()
                                .field(|f| f.ty::<AccountId32>().type_name("AccountId")),
                        )
                    })
                    .variant("Index", |v| {
                        v.index(1).fields(
                            scale_info::build::Fields::unnamed()
                                .field(|f| f.compact::<()>().type_name("AccountIndex")),
                        )
                    })
                    .variant("Raw", |v| {
                        v.index(2).fields(
                            scale_info::build::Fields::unnamed()
                                .field(|f| f.ty::<Vec<u8>>().type_name("Vec<u8>")),
                        )
                    })
                    .variant("Address32", |v| {
                        v.index(3).fields(
                            scale_info::build::Fields::unnamed()
                                .field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")),
                        )
                    })
                    .variant("Address20", |v| {
                        v.index(4).fields(
                            scale_info::build::Fields::unnamed()
                                .field(|f| f.ty::<[u8; 20]>().type_name("[u8; 20]")),
                        )
                    }),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_encodes_with_variant_byte() {
        let addr = MultiAddress::Id(AccountId32([7; 32]));
        let bytes = addr.encode();
        assert_eq!(bytes.len(), 33);
        assert_eq!(bytes[0], 0);
        assert_eq!(MultiAddress::decode(&mut &bytes[..]), Ok(addr));
    }

    #[test]
    fn all_variants_round_trip_and_only_id_resolves() {
        let all = [
            MultiAddress::Id(AccountId32([1; 32])),
            MultiAddress::Index,
            MultiAddress::Raw(alloc::vec![1, 2, 3]),
            MultiAddress::Address32([2; 32]),
            MultiAddress::Address20([3; 20]),
        ];
        for addr in all {
            let bytes = addr.encode();
            assert_eq!(MultiAddress::decode(&mut &bytes[..]).as_ref(), Ok(&addr));
            assert_eq!(addr.lookup().is_some(), matches!(addr, MultiAddress::Id(_)));
        }
        assert!(MultiAddress::decode(&mut &[9u8][..]).is_err());
    }
}
