//! Folio's wasm executor: runs the runtime's entry points (`Core_version`,
//! `Core_execute_block`, …) compiled to `wasm32v1-none` (wasm 1.0, what Substrate hosts
//! accept), with wasmtime.
//!
//! It owns the deterministic engine configuration, the host functions the runtime imports
//! (registered from [`folio_primitives::io::HOST_FUNCTIONS`] with the ABI documented in
//! `folio_primitives::io`), and a small cache of compiled code keyed by code hash. A call runs
//! against the [`Externalities`] the caller passes in — the same overlay types the native tests
//! use — and a trap, timeout or memory exhaustion fails that call with an [`ExecutorError`],
//! never the process.
//!
//! It must not know what the runtime's calls mean: decoding blocks, versions or state belongs
//! to the callers (`folio-chain`, `folio-rpc`). Calls block their thread for as long as the
//! runtime runs, so async callers run them on blocking threads, each with the default 2 MiB
//! stack or more.
//!
//! ```no_run
//! # fn demo(code: &[u8], header: &[u8]) -> Result<(), folio_executor::ExecutorError> {
//! use folio_executor::{Executor, ExecutorConfig};
//! use folio_primitives::externalities::{OverlayedExt, TestExternalities};
//!
//! let executor = Executor::new(ExecutorConfig::default())?;
//! let version = executor.runtime_version(code)?;
//! let mut state = TestExternalities::default();
//! let mut ext = OverlayedExt::new(&state.backend, &mut state.overlay, None);
//! executor.call(code, "Core_initialize_block", header, &mut ext)?;
//! # let _ = version; Ok(()) }
//! ```

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod allocator;
mod cache;
mod engine;
mod error;
mod host;
mod module;
mod runtime_log;
mod slots;
#[cfg(test)]
mod tests;
pub mod version_section;

pub use error::ExecutorError;

use cache::ModuleCache;
use folio_primitives::crypto::native::blake2_256;
use folio_primitives::externalities::{
    set_and_run_with_externalities, Externalities, InMemoryBackend, Overlay, OverlayedExt,
    RuntimeVersionReader,
};
use host::{HostState, MemoryLimitExceeded, MemoryLimiter};
use module::{LoadedRuntime, ALLOC_EXPORT, HEAP_BASE_EXPORT, MEMORY_EXPORT};
use std::sync::Arc;
use std::time::Duration;
use wasmtime::{Engine, Extern, Linker, Store, Trap};

/// The runtime API call that returns the SCALE-encoded `RuntimeVersion`.
const CORE_VERSION: &str = "Core_version";

/// A version read by running `Core_version` gets this fraction of the call timeout.
const VERSION_READ_SHARE: u64 = 20;

/// Limits and sizes of an [`Executor`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorConfig {
    /// The most linear memory one call may use; growing past it fails the call with
    /// [`ExecutorError::OutOfMemory`]. At least one wasm page (64 KiB). A block needing more
    /// fails on this node, so this is a chain-wide constant, not a per-node tuning knob.
    pub max_memory_bytes: usize,
    /// The wall-clock time one call may take, host functions included (a nested read of a
    /// candidate runtime's version gets its own deadline); past it the call fails with
    /// [`ExecutorError::Timeout`]. Enforced to within about a tenth of itself (at most 100 ms).
    pub call_timeout: Duration,
    /// How many compiled runtimes are kept (at least one).
    pub cache_size: usize,
}

impl Default for ExecutorConfig {
    /// 1 GiB of memory, 10 s per call, 4 cached runtimes (the current one, the previous one
    /// while old blocks re-execute, and room for candidates read by `set_code`).
    fn default() -> Self {
        Self {
            max_memory_bytes: 1 << 30,
            call_timeout: Duration::from_secs(10),
            cache_size: 4,
        }
    }
}

/// Runtime code with its blake2-256 hash, computed once.
///
/// [`Executor::call`] hashes the code on every call to find it in the cache, which for a
/// 2 MiB runtime costs about 2.7 ms on this machine — a hundred times the cost of instantiating
/// it. Callers that run the same code many times (block import, the transaction pool) keep a
/// `RuntimeCode` per runtime and use [`Executor::call_code`]. Cheap to clone.
#[derive(Clone)]
pub struct RuntimeCode {
    hash: [u8; 32],
    code: Arc<[u8]>,
}

impl RuntimeCode {
    /// Hashes `code` (the wasm blob stored at `:code`).
    pub fn new(code: impl Into<Arc<[u8]>>) -> Self {
        let code = code.into();
        Self {
            hash: blake2_256(&code),
            code,
        }
    }

    /// blake2-256 of the code: the key of the executor's module cache.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// The wasm bytes.
    pub fn code(&self) -> &[u8] {
        &self.code
    }
}

impl std::fmt::Debug for RuntimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeCode")
            .field("hash", &hex_hash(&self.hash))
            .field("len", &self.code.len())
            .finish()
    }
}

/// Runs runtime code. Cheap to clone (clones share the engine, cache and ticker thread); the
/// ticker stops when the last clone is dropped.
#[derive(Clone)]
pub struct Executor {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    linker: Linker<HostState>,
    cache: ModuleCache,
    config: ExecutorConfig,
    deadline_ticks: u64,
    /// Bounds concurrent calls to what the instance pool holds.
    slots: slots::CallSlots,
    /// Advances the engine's epoch; stopped and joined when the last clone is dropped.
    _ticker: engine::EpochTicker,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("config", &self.inner.config)
            .field("cached_modules", &self.inner.cache.len())
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// Creates the engine, registers the host functions and starts the epoch ticker thread.
    ///
    /// # Errors
    /// [`ExecutorError::InvalidConfig`] for a zero timeout or less than one page of memory;
    /// [`ExecutorError::Engine`] if wasmtime rejects the configuration or the thread cannot start.
    pub fn new(config: ExecutorConfig) -> Result<Self, ExecutorError> {
        if config.call_timeout.is_zero() {
            return Err(ExecutorError::InvalidConfig {
                reason: "call_timeout is zero".into(),
            });
        }
        if config.max_memory_bytes < 64 * 1024 {
            return Err(ExecutorError::InvalidConfig {
                reason: format!(
                    "max_memory_bytes {} is below one wasm page",
                    config.max_memory_bytes
                ),
            });
        }
        let engine = engine::deterministic_engine()?;
        let mut linker = Linker::new(&engine);
        host::register(&mut linker)?;
        let tick = engine::tick_for(config.call_timeout);
        let deadline_ticks = engine::deadline_ticks(config.call_timeout, tick);
        let ticker = engine::EpochTicker::start(engine.clone(), tick)?;
        Ok(Self {
            inner: Arc::new(Inner {
                cache: ModuleCache::new(config.cache_size),
                engine,
                linker,
                config,
                deadline_ticks,
                slots: slots::CallSlots::new(engine::CONCURRENT_CALLS),
                _ticker: ticker,
            }),
        })
    }

    /// Runs the runtime export `method` of `code` with SCALE `input` against `ext`, and returns
    /// its SCALE output. The code is compiled on first use and cached by its blake2-256 hash;
    /// every call gets a fresh instance (fresh memory), so nothing leaks between calls except
    /// through `ext`. Hashing costs O(code size) per call: hot paths use
    /// [`Executor::call_code`].
    ///
    /// On error the changes already made to `ext` stay there: callers discard the overlay of
    /// a failed block or call.
    ///
    /// # Errors
    /// Loading: [`ExecutorError::Compile`], [`ExecutorError::UnknownImports`],
    /// [`ExecutorError::Link`], [`ExecutorError::MissingExport`],
    /// [`ExecutorError::InvalidExport`]. Running: [`ExecutorError::Trap`],
    /// [`ExecutorError::Timeout`], [`ExecutorError::OutOfMemory`],
    /// [`ExecutorError::BadAllocation`], [`ExecutorError::BadResult`],
    /// [`ExecutorError::InputTooLarge`].
    pub fn call(
        &self,
        code: &[u8],
        method: &str,
        input: &[u8],
        ext: &mut dyn Externalities,
    ) -> Result<Vec<u8>, ExecutorError> {
        let runtime = self.load(blake2_256(code), code)?;
        set_and_run_with_externalities(ext, || self.run(&runtime, method, input, true))
    }

    /// [`Executor::call`] without re-hashing the code.
    ///
    /// # Errors
    /// As [`Executor::call`].
    pub fn call_code(
        &self,
        code: &RuntimeCode,
        method: &str,
        input: &[u8],
        ext: &mut dyn Externalities,
    ) -> Result<Vec<u8>, ExecutorError> {
        let runtime = self.load(code.hash, &code.code)?;
        set_and_run_with_externalities(ext, || self.run(&runtime, method, input, true))
    }

    /// The SCALE-encoded `RuntimeVersion` of `code`: the one its `runtime_version` custom
    /// section declares, without running it, once the code validates with the features this
    /// executor accepts (wasm 1.0); for code without that section, its
    /// `Core_version` run against an empty state (writes are discarded) under a deadline of
    /// its own, a twentieth of the call timeout, so a candidate runtime whose `Core_version`
    /// loops costs the block building that reads it little time.
    ///
    /// # Errors
    /// As [`Executor::call`].
    pub fn runtime_version(&self, code: &[u8]) -> Result<Vec<u8>, ExecutorError> {
        self.read_version(code, true)
    }

    /// A reader for [`OverlayedExt`] / `TestExternalities` that answers with
    /// [`Executor::runtime_version`] (`None` when the code cannot be run).
    pub fn version_reader(&self) -> RuntimeVersionReader {
        let executor = self.clone();
        Box::new(move |code: &[u8]| executor.runtime_version(code).ok())
    }

    /// How many compiled runtimes the cache holds.
    pub fn cached_modules(&self) -> usize {
        self.inner.cache.len()
    }

    /// How many times code has been compiled by this executor (cache misses).
    pub fn compilations(&self) -> u64 {
        self.inner.cache.compilations()
    }

    /// The configuration this executor was created with.
    pub fn config(&self) -> &ExecutorConfig {
        &self.inner.config
    }

    /// Runs `Core_version` of `code` on a fresh, empty state. `allow_nested` decides whether
    /// that code may itself read versions (only top-level reads may: no unbounded recursion).
    pub(crate) fn read_version(
        &self,
        code: &[u8],
        allow_nested: bool,
    ) -> Result<Vec<u8>, ExecutorError> {
        if let Some(declared) = version_section::declared_version(code) {
            // The section is believed only for code this executor would run: a candidate
            // declaring a newer version but using a disabled feature would be enacted by
            // `set_code`, and no later block could be executed. Validating is linear in the
            // code size and does not compile it.
            module::validate(&self.inner.engine, code)?;
            return Ok(declared.to_vec());
        }
        let runtime = self.load(blake2_256(code), code)?;
        let backend = InMemoryBackend::default();
        let mut overlay = Overlay::default();
        let mut ext = OverlayedExt::new(&backend, &mut overlay, None);
        // At least three ticks: a deadline of one could fall due at once.
        let deadline = (self.inner.deadline_ticks / VERSION_READ_SHARE).max(3);
        set_and_run_with_externalities(&mut ext, || {
            self.run_until(&runtime, CORE_VERSION, &[], allow_nested, deadline)
        })
    }

    /// The loaded runtime for `code` (whose blake2-256 is `hash`), compiled on a cache miss.
    fn load(&self, hash: [u8; 32], code: &[u8]) -> Result<Arc<LoadedRuntime>, ExecutorError> {
        self.inner.cache.get_or_load(hash, || {
            module::load(
                &self.inner.engine,
                &self.inner.linker,
                code,
                hex_hash(&hash),
            )
        })
    }

    /// Instantiates `runtime` and calls `method`; externalities must be installed.
    fn run(
        &self,
        runtime: &LoadedRuntime,
        method: &str,
        input: &[u8],
        allow_nested: bool,
    ) -> Result<Vec<u8>, ExecutorError> {
        self.run_until(
            runtime,
            method,
            input,
            allow_nested,
            self.inner.deadline_ticks,
        )
    }

    /// [`Executor::run`] with a deadline of `deadline_ticks` epoch ticks.
    fn run_until(
        &self,
        runtime: &LoadedRuntime,
        method: &str,
        input: &[u8],
        allow_nested: bool,
        deadline_ticks: u64,
    ) -> Result<Vec<u8>, ExecutorError> {
        let span = tracing::debug_span!(
            target: "folio::executor",
            "call",
            method,
            code_hash = %runtime.code_hash,
            input_len = input.len(),
        );
        let _entered = span.enter();
        let limit_bytes = self.inner.config.max_memory_bytes;
        let fail = |error: wasmtime::Error| classify(method, limit_bytes, error);
        let _slot = self.inner.slots.enter();

        let mut store = Store::new(
            &self.inner.engine,
            HostState {
                memory: None,
                limiter: MemoryLimiter {
                    max_memory_bytes: limit_bytes,
                },
                version_reader: allow_nested.then(|| self.clone()),
                allocator: None,
                runtime_alloc: None,
            },
        );
        store.limiter(|state| &mut state.limiter);
        // Set before instantiation so a start function is bounded too.
        store.set_epoch_deadline(deadline_ticks);
        store.epoch_deadline_trap();

        let instance = runtime.instance_pre.instantiate(&mut store).map_err(fail)?;
        let memory = instance
            .get_memory(&mut store, MEMORY_EXPORT)
            .ok_or_else(|| ExecutorError::MissingExport {
                name: MEMORY_EXPORT.into(),
            })?;
        store.data_mut().memory = Some(memory);
        // Substrate's way: the host owns the memory above `__heap_base`. Runtimes that still
        // export `folio_alloc` place their inputs themselves.
        if let Some(Extern::Global(heap_base)) = instance.get_export(&mut store, HEAP_BASE_EXPORT) {
            let heap_base =
                heap_base
                    .get(&mut store)
                    .i32()
                    .ok_or_else(|| ExecutorError::InvalidExport {
                        name: HEAP_BASE_EXPORT.into(),
                        expected: "an i32 global".into(),
                    })?;
            store.data_mut().allocator = Some(allocator::HostAllocator::new(heap_base as u32));
        }
        let runtime_alloc = instance
            .get_typed_func::<i32, i32>(&mut store, ALLOC_EXPORT)
            .ok();
        store.data_mut().runtime_alloc = runtime_alloc.clone();
        let entry = match instance.get_export(&mut store, method) {
            Some(Extern::Func(func)) => {
                func.typed::<(i32, i32), i64>(&store)
                    .map_err(|_| ExecutorError::InvalidExport {
                        name: method.into(),
                        expected: "a function (i32, i32) -> i64".into(),
                    })?
            }
            Some(_) => {
                return Err(ExecutorError::InvalidExport {
                    name: method.into(),
                    expected: "a function (i32, i32) -> i64".into(),
                })
            }
            None => {
                return Err(ExecutorError::MissingExport {
                    name: method.into(),
                })
            }
        };

        // Wasm passes the i32s on as u32 pointers and lengths: reinterpret, never truncate.
        let input_len = u32::try_from(input.len())
            .ok()
            .filter(|len| i32::try_from(*len).is_ok())
            .ok_or(ExecutorError::InputTooLarge { len: input.len() })?;
        let input_ptr = match runtime_alloc {
            Some(alloc) => alloc.call(&mut store, input_len as i32).map_err(fail)? as u32,
            None => place_with_host_heap(&mut store, memory, input_len)?,
        };
        let placed = range(input_ptr, input_len)
            .and_then(|r| memory.data_mut(&mut store).get_mut(r))
            .ok_or(ExecutorError::BadAllocation {
                ptr: input_ptr,
                len: input_len,
            })?;
        placed.copy_from_slice(input);

        let packed = entry
            .call(&mut store, (input_ptr as i32, input_len as i32))
            .map_err(fail)? as u64;
        // `ptr | (len << 32)`: the low half is the pointer, the high half the length.
        let out_ptr = (packed & 0xffff_ffff) as u32;
        let out_len = (packed >> 32) as u32;
        range(out_ptr, out_len)
            .and_then(|r| memory.data(&store).get(r))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| ExecutorError::BadResult {
                method: method.into(),
                ptr: out_ptr,
                len: out_len,
            })
    }
}

/// Allocates `len` bytes for a call's input on the host heap (the runtime has no allocator
/// export); fails as [`ExecutorError::BadAllocation`] if the heap cannot hold them.
fn place_with_host_heap(
    store: &mut Store<HostState>,
    memory: wasmtime::Memory,
    len: u32,
) -> Result<u32, ExecutorError> {
    let missing = || ExecutorError::MissingExport {
        name: format!("{ALLOC_EXPORT}` or `{HEAP_BASE_EXPORT}"),
    };
    let mut heap = store.data_mut().allocator.take().ok_or_else(missing)?;
    let placed = heap.malloc(
        &mut host::WasmHeap {
            context: &mut *store,
            memory,
        },
        len,
    );
    store.data_mut().allocator = Some(heap);
    placed.map_err(|error| {
        tracing::debug!(target: "folio::executor", %error, "cannot place the input");
        ExecutorError::BadAllocation { ptr: 0, len }
    })
}

/// The byte range `ptr..ptr + len`, if it does not overflow.
pub(crate) fn range(ptr: u32, len: u32) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(ptr).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    Some(start..end)
}

/// Maps what wasmtime reports for a failed instantiation or call to a typed error.
fn classify(method: &str, limit_bytes: usize, error: wasmtime::Error) -> ExecutorError {
    if error.downcast_ref::<MemoryLimitExceeded>().is_some() {
        return ExecutorError::OutOfMemory {
            method: method.into(),
            limit_bytes,
        };
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => ExecutorError::Timeout {
            method: method.into(),
        },
        Some(trap) => ExecutorError::Trap {
            method: method.into(),
            message: trap.to_string(),
        },
        // Host function errors (bad pointers, ...) and anything else wasmtime raises.
        None => ExecutorError::Trap {
            method: method.into(),
            message: format!("{error:#}"),
        },
    }
}

/// `0x`-prefixed lowercase hex of a hash, for logs.
fn hex_hash(hash: &[u8; 32]) -> String {
    use std::fmt::Write;
    hash.iter().fold(String::from("0x"), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
