//! The host interface: every function the runtime imports from the node, declared once.
//!
//! On `wasm32` each function calls an `extern "C"` import of module `env` whose name is listed
//! in [`HOST_FUNCTIONS`]; the node's executor registers exactly that list. Natively (`std`) the
//! same functions run against the [`crate::externalities::Externalities`] installed for the
//! current thread, so pallets and the runtime are tested without wasm.
//!
//! ABI (all pointers and lengths are `i32` offsets into the runtime's exported `memory`):
//! - Variable-length results are copied into a buffer the runtime hands over
//!   (`out_ptr`, `out_cap`); the return value is the full length, or `-1` for "none". When the
//!   full length exceeds the buffer the runtime calls again with a buffer large enough. The host
//!   never writes outside the buffers it is given.
//! - Fixed-size results (hashes, roots) are written to `out_ptr` with their exact size.
//! - Runtime API entry points are exported as `fn(input_ptr: i32, input_len: i32) -> i64` that
//!   return `out_ptr | (out_len << 32)`; the host places the input with the exported
//!   `folio_alloc(len: i32) -> i32`, or, for a runtime that exports only `__heap_base` (the
//!   Substrate way), on its own heap above `__heap_base`, which also serves
//!   `ext_allocator_malloc_version_1` / `ext_allocator_free_version_1`.

use alloc::vec::Vec;

/// Every host function of module `env`, in one list the executor registers from: the
/// runtime's imports, and Substrate's host allocator (`ext_allocator_*`), which serves runtimes
/// that export `__heap_base` and no `folio_alloc` (issue 22: Folio's runtime moves to it).
pub const HOST_FUNCTIONS: &[&str] = &[
    "ext_storage_get_v1",
    "ext_storage_set_v1",
    "ext_storage_clear_v1",
    "ext_storage_exists_v1",
    "ext_storage_clear_prefix_v1",
    "ext_storage_append_v1",
    "ext_storage_next_key_v1",
    "ext_storage_root_v1",
    "ext_storage_start_transaction_v1",
    "ext_storage_commit_transaction_v1",
    "ext_storage_rollback_transaction_v1",
    "ext_hashing_blake2_128_v1",
    "ext_hashing_blake2_256_v1",
    "ext_hashing_twox_64_v1",
    "ext_hashing_twox_128_v1",
    "ext_trie_ordered_root_v1",
    "ext_crypto_sr25519_verify_v1",
    "ext_crypto_ed25519_verify_v1",
    "ext_crypto_start_batch_verify_v1",
    "ext_crypto_finish_batch_verify_v1",
    "ext_crypto_sr25519_generate_version_1",
    "ext_crypto_ed25519_generate_version_1",
    "ext_logging_log_v1",
    "ext_misc_runtime_version_v1",
    // Substrate's host allocator (the executor's heap from `__heap_base`).
    "ext_allocator_malloc_version_1",
    "ext_allocator_free_version_1",
];

/// Log levels as passed to `ext_logging_log_v1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LogLevel {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl LogLevel {
    /// Reads a level sent by the runtime; unknown values are treated as `Trace`.
    pub fn from_u32(level: u32) -> Self {
        match level {
            1 => Self::Error,
            2 => Self::Warn,
            3 => Self::Info,
            4 => Self::Debug,
            _ => Self::Trace,
        }
    }
}

/// A storage transaction was committed or rolled back without one being open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoOpenTransaction;

#[cfg(target_arch = "wasm32")]
mod imports {
    #[link(wasm_import_module = "env")]
    extern "C" {
        pub fn ext_storage_get_v1(key_ptr: u32, key_len: u32, out_ptr: u32, out_cap: u32) -> i64;
        pub fn ext_storage_set_v1(key_ptr: u32, key_len: u32, value_ptr: u32, value_len: u32);
        pub fn ext_storage_clear_v1(key_ptr: u32, key_len: u32);
        pub fn ext_storage_exists_v1(key_ptr: u32, key_len: u32) -> u32;
        pub fn ext_storage_clear_prefix_v1(prefix_ptr: u32, prefix_len: u32, limit: i64) -> u32;
        pub fn ext_storage_append_v1(key_ptr: u32, key_len: u32, item_ptr: u32, item_len: u32);
        pub fn ext_storage_next_key_v1(
            key_ptr: u32,
            key_len: u32,
            out_ptr: u32,
            out_cap: u32,
        ) -> i64;
        pub fn ext_storage_root_v1(out_ptr: u32);
        pub fn ext_storage_start_transaction_v1();
        pub fn ext_storage_commit_transaction_v1() -> u32;
        pub fn ext_storage_rollback_transaction_v1() -> u32;
        pub fn ext_hashing_blake2_128_v1(data_ptr: u32, data_len: u32, out_ptr: u32);
        pub fn ext_hashing_blake2_256_v1(data_ptr: u32, data_len: u32, out_ptr: u32);
        pub fn ext_hashing_twox_64_v1(data_ptr: u32, data_len: u32, out_ptr: u32);
        pub fn ext_hashing_twox_128_v1(data_ptr: u32, data_len: u32, out_ptr: u32);
        pub fn ext_trie_ordered_root_v1(items_ptr: u32, items_len: u32, out_ptr: u32);
        pub fn ext_crypto_sr25519_verify_v1(
            sig_ptr: u32,
            msg_ptr: u32,
            msg_len: u32,
            public_ptr: u32,
        ) -> u32;
        pub fn ext_crypto_ed25519_verify_v1(
            sig_ptr: u32,
            msg_ptr: u32,
            msg_len: u32,
            public_ptr: u32,
        ) -> u32;
        pub fn ext_crypto_start_batch_verify_v1();
        pub fn ext_crypto_finish_batch_verify_v1() -> u32;
        // sp-io's own ABI: the seed is a pointer-size pair of SCALE `Option<Vec<u8>>`, the
        // result a pointer to the 32-byte public key in memory the host allocated.
        pub fn ext_crypto_sr25519_generate_version_1(key_type_ptr: u32, seed: u64) -> u32;
        pub fn ext_crypto_ed25519_generate_version_1(key_type_ptr: u32, seed: u64) -> u32;
        pub fn ext_logging_log_v1(
            level: u32,
            target_ptr: u32,
            target_len: u32,
            msg_ptr: u32,
            msg_len: u32,
        );
        pub fn ext_misc_runtime_version_v1(
            code_ptr: u32,
            code_len: u32,
            out_ptr: u32,
            out_cap: u32,
        ) -> i64;
    }
}

/// Calls a "copy into my buffer" host function, growing the buffer once if the value is larger.
#[cfg(target_arch = "wasm32")]
fn read_variable(call: impl Fn(u32, u32) -> i64) -> Option<Vec<u8>> {
    const FIRST_TRY: usize = 256;
    let mut buf: Vec<u8> = alloc::vec![0; FIRST_TRY];
    let len = call(buf.as_mut_ptr() as u32, FIRST_TRY as u32);
    let len = usize::try_from(len).ok()?;
    if len > FIRST_TRY {
        buf = alloc::vec![0; len];
        let again = call(buf.as_mut_ptr() as u32, len as u32);
        if usize::try_from(again).ok()? != len {
            return None;
        }
    }
    buf.truncate(len);
    Some(buf)
}

#[cfg(target_arch = "wasm32")]
mod host {
    //! The wasm side: thin wrappers over the imports.
    use super::{imports as ext, read_variable, LogLevel, NoOpenTransaction};
    use alloc::vec::Vec;

    pub fn storage_get(key: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: the host reads `key` and writes at most `cap` bytes at `out`.
        read_variable(|out, cap| unsafe {
            ext::ext_storage_get_v1(key.as_ptr() as u32, key.len() as u32, out, cap)
        })
    }
    pub fn storage_set(key: &[u8], value: &[u8]) {
        // SAFETY: both slices are valid for the duration of the call.
        unsafe {
            ext::ext_storage_set_v1(
                key.as_ptr() as u32,
                key.len() as u32,
                value.as_ptr() as u32,
                value.len() as u32,
            )
        }
    }
    pub fn storage_clear(key: &[u8]) {
        // SAFETY: the slice is valid for the duration of the call.
        unsafe { ext::ext_storage_clear_v1(key.as_ptr() as u32, key.len() as u32) }
    }
    pub fn storage_exists(key: &[u8]) -> bool {
        // SAFETY: the slice is valid for the duration of the call.
        unsafe { ext::ext_storage_exists_v1(key.as_ptr() as u32, key.len() as u32) == 1 }
    }
    pub fn storage_clear_prefix(prefix: &[u8], limit: Option<u32>) -> u32 {
        let limit = limit.map_or(-1, i64::from);
        // SAFETY: the slice is valid for the duration of the call.
        unsafe {
            ext::ext_storage_clear_prefix_v1(prefix.as_ptr() as u32, prefix.len() as u32, limit)
        }
    }
    pub fn storage_append(key: &[u8], item: &[u8]) {
        // SAFETY: both slices are valid for the duration of the call.
        unsafe {
            ext::ext_storage_append_v1(
                key.as_ptr() as u32,
                key.len() as u32,
                item.as_ptr() as u32,
                item.len() as u32,
            )
        }
    }
    pub fn storage_next_key(key: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: the host reads `key` and writes at most `cap` bytes at `out`.
        read_variable(|out, cap| unsafe {
            ext::ext_storage_next_key_v1(key.as_ptr() as u32, key.len() as u32, out, cap)
        })
    }
    pub fn storage_root() -> [u8; 32] {
        let mut out = [0u8; 32];
        // SAFETY: the host writes exactly 32 bytes at `out`.
        unsafe { ext::ext_storage_root_v1(out.as_mut_ptr() as u32) };
        out
    }
    pub fn start_transaction() {
        // SAFETY: no memory is shared.
        unsafe { ext::ext_storage_start_transaction_v1() }
    }
    pub fn commit_transaction() -> Result<(), NoOpenTransaction> {
        // SAFETY: no memory is shared.
        match unsafe { ext::ext_storage_commit_transaction_v1() } {
            0 => Ok(()),
            _ => Err(NoOpenTransaction),
        }
    }
    pub fn rollback_transaction() -> Result<(), NoOpenTransaction> {
        // SAFETY: no memory is shared.
        match unsafe { ext::ext_storage_rollback_transaction_v1() } {
            0 => Ok(()),
            _ => Err(NoOpenTransaction),
        }
    }
    macro_rules! fixed_hash {
        ($name:ident, $import:ident, $len:expr) => {
            pub fn $name(data: &[u8]) -> [u8; $len] {
                let mut out = [0u8; $len];
                // SAFETY: the host reads `data` and writes exactly `$len` bytes at `out`.
                unsafe {
                    ext::$import(
                        data.as_ptr() as u32,
                        data.len() as u32,
                        out.as_mut_ptr() as u32,
                    )
                };
                out
            }
        };
    }
    fixed_hash!(blake2_128, ext_hashing_blake2_128_v1, 16);
    fixed_hash!(blake2_256, ext_hashing_blake2_256_v1, 32);
    fixed_hash!(twox_64, ext_hashing_twox_64_v1, 8);
    fixed_hash!(twox_128, ext_hashing_twox_128_v1, 16);
    fixed_hash!(ordered_trie_root_of_encoded, ext_trie_ordered_root_v1, 32);

    pub fn sr25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        // SAFETY: all buffers are valid and of the sizes the host expects.
        unsafe {
            ext::ext_crypto_sr25519_verify_v1(
                sig.as_ptr() as u32,
                msg.as_ptr() as u32,
                msg.len() as u32,
                public.as_ptr() as u32,
            ) == 1
        }
    }
    pub fn ed25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        // SAFETY: all buffers are valid and of the sizes the host expects.
        unsafe {
            ext::ext_crypto_ed25519_verify_v1(
                sig.as_ptr() as u32,
                msg.as_ptr() as u32,
                msg.len() as u32,
                public.as_ptr() as u32,
            ) == 1
        }
    }
    pub fn start_batch_verify() {
        // SAFETY: no memory is shared.
        unsafe { ext::ext_crypto_start_batch_verify_v1() }
    }
    pub fn sr25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
        generate(ext::ext_crypto_sr25519_generate_version_1, key_type, seed)
    }
    pub fn ed25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
        generate(ext::ext_crypto_ed25519_generate_version_1, key_type, seed)
    }
    /// Always `Some` here: a host with no keystore for the call traps it, as Substrate's does.
    fn generate(
        host: unsafe extern "C" fn(u32, u64) -> u32,
        key_type: [u8; 4],
        seed: Option<&[u8]>,
    ) -> Option<[u8; 32]> {
        use parity_scale_codec::Encode;
        let seed = seed.encode();
        let seed_pair = (seed.as_ptr() as u64) | ((seed.len() as u64) << 32);
        // SAFETY: the key type and the seed are valid for the call; the host answers with a
        // pointer to 32 bytes it wrote into memory it allocated for them.
        let public = unsafe {
            let ptr = host(key_type.as_ptr() as u32, seed_pair) as usize as *const [u8; 32];
            core::ptr::read_unaligned(ptr)
        };
        Some(public)
    }
    pub fn finish_batch_verify() -> bool {
        // SAFETY: no memory is shared.
        unsafe { ext::ext_crypto_finish_batch_verify_v1() == 1 }
    }
    pub fn log(level: LogLevel, target: &str, message: &str) {
        // SAFETY: both strings are valid for the duration of the call.
        unsafe {
            ext::ext_logging_log_v1(
                level as u32,
                target.as_ptr() as u32,
                target.len() as u32,
                message.as_ptr() as u32,
                message.len() as u32,
            )
        }
    }
    pub fn runtime_version(code: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: the host reads `code` and writes at most `cap` bytes at `out`.
        read_variable(|out, cap| unsafe {
            ext::ext_misc_runtime_version_v1(code.as_ptr() as u32, code.len() as u32, out, cap)
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    //! The native side: the externalities installed for this thread, and local hashing/crypto.
    use super::{LogLevel, NoOpenTransaction};
    use crate::externalities::with_externalities as with;
    use alloc::vec::Vec;

    pub fn storage_get(key: &[u8]) -> Option<Vec<u8>> {
        with(|ext| ext.storage(key))
    }
    pub fn storage_set(key: &[u8], value: &[u8]) {
        with(|ext| ext.set_storage(key.to_vec(), value.to_vec()))
    }
    pub fn storage_clear(key: &[u8]) {
        with(|ext| ext.clear_storage(key))
    }
    pub fn storage_exists(key: &[u8]) -> bool {
        with(|ext| ext.exists_storage(key))
    }
    pub fn storage_clear_prefix(prefix: &[u8], limit: Option<u32>) -> u32 {
        with(|ext| ext.clear_prefix(prefix, limit))
    }
    pub fn storage_append(key: &[u8], item: &[u8]) {
        with(|ext| ext.append_storage(key.to_vec(), item.to_vec()))
    }
    pub fn storage_next_key(key: &[u8]) -> Option<Vec<u8>> {
        with(|ext| ext.next_storage_key(key))
    }
    pub fn storage_root() -> [u8; 32] {
        with(|ext| ext.storage_root())
    }
    pub fn start_transaction() {
        with(|ext| ext.start_transaction())
    }
    pub fn commit_transaction() -> Result<(), NoOpenTransaction> {
        with(|ext| ext.commit_transaction())
    }
    pub fn rollback_transaction() -> Result<(), NoOpenTransaction> {
        with(|ext| ext.rollback_transaction())
    }
    pub use crate::crypto::native::{blake2_128, blake2_256, twox_128, twox_64};

    pub fn ordered_trie_root_of_encoded(items: &[u8]) -> [u8; 32] {
        use parity_scale_codec::Decode;
        // The runtime always passes a well-formed `Vec<Vec<u8>>`; anything else hashes as empty.
        let items = Vec::<Vec<u8>>::decode(&mut &items[..]).unwrap_or_default();
        folio_trie::ordered_trie_root(&items)
    }
    pub fn sr25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        with(|ext| ext.verify(crate::crypto::SignatureKind::Sr25519, sig, msg, public))
    }
    pub fn ed25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
        with(|ext| ext.verify(crate::crypto::SignatureKind::Ed25519, sig, msg, public))
    }
    pub fn sr25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
        with(|ext| ext.generate_key(crate::crypto::SignatureKind::Sr25519, key_type, seed))
    }
    pub fn ed25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
        with(|ext| ext.generate_key(crate::crypto::SignatureKind::Ed25519, key_type, seed))
    }
    pub fn start_batch_verify() {
        with(|ext| ext.start_batch_verify())
    }
    pub fn finish_batch_verify() -> bool {
        with(|ext| ext.finish_batch_verify())
    }
    pub fn log(level: LogLevel, target: &str, message: &str) {
        crate::externalities::log_message(level, target, message)
    }
    pub fn runtime_version(code: &[u8]) -> Option<Vec<u8>> {
        with(|ext| ext.runtime_version(code))
    }
}

/// The value at `key`, if any.
pub fn storage_get(key: &[u8]) -> Option<Vec<u8>> {
    host::storage_get(key)
}
/// Sets `key` to `value`.
pub fn storage_set(key: &[u8], value: &[u8]) {
    host::storage_set(key, value)
}
/// Removes `key`.
pub fn storage_clear(key: &[u8]) {
    host::storage_clear(key)
}
/// Whether `key` has a value.
pub fn storage_exists(key: &[u8]) -> bool {
    host::storage_exists(key)
}
/// Removes up to `limit` keys starting with `prefix` (all when `None`); returns how many.
pub fn storage_clear_prefix(prefix: &[u8], limit: Option<u32>) -> u32 {
    host::storage_clear_prefix(prefix, limit)
}
/// Appends the SCALE-encoded `item` to the SCALE `Vec` stored at `key` (creating it if absent)
/// without decoding the existing items: events are appended this way.
pub fn storage_append(key: &[u8], item: &[u8]) {
    host::storage_append(key, item)
}
/// The first key strictly after `key` in lexicographic order.
pub fn storage_next_key(key: &[u8]) -> Option<Vec<u8>> {
    host::storage_next_key(key)
}
/// The Merkle root (Substrate trie layout V1, blake2-256) of the whole state as it is now.
pub fn storage_root() -> [u8; 32] {
    host::storage_root()
}
/// Opens a nested storage transaction.
pub fn start_transaction() {
    host::start_transaction()
}
/// Keeps the changes of the innermost transaction.
pub fn commit_transaction() -> Result<(), NoOpenTransaction> {
    host::commit_transaction()
}
/// Discards the changes of the innermost transaction.
pub fn rollback_transaction() -> Result<(), NoOpenTransaction> {
    host::rollback_transaction()
}
/// blake2b with a 16-byte output.
pub fn blake2_128(data: &[u8]) -> [u8; 16] {
    host::blake2_128(data)
}
/// blake2b with a 32-byte output.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
    host::blake2_256(data)
}
/// xxHash64 with seed 0, little-endian.
pub fn twox_64(data: &[u8]) -> [u8; 8] {
    host::twox_64(data)
}
/// xxHash64 with seeds 0 and 1, concatenated little-endian.
pub fn twox_128(data: &[u8]) -> [u8; 16] {
    host::twox_128(data)
}
/// Substrate's ordered trie root (keys = compact indices) of `items`, e.g. a block's extrinsics.
pub fn ordered_trie_root(items: &[Vec<u8>]) -> [u8; 32] {
    use parity_scale_codec::Encode;
    host::ordered_trie_root_of_encoded(&items.encode())
}
/// Checks an sr25519 signature (signing context `substrate`). Inside a batch, the check may be
/// deferred to [`finish_batch_verify`] and this returns `true`.
pub fn sr25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
    host::sr25519_verify(sig, msg, public)
}
/// A new sr25519 key under `key_type` in the keystore the node gave this call (from `seed`, a
/// secret URI, when given); its public key. `None` natively when the call has no keystore; in
/// wasm the host traps such a call instead, as Substrate's does.
pub fn sr25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
    host::sr25519_generate(key_type, seed)
}
/// As [`sr25519_generate`], an ed25519 key (GRANDPA's).
pub fn ed25519_generate(key_type: [u8; 4], seed: Option<&[u8]>) -> Option<[u8; 32]> {
    host::ed25519_generate(key_type, seed)
}
/// Checks an ed25519 signature; deferred like [`sr25519_verify`] inside a batch.
pub fn ed25519_verify(sig: &[u8; 64], msg: &[u8], public: &[u8; 32]) -> bool {
    host::ed25519_verify(sig, msg, public)
}
/// Starts deferring signature checks so the host can verify them together, in parallel.
pub fn start_batch_verify() {
    host::start_batch_verify()
}
/// Verifies every deferred signature; `true` only if all are valid.
pub fn finish_batch_verify() -> bool {
    host::finish_batch_verify()
}
/// Sends a log line to the node.
pub fn log(level: LogLevel, target: &str, message: &str) {
    host::log(level, target, message)
}
/// The SCALE-encoded `RuntimeVersion` of a candidate runtime `code`, if it can be read.
pub fn runtime_version(code: &[u8]) -> Option<Vec<u8>> {
    host::runtime_version(code)
}
