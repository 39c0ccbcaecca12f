//! A connected polkadot-js client (16.5.6, unmodified) sees a forkless runtime upgrade of a
//! running `folio-node --dev`: the new spec version is notified, the metadata reloads (the base
//! fee constant changes) and the client keeps transacting. The governance path to the same
//! upgrade is tested in node/chain/tests/runtime_upgrade_through_governance_without_restart.rs.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn polkadot_js_sees_a_runtime_upgrade_without_restart() {
    let js = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js");
    if !js.join("node_modules/@polkadot/api/package.json").is_file() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&js)
            .status()
            .expect("`npm` (Node.js >= 18) is on PATH");
        assert!(status.success(), "`npm ci` in tests/js failed: {status:?}");
    }
    let dir = TempDir::new("upgrade-wasm");
    let wasm = dir.path().join("folio_runtime_upgrade_test.wasm");
    std::fs::write(
        &wasm,
        folio_runtime::WASM_BINARY_UPGRADE_TEST.expect("built with the wasm runtimes"),
    )
    .expect("write the upgrade runtime");

    let node = NodeProcess::dev(&[]);
    let output = Command::new("node")
        .arg(js.join("runtime_upgrade_seen_by_polkadot_js.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .env("UPGRADE_WASM", &wasm)
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "upgrade script failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- node log\n{}",
        output.status,
        node.log_text()
    );
    let version = node.rpc("state_getRuntimeVersion", serde_json::json!([]));
    assert_eq!(
        version["specVersion"], 101,
        "the node serves the new runtime without a restart"
    );
    assert!(
        node.log_text().contains("compiled runtime code"),
        "the new code was compiled"
    );
}
