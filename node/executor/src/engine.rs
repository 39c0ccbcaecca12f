//! The deterministic wasmtime engine and the epoch ticker that bounds every call.
//!
//! Every validator must compute the same result from the same block, so the engine only
//! accepts wasm whose behaviour is fully specified, and every setting here says why it is set.

use crate::ExecutorError;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig,
    Strategy, WasmFeatures,
};

/// Wasm 1.0: the MVP (with floats) plus mutable globals, what `wasm32v1-none` emits and all
/// that Substrate hosts (sc-executor, smoldot, chopsticks) accept. A runtime that runs here
/// then runs there, and a candidate runtime using anything newer (sign extension, bulk memory,
/// reference types, multi-value, non-trapping float-to-int, SIMD, ...) is refused before it can
/// be enacted, instead of stopping every other host on the chain.
const ALLOWED_FEATURES: WasmFeatures = WasmFeatures::FLOATS.union(WasmFeatures::MUTABLE_GLOBAL);

/// The native stack a single wasm call may use. Rust runtimes recurse moderately (SCALE
/// decoding of nested types); 512 KiB is wasmtime's default and, twice over (a runtime reading
/// a candidate runtime's version nests one call), still fits the 2 MiB stack of a spawned Rust
/// thread, so a stack overflow is always a wasm trap and never a host crash.
const MAX_WASM_STACK: usize = 512 * 1024;

/// Every 32-bit linear memory reserves the full 4 GiB address space.
const MEMORY_RESERVATION: u64 = 1 << 32;

/// Instance slots of the pooling allocator: each reserves a linear memory's address space
/// (4 GiB plus guards, virtual only) when the engine is made, so 64 slots cost ~260 GiB of
/// the 128 TiB a process may address, and no physical memory until used.
pub(crate) const INSTANCE_SLOTS: u32 = 64;

/// How many top-level calls may run at once. A call can nest at most two more instances (a
/// runtime reading a candidate runtime's version, whose `Core_version` may read one more),
/// so a quarter of the slots always suffices and instantiation never fails for want of one.
pub(crate) const CONCURRENT_CALLS: usize = (INSTANCE_SLOTS / 4) as usize;

/// How much of a released slot's memory is reset in place rather than dropped (see below):
/// enough for the runtime's static data, stack and the heap of a transaction's validation.
const KEEP_RESIDENT: usize = 16 << 20;

/// Builds the engine every runtime is compiled and run with.
pub(crate) fn deterministic_engine() -> Result<Engine, ExecutorError> {
    let mut config = Config::new();
    // Cranelift is the only compiler we ship (Winch is faster to compile but slower to run
    // blocks, and is not built in).
    config.strategy(Strategy::Cranelift);
    config.cranelift_opt_level(OptLevel::Speed);
    // NaN bit patterns differ between CPUs; canonicalizing them after every float operation
    // makes float results identical on every validator.
    config.cranelift_nan_canonicalization(true);
    // Start from nothing and allow exactly wasm 1.0: this excludes threads and shared memory
    // (racy), relaxed SIMD (platform-dependent), every other post-MVP proposal (Substrate
    // hosts refuse them, see ALLOWED_FEATURES) and the component model.
    config.wasm_features(WasmFeatures::all().difference(ALLOWED_FEATURES), false);
    config.wasm_features(ALLOWED_FEATURES, true);
    // Belt and braces should relaxed SIMD ever be re-enabled above.
    config.relaxed_simd_deterministic(true);
    // Runaway loops are stopped by epoch interruption: a check on loop back-edges and function
    // entries that costs a load and a compare, much cheaper than fuel metering. A ticker thread
    // advances the epoch; each call gets a deadline in ticks.
    config.epoch_interruption(true);
    config.consume_fuel(false);
    config.max_wasm_stack(MAX_WASM_STACK);
    // Static memory bounds: reserve 4 GiB plus guard pages per memory and never move it, so
    // cranelift elides bounds checks and an out-of-bounds access is a guard-page trap.
    config.memory_reservation(MEMORY_RESERVATION);
    config.memory_may_move(false);
    // Instantiation maps the data segments copy-on-write from a memory image instead of
    // copying them, so a fresh instance per call (or per block) is cheap.
    config.memory_init_cow(true);
    // A fresh instance per call, taken from a pool of pre-reserved slots: with the on-demand
    // allocator every call mapped and unmapped its 4 GiB reservation, and those mmap/munmap
    // calls (serialised on the process's address-space lock) were over half the cost of
    // validating a transaction in the pool (docs/benchmarks.md). A slot is reset on release
    // (its pages zeroed or dropped), so no state leaks from one call to the next.
    let mut pool = PoolingAllocationConfig::new();
    pool.total_core_instances(INSTANCE_SLOTS)
        .total_memories(INSTANCE_SLOTS)
        .total_tables(INSTANCE_SLOTS)
        .max_memories_per_module(1)
        .max_tables_per_module(1)
        .max_memory_size(MEMORY_RESERVATION as usize)
        // Resetting a released slot with madvise drops its pages, interrupts the other cores
        // to flush their TLBs, and makes the next call fault every page in again. Instead the
        // kernel is asked which pages the call dirtied (the PAGEMAP_SCAN ioctl, Linux 6.7+;
        // `Auto` falls back to madvise elsewhere) and only those are restored from the image,
        // within the first KEEP_RESIDENT bytes of the memory; beyond that, madvise as before.
        .pagemap_scan(Enabled::Auto)
        .linear_memory_keep_resident(KEEP_RESIDENT);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    // Compile function bodies on all cores: a runtime upgrade compiles megabytes of wasm
    // while blocks wait.
    config.parallel_compilation(true);
    // The address map serves wasm backtraces only, which this build does not capture.
    config.generate_address_map(false);
    Engine::new(&config).map_err(|e| ExecutorError::Engine(format!("{e:#}")))
}

/// How long one epoch tick lasts for a given call timeout: fine enough that a call stops
/// within ~10% of its deadline, coarse enough that the ticker thread is nearly free.
pub(crate) fn tick_for(timeout: Duration) -> Duration {
    (timeout / 10).clamp(Duration::from_millis(1), Duration::from_millis(100))
}

/// The epoch deadline (in ticks) of a call: the timeout rounded up, plus one tick because the
/// call may start just before the next tick.
pub(crate) fn deadline_ticks(timeout: Duration, tick: Duration) -> u64 {
    let tick_nanos = tick.as_nanos().max(1);
    let ticks = timeout.as_nanos().div_ceil(tick_nanos);
    u64::try_from(ticks).unwrap_or(u64::MAX).saturating_add(1)
}

/// A background thread that advances the engine's epoch once per tick, started once per
/// executor and stopped (and joined) when the executor is dropped.
pub(crate) struct EpochTicker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    pub(crate) fn start(engine: Engine, tick: Duration) -> Result<Self, ExecutorError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("folio-executor-epoch".into())
            .spawn(move || {
                // A message or a dropped sender both mean "stop".
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                    engine.increment_epoch();
                }
            })
            .map_err(|e| ExecutorError::Engine(format!("cannot start the epoch ticker: {e}")))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // The thread only sleeps and increments a counter; it cannot panic.
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_covers_the_timeout_plus_one_tick() {
        let timeout = Duration::from_millis(200);
        let tick = tick_for(timeout);
        assert_eq!(tick, Duration::from_millis(20));
        assert_eq!(deadline_ticks(timeout, tick), 11);
        assert_eq!(
            tick_for(Duration::from_secs(10)),
            Duration::from_millis(100)
        );
        assert_eq!(
            tick_for(Duration::from_micros(10)),
            Duration::from_millis(1)
        );
    }

    #[test]
    fn the_deterministic_configuration_is_accepted() {
        assert!(deterministic_engine().is_ok());
    }
}
