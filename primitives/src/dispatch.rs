//! Why a dispatch failed, in Substrate's variant order so subxt and polkadot-js read it.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The result of dispatching a call.
pub type DispatchResult = Result<(), DispatchError>;

/// A pallet's error: its index in the runtime and the error's index in its `Error` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub struct ModuleError {
    pub index: u8,
    /// The error's variant index followed by up to three bytes of its fields.
    pub error: [u8; 4],
}

/// Substrate's `DispatchError`; the variant order is part of the wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub enum DispatchError {
    Other,
    CannotLookup,
    BadOrigin,
    Module(ModuleError),
    ConsumerRemaining,
    NoProviders,
    TooManyConsumers,
    Token(TokenError),
    Arithmetic(ArithmeticError),
    Transactional(TransactionalError),
    Exhausted,
    Corruption,
    Unavailable,
    RootNotAllowed,
    Trie(TrieError),
}

/// Errors of fungible-token operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub enum TokenError {
    FundsUnavailable,
    OnlyProvider,
    BelowMinimum,
    CannotCreate,
    UnknownAsset,
    Frozen,
    Unsupported,
    CannotCreateHold,
    NotExpendable,
    Blocked,
}

/// Checked arithmetic failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_arithmetic"))]
pub enum ArithmeticError {
    Underflow,
    Overflow,
    DivisionByZero,
}

/// Storage transactions nested too deep, or none to close.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub enum TransactionalError {
    LimitReached,
    NoLayer,
}

/// Errors of state proofs (kept for the variant list; Folio's runtime does not raise them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(replace_segment("folio_primitives", "sp_runtime"))]
pub enum TrieError {
    InvalidStateRoot,
    IncompleteDatabase,
    ValueAtIncompleteKey,
    DecoderError,
    InvalidHash,
    DuplicateKey,
    ExtraneousNode,
    ExtraneousValue,
    ExtraneousHashReference,
    InvalidChildReference,
    ValueMismatch,
    IncompleteProof,
    RootMismatch,
    DecodeError,
}

impl From<ArithmeticError> for DispatchError {
    fn from(e: ArithmeticError) -> Self {
        Self::Arithmetic(e)
    }
}

impl From<TokenError> for DispatchError {
    fn from(e: TokenError) -> Self {
        Self::Token(e)
    }
}

impl From<TransactionalError> for DispatchError {
    fn from(e: TransactionalError) -> Self {
        Self::Transactional(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_indices_follow_substrate() {
        assert_eq!(DispatchError::Other.encode(), [0]);
        assert_eq!(DispatchError::BadOrigin.encode(), [2]);
        assert_eq!(
            DispatchError::Module(ModuleError {
                index: 6,
                error: [2, 0, 0, 0]
            })
            .encode(),
            [3, 6, 2, 0, 0, 0]
        );
        assert_eq!(
            DispatchError::Token(TokenError::FundsUnavailable).encode(),
            [7, 0]
        );
        assert_eq!(
            DispatchError::Arithmetic(ArithmeticError::Overflow).encode(),
            [8, 1]
        );
        assert_eq!(DispatchError::RootNotAllowed.encode(), [13]);
        assert_eq!(
            DispatchError::Trie(TrieError::DecodeError).encode(),
            [14, 13]
        );
    }
}
