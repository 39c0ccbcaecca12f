//! The running `chainHead_v1_follow` subscriptions: which connection owns each, the blocks it
//! has pinned and its operations, and the limits on all three.

use folio_primitives::hash::H256;
use jsonrpsee::{ConnectionId, SubscriptionSink};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// The limits of [`crate::RpcConfig`] that concern follow subscriptions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FollowLimits {
    /// [`crate::RpcConfig::max_follow_subscriptions_per_connection`].
    pub per_connection: usize,
    /// [`crate::RpcConfig::max_pinned_blocks_per_follow`].
    pub pinned_blocks: usize,
    /// [`crate::RpcConfig::max_operations_per_follow`].
    pub operations: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves the data usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One running operation (`chainHead_v1_body`, `_call` or `_storage`).
struct Operation {
    /// How many of the subscription's operation slots it takes (a storage call: its items).
    slots: usize,
    task: Option<AbortHandle>,
    /// Set while a storage operation waits for `chainHead_v1_continue`.
    resume: Option<mpsc::Sender<()>>,
}

/// Why pinning failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooManyPinned;

/// One follow subscription.
pub(crate) struct Follow {
    pub connection: ConnectionId,
    pub with_runtime: bool,
    /// Where the subscription's events go; operations send theirs here too.
    pub sink: SubscriptionSink,
    limits: FollowLimits,
    pinned: Mutex<HashSet<H256>>,
    operations: Mutex<HashMap<String, Operation>>,
    next_operation: AtomicU64,
}

impl Follow {
    /// Pins `hash`; fails when the subscription already pins the most it may.
    pub fn pin(&self, hash: H256) -> Result<(), TooManyPinned> {
        let mut pinned = lock(&self.pinned);
        if !pinned.contains(&hash) && pinned.len() >= self.limits.pinned_blocks {
            return Err(TooManyPinned);
        }
        pinned.insert(hash);
        Ok(())
    }

    pub fn is_pinned(&self, hash: &H256) -> bool {
        lock(&self.pinned).contains(hash)
    }

    /// Unpins all of `hashes`, or none if one of them is not pinned (the spec asks for all or
    /// nothing); the first one not pinned otherwise.
    pub fn unpin(&self, hashes: &[H256]) -> Result<(), H256> {
        let mut pinned = lock(&self.pinned);
        if let Some(missing) = hashes.iter().find(|h| !pinned.contains(h)) {
            return Err(*missing);
        }
        for hash in hashes {
            pinned.remove(hash);
        }
        Ok(())
    }

    /// Reserves up to `wanted` operation slots for a new operation; its id and how many slots
    /// it got (`None` when none are free).
    pub fn start_operation(&self, wanted: usize) -> Option<(String, usize)> {
        let mut operations = lock(&self.operations);
        let used: usize = operations.values().map(|op| op.slots).sum();
        let slots = wanted.min(self.limits.operations.saturating_sub(used));
        if slots == 0 {
            return None;
        }
        let id = format!("op-{}", self.next_operation.fetch_add(1, Ordering::Relaxed));
        operations.insert(
            id.clone(),
            Operation {
                slots,
                task: None,
                resume: None,
            },
        );
        Some((id, slots))
    }

    /// How many slots operation `id` holds (`None` once it finished or was stopped).
    pub fn operation_slots(&self, id: &str) -> Option<usize> {
        lock(&self.operations).get(id).map(|op| op.slots)
    }

    /// Records the task running operation `id`, unless it already finished.
    pub fn set_task(&self, id: &str, task: AbortHandle) {
        if let Some(op) = lock(&self.operations).get_mut(id) {
            op.task = Some(task);
        }
    }

    /// Forgets operation `id` (it finished).
    pub fn finish_operation(&self, id: &str) {
        lock(&self.operations).remove(id);
    }

    /// Stops operation `id` if it runs (`chainHead_v1_stopOperation`).
    pub fn stop_operation(&self, id: &str) {
        if let Some(op) = lock(&self.operations).remove(id) {
            if let Some(task) = op.task {
                task.abort();
            }
        }
    }

    /// Marks storage operation `id` as waiting for `chainHead_v1_continue`; the receiver
    /// fires when it is called.
    pub fn wait_for_continue(&self, id: &str) -> Option<mpsc::Receiver<()>> {
        let mut operations = lock(&self.operations);
        let op = operations.get_mut(id)?;
        let (resume, resumed) = mpsc::channel(1);
        op.resume = Some(resume);
        Some(resumed)
    }

    /// Resumes operation `id`; `false` if it exists but is not waiting. An unknown id is
    /// ignored, as the spec asks (`true`).
    pub fn resume(&self, id: &str) -> bool {
        let mut operations = lock(&self.operations);
        let Some(op) = operations.get_mut(id) else {
            return true;
        };
        match op.resume.take() {
            Some(resume) => {
                // The channel has room for this one message.
                let _ = resume.try_send(());
                true
            }
            None => false,
        }
    }

    /// Stops every operation (the subscription ended).
    fn stop_all(&self) {
        for (_, op) in lock(&self.operations).drain() {
            if let Some(task) = op.task {
                task.abort();
            }
        }
    }
}

/// All follow subscriptions of the server.
pub(crate) struct Follows {
    limits: FollowLimits,
    /// Subscriptions by id.
    running: Mutex<HashMap<String, Arc<Follow>>>,
    /// Follow subscriptions per connection, counted from before they are accepted.
    per_connection: Mutex<HashMap<ConnectionId, usize>>,
}

/// A connection's claim on one follow subscription; dropping it gives the slot back and
/// forgets the subscription.
pub(crate) struct FollowSlot {
    follows: Arc<Follows>,
    connection: ConnectionId,
    id: Option<String>,
}

impl Drop for FollowSlot {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            if let Some(follow) = lock(&self.follows.running).remove(id) {
                follow.stop_all();
            }
        }
        let mut counts = lock(&self.follows.per_connection);
        if let Some(count) = counts.get_mut(&self.connection) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.connection);
            }
        }
    }
}

impl Follows {
    pub fn new(limits: FollowLimits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            running: Mutex::new(HashMap::new()),
            per_connection: Mutex::new(HashMap::new()),
        })
    }

    /// Claims a follow slot for `connection`; `None` when it has the most it may.
    pub fn reserve(self: &Arc<Self>, connection: ConnectionId) -> Option<FollowSlot> {
        let mut counts = lock(&self.per_connection);
        let count = counts.entry(connection).or_insert(0);
        if *count >= self.limits.per_connection {
            return None;
        }
        *count += 1;
        Some(FollowSlot {
            follows: self.clone(),
            connection,
            id: None,
        })
    }

    /// Registers the accepted subscription `id` under `slot`.
    pub fn register(
        &self,
        slot: &mut FollowSlot,
        id: String,
        sink: SubscriptionSink,
        with_runtime: bool,
    ) -> Arc<Follow> {
        let follow = Arc::new(Follow {
            connection: slot.connection,
            with_runtime,
            sink,
            limits: self.limits,
            pinned: Mutex::new(HashSet::new()),
            operations: Mutex::new(HashMap::new()),
            next_operation: AtomicU64::new(1),
        });
        lock(&self.running).insert(id.clone(), follow.clone());
        slot.id = Some(id);
        follow
    }

    /// The subscription `id` if it runs and `connection` owns it (ids of other connections
    /// count as invalid, so one client cannot touch another's subscription).
    pub fn get(&self, id: &str, connection: Option<ConnectionId>) -> Option<Arc<Follow>> {
        let follow = lock(&self.running).get(id).cloned()?;
        (Some(follow.connection) == connection).then_some(follow)
    }
}
