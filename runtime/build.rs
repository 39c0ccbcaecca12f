//! Builds this crate a second time, for `wasm32-unknown-unknown` without `std`, and exposes the
//! resulting runtime as `WASM_BINARY` (see `src/wasm_binary.rs`).
//!
//! The nested cargo uses its own target directory (`<target>/wasm-runtime`) so it never waits
//! on the outer build's lock, and the `wasm-runtime` profile (panic = abort, LTO). Set
//! `SKIP_WASM_BUILD=1` to skip it (the runtime is then only available natively).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
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
        write(&out_file, "pub const WASM_BINARY: Option<&[u8]> = None;\n");
        return;
    }

    let target_dir = wasm_target_dir(&out_dir, &workspace);
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&workspace)
        .args(["build", "--package", "folio-runtime", "--lib"])
        .args([
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-runtime",
        ])
        .arg("--no-default-features")
        .arg("--target-dir")
        .arg(&target_dir);
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
    let wasm = target_dir.join("wasm32-unknown-unknown/wasm-runtime/folio_runtime.wasm");
    println!("cargo:rustc-env=FOLIO_WASM_PATH={}", wasm.display());
    write(
        &out_file,
        &format!(
            "pub const WASM_BINARY: Option<&[u8]> = Some(include_bytes!({:?}));\n",
            wasm.display().to_string()
        ),
    );
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
