//! The polkadot-js walkthrough of docs/pallets/einvoice.md runs as written against
//! `folio-node --dev`: `tests/js/einvoice_walkthrough.mjs` (stock `@polkadot/api` 16.5.6)
//! registers an issuer through Sudo, issues an invoice, pays part of it, has a credit note
//! issued and confirmed, pays the rest, locks and reimburses it, sees a second reimbursement
//! rejected with `AlreadyReimbursed`, checks every money movement and the `InvoicesApi` answers,
//! and ends with the line `OK`.
//!
//! Its pinned packages (`tests/js/package-lock.json`) are installed with `npm ci` when
//! `tests/js/node_modules` is missing.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js")
}

#[test]
fn einvoice_walkthrough_runs_as_written() {
    let js = js_dir();
    if !js.join("node_modules/@polkadot/api/package.json").is_file() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&js)
            .status()
            .expect("`npm` (Node.js >= 18) is on PATH");
        assert!(status.success(), "`npm ci` in tests/js failed: {status:?}");
    }
    let node = NodeProcess::dev(&[]);
    let output = Command::new("node")
        .arg(js.join("einvoice_walkthrough.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "e-invoice walkthrough failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- node log\n{}",
        output.status,
        node.log_text()
    );
    for step in [
        "registered issuer",
        "issued invoice",
        "paid",
        "credit note",
        "reimbursed",
        "second reimbursement rejected: invoices.AlreadyReimbursed",
    ] {
        assert!(
            stdout.contains(step),
            "the walkthrough prints `{step}`:\n{stdout}"
        );
    }
    println!("{stdout}");
}
