//! Pool admission: submissions queue up and worker threads (one per core) validate whatever
//! has queued in one go, so under load a transaction costs a share of one runtime call and of
//! one parallel signature batch instead of a call and a single check of its own
//! ([`Client::validate_transactions`]). With one submission at a time it is validated alone,
//! as before, and answered at once.

use crate::author::AuthorHandle;
use crate::client::Client;
use crate::pool::Pool;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::transaction_pool::{SubmitError, TransactionStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use tokio::sync::{mpsc as tokio_mpsc, oneshot};

/// Most submissions validated in one runtime call: big enough to amortise the call and fill
/// the signature workers, small enough that the first in the batch waits only milliseconds.
const MAX_BATCH: usize = 256;

/// Submissions that may wait for validation by default (`--pool-admission-queue`): beyond
/// them a submission is refused at once as `PoolFull`, so a flood of submissions costs bounded
/// memory instead of growing the queue without end.
pub const DEFAULT_QUEUE: usize = 16_384;

/// A submission's answer: its hash once it is in the pool, or why not.
pub type Admitted = Result<H256, SubmitError>;

struct Submission {
    bytes: Vec<u8>,
    watcher: Option<tokio_mpsc::UnboundedSender<TransactionStatus>>,
    reply: oneshot::Sender<Admitted>,
}

/// Hands submissions to the admission workers. Cheap to clone; the workers stop when the
/// last clone is dropped.
#[derive(Clone)]
pub struct Admission {
    queue: mpsc::SyncSender<Submission>,
    /// How many times a worker panicked (and went on with the next batch).
    restarts: Arc<AtomicU64>,
}

impl std::fmt::Debug for Admission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Admission")
    }
}

impl Admission {
    /// Starts one worker thread per core.
    ///
    /// # Errors
    /// A thread cannot be started.
    pub fn start(
        client: Arc<Client>,
        pool: Arc<Pool>,
        author: AuthorHandle,
    ) -> std::io::Result<Self> {
        Self::start_bounded(client, pool, author, DEFAULT_QUEUE)
    }

    /// [`Admission::start`] with at most `queue` submissions waiting.
    ///
    /// # Errors
    /// A thread cannot be started.
    pub fn start_bounded(
        client: Arc<Client>,
        pool: Arc<Pool>,
        author: AuthorHandle,
        queue: usize,
    ) -> std::io::Result<Self> {
        let (queue, submissions) = mpsc::sync_channel::<Submission>(queue.max(1));
        let submissions = Arc::new(Mutex::new(submissions));
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let restarts = Arc::new(AtomicU64::new(0));
        for i in 0..workers {
            let worker = Worker {
                client: Arc::clone(&client),
                pool: Arc::clone(&pool),
                author: author.clone(),
                restarts: Arc::clone(&restarts),
            };
            let submissions = Arc::clone(&submissions);
            std::thread::Builder::new()
                .name(format!("folio-admission-{i}"))
                .spawn(move || worker.run(&submissions))?;
        }
        Ok(Self { queue, restarts })
    }

    /// How many times an admission worker panicked and went on (metrics report it).
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Queues `bytes` for validation; the answer arrives on the returned channel.
    pub fn submit(
        &self,
        bytes: Vec<u8>,
        watcher: Option<tokio_mpsc::UnboundedSender<TransactionStatus>>,
    ) -> oneshot::Receiver<Admitted> {
        let (reply, answer) = oneshot::channel();
        let submission = Submission {
            bytes,
            watcher,
            reply,
        };
        match self.queue.try_send(submission) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(submission)) => {
                let _ = submission.reply.send(Err(SubmitError::PoolFull));
            }
            Err(mpsc::TrySendError::Disconnected(submission)) => {
                let _ = submission.reply.send(Err(stopped()));
            }
        }
        answer
    }

    /// [`Admission::submit`], waiting for the answer (not from inside an async task).
    pub fn submit_blocking(
        &self,
        bytes: Vec<u8>,
        watcher: Option<tokio_mpsc::UnboundedSender<TransactionStatus>>,
    ) -> Admitted {
        self.submit(bytes, watcher)
            .blocking_recv()
            .unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> SubmitError {
    SubmitError::Verification("the node is shutting down".into())
}

struct Worker {
    client: Arc<Client>,
    pool: Arc<Pool>,
    author: AuthorHandle,
    restarts: Arc<AtomicU64>,
}

impl Worker {
    fn run(&self, submissions: &Mutex<mpsc::Receiver<Submission>>) {
        while let Some(batch) = next_batch(submissions) {
            // Supervised: a panic (a bug) while admitting costs that batch its answers (the
            // dropped reply channels tell their callers), never the worker.
            let admitted =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.admit(batch)));
            if admitted.is_err() {
                let count = self
                    .restarts
                    .fetch_add(1, Ordering::Relaxed)
                    .saturating_add(1);
                tracing::error!(target: "folio::pool", restarts = count, "an admission worker panicked; it goes on");
            }
        }
    }

    /// Validates `batch` against the best block and puts the valid ones in the pool.
    fn admit(&self, batch: Vec<Submission>) {
        let mut xts = Vec::with_capacity(batch.len());
        let mut admitted = Vec::with_capacity(batch.len());
        for submission in batch {
            match self.check(&submission.bytes) {
                Ok((xt, hash)) => {
                    xts.push(xt);
                    admitted.push((hash, submission));
                }
                Err(error) => {
                    let _ = submission.reply.send(Err(error));
                }
            }
        }
        if xts.is_empty() {
            return;
        }
        let best = match self.client.best_header() {
            Ok(best) => best,
            Err(error) => return answer_all(admitted, &error.to_string()),
        };
        let validities = match self.client.validate_transactions(best.hash(), &xts) {
            Ok(validities) => validities,
            Err(error) => return answer_all(admitted, &error.to_string()),
        };
        let mut any_ready = false;
        for ((hash, submission), validity) in admitted.into_iter().zip(validities) {
            let imported = self.pool.import(
                hash,
                submission.bytes,
                validity,
                best.number,
                submission.watcher,
            );
            let answer = imported.map(|ready| {
                any_ready |= ready;
                hash
            });
            let _ = submission.reply.send(answer);
        }
        if any_ready {
            self.author.notify_ready();
        }
    }

    /// The cheap checks before validation: the bytes decode, and the pool neither holds nor
    /// bans the transaction. Returns it with its hash.
    fn check(&self, bytes: &[u8]) -> Result<(OpaqueExtrinsic, H256), SubmitError> {
        let xt = OpaqueExtrinsic::from_bytes(bytes)
            .map_err(|e| SubmitError::BadFormat(e.to_string()))?;
        let hash = xt.hash();
        self.pool.check_new(&hash)?;
        Ok((xt, hash))
    }
}

/// Waits for a submission and takes whatever else is queued behind it (up to [`MAX_BATCH`]);
/// `None` once every [`Admission`] is gone.
fn next_batch(submissions: &Mutex<mpsc::Receiver<Submission>>) -> Option<Vec<Submission>> {
    // One worker gathers at a time; the others wait here for the next batch.
    let submissions = submissions.lock().unwrap_or_else(PoisonError::into_inner);
    let first = submissions.recv().ok()?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match submissions.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn answer_all(admitted: Vec<(H256, Submission)>, error: &str) {
    for (_, submission) in admitted {
        let _ = submission
            .reply
            .send(Err(SubmitError::Verification(error.to_string())));
    }
}
