//! The crate's errors.

/// Why finality failed. The voter stops on an error (the node restarts it); a bad message
/// from a peer is not an error, only dropped.
#[derive(Debug, thiserror::Error)]
pub enum FinalityError {
    /// An error of the GRANDPA algorithm itself (a block it needs is not known).
    #[error("grandpa: {0:?}")]
    Grandpa(finality_grandpa::Error),
    /// The vote store could not be read or written: the voter must not vote then.
    #[error("vote store: {0}")]
    Store(String),
    /// The chain refused to finalize a block.
    #[error("finalizing {hash:?}: {reason}")]
    Finalize { hash: crate::Hash, reason: String },
    /// A block the voter needs is not in the chain.
    #[error("unknown block {0:?}")]
    UnknownBlock(crate::Hash),
    /// The outgoing network channel is closed.
    #[error("network closed")]
    NetworkClosed,
    /// A justification that does not prove its block final.
    #[error("bad justification: {0}")]
    BadJustification(&'static str),
}

impl From<finality_grandpa::Error> for FinalityError {
    fn from(error: finality_grandpa::Error) -> Self {
        Self::Grandpa(error)
    }
}
