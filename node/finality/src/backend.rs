//! The two traits through which the voter reaches the node: the chain and the network.

use crate::{BlockNumber, FinalityError, Hash};
use folio_primitives::header::Header;
use futures::stream::BoxStream;

/// A gossip topic (32 bytes, as Substrate's gossip engine names them).
pub type Topic = Hash;

/// What the voter needs of the chain. The node implements it over `folio_chain::Client`:
/// `header` and `best_header` over the block store, `finalized` over `finalized_header()`,
/// `finalize` over `finalize_block(hash, Some((FRNK, justification)))`.
pub trait FinalityBackend: Send + Sync + 'static {
    /// The header of a known block.
    fn header(&self, hash: Hash) -> Option<Header>;
    /// The best block (the fork choice's head).
    fn best_header(&self) -> Header;
    /// The last finalized block.
    fn finalized(&self) -> (Hash, BlockNumber);
    /// Finalizes `hash` and its ancestors, storing `justification` (SCALE
    /// `GrandpaJustification`) for it.
    ///
    /// # Errors
    /// The block is unknown or conflicts with the finalized chain.
    fn finalize(&self, hash: Hash, justification: Vec<u8>) -> Result<(), FinalityError>;
}

/// What the voter needs of the network: Substrate's gossip engine reduced to topics. The node
/// implements it over `folio_network`'s GRANDPA protocol, passing on only what
/// [`crate::gossip::GossipValidator`] keeps.
pub trait GossipNetwork: Send + Sync + 'static {
    /// Sends `message` to every peer (and keeps it for peers that join while its topic lives).
    fn broadcast(&self, topic: Topic, message: Vec<u8>);
    /// The messages of `topic`: those already held, then each new one.
    fn messages_for(&self, topic: Topic) -> BoxStream<'static, Vec<u8>>;
}

/// The blocks from `block`'s parent back to, not including, `base` (finality-grandpa's
/// `Chain::ancestry`); `None` if `block` does not descend from `base`.
pub fn ancestry<B: FinalityBackend + ?Sized>(
    backend: &B,
    base: Hash,
    block: Hash,
) -> Option<Vec<Hash>> {
    if base == block {
        return Some(Vec::new());
    }
    let base_number = backend.header(base)?.number;
    let mut route = Vec::new();
    let mut current = backend.header(block)?;
    loop {
        if current.number <= base_number {
            return None;
        }
        let parent = current.parent_hash;
        if parent == base {
            return Some(route);
        }
        route.push(parent);
        current = backend.header(parent)?;
    }
}
