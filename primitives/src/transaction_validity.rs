//! Transaction validity as the pool and clients see it (`sp_runtime::transaction_validity`).

use crate::dispatch::DispatchError;
use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Why a transaction is invalid; variant order is Substrate's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum InvalidTransaction {
    /// The call is not allowed (e.g. a signed inherent).
    Call,
    /// The sender cannot pay the fees.
    Payment,
    /// The nonce is above the account's: valid later.
    Future,
    /// The nonce is below the account's: already used.
    Stale,
    /// The signature does not match.
    BadProof,
    /// The era's birth block is unknown (pruned or in the future).
    AncientBirthBlock,
    /// It would exceed the block's weight or length.
    ExhaustsResources,
    Custom(u8),
    /// A mandatory inherent failed.
    BadMandatory,
    /// A mandatory dispatch was sent as a transaction.
    MandatoryValidation,
    /// The sender is the all-zero account.
    BadSigner,
    IndeterminateImplicit,
    UnknownOrigin,
}

/// Validity cannot be determined; variant order is Substrate's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum UnknownTransaction {
    CannotLookup,
    NoUnsignedValidator,
    Custom(u8),
}

/// An invalid or unknown transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum TransactionValidityError {
    Invalid(InvalidTransaction),
    Unknown(UnknownTransaction),
}

impl From<InvalidTransaction> for TransactionValidityError {
    fn from(e: InvalidTransaction) -> Self {
        Self::Invalid(e)
    }
}

impl From<UnknownTransaction> for TransactionValidityError {
    fn from(e: UnknownTransaction) -> Self {
        Self::Unknown(e)
    }
}

impl InvalidTransaction {
    /// Substrate's message for the JSON-RPC error `data` (code 1010).
    pub fn message(&self) -> &'static str {
        match self {
            Self::Call => "Transaction call is not expected",
            Self::Payment => "Inability to pay some fees (e.g. account balance too low)",
            Self::Future => "Transaction will be valid in the future",
            Self::Stale => "Transaction is outdated",
            Self::BadProof => "Transaction has a bad signature",
            Self::AncientBirthBlock => "Transaction has an ancient birth block",
            Self::ExhaustsResources => "Transaction would exhaust the block limits",
            Self::Custom(_) => "InvalidTransaction custom error",
            Self::BadMandatory => "A call was labelled as mandatory, but resulted in an Error.",
            Self::MandatoryValidation => {
                "Transaction dispatch is mandatory; transactions must not be validated."
            }
            Self::BadSigner => "Invalid signing address",
            Self::IndeterminateImplicit => "The implicit data was unable to be calculated",
            Self::UnknownOrigin => "The transaction extension did not authorize any origin",
        }
    }
}

/// Where a transaction came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum TransactionSource {
    InBlock,
    Local,
    External,
}

/// A tag: an opaque identifier the pool orders transactions by.
pub type TransactionTag = Vec<u8>;

/// What the pool needs to know about a valid transaction.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ValidTransaction {
    /// Higher goes first (the tip raises it).
    pub priority: u64,
    /// Tags that must be provided by earlier transactions (the previous nonce).
    pub requires: Vec<TransactionTag>,
    /// Tags this transaction provides (its sender and nonce).
    pub provides: Vec<TransactionTag>,
    /// Blocks for which the validity holds (until the era's death).
    pub longevity: u64,
    pub propagate: bool,
}

/// The result of `TaggedTransactionQueue_validate_transaction`.
pub type TransactionValidity = Result<ValidTransaction, TransactionValidityError>;

/// The result of dispatching an extrinsic that was applied.
pub type DispatchOutcome = Result<(), DispatchError>;

/// The result of `BlockBuilder_apply_extrinsic`: outer error = not included at all.
pub type ApplyExtrinsicResult = Result<DispatchOutcome, TransactionValidityError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_transaction_indices() {
        assert_eq!(
            TransactionValidityError::Invalid(InvalidTransaction::Stale).encode(),
            [0, 3]
        );
        assert_eq!(
            TransactionValidityError::Invalid(InvalidTransaction::BadProof).encode(),
            [0, 4]
        );
        assert_eq!(
            TransactionValidityError::Unknown(UnknownTransaction::CannotLookup).encode(),
            [1, 0]
        );
        assert_eq!(InvalidTransaction::BadSigner.encode(), [10]);
    }
}
