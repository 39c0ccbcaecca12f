//! Errors of consensus: one enum for the keystore, the seal and the import checks.

/// Why a key could not be stored or a block is not a valid Aura block.
#[derive(Debug, thiserror::Error)]
pub enum ConsensusError {
    #[error("keystore: {0}")]
    Keystore(String),
    #[error("invalid secret: {0}")]
    BadSecret(String),
    #[error("the secret is not the key of the given public key")]
    PublicMismatch,
    #[error("aura: the header has no seal")]
    MissingSeal,
    #[error("aura: the seal is not the slot author's signature of the header")]
    BadSeal,
    #[error("aura: the header carries no slot")]
    MissingSlot,
    #[error("aura: malformed pre-runtime digest")]
    BadPreDigest,
    #[error("aura: the parent's state has no authorities")]
    NoAuthorities,
    #[error("aura: slot {slot} is in the future (now {now})")]
    FutureSlot { slot: u64, now: u64 },
    #[error("aura: slot {slot} does not follow the parent's slot {parent}")]
    SlotNotIncreasing { slot: u64, parent: u64 },
    #[error("inherents refused: {0}")]
    Inherents(String),
    #[error("runtime answer: {0}")]
    Runtime(String),
    #[error("chain: {0}")]
    Chain(#[from] folio_chain::ChainError),
}

impl ConsensusError {
    /// Whether the block itself is wrong (its sender misbehaves), rather than the node failing
    /// to check it.
    pub fn is_bad_block(&self) -> bool {
        !matches!(self, Self::Keystore(_) | Self::Runtime(_) | Self::Chain(_))
    }
}
