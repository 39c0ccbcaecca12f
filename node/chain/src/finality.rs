//! How blocks become final, and what the chain tells the rest of the node as they are
//! imported and finalized.
//!
//! `--dev` (one node, no forks) finalizes every block as it is committed. A chain with slots
//! imports blocks unfinalized; until GRANDPA (issue 17) calls [`crate::Client::finalize_block`]
//! with its commits, the depth rule below stands in for it, so `chain_getFinalizedHead` and the
//! pool's `finalized` status stay truthful: a block is final once it is `depth` blocks deep on
//! the best chain. That rule is only as safe as no branch ever growing `depth` blocks on its
//! own (a network split longer than `depth` slots would finalize two branches: the nodes of
//! the shorter one then refuse the other, docs/security.md).

use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::BlockNumber;

/// Blocks deep on the best chain before the depth rule finalizes a block (60 s of 2 s slots).
pub const DEFAULT_FINALITY_DEPTH: u32 = 30;

/// How blocks become final.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finality {
    /// Final as it is committed (dev chains).
    Instant,
    /// Imported unfinalized; final when this many blocks deep on the best chain, unless a
    /// finality gadget finalizes it first.
    Depth(u32),
}

/// The number the depth rule finalizes once `best` is the best block, if it is above
/// `finalized`.
pub fn depth_rule_target(
    depth: u32,
    best: BlockNumber,
    finalized: BlockNumber,
) -> Option<BlockNumber> {
    best.checked_sub(depth).filter(|target| *target > finalized)
}

/// What happened to the chain, told to listeners ([`crate::Client::add_listener`]) in order,
/// right after it is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainEvent {
    /// A block was imported (best or not).
    Imported { header: Header, hash: H256 },
    /// The best block moved: `retracted` left the best chain (from the old head down),
    /// `enacted` joined it (ascending, ending with the new best block).
    NewBest {
        hash: H256,
        number: BlockNumber,
        retracted: Vec<H256>,
        enacted: Vec<H256>,
    },
    /// These blocks became final (ascending); `pruned` were dropped for not descending from
    /// the last of them.
    Finalized {
        blocks: Vec<H256>,
        pruned: Vec<H256>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_depth_rule_finalizes_depth_blocks_behind_the_best() {
        assert_eq!(depth_rule_target(3, 2, 0), None);
        assert_eq!(depth_rule_target(3, 3, 0), None);
        assert_eq!(depth_rule_target(3, 4, 0), Some(1));
        assert_eq!(depth_rule_target(3, 10, 7), None);
        assert_eq!(depth_rule_target(3, 11, 7), Some(8));
    }
}
