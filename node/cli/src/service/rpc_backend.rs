//! The node as the RPC layer sees it: the chain's client, pool and author behind the RPC
//! crate's [`RpcBackend`]. The adapter lives at the edge, in the binary, so `folio-chain`
//! knows nothing of RPC (nor `folio-rpc` of the chain).

use folio_chain::{Admission, AuthorHandle, Client, Pool};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::version::RuntimeVersion;
use folio_primitives::BlockNumber;
use folio_rpc::backend::{
    BackendError, BoxFuture, RpcBackend, SubmitError, SystemInfo, TransactionStatus,
};
use parity_scale_codec::Decode;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

/// The running node's parts.
#[derive(Clone, Debug)]
pub struct Node {
    pub client: Arc<Client>,
    pub pool: Arc<Pool>,
    pub author: AuthorHandle,
    /// Validates submissions in batches and puts them in the pool.
    pub admission: Admission,
    pub info: SystemInfo,
    /// Whether the dev author seals this chain (no Aura): only then may `dev_timeTravel`
    /// move its block time.
    pub seals_own_chain: bool,
    /// `grandpa_roundState`'s answer while a voter runs.
    pub round_state: Option<super::grandpa::RoundStateSource>,
}

fn admission_stopped() -> SubmitError {
    SubmitError::Verification("the node is shutting down".into())
}

fn backend_error(error: folio_chain::ChainError) -> BackendError {
    match error {
        folio_chain::ChainError::UnknownBlock(hash) => BackendError::UnknownBlock(hash),
        folio_chain::ChainError::Storage(folio_storage::StorageError::UnknownBlock { .. }) => {
            BackendError::Storage(error.to_string())
        }
        folio_chain::ChainError::Executor(e) => BackendError::RuntimeCall {
            method: String::new(),
            message: e.to_string(),
        },
        other => BackendError::Storage(other.to_string()),
    }
}

impl Node {
    /// Runs blocking chain work off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Client) -> Result<T, folio_chain::ChainError> + Send + 'static,
    ) -> Result<T, BackendError> {
        let client = Arc::clone(&self.client);
        tokio::task::spawn_blocking(move || work(&client))
            .await
            .map_err(|e| BackendError::Storage(format!("worker failed: {e}")))?
            .map_err(backend_error)
    }
}

impl RpcBackend for Node {
    fn system_info(&self) -> SystemInfo {
        self.info.clone()
    }
    fn author_is_up(&self) -> bool {
        self.author.is_up()
    }
    fn grandpa_round_state(&self) -> Option<serde_json::Value> {
        self.round_state.as_ref()?.json()
    }
    fn genesis_hash(&self) -> H256 {
        self.client
            .db()
            .genesis_hash()
            .ok()
            .flatten()
            .unwrap_or_default()
    }
    fn best_hash(&self) -> H256 {
        self.client.best_hash().unwrap_or_default()
    }
    fn finalized_hash(&self) -> H256 {
        self.client
            .db()
            .finalized()
            .map(|b| b.hash)
            .unwrap_or_default()
    }

    fn header(&self, hash: H256) -> BoxFuture<'_, Result<Option<Header>, BackendError>> {
        Box::pin(self.blocking(move |c| c.header(hash)))
    }
    fn body(
        &self,
        hash: H256,
    ) -> BoxFuture<'_, Result<Option<Vec<OpaqueExtrinsic>>, BackendError>> {
        Box::pin(self.blocking(move |c| Ok(c.db().body(&hash)?)))
    }
    fn justifications(
        &self,
        hash: H256,
    ) -> BoxFuture<'_, Result<Option<Vec<folio_rpc::backend::Justification>>, BackendError>> {
        Box::pin(self.blocking(move |c| c.justifications(hash)))
    }
    fn hash_by_number(
        &self,
        number: BlockNumber,
    ) -> BoxFuture<'_, Result<Option<H256>, BackendError>> {
        Box::pin(self.blocking(move |c| Ok(c.db().hash_by_number(number)?)))
    }
    fn call(
        &self,
        at: H256,
        method: String,
        input: Vec<u8>,
    ) -> BoxFuture<'_, Result<Vec<u8>, BackendError>> {
        Box::pin(async move {
            let name = method.clone();
            self.blocking(move |c| c.call_at(at, &method, &input))
                .await
                .map_err(|e| match e {
                    BackendError::RuntimeCall { message, .. } => BackendError::RuntimeCall {
                        method: name,
                        message,
                    },
                    other => other,
                })
        })
    }
    fn runtime_version(&self, at: H256) -> BoxFuture<'_, Result<RuntimeVersion, BackendError>> {
        Box::pin(self.blocking(move |c| c.runtime_version_at(at)))
    }
    fn metadata(&self, at: H256) -> BoxFuture<'_, Result<Vec<u8>, BackendError>> {
        Box::pin(self.blocking(move |c| {
            let raw = c.call_at(at, "Metadata_metadata", &[])?;
            Vec::<u8>::decode(&mut &raw[..]).map_err(|e| {
                folio_chain::ChainError::BadRuntimeOutput {
                    method: "Metadata_metadata",
                    reason: e.to_string(),
                }
            })
        }))
    }
    fn storage(
        &self,
        at: H256,
        key: Vec<u8>,
    ) -> BoxFuture<'_, Result<Option<Vec<u8>>, BackendError>> {
        Box::pin(self.blocking(move |c| Ok(c.db().state_at(&at)?.try_get(&key)?)))
    }
    fn storage_keys_paged(
        &self,
        at: H256,
        prefix: Vec<u8>,
        count: u32,
        start_key: Option<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>> {
        Box::pin(self.blocking(move |c| {
            let state = c.db().state_at(&at)?;
            let mut keys = Vec::new();
            let mut cursor = match start_key {
                Some(start) if start > prefix => start,
                _ => {
                    if state.try_get(&prefix)?.is_some() && count > 0 {
                        keys.push(prefix.clone());
                    }
                    prefix.clone()
                }
            };
            while keys.len() < count as usize {
                match state.try_next_key(&cursor)? {
                    Some(key) if key.starts_with(&prefix) => {
                        keys.push(key.clone());
                        cursor = key;
                    }
                    _ => break,
                }
            }
            Ok(keys)
        }))
    }
    fn read_proof(
        &self,
        at: H256,
        keys: Vec<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>> {
        Box::pin(self.blocking(move |c| Ok(c.db().read_proof(&at, keys)?)))
    }

    fn submit(&self, extrinsic: Vec<u8>) -> BoxFuture<'_, Result<H256, SubmitError>> {
        let answer = self.admission.submit(extrinsic, None);
        Box::pin(async move { answer.await.unwrap_or_else(|_| Err(admission_stopped())) })
    }
    fn submit_and_watch(
        &self,
        extrinsic: Vec<u8>,
    ) -> BoxFuture<'_, Result<(H256, mpsc::UnboundedReceiver<TransactionStatus>), SubmitError>>
    {
        let (sender, receiver) = mpsc::unbounded_channel();
        let answer = self.admission.submit(extrinsic, Some(sender));
        Box::pin(async move {
            let hash = answer.await.unwrap_or_else(|_| Err(admission_stopped()))?;
            Ok((hash, receiver))
        })
    }
    fn pending_extrinsics(&self) -> Vec<Vec<u8>> {
        self.pool
            .all()
            .into_iter()
            .map(|tx| tx.bytes.to_vec())
            .collect()
    }
    fn remove_extrinsics(&self, hashes: Vec<H256>) -> Vec<H256> {
        self.pool.remove(&hashes)
    }
    fn account_next_index(&self, account: [u8; 32]) -> BoxFuture<'_, Result<u32, BackendError>> {
        let pool = Arc::clone(&self.pool);
        Box::pin(self.blocking(move |c| {
            let best = c.best_hash()?;
            let raw = c.call_at(best, "AccountNonceApi_account_nonce", &account)?;
            let nonce = u32::decode(&mut &raw[..]).map_err(|e| {
                folio_chain::ChainError::BadRuntimeOutput {
                    method: "AccountNonceApi_account_nonce",
                    reason: e.to_string(),
                }
            })?;
            Ok(pool.next_nonce(&account, nonce))
        }))
    }

    fn time_travel(&self, target_ms: u64) -> BoxFuture<'_, Result<u64, String>> {
        let node = self.clone();
        Box::pin(async move {
            if !node.seals_own_chain {
                return Err("dev_timeTravel is for chains this node seals (--dev); \
                            this chain is authored by slot, whose time is the validators' clocks"
                    .into());
            }
            node.author.travel_to(target_ms).map_err(|e| e.to_string())
        })
    }

    fn seal_block(&self, create_empty: bool) -> BoxFuture<'_, Result<H256, BackendError>> {
        let node = self.clone();
        Box::pin(async move {
            if !create_empty && node.pool.status().0 == 0 {
                return Err(BackendError::Storage(
                    "no ready transactions to seal".into(),
                ));
            }
            tokio::task::spawn_blocking(move || node.author.seal_now())
                .await
                .map_err(|e| BackendError::Storage(format!("worker failed: {e}")))?
                .map(|block| block.hash)
                .map_err(BackendError::Storage)
        })
    }

    fn subscribe_all_heads(&self) -> broadcast::Receiver<Header> {
        self.client.subscribe_all_heads()
    }
    fn subscribe_new_heads(&self) -> broadcast::Receiver<Header> {
        self.client.subscribe_new_heads()
    }
    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<Header> {
        self.client.subscribe_finalized_heads()
    }
}
