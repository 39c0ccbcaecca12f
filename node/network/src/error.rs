//! Errors of the network: one enum, with what a log line or a CLI error needs.

/// Why the network could not start or a setting is invalid.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("invalid node key: {0}")]
    NodeKey(String),
    #[error("node key file {path}: {reason}")]
    NodeKeyFile { path: String, reason: String },
    #[error("invalid multiaddress {address:?}: {reason}")]
    BadAddress { address: String, reason: String },
    #[error("boot node {address:?} has no /p2p/<PeerId> part")]
    BootNodeWithoutPeerId { address: String },
    #[error("cannot listen on {address}: {reason}")]
    Listen { address: String, reason: String },
    #[error("network setup failed: {0}")]
    Setup(String),
    #[error(transparent)]
    Chain(#[from] crate::chain::ChainAccessError),
}
