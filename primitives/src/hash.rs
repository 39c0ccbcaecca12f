//! `H256`, the 32-byte hash used for blocks, state roots and transactions.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use scale_info::{build::Fields, Path, Type, TypeInfo};

/// A blake2-256 hash. Shown to clients as `primitive_types::H256`.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct H256(pub [u8; 32]);

impl TypeInfo for H256 {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("H256", "primitive_types"))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")))
    }
}

impl H256 {
    pub const fn zero() -> Self {
        Self([0; 32])
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    /// `0x`-prefixed lowercase hex, as JSON-RPC writes hashes.
    pub fn to_hex(&self) -> alloc::string::String {
        let mut out = alloc::string::String::with_capacity(66);
        out.push_str("0x");
        for b in self.0 {
            out.push_str(&alloc::format!("{b:02x}"));
        }
        out
    }
}

impl From<[u8; 32]> for H256 {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl AsRef<[u8]> for H256 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for H256 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl core::fmt::Display for H256 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl core::str::FromStr for H256 {
    type Err = crate::ss58::Ss58Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix("0x").unwrap_or(s);
        crate::ss58::decode_hex::<32>(hex).map(Self)
    }
}

/// blake2-256 of the SCALE encoding of `value`.
pub fn hash_of<T: Encode>(value: &T) -> H256 {
    H256(value.using_encoded(crate::io::blake2_256))
}
