//! The voter's memory across crashes: its own votes and its last completed round, written to
//! disk before a vote leaves the node.
//!
//! The rule that keeps GRANDPA safe across a restart: a voter that signed a prevote (or a
//! precommit, or a primary proposal) in a round never signs another of that kind in that
//! round. [`VoteStore::record_vote`] is the only way to a signature: it returns the vote
//! already stored for that kind and round if there is one (the voter then re-sends it), and
//! persists the new one otherwise, before it is signed and sent.

use crate::messages::{Message, SignedMessage};
use crate::{BlockNumber, FinalityError, Hash, RoundNumber, SetId};
use parity_scale_codec::{Decode, Encode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A round the voter completed: what `Voter::new` needs to resume after it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct CompletedRound {
    pub round: RoundNumber,
    pub base: (Hash, BlockNumber),
    pub votes: Vec<SignedMessage>,
}

/// Everything the store keeps (for one authority set: a new set starts afresh).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct VoterState {
    pub set_id: SetId,
    pub completed: Option<CompletedRound>,
    /// Own votes by round, for the rounds after the completed one.
    pub votes: Vec<(RoundNumber, Message)>,
}

/// 0 prevote, 1 precommit, 2 primary proposal: one of each per round.
fn kind(message: &Message) -> u8 {
    match message {
        Message::Prevote(_) => 0,
        Message::Precommit(_) => 1,
        Message::PrimaryPropose(_) => 2,
    }
}

impl VoterState {
    /// The vote to send for `message` in `round`: the stored one of its kind, else `message`
    /// (recorded). Returns whether the state changed.
    fn record(&mut self, round: RoundNumber, message: Message) -> (Message, bool) {
        let stored = self
            .votes
            .iter()
            .find(|(r, m)| *r == round && kind(m) == kind(&message));
        match stored {
            Some((_, earlier)) => (earlier.clone(), false),
            None => {
                self.votes.push((round, message.clone()));
                (message, true)
            }
        }
    }

    fn complete(&mut self, completed: CompletedRound) {
        // Votes of rounds before the completed one can no longer be asked for again.
        let round = completed.round;
        self.votes.retain(|(r, _)| *r >= round);
        if self.completed.as_ref().is_none_or(|c| c.round <= round) {
            self.completed = Some(completed);
        }
    }

    fn for_set(&mut self, set_id: SetId) {
        if self.set_id != set_id {
            *self = Self {
                set_id,
                ..Self::default()
            };
        }
    }
}

/// Where the voter keeps its state.
pub trait VoteStore: Send + Sync + 'static {
    /// The vote to sign and send for `message` in `round` of `set_id`: the one stored for that
    /// kind and round, else `message` once it is durably stored.
    ///
    /// # Errors
    /// It could not be stored: the voter must not send it.
    fn record_vote(
        &self,
        set_id: SetId,
        round: RoundNumber,
        message: Message,
    ) -> Result<Message, FinalityError>;

    /// Records a completed round (the voter resumes after it).
    ///
    /// # Errors
    /// It could not be stored.
    fn record_completed(&self, set_id: SetId, round: CompletedRound) -> Result<(), FinalityError>;

    /// The stored state (the default for a new voter).
    fn state(&self) -> VoterState;
}

/// A store in memory: survives a voter's restart within a process (tests), not the process.
#[derive(Default)]
pub struct MemoryVoteStore(Mutex<VoterState>);

fn poisoned() -> FinalityError {
    FinalityError::Store("vote store lock poisoned".into())
}

impl VoteStore for MemoryVoteStore {
    fn record_vote(
        &self,
        set_id: SetId,
        round: RoundNumber,
        message: Message,
    ) -> Result<Message, FinalityError> {
        let mut state = self.0.lock().map_err(|_| poisoned())?;
        state.for_set(set_id);
        Ok(state.record(round, message).0)
    }

    fn record_completed(&self, set_id: SetId, round: CompletedRound) -> Result<(), FinalityError> {
        let mut state = self.0.lock().map_err(|_| poisoned())?;
        state.for_set(set_id);
        state.complete(round);
        Ok(())
    }

    fn state(&self) -> VoterState {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// A store in one file, replaced atomically: the new state is written to a temporary file,
/// fsynced, renamed over the old one, and the directory fsynced, so a crash leaves either the
/// old state or the new one, never a torn file.
pub struct FileVoteStore {
    path: PathBuf,
    state: Mutex<VoterState>,
}

impl FileVoteStore {
    /// Opens the store at `path` (a missing file is a new voter).
    ///
    /// # Errors
    /// The file exists but cannot be read or decoded (a voter must not forget its votes
    /// silently: the operator moves the file away to start afresh).
    pub fn open(path: &Path) -> Result<Self, FinalityError> {
        let state = match std::fs::read(path) {
            Ok(bytes) => VoterState::decode(&mut &bytes[..])
                .map_err(|e| FinalityError::Store(format!("{}: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => VoterState::default(),
            Err(e) => return Err(FinalityError::Store(format!("{}: {e}", path.display()))),
        };
        Ok(Self {
            path: path.to_path_buf(),
            state: Mutex::new(state),
        })
    }

    fn persist(&self, state: &VoterState) -> Result<(), FinalityError> {
        write_atomically(&self.path, &state.encode())
    }
}

/// Replaces the file at `path` with `bytes` so that a crash leaves the old content or the
/// new, never a torn file: a temporary file, fsynced, renamed, then the directory fsynced.
///
/// # Errors
/// Any write, sync or rename failed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), FinalityError> {
    let io = |e: std::io::Error| FinalityError::Store(format!("{}: {e}", path.display()));
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent() {
        // The rename is durable only once the directory is.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

impl VoteStore for FileVoteStore {
    fn record_vote(
        &self,
        set_id: SetId,
        round: RoundNumber,
        message: Message,
    ) -> Result<Message, FinalityError> {
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        let mut next = state.clone();
        next.for_set(set_id);
        let (vote, changed) = next.record(round, message);
        if changed || next.set_id != state.set_id {
            self.persist(&next)?;
        }
        *state = next;
        Ok(vote)
    }

    fn record_completed(&self, set_id: SetId, round: CompletedRound) -> Result<(), FinalityError> {
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        let mut next = state.clone();
        next.for_set(set_id);
        next.complete(round);
        self.persist(&next)?;
        *state = next;
        Ok(())
    }

    fn state(&self) -> VoterState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finality_grandpa::{Precommit, Prevote};

    fn prevote(n: u8) -> Message {
        Message::Prevote(Prevote {
            target_hash: Hash([n; 32]),
            target_number: n.into(),
        })
    }

    #[test]
    fn a_second_vote_of_a_kind_in_a_round_gets_the_first_back_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grandpa-voter");
        let store = FileVoteStore::open(&path).unwrap();
        assert_eq!(store.record_vote(0, 5, prevote(1)).unwrap(), prevote(1));
        let precommit = Message::Precommit(Precommit {
            target_hash: Hash([1; 32]),
            target_number: 1,
        });
        assert_eq!(
            store.record_vote(0, 5, precommit.clone()).unwrap(),
            precommit
        );
        drop(store);

        let reopened = FileVoteStore::open(&path).unwrap();
        assert_eq!(reopened.record_vote(0, 5, prevote(2)).unwrap(), prevote(1));
        assert_eq!(reopened.record_vote(0, 6, prevote(2)).unwrap(), prevote(2));
        // A new set starts afresh.
        assert_eq!(reopened.record_vote(1, 5, prevote(3)).unwrap(), prevote(3));
    }

    #[test]
    fn completing_a_round_keeps_it_and_forgets_older_votes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grandpa-voter");
        let store = FileVoteStore::open(&path).unwrap();
        store.record_vote(0, 1, prevote(1)).unwrap();
        store.record_vote(0, 2, prevote(2)).unwrap();
        let completed = CompletedRound {
            round: 2,
            base: (Hash([0; 32]), 0),
            votes: Vec::new(),
        };
        store.record_completed(0, completed.clone()).unwrap();
        let state = FileVoteStore::open(&path).unwrap().state();
        assert_eq!(state.completed, Some(completed));
        assert_eq!(state.votes, vec![(2, prevote(2))]);
    }

    #[test]
    fn a_torn_file_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grandpa-voter");
        std::fs::write(&path, [1, 2, 3]).unwrap();
        assert!(FileVoteStore::open(&path).is_err());
    }
}
