//! Bad input gets a JSON-RPC error and the node keeps serving: malformed JSON, bad hex, an
//! undecodable extrinsic, a bad signature, a stale nonce, an oversized request, an unknown
//! method, too many subscriptions.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::{json, Value};
use std::time::Duration;
use tungstenite::Message;

fn code(error: &Value) -> i64 {
    error["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no code in {error}"))
}

#[test]
fn bad_input_keeps_the_node_serving() {
    let node = NodeProcess::dev(&[
        "--rpc-max-subscriptions-per-connection",
        "4",
        "--rpc-max-request-size",
        "1",
    ]);
    let genesis = node.genesis_hash();

    // Malformed JSON: a parse error.
    let answer: Value =
        serde_json::from_str(&http_post(node.port, "{\"id\":1,\"jsonrpc\":\"2.0\",").unwrap())
            .unwrap();
    assert_eq!(code(&answer["error"]), -32700);

    // Bad hex: invalid params.
    assert_eq!(
        code(&node.rpc_error("author_submitExtrinsic", json!(["0xzz"]))),
        -32602
    );
    assert_eq!(
        code(&node.rpc_error("state_getStorage", json!(["not hex"]))),
        -32602
    );

    // An extrinsic that does not decode: 1001.
    let error = node.rpc_error("author_submitExtrinsic", json!(["0x0c0102"]));
    assert_eq!(code(&error), 1001, "{error}");

    // A bad signature: 1010 with Substrate's text.
    let mut tx = sign(
        genesis,
        Alice,
        transfer(Bob, 5),
        0,
        folio_runtime::SPEC_VERSION,
    );
    // Inside the signature: 2-byte length prefix, version, 33-byte address, variant byte.
    tx[2 + 1 + 33 + 1 + 10] ^= 0xff;
    let error = node.rpc_error("author_submitExtrinsic", json!([hex_of(&tx)]));
    assert_eq!(code(&error), 1010, "{error}");
    assert!(error.to_string().contains("bad signature"), "{error}");

    // A stale nonce: 1010 outdated.
    let tx = sign(
        genesis,
        Alice,
        transfer(Bob, 5),
        0,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    node.wait_until("the first transfer", Duration::from_secs(20), |n| {
        account(n, Alice).0 == 1
    });
    let replay = sign(
        genesis,
        Alice,
        transfer(Bob, 6),
        0,
        folio_runtime::SPEC_VERSION,
    );
    let error = node.rpc_error("author_submitExtrinsic", json!([hex_of(&replay)]));
    assert_eq!(code(&error), 1010, "{error}");
    assert!(error.to_string().contains("outdated"), "{error}");

    // An oversized request (the limit is 1 MiB here).
    let huge = format!("0x{}", "00".repeat(1_200_000));
    let body =
        json!({"id": 1, "jsonrpc": "2.0", "method": "author_submitExtrinsic", "params": [huge]})
            .to_string();
    let answer = http_post(node.port, &body).unwrap_or_default();
    assert!(
        !answer.contains("\"result\""),
        "oversized request refused: {answer}"
    );

    // An unknown method.
    assert_eq!(
        code(&node.rpc_error("folio_doesNotExist", json!([]))),
        -32601
    );

    // Too many subscriptions on one connection.
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket");
    let mut refused = None;
    for id in 0..6 {
        socket
            .send(Message::text(json!({"id": id, "jsonrpc": "2.0", "method": "chain_subscribeNewHeads", "params": []}).to_string()))
            .unwrap();
        loop {
            let Message::Text(text) = socket.read().unwrap() else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if answer.get("id") == Some(&json!(id)) {
                if let Some(error) = answer.get("error") {
                    refused = Some(error.clone());
                }
                break;
            }
        }
    }
    assert!(refused.is_some(), "the fifth subscription is refused");

    // Still serving, and still building blocks.
    assert_eq!(
        node.rpc("system_health", json!([]))["isSyncing"],
        json!(false)
    );
    let tx = sign(
        genesis,
        Alice,
        transfer(Bob, 5),
        1,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    node.wait_until(
        "a block after the bad input",
        Duration::from_secs(20),
        |n| account(n, Alice).0 == 2,
    );
}
