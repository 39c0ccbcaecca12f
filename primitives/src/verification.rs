//! How the host checks the signatures the runtime asks about, natively.
//!
//! - [`BatchVerifier`]: while the runtime has a batch open (`Core_execute_block` opens one for
//!   a whole block), signatures are deferred and checked on worker threads, in chunks through
//!   schnorrkel's batch equation, while the block goes on executing; closing the batch waits for
//!   them. The block is valid only if all are.
//! - [`VerifiedSignatures`]: signatures this node has already found valid (the transaction pool
//!   checks every transaction it admits), so building a block from the pool does not check them
//!   a second time. Only valid checks are remembered, keyed by a hash of everything checked, so
//!   a hit answers exactly what a fresh check would.

use crate::crypto::native::{sr25519_verify_batch, verify};
use crate::crypto::SignatureKind;
use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A deferred signature check: scheme, signature, message, public key.
type PendingCheck = (SignatureKind, [u8; 64], Vec<u8>, [u8; 32]);

/// Deferred checks handed to a worker at a time: large enough for the batch equation to pay
/// off, small enough that workers start while the block is still executing.
const CHUNK: usize = 128;

/// Checks every signature of `checks`; sr25519 ones together through the batch equation.
fn check_all(checks: &[PendingCheck]) -> bool {
    let mut sr25519 = Vec::with_capacity(checks.len());
    for (kind, sig, msg, public) in checks {
        match kind {
            SignatureKind::Sr25519 => sr25519.push((sig, msg.as_slice(), public)),
            SignatureKind::Ed25519 => {
                if !verify(*kind, sig, msg, public) {
                    return false;
                }
            }
        }
    }
    sr25519_verify_batch(&sr25519)
}

/// How a batch opened by the runtime is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BatchMode {
    /// On worker threads (one per core), in chunks, while the block executes.
    #[default]
    Parallel,
    /// Not deferred: each signature is checked when the runtime asks (the slow reference).
    Inline,
}

/// An open batch: chunks go to workers as they fill.
struct OpenBatch {
    chunk: Vec<PendingCheck>,
    to_workers: mpsc::Sender<Vec<PendingCheck>>,
    workers: Vec<JoinHandle<bool>>,
}

impl OpenBatch {
    fn start() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (to_workers, chunks) = mpsc::channel::<Vec<PendingCheck>>();
        let chunks = Arc::new(Mutex::new(chunks));
        let workers = (0..threads)
            .filter_map(|i| {
                let chunks = Arc::clone(&chunks);
                std::thread::Builder::new()
                    .name(format!("folio-verify-{i}"))
                    .spawn(move || {
                        let mut all_valid = true;
                        loop {
                            let next = match chunks.lock() {
                                Ok(receiver) => receiver.recv(),
                                Err(_) => return false,
                            };
                            match next {
                                // Keep draining after a failure so the sender never blocks.
                                Ok(chunk) => all_valid &= check_all(&chunk),
                                Err(_) => return all_valid,
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        Self {
            chunk: Vec::with_capacity(CHUNK),
            to_workers,
            workers,
        }
    }

    fn push(&mut self, check: PendingCheck) {
        self.chunk.push(check);
        if self.chunk.len() >= CHUNK {
            self.send_chunk();
        }
    }

    fn send_chunk(&mut self) {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        if chunk.is_empty() {
            return;
        }
        if let Err(mpsc::SendError(chunk)) = self.to_workers.send(chunk) {
            // No worker could be started: check here instead.
            self.chunk = chunk;
        }
    }

    fn finish(mut self) -> bool {
        self.send_chunk();
        let leftover = std::mem::take(&mut self.chunk);
        drop(self.to_workers);
        // Join every worker (no short-circuit): none may outlive the batch.
        let mut workers_valid = true;
        for worker in self.workers {
            workers_valid &= worker.join().unwrap_or(false);
        }
        workers_valid && check_all(&leftover)
    }
}

/// Signatures deferred while the runtime has a batch open.
#[derive(Default)]
pub struct BatchVerifier {
    mode: BatchMode,
    open: Option<OpenBatch>,
}

impl std::fmt::Debug for BatchVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchVerifier")
            .field("mode", &self.mode)
            .field("open", &self.open.is_some())
            .finish()
    }
}

impl BatchVerifier {
    pub fn new(mode: BatchMode) -> Self {
        Self { mode, open: None }
    }

    /// Checks a signature now, or defers it (answering true) when a batch is open.
    pub fn verify(
        &mut self,
        kind: SignatureKind,
        sig: &[u8; 64],
        msg: &[u8],
        public: &[u8; 32],
    ) -> bool {
        match &mut self.open {
            Some(batch) => {
                batch.push((kind, *sig, msg.to_vec(), *public));
                true
            }
            None => verify(kind, sig, msg, public),
        }
    }

    pub fn start(&mut self) {
        if self.mode == BatchMode::Parallel && self.open.is_none() {
            self.open = Some(OpenBatch::start());
        }
    }

    /// Whether a batch is open (checks are being deferred).
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Waits for every deferred check: true if all were valid (or none was deferred).
    pub fn finish(&mut self) -> bool {
        self.open.take().is_none_or(OpenBatch::finish)
    }
}

/// How an externalities uses [`VerifiedSignatures`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureReuse {
    /// Remember the valid signatures checked (transaction validation).
    Record,
    /// Answer from what was remembered, forgetting each entry used (block building).
    Consume,
}

/// Signatures this node found valid, remembered for block building. Bounded: when full it
/// starts afresh (a miss only costs a check).
#[derive(Debug)]
pub struct VerifiedSignatures {
    seen: Mutex<HashSet<[u8; 32]>>,
    capacity: usize,
}

impl Default for VerifiedSignatures {
    fn default() -> Self {
        Self::with_capacity(200_000)
    }
}

impl VerifiedSignatures {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            seen: Mutex::new(HashSet::new()),
            capacity: capacity.max(1),
        }
    }

    /// The key of one check: a hash of the scheme, signature, key and message.
    pub fn key(kind: SignatureKind, sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> [u8; 32] {
        // Hashed piece by piece: no copy of the message on the signature-checking path.
        use blake2::digest::{consts::U32, Digest};
        blake2::Blake2b::<U32>::new()
            .chain_update([kind as u8])
            .chain_update(sig)
            .chain_update(public)
            .chain_update(msg)
            .finalize()
            .into()
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, HashSet<[u8; 32]>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, key: [u8; 32]) {
        let mut seen = self.seen();
        if seen.len() >= self.capacity {
            seen.clear();
        }
        seen.insert(key);
    }

    /// Whether `key` was recorded; it is forgotten either way.
    pub fn take(&self, key: &[u8; 32]) -> bool {
        self.seen().remove(key)
    }

    pub fn len(&self) -> usize {
        self.seen().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::Sr25519Pair;

    fn signed(count: usize) -> Vec<PendingCheck> {
        (0..count)
            .map(|i| {
                let key = Sr25519Pair::from_seed(&[(i % 7) as u8 + 1; 32]).unwrap();
                let msg = (i as u64).to_le_bytes().to_vec();
                (SignatureKind::Sr25519, key.sign(&msg), msg, key.public())
            })
            .collect()
    }

    fn run_batch(mode: BatchMode, checks: &[PendingCheck]) -> bool {
        let mut batch = BatchVerifier::new(mode);
        batch.start();
        let all_accepted = checks
            .iter()
            .all(|(kind, sig, msg, public)| batch.verify(*kind, sig, msg, public));
        batch.finish() && all_accepted
    }

    #[test]
    fn a_parallel_batch_is_valid_only_if_every_signature_is() {
        // More than one chunk, so several workers and the leftover path all take part.
        let checks = signed(CHUNK * 3 + 5);
        assert!(run_batch(BatchMode::Parallel, &checks));
        assert!(run_batch(BatchMode::Inline, &checks));
        for bad in [0, CHUNK + 1, checks.len() - 1] {
            let mut tampered = checks.clone();
            tampered[bad].2.push(0);
            assert!(!run_batch(BatchMode::Parallel, &tampered), "bad at {bad}");
            assert!(!run_batch(BatchMode::Inline, &tampered), "bad at {bad}");
        }
    }

    #[test]
    fn without_an_open_batch_checks_answer_at_once() {
        let checks = signed(2);
        let mut verifier = BatchVerifier::default();
        let (kind, sig, msg, public) = &checks[0];
        assert!(verifier.verify(*kind, sig, msg, public));
        assert!(!verifier.verify(*kind, sig, b"other", public));
        assert!(verifier.finish());
    }

    #[test]
    fn remembered_signatures_answer_once_and_only_for_the_same_check() {
        let cache = VerifiedSignatures::with_capacity(2);
        let checks = signed(3);
        let keys: Vec<_> = checks
            .iter()
            .map(|(k, s, m, p)| VerifiedSignatures::key(*k, s, m, p))
            .collect();
        cache.record(keys[0]);
        let (kind, sig, _, public) = &checks[0];
        assert!(!cache.take(&VerifiedSignatures::key(*kind, sig, b"other", public)));
        assert!(cache.take(&keys[0]));
        assert!(!cache.take(&keys[0]), "used once");
        cache.record(keys[1]);
        cache.record(keys[2]);
        cache.record(keys[0]);
        assert!(cache.len() <= 2, "bounded");
    }
}
