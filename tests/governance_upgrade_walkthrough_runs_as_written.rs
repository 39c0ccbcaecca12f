//! The walkthrough of docs/governance.md runs as written: a council motion authorizes a new
//! runtime on a running `folio-node --dev`, the scheduler enacts it, anyone applies the code and
//! the chain (and the connected polkadot-js client) continues on the new version.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn governance_upgrade_walkthrough_runs_as_written() {
    let js = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js");
    if !js.join("node_modules/@polkadot/api/package.json").is_file() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&js)
            .status()
            .expect("`npm` (Node.js >= 18) is on PATH");
        assert!(status.success(), "`npm ci` in tests/js failed: {status:?}");
    }
    let dir = TempDir::new("walkthrough-wasm");
    let wasm = dir.path().join("folio_runtime_v101.wasm");
    std::fs::write(
        &wasm,
        folio_runtime::WASM_BINARY_UPGRADE_TEST.expect("built with the wasm runtimes"),
    )
    .unwrap();
    let node = NodeProcess::dev(&[]);
    let output = Command::new("node")
        .arg(js.join("governance_upgrade_walkthrough.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .env("UPGRADE_WASM", &wasm)
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "walkthrough failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{}\n--- node log\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        node.log_text()
    );
    assert!(stdout.contains("3. motion approved"), "{stdout}");
    assert_eq!(
        node.rpc("state_getRuntimeVersion", serde_json::json!([]))["specVersion"],
        101
    );
}
