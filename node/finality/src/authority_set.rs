//! Which authority set votes, block by block: the node's side of a set change.
//!
//! The runtime announces a change in the block that schedules it (`scheduled_at`), with a
//! `FRNK` `ScheduledChange { next_authorities, delay }` digest; the new set takes over in the
//! block `scheduled_at + delay` (the enact block). The node follows it on the finalized chain
//! only, as Substrate's standard changes:
//! - the current set votes on blocks up to the enact block and never past it
//!   ([`AuthoritySet::vote_limit`]), so the enact block is finalized by a justification of the
//!   old set;
//! - once the enact block is final, the next set (set id + 1) takes over
//!   ([`AuthoritySet::note_finalized`], then [`AuthoritySet::enact`]);
//! - a justification of a block is checked against the set of that block
//!   ([`AuthoritySet::set_of`]).
//!
//! The runtime raises `CurrentSetId` when it schedules a change, so between the two blocks its
//! set id is one ahead of the set that still votes: the node counts set ids itself.

use crate::backend::FinalityBackend;
use crate::store::write_atomically;
use crate::{AuthorityId, BlockNumber, FinalityError, Hash, SetId, GRANDPA_ENGINE_ID};
use folio_primitives::header::{DigestItem, Header};
use parity_scale_codec::{Decode, DecodeAll, Encode};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub type Authorities = Vec<(AuthorityId, u64)>;

/// `sp_consensus_grandpa::ScheduledChange`: the body of `ConsensusLog::ScheduledChange`
/// (variant index 1).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ScheduledChange {
    pub next_authorities: Authorities,
    pub delay: BlockNumber,
}

/// The `ConsensusLog` variant index of a scheduled change.
const SCHEDULED_CHANGE: u8 = 1;

/// The scheduled change a header's digest announces, if any (another `FRNK` log, or a
/// malformed one, is none).
pub fn scheduled_change(header: &Header) -> Option<ScheduledChange> {
    header.digest.logs.iter().find_map(|item| match item {
        DigestItem::Consensus(engine, data) if *engine == GRANDPA_ENGINE_ID => {
            let (index, body) = data.split_first()?;
            (*index == SCHEDULED_CHANGE)
                .then(|| ScheduledChange::decode_all(&mut &body[..]).ok())
                .flatten()
        }
        _ => None,
    })
}

/// A change announced in a finalized block, waiting for its enact block to be finalized.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct PendingChange {
    pub scheduled_at: BlockNumber,
    pub enact_at: BlockNumber,
    pub next_authorities: Authorities,
}

/// The enact block of a pending change was finalized: the next set may take over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enacted {
    /// The enact block.
    pub block: (Hash, BlockNumber),
    /// The set its digest announced (the node may read it from the block's state instead).
    pub next_authorities: Authorities,
}

/// The set that votes now, and what the node knows of the next one. Persisted, so a
/// restarted node resumes the set it was in.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AuthoritySet {
    pub set_id: SetId,
    pub authorities: Authorities,
    /// The block in which this set took over (0 for the genesis set).
    pub start: BlockNumber,
    /// A change announced in a finalized block and not yet enacted.
    pub pending: Option<PendingChange>,
    /// The finalized block up to which digests were read.
    pub scanned: (Hash, BlockNumber),
}

impl AuthoritySet {
    /// The set `set_id` of `authorities`, current as of the finalized block `at`.
    pub fn new(set_id: SetId, authorities: Authorities, at: (Hash, BlockNumber)) -> Self {
        Self {
            set_id,
            authorities,
            start: at.1,
            pending: None,
            scanned: at,
        }
    }

    /// Reads the digests of the blocks finalized since the last call, up to `finalized`.
    /// Returns the pending change's enact block if it is now final; the caller then calls
    /// [`Self::enact`] and this again (a later change may already be final too).
    pub fn note_finalized<B: FinalityBackend + ?Sized>(
        &mut self,
        backend: &B,
        finalized: &Header,
    ) -> Option<Enacted> {
        for header in headers_after(backend, finalized, self.scanned.1) {
            let number = header.number;
            if let Some(change) = scheduled_change(&header) {
                if self.pending.is_none() {
                    self.pending = Some(PendingChange {
                        scheduled_at: number,
                        enact_at: number.saturating_add(change.delay),
                        next_authorities: change.next_authorities,
                    });
                }
            }
            self.scanned = (header.hash(), number);
            if let Some(pending) = self.pending.as_ref().filter(|p| p.enact_at <= number) {
                return Some(Enacted {
                    block: self.scanned,
                    next_authorities: pending.next_authorities.clone(),
                });
            }
        }
        None
    }

    /// The next set takes over in the finalized block `at`.
    pub fn enact(&mut self, at: (Hash, BlockNumber), authorities: Authorities) {
        self.set_id = self.set_id.saturating_add(1);
        self.authorities = authorities;
        self.start = at.1;
        self.pending = None;
        self.scanned = at;
    }

    /// The highest block the voter of `set_id` may vote for on the chain of `best`: the enact
    /// block of a change announced on that chain (finalized or not), `start` if `set_id` is
    /// over, `None` without a limit.
    pub fn vote_limit<B: FinalityBackend + ?Sized>(
        &self,
        backend: &B,
        set_id: SetId,
        best: &Header,
    ) -> Option<BlockNumber> {
        if set_id < self.set_id {
            return Some(self.start);
        }
        if let Some(pending) = &self.pending {
            return Some(pending.enact_at);
        }
        announced_enact_block(backend, best, self.scanned.1)
    }

    /// The set whose justification finalizes `header`, a block whose parent is known:
    /// `None` for a block of a set before this one (its keys are not kept).
    pub fn set_of<B: FinalityBackend + ?Sized>(
        &self,
        backend: &B,
        header: &Header,
    ) -> Option<(SetId, Authorities)> {
        if header.number <= self.start && self.start > 0 {
            return None;
        }
        let next = match &self.pending {
            Some(pending) => Some((pending.enact_at, pending.next_authorities.clone())),
            None => backend
                .header(header.parent_hash)
                .and_then(|parent| announced_change(backend, &parent, self.scanned.1)),
        };
        Some(match next {
            // The enact block itself is the old set's last: its justification is the old set's.
            Some((enact_at, next)) if enact_at < header.number => {
                (self.set_id.saturating_add(1), next)
            }
            _ => (self.set_id, self.authorities.clone()),
        })
    }
}

/// The headers after number `after` up to `last`, oldest first (along `last`'s ancestry).
fn headers_after<B: FinalityBackend + ?Sized>(
    backend: &B,
    last: &Header,
    after: BlockNumber,
) -> Vec<Header> {
    let mut headers = Vec::new();
    let mut current = Some(last.clone());
    while let Some(header) = current.filter(|h| h.number > after) {
        current = backend.header(header.parent_hash);
        headers.push(header);
    }
    headers.reverse();
    headers
}

/// The oldest change announced on `block`'s chain after number `after` (blocks not yet final
/// included): its enact block and next set.
fn announced_change<B: FinalityBackend + ?Sized>(
    backend: &B,
    block: &Header,
    after: BlockNumber,
) -> Option<(BlockNumber, Authorities)> {
    headers_after(backend, block, after)
        .into_iter()
        .find_map(|header| {
            scheduled_change(&header).map(|change| {
                (
                    header.number.saturating_add(change.delay),
                    change.next_authorities,
                )
            })
        })
}

fn announced_enact_block<B: FinalityBackend + ?Sized>(
    backend: &B,
    best: &Header,
    after: BlockNumber,
) -> Option<BlockNumber> {
    announced_change(backend, best, after).map(|(enact_at, _)| enact_at)
}

/// The node's authority set, shared by the voter, the synced-justification check and the
/// RPC, and written to `path` (none: in memory only, `--tmp`) on every change.
pub struct SharedAuthoritySet {
    set: Mutex<AuthoritySet>,
    path: Option<PathBuf>,
}

impl SharedAuthoritySet {
    /// The set stored at `path`, or `fresh()` if there is none yet (then stored).
    ///
    /// # Errors
    /// The file exists but cannot be read or decoded, or the new one cannot be written.
    pub fn open(
        path: Option<&Path>,
        fresh: impl FnOnce() -> AuthoritySet,
    ) -> Result<Arc<Self>, FinalityError> {
        let stored = match path {
            Some(path) => match std::fs::read(path) {
                Ok(bytes) => Some(
                    AuthoritySet::decode_all(&mut &bytes[..])
                        .map_err(|e| FinalityError::Store(format!("{}: {e}", path.display())))?,
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(FinalityError::Store(format!("{}: {e}", path.display()))),
            },
            None => None,
        };
        let shared = Self {
            set: Mutex::new(stored.clone().unwrap_or_else(fresh)),
            path: path.map(Path::to_path_buf),
        };
        if stored.is_none() {
            shared.persist(&shared.get())?;
        }
        Ok(Arc::new(shared))
    }

    /// A copy of the set as it is now.
    pub fn get(&self) -> AuthoritySet {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AuthoritySet> {
        self.set.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn persist(&self, set: &AuthoritySet) -> Result<(), FinalityError> {
        match &self.path {
            Some(path) => write_atomically(path, &set.encode()),
            None => Ok(()),
        }
    }

    /// Follows the finalized chain up to `finalized`, enacting every change whose enact block
    /// is final; `next_set(enacted)` names the authorities of the next set (from the enact
    /// block's state). Returns the new set id if the set changed.
    ///
    /// # Errors
    /// The new set could not be written.
    pub fn note_finalized<B: FinalityBackend + ?Sized>(
        &self,
        backend: &B,
        finalized: &Header,
        next_set: impl Fn(&Enacted) -> Authorities,
    ) -> Result<Option<SetId>, FinalityError> {
        let mut set = self.lock();
        let before = set.clone();
        let mut changed = None;
        while let Some(enacted) = set.note_finalized(backend, finalized) {
            let authorities = next_set(&enacted);
            set.enact(enacted.block, authorities);
            changed = Some(set.set_id);
        }
        if *set != before {
            self.persist(&set)?;
        }
        Ok(changed)
    }

    /// See [`AuthoritySet::vote_limit`].
    pub fn vote_limit<B: FinalityBackend + ?Sized>(
        &self,
        backend: &B,
        set_id: SetId,
        best: &Header,
    ) -> Option<BlockNumber> {
        self.lock().vote_limit(backend, set_id, best)
    }

    /// See [`AuthoritySet::set_of`].
    pub fn set_of<B: FinalityBackend + ?Sized>(
        &self,
        backend: &B,
        header: &Header,
    ) -> Option<(SetId, Authorities)> {
        self.lock().set_of(backend, header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryChain;

    fn ids(seeds: &[u8]) -> Authorities {
        seeds.iter().map(|s| (AuthorityId([*s; 32]), 1)).collect()
    }

    fn change_digest(next: &Authorities, delay: BlockNumber) -> DigestItem {
        let mut data = vec![SCHEDULED_CHANGE];
        data.extend(
            ScheduledChange {
                next_authorities: next.clone(),
                delay,
            }
            .encode(),
        );
        DigestItem::Consensus(GRANDPA_ENGINE_ID, data)
    }

    /// A chain of `length` blocks after genesis; block `change_at` announces `next` with
    /// `delay`. Returns the chain and the hashes by number (genesis first).
    fn chain_with_change(
        length: u32,
        change_at: u32,
        next: &Authorities,
        delay: BlockNumber,
    ) -> (MemoryChain, Vec<Hash>) {
        let chain = MemoryChain::new();
        let mut hashes = vec![chain.genesis()];
        for number in 1..=length {
            let parent = *hashes.last().expect("genesis");
            let mut header = Header {
                parent_hash: parent,
                number,
                state_root: Hash::default(),
                extrinsics_root: Hash::default(),
                digest: Default::default(),
            };
            if number == change_at {
                header.digest.logs.push(change_digest(next, delay));
            }
            hashes.push(header.hash());
            chain.import(header);
        }
        (chain, hashes)
    }

    fn header(chain: &MemoryChain, hash: Hash) -> Header {
        chain.header(hash).expect("known")
    }

    #[test]
    fn the_digest_of_a_scheduled_change_is_read_and_others_are_not() {
        let next = ids(&[5, 6]);
        let (chain, hashes) = chain_with_change(3, 2, &next, 4);
        assert_eq!(
            scheduled_change(&header(&chain, hashes[2])),
            Some(ScheduledChange {
                next_authorities: next,
                delay: 4
            })
        );
        assert_eq!(scheduled_change(&header(&chain, hashes[1])), None);
        let mut forced = header(&chain, hashes[1]);
        forced.digest.logs.push(DigestItem::Consensus(
            GRANDPA_ENGINE_ID,
            vec![4, 1, 0, 0, 0],
        ));
        forced
            .digest
            .logs
            .push(DigestItem::Consensus(GRANDPA_ENGINE_ID, vec![1, 0xff]));
        assert_eq!(
            scheduled_change(&forced),
            None,
            "Pause and garbage are no change"
        );
    }

    #[test]
    fn votes_stop_at_the_enact_block_before_and_after_the_announcement_is_final() {
        // Block 3 announces a change with delay 2: block 5 is the old set's last.
        let (chain, hashes) = chain_with_change(9, 3, &ids(&[5]), 2);
        let mut set = AuthoritySet::new(0, ids(&[1, 2]), (hashes[0], 0));
        let best = header(&chain, hashes[9]);
        assert_eq!(
            set.vote_limit(&chain, 0, &best),
            Some(5),
            "from the unfinal chain"
        );
        assert_eq!(
            set.vote_limit(&chain, 0, &header(&chain, hashes[2])),
            None,
            "a chain without the announcement has no limit"
        );
        assert_eq!(set.note_finalized(&chain, &header(&chain, hashes[4])), None);
        assert_eq!(set.pending.as_ref().map(|p| p.enact_at), Some(5));
        assert_eq!(
            set.vote_limit(&chain, 0, &best),
            Some(5),
            "from the pending change"
        );
        assert_eq!(set.scanned, (hashes[4], 4));
    }

    #[test]
    fn the_next_set_takes_over_once_the_enact_block_is_final() {
        let next = ids(&[5, 6, 7]);
        let (chain, hashes) = chain_with_change(9, 3, &next, 2);
        let mut set = AuthoritySet::new(0, ids(&[1, 2]), (hashes[0], 0));
        // Finality jumps from genesis to 7: the change is enacted at 5, not 7.
        let enacted = set
            .note_finalized(&chain, &header(&chain, hashes[7]))
            .expect("enacted");
        assert_eq!(enacted.block, (hashes[5], 5));
        assert_eq!(enacted.next_authorities, next);
        set.enact(enacted.block, enacted.next_authorities);
        assert_eq!((set.set_id, set.start, set.pending.clone()), (1, 5, None));
        assert_eq!(set.authorities, next);
        // The rest of the finalized chain is read for the next change: none.
        assert_eq!(set.note_finalized(&chain, &header(&chain, hashes[7])), None);
        assert_eq!(set.scanned, (hashes[7], 7));
        // The old set's voter, if still running, votes for nothing past the enact block.
        assert_eq!(
            set.vote_limit(&chain, 0, &header(&chain, hashes[9])),
            Some(5)
        );
        assert_eq!(set.vote_limit(&chain, 1, &header(&chain, hashes[9])), None);
    }

    #[test]
    fn a_change_with_no_delay_is_enacted_in_its_own_block() {
        let (chain, hashes) = chain_with_change(4, 2, &ids(&[9]), 0);
        let mut set = AuthoritySet::new(3, ids(&[1]), (hashes[0], 0));
        let enacted = set
            .note_finalized(&chain, &header(&chain, hashes[4]))
            .expect("enacted");
        assert_eq!(enacted.block.1, 2);
    }

    #[test]
    fn each_block_is_checked_against_its_own_set() {
        let next = ids(&[5, 6]);
        let (chain, hashes) = chain_with_change(9, 3, &next, 2);
        let old = ids(&[1, 2]);
        let mut set = AuthoritySet::new(4, old.clone(), (hashes[0], 0));
        let set_of = |set: &AuthoritySet, n: usize| set.set_of(&chain, &header(&chain, hashes[n]));
        // Nothing final yet: the change is read from the block's ancestry.
        assert_eq!(
            set_of(&set, 5),
            Some((4, old.clone())),
            "the enact block is the old set's"
        );
        assert_eq!(set_of(&set, 6), Some((5, next.clone())));
        assert_eq!(set_of(&set, 2), Some((4, old.clone())));
        // Announcement final, enact block not yet.
        assert_eq!(set.note_finalized(&chain, &header(&chain, hashes[4])), None);
        assert_eq!(set_of(&set, 5), Some((4, old.clone())));
        assert_eq!(set_of(&set, 8), Some((5, next.clone())));
        // Enacted: later blocks are the new set's; the old set's are no longer checked.
        let enacted = set
            .note_finalized(&chain, &header(&chain, hashes[5]))
            .expect("enacted");
        set.enact(enacted.block, enacted.next_authorities);
        assert_eq!(set_of(&set, 6), Some((5, next)));
        assert_eq!(set_of(&set, 5), None);
    }

    #[test]
    fn the_set_is_stored_and_a_restart_resumes_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("set");
        let next = ids(&[5, 6]);
        let (chain, hashes) = chain_with_change(6, 2, &next, 1);
        let fresh = || AuthoritySet::new(0, ids(&[1, 2]), (hashes[0], 0));
        let shared = SharedAuthoritySet::open(Some(&path), fresh).expect("open");
        let changed = shared
            .note_finalized(&chain, &header(&chain, hashes[6]), |enacted| {
                enacted.next_authorities.clone()
            })
            .expect("stored");
        assert_eq!(changed, Some(1));
        drop(shared);
        let reopened = SharedAuthoritySet::open(Some(&path), || unreachable!("stored"))
            .expect("reopen")
            .get();
        assert_eq!(reopened.set_id, 1);
        assert_eq!(reopened.authorities, next);
        assert_eq!(reopened.start, 3);
        assert_eq!(reopened.scanned, (hashes[6], 6));
        std::fs::write(&path, [1, 2, 3]).expect("write");
        assert!(
            SharedAuthoritySet::open(Some(&path), fresh).is_err(),
            "a torn file is refused"
        );
    }
}
