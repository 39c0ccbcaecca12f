//! What the RPC layer needs from the node: the interface the chain implements.
//!
//! The RPC crate knows nothing of the database, the executor or the pool; the binary
//! (`node/cli/src/service/rpc_backend.rs`) implements [`RpcBackend`] over the chain's API, and
//! tests implement it over an in-memory mock.
//! Every method is cheap to call from an async task: anything slow (runtime calls, storage
//! reads of old state) is done by the implementation on a blocking thread.

use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::version::RuntimeVersion;
use folio_primitives::BlockNumber;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{broadcast, mpsc};

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A block's justification: the consensus engine id and the encoded proof.
pub type Justification = ([u8; 4], Vec<u8>);

/// Why a backend request failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BackendError {
    /// The block is not known (pruned, or never seen).
    #[error("unknown block {0:?}")]
    UnknownBlock(H256),
    /// A runtime call failed (trap, unknown method, bad input).
    #[error("runtime call {method} failed: {message}")]
    RuntimeCall { method: String, message: String },
    /// Reading state failed.
    #[error("storage error: {0}")]
    Storage(String),
}

pub use folio_primitives::transaction_pool::{SubmitError, TransactionStatus};

/// Static facts about the chain and node, for `system_*`.
#[derive(Debug, Clone, Default)]
pub struct SystemInfo {
    /// `system_chain`, e.g. "Development".
    pub chain_name: String,
    /// `system_chainType`: "Development", "Local" or "Live".
    pub chain_type: String,
    /// `system_properties` JSON object, e.g. `{"ss58Format":42,"tokenDecimals":12,"tokenSymbol":"FOLIO"}`.
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// `system_name`, e.g. "folio-node".
    pub node_name: String,
    /// `system_version`.
    pub node_version: String,
}

/// The node as the RPC layer sees it.
pub trait RpcBackend: Send + Sync + 'static {
    fn system_info(&self) -> SystemInfo;
    fn genesis_hash(&self) -> H256;
    fn best_hash(&self) -> H256;
    fn finalized_hash(&self) -> H256;
    /// `grandpa_roundState`'s answer, if a GRANDPA voter runs.
    fn grandpa_round_state(&self) -> Option<serde_json::Value> {
        None
    }
    /// Whether the node is still importing a backlog of blocks (`system_health`).
    fn is_syncing(&self) -> bool {
        false
    }
    /// Whether the block author is running (`system_health` fails while it is not: between
    /// a panic and its restart, or after it stopped).
    fn author_is_up(&self) -> bool {
        true
    }

    fn header(&self, hash: H256) -> BoxFuture<'_, Result<Option<Header>, BackendError>>;
    /// The block's extrinsics, each its full encoding (length prefix included).
    fn body(&self, hash: H256)
        -> BoxFuture<'_, Result<Option<Vec<OpaqueExtrinsic>>, BackendError>>;
    /// The justifications stored for a block (`(engine id, encoded)`, GRANDPA's under `FRNK`).
    fn justifications(
        &self,
        _hash: H256,
    ) -> BoxFuture<'_, Result<Option<Vec<Justification>>, BackendError>> {
        Box::pin(async { Ok(None) })
    }
    /// The canonical block at `number`.
    fn hash_by_number(
        &self,
        number: BlockNumber,
    ) -> BoxFuture<'_, Result<Option<H256>, BackendError>>;

    /// Calls a runtime API (`state_call`) with the code and state of block `at`.
    fn call(
        &self,
        at: H256,
        method: String,
        input: Vec<u8>,
    ) -> BoxFuture<'_, Result<Vec<u8>, BackendError>>;
    /// The runtime version of the code stored in `at`'s state.
    fn runtime_version(&self, at: H256) -> BoxFuture<'_, Result<RuntimeVersion, BackendError>>;
    /// The metadata bytes (`Metadata_metadata` output without its length prefix, starting "meta").
    fn metadata(&self, at: H256) -> BoxFuture<'_, Result<Vec<u8>, BackendError>>;
    fn storage(
        &self,
        at: H256,
        key: Vec<u8>,
    ) -> BoxFuture<'_, Result<Option<Vec<u8>>, BackendError>>;
    /// Up to `count` keys starting with `prefix`, strictly after `start_key` if given.
    fn storage_keys_paged(
        &self,
        at: H256,
        prefix: Vec<u8>,
        count: u32,
        start_key: Option<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>>;
    /// The Merkle value (the node's encoding if shorter than 32 bytes, else its hash) of the
    /// trie node at `key`, or else of its closest descendant (branch nodes included); `None`
    /// when no key starts with `key` (`closestDescendantMerkleValue` of the new spec). The
    /// default says the backend cannot tell.
    fn closest_descendant_merkle_value(
        &self,
        at: H256,
        key: Vec<u8>,
    ) -> BoxFuture<'_, Result<Option<Vec<u8>>, BackendError>> {
        let _ = (at, key);
        Box::pin(async {
            Err(BackendError::Storage(
                "this node cannot read trie nodes by key".into(),
            ))
        })
    }
    /// The trie nodes proving `keys` at `at` (`state_getReadProof`).
    fn read_proof(
        &self,
        at: H256,
        keys: Vec<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>>;

    /// Validates and adds a transaction; returns its hash (blake2-256 of the bytes).
    fn submit(&self, extrinsic: Vec<u8>) -> BoxFuture<'_, Result<H256, SubmitError>>;
    /// Like `submit`, plus a stream of status updates that ends after a final status. The
    /// first update (`Ready` or `Future`) is already in the channel when this returns.
    fn submit_and_watch(
        &self,
        extrinsic: Vec<u8>,
    ) -> BoxFuture<'_, Result<(H256, mpsc::UnboundedReceiver<TransactionStatus>), SubmitError>>;
    /// Every transaction in the pool (full encodings).
    fn pending_extrinsics(&self) -> Vec<Vec<u8>>;
    /// Removes transactions by hash; returns the hashes removed (`author_removeExtrinsic`).
    fn remove_extrinsics(&self, hashes: Vec<H256>) -> Vec<H256>;
    /// The next nonce of `account`: the runtime's nonce raised past ready pool transactions.
    fn account_next_index(&self, account: [u8; 32]) -> BoxFuture<'_, Result<u32, BackendError>>;

    /// The node's libp2p PeerId (base58), for `system_localPeerId`. `None` (the default)
    /// while the node has no networking: the RPC then reports a stable id derived from the
    /// genesis hash, so clients that display it still get a well-formed value.
    fn local_peer_id(&self) -> Option<String> {
        None
    }
    /// The node's p2p listen multiaddresses, for `system_localListenAddresses` (default none).
    fn local_listen_addresses(&self) -> Vec<String> {
        Vec::new()
    }

    /// Seals a block now from the pool's ready transactions (`engine_createBlock`, for
    /// `--sealing manual`); `create_empty` allows a block without transactions. Returns its hash.
    fn seal_block(&self, create_empty: bool) -> BoxFuture<'_, Result<H256, BackendError>> {
        let _ = create_empty;
        Box::pin(async {
            Err(BackendError::Storage(
                "this node cannot seal blocks on request".into(),
            ))
        })
    }

    /// Makes the blocks this node seals carry `target_ms` (ms since the Unix epoch) and later
    /// times from the next one on (`dev_timeTravel`); returns `target_ms`. Only a node that
    /// seals its own chain (`--dev`) may; time only moves forward. The error says why not.
    fn time_travel(&self, target_ms: u64) -> BoxFuture<'_, Result<u64, String>> {
        let _ = target_ms;
        Box::pin(async { Err("this node's block time cannot be moved".into()) })
    }

    /// Every imported block (headers), best or not, in import order.
    fn subscribe_all_heads(&self) -> broadcast::Receiver<Header>;
    /// New best blocks (headers), in order.
    fn subscribe_new_heads(&self) -> broadcast::Receiver<Header>;
    /// Newly finalized blocks (headers), in order.
    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<Header>;
}
