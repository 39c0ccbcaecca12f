//! The client: the database, the executor and the runtime code per block, put together to
//! call the runtime at any block, build blocks and import them.
//!
//! Every runtime call runs with the code stored at `:code` in the state it runs on (for a
//! block being built or imported: its parent's), over an overlay that is committed only when a
//! whole block is. Calls block the calling thread: async callers use `spawn_blocking`.

use crate::finality::{depth_rule_target, ChainEvent, Finality};
use crate::ChainError;
use folio_executor::{Executor, RuntimeCode};
use folio_primitives::externalities::{
    BatchMode, KeyGenerator, Overlay, OverlayedExt, SignatureReuse, VerifiedSignatures,
};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Block, Digest, DigestItem, Header};
use folio_primitives::inherent::{InherentData, TIMESTAMP_INHERENT};
use folio_primitives::transaction_validity::{
    ApplyExtrinsicResult, TransactionSource, TransactionValidity,
};
use folio_primitives::version::RuntimeVersion;
use folio_primitives::BlockNumber;
use folio_storage::{CommitBlock, Database, Justification, StateView, TreeRoute};
use parity_scale_codec::{Decode, Encode};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::broadcast;

/// How many recent blocks' runtime code handles are kept.
const CODE_CACHE_BLOCKS: usize = 256;

/// The levers of the block path (DESIGN.md §9), all on by default. Benchmarks turn them off
/// one at a time to measure what each is worth (docs/benchmarks.md); a node never needs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FastPath {
    /// Signatures of an imported block are checked in parallel batches on worker threads while
    /// the block executes; off, each is checked when the runtime asks.
    pub parallel_batch_verification: bool,
    /// Signatures the pool checked are not checked again when this node builds a block.
    pub reuse_pool_signatures: bool,
    /// Block building applies the transactions in one runtime call (one wasm instance per
    /// block); off, one call (one instance) per transaction.
    pub one_instance_per_block: bool,
    /// Reads of the best block's state come from the flat index; off, they walk the trie.
    pub flat_reads: bool,
    /// Submissions waiting together are validated in one runtime call, their signatures
    /// checked as one parallel batch; off, one call and one check each.
    pub batched_pool_validation: bool,
}

impl Default for FastPath {
    fn default() -> Self {
        Self {
            parallel_batch_verification: true,
            reuse_pool_signatures: true,
            one_instance_per_block: true,
            flat_reads: true,
            batched_pool_validation: true,
        }
    }
}

/// Where a block's time went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockTimings {
    /// Running the runtime: building (inherents, transactions, finalize) or executing it.
    pub execute_micros: u64,
    /// Writing it: trie nodes, flat index, block data, in one database transaction.
    pub commit_micros: u64,
}

/// A block that was built and committed.
#[derive(Clone, Debug)]
pub struct ImportedBlock {
    pub header: Header,
    pub hash: H256,
    pub extrinsics: usize,
    /// Whether `:code` changed in this block.
    pub code_changed: bool,
    /// Whether it became the best block.
    pub is_new_best: bool,
    pub timings: BlockTimings,
}

fn micros_since(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Counters of blocks committed since start.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportStats {
    pub imported_blocks: u64,
    /// Total time spent building or importing and committing them, in microseconds.
    pub import_micros_total: u64,
}

/// What a runtime call may use besides state and code: signatures checked before (pool and
/// block building share them) and a keystore (only `author_rotateKeys`'s call has one).
#[derive(Default)]
struct CallWith<'a> {
    reuse: Option<SignatureReuse>,
    keys: Option<&'a dyn KeyGenerator>,
}

/// The node's access to chain state and the runtime.
pub struct Client {
    imported_blocks: AtomicU64,
    import_micros_total: AtomicU64,
    db: Database,
    executor: Executor,
    /// Runtime code handle per block hash (the code in that block's state).
    code_by_block: Mutex<HashMap<H256, Arc<RuntimeCode>>>,
    /// Decoded runtime version per code hash.
    versions: Mutex<HashMap<[u8; 32], RuntimeVersion>>,
    /// Every imported block.
    all_heads: broadcast::Sender<Header>,
    /// Each new best block.
    new_heads: broadcast::Sender<Header>,
    /// Each newly final block, in order.
    finalized_heads: broadcast::Sender<Header>,
    /// Set once at start (a chain's finality is known once its runtime is read).
    finality: Mutex<Finality>,
    /// Told every [`ChainEvent`] in order, under the commit lock (the pool keeps up this way).
    listeners: Mutex<Vec<Listener>>,
    /// One block is written at a time.
    commit_lock: Mutex<()>,
    fast_path: FastPath,
    /// Signatures the pool found valid, for building blocks without checking them again.
    verified_signatures: VerifiedSignatures,
    /// The chain spec's `codeSubstitutes`, by the block number they start at.
    code_substitutes: BTreeMap<BlockNumber, Arc<RuntimeCode>>,
    /// The first failed database write (a full disk, an I/O error). redb refuses every write
    /// after one fails, so the node cannot go on sealing or importing: the service sees this
    /// and stops with an error for a supervisor to restart it (docs/security.md).
    write_failure: std::sync::OnceLock<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("db", &self.db.path())
            .finish()
    }
}

/// The runtime entry that validates a batch of transactions (the pool's batched admission).
const BATCHED_VALIDATION: &str = "FolioTaggedTransactionQueue_validate_transactions";

fn decode<T: Decode>(bytes: &[u8], method: &'static str) -> Result<T, ChainError> {
    T::decode(&mut &bytes[..]).map_err(|e| ChainError::BadRuntimeOutput {
        method,
        reason: e.to_string(),
    })
}

impl Client {
    /// Opens the chain in `db`, writing the genesis from `genesis_storage` if the database is
    /// new, or checking that it holds the same genesis.
    pub fn new(
        db: Database,
        executor: Executor,
        genesis_storage: BTreeMap<Vec<u8>, Vec<u8>>,
    ) -> Result<Self, ChainError> {
        let genesis = crate::chain_spec::genesis_header(&genesis_storage);
        match db.genesis_hash()? {
            Some(stored) if stored != genesis.hash() => {
                return Err(ChainError::GenesisMismatch {
                    stored,
                    spec: genesis.hash(),
                })
            }
            Some(_) => {}
            None => {
                db.commit_genesis(genesis.clone(), genesis_storage)?;
                tracing::info!(target: "folio::import", hash = %genesis.hash(), state_root = %genesis.state_root, "genesis written");
            }
        }
        let (all_heads, _) = broadcast::channel(256);
        let (new_heads, _) = broadcast::channel(256);
        let (finalized_heads, _) = broadcast::channel(256);
        Ok(Self {
            imported_blocks: AtomicU64::new(0),
            import_micros_total: AtomicU64::new(0),
            db,
            executor,
            code_by_block: Mutex::new(HashMap::new()),
            versions: Mutex::new(HashMap::new()),
            all_heads,
            new_heads,
            finalized_heads,
            finality: Mutex::new(Finality::Instant),
            listeners: Mutex::new(Vec::new()),
            commit_lock: Mutex::new(()),
            fast_path: FastPath::default(),
            verified_signatures: VerifiedSignatures::default(),
            code_substitutes: BTreeMap::new(),
            write_failure: std::sync::OnceLock::new(),
        })
    }

    /// Why the database cannot be written any more, once a write has failed.
    pub fn write_failure(&self) -> Option<&str> {
        self.write_failure.get().map(String::as_str)
    }

    /// Remembers the first failed write; every later block is refused with its reason.
    fn note_write_failure(&self, error: folio_storage::StorageError) -> ChainError {
        if matches!(
            error,
            folio_storage::StorageError::Database { .. } | folio_storage::StorageError::Io { .. }
        ) && self.write_failure.set(error.to_string()).is_ok()
        {
            tracing::error!(
                target: "folio::import",
                %error,
                "a block could not be written to the database; no block will be written any more"
            );
        }
        ChainError::Storage(error)
    }

    /// The same client with some levers of the block path turned off (benchmarks).
    pub fn with_fast_path(mut self, fast_path: FastPath) -> Self {
        self.fast_path = fast_path;
        self
    }

    /// The same client running `substitutes` (the chain spec's `codeSubstitutes`) instead of
    /// the code on chain: from block number `n` on, calls on a block's state run the
    /// substitute of the greatest `n` not above that block, as long as the `:code` in its
    /// state is still the one block `n` had. An upgrade on chain ends the substitution. This
    /// lets an operator recover a chain whose runtime cannot build or import blocks.
    pub fn with_code_substitutes(mut self, substitutes: BTreeMap<BlockNumber, Vec<u8>>) -> Self {
        self.code_substitutes = substitutes
            .into_iter()
            .map(|(number, code)| (number, Arc::new(RuntimeCode::new(code))))
            .collect();
        Self::lock(&self.code_by_block).clear();
        self
    }

    /// The same client finalizing blocks as `finality` says (instant by default).
    pub fn with_finality(self, finality: Finality) -> Self {
        self.set_finality(finality);
        self
    }

    /// Finalizes blocks as `finality` says from now on (the node decides once it knows
    /// whether the chain has slots).
    pub fn set_finality(&self, finality: Finality) {
        *Self::lock(&self.finality) = finality;
    }

    pub fn finality(&self) -> Finality {
        *Self::lock(&self.finality)
    }

    /// Calls `listener` with every [`ChainEvent`] from now on, in order, right after the
    /// change is on disk and before the import or finalization returns. It runs under the
    /// commit lock: it must not import or finalize.
    pub fn add_listener(&self, listener: impl Fn(&Client, &ChainEvent) + Send + Sync + 'static) {
        Self::lock(&self.listeners).push(Box::new(listener));
    }

    fn tell(&self, event: &ChainEvent) {
        for listener in Self::lock(&self.listeners).iter() {
            listener(self, event);
        }
    }

    pub fn fast_path(&self) -> FastPath {
        self.fast_path
    }

    /// The state of `at` as block execution reads it (flat index at the best block, unless
    /// that lever is off).
    fn execution_state_at(&self, at: &H256) -> Result<StateView, ChainError> {
        Ok(if self.fast_path.flat_reads {
            self.db.state_at(at)?
        } else {
            self.db.trie_state_at(at)?
        })
    }

    /// Blocks committed since start and the time they took.
    pub fn stats(&self) -> ImportStats {
        ImportStats {
            imported_blocks: self.imported_blocks.load(Ordering::Relaxed),
            import_micros_total: self.import_micros_total.load(Ordering::Relaxed),
        }
    }

    pub fn db(&self) -> &Database {
        &self.db
    }

    pub fn executor(&self) -> &Executor {
        &self.executor
    }

    pub fn best_hash(&self) -> Result<H256, ChainError> {
        Ok(self.db.best()?.hash)
    }

    pub fn best_header(&self) -> Result<Header, ChainError> {
        let hash = self.best_hash()?;
        self.header(hash)?.ok_or(ChainError::UnknownBlock(hash))
    }

    pub fn header(&self, hash: H256) -> Result<Option<Header>, ChainError> {
        Ok(self.db.header(&hash)?)
    }

    /// The last finalized block's header.
    pub fn finalized_header(&self) -> Result<Header, ChainError> {
        let hash = self.db.finalized()?.hash;
        self.header(hash)?.ok_or(ChainError::UnknownBlock(hash))
    }

    /// The justifications stored for block `hash`.
    pub fn justifications(&self, hash: H256) -> Result<Option<Vec<Justification>>, ChainError> {
        Ok(self.db.justifications(&hash)?)
    }

    /// Finalizes `hash` and its ancestors (a finality gadget's commit), keeping
    /// `justification` for it; prunes the branches that do not descend from it; tells
    /// finalized-head subscribers each newly final block in order. A block off the best chain
    /// moves the best block onto it.
    ///
    /// # Errors
    /// The block is unknown, below or beside the finalized block, or the write failed.
    pub fn finalize_block(
        &self,
        hash: H256,
        justification: Option<([u8; 4], Vec<u8>)>,
    ) -> Result<(), ChainError> {
        let _guard = Self::lock(&self.commit_lock);
        self.finalize_locked(hash, justification)
    }

    fn finalize_locked(
        &self,
        hash: H256,
        justification: Option<Justification>,
    ) -> Result<(), ChainError> {
        if let Some(failure) = self.write_failure() {
            return Err(ChainError::WritesFailed(failure.to_string()));
        }
        let done = self
            .db
            .finalize(&hash, justification)
            .map_err(|error| self.note_write_failure(error))?;
        if let Some(route) = &done.route {
            if let Some(head) = route.enacted.last() {
                let header = self
                    .header(head.hash)?
                    .ok_or(ChainError::UnknownBlock(head.hash))?;
                let _ = self.new_heads.send(header);
                self.tell(&new_best_event(route));
            }
        }
        self.tell_finalized(&done.finality)
    }

    /// Tells subscribers and listeners that these blocks became final.
    fn tell_finalized(&self, finality: &folio_storage::Finalization) -> Result<(), ChainError> {
        if finality.finalized.is_empty() {
            return Ok(());
        }
        for block in &finality.finalized {
            let header = self
                .header(block.hash)?
                .ok_or(ChainError::UnknownBlock(block.hash))?;
            let _ = self.finalized_heads.send(header);
        }
        if let Some(last) = finality.finalized.last() {
            tracing::debug!(target: "folio::import", number = last.number, hash = %last.hash, pruned = finality.pruned.len(), "finalized");
        }
        self.tell(&ChainEvent::Finalized {
            blocks: finality.finalized.iter().map(|b| b.hash).collect(),
            pruned: finality.pruned.clone(),
        });
        Ok(())
    }

    /// The depth rule (see [`crate::finality`]) after the best block became `best`.
    fn apply_depth_rule(&self, depth: u32, best: BlockNumber) -> Result<(), ChainError> {
        let finalized = self.db.finalized()?.number;
        let Some(target) = depth_rule_target(depth, best, finalized) else {
            return Ok(());
        };
        let Some(hash) = self.db.hash_by_number(target)? else {
            return Ok(());
        };
        self.finalize_locked(hash, None)
    }

    /// Every imported block, best or not (`chain_subscribeAllHeads`).
    pub fn subscribe_all_heads(&self) -> broadcast::Receiver<Header> {
        self.all_heads.subscribe()
    }

    /// Each new best block (`chain_subscribeNewHeads`).
    pub fn subscribe_new_heads(&self) -> broadcast::Receiver<Header> {
        self.new_heads.subscribe()
    }

    pub fn subscribe_finalized_heads(&self) -> broadcast::Receiver<Header> {
        self.finalized_heads.subscribe()
    }

    fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        mutex
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The runtime code in `at`'s state.
    pub fn code_at(&self, at: H256) -> Result<Arc<RuntimeCode>, ChainError> {
        if let Some(code) = Self::lock(&self.code_by_block).get(&at) {
            return Ok(Arc::clone(code));
        }
        let bytes = self.onchain_code(at)?;
        let code = match self.substitute_for(at, &bytes)? {
            Some(substitute) => substitute,
            None => Arc::new(RuntimeCode::new(bytes)),
        };
        self.remember_code(at, Arc::clone(&code));
        Ok(code)
    }

    /// The `:code` in `at`'s state.
    fn onchain_code(&self, at: H256) -> Result<Vec<u8>, ChainError> {
        self.db
            .state_at(&at)?
            .try_get(folio_primitives::storage::CODE)?
            .ok_or(ChainError::MissingCode(at))
    }

    /// The code substitute that applies to `at`, whose state holds `onchain`.
    fn substitute_for(
        &self,
        at: H256,
        onchain: &[u8],
    ) -> Result<Option<Arc<RuntimeCode>>, ChainError> {
        if self.code_substitutes.is_empty() {
            return Ok(None);
        }
        let number = self.header(at)?.ok_or(ChainError::UnknownBlock(at))?.number;
        let Some((from, substitute)) = self.code_substitutes.range(..=number).next_back() else {
            return Ok(None);
        };
        let Some(start) = self.db.hash_by_number(*from)? else {
            return Ok(None);
        };
        let replaced = if start == at {
            true
        } else {
            self.onchain_code(start)? == onchain
        };
        if replaced {
            tracing::debug!(target: "folio::executor", %at, from, "running the chain spec's code substitute");
        }
        Ok(replaced.then(|| Arc::clone(substitute)))
    }

    fn remember_code(&self, at: H256, code: Arc<RuntimeCode>) {
        let mut cache = Self::lock(&self.code_by_block);
        if cache.len() >= CODE_CACHE_BLOCKS {
            cache.clear();
        }
        cache.insert(at, code);
    }

    /// Calls a runtime API with the code and state of `at`; state changes are discarded.
    pub fn call_at(&self, at: H256, method: &str, input: &[u8]) -> Result<Vec<u8>, ChainError> {
        self.call_at_with(at, method, input, None, None)
    }

    /// As [`Self::call_at`], with a keystore the runtime may create keys in (the node's
    /// `author_rotateKeys` calls `SessionKeys_generate_session_keys` this way).
    pub fn call_at_with_keys(
        &self,
        at: H256,
        method: &str,
        input: &[u8],
        keys: &dyn KeyGenerator,
    ) -> Result<Vec<u8>, ChainError> {
        self.call_at_with(at, method, input, None, Some(keys))
    }

    /// `TaggedTransactionQueue_validate_transaction` at `at` with SCALE `input`; the
    /// signatures it finds valid are remembered for building blocks.
    pub fn validate_transaction(&self, at: H256, input: &[u8]) -> Result<Vec<u8>, ChainError> {
        let reuse = self
            .fast_path
            .reuse_pool_signatures
            .then_some(SignatureReuse::Record);
        self.call_at_with(
            at,
            "TaggedTransactionQueue_validate_transaction",
            input,
            reuse,
            None,
        )
    }

    /// Validates `xts` against `at`, each as if it were alone, and returns their validities in
    /// order. With the `batched_pool_validation` lever on and more than one transaction, this
    /// is one runtime call whose signatures are checked as one parallel batch; a batch holding
    /// a bad signature cannot say which one it is, so it is then validated one call each (as
    /// with the lever off). Valid signatures are remembered for building blocks.
    ///
    /// # Errors
    /// The state or code of `at` cannot be read, or a one-by-one validation call fails.
    pub fn validate_transactions(
        &self,
        at: H256,
        xts: &[OpaqueExtrinsic],
    ) -> Result<Vec<TransactionValidity>, ChainError> {
        if self.fast_path.batched_pool_validation && xts.len() > 1 {
            let input = (TransactionSource::External, xts, at).encode();
            let reuse = self
                .fast_path
                .reuse_pool_signatures
                .then_some(SignatureReuse::Record);
            let batched = self
                .call_at_with(at, BATCHED_VALIDATION, &input, reuse, None)
                .and_then(|raw| {
                    decode::<(bool, Vec<TransactionValidity>)>(&raw, BATCHED_VALIDATION)
                });
            match batched {
                Ok((true, validities)) if validities.len() == xts.len() => return Ok(validities),
                Ok((true, validities)) => tracing::warn!(
                    target: "folio::pool", results = validities.len(), transactions = xts.len(),
                    "batched validation answered for the wrong number of transactions"
                ),
                Ok((false, _)) => tracing::debug!(
                    target: "folio::pool", transactions = xts.len(),
                    "a bad signature in the batch: validating one by one"
                ),
                Err(error) => tracing::warn!(
                    target: "folio::pool", %error, "batched validation failed: validating one by one"
                ),
            }
        }
        xts.iter()
            .map(|xt| {
                let input = (TransactionSource::External, xt, at).encode();
                let raw = self.validate_transaction(at, &input)?;
                decode(&raw, "TaggedTransactionQueue_validate_transaction")
            })
            .collect()
    }

    fn call_at_with(
        &self,
        at: H256,
        method: &str,
        input: &[u8],
        reuse: Option<SignatureReuse>,
        keys: Option<&dyn KeyGenerator>,
    ) -> Result<Vec<u8>, ChainError> {
        let state = self.db.state_at(&at)?;
        let code = self.code_at(at)?;
        let mut overlay = Overlay::default();
        let with = CallWith { reuse, keys };
        let output = self.call_with(&state, &mut overlay, &code, method, input, with);
        if let Some(error) = state.take_error() {
            return Err(error.into());
        }
        output
    }

    fn call_with(
        &self,
        state: &StateView,
        overlay: &mut Overlay,
        code: &RuntimeCode,
        method: &str,
        input: &[u8],
        with: CallWith<'_>,
    ) -> Result<Vec<u8>, ChainError> {
        let CallWith { reuse, keys } = with;
        let reader = self.executor.version_reader();
        let batch_mode = if self.fast_path.parallel_batch_verification {
            BatchMode::Parallel
        } else {
            BatchMode::Inline
        };
        let ext = OverlayedExt::new(state, overlay, Some(&reader)).with_batch_mode(batch_mode);
        let ext = match reuse {
            Some(reuse) => ext.with_verified_signatures(&self.verified_signatures, reuse),
            None => ext,
        };
        let mut ext = match keys {
            Some(keys) => ext.with_keys(keys),
            None => ext,
        };
        Ok(self.executor.call_code(code, method, input, &mut ext)?)
    }

    /// The runtime version of the code in `at`'s state.
    pub fn runtime_version_at(&self, at: H256) -> Result<RuntimeVersion, ChainError> {
        let code = self.code_at(at)?;
        if let Some(version) = Self::lock(&self.versions).get(&code.hash()) {
            return Ok(version.clone());
        }
        let raw = self.executor.runtime_version(code.code())?;
        let version: RuntimeVersion = decode(&raw, "Core_version")?;
        Self::lock(&self.versions).insert(code.hash(), version.clone());
        Ok(version)
    }

    /// Starts building a block on top of `parent`.
    pub fn block_builder(&self, parent: H256) -> Result<BlockBuilder<'_>, ChainError> {
        self.block_builder_with_digest(parent, Digest::default())
    }

    /// Starts building a block on top of `parent` whose header carries `pre_digest` (the
    /// consensus engine's pre-runtime items, e.g. Aura's slot).
    pub fn block_builder_with_digest(
        &self,
        parent: H256,
        pre_digest: Digest,
    ) -> Result<BlockBuilder<'_>, ChainError> {
        let parent_header = self
            .header(parent)?
            .ok_or(ChainError::UnknownBlock(parent))?;
        let state = self.execution_state_at(&parent)?;
        let code = self.code_at(parent)?;
        let mut builder = BlockBuilder {
            client: self,
            state,
            overlay: Overlay::default(),
            code,
            parent: parent_header,
            extrinsics: Vec::new(),
        };
        let header = Header {
            parent_hash: parent,
            number: builder.parent.number.saturating_add(1),
            state_root: H256::zero(),
            extrinsics_root: H256::zero(),
            digest: pre_digest,
        };
        builder.call("Core_initialize_block", &header.encode())?;
        Ok(builder)
    }

    /// Imports a block from outside: executes it with its parent's code on its parent's state
    /// (the runtime checks roots and digest), then commits it.
    ///
    /// A trailing `Seal` digest item is the block author's signature over the header without
    /// it: the runtime executes that pre-seal header (it never sees seals, as in Substrate),
    /// the database keeps the sealed one. Checking the seal is the consensus engine's work,
    /// done before this call.
    pub fn import_block(&self, block: Block<OpaqueExtrinsic>) -> Result<ImportedBlock, ChainError> {
        let started = Instant::now();
        let hash = block.header.hash();
        let fail = |reason: String| ChainError::ImportFailed {
            number: block.header.number,
            hash,
            reason,
        };
        let parent = block.header.parent_hash;
        let state = self
            .execution_state_at(&parent)
            .map_err(|e| fail(e.to_string()))?;
        let code = self.code_at(parent)?;
        let mut overlay = Overlay::default();
        let pre_seal = Block {
            header: pre_seal_header(&block.header),
            extrinsics: block.extrinsics.clone(),
        };
        self.call_with(
            &state,
            &mut overlay,
            &code,
            "Core_execute_block",
            &pre_seal.encode(),
            CallWith::default(),
        )
        .map_err(|e| fail(e.to_string()))?;
        if let Some(error) = state.take_error() {
            return Err(fail(error.to_string()));
        }
        drop(state);
        self.commit(block.header, block.extrinsics, overlay.drain(), started)
    }

    /// Writes a block whose execution produced `changes` (final at once with instant finality)
    /// and tells subscribers and listeners.
    fn commit(
        &self,
        header: Header,
        body: Vec<OpaqueExtrinsic>,
        changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
        started: Instant,
    ) -> Result<ImportedBlock, ChainError> {
        let execute_micros = micros_since(started);
        let _guard = Self::lock(&self.commit_lock);
        let committing = Instant::now();
        let hash = header.hash();
        let extrinsics = body.len();
        let new_code = changes.get(folio_primitives::storage::CODE).cloned();
        if let Some(failure) = self.write_failure() {
            return Err(ChainError::WritesFailed(failure.to_string()));
        }
        let committed = self
            .db
            .commit_block_routed(CommitBlock {
                header: header.clone(),
                body,
                changes,
                finalized: self.finality() == Finality::Instant,
            })
            .map_err(|error| self.note_write_failure(error))?;
        let commit_micros = micros_since(committing);
        let code_changed = match new_code {
            Some(Some(code)) => {
                self.remember_code(hash, Arc::new(RuntimeCode::new(code)));
                true
            }
            Some(None) => true,
            None => {
                if let Ok(parent_code) = self.code_at(header.parent_hash) {
                    self.remember_code(hash, parent_code);
                }
                false
            }
        };
        tracing::info!(
            target: "folio::import",
            number = header.number,
            hash = %hash,
            extrinsics,
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "Imported #{} ({}) with {} extrinsics in {:.1} ms",
            header.number,
            hash,
            extrinsics,
            started.elapsed().as_secs_f64() * 1000.0
        );
        self.imported_blocks.fetch_add(1, Ordering::Relaxed);
        self.import_micros_total
            .fetch_add(micros_since(started), Ordering::Relaxed);
        // No subscriber is not an error.
        let _ = self.all_heads.send(header.clone());
        self.tell(&ChainEvent::Imported {
            header: header.clone(),
            hash,
        });
        if committed.best {
            if !committed.route.retracted.is_empty() {
                tracing::info!(
                    target: "folio::import", number = header.number, %hash,
                    retracted = committed.route.retracted.len(), "reorg: the best chain moved to another branch"
                );
            }
            let _ = self.new_heads.send(header.clone());
            self.tell(&new_best_event(&committed.route));
        }
        self.tell_finalized(&committed.finality)?;
        if let (Finality::Depth(depth), true) = (self.finality(), committed.best) {
            // The block is on disk whatever finality does: a failure here is not an import
            // failure (the next block retries the rule).
            if let Err(error) = self.apply_depth_rule(depth, header.number) {
                tracing::warn!(target: "folio::import", %error, "the depth rule could not finalize");
            }
        }
        Ok(ImportedBlock {
            header,
            hash,
            extrinsics,
            code_changed,
            is_new_best: committed.best,
            timings: BlockTimings {
                execute_micros,
                commit_micros,
            },
        })
    }
}

/// A listener of [`ChainEvent`]s.
type Listener = Box<dyn Fn(&Client, &ChainEvent) + Send + Sync>;

fn new_best_event(route: &TreeRoute) -> ChainEvent {
    let (hash, number) = route
        .enacted
        .last()
        .map_or((H256::zero(), 0), |b| (b.hash, b.number));
    ChainEvent::NewBest {
        hash,
        number,
        retracted: route.retracted.iter().map(|b| b.hash).collect(),
        enacted: route.enacted.iter().map(|b| b.hash).collect(),
    }
}

/// The header without its trailing `Seal` digest item, if it has one: what the author
/// signed and what the runtime executes.
pub fn pre_seal_header(header: &Header) -> Header {
    let mut pre = header.clone();
    if matches!(pre.digest.logs.last(), Some(DigestItem::Seal(..))) {
        pre.digest.logs.pop();
    }
    pre
}

/// What applying one extrinsic while building a block came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The runtime's answer; with an outer error the extrinsic is not part of the block and
    /// changed nothing.
    Result(ApplyExtrinsicResult),
    /// The runtime trapped, timed out or ran out of memory applying it: not part of the
    /// block, every change it made rolled back. The author drops and bans it.
    Failed(String),
}

impl Applied {
    /// Whether the block is full (the extrinsic exhausts its resources).
    pub fn block_full(&self) -> bool {
        matches!(
            self,
            Self::Result(Err(
                folio_primitives::transaction_validity::TransactionValidityError::Invalid(
                    folio_primitives::transaction_validity::InvalidTransaction::ExhaustsResources
                )
            ))
        )
    }
}

/// A block under construction on top of a parent's state.
pub struct BlockBuilder<'a> {
    client: &'a Client,
    state: StateView,
    overlay: Overlay,
    code: Arc<RuntimeCode>,
    parent: Header,
    extrinsics: Vec<OpaqueExtrinsic>,
}

impl BlockBuilder<'_> {
    fn call(&mut self, method: &str, input: &[u8]) -> Result<Vec<u8>, ChainError> {
        let reuse = self
            .client
            .fast_path
            .reuse_pool_signatures
            .then_some(SignatureReuse::Consume);
        let output = self.client.call_with(
            &self.state,
            &mut self.overlay,
            &self.code,
            method,
            input,
            CallWith { reuse, keys: None },
        );
        if let Some(error) = self.state.take_error() {
            return Err(error.into());
        }
        output
    }

    pub fn parent(&self) -> &Header {
        &self.parent
    }

    /// Adds the inherents for block time `now_ms`.
    pub fn push_inherents(&mut self, now_ms: u64) -> Result<(), ChainError> {
        let mut data = InherentData::default();
        data.put(TIMESTAMP_INHERENT, &now_ms);
        let raw = self.call("BlockBuilder_inherent_extrinsics", &data.encode())?;
        let inherents: Vec<OpaqueExtrinsic> = decode(&raw, "BlockBuilder_inherent_extrinsics")?;
        for xt in inherents {
            match self.push(&xt)? {
                Ok(_) => {}
                Err(e) => return Err(ChainError::Build(format!("inherent refused: {e:?}"))),
            }
        }
        Ok(())
    }

    /// Applies one extrinsic; it is part of the block unless the result is an outer error
    /// (in which case nothing changed).
    pub fn push(&mut self, xt: &OpaqueExtrinsic) -> Result<ApplyExtrinsicResult, ChainError> {
        let raw = self.call("BlockBuilder_apply_extrinsic", xt.as_bytes())?;
        let result: ApplyExtrinsicResult = decode(&raw, "BlockBuilder_apply_extrinsic")?;
        if result.is_ok() {
            self.extrinsics.push(xt.clone());
        }
        Ok(result)
    }

    /// Applies one extrinsic in a storage layer of its own: if the runtime fails on it (trap,
    /// timeout, memory) the layer is rolled back, so it leaves no trace, and the block goes on.
    ///
    /// # Errors
    /// Only what is not the extrinsic's fault: the state cannot be read, or the runtime's
    /// output does not decode.
    pub fn try_push(&mut self, xt: &OpaqueExtrinsic) -> Result<Applied, ChainError> {
        self.overlay.start_transaction();
        let outcome = self.push(xt);
        let closed = match &outcome {
            Ok(_) => self.overlay.commit_transaction(),
            Err(_) => self.overlay.rollback_transaction(),
        };
        closed.map_err(|_| ChainError::Build("unbalanced overlay".into()))?;
        match outcome {
            Ok(result) => Ok(Applied::Result(result)),
            Err(ChainError::Executor(error)) => {
                tracing::warn!(target: "folio::author", hash = %xt.hash(), %error, "the runtime failed on an extrinsic: dropped");
                Ok(Applied::Failed(error.to_string()))
            }
            Err(other) => Err(other),
        }
    }

    /// Applies `batch` in order, in one runtime call when that lever is on, and returns the
    /// result of each one tried: it stops after the first that finds the block full. Those
    /// with an outer error changed nothing and are not part of the block.
    ///
    /// If the batched call itself fails (the runtime trapped on one of them), its changes are
    /// dropped and the batch is retried one call per transaction, so one bad transaction
    /// cannot cost the others their place; the one the runtime fails on is
    /// [`Applied::Failed`].
    pub fn push_batch(&mut self, batch: &[OpaqueExtrinsic]) -> Result<Vec<Applied>, ChainError> {
        if self.client.fast_path.one_instance_per_block && batch.len() > 1 {
            self.overlay.start_transaction();
            let applied = self
                .call("FolioBlockBuilder_apply_extrinsics", &batch.encode())
                .and_then(|raw| {
                    decode::<Vec<ApplyExtrinsicResult>>(&raw, "FolioBlockBuilder_apply_extrinsics")
                });
            match applied {
                Ok(results) if results.len() <= batch.len() => {
                    self.overlay
                        .commit_transaction()
                        .map_err(|_| ChainError::Build("unbalanced overlay".into()))?;
                    for (xt, result) in batch.iter().zip(&results) {
                        if result.is_ok() {
                            self.extrinsics.push(xt.clone());
                        }
                    }
                    return Ok(results.into_iter().map(Applied::Result).collect());
                }
                outcome => {
                    self.overlay
                        .rollback_transaction()
                        .map_err(|_| ChainError::Build("unbalanced overlay".into()))?;
                    let reason = match outcome {
                        Err(error) => error.to_string(),
                        Ok(results) => {
                            format!("{} results for {} transactions", results.len(), batch.len())
                        }
                    };
                    tracing::warn!(target: "folio::author", %reason, "batched apply failed; applying one by one");
                }
            }
        }
        let mut results = Vec::with_capacity(batch.len());
        for xt in batch {
            let applied = self.try_push(xt)?;
            let block_full = applied.block_full();
            results.push(applied);
            if block_full {
                break;
            }
        }
        Ok(results)
    }

    pub fn extrinsic_count(&self) -> usize {
        self.extrinsics.len()
    }

    /// Finalizes the block and commits it.
    pub fn build_and_commit(self, started: Instant) -> Result<ImportedBlock, ChainError> {
        self.build_seal_and_commit(started, &|_| Ok(None))
    }

    /// Finalizes the block, appends the digest item `seal` makes of the pre-seal header's
    /// hash (if it makes one: the consensus engine's signature), and commits it.
    pub fn build_seal_and_commit(
        mut self,
        started: Instant,
        seal: &dyn Fn(&H256) -> Result<Option<DigestItem>, String>,
    ) -> Result<ImportedBlock, ChainError> {
        let raw = self.call("BlockBuilder_finalize_block", &[])?;
        let mut header: Header = decode(&raw, "BlockBuilder_finalize_block")?;
        if let Some(item) = seal(&header.hash()).map_err(ChainError::Build)? {
            header.digest.logs.push(item);
        }
        let Self {
            client,
            state,
            mut overlay,
            extrinsics,
            ..
        } = self;
        drop(state);
        // The runtime derived the root from the extrinsics it noted; the body committed is the
        // node's own list. They differ only if the two disagree about what is in the block (a
        // rolled-back extrinsic counted as included): such a block would not re-execute.
        let bodies: Vec<&[u8]> = extrinsics.iter().map(|xt| xt.as_bytes()).collect();
        let body_root = H256(folio_trie::ordered_trie_root(&bodies));
        if body_root != header.extrinsics_root {
            return Err(ChainError::ExtrinsicsRootMismatch {
                header: header.extrinsics_root,
                body: body_root,
            });
        }
        client.commit(header, extrinsics, overlay.drain(), started)
    }
}
