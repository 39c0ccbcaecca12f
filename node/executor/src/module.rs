//! Loading runtime code: compile it, check what it imports and exports, and link it against the
//! host functions once, so each call only instantiates.

use crate::host::HostState;
use crate::ExecutorError;
use folio_primitives::io::HOST_FUNCTIONS;
use wasmtime::{Engine, ExternType, InstancePre, Linker, Module, ValType};

/// The import module every host function lives in.
pub(crate) const HOST_MODULE: &str = "env";
/// The linear memory the runtime exports and the host reads and writes.
pub(crate) const MEMORY_EXPORT: &str = "memory";
/// The runtime's allocator, `folio_alloc(len: i32) -> i32`, used to place call inputs by
/// runtimes built before the host allocator.
pub(crate) const ALLOC_EXPORT: &str = "folio_alloc";
/// Where the host's heap starts (Substrate's ABI): the host places call inputs there and
/// serves `ext_allocator_malloc_version_1`.
pub(crate) const HEAP_BASE_EXPORT: &str = "__heap_base";

/// Compiled, checked and pre-linked runtime code.
pub(crate) struct LoadedRuntime {
    pub(crate) instance_pre: InstancePre<HostState>,
    /// `0x`-prefixed hex of the code hash, for logs.
    pub(crate) code_hash: String,
}

/// Compiles `code` and checks it against the host interface.
pub(crate) fn load(
    engine: &Engine,
    linker: &Linker<HostState>,
    code: &[u8],
    code_hash: String,
) -> Result<LoadedRuntime, ExecutorError> {
    let span = tracing::info_span!(
        target: "folio::executor",
        "compile",
        code_hash = %code_hash,
        code_len = code.len(),
    );
    let _entered = span.enter();
    let started = std::time::Instant::now();
    let module =
        Module::from_binary(engine, code).map_err(|e| ExecutorError::Compile(format!("{e:#}")))?;
    check_imports(&module)?;
    check_exports(&module)?;
    let instance_pre = linker
        .instantiate_pre(&module)
        .map_err(|e| ExecutorError::Link {
            message: format!("{e:#}"),
        })?;
    tracing::info!(
        target: "folio::executor",
        code_hash = %code_hash,
        elapsed_ms = started.elapsed().as_millis(),
        "compiled runtime code",
    );
    Ok(LoadedRuntime {
        instance_pre,
        code_hash,
    })
}

/// Checks that `code` is wasm this engine accepts (its features included) without compiling
/// it; the error names the offending feature, e.g. "sign extension operations support is not
/// enabled".
pub(crate) fn validate(engine: &Engine, code: &[u8]) -> Result<(), ExecutorError> {
    Module::validate(engine, code).map_err(|e| ExecutorError::Compile(format!("{e:#}")))
}

/// Every import must be a host function from [`HOST_FUNCTIONS`] in module `env`; the error
/// names all offenders at once so a runtime author fixes them in one go.
fn check_imports(module: &Module) -> Result<(), ExecutorError> {
    let unknown: Vec<String> = module
        .imports()
        .filter(|import| {
            let known = import.module() == HOST_MODULE
                && HOST_FUNCTIONS.contains(&import.name())
                && matches!(import.ty(), ExternType::Func(_));
            !known
        })
        .map(|import| format!("{}::{}", import.module(), import.name()))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ExecutorError::UnknownImports { names: unknown })
    }
}

/// The runtime must export its memory and its allocator with the expected types.
fn check_exports(module: &Module) -> Result<(), ExecutorError> {
    match module.get_export(MEMORY_EXPORT) {
        None => {
            return Err(ExecutorError::MissingExport {
                name: MEMORY_EXPORT.into(),
            })
        }
        Some(ExternType::Memory(memory)) if !memory.is_64() && !memory.is_shared() => {}
        Some(_) => {
            return Err(ExecutorError::InvalidExport {
                name: MEMORY_EXPORT.into(),
                expected: "a 32-bit, unshared linear memory".into(),
            })
        }
    }
    match module.get_export(HEAP_BASE_EXPORT) {
        Some(ExternType::Global(global)) if global.content().is_i32() => return Ok(()),
        Some(_) => {
            return Err(ExecutorError::InvalidExport {
                name: HEAP_BASE_EXPORT.into(),
                expected: "an i32 global".into(),
            })
        }
        None => {}
    }
    // Without `__heap_base`, the runtime must place its inputs itself.
    match module.get_export(ALLOC_EXPORT) {
        None => Err(ExecutorError::MissingExport {
            name: ALLOC_EXPORT.into(),
        }),
        Some(ExternType::Func(func)) if only_i32(func.params()) && only_i32(func.results()) => {
            Ok(())
        }
        Some(_) => Err(ExecutorError::InvalidExport {
            name: ALLOC_EXPORT.into(),
            expected: "a function (i32) -> i32".into(),
        }),
    }
}

/// Whether a parameter or result list is exactly one `i32`.
fn only_i32(mut types: impl ExactSizeIterator<Item = ValType>) -> bool {
    types.len() == 1 && types.all(|ty| ty.is_i32())
}
