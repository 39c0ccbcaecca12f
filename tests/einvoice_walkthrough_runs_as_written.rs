//! The polkadot-js walkthrough of docs/pallets/einvoice.md runs as written against
//! `folio-node --dev`: `tests/js/einvoice_walkthrough.mjs` (stock `@polkadot/api` 16.5.6)
//! registers an issuer through Sudo, issues an invoice, pays part of it, has a credit note
//! issued and confirmed, pays the rest, locks and reimburses it, sees a second reimbursement
//! rejected with `AlreadyReimbursed`, deducts the input tax once, files and confirms a period's
//! declaration, has a second invoice financed by a bank after a stranger's unbacked offer (the
//! seller accepts the bank's, declines the stranger's; the payment splits between the bank and
//! the seller) and corrected after payment with a refund, checks every money movement and the
//! `InvoicesApi` answers, and ends with the line `OK`.
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
        "a second claim: invoices.InputTaxAlreadyClaimed",
        "confirmed by the tax authority",
        "financed by Dave after Ferdie's offer",
        "Ferdie's offer declined by Bob",
        "(lien ended)",
        "refunded Bob → Charlie in the same extrinsic",
    ] {
        assert!(
            stdout.contains(step),
            "the walkthrough prints `{step}`:\n{stdout}"
        );
    }
    println!("{stdout}");
}

/// The names of `api.tx.invoices.*`, `api.call.invoicesApi.*` and `api.query.invoices.*`
/// that `text` uses.
fn invoice_api_names(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for prefix in [
        "api.tx.invoices.",
        "api.call.invoicesApi.",
        "api.query.invoices.",
    ] {
        for (at, _) in text.match_indices(prefix) {
            let rest = text.get(at + prefix.len()..).unwrap_or_default();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(format!("{prefix}{name}"));
        }
    }
    names
}

/// docs/pallets/einvoice.md quotes the script's steps in short: every call, runtime API and
/// storage item the quote names is one the script really uses, so the two cannot drift apart.
#[test]
fn the_pallet_doc_quotes_only_what_the_walkthrough_does() {
    let doc = std::fs::read_to_string(js_dir().join("../../docs/pallets/einvoice.md"))
        .expect("docs/pallets/einvoice.md");
    let script = std::fs::read_to_string(js_dir().join("einvoice_walkthrough.mjs"))
        .expect("the walkthrough script");
    let start = doc.find("```js\n").expect("the doc quotes the walkthrough");
    let quote = doc
        .get(start + 6..)
        .and_then(|rest| rest.find("```").and_then(|end| rest.get(..end)))
        .expect("the quote ends");
    let quoted = invoice_api_names(quote);
    let used = invoice_api_names(&script);
    assert!(quoted.len() >= 15, "the quote names the steps: {quoted:?}");
    let missing: Vec<_> = quoted.difference(&used).collect();
    assert!(
        missing.is_empty(),
        "the doc quotes what the script does not use: {missing:?}"
    );
    for step in [
        "offerFinancing",
        "acceptFinancing",
        "declineFinancing",
        "fileDeclaration",
    ] {
        assert!(
            quoted.contains(&format!("api.tx.invoices.{step}")),
            "the quote shows {step}"
        );
    }
}
