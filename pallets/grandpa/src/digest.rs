//! The `FRNK` consensus digest (`sp_consensus_grandpa::ConsensusLog`), which tells the node's
//! voter that the authority set changes.

use crate::{AuthorityList, StoredPendingChange};
use folio_pallet_support::prelude::*;
use folio_primitives::header::DigestItem;

/// The consensus engine id of GRANDPA's digest items and justifications.
pub const GRANDPA_ENGINE_ID: [u8; 4] = *b"FRNK";

/// A standard change: `next_authorities` take over in the block `delay` after the one carrying
/// it, once that block is finalized (`sp_consensus_grandpa::ScheduledChange`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ScheduledChange {
    pub next_authorities: AuthorityList,
    pub delay: BlockNumber,
}

/// `sp_consensus_grandpa::ConsensusLog`, with Substrate's variant indices. Folio emits only
/// `ScheduledChange`; the others decode so a digest from another chain is not misread.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum ConsensusLog {
    #[codec(index = 1)]
    ScheduledChange(ScheduledChange),
    #[codec(index = 2)]
    ForcedChange(BlockNumber, ScheduledChange),
    #[codec(index = 3)]
    OnDisabled(u64),
    #[codec(index = 4)]
    Pause(BlockNumber),
    #[codec(index = 5)]
    Resume(BlockNumber),
}

/// The scheduled change a block's digest announces, if any (a malformed `FRNK` item is none).
pub fn find_scheduled_change(logs: &[DigestItem]) -> Option<ScheduledChange> {
    logs.iter().find_map(|item| match item {
        DigestItem::Consensus(engine, data) if *engine == GRANDPA_ENGINE_ID => {
            match ConsensusLog::decode(&mut &data[..]) {
                Ok(ConsensusLog::ScheduledChange(change)) => Some(change),
                _ => None,
            }
        }
        _ => None,
    })
}

impl From<&StoredPendingChange> for ScheduledChange {
    fn from(change: &StoredPendingChange) -> Self {
        Self {
            next_authorities: change.next_authorities.clone(),
            delay: change.delay,
        }
    }
}
