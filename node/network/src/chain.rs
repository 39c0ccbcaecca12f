//! What the network needs from the chain: [`ChainAccess`], implemented by the node binary
//! over `folio-chain`'s client (and by tests over an in-memory chain).
//!
//! The network never trusts a block: it hands what peers send to
//! [`ChainAccess::import_blocks`], which runs the chain's ordinary import (executed with the
//! parent state's code, state root checked), and only the verdict flows back.

use crate::protocol::{BlockFields, Justification};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::BlockNumber;

/// The chain's reading failed (the database, usually).
#[derive(Debug, Clone, thiserror::Error)]
#[error("chain access failed: {0}")]
pub struct ChainAccessError(pub String);

/// The chain's position, as the status handshake reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainStatus {
    pub genesis_hash: H256,
    pub best_number: BlockNumber,
    pub best_hash: H256,
    pub finalized_number: BlockNumber,
    pub finalized_hash: H256,
}

/// A stored block's parts, for answering a block request.
#[derive(Clone, Debug)]
pub struct StoredBlock {
    pub header: Header,
    /// The extrinsics (each its full encoding); `None` when not asked for.
    pub body: Option<Vec<OpaqueExtrinsic>>,
    pub justifications: Option<Vec<Justification>>,
}

/// A block received from a peer, to be imported.
#[derive(Clone, Debug)]
pub struct IncomingBlock {
    pub header: Header,
    pub body: Vec<OpaqueExtrinsic>,
    pub justifications: Option<Vec<Justification>>,
}

/// What importing one block came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Executed, checked and stored.
    Imported,
    /// The chain already has it.
    AlreadyKnown,
    /// Its parent is not known: the block is not wrong, the sync is out of step.
    UnknownParent,
    /// The block is invalid (execution failed, wrong state root, bad seal…): its sender
    /// misbehaved.
    Bad(String),
    /// The node failed on its own (database, executor): nobody's fault but ours.
    Error(String),
}

/// What submitting a transaction from a peer came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransactionOutcome {
    /// Added to the pool: worth passing on.
    Accepted,
    /// Already in the pool (or recently seen): not passed on again.
    AlreadyKnown,
    /// Refused (invalid, stale, banned…). Not necessarily the sender's fault: a transaction
    /// can become stale while it travels.
    Refused(String),
    /// Not a transaction at all: the sender misbehaved.
    Malformed(String),
}

/// The chain as the network reaches it. Methods may block (database reads, wasm
/// execution): the network calls the slow ones on blocking threads.
pub trait ChainAccess: Send + Sync + 'static {
    /// Genesis, best and finalized blocks.
    fn status(&self) -> Result<ChainStatus, ChainAccessError>;
    /// The hash of the best chain's block at `number`.
    fn hash_by_number(&self, number: BlockNumber) -> Result<Option<H256>, ChainAccessError>;
    /// Any stored block's header.
    fn header(&self, hash: H256) -> Result<Option<Header>, ChainAccessError>;
    /// A stored block with the parts in `fields` (the header always).
    fn block(
        &self,
        hash: H256,
        fields: BlockFields,
    ) -> Result<Option<StoredBlock>, ChainAccessError>;
    /// Imports blocks in order, one outcome per block (in the same order). Blocks after a
    /// failed one may be skipped with [`ImportOutcome::UnknownParent`].
    fn import_blocks(&self, blocks: Vec<IncomingBlock>) -> Vec<ImportOutcome>;
    /// Validates a transaction received from a peer and adds it to the pool.
    fn submit_transaction(&self, encoded: Vec<u8>) -> TransactionOutcome;
}
