//! The node key: the ed25519 secret behind the node's PeerId.
//!
//! Given as hex (`--node-key`), read from a file (`--node-key-file`: 32 raw bytes or 64 hex
//! characters, as Substrate accepts), or generated once and kept in the base path so the
//! PeerId survives restarts (boot node addresses name it).

use crate::error::NetworkError;
use libp2p::identity::{ed25519, Keypair};
use std::path::Path;

/// An ed25519 secret key for the node's identity.
#[derive(Clone)]
pub struct NodeKey {
    secret: [u8; 32],
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        write!(f, "NodeKey({})", self.peer_id())
    }
}

impl NodeKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let secret = ed25519::SecretKey::generate();
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(secret.as_ref());
        Self { secret: bytes }
    }

    /// From 64 hex characters (an optional `0x` prefix allowed).
    pub fn from_hex(text: &str) -> Result<Self, NetworkError> {
        let text = text.trim();
        let text = text.strip_prefix("0x").unwrap_or(text);
        let bytes = hex::decode(text).map_err(|e| NetworkError::NodeKey(e.to_string()))?;
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|_| NetworkError::NodeKey("expected 32 bytes (64 hex characters)".into()))?;
        Ok(Self { secret })
    }

    /// From a file holding 32 raw bytes or 64 hex characters.
    pub fn from_file(path: &Path) -> Result<Self, NetworkError> {
        let file_error = |reason: String| NetworkError::NodeKeyFile {
            path: path.display().to_string(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| file_error(e.to_string()))?;
        if let Ok(secret) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(Self { secret });
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| file_error("expected 32 raw bytes or 64 hex characters".into()))?;
        Self::from_hex(&text).map_err(|e| file_error(e.to_string()))
    }

    /// The key in `path`, or a new one written there (raw bytes, readable by the owner only).
    pub fn load_or_generate(path: &Path) -> Result<Self, NetworkError> {
        if path.exists() {
            return Self::from_file(path);
        }
        let file_error = |reason: String| NetworkError::NodeKeyFile {
            path: path.display().to_string(),
            reason,
        };
        let key = Self::generate();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| file_error(e.to_string()))?;
        }
        write_private(path, &key.secret).map_err(|e| file_error(e.to_string()))?;
        tracing::info!(target: "folio::network", path = %path.display(), peer_id = %key.peer_id(), "generated a node key");
        Ok(key)
    }

    pub(crate) fn keypair(&self) -> Keypair {
        let mut secret = self.secret;
        // `from_bytes` zeroes its input; a copy keeps `self` usable. It fails only on a wrong
        // length, which the array type rules out.
        let secret = ed25519::SecretKey::try_from_bytes(&mut secret)
            .expect("a 32-byte array is a valid ed25519 secret");
        Keypair::from(ed25519::Keypair::from(secret))
    }

    /// The PeerId this key gives the node (base58, `12D3KooW…`).
    pub fn peer_id(&self) -> String {
        self.keypair().public().to_peer_id().to_base58()
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_kept_and_gives_the_same_peer_id() {
        let dir = std::env::temp_dir().join(format!("folio-node-key-{}", std::process::id()));
        let path = dir.join("secret_ed25519");
        let _ = std::fs::remove_file(&path);
        let first = NodeKey::load_or_generate(&path).unwrap();
        let second = NodeKey::load_or_generate(&path).unwrap();
        assert_eq!(first.peer_id(), second.peer_id());
        assert!(first.peer_id().starts_with("12D3KooW"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn hex_keys_are_checked() {
        let key = NodeKey::from_hex(&"01".repeat(32)).unwrap();
        assert_eq!(
            key.peer_id(),
            NodeKey::from_hex(&format!("0x{}", "01".repeat(32)))
                .unwrap()
                .peer_id()
        );
        assert!(NodeKey::from_hex("abcd").is_err());
        assert!(NodeKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
