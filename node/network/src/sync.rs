//! Block sync: one job at a time, against one peer.
//!
//! - A peer whose best block is higher than ours is the target. We find the highest block we
//!   share with it (the common ancestor) by probing its chain by number, from
//!   `min(our best, its best)` down by binary search to our finalized block, which every
//!   honest peer shares; then we download ranges of up to 128 blocks from there, ascending,
//!   and import them in order, until we reach its best.
//! - A block a peer announces whose parent we have is fetched by hash and imported.
//!
//! The state machine knows nothing of the swarm: the loop asks it for the next request
//! ([`Sync::next`]) and hands it responses and import outcomes; it answers with a
//! [`SyncStep`]. Nothing a peer sends is trusted: responses are checked to answer the
//! request and to form a chain, and blocks are imported by the chain's own import.

use crate::chain::{ChainAccess, ChainStatus, ImportOutcome, IncomingBlock};
use crate::protocol::{
    BlockData, BlockFields, BlockRequest, BlockResponse, Direction, FromBlock,
    MAX_BLOCKS_PER_RESPONSE,
};
use crate::reputation::Misbehaviour;
use folio_primitives::hash::H256;
use folio_primitives::BlockNumber;
use libp2p::PeerId;
use std::collections::VecDeque;

/// A node more than this many blocks behind its best peer reports `isSyncing`.
pub const MAJOR_SYNC_GAP: BlockNumber = 5;
/// Announced blocks waiting to be fetched, at most.
const MAX_WANTED: usize = 64;

pub fn is_major_sync(current: BlockNumber, highest: BlockNumber) -> bool {
    highest > current.saturating_add(MAJOR_SYNC_GAP)
}

/// Which kind of request [`Sync::next`] asked for (the response goes back to the same kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Ancestor search or range download.
    Sync,
    /// One announced block, by hash.
    Fetch,
}

/// What the loop must do after a response or an import.
#[derive(Debug)]
pub enum SyncStep {
    Nothing,
    /// Lower the peer's reputation.
    Misbehaved(Misbehaviour),
    /// Import these blocks (in order), then report with [`Sync::on_imported`].
    Import(Vec<IncomingBlock>),
}

#[derive(Clone, Debug, Default)]
enum State {
    #[default]
    Idle,
    /// Searching the common ancestor in `lo..=hi`; `lo` (with `lo_hash`) is shared.
    Probe {
        peer: PeerId,
        lo: BlockNumber,
        lo_hash: H256,
        hi: BlockNumber,
        first: bool,
        at: BlockNumber,
    },
    /// Downloading the blocks after the shared block `common`.
    Download {
        peer: PeerId,
        common: BlockNumber,
        common_hash: H256,
    },
    /// Fetching one announced block.
    Fetch { peer: PeerId, hash: H256 },
    /// Importing blocks; a download goes on from `resume` if they all import.
    Import { peer: PeerId, resume: bool },
}

/// The sync state machine.
#[derive(Debug, Default)]
pub struct Sync {
    state: State,
    in_flight: bool,
    wanted: VecDeque<(PeerId, H256)>,
}

fn request(from: FromBlock, max: u32, fields: BlockFields) -> BlockRequest {
    BlockRequest {
        fields,
        from,
        direction: Direction::Ascending,
        max,
    }
}

impl Sync {
    /// Whether a request or an import is under way.
    pub fn busy(&self) -> bool {
        self.in_flight || matches!(self.state, State::Import { .. })
    }

    fn peer(&self) -> Option<PeerId> {
        match &self.state {
            State::Idle => None,
            State::Probe { peer, .. }
            | State::Download { peer, .. }
            | State::Fetch { peer, .. }
            | State::Import { peer, .. } => Some(*peer),
        }
    }

    /// Remembers an announced block to fetch (its parent is known, it is not).
    pub fn want_block(&mut self, peer: PeerId, hash: H256) {
        if self.wanted.len() < MAX_WANTED && !self.wanted.iter().any(|(_, h)| *h == hash) {
            self.wanted.push_back((peer, hash));
        }
    }

    /// The next request to send, if sync has work and nothing is under way. `peers` are the
    /// peers that completed the handshake, with their best blocks.
    pub fn next(
        &mut self,
        ours: &ChainStatus,
        peers: &[(PeerId, BlockNumber, H256)],
        chain: &dyn ChainAccess,
    ) -> Option<(PeerId, BlockRequest, Job)> {
        if self.busy() {
            return None;
        }
        let connected = |peer: &PeerId| peers.iter().find(|(id, ..)| id == peer);
        if let Some(peer) = self.peer() {
            if connected(&peer).is_none() {
                self.state = State::Idle;
            }
        }
        if matches!(self.state, State::Idle) {
            while let Some((peer, hash)) = self.wanted.pop_front() {
                if connected(&peer).is_some() && matches!(chain.header(hash), Ok(None)) {
                    self.state = State::Fetch { peer, hash };
                    self.in_flight = true;
                    return Some((
                        peer,
                        request(FromBlock::Hash(hash), 1, BlockFields::FULL),
                        Job::Fetch,
                    ));
                }
            }
            let (peer, best, _) = peers
                .iter()
                .filter(|(_, best, _)| *best > ours.best_number)
                .max_by_key(|(_, best, _)| *best)?;
            let hi = ours.best_number.min(*best);
            self.state = State::Probe {
                peer: *peer,
                lo: ours.finalized_number.min(hi),
                lo_hash: ours.finalized_hash,
                hi,
                first: true,
                at: hi,
            };
        }
        let request = match &mut self.state {
            State::Probe {
                peer,
                lo,
                lo_hash,
                hi,
                first,
                at,
            } => {
                if *lo >= *hi {
                    let (peer, common, common_hash) = (*peer, *lo, *lo_hash);
                    self.state = State::Download {
                        peer,
                        common,
                        common_hash,
                    };
                    return self.next(ours, peers, chain);
                }
                // The first probe is at the top: the usual case is a peer that extends our
                // chain, found in one round trip.
                *at = if *first {
                    *hi
                } else {
                    *lo + (*hi - *lo).div_ceil(2)
                };
                (
                    *peer,
                    request(FromBlock::Number(*at), 1, BlockFields::HEADERS),
                )
            }
            State::Download { peer, common, .. } => {
                let best = connected(peer).map_or(0, |(_, best, _)| *best);
                if best <= *common {
                    self.state = State::Idle;
                    return None;
                }
                let count = (best - *common).min(MAX_BLOCKS_PER_RESPONSE);
                (
                    *peer,
                    request(FromBlock::Number(*common + 1), count, BlockFields::FULL),
                )
            }
            State::Idle | State::Fetch { .. } | State::Import { .. } => return None,
        };
        self.in_flight = true;
        Some((request.0, request.1, Job::Sync))
    }

    /// A sync request to `peer` failed (timeout, disconnect…).
    pub fn request_failed(&mut self, peer: &PeerId) {
        if self.peer() == Some(*peer) && self.in_flight {
            self.in_flight = false;
            self.state = State::Idle;
        }
    }

    /// `peer` disconnected.
    pub fn peer_gone(&mut self, peer: &PeerId) {
        self.wanted.retain(|(p, _)| p != peer);
        if self.peer() == Some(*peer) && !matches!(self.state, State::Import { .. }) {
            self.in_flight = false;
            self.state = State::Idle;
        }
    }

    fn fail(&mut self, what: Option<Misbehaviour>) -> SyncStep {
        self.state = State::Idle;
        what.map_or(SyncStep::Nothing, SyncStep::Misbehaved)
    }

    /// A response to an ancestor probe or a range download.
    pub fn on_response(
        &mut self,
        from: PeerId,
        response: BlockResponse,
        chain: &dyn ChainAccess,
    ) -> SyncStep {
        if self.peer() != Some(from) || !self.in_flight {
            return SyncStep::Nothing;
        }
        self.in_flight = false;
        match self.state.clone() {
            State::Probe {
                peer,
                mut lo,
                mut lo_hash,
                mut hi,
                at,
                ..
            } => {
                let Some(block) = response.blocks.first() else {
                    // The peer no longer has that block (it reorganised): try again later.
                    return self.fail(None);
                };
                let Some(header) = &block.header else {
                    return self.fail(Some(Misbehaviour::BadResponse));
                };
                let hash = header.hash();
                if header.number != at || hash != block.hash {
                    return self.fail(Some(Misbehaviour::BadResponse));
                }
                if matches!(chain.header(hash), Ok(Some(_))) {
                    lo = at;
                    lo_hash = hash;
                } else {
                    hi = at.saturating_sub(1);
                }
                self.state = State::Probe {
                    peer,
                    lo,
                    lo_hash,
                    hi: hi.max(lo),
                    first: false,
                    at,
                };
                SyncStep::Nothing
            }
            State::Download {
                peer,
                common,
                common_hash,
            } => match check_range(common, common_hash, response.blocks) {
                Ok(blocks) if blocks.is_empty() => self.fail(None),
                Ok(blocks) => {
                    self.state = State::Import { peer, resume: true };
                    SyncStep::Import(blocks)
                }
                Err(RangeError::NotOnOurChain) => self.fail(None),
                Err(RangeError::Invalid) => self.fail(Some(Misbehaviour::BadResponse)),
            },
            State::Idle | State::Fetch { .. } | State::Import { .. } => SyncStep::Nothing,
        }
    }

    /// The response to fetching an announced block.
    pub fn on_fetched(&mut self, from: PeerId, response: BlockResponse) -> SyncStep {
        let State::Fetch { peer, hash } = self.state.clone() else {
            return SyncStep::Nothing;
        };
        if peer != from || !self.in_flight {
            return SyncStep::Nothing;
        }
        self.in_flight = false;
        let Some(block) = response.blocks.into_iter().next() else {
            return self.fail(None);
        };
        match block {
            BlockData {
                hash: claimed,
                header: Some(header),
                body: Some(body),
                justifications,
            } if claimed == hash && header.hash() == hash => {
                self.state = State::Import {
                    peer,
                    resume: false,
                };
                SyncStep::Import(vec![IncomingBlock {
                    header,
                    body,
                    justifications,
                }])
            }
            _ => self.fail(Some(Misbehaviour::BadResponse)),
        }
    }

    /// The outcomes of importing the blocks of the last [`SyncStep::Import`]; `last` is the
    /// number and hash of its last block.
    pub fn on_imported(
        &mut self,
        from: PeerId,
        last: (BlockNumber, H256),
        outcomes: &[ImportOutcome],
    ) -> SyncStep {
        let State::Import { peer, resume } = self.state.clone() else {
            return SyncStep::Nothing;
        };
        if peer != from {
            return SyncStep::Nothing;
        }
        if let Some(reason) = outcomes.iter().find_map(|o| match o {
            ImportOutcome::Bad(reason) => Some(reason.clone()),
            _ => None,
        }) {
            tracing::warn!(target: crate::worker::LOG_TARGET, %peer, reason, "peer sent a bad block");
            return self.fail(Some(Misbehaviour::BadBlock));
        }
        let all_in = outcomes
            .iter()
            .all(|o| matches!(o, ImportOutcome::Imported | ImportOutcome::AlreadyKnown));
        if all_in && resume {
            self.state = State::Download {
                peer,
                common: last.0,
                common_hash: last.1,
            };
            SyncStep::Nothing
        } else {
            self.fail(None)
        }
    }
}

enum RangeError {
    /// The first block does not build on the block we share: the peer moved on (no blame).
    NotOnOurChain,
    /// Missing parts, wrong hashes or numbers, or blocks that do not form a chain.
    Invalid,
}

/// Checks that a downloaded range is complete and a chain starting on `common_hash`.
fn check_range(
    common: BlockNumber,
    common_hash: H256,
    blocks: Vec<BlockData>,
) -> Result<Vec<IncomingBlock>, RangeError> {
    let mut parent = common_hash;
    let mut number = common;
    let mut out = Vec::with_capacity(blocks.len());
    for (index, data) in blocks.into_iter().enumerate() {
        let (Some(header), Some(body)) = (data.header, data.body) else {
            return Err(RangeError::Invalid);
        };
        number = number.checked_add(1).ok_or(RangeError::Invalid)?;
        let hash = header.hash();
        if hash != data.hash || header.number != number {
            return Err(RangeError::Invalid);
        }
        if header.parent_hash != parent {
            return Err(if index == 0 {
                RangeError::NotOnOurChain
            } else {
                RangeError::Invalid
            });
        }
        parent = hash;
        out.push(IncomingBlock {
            header,
            body,
            justifications: data.justifications,
        });
    }
    Ok(out)
}
