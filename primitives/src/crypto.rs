//! Accounts and the native implementations of hashing and signature checks.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use scale_info::{build::Fields, Path, Type, TypeInfo};

/// A 32-byte account identifier: an sr25519 or ed25519 public key.
///
/// Shown to clients as `sp_core::crypto::AccountId32`, which polkadot-js displays in SS58.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct AccountId32(pub [u8; 32]);

impl TypeInfo for AccountId32 {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("AccountId32", "sp_core::crypto"))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")))
    }
}

impl AccountId32 {
    pub const fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
    /// The account that owns a pallet's funds (Substrate's `PalletId::into_account_truncating`):
    /// `"modl" ++ id ++ zero padding`.
    pub fn for_pallet(id: &[u8; 8]) -> Self {
        let mut bytes = [0u8; 32];
        let (head, rest) = bytes.split_at_mut(4);
        head.copy_from_slice(b"modl");
        if let Some(slot) = rest.get_mut(..8) {
            slot.copy_from_slice(id);
        }
        Self(bytes)
    }
}

impl AsRef<[u8]> for AccountId32 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; 32]> for AccountId32 {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl core::fmt::Debug for AccountId32 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", crate::ss58::encode(&self.0, crate::SS58_PREFIX))
    }
}

impl core::fmt::Display for AccountId32 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", crate::ss58::encode(&self.0, crate::SS58_PREFIX))
    }
}

impl core::str::FromStr for AccountId32 {
    type Err = crate::ss58::Ss58Error;
    /// Accepts an SS58 address (any prefix) or `0x`-prefixed hex of 32 bytes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::ss58::parse_account(s)
    }
}

impl serde::Serialize for AccountId32 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::ss58::encode(&self.0, crate::SS58_PREFIX))
    }
}

impl<'de> serde::Deserialize<'de> for AccountId32 {
    /// Genesis configs name accounts by SS58 address or 0x-hex.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::string::String as serde::Deserialize>::deserialize(deserializer)?;
        crate::ss58::parse_account(&text).map_err(serde::de::Error::custom)
    }
}

/// Which scheme a signature uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureKind {
    Sr25519,
    Ed25519,
}

/// Native hashing and signature checks: what the host functions do on the node.
#[cfg(feature = "std")]
pub mod native {
    use super::SignatureKind;
    use blake2::digest::{consts::U16, consts::U32, Digest};
    use twox_hash::XxHash64;

    pub fn blake2_128(data: &[u8]) -> [u8; 16] {
        blake2::Blake2b::<U16>::digest(data).into()
    }
    pub fn blake2_256(data: &[u8]) -> [u8; 32] {
        blake2::Blake2b::<U32>::digest(data).into()
    }
    pub fn twox_64(data: &[u8]) -> [u8; 8] {
        XxHash64::oneshot(0, data).to_le_bytes()
    }
    pub fn twox_128(data: &[u8]) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&XxHash64::oneshot(0, data).to_le_bytes());
        out[8..].copy_from_slice(&XxHash64::oneshot(1, data).to_le_bytes());
        out
    }

    /// The sr25519 signing context Substrate uses for transactions.
    pub const SIGNING_CONTEXT: &[u8] = b"substrate";

    pub fn sr25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        let Ok(public) = schnorrkel::PublicKey::from_bytes(public) else {
            return false;
        };
        let Ok(sig) = schnorrkel::Signature::from_bytes(sig) else {
            return false;
        };
        public.verify_simple(SIGNING_CONTEXT, msg, &sig).is_ok()
    }
    /// Verifies many sr25519 signatures at once (schnorrkel's batch equation: about half the
    /// cost per signature of one-by-one checks). True only if every signature is valid; a
    /// false result does not say which one failed.
    pub fn sr25519_verify_batch(items: &[(&[u8; 64], &[u8], &[u8; 32])]) -> bool {
        let mut transcripts = Vec::with_capacity(items.len());
        let mut signatures = Vec::with_capacity(items.len());
        let mut publics = Vec::with_capacity(items.len());
        for (sig, msg, public) in items {
            let (Ok(public), Ok(sig)) = (
                schnorrkel::PublicKey::from_bytes(&public[..]),
                schnorrkel::Signature::from_bytes(&sig[..]),
            ) else {
                return false;
            };
            transcripts.push(schnorrkel::signing_context(SIGNING_CONTEXT).bytes(msg));
            signatures.push(sig);
            publics.push(public);
        }
        schnorrkel::verify_batch(transcripts, &signatures, &publics, false).is_ok()
    }
    pub fn ed25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        let Ok(public) = ed25519_dalek::VerifyingKey::from_bytes(public) else {
            return false;
        };
        let sig = ed25519_dalek::Signature::from_bytes(sig);
        use ed25519_dalek::Verifier;
        public.verify(msg, &sig).is_ok()
    }
    pub fn verify(kind: SignatureKind, sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        match kind {
            SignatureKind::Sr25519 => sr25519_verify(sig, msg, public),
            SignatureKind::Ed25519 => ed25519_verify(sig, msg, public),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twox_128_of_system_matches_substrate() {
        assert_eq!(
            hex::encode(native::twox_128(b"System")),
            "26aa394eea5630e07c48ae0c9558cef7"
        );
    }

    #[test]
    fn a_batch_verifies_only_when_every_signature_does() {
        use crate::keyring::Sr25519Pair;
        let keys: Vec<_> = (1..=5u8)
            .map(|i| Sr25519Pair::from_seed(&[i; 32]).unwrap())
            .collect();
        let messages: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 40]).collect();
        let signatures: Vec<_> = keys.iter().zip(&messages).map(|(k, m)| k.sign(m)).collect();
        let publics: Vec<_> = keys.iter().map(Sr25519Pair::public).collect();
        let batch = |sigs: &[[u8; 64]]| {
            let items: Vec<_> = sigs
                .iter()
                .zip(&messages)
                .zip(&publics)
                .map(|((s, m), p)| (s, m.as_slice(), p))
                .collect();
            native::sr25519_verify_batch(&items)
        };
        assert!(batch(&signatures));
        assert!(signatures
            .iter()
            .zip(&messages)
            .zip(&publics)
            .all(|((s, m), p)| native::sr25519_verify(s, m, p)));
        // One signature of another message spoils the batch.
        let mut tampered = signatures.clone();
        tampered[3] = keys[3].sign(b"something else");
        assert!(!batch(&tampered));
        // So does a signature that is not even a valid encoding.
        let mut garbage = signatures;
        garbage[0] = [0xff; 64];
        assert!(!batch(&garbage));
        assert!(native::sr25519_verify_batch(&[]));
    }

    #[test]
    fn treasury_account_is_modl_prefixed() {
        let treasury = AccountId32::for_pallet(b"py/trsry");
        assert_eq!(
            hex::encode(treasury.0),
            "6d6f646c70792f74727372790000000000000000000000000000000000000000"
        );
        assert_eq!(
            treasury.to_string(),
            "5EYCAe5ijiYfyeZ2JJCGq56LmPyNRAKzpG4QkoQkkQNB5e6Z"
        );
    }
}
