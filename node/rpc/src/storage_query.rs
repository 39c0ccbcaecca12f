//! The storage queries of the new JSON-RPC spec, shared by `chainHead_v1_storage` and
//! `archive_v1_storage`: the five item kinds (`value`, `hash`, `closestDescendantMerkleValue`,
//! `descendantsValues`, `descendantsHashes`) and reading their results a page at a time, so a
//! query over a large prefix never holds its whole answer in memory.

use crate::backend::{BackendError, RpcBackend};
use crate::json::{to_hex, HexBytes};
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::hash::H256;
use serde::{Deserialize, Serialize};

/// Items one page holds: a descendants query reads this many keys, then `chainHead_v1_storage`
/// waits for `chainHead_v1_continue` before reading more.
pub(crate) const ITEMS_PER_PAGE: u32 = 64;

/// What an item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum QueryType {
    Value,
    Hash,
    ClosestDescendantMerkleValue,
    DescendantsValues,
    DescendantsHashes,
}

/// One element of the `items` parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StorageQuery {
    pub key: HexBytes,
    #[serde(rename = "type")]
    pub kind: QueryType,
    /// `archive_v1_storage` only: resume a descendants query after this key.
    #[serde(default)]
    pub pagination_start_key: Option<HexBytes>,
}

/// One result: the key and whichever of the three fields the query asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StorageItem {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest_descendant_merkle_value: Option<String>,
}

impl StorageItem {
    fn new(key: &[u8]) -> Self {
        Self {
            key: to_hex(key),
            value: None,
            hash: None,
            closest_descendant_merkle_value: None,
        }
    }
}

/// A query being answered: where the next page starts, and whether it is finished.
pub(crate) struct Cursor {
    query: StorageQuery,
    /// The last key already answered (descendants queries read strictly after it).
    after: Option<Vec<u8>>,
    done: bool,
}

impl Cursor {
    pub fn new(query: StorageQuery) -> Self {
        let after = query.pagination_start_key.as_ref().map(|k| k.0.clone());
        Self {
            query,
            after,
            done: false,
        }
    }

    /// Whether every result has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next results (at most `limit`); empty and done when there are no more.
    pub async fn next_page(
        &mut self,
        backend: &dyn RpcBackend,
        at: H256,
        limit: u32,
    ) -> Result<Vec<StorageItem>, BackendError> {
        if self.done {
            return Ok(Vec::new());
        }
        let key = self.query.key.0.clone();
        let items = match self.query.kind {
            QueryType::Value | QueryType::Hash => {
                self.done = true;
                let value = backend.storage(at, key.clone()).await?;
                value
                    .map(|v| with_value(StorageItem::new(&key), &v, self.query.kind))
                    .into_iter()
                    .collect()
            }
            QueryType::ClosestDescendantMerkleValue => {
                self.done = true;
                let merkle = backend
                    .closest_descendant_merkle_value(at, key.clone())
                    .await?;
                merkle
                    .map(|m| StorageItem {
                        closest_descendant_merkle_value: Some(to_hex(&m)),
                        ..StorageItem::new(&key)
                    })
                    .into_iter()
                    .collect()
            }
            QueryType::DescendantsValues | QueryType::DescendantsHashes => {
                self.descendants(backend, at, key, limit).await?
            }
        };
        Ok(items)
    }

    /// One page of keys under the query's prefix, each with its value or hash.
    async fn descendants(
        &mut self,
        backend: &dyn RpcBackend,
        at: H256,
        prefix: Vec<u8>,
        limit: u32,
    ) -> Result<Vec<StorageItem>, BackendError> {
        let keys = backend
            .storage_keys_paged(at, prefix, limit, self.after.clone())
            .await?;
        if keys.len() < limit as usize {
            self.done = true;
        }
        self.after = keys.last().cloned().or(self.after.take());
        let mut items = Vec::with_capacity(keys.len());
        for key in keys {
            // A key deleted between the two reads cannot happen (one block's state), but
            // a missing value is skipped rather than reported empty.
            if let Some(value) = backend.storage(at, key.clone()).await? {
                items.push(with_value(StorageItem::new(&key), &value, self.query.kind));
            }
        }
        Ok(items)
    }
}

/// `item` with the value, or its blake2-256 hash (the chain's hasher), as `kind` asks.
fn with_value(item: StorageItem, value: &[u8], kind: QueryType) -> StorageItem {
    match kind {
        QueryType::Hash | QueryType::DescendantsHashes => StorageItem {
            hash: Some(to_hex(&blake2_256(value))),
            ..item
        },
        _ => StorageItem {
            value: Some(to_hex(value)),
            ..item
        },
    }
}
