//! Builds this crate a second time, for `wasm32v1-none` without `std`, and exposes the
//! resulting runtime as `WASM_BINARY`. With the feature `with-upgrade-test-runtime` (enabled by
//! the crates whose tests and benchmarks upgrade a chain, as a dev-dependency), it builds once
//! more with the `upgrade-test` feature (a runtime with spec_version + 1) as
//! `WASM_BINARY_UPGRADE_TEST`; a production `cargo build --release -p folio-node` builds one
//! runtime.
//!
//! The target is `wasm32v1-none` because Substrate hosts (sc-executor, smoldot, chopsticks)
//! accept wasm 1.0 only: the MVP plus mutable globals. rustc's `wasm32-unknown-unknown` emits
//! newer features by default (reference types, sign extension, bulk memory, multi-value,
//! non-trapping float-to-int), and lowering them needs a nightly `-Z build-std`;
//! `wasm32v1-none` ships a `core` and `alloc` compiled for wasm 1.0, and has no `std`, which the
//! runtime does not use. Folio's executor accepts exactly the same feature set.
//!
//! Before the nested cargo runs, the wasm target is made present: rustup adds a toolchain
//! file's targets only when it installs the toolchain, so a machine that already had `stable`
//! lacks it. The build asks the toolchain it runs under and, if the target is missing, adds it
//! with rustup (one `cargo:warning` says so) or stops with one message naming the command.
//!
//! Each nested cargo uses its own target directory (`<target>/wasm-runtime`,
//! `<target>/wasm-runtime-upgrade-test`) so it never waits on the outer build's lock and the two
//! feature sets never rebuild each other; the `wasm-runtime` profile has panic = abort and LTO.
//! Set `SKIP_WASM_BUILD=1` to skip both (the runtime is then only available natively).

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const WASM_TARGET: &str = "wasm32v1-none";

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let workspace = manifest_dir
        .parent()
        .expect("runtime/ is inside the workspace")
        .to_path_buf();
    for dir in [
        "runtime/src",
        "runtime/Cargo.toml",
        "primitives/src",
        "primitives/Cargo.toml",
        "pallets",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", workspace.join(dir).display());
    }
    println!("cargo:rerun-if-env-changed=SKIP_WASM_BUILD");

    let target_arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let out_file = out_dir.join("wasm_binary.rs");
    if target_arch == "wasm32" || env::var_os("SKIP_WASM_BUILD").is_some() {
        write(
            &out_file,
            "pub const WASM_BINARY: Option<&[u8]> = None;\n\
             pub const WASM_BINARY_UPGRADE_TEST: Option<&[u8]> = None;\n",
        );
        return ExitCode::SUCCESS;
    }

    if let Err(message) = ensure_wasm_target() {
        // One clear message instead of the nested build's wall of "can't find crate for core".
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }

    let target_dir = wasm_target_dir(&out_dir, &workspace);
    let wasm = build_wasm(&workspace, &target_dir, &[]);
    let upgrade = if env::var_os("CARGO_FEATURE_WITH_UPGRADE_TEST_RUNTIME").is_some() {
        let upgrade_dir = target_dir.with_file_name("wasm-runtime-upgrade-test");
        let path = build_wasm(&workspace, &upgrade_dir, &["--features", "upgrade-test"]);
        format!("Some(include_bytes!({:?}))", path.display().to_string())
    } else {
        "None".to_string()
    };
    write(
        &out_file,
        &format!(
            "pub const WASM_BINARY: Option<&[u8]> = Some(include_bytes!({:?}));\n\
             pub const WASM_BINARY_UPGRADE_TEST: Option<&[u8]> = {upgrade};\n",
            wasm.display().to_string(),
        ),
    );
    ExitCode::SUCCESS
}

/// Makes sure the toolchain this build runs under has the wasm target's standard library,
/// adding it with rustup when it is missing.
fn ensure_wasm_target() -> Result<(), String> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let libdir = wasm_target_libdir(&rustc)?;
    if has_core(&libdir) {
        return Ok(());
    }
    // The rustup proxy that started cargo names the toolchain; without it, rustup picks the
    // same one from rust-toolchain.toml in the workspace.
    let toolchain = env::var("RUSTUP_TOOLCHAIN").ok();
    let mut add = Command::new(rustup());
    add.args(["target", "add", WASM_TARGET]);
    if let Some(toolchain) = &toolchain {
        add.args(["--toolchain", toolchain]);
    }
    let manual = format!(
        "rustup target add {WASM_TARGET}{}",
        toolchain
            .as_deref()
            .map(|t| format!(" --toolchain {t}"))
            .unwrap_or_default()
    );
    println!(
        "cargo:warning=the {WASM_TARGET} target was missing from this toolchain: \
         running `{manual}` (the runtime is built for it)"
    );
    let output = add.output().map_err(|error| {
        format!(
            "the runtime is built for {WASM_TARGET}, which this toolchain lacks, and rustup \
             could not be started ({error}); install the target with `{manual}` and build again"
        )
    })?;
    if !output.status.success() || !has_core(&libdir) {
        return Err(format!(
            "the runtime is built for {WASM_TARGET}, which this toolchain lacks, and `{manual}` \
             failed ({}): {}; run it yourself and build again",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(())
}

/// Where this toolchain keeps (or would keep) the wasm target's standard library.
fn wasm_target_libdir(rustc: &str) -> Result<PathBuf, String> {
    let output = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .output()
        .map_err(|error| format!("`{rustc} --print target-libdir` could not run: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{rustc} --print target-libdir --target {WASM_TARGET}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
    ))
}

/// Whether `libdir` holds the target's `core` (what the nested build fails without).
fn has_core(libdir: &Path) -> bool {
    std::fs::read_dir(libdir).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libcore-") && name.ends_with(".rlib")
        })
    })
}

/// rustup as the shell would find it: `~/.cargo/bin` is on the PATH of a rustup install.
fn rustup() -> PathBuf {
    PathBuf::from("rustup")
}

/// Runs the nested cargo for wasm32 and returns the path of the built runtime.
fn build_wasm(workspace: &Path, target_dir: &Path, extra: &[&str]) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args(["build", "--package", "folio-runtime", "--lib"])
        .args(["--target", WASM_TARGET, "--profile", "wasm-runtime"])
        .arg("--no-default-features")
        .args(extra)
        .arg("--target-dir")
        .arg(target_dir);
    // The outer build's settings are for the host; the wasm build gets its own.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        command.env_remove(var);
    }
    command.env("CARGO_ENCODED_RUSTFLAGS", "");
    let status = command
        .status()
        .expect("cargo can be started for the wasm build");
    if !status.success() {
        panic!("building the wasm runtime failed: {status}");
    }
    target_dir
        .join(WASM_TARGET)
        .join("wasm-runtime/folio_runtime.wasm")
}

/// `<target>/wasm-runtime`, found from OUT_DIR (`<target>/<profile>/build/<pkg>/out`).
fn wasm_target_dir(out_dir: &Path, workspace: &Path) -> PathBuf {
    out_dir
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|name| name == "build"))
        .and_then(|build| build.parent())
        .and_then(|profile| profile.parent())
        .map(|target| target.join("wasm-runtime"))
        .unwrap_or_else(|| workspace.join("target/wasm-runtime"))
}

fn write(path: &Path, contents: &str) {
    // Rewrite only on change so dependents are not rebuilt for nothing.
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).expect("OUT_DIR is writable");
    }
}
