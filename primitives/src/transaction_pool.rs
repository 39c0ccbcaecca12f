//! What the transaction pool answers about a transaction: why it refused one, and the
//! statuses its watchers hear (`author_extrinsicUpdate`). Shared by the pool (`folio-chain`)
//! and the RPC layer (`folio-rpc`), which know nothing of each other.

use crate::hash::H256;
use crate::transaction_validity::TransactionValidityError;

/// Why the pool refused a transaction.
#[derive(Debug, Clone)]
pub enum SubmitError {
    /// The bytes are not an extrinsic (bad length prefix, version, or undecodable).
    BadFormat(String),
    /// The runtime says the transaction is invalid or unknown.
    Invalid(TransactionValidityError),
    /// The validation call itself failed.
    Verification(String),
    /// The transaction is temporarily banned (recently found invalid).
    TemporarilyBanned,
    /// The same transaction is already in the pool.
    AlreadyImported,
    /// A transaction with the same tags and a higher or equal priority is in the pool.
    TooLowPriority,
    /// The pool is full.
    PoolFull,
}

/// A transaction's progress, as `author_extrinsicUpdate` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionStatus {
    Future,
    Ready,
    InBlock(H256),
    Retracted(H256),
    Finalized(H256),
    /// Replaced by the transaction with this hash.
    Usurped(H256),
    Dropped,
    Invalid,
}

impl TransactionStatus {
    /// Whether no status follows this one.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Finalized(_) | Self::Usurped(_) | Self::Dropped | Self::Invalid
        )
    }
}

impl core::fmt::Display for SubmitError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BadFormat(reason) => write!(f, "invalid extrinsic format: {reason}"),
            Self::Invalid(error) => write!(f, "transaction validity error: {error:?}"),
            Self::Verification(reason) => write!(f, "verification error: {reason}"),
            Self::TemporarilyBanned => f.write_str("transaction is temporarily banned"),
            Self::AlreadyImported => f.write_str("transaction already imported"),
            Self::TooLowPriority => f.write_str("priority is too low to replace"),
            Self::PoolFull => f.write_str("pool is full"),
        }
    }
}

impl std::error::Error for SubmitError {}
