//! A small least-recently-used cache of loaded runtimes, keyed by the blake2-256 of the code.
//!
//! A chain runs one runtime for thousands of blocks and only switches at an upgrade, so a
//! handful of entries is plenty; the bound stops candidate code read by `set_code` (or sent by
//! `state_call`) from growing memory without limit.

use crate::module::LoadedRuntime;
use crate::ExecutorError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A blake2-256 code hash.
pub(crate) type CodeHash = [u8; 32];

/// One cache entry: filled by the first caller, which compiles while later callers for the same
/// hash wait on the entry's own lock (callers for other code are not held up).
type Entry = Arc<Mutex<Option<Arc<LoadedRuntime>>>>;

pub(crate) struct ModuleCache {
    capacity: usize,
    /// Least recently used first.
    entries: Mutex<Vec<(CodeHash, Entry)>>,
    compilations: AtomicU64,
}

/// A poisoned lock only means another call panicked while holding it; the protected data
/// (a list of entries, an optional loaded runtime) is consistent whenever the lock is released.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ModuleCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: Mutex::new(Vec::new()),
            compilations: AtomicU64::new(0),
        }
    }

    /// The runtime for `hash`, loading it with `load` if it is not cached.
    pub(crate) fn get_or_load(
        &self,
        hash: CodeHash,
        load: impl FnOnce() -> Result<LoadedRuntime, ExecutorError>,
    ) -> Result<Arc<LoadedRuntime>, ExecutorError> {
        let entry = self.entry(hash);
        let mut slot = lock(&entry);
        if let Some(loaded) = slot.as_ref() {
            return Ok(Arc::clone(loaded));
        }
        match load() {
            Ok(loaded) => {
                let loaded = Arc::new(loaded);
                *slot = Some(Arc::clone(&loaded));
                self.compilations.fetch_add(1, Ordering::Relaxed);
                Ok(loaded)
            }
            Err(error) => {
                // Failures are not cached: drop the empty entry so it takes no room.
                lock(&self.entries).retain(|(_, e)| !Arc::ptr_eq(e, &entry));
                Err(error)
            }
        }
    }

    /// The entry for `hash`, created if needed and marked most recently used.
    fn entry(&self, hash: CodeHash) -> Entry {
        let mut entries = lock(&self.entries);
        let entry = match entries.iter().position(|(h, _)| *h == hash) {
            Some(index) => entries.remove(index).1,
            None => Arc::new(Mutex::new(None)),
        };
        entries.push((hash, Arc::clone(&entry)));
        if entries.len() > self.capacity {
            // Calls already running on the evicted runtime keep their own `Arc`.
            entries.remove(0);
        }
        entry
    }

    /// How many code hashes are cached.
    pub(crate) fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    /// How many times code was compiled since the executor was created.
    pub(crate) fn compilations(&self) -> u64 {
        self.compilations.load(Ordering::Relaxed)
    }
}
