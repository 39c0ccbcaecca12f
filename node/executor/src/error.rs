//! What can go wrong when loading or running runtime code.

/// An executor failure. Every variant fails one call (or one load); none of them leaves the
/// executor unusable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExecutorError {
    /// [`crate::ExecutorConfig`] holds a value the executor cannot work with.
    #[error("invalid executor configuration: {reason}")]
    InvalidConfig { reason: String },
    /// The wasmtime engine could not be created with the deterministic configuration.
    #[error("cannot create the wasm engine: {0}")]
    Engine(String),
    /// The code is not valid wasm, uses a disabled wasm feature, or does not compile.
    #[error("cannot compile runtime code: {0}")]
    Compile(String),
    /// The code imports functions the host does not provide (each as `module::name`).
    #[error("runtime code imports unknown functions: {}", names.join(", "))]
    UnknownImports { names: Vec<String> },
    /// A host function is imported with a signature other than the one in `folio_primitives::io`.
    #[error("runtime code cannot be linked: {message}")]
    Link { message: String },
    /// The code lacks an export the executor needs (`memory`, `folio_alloc`, or the method).
    #[error("runtime code does not export `{name}`")]
    MissingExport { name: String },
    /// An export exists but has the wrong kind or signature.
    #[error("runtime export `{name}` must be {expected}")]
    InvalidExport { name: String, expected: String },
    /// The input does not fit in a wasm32 address space.
    #[error("input of {len} bytes is too large for a wasm32 runtime")]
    InputTooLarge { len: usize },
    /// The runtime trapped (`unreachable`, out-of-bounds access, stack overflow, a bad pointer
    /// passed to a host function, …) while running `method`.
    #[error("runtime trapped in `{method}`: {message}")]
    Trap { method: String, message: String },
    /// `method` ran longer than [`crate::ExecutorConfig::call_timeout`].
    #[error("runtime call `{method}` exceeded its deadline")]
    Timeout { method: String },
    /// `method` tried to grow linear memory beyond [`crate::ExecutorConfig::max_memory_bytes`].
    #[error("runtime call `{method}` exceeded the memory limit of {limit_bytes} bytes")]
    OutOfMemory { method: String, limit_bytes: usize },
    /// `folio_alloc` returned a buffer that is not inside linear memory.
    #[error("runtime allocator returned {ptr:#x} for {len} bytes, outside linear memory")]
    BadAllocation { ptr: u32, len: u32 },
    /// `method` returned a `(ptr, len)` pair that is not inside linear memory.
    #[error("runtime call `{method}` returned {ptr:#x}+{len}, outside linear memory")]
    BadResult { method: String, ptr: u32, len: u32 },
}
