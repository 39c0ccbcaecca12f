//! Stock polkadot-js (`@polkadot/api` 16.5.6, `@polkadot/keyring` 14.0.3) works against
//! `folio-node --dev` unmodified: it connects without a single warning, reads accounts,
//! constants, the nonce and fees, follows a transfer through Ready, InBlock and Finalized with
//! its events, subscribes to new heads, and gets Substrate's 1010 errors for a wrong spec
//! version, another genesis and a stale nonce, and `future` for a nonce gap.
//!
//! The script is `tests/js/polkadot_js_works_unmodified.mjs`; its pinned packages (the
//! committed `package-lock.json`) are installed by the test itself with `npm ci` when
//! `tests/js/node_modules` is missing, so `cargo test --workspace` alone runs it.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js")
}

#[test]
fn polkadot_js_works_unmodified() {
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
    let existential_deposit =
        <folio_runtime::Runtime as folio_pallet_currency::Config>::EXISTENTIAL_DEPOSIT;
    let output = Command::new("node")
        .arg(js.join("polkadot_js_works_unmodified.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .env(
            "EXPECTED_EXISTENTIAL_DEPOSIT",
            existential_deposit.to_string(),
        )
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "polkadot-js acceptance script failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- node log\n{}",
        output.status,
        node.log_text()
    );
    println!("{stdout}");
}
