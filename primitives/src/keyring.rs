//! Development keys: `//Alice` … `//Ferdie` derived exactly as Substrate derives them, and
//! signing for tests, benchmarks and tools. Never used by the runtime.
//!
//! Derivation (sp-core): the dev phrase's BIP-39 *entropy* → PBKDF2 mini-secret
//! (`substrate-bip39`), then one hard junction per `//name` whose chain code is the SCALE
//! encoding of the name, zero-padded to 32 bytes (blake2-256 if longer).

use crate::crypto::AccountId32;
use crate::signature::MultiSignature;
use parity_scale_codec::Encode;
use schnorrkel::{derive::ChainCode, ExpansionMode, MiniSecretKey};

/// Substrate's well-known development phrase.
pub const DEV_PHRASE: &str =
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/// Why a secret URI could not be turned into a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    InvalidPhrase,
    /// Only hard junctions (`//name`) are supported.
    UnsupportedJunction(String),
    InvalidSeed,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidPhrase => write!(f, "invalid BIP-39 phrase"),
            Self::UnsupportedJunction(j) => write!(f, "unsupported derivation junction {j:?}"),
            Self::InvalidSeed => write!(f, "invalid seed"),
        }
    }
}

impl std::error::Error for KeyError {}

/// The chain code of a junction: its SCALE encoding, padded or hashed to 32 bytes.
fn chain_code(junction: &str) -> [u8; 32] {
    let encoded = match junction.parse::<u64>() {
        Ok(n) => n.encode(),
        Err(_) => junction.encode(),
    };
    let mut cc = [0u8; 32];
    if encoded.len() > 32 {
        cc = crate::crypto::native::blake2_256(&encoded);
    } else {
        if let Some(slot) = cc.get_mut(..encoded.len()) {
            slot.copy_from_slice(&encoded);
        }
    }
    cc
}

/// Splits `"<phrase>//a//b"` into the phrase (dev phrase when empty) and hard junctions.
fn split_uri(uri: &str) -> Result<(&str, Vec<String>), KeyError> {
    let (phrase, path) = match uri.find('/') {
        Some(at) => uri.split_at(at),
        None => (uri, ""),
    };
    let phrase = if phrase.trim().is_empty() {
        DEV_PHRASE
    } else {
        phrase.trim()
    };
    let mut junctions = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("//") else {
            return Err(KeyError::UnsupportedJunction(rest.to_string()));
        };
        let end = after.find('/').unwrap_or(after.len());
        junctions.push(after[..end].to_string());
        rest = &after[end..];
    }
    Ok((phrase, junctions))
}

fn mini_secret_of(phrase: &str) -> Result<[u8; 32], KeyError> {
    let mnemonic = bip39::Mnemonic::parse_in(bip39::Language::English, phrase)
        .map_err(|_| KeyError::InvalidPhrase)?;
    let entropy = mnemonic.to_entropy();
    let seed = substrate_bip39::mini_secret_from_entropy(&entropy, "")
        .map_err(|_| KeyError::InvalidPhrase)?;
    Ok(seed.to_bytes())
}

/// An sr25519 key pair.
#[derive(Clone)]
pub struct Sr25519Pair(schnorrkel::Keypair);

impl Sr25519Pair {
    /// From a secret URI such as `//Alice` or `"<phrase>//hard"`.
    pub fn from_uri(uri: &str) -> Result<Self, KeyError> {
        let (phrase, junctions) = split_uri(uri)?;
        let mini = MiniSecretKey::from_bytes(&mini_secret_of(phrase)?)
            .map_err(|_| KeyError::InvalidSeed)?;
        let mut secret = mini.expand(ExpansionMode::Ed25519);
        for junction in junctions {
            let (derived, _) =
                secret.hard_derive_mini_secret_key(Some(ChainCode(chain_code(&junction))), b"");
            secret = derived.expand(ExpansionMode::Ed25519);
        }
        Ok(Self(secret.to_keypair()))
    }
    /// From a 32-byte mini secret key (load generators derive many keys this way cheaply).
    pub fn from_seed(seed: &[u8; 32]) -> Result<Self, KeyError> {
        let mini = MiniSecretKey::from_bytes(seed).map_err(|_| KeyError::InvalidSeed)?;
        Ok(Self(mini.expand_to_keypair(ExpansionMode::Ed25519)))
    }
    pub fn public(&self) -> [u8; 32] {
        self.0.public.to_bytes()
    }
    pub fn account_id(&self) -> AccountId32 {
        AccountId32(self.public())
    }
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let context = schnorrkel::signing_context(crate::crypto::native::SIGNING_CONTEXT);
        self.0.sign(context.bytes(message)).to_bytes()
    }
    pub fn sign_multi(&self, message: &[u8]) -> MultiSignature {
        MultiSignature::Sr25519(self.sign(message))
    }
}

/// An ed25519 key pair.
#[derive(Clone)]
pub struct Ed25519Pair(ed25519_dalek::SigningKey);

impl Ed25519Pair {
    pub fn from_uri(uri: &str) -> Result<Self, KeyError> {
        let (phrase, junctions) = split_uri(uri)?;
        let mut seed = mini_secret_of(phrase)?;
        for junction in junctions {
            seed = crate::crypto::native::blake2_256(
                &("Ed25519HDKD", seed, chain_code(&junction)).encode(),
            );
        }
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }
    /// The pair of a 32-byte seed (a keystore's `0x` secret).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(seed))
    }
    pub fn public(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }
    pub fn account_id(&self) -> AccountId32 {
        AccountId32(self.public())
    }
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.0.sign(message).to_bytes()
    }
    pub fn sign_multi(&self, message: &[u8]) -> MultiSignature {
        MultiSignature::Ed25519(self.sign(message))
    }
}

/// The six well-known development accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyring {
    Alice,
    Bob,
    Charlie,
    Dave,
    Eve,
    Ferdie,
}

impl Keyring {
    pub const ALL: [Keyring; 6] = [
        Self::Alice,
        Self::Bob,
        Self::Charlie,
        Self::Dave,
        Self::Eve,
        Self::Ferdie,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Alice => "Alice",
            Self::Bob => "Bob",
            Self::Charlie => "Charlie",
            Self::Dave => "Dave",
            Self::Eve => "Eve",
            Self::Ferdie => "Ferdie",
        }
    }

    /// The sr25519 pair of `//<Name>`.
    #[allow(clippy::expect_used)]
    pub fn pair(self) -> Sr25519Pair {
        Sr25519Pair::from_uri(&format!("//{}", self.name()))
            .expect("the dev phrase and a plain name always derive")
    }

    pub fn account_id(self) -> AccountId32 {
        self.pair().account_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Public keys from SUBSTRATE-COMPAT.md §9 (@polkadot/keyring 14.0.3).
    #[test]
    fn dev_accounts_match_substrate() {
        let expected = [
            (
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
            ),
            (
                "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
                "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
            ),
            (
                "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22",
                "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
            ),
            (
                "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20",
                "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy",
            ),
            (
                "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e",
                "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
            ),
            (
                "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c",
                "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
            ),
        ];
        for (who, (public, address)) in Keyring::ALL.iter().zip(expected) {
            assert_eq!(hex::encode(who.pair().public()), public, "{who:?}");
            assert_eq!(who.account_id().to_string(), address, "{who:?}");
        }
    }

    #[test]
    fn nested_and_ed25519_derivations_match_substrate() {
        let stash = Sr25519Pair::from_uri("//Alice//stash").unwrap();
        assert_eq!(
            hex::encode(stash.public()),
            "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f"
        );
        let ed = Ed25519Pair::from_uri("//Alice").unwrap();
        assert_eq!(
            hex::encode(ed.public()),
            "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
        );
    }

    #[test]
    fn signatures_verify_natively() {
        let alice = Keyring::Alice.pair();
        let sig = alice.sign(b"hello");
        assert!(crate::crypto::native::sr25519_verify(
            &sig,
            b"hello",
            &alice.public()
        ));
        assert!(!crate::crypto::native::sr25519_verify(
            &sig,
            b"hellO",
            &alice.public()
        ));
        let ed = Ed25519Pair::from_uri("//Bob").unwrap();
        let sig = ed.sign(b"x");
        assert!(crate::crypto::native::ed25519_verify(
            &sig,
            b"x",
            &ed.public()
        ));
    }

    #[test]
    fn soft_junctions_are_refused() {
        assert!(matches!(
            Sr25519Pair::from_uri("/soft"),
            Err(KeyError::UnsupportedJunction(_))
        ));
        assert_eq!(
            Sr25519Pair::from_uri("not a phrase//x").err(),
            Some(KeyError::InvalidPhrase)
        );
    }
}
