//! The events of `chainHead_v1_followEvent`, and the task that turns the node's block
//! announcements into them: `initialized`, then `newBlock` for every block (its parent always
//! reported first), `bestBlockChanged`, and `finalized` with the blocks pruned by it.

use super::follows::Follow;
use crate::backend::BackendError;
use crate::json::to_hex;
use crate::module::{notify, Ctx, LOG_TARGET};
use crate::storage_query::StorageItem;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::version::RuntimeVersion;
use folio_primitives::BlockNumber;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::broadcast;

/// `chainHead_v1_followEvent`'s `result`, as the spec writes it.
#[derive(Debug, Clone, Serialize)]
#[serde(
    tag = "event",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub(crate) enum FollowEvent {
    Initialized {
        finalized_block_hashes: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        finalized_block_runtime: Option<RuntimeEvent>,
    },
    NewBlock {
        block_hash: String,
        parent_block_hash: String,
        /// Absent without `withRuntime`; `null` when the runtime did not change.
        #[serde(skip_serializing_if = "Option::is_none")]
        new_runtime: Option<Option<RuntimeEvent>>,
    },
    BestBlockChanged {
        best_block_hash: String,
    },
    Finalized {
        finalized_block_hashes: Vec<String>,
        pruned_block_hashes: Vec<String>,
    },
    OperationBodyDone {
        operation_id: String,
        value: Vec<String>,
    },
    OperationCallDone {
        operation_id: String,
        output: String,
    },
    OperationStorageItems {
        operation_id: String,
        items: Vec<StorageItem>,
    },
    OperationWaitingForContinue {
        operation_id: String,
    },
    OperationStorageDone {
        operation_id: String,
    },
    OperationInaccessible {
        operation_id: String,
    },
    OperationError {
        operation_id: String,
        error: String,
    },
    Stop,
}

/// A block's runtime as the spec describes it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(crate) enum RuntimeEvent {
    Valid { spec: RuntimeSpec },
    Invalid { error: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuntimeSpec {
    spec_name: String,
    impl_name: String,
    spec_version: u32,
    impl_version: u32,
    transaction_version: u32,
    /// API id (8 bytes hex) to version; an object, unlike the legacy `apis` list.
    apis: BTreeMap<String, u32>,
}

impl From<&RuntimeVersion> for RuntimeSpec {
    fn from(v: &RuntimeVersion) -> Self {
        Self {
            spec_name: v.spec_name.clone(),
            impl_name: v.impl_name.clone(),
            spec_version: v.spec_version,
            impl_version: v.impl_version,
            transaction_version: v.transaction_version,
            apis: v.apis.iter().map(|(id, ver)| (to_hex(id), *ver)).collect(),
        }
    }
}

/// Why the subscription must end.
enum End {
    /// The client left, or the node stopped announcing: end silently.
    Gone,
    /// The spec's `stop` event: too many pinned blocks, a gap in the announcements, a block
    /// the node cannot read.
    Stop(&'static str),
}

/// A non-finalized block already reported with `newBlock`.
struct Reported {
    parent: H256,
}

/// What one subscription has told its client so far.
struct Tracker {
    ctx: Arc<Ctx>,
    follow: Arc<Follow>,
    finalized: H256,
    finalized_number: BlockNumber,
    unfinalized: HashMap<H256, Reported>,
    best: H256,
    /// Runtime specs of reported blocks (with `withRuntime`), to tell when one changes.
    specs: HashMap<H256, RuntimeSpec>,
}

/// The node's three announcement streams, subscribed before anything is read so no block
/// falls between the initial state and the first announcement.
pub(crate) struct Announcements {
    pub all: broadcast::Receiver<Header>,
    pub best: broadcast::Receiver<Header>,
    pub finalized: broadcast::Receiver<Header>,
}

/// Runs one follow subscription until the client leaves or it must stop.
pub(crate) async fn run(ctx: Arc<Ctx>, follow: Arc<Follow>, mut heads: Announcements) {
    let end = match Tracker::start(ctx, follow.clone()).await {
        Ok(mut tracker) => tracker.follow_announcements(&mut heads).await,
        Err(end) => end,
    };
    if let End::Stop(why) = end {
        tracing::debug!(target: LOG_TARGET, why, "chainHead_v1_follow stopped");
        notify(&follow.sink, &FollowEvent::Stop).await;
    }
}

fn unreadable(e: BackendError) -> End {
    tracing::warn!(target: LOG_TARGET, "chainHead_v1_follow cannot read a block: {e}");
    End::Stop("a block could not be read")
}

impl Tracker {
    /// Sends `initialized` (the finalized block, pinned), then the best chain above it as
    /// `newBlock`s and `bestBlockChanged`.
    async fn start(ctx: Arc<Ctx>, follow: Arc<Follow>) -> Result<Self, End> {
        let finalized = ctx.backend.finalized_hash();
        let header = ctx
            .backend
            .header(finalized)
            .await
            .map_err(unreadable)?
            .ok_or(End::Stop("the finalized block is missing"))?;
        let mut tracker = Self {
            ctx,
            follow,
            finalized,
            finalized_number: header.number,
            unfinalized: HashMap::new(),
            best: finalized,
            specs: HashMap::new(),
        };
        tracker.pin(finalized)?;
        let runtime = match tracker.follow.with_runtime {
            true => Some(tracker.runtime_of(finalized).await),
            false => None,
        };
        tracker
            .send(FollowEvent::Initialized {
                finalized_block_hashes: vec![finalized.to_hex()],
                finalized_block_runtime: runtime,
            })
            .await?;
        let best = tracker.ctx.backend.best_hash();
        tracker.on_best(best).await?;
        Ok(tracker)
    }

    async fn follow_announcements(&mut self, heads: &mut Announcements) -> End {
        loop {
            // Imports before best-block changes before finalizations, so each event's block
            // has normally been reported already (`report` fills any gap anyway).
            let step = tokio::select! {
                biased;
                _ = self.follow.sink.closed() => return End::Gone,
                header = heads.all.recv() => match header {
                    Ok(header) => self.report(header.hash()).await.map(|_| ()),
                    Err(e) => return lagged(e),
                },
                header = heads.best.recv() => match header {
                    Ok(header) => self.on_best(header.hash()).await,
                    Err(e) => return lagged(e),
                },
                header = heads.finalized.recv() => match header {
                    Ok(header) => self.on_finalized(header.hash()).await,
                    Err(e) => return lagged(e),
                },
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    async fn send(&self, event: FollowEvent) -> Result<(), End> {
        if notify(&self.follow.sink, &event).await {
            Ok(())
        } else {
            Err(End::Gone)
        }
    }

    fn pin(&self, hash: H256) -> Result<(), End> {
        self.follow
            .pin(hash)
            .map_err(|_| End::Stop("too many pinned blocks"))
    }

    fn is_known(&self, hash: &H256) -> bool {
        *hash == self.finalized || self.unfinalized.contains_key(hash)
    }

    /// Reports `hash` and its unreported ancestors as `newBlock`s, oldest first. `false` if
    /// the block does not descend from the finalized block (an old fork: never reported).
    async fn report(&mut self, hash: H256) -> Result<bool, End> {
        let mut missing = Vec::new();
        let mut cursor = hash;
        while !self.is_known(&cursor) {
            let header = self
                .ctx
                .backend
                .header(cursor)
                .await
                .map_err(unreadable)?
                .ok_or(End::Stop("an announced block is missing"))?;
            if header.number <= self.finalized_number {
                return Ok(false);
            }
            cursor = header.parent_hash;
            missing.push(header);
        }
        for header in missing.into_iter().rev() {
            self.new_block(&header).await?;
        }
        Ok(true)
    }

    async fn new_block(&mut self, header: &Header) -> Result<(), End> {
        let hash = header.hash();
        self.pin(hash)?;
        let new_runtime = match self.follow.with_runtime {
            true => Some(self.runtime_change(hash, header.parent_hash).await),
            false => None,
        };
        self.unfinalized.insert(
            hash,
            Reported {
                parent: header.parent_hash,
            },
        );
        self.send(FollowEvent::NewBlock {
            block_hash: hash.to_hex(),
            parent_block_hash: header.parent_hash.to_hex(),
            new_runtime,
        })
        .await
    }

    async fn on_best(&mut self, hash: H256) -> Result<(), End> {
        if self.report(hash).await? && hash != self.best {
            self.best = hash;
            self.send(FollowEvent::BestBlockChanged {
                best_block_hash: hash.to_hex(),
            })
            .await?;
        }
        Ok(())
    }

    /// Whether `hash` (a reported block) is `ancestor` or descends from it.
    fn descends_from(&self, mut hash: H256, ancestor: H256) -> bool {
        loop {
            if hash == ancestor {
                return true;
            }
            match self.unfinalized.get(&hash) {
                Some(block) => hash = block.parent,
                None => return false,
            }
        }
    }

    async fn on_finalized(&mut self, hash: H256) -> Result<(), End> {
        if hash == self.finalized || !self.report(hash).await? {
            return Ok(());
        }
        // The newly finalized blocks: from `hash` down to the old finalized one.
        let mut finalized = Vec::new();
        let mut cursor = hash;
        while let Some(block) = self.unfinalized.get(&cursor) {
            finalized.push(cursor);
            cursor = block.parent;
        }
        finalized.reverse();
        let pruned: Vec<H256> = self
            .unfinalized
            .keys()
            .filter(|h| !finalized.contains(h) && !self.descends_from(**h, hash))
            .copied()
            .collect();
        // The spec: the best block is the last finalized one or still unfinalized.
        if !self.descends_from(self.best, hash)
            || (self.best != hash && finalized.contains(&self.best))
        {
            self.best = hash;
            self.send(FollowEvent::BestBlockChanged {
                best_block_hash: hash.to_hex(),
            })
            .await?;
        }
        for gone in finalized.iter().chain(&pruned) {
            self.unfinalized.remove(gone);
            if *gone != hash {
                self.specs.remove(gone);
            }
        }
        self.specs.remove(&self.finalized);
        self.finalized = hash;
        if let Some(number) = self.ctx.backend.header(hash).await.ok().flatten() {
            self.finalized_number = number.number;
        }
        self.send(FollowEvent::Finalized {
            finalized_block_hashes: finalized.iter().map(H256::to_hex).collect(),
            pruned_block_hashes: pruned.iter().map(H256::to_hex).collect(),
        })
        .await
    }

    /// The runtime of `hash`, remembered for comparing its children's.
    async fn runtime_of(&mut self, hash: H256) -> RuntimeEvent {
        match self.spec_of(hash).await {
            Ok(spec) => RuntimeEvent::Valid { spec },
            Err(e) => RuntimeEvent::Invalid {
                error: e.to_string(),
            },
        }
    }

    async fn spec_of(&mut self, hash: H256) -> Result<RuntimeSpec, BackendError> {
        if let Some(spec) = self.specs.get(&hash) {
            return Ok(spec.clone());
        }
        let spec = RuntimeSpec::from(&self.ctx.backend.runtime_version(hash).await?);
        self.specs.insert(hash, spec.clone());
        Ok(spec)
    }

    /// `newRuntime`: `None` (`null`) when the block's runtime is its parent's.
    async fn runtime_change(&mut self, hash: H256, parent: H256) -> Option<RuntimeEvent> {
        let parent_spec = self.spec_of(parent).await.ok();
        let runtime = self.runtime_of(hash).await;
        match (&runtime, parent_spec) {
            (RuntimeEvent::Valid { spec }, Some(parent_spec)) if *spec == parent_spec => None,
            _ => Some(runtime),
        }
    }
}

/// A gap in the announcements (this subscriber fell too far behind) stops the subscription,
/// as the spec asks; a closed stream means the node is shutting down.
fn lagged(error: broadcast::error::RecvError) -> End {
    match error {
        broadcast::error::RecvError::Lagged(_) => End::Stop("fell behind the announcements"),
        broadcast::error::RecvError::Closed => End::Gone,
    }
}
