//! Errors of the chain: one enum, with the context a log line or an RPC error needs.

use folio_primitives::hash::H256;

/// Why a chain operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("storage: {0}")]
    Storage(#[from] folio_storage::StorageError),
    #[error("executor: {0}")]
    Executor(#[from] folio_executor::ExecutorError),
    #[error("unknown block {0}")]
    UnknownBlock(H256),
    #[error("no runtime code in the state of block {0}")]
    MissingCode(H256),
    #[error("runtime call {method} returned undecodable output: {reason}")]
    BadRuntimeOutput {
        method: &'static str,
        reason: String,
    },
    #[error("invalid chain spec: {0}")]
    ChainSpec(String),
    #[error("genesis build failed: {0}")]
    Genesis(String),
    #[error("the database holds genesis {stored}, the chain spec gives {spec}")]
    GenesisMismatch { stored: H256, spec: H256 },
    #[error("block {number} ({hash}) failed to import: {reason}")]
    ImportFailed {
        number: u32,
        hash: H256,
        reason: String,
    },
    #[error("the built header's extrinsics root {header} is not the root {body} of the body")]
    ExtrinsicsRootMismatch { header: H256, body: H256 },
    #[error("the database can no longer be written since an earlier write failed: {0}")]
    WritesFailed(String),
    #[error("block building failed: {0}")]
    Build(String),
}
