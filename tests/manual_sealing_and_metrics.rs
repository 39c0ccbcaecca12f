//! `--sealing manual` seals only on `engine_createBlock`; `--prometheus-port` serves the
//! imported-blocks, pool and import-time metrics.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::json;
use std::io::{Read, Write};
use std::time::Duration;

fn metrics(port: u16) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("metrics port");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn manual_sealing_waits_for_engine_create_block_and_metrics_count_it() {
    let metrics_port = free_port();
    let node = NodeProcess::dev(&[
        "--sealing",
        "manual",
        "--prometheus-port",
        &metrics_port.to_string(),
    ]);
    let tx = sign(
        node.genesis_hash(),
        Alice,
        transfer(Bob, 5),
        0,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(node.best_number(), 0, "nothing sealed without a request");
    assert!(metrics(metrics_port).contains("folio_transaction_pool{queue=\"ready\"} 1"));

    let created = node.rpc("engine_createBlock", json!([false, true]));
    let hash = created["hash"].as_str().expect("hash").to_string();
    assert_eq!(created["aux"]["header_only"], json!(false));
    assert_eq!(node.best_number(), 1);
    assert_eq!(node.rpc("chain_getFinalizedHead", json!([])), json!(hash));
    assert_eq!(
        account(&node, Alice).0,
        1,
        "the pooled transfer is in the block"
    );
    assert_eq!(node.rpc("engine_finalizeBlock", json!([hash])), json!(true));

    // An empty block on request, and a refusal when empty blocks are not wanted.
    node.rpc("engine_createBlock", json!([true, true]));
    assert_eq!(node.best_number(), 2);
    let error = node.rpc_error("engine_createBlock", json!([false, true]));
    assert!(
        error.to_string().contains("no ready transactions"),
        "{error}"
    );

    let text = metrics(metrics_port);
    assert!(text.contains("folio_imported_blocks_total 2"), "{text}");
    assert!(
        text.contains("folio_block_height{status=\"best\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("folio_transaction_pool{queue=\"ready\"} 0"),
        "{text}"
    );
    assert!(
        text.contains("folio_block_import_seconds_count 2"),
        "{text}"
    );
    // Supervision: nothing panicked, the author runs.
    for line in [
        "folio_author_restarts_total 0",
        "folio_author_up 1",
        "folio_admission_restarts_total 0",
    ] {
        assert!(text.contains(line), "{line} missing in {text}");
    }
}
