//! The host functions the runtime imports, registered from the one list in
//! [`folio_primitives::io::HOST_FUNCTIONS`] with the ABI documented there.
//!
//! Each function acts on the externalities installed for the calling thread (the executor
//! installs them around every call), so the overlay, transactions and batch verification are
//! exactly those the native tests exercise. Every pointer and length coming from the runtime is
//! bounds-checked: a bad one fails the call with an error, it never panics the host, and the host
//! writes only into buffers the runtime handed over.

use crate::allocator::{HeapMemory, HostAllocator};
use crate::module::{HOST_MODULE, MEMORY_EXPORT};
use crate::{range, runtime_log, Executor, ExecutorError};
use folio_primitives::crypto::{native, SignatureKind};
use folio_primitives::externalities::{with_externalities, Externalities};
use folio_primitives::io::{LogLevel, HOST_FUNCTIONS};
use parity_scale_codec::Decode;
use std::panic::{catch_unwind, AssertUnwindSafe};
use wasmtime::{AsContextMut, Caller, Linker, Memory, ResourceLimiter};

/// What a host function returns to wasmtime: an error becomes a trap of the current call.
type HostResult<T> = wasmtime::Result<T>;

/// The per-call data of a wasmtime store.
pub(crate) struct HostState {
    /// The runtime's exported memory, set right after instantiation.
    pub(crate) memory: Option<Memory>,
    pub(crate) limiter: MemoryLimiter,
    /// Runs candidate code for `ext_misc_runtime_version_v1`. `None` while reading a version,
    /// so a candidate cannot make version reads nest (and recurse) without bound.
    pub(crate) version_reader: Option<Executor>,
    /// The host's heap above `__heap_base` (`ext_allocator_*`), set right after instantiation
    /// for runtimes that export `__heap_base`.
    pub(crate) allocator: Option<HostAllocator>,
    /// The runtime's own allocator export (`folio_alloc`), for host functions that hand back
    /// memory, set right after instantiation when the runtime has one.
    pub(crate) runtime_alloc: Option<wasmtime::TypedFunc<i32, i32>>,
}

/// The runtime's memory seen through a store, for the host allocator.
pub(crate) struct WasmHeap<C> {
    pub(crate) context: C,
    pub(crate) memory: Memory,
}

impl<C: AsContextMut<Data = HostState>> HeapMemory for WasmHeap<C> {
    fn bytes(&mut self) -> &mut [u8] {
        self.memory.data_mut(self.context.as_context_mut())
    }
    fn grow(&mut self, pages: u64) -> Result<(), String> {
        self.memory
            .grow(self.context.as_context_mut(), pages)
            .map(|_| ())
            .map_err(|error| format!("{error:#}"))
    }
}

/// Caps linear memory (and tables) per store.
pub(crate) struct MemoryLimiter {
    pub(crate) max_memory_bytes: usize,
}

/// The most table elements a runtime may have: rustc emits one function table, sized to the
/// functions taken by address; a million entries is far beyond any real runtime.
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Raised when the runtime tries to grow memory past the limit; mapped to
/// [`ExecutorError::OutOfMemory`].
#[derive(Debug, thiserror::Error)]
#[error("linear memory would grow to {desired} bytes, beyond the limit of {limit} bytes")]
pub(crate) struct MemoryLimitExceeded {
    desired: usize,
    limit: usize,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> HostResult<bool> {
        if desired > self.max_memory_bytes {
            // Fail the call instead of letting `memory.grow` return -1: the runtime's allocator
            // aborts on failure anyway, and this way the node reports *why* the call failed.
            return Err(MemoryLimitExceeded {
                desired,
                limit: self.max_memory_bytes,
            }
            .into());
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> HostResult<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }

    // One runtime instance per store, with one memory (multi-memory is disabled anyway).
    fn instances(&self) -> usize {
        1
    }
    fn memories(&self) -> usize {
        1
    }
    fn tables(&self) -> usize {
        // rustc emits one table; reference types allow a few more.
        8
    }
}

/// A host function rejected what the runtime passed; fails the call as a trap.
#[derive(Debug, thiserror::Error)]
#[error("host function {function}: {reason}")]
pub(crate) struct HostError {
    function: &'static str,
    reason: String,
}

impl HostError {
    fn new(function: &'static str, reason: impl Into<String>) -> Self {
        Self {
            function,
            reason: reason.into(),
        }
    }
}

/// Registers every host function of [`HOST_FUNCTIONS`]; fails if one has no implementation.
pub(crate) fn register(linker: &mut Linker<HostState>) -> Result<(), ExecutorError> {
    for &name in HOST_FUNCTIONS {
        define(linker, name).map_err(|e| {
            ExecutorError::Engine(format!("cannot register host function {name}: {e:#}"))
        })?;
    }
    Ok(())
}

/// Defines host function `name` (wasm32 `u32` = wasm `i32`).
fn define(linker: &mut Linker<HostState>, name: &'static str) -> HostResult<()> {
    let env = HOST_MODULE;
    match name {
        "ext_storage_get_v1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>,
                      key_ptr: u32,
                      key_len: u32,
                      out_ptr: u32,
                      out_cap: u32|
                      -> HostResult<i64> {
                    let key = read(&c, name, key_ptr, key_len)?;
                    let value = with_ext(name, |ext| ext.storage(key))?;
                    Ok(write_variable(
                        &mut c,
                        name,
                        value.as_deref(),
                        out_ptr,
                        out_cap,
                    )?)
                },
            )?;
        }
        "ext_storage_set_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>,
                      key_ptr: u32,
                      key_len: u32,
                      value_ptr: u32,
                      value_len: u32|
                      -> HostResult<()> {
                    let key = read(&c, name, key_ptr, key_len)?.to_vec();
                    let value = read(&c, name, value_ptr, value_len)?.to_vec();
                    Ok(with_ext(name, |ext| ext.set_storage(key, value))?)
                },
            )?;
        }
        "ext_storage_clear_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>, key_ptr: u32, key_len: u32| -> HostResult<()> {
                    let key = read(&c, name, key_ptr, key_len)?;
                    Ok(with_ext(name, |ext| ext.clear_storage(key))?)
                },
            )?;
        }
        "ext_storage_exists_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>, key_ptr: u32, key_len: u32| -> HostResult<u32> {
                    let key = read(&c, name, key_ptr, key_len)?;
                    Ok(u32::from(with_ext(name, |ext| ext.exists_storage(key))?))
                },
            )?;
        }
        "ext_storage_clear_prefix_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>,
                      prefix_ptr: u32,
                      prefix_len: u32,
                      limit: i64|
                      -> HostResult<u32> {
                    let prefix = read(&c, name, prefix_ptr, prefix_len)?;
                    // A negative limit means "no limit"; a limit beyond u32 cannot be reached.
                    let limit = (limit >= 0).then(|| u32::try_from(limit).unwrap_or(u32::MAX));
                    Ok(with_ext(name, |ext| ext.clear_prefix(prefix, limit))?)
                },
            )?;
        }
        "ext_storage_append_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>,
                      key_ptr: u32,
                      key_len: u32,
                      item_ptr: u32,
                      item_len: u32|
                      -> HostResult<()> {
                    let key = read(&c, name, key_ptr, key_len)?.to_vec();
                    let item = read(&c, name, item_ptr, item_len)?.to_vec();
                    Ok(with_ext(name, |ext| ext.append_storage(key, item))?)
                },
            )?;
        }
        "ext_storage_next_key_v1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>,
                      key_ptr: u32,
                      key_len: u32,
                      out_ptr: u32,
                      out_cap: u32|
                      -> HostResult<i64> {
                    let key = read(&c, name, key_ptr, key_len)?;
                    let next = with_ext(name, |ext| ext.next_storage_key(key))?;
                    Ok(write_variable(
                        &mut c,
                        name,
                        next.as_deref(),
                        out_ptr,
                        out_cap,
                    )?)
                },
            )?;
        }
        "ext_storage_root_v1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>, out_ptr: u32| -> HostResult<()> {
                    let root = with_ext(name, |ext| ext.storage_root())?;
                    Ok(write(&mut c, name, out_ptr, &root)?)
                },
            )?;
        }
        "ext_storage_start_transaction_v1" => {
            linker.func_wrap(env, name, move || -> HostResult<()> {
                Ok(with_ext(name, |ext| ext.start_transaction())?)
            })?;
        }
        "ext_storage_commit_transaction_v1" => {
            linker.func_wrap(env, name, move || -> HostResult<u32> {
                Ok(with_ext(name, |ext| {
                    u32::from(ext.commit_transaction().is_err())
                })?)
            })?;
        }
        "ext_storage_rollback_transaction_v1" => {
            linker.func_wrap(env, name, move || -> HostResult<u32> {
                Ok(with_ext(name, |ext| {
                    u32::from(ext.rollback_transaction().is_err())
                })?)
            })?;
        }
        "ext_hashing_blake2_128_v1" => define_hash(linker, name, native::blake2_128)?,
        "ext_hashing_blake2_256_v1" => define_hash(linker, name, native::blake2_256)?,
        "ext_hashing_twox_64_v1" => define_hash(linker, name, native::twox_64)?,
        "ext_hashing_twox_128_v1" => define_hash(linker, name, native::twox_128)?,
        "ext_trie_ordered_root_v1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>,
                      items_ptr: u32,
                      items_len: u32,
                      out_ptr: u32|
                      -> HostResult<()> {
                    let encoded = read(&c, name, items_ptr, items_len)?;
                    // As natively (`folio_primitives::io`): anything but a well-formed
                    // `Vec<Vec<u8>>` hashes as the empty list, so both sides agree.
                    let items = Vec::<Vec<u8>>::decode(&mut &encoded[..]).unwrap_or_default();
                    let root = folio_trie::ordered_trie_root(&items);
                    Ok(write(&mut c, name, out_ptr, &root)?)
                },
            )?;
        }
        "ext_crypto_sr25519_verify_v1" => define_verify(linker, name, SignatureKind::Sr25519)?,
        "ext_crypto_ed25519_verify_v1" => define_verify(linker, name, SignatureKind::Ed25519)?,
        "ext_crypto_sr25519_generate_version_1" => {
            define_generate(linker, name, SignatureKind::Sr25519)?
        }
        "ext_crypto_ed25519_generate_version_1" => {
            define_generate(linker, name, SignatureKind::Ed25519)?
        }
        "ext_crypto_start_batch_verify_v1" => {
            linker.func_wrap(env, name, move || -> HostResult<()> {
                Ok(with_ext(name, |ext| ext.start_batch_verify())?)
            })?;
        }
        "ext_crypto_finish_batch_verify_v1" => {
            linker.func_wrap(env, name, move || -> HostResult<u32> {
                Ok(u32::from(with_ext(name, |ext| ext.finish_batch_verify())?))
            })?;
        }
        "ext_logging_log_v1" => {
            linker.func_wrap(
                env,
                name,
                move |c: Caller<'_, HostState>,
                      level: u32,
                      target_ptr: u32,
                      target_len: u32,
                      message_ptr: u32,
                      message_len: u32|
                      -> HostResult<()> {
                    let target = read(&c, name, target_ptr, target_len)?;
                    let message = read(&c, name, message_ptr, message_len)?;
                    runtime_log::forward(
                        LogLevel::from_u32(level),
                        &String::from_utf8_lossy(target),
                        &String::from_utf8_lossy(message),
                    );
                    Ok(())
                },
            )?;
        }
        "ext_misc_runtime_version_v1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>,
                      code_ptr: u32,
                      code_len: u32,
                      out_ptr: u32,
                      out_cap: u32|
                      -> HostResult<i64> {
                    let code = read(&c, name, code_ptr, code_len)?;
                    let version = match c.data().version_reader.as_ref() {
                        Some(executor) => executor
                            .read_version(code, false)
                            .inspect_err(|error| {
                                tracing::debug!(
                                    target: "folio::executor",
                                    %error,
                                    "cannot read the version of candidate code",
                                )
                            })
                            .ok(),
                        None => None,
                    };
                    Ok(write_variable(
                        &mut c,
                        name,
                        version.as_deref(),
                        out_ptr,
                        out_cap,
                    )?)
                },
            )?;
        }
        "ext_allocator_malloc_version_1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>, size: u32| -> HostResult<u32> {
                    Ok(with_allocator(&mut c, name, |heap, memory| {
                        heap.malloc(memory, size)
                    })?)
                },
            )?;
        }
        "ext_allocator_free_version_1" => {
            linker.func_wrap(
                env,
                name,
                move |mut c: Caller<'_, HostState>, ptr: u32| -> HostResult<()> {
                    Ok(with_allocator(&mut c, name, |heap, memory| {
                        heap.free(memory, ptr)
                    })?)
                },
            )?;
        }
        other => {
            return Err(wasmtime::format_err!(
                "`{other}` is in folio_primitives::io::HOST_FUNCTIONS but has no implementation"
            ))
        }
    }
    Ok(())
}

/// `fn(data_ptr, data_len, out_ptr)`: writes the `N`-byte digest of the data at `out_ptr`.
fn define_hash<const N: usize>(
    linker: &mut Linker<HostState>,
    name: &'static str,
    hash: fn(&[u8]) -> [u8; N],
) -> HostResult<()> {
    linker.func_wrap(
        HOST_MODULE,
        name,
        move |mut c: Caller<'_, HostState>,
              data_ptr: u32,
              data_len: u32,
              out_ptr: u32|
              -> HostResult<()> {
            let digest = hash(read(&c, name, data_ptr, data_len)?);
            Ok(write(&mut c, name, out_ptr, &digest)?)
        },
    )?;
    Ok(())
}

/// `fn(sig_ptr, msg_ptr, msg_len, public_ptr) -> u32`: 1 if valid (or deferred into a batch).
fn define_verify(
    linker: &mut Linker<HostState>,
    name: &'static str,
    kind: SignatureKind,
) -> HostResult<()> {
    linker.func_wrap(
        HOST_MODULE,
        name,
        move |c: Caller<'_, HostState>,
              sig_ptr: u32,
              msg_ptr: u32,
              msg_len: u32,
              public_ptr: u32|
              -> HostResult<u32> {
            let sig: [u8; 64] = read_array(&c, name, sig_ptr)?;
            let public: [u8; 32] = read_array(&c, name, public_ptr)?;
            let msg = read(&c, name, msg_ptr, msg_len)?;
            Ok(u32::from(with_ext(name, |ext| {
                ext.verify(kind, &sig, msg, &public)
            })?))
        },
    )?;
    Ok(())
}

/// `ext_crypto_*_generate_version_1` (sp-io's ABI): a key made in the call's keystore; the
/// answer points to its 32-byte public key in memory allocated for the runtime. A call with no
/// keystore (every block, every RPC call but `author_rotateKeys`) traps, as on Substrate.
fn define_generate(
    linker: &mut Linker<HostState>,
    name: &'static str,
    kind: SignatureKind,
) -> HostResult<()> {
    linker.func_wrap(
        HOST_MODULE,
        name,
        move |mut c: Caller<'_, HostState>, key_type_ptr: u32, seed: u64| -> HostResult<u32> {
            let key_type: [u8; 4] = read_array(&c, name, key_type_ptr)?;
            let (seed_ptr, seed_len) = unpack(seed);
            let encoded = read(&c, name, seed_ptr, seed_len)?;
            let seed = Option::<Vec<u8>>::decode(&mut &encoded[..])
                .map_err(|_| HostError::new(name, "the seed is not a SCALE Option<Vec<u8>>"))?;
            let public = with_ext(name, |ext| {
                ext.generate_key(kind, key_type, seed.as_deref())
            })?
            .ok_or_else(|| {
                HostError::new(
                    name,
                    "no keystore in this call: keys are made by author_rotateKeys",
                )
            })?;
            let out = allocate(&mut c, name, 32)?;
            write(&mut c, name, out, &public)?;
            Ok(out)
        },
    )?;
    Ok(())
}

/// A pointer-size pair: the low half the pointer, the high half the length.
fn unpack(pair: u64) -> (u32, u32) {
    ((pair & 0xffff_ffff) as u32, (pair >> 32) as u32)
}

/// Allocates `len` bytes the runtime may read: with its own allocator when it exports one
/// (`folio_alloc`), else on the host heap above `__heap_base`.
fn allocate(
    caller: &mut Caller<'_, HostState>,
    function: &'static str,
    len: u32,
) -> Result<u32, HostError> {
    match caller.data().runtime_alloc.clone() {
        Some(alloc) => {
            let size =
                i32::try_from(len).map_err(|_| HostError::new(function, "allocation too large"))?;
            let ptr = alloc.call(&mut *caller, size).map_err(|error| {
                HostError::new(
                    function,
                    format!("the runtime's allocator failed: {error:#}"),
                )
            })?;
            Ok(ptr as u32)
        }
        None => with_allocator(caller, function, |heap, memory| heap.malloc(memory, len)),
    }
}

/// Runs `f` on the call's heap; the allocator is taken out of the store meanwhile so `f` can
/// borrow the memory mutably.
fn with_allocator<R>(
    caller: &mut Caller<'_, HostState>,
    function: &'static str,
    f: impl FnOnce(
        &mut HostAllocator,
        &mut WasmHeap<&mut Caller<'_, HostState>>,
    ) -> Result<R, crate::allocator::AllocatorError>,
) -> Result<R, HostError> {
    let memory = memory_of(caller, function)?;
    let mut heap = caller.data_mut().allocator.take().ok_or_else(|| {
        HostError::new(
            function,
            "the runtime exports no `__heap_base` for a host heap",
        )
    })?;
    let result = f(
        &mut heap,
        &mut WasmHeap {
            context: &mut *caller,
            memory,
        },
    );
    caller.data_mut().allocator = Some(heap);
    result.map_err(|error| HostError::new(function, error.to_string()))
}

/// Runs `f` on the thread's externalities. A panic in them (a host bug, or a host function
/// called outside [`Executor::call`]) fails the call instead of unwinding through wasm.
fn with_ext<R>(
    function: &'static str,
    f: impl FnOnce(&mut dyn Externalities) -> R,
) -> Result<R, HostError> {
    catch_unwind(AssertUnwindSafe(|| with_externalities(f))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        HostError::new(function, format!("externalities panicked: {message}"))
    })
}

/// The runtime's memory as the host sees it now.
fn memory_of(caller: &Caller<'_, HostState>, function: &'static str) -> Result<Memory, HostError> {
    caller.data().memory.ok_or_else(|| {
        HostError::new(
            function,
            format!("called before `{MEMORY_EXPORT}` was available"),
        )
    })
}

fn out_of_bounds(function: &'static str, ptr: u32, len: usize, size: usize) -> HostError {
    HostError::new(
        function,
        format!("{ptr:#x}+{len} is outside linear memory of {size} bytes"),
    )
}

/// Borrows `len` bytes at `ptr` of the runtime's memory.
fn read<'a>(
    caller: &'a Caller<'_, HostState>,
    function: &'static str,
    ptr: u32,
    len: u32,
) -> Result<&'a [u8], HostError> {
    let data = memory_of(caller, function)?.data(caller);
    range(ptr, len)
        .and_then(|r| data.get(r))
        .ok_or_else(|| out_of_bounds(function, ptr, len as usize, data.len()))
}

/// Copies `N` bytes at `ptr` of the runtime's memory.
fn read_array<const N: usize>(
    caller: &Caller<'_, HostState>,
    function: &'static str,
    ptr: u32,
) -> Result<[u8; N], HostError> {
    let len = u32::try_from(N).map_err(|_| HostError::new(function, "array too large"))?;
    let bytes = read(caller, function, ptr, len)?;
    <[u8; N]>::try_from(bytes).map_err(|_| out_of_bounds(function, ptr, N, bytes.len()))
}

/// Borrows the runtime's buffer `ptr..ptr + cap` for writing.
fn buffer<'a>(
    caller: &'a mut Caller<'_, HostState>,
    function: &'static str,
    ptr: u32,
    cap: u32,
) -> Result<&'a mut [u8], HostError> {
    let data = memory_of(caller, function)?.data_mut(caller);
    let size = data.len();
    range(ptr, cap)
        .and_then(|r| data.get_mut(r))
        .ok_or_else(|| out_of_bounds(function, ptr, cap as usize, size))
}

/// Writes a fixed-size result at `ptr`.
fn write(
    caller: &mut Caller<'_, HostState>,
    function: &'static str,
    ptr: u32,
    bytes: &[u8],
) -> Result<(), HostError> {
    let len =
        u32::try_from(bytes.len()).map_err(|_| HostError::new(function, "result too large"))?;
    buffer(caller, function, ptr, len)?.copy_from_slice(bytes);
    Ok(())
}

/// The "copy into my buffer" convention: validates `out_ptr..out_ptr + out_cap`, copies the
/// value there if it fits (nothing otherwise), and returns its full length, or -1 for `None`.
fn write_variable(
    caller: &mut Caller<'_, HostState>,
    function: &'static str,
    value: Option<&[u8]>,
    out_ptr: u32,
    out_cap: u32,
) -> Result<i64, HostError> {
    let out = buffer(caller, function, out_ptr, out_cap)?;
    let Some(value) = value else { return Ok(-1) };
    if let Some(dest) = out.get_mut(..value.len()) {
        dest.copy_from_slice(value);
    }
    i64::try_from(value.len()).map_err(|_| HostError::new(function, "result too large"))
}
