//! An in-memory chain for the network's tests: blocks by hash, a best chain by number, and
//! an "execution" rule a block can fail (its state root must be the hash of its body), so a
//! test can send blocks that a real import would refuse.

use crate::chain::{
    ChainAccess, ChainAccessError, ChainStatus, ImportOutcome, IncomingBlock, StoredBlock,
    TransactionOutcome,
};
use crate::protocol::BlockFields;
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, Header};
use folio_primitives::BlockNumber;
use parity_scale_codec::Encode;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
struct Inner {
    blocks: HashMap<H256, (Header, Vec<OpaqueExtrinsic>)>,
    best_chain: Vec<H256>,
    transactions: Vec<Vec<u8>>,
}

pub struct MemoryChain {
    inner: Mutex<Inner>,
    genesis: H256,
}

/// The root a valid block carries: the hash of its body.
fn body_root(body: &[OpaqueExtrinsic]) -> H256 {
    H256(blake2_256(&body.encode()))
}

/// An extrinsic of `len` bytes (plus its length prefix) whose bytes say `tag`.
pub fn extrinsic(tag: u8, len: usize) -> OpaqueExtrinsic {
    let mut bytes = parity_scale_codec::Compact(len as u32).encode();
    bytes.extend(std::iter::repeat_n(tag, len));
    OpaqueExtrinsic::from_bytes(&bytes).unwrap()
}

impl MemoryChain {
    /// A chain with only a genesis block; `seed` picks the genesis (two seeds, two chains).
    pub fn new(seed: u8) -> Self {
        let genesis = Header {
            parent_hash: H256::zero(),
            number: 0,
            state_root: H256([seed; 32]),
            extrinsics_root: H256::zero(),
            digest: Digest::default(),
        };
        let hash = genesis.hash();
        let mut inner = Inner::default();
        inner.blocks.insert(hash, (genesis, Vec::new()));
        inner.best_chain.push(hash);
        Self {
            inner: Mutex::new(inner),
            genesis: hash,
        }
    }

    /// Builds a block on the best one with `body`; `valid` false gives it a wrong root.
    pub fn author(&self, body: Vec<OpaqueExtrinsic>, valid: bool) -> Header {
        let mut inner = self.inner.lock().unwrap();
        let parent = *inner.best_chain.last().unwrap();
        let number = inner.best_chain.len() as BlockNumber;
        let root = if valid {
            body_root(&body)
        } else {
            H256([0xba; 32])
        };
        let header = Header {
            parent_hash: parent,
            number,
            state_root: root,
            extrinsics_root: H256::zero(),
            digest: Digest::default(),
        };
        let hash = header.hash();
        inner.blocks.insert(hash, (header.clone(), body));
        inner.best_chain.push(hash);
        header
    }

    /// Appends `count` valid blocks of `per_block` extrinsics of `size` bytes.
    pub fn extend(&self, count: u32, per_block: usize, size: usize) -> Header {
        let mut last = None;
        for n in 0..count {
            let body = (0..per_block)
                .map(|i| extrinsic((n as usize + i) as u8, size))
                .collect();
            last = Some(self.author(body, true));
        }
        last.unwrap()
    }

    pub fn best_number(&self) -> BlockNumber {
        (self.inner.lock().unwrap().best_chain.len() - 1) as BlockNumber
    }

    pub fn best_hash(&self) -> H256 {
        *self.inner.lock().unwrap().best_chain.last().unwrap()
    }

    pub fn transactions(&self) -> Vec<Vec<u8>> {
        self.inner.lock().unwrap().transactions.clone()
    }
}

impl ChainAccess for MemoryChain {
    fn status(&self) -> Result<ChainStatus, ChainAccessError> {
        let inner = self.inner.lock().unwrap();
        let best_number = (inner.best_chain.len() - 1) as BlockNumber;
        let best_hash = *inner.best_chain.last().unwrap();
        Ok(ChainStatus {
            genesis_hash: self.genesis,
            best_number,
            best_hash,
            // Nothing final but genesis: sync must search the common ancestor.
            finalized_number: 0,
            finalized_hash: self.genesis,
        })
    }

    fn hash_by_number(&self, number: BlockNumber) -> Result<Option<H256>, ChainAccessError> {
        Ok(self
            .inner
            .lock()
            .unwrap()
            .best_chain
            .get(number as usize)
            .copied())
    }

    fn header(&self, hash: H256) -> Result<Option<Header>, ChainAccessError> {
        Ok(self
            .inner
            .lock()
            .unwrap()
            .blocks
            .get(&hash)
            .map(|(h, _)| h.clone()))
    }

    fn block(
        &self,
        hash: H256,
        fields: BlockFields,
    ) -> Result<Option<StoredBlock>, ChainAccessError> {
        Ok(self
            .inner
            .lock()
            .unwrap()
            .blocks
            .get(&hash)
            .map(|(header, body)| StoredBlock {
                header: header.clone(),
                body: fields.has(BlockFields::BODY).then(|| body.clone()),
                justifications: None,
            }))
    }

    fn import_blocks(&self, blocks: Vec<IncomingBlock>) -> Vec<ImportOutcome> {
        let mut inner = self.inner.lock().unwrap();
        let mut outcomes = Vec::new();
        for block in blocks {
            let hash = block.header.hash();
            let outcome = if inner.blocks.contains_key(&hash) {
                ImportOutcome::AlreadyKnown
            } else if inner.best_chain.last() != Some(&block.header.parent_hash) {
                ImportOutcome::UnknownParent
            } else if block.header.state_root != body_root(&block.body) {
                ImportOutcome::Bad("state root mismatch".into())
            } else {
                inner.blocks.insert(hash, (block.header, block.body));
                inner.best_chain.push(hash);
                ImportOutcome::Imported
            };
            let stop = !matches!(
                outcome,
                ImportOutcome::Imported | ImportOutcome::AlreadyKnown
            );
            outcomes.push(outcome);
            if stop {
                break;
            }
        }
        outcomes
    }

    fn submit_transaction(&self, encoded: Vec<u8>) -> TransactionOutcome {
        let mut inner = self.inner.lock().unwrap();
        if inner.transactions.contains(&encoded) {
            return TransactionOutcome::AlreadyKnown;
        }
        inner.transactions.push(encoded);
        TransactionOutcome::Accepted
    }
}
