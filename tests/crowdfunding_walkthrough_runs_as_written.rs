//! The polkadot-js walkthrough of docs/pallets/crowdfunding.md runs as written against
//! `folio-node --dev`: `tests/js/crowdfunding_walkthrough.mjs` (stock `@polkadot/api` 16.5.6)
//! trusts a claim issuer and issues claims through `sudo`, creates a share class and two
//! campaigns, commits, waits for the deadline, settles the one that succeeded, refunds the one
//! that failed, and claims a dividend, checking balances, events, `api.query.crowdfunding.*` and
//! `api.call.crowdfundingApi.*` on the way; its last line is `OK`. The script printed in the
//! docs is checked to be exactly this file.
//!
//! The script's pinned packages (`tests/js/package-lock.json`) are installed with `npm ci` when
//! `tests/js/node_modules` is missing, as in `tests/polkadot_js_works_unmodified.rs`.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/js")
}

/// The ```js block of the walkthrough in docs/pallets/crowdfunding.md.
fn script_in_the_docs() -> String {
    let doc = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/pallets/crowdfunding.md");
    let text = std::fs::read_to_string(&doc).expect("docs/pallets/crowdfunding.md");
    let (_, rest) = text
        .split_once("\n```js\n")
        .expect("a ```js block in docs/pallets/crowdfunding.md");
    let (script, _) = rest.split_once("\n```\n").expect("the ```js block ends");
    format!("{script}\n")
}

#[test]
fn crowdfunding_walkthrough_runs_as_written() {
    let js = js_dir();
    let script = std::fs::read_to_string(js.join("crowdfunding_walkthrough.mjs")).expect("script");
    assert!(
        script == script_in_the_docs(),
        "the walkthrough in docs/pallets/crowdfunding.md differs from tests/js/crowdfunding_walkthrough.mjs"
    );
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
        .arg(js.join("crowdfunding_walkthrough.mjs"))
        .current_dir(&js)
        .env("WS_URL", node.url())
        .output()
        .expect("`node` (Node.js >= 18) is on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.lines().last() == Some("OK"),
        "crowdfunding walkthrough failed ({}).\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- node log\n{}",
        output.status,
        node.log_text()
    );
    println!("{stdout}");
}
