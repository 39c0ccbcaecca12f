//! Errors: why the server could not start ([`RpcError`]), and the one mapping from everything
//! a method can fail with to Substrate's JSON-RPC error objects ([`ApiError`]).
//!
//! Codes and messages are Substrate's (`sc-rpc-api` `author/error.rs`, `state/error.rs`,
//! `chain/error.rs`, `policy.rs`; `substrate-frame-rpc-system`), because clients show them to
//! users and some match on them (polkadot-js prints `"<code>: <message>: <data>"`).

use crate::backend::{BackendError, SubmitError};
use folio_primitives::hash::H256;
use folio_primitives::transaction_validity::{InvalidTransaction, TransactionValidityError};
use jsonrpsee::types::error::{
    ErrorObjectOwned, INTERNAL_ERROR_CODE, INVALID_PARAMS_CODE, METHOD_NOT_FOUND_CODE,
    OVERSIZED_RESPONSE_CODE, SERVER_IS_BUSY_CODE, SERVER_IS_BUSY_MSG,
};
use std::time::Duration;

/// Why [`crate::start_server`] failed.
#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    /// The listen address could not be bound (in use, no permission, …).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// A method was registered twice (a bug in this crate).
    #[error("method registration failed: {0}")]
    Register(String),
}

/// Substrate's error-code bases (`sc-rpc-api/src/error.rs`, `mod base`).
mod base {
    pub const AUTHOR: i32 = 1000;
    pub const SYSTEM: i32 = 2000;
    pub const CHAIN: i32 = 3000;
    pub const STATE: i32 = 4000;
}

/// `substrate-frame-rpc-system` and `pallet-transaction-payment-rpc` use these small codes.
const RUNTIME_ERROR: i32 = 1;
const DECODE_ERROR: i32 = 2;

/// Everything an RPC method can fail with. Converted to a JSON-RPC error object by the one
/// `From` impl below.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// Missing, malformed or out-of-range parameters (-32602).
    InvalidParams(String),
    /// An unsafe method called while the server runs with [`crate::RpcMethods::Safe`].
    UnsafeDenied,
    /// A `chain_*` method failed in the backend (3002, "Client error: …").
    Chain(BackendError),
    /// A `chain_*` request that cannot be answered (3001).
    ChainOther(String),
    /// A `state_*` method failed in the backend (4003, "Client error: …").
    State(BackendError),
    /// `state_getKeysPaged` with a count over the maximum (4002).
    StateInvalidCount { value: u32, max: u32 },
    /// A `state_*` request this node does not support (4003).
    StateUnsupported(String),
    /// The extrinsic bytes are not an extrinsic (1001).
    BadFormat(String),
    /// A keystore method (`author_insertKey` …) failed (1005).
    Keystore(String),
    /// The pool refused the transaction with this hash.
    Submit { error: SubmitError, tx_hash: H256 },
    /// `system_accountNextIndex`: the runtime nonce query failed (1).
    NonceQuery(BackendError),
    /// `system_dryRun`: the extrinsic does not decode (2).
    DryRunDecode(String),
    /// `system_dryRun`: the runtime call failed (1).
    DryRunRuntime(BackendError),
    /// `payment_queryInfo`: the extrinsic does not decode (2).
    PaymentDecode(String),
    /// `payment_queryInfo`: the runtime call failed or answered garbage (1).
    PaymentRuntime(String),
    /// `payment_queryFeeDetails`: the extrinsic does not decode (2).
    FeeDetailsDecode(String),
    /// `payment_queryFeeDetails`: the runtime call failed or answered garbage (1).
    FeeDetailsRuntime(String),
    /// RPC's budget of concurrent calls, or this connection's in-flight limit, is spent (-32009).
    Busy,
    /// The runtime call or read did not answer within the RPC call timeout (-32603).
    Timeout(Duration),
    /// A worker failed (-32603).
    Internal(String),
    /// More keys or block numbers than `max_keys_per_request` (-32602).
    TooManyKeys { count: usize, max: u32 },
    /// The answer grew past `max_response_size` while it was being built (-32008).
    ResponseTooBig { max: u32 },
    /// A node-internal runtime entry point asked for over safe RPC (-32601).
    InternalEntry(String),
    /// `system_health` while the node cannot work (2000, Substrate's `NotHealthy`).
    NotHealthy(String),
    /// An error the new JSON-RPC spec gives its own code (`chainHead_v1_*`: -32800 too many
    /// follow subscriptions, -32801 block not pinned, -32802 no runtime, -32803 not waiting
    /// for continue, -32804 duplicate hashes).
    Spec { code: i32, message: String },
}

impl ApiError {
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::InvalidParams(message.into())
    }
}

fn client_error(err: &BackendError) -> String {
    match err {
        BackendError::UnknownBlock(hash) => format!("Client error: UnknownBlock: {hash}"),
        BackendError::RuntimeCall { method, message } => {
            format!("Client error: Execution failed: {method}: {message}")
        }
        BackendError::Storage(message) => format!("Client error: Storage error: {message}"),
    }
}

fn owned(code: i32, message: impl Into<String>, data: Option<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(code, message, data)
}

/// The author error for a pool refusal (`sc-rpc-api/src/author/error.rs`).
fn submit_error(error: SubmitError, tx_hash: H256) -> ErrorObjectOwned {
    const POOL_INVALID_TX: i32 = base::AUTHOR + 10;
    match error {
        SubmitError::BadFormat(detail) => owned(
            base::AUTHOR + 1,
            format!("Extrinsic has invalid format: {detail}"),
            None,
        ),
        SubmitError::Verification(detail) => owned(
            base::AUTHOR + 2,
            format!("Verification Error: {detail}"),
            Some(detail),
        ),
        SubmitError::Invalid(TransactionValidityError::Invalid(InvalidTransaction::Custom(
            code,
        ))) => owned(
            POOL_INVALID_TX,
            "Invalid Transaction",
            Some(format!("Custom error: {code}")),
        ),
        SubmitError::Invalid(TransactionValidityError::Invalid(invalid)) => owned(
            POOL_INVALID_TX,
            "Invalid Transaction",
            Some(invalid.message().to_string()),
        ),
        SubmitError::Invalid(TransactionValidityError::Unknown(unknown)) => owned(
            POOL_INVALID_TX + 1,
            "Unknown Transaction Validity",
            Some(format!("{unknown:?}")),
        ),
        SubmitError::TemporarilyBanned => owned(
            POOL_INVALID_TX + 2,
            "Transaction is temporarily banned",
            None,
        ),
        SubmitError::AlreadyImported => owned(
            POOL_INVALID_TX + 3,
            "Transaction Already Imported",
            Some(tx_hash.to_hex()),
        ),
        SubmitError::TooLowPriority => owned(
            POOL_INVALID_TX + 4,
            "Priority is too low",
            Some(
                "The transaction has too low priority to replace another transaction already in \
                 the pool."
                    .to_string(),
            ),
        ),
        SubmitError::PoolFull => owned(
            POOL_INVALID_TX + 6,
            "Immediately Dropped",
            Some("The transaction couldn't enter the pool because of the limit".to_string()),
        ),
    }
}

impl From<ApiError> for ErrorObjectOwned {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::InvalidParams(message) => owned(
                INVALID_PARAMS_CODE,
                format!("Invalid params: {message}"),
                None,
            ),
            ApiError::UnsafeDenied => owned(
                METHOD_NOT_FOUND_CODE,
                "RPC call is unsafe to be called externally",
                None,
            ),
            ApiError::Chain(err) => owned(base::CHAIN + 2, client_error(&err), None),
            ApiError::ChainOther(message) => owned(base::CHAIN + 1, message, None),
            ApiError::State(err) => owned(base::STATE + 3, client_error(&err), None),
            ApiError::StateInvalidCount { value, max } => owned(
                base::STATE + 2,
                format!("count exceeds maximum value. value: {value}, max: {max}"),
                None,
            ),
            ApiError::StateUnsupported(message) => {
                owned(base::STATE + 3, format!("Client error: {message}"), None)
            }
            ApiError::BadFormat(detail) => owned(
                base::AUTHOR + 1,
                format!("Extrinsic has invalid format: {detail}"),
                None,
            ),
            ApiError::Keystore(message) => {
                owned(base::AUTHOR + 5, format!("Keystore error: {message}"), None)
            }
            ApiError::Submit { error, tx_hash } => submit_error(error, tx_hash),
            ApiError::NonceQuery(err) => owned(
                RUNTIME_ERROR,
                "Unable to query nonce.",
                Some(err.to_string()),
            ),
            ApiError::DryRunDecode(detail) => {
                owned(DECODE_ERROR, "Unable to dry run extrinsic", Some(detail))
            }
            ApiError::DryRunRuntime(err) => owned(
                RUNTIME_ERROR,
                "Unable to dry run extrinsic.",
                Some(err.to_string()),
            ),
            ApiError::PaymentDecode(detail) => {
                owned(DECODE_ERROR, "Unable to query dispatch info.", Some(detail))
            }
            ApiError::PaymentRuntime(detail) => owned(
                RUNTIME_ERROR,
                "Unable to query dispatch info.",
                Some(detail),
            ),
            ApiError::FeeDetailsDecode(detail) => {
                owned(DECODE_ERROR, "Unable to query fee details.", Some(detail))
            }
            ApiError::FeeDetailsRuntime(detail) => {
                owned(RUNTIME_ERROR, "Unable to query fee details.", Some(detail))
            }
            ApiError::Busy => owned(SERVER_IS_BUSY_CODE, SERVER_IS_BUSY_MSG, None),
            ApiError::Timeout(limit) => owned(
                INTERNAL_ERROR_CODE,
                format!("RPC call timed out after {} ms", limit.as_millis()),
                None,
            ),
            ApiError::Internal(detail) => owned(INTERNAL_ERROR_CODE, detail, None),
            ApiError::TooManyKeys { count, max } => owned(
                INVALID_PARAMS_CODE,
                format!("Invalid params: {count} keys in one request, the limit is {max}"),
                None,
            ),
            ApiError::ResponseTooBig { max } => owned(
                OVERSIZED_RESPONSE_CODE,
                "Response is too big",
                Some(format!("Exceeded max limit of {max}")),
            ),
            ApiError::InternalEntry(name) => owned(
                METHOD_NOT_FOUND_CODE,
                "RPC call is unsafe to be called externally",
                Some(format!(
                    "{name} is a node-internal runtime entry point, refused on safe RPC"
                )),
            ),
            ApiError::Spec { code, message } => owned(code, message, None),
            ApiError::NotHealthy(reason) => owned(
                base::SYSTEM,
                format!("Node is not fully functional: {reason}"),
                None,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::transaction_validity::UnknownTransaction;

    fn object(err: ApiError) -> (i32, String, Option<String>) {
        let obj = ErrorObjectOwned::from(err);
        let data = obj
            .data()
            .map(|d| serde_json::from_str::<String>(d.get()).unwrap());
        (obj.code(), obj.message().to_string(), data)
    }

    fn submit(error: SubmitError) -> (i32, String, Option<String>) {
        object(ApiError::Submit {
            error,
            tx_hash: H256([0xab; 32]),
        })
    }

    #[test]
    fn pool_refusals_use_substrates_author_codes() {
        let bad_proof = SubmitError::Invalid(InvalidTransaction::BadProof.into());
        assert_eq!(
            submit(bad_proof),
            (
                1010,
                "Invalid Transaction".into(),
                Some("Transaction has a bad signature".into())
            )
        );
        let stale = SubmitError::Invalid(InvalidTransaction::Stale.into());
        assert_eq!(submit(stale).2.as_deref(), Some("Transaction is outdated"));
        let custom = SubmitError::Invalid(InvalidTransaction::Custom(7).into());
        assert_eq!(submit(custom).2.as_deref(), Some("Custom error: 7"));
        let unknown = SubmitError::Invalid(UnknownTransaction::CannotLookup.into());
        assert_eq!(
            submit(unknown),
            (
                1011,
                "Unknown Transaction Validity".into(),
                Some("CannotLookup".into())
            )
        );
        assert_eq!(submit(SubmitError::BadFormat("eof".into())).0, 1001);
        assert_eq!(
            submit(SubmitError::BadFormat("eof".into())).1,
            "Extrinsic has invalid format: eof"
        );
        assert_eq!(
            submit(SubmitError::Verification("trap".into())).1,
            "Verification Error: trap"
        );
        assert_eq!(submit(SubmitError::Verification("trap".into())).0, 1002);
        assert_eq!(submit(SubmitError::TemporarilyBanned).0, 1012);
        let already = submit(SubmitError::AlreadyImported);
        assert_eq!(already.0, 1013);
        assert_eq!(already.2, Some(H256([0xab; 32]).to_hex()));
        assert_eq!(submit(SubmitError::TooLowPriority).0, 1014);
        assert_eq!(submit(SubmitError::PoolFull).0, 1016);
        assert_eq!(submit(SubmitError::PoolFull).1, "Immediately Dropped");
    }

    #[test]
    fn other_errors_map_to_their_namespace_codes() {
        assert_eq!(object(ApiError::invalid_params("x")).0, -32602);
        assert_eq!(object(ApiError::UnsafeDenied).0, -32601);
        let unknown = BackendError::UnknownBlock(H256::zero());
        assert_eq!(object(ApiError::Chain(unknown.clone())).0, 3002);
        assert_eq!(object(ApiError::State(unknown)).0, 4003);
        assert_eq!(
            object(ApiError::StateInvalidCount {
                value: 2000,
                max: 1000
            })
            .0,
            4002
        );
    }
}
