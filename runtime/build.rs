//! Builds this crate a second time, for `wasm32-unknown-unknown` without `std`, and exposes the
//! resulting runtime as `WASM_BINARY`; then once more with the `upgrade-test` feature (a runtime
//! with spec_version + 1 for upgrade tests) as `WASM_BINARY_UPGRADE_TEST`.
//!
//! Each nested cargo uses its own target directory (`<target>/wasm-runtime`,
//! `<target>/wasm-runtime-upgrade-test`) so it never waits on the outer build's lock and the two
//! feature sets never rebuild each other; the `wasm-runtime` profile has panic = abort and LTO.
//! Set `SKIP_WASM_BUILD=1` to skip both (the runtime is then only available natively).

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
        write(
            &out_file,
            "pub const WASM_BINARY: Option<&[u8]> = None;\n\
             pub const WASM_BINARY_UPGRADE_TEST: Option<&[u8]> = None;\n",
        );
        return;
    }

    let target_dir = wasm_target_dir(&out_dir, &workspace);
    let wasm = build_wasm(&workspace, &target_dir, &[]);
    let upgrade_dir = target_dir.with_file_name("wasm-runtime-upgrade-test");
    let upgrade = build_wasm(&workspace, &upgrade_dir, &["--features", "upgrade-test"]);
    write(
        &out_file,
        &format!(
            "pub const WASM_BINARY: Option<&[u8]> = Some(include_bytes!({:?}));\n\
             pub const WASM_BINARY_UPGRADE_TEST: Option<&[u8]> = Some(include_bytes!({:?}));\n",
            wasm.display().to_string(),
            upgrade.display().to_string()
        ),
    );
}

/// Runs the nested cargo for wasm32 and returns the path of the built runtime.
fn build_wasm(workspace: &Path, target_dir: &Path, extra: &[&str]) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args(["build", "--package", "folio-runtime", "--lib"])
        .args([
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-runtime",
        ])
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
    target_dir.join("wasm32-unknown-unknown/wasm-runtime/folio_runtime.wasm")
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
