//! The keystore: the node's consensus keys, in Substrate's file layout so a keystore
//! directory moves between Folio and Substrate nodes.
//!
//! One file per key in the keystore directory: its name is the hex key type (`61757261` for
//! `aura`) followed by the hex public key, its content the secret (a phrase, a secret URI such
//! as `//Alice`, or a `0x` seed) as a JSON string. Without a directory (temporary storage) keys
//! live in memory only.
//!
//! The key type picks the scheme, as Substrate's session keys do: `gran` (GRANDPA) keys are
//! ed25519, every other type sr25519.

use crate::ConsensusError;
use folio_primitives::crypto::SignatureKind;
use folio_primitives::externalities::KeyGenerator;
use folio_primitives::keyring::{Ed25519Pair, Sr25519Pair};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// A key's use, four bytes (`sp_core::crypto::KeyTypeId`).
pub type KeyType = [u8; 4];

/// Aura's key type.
pub const AURA: KeyType = *b"aura";

/// GRANDPA's key type: ed25519 keys the finality voter signs its votes with.
pub const GRANDPA: KeyType = *b"gran";

/// A key pair of either scheme.
#[derive(Clone)]
enum Pair {
    Sr25519(Sr25519Pair),
    Ed25519(Ed25519Pair),
}

impl Pair {
    fn public(&self) -> [u8; 32] {
        match self {
            Self::Sr25519(pair) => pair.public(),
            Self::Ed25519(pair) => pair.public(),
        }
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        match self {
            Self::Sr25519(pair) => pair.sign(message),
            Self::Ed25519(pair) => pair.sign(message),
        }
    }
}

/// The node's keys by key type and public key.
pub struct Keystore {
    dir: Option<PathBuf>,
    keys: RwLock<BTreeMap<(KeyType, [u8; 32]), Pair>>,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secrets.
        f.debug_struct("Keystore").field("dir", &self.dir).finish()
    }
}

/// The key pair of a secret as the keystore stores it: a `0x` 32-byte seed, else a secret
/// URI; ed25519 for [`GRANDPA`] keys, sr25519 otherwise.
fn pair_of(key_type: KeyType, secret: &str) -> Result<Pair, ConsensusError> {
    let bad = |reason: String| ConsensusError::BadSecret(reason);
    let ed25519 = key_type == GRANDPA;
    match secret.strip_prefix("0x") {
        Some(hex_seed) => {
            let bytes = hex::decode(hex_seed).map_err(|e| bad(e.to_string()))?;
            let seed: [u8; 32] = bytes
                .try_into()
                .map_err(|_| bad("a seed is 32 bytes".into()))?;
            if ed25519 {
                Ok(Pair::Ed25519(Ed25519Pair::from_seed(&seed)))
            } else {
                Sr25519Pair::from_seed(&seed)
                    .map(Pair::Sr25519)
                    .map_err(|e| bad(e.to_string()))
            }
        }
        None if ed25519 => Ed25519Pair::from_uri(secret)
            .map(Pair::Ed25519)
            .map_err(|e| bad(e.to_string())),
        None => Sr25519Pair::from_uri(secret)
            .map(Pair::Sr25519)
            .map_err(|e| bad(e.to_string())),
    }
}

fn file_name(key_type: KeyType, public: &[u8; 32]) -> String {
    format!("{}{}", hex::encode(key_type), hex::encode(public))
}

/// The key type and public key a keystore file name stands for.
fn parse_file_name(name: &str) -> Option<(KeyType, [u8; 32])> {
    let bytes = hex::decode(name).ok()?;
    let key_type: KeyType = bytes.get(..4)?.try_into().ok()?;
    let public: [u8; 32] = bytes.get(4..)?.try_into().ok()?;
    Some((key_type, public))
}

impl Keystore {
    /// A keystore kept in memory only.
    pub fn in_memory() -> Self {
        Self {
            dir: None,
            keys: RwLock::new(BTreeMap::new()),
        }
    }

    /// Opens (creating it if needed) the keystore in `dir` and loads its keys. A file that is
    /// not a key, or whose secret does not give the public key in its name, is skipped with a
    /// warning: it is not the node's to delete.
    ///
    /// # Errors
    /// The directory cannot be created or read.
    pub fn open(dir: &Path) -> Result<Self, ConsensusError> {
        std::fs::create_dir_all(dir).map_err(|e| ConsensusError::Keystore(e.to_string()))?;
        let mut keys = BTreeMap::new();
        let entries =
            std::fs::read_dir(dir).map_err(|e| ConsensusError::Keystore(e.to_string()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Some((key_type, public)) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(parse_file_name)
            else {
                continue;
            };
            match Self::load_file(key_type, &path, &public) {
                Ok(pair) => {
                    keys.insert((key_type, public), pair);
                }
                Err(error) => {
                    tracing::warn!(target: "folio::keystore", path = %path.display(), %error, "skipping a keystore file")
                }
            }
        }
        tracing::info!(target: "folio::keystore", path = %dir.display(), keys = keys.len(), "keystore opened");
        Ok(Self {
            dir: Some(dir.to_path_buf()),
            keys: RwLock::new(keys),
        })
    }

    fn load_file(
        key_type: KeyType,
        path: &Path,
        public: &[u8; 32],
    ) -> Result<Pair, ConsensusError> {
        let text = std::fs::read(path).map_err(|e| ConsensusError::Keystore(e.to_string()))?;
        let secret: String = serde_json::from_slice(&text)
            .map_err(|e| ConsensusError::BadSecret(format!("not a JSON string: {e}")))?;
        let pair = pair_of(key_type, &secret)?;
        if pair.public() != *public {
            return Err(ConsensusError::PublicMismatch);
        }
        Ok(pair)
    }

    /// Inserts the key of `secret` under `key_type`, checking it is the key of `public`
    /// (`author_insertKey`), and writes it to the directory.
    ///
    /// # Errors
    /// The secret is malformed or not `public`'s, or the file cannot be written.
    pub fn insert(
        &self,
        key_type: KeyType,
        secret: &str,
        public: &[u8; 32],
    ) -> Result<(), ConsensusError> {
        let pair = pair_of(key_type, secret)?;
        if pair.public() != *public {
            return Err(ConsensusError::PublicMismatch);
        }
        self.store(key_type, secret, pair)
    }

    /// Inserts the key of `secret` under `key_type` (the dev keys of `--alice` …) and returns
    /// its public key.
    ///
    /// # Errors
    /// The secret is malformed, or the file cannot be written.
    pub fn insert_secret(
        &self,
        key_type: KeyType,
        secret: &str,
    ) -> Result<[u8; 32], ConsensusError> {
        let pair = pair_of(key_type, secret)?;
        let public = pair.public();
        self.store(key_type, secret, pair)?;
        Ok(public)
    }

    /// Generates a new key of `key_type` from a random seed (`author_rotateKeys`).
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn generate(&self, key_type: KeyType) -> Result<[u8; 32], ConsensusError> {
        let seed: [u8; 32] = rand::random();
        self.insert_secret(key_type, &format!("0x{}", hex::encode(seed)))
    }

    fn store(&self, key_type: KeyType, secret: &str, pair: Pair) -> Result<(), ConsensusError> {
        let public = pair.public();
        if let Some(dir) = &self.dir {
            let path = dir.join(file_name(key_type, &public));
            let json =
                serde_json::to_vec(secret).map_err(|e| ConsensusError::Keystore(e.to_string()))?;
            write_private(&path, &json)?;
        }
        self.keys
            .write()
            .map_err(|_| ConsensusError::Keystore("keystore lock poisoned".into()))?
            .insert((key_type, public), pair);
        Ok(())
    }

    /// Whether the keystore holds `public` under `key_type` (`author_hasKey`).
    pub fn has_key(&self, key_type: KeyType, public: &[u8; 32]) -> bool {
        self.keys
            .read()
            .is_ok_and(|keys| keys.contains_key(&(key_type, *public)))
    }

    /// Signs `message` with `public`'s key under `key_type`, if the keystore holds it.
    pub fn sign(&self, key_type: KeyType, public: &[u8; 32], message: &[u8]) -> Option<[u8; 64]> {
        let keys = self.keys.read().ok()?;
        keys.get(&(key_type, *public))
            .map(|pair| pair.sign(message))
    }

    /// The ed25519 pair of `public` under `key_type` (the GRANDPA voter signs with it), if
    /// the keystore holds one.
    pub fn ed25519_pair(&self, key_type: KeyType, public: &[u8; 32]) -> Option<Ed25519Pair> {
        match self.keys.read().ok()?.get(&(key_type, *public))? {
            Pair::Ed25519(pair) => Some(pair.clone()),
            Pair::Sr25519(_) => None,
        }
    }

    /// The public keys held under `key_type`.
    pub fn public_keys(&self, key_type: KeyType) -> Vec<[u8; 32]> {
        self.keys.read().map_or_else(
            |_| Vec::new(),
            |keys| {
                keys.keys()
                    .filter(|(kind, _)| *kind == key_type)
                    .map(|(_, public)| *public)
                    .collect()
            },
        )
    }
}

/// Writes a secret readable by its owner only (where the platform has permissions).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ConsensusError> {
    let io = |e: std::io::Error| ConsensusError::Keystore(format!("{}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        file.write_all(bytes).map_err(io)
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, bytes).map_err(io)
    }
}

/// What `SessionKeys_generate_session_keys` creates keys in (`author_rotateKeys`). The key
/// type fixes the scheme here, so a runtime asking for the other one is refused.
impl KeyGenerator for Keystore {
    fn generate(
        &self,
        kind: SignatureKind,
        key_type: KeyType,
        seed: Option<&str>,
    ) -> Result<[u8; 32], String> {
        let expected = if key_type == GRANDPA {
            SignatureKind::Ed25519
        } else {
            SignatureKind::Sr25519
        };
        if kind != expected {
            return Err(format!(
                "key type {} holds {expected:?} keys, not {kind:?}",
                String::from_utf8_lossy(&key_type)
            ));
        }
        match seed {
            Some(seed) => self.insert_secret(key_type, seed),
            None => Keystore::generate(self, key_type),
        }
        .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::keyring::Keyring;

    #[test]
    fn keys_are_files_named_type_and_public_holding_the_secret_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::open(dir.path()).unwrap();
        let alice = Keyring::Alice.pair().public();
        store.insert(AURA, "//Alice", &alice).unwrap();
        let path = dir.path().join(format!("61757261{}", hex::encode(alice)));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "\"//Alice\"");

        let reopened = Keystore::open(dir.path()).unwrap();
        assert!(reopened.has_key(AURA, &alice));
        assert_eq!(reopened.public_keys(AURA), vec![alice]);
        let signature = reopened.sign(AURA, &alice, b"header").unwrap();
        assert!(folio_primitives::crypto::native::sr25519_verify(
            &signature, b"header", &alice
        ));
    }

    #[test]
    fn a_secret_that_is_not_the_public_keys_is_refused() {
        let store = Keystore::in_memory();
        let bob = Keyring::Bob.pair().public();
        assert!(matches!(
            store.insert(AURA, "//Alice", &bob),
            Err(ConsensusError::PublicMismatch)
        ));
        assert!(!store.has_key(AURA, &bob));
    }

    #[test]
    fn grandpa_keys_are_ed25519_derived_as_substrate_does() {
        let dir = tempfile::tempdir().unwrap();
        let store = Keystore::open(dir.path()).unwrap();
        let public = store.insert_secret(GRANDPA, "//Alice").unwrap();
        assert_eq!(
            hex::encode(public),
            "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
        );
        let reopened = Keystore::open(dir.path()).unwrap();
        let signature = reopened.sign(GRANDPA, &public, b"vote").unwrap();
        assert!(folio_primitives::crypto::native::ed25519_verify(
            &signature, b"vote", &public
        ));
        assert!(reopened.ed25519_pair(GRANDPA, &public).is_some());
        // The same secret under Aura is an sr25519 key: another public key.
        assert_ne!(store.insert_secret(AURA, "//Alice").unwrap(), public);
        let generated = reopened.generate(GRANDPA).unwrap();
        assert!(Keystore::open(dir.path())
            .unwrap()
            .ed25519_pair(GRANDPA, &generated)
            .is_some());
    }

    #[test]
    fn generated_keys_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let public = Keystore::open(dir.path()).unwrap().generate(AURA).unwrap();
        assert!(Keystore::open(dir.path()).unwrap().has_key(AURA, &public));
    }
}
