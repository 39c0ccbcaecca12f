//! The polkadot-js walkthrough of docs/pallets/bills.md runs as written against
//! `folio-node --dev`: `tests/js/bills_walkthrough.mjs` (stock `@polkadot/api` 16.5.6, the
//! pinned packages of `tests/js/package-lock.json`) draws, accepts, endorses twice, is refused
//! a double sale, discounts and pays a bill at maturity, then dishonours another and recourses
//! it back to the acceptor, checking events, storage and `api.call.billsApi.*` at each step,
//! and ends with the line `OK`. docs/pallets/bills.md quotes the script exactly.
//!
//! The packages are installed with `npm ci` when `tests/js/node_modules` is missing, so
//! `cargo test --workspace` alone runs it.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js")
}

#[test]
fn bills_walkthrough_runs_as_written() {
    let js = js_dir();
    if !js.join("node_modules/@polkadot/api/package.json").is_file() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&js)
            .status()
            .expect("`npm` (Node.js >= 18) is on PATH");
        assert!(status.success(), "`npm ci` in tests/js failed: {status:?}");
    }
    // The walkthrough in docs/pallets/bills.md is exactly this script.
    let script = std::fs::read_to_string(js.join("bills_walkthrough.mjs")).expect("script");
    let docs = std::fs::read_to_string(js.join("../../docs/pallets/bills.md")).expect("docs");
    assert!(
        docs.contains(&format!("```js\n{script}```\n")),
        "docs/pallets/bills.md must quote tests/js/bills_walkthrough.mjs exactly"
    );
    let node = NodeProcess::dev(&[]);
    let output = Command::new("node")
        .arg(js.join("bills_walkthrough.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "the bills walkthrough failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- node log\n{}",
        output.status,
        node.log_text()
    );
    println!("{stdout}");
}
