//! `folio-node --dev` seals a signed transfer submitted over WebSocket: the watcher sees
//! ready → inBlock → finalized, and balances change by exactly the amount plus the fee.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::{json, Value};
use std::time::Duration;
use tungstenite::Message;

fn next_json(
    socket: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
) -> Value {
    loop {
        match socket.read().expect("socket open") {
            Message::Text(text) => return serde_json::from_str(&text).expect("json"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        }
    }
}

#[test]
fn dev_chain_seals_a_transfer_submitted_over_websocket() {
    let node = NodeProcess::dev(&[]);
    let genesis = node.genesis_hash();
    let (alice_nonce, alice_before) = account(&node, Alice);
    let (_, bob_before) = account(&node, Bob);
    assert_eq!(alice_nonce, 0);
    assert!(alice_before > 0, "Alice is endowed on --dev");

    let amount = 1_234_567_890u128;
    let tx = sign(
        genesis,
        Alice,
        transfer(Bob, amount),
        0,
        folio_runtime::SPEC_VERSION,
    );
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket connects");
    socket
        .send(Message::text(
            json!({"id": 7, "jsonrpc": "2.0", "method": "author_submitAndWatchExtrinsic", "params": [hex_of(&tx)]}).to_string(),
        ))
        .expect("send");
    let response = next_json(&mut socket);
    assert_eq!(
        response["id"], 7,
        "subscription answer comes first: {response}"
    );
    let subscription = response["result"].clone();
    assert!(
        subscription.is_string() || subscription.is_number(),
        "{response}"
    );

    let mut statuses = Vec::new();
    while statuses
        .last()
        .is_none_or(|s: &Value| s.get("finalized").is_none())
    {
        let note = next_json(&mut socket);
        assert_eq!(note["method"], "author_extrinsicUpdate", "{note}");
        assert_eq!(note["params"]["subscription"], subscription);
        statuses.push(note["params"]["result"].clone());
        assert!(statuses.len() <= 5, "too many statuses: {statuses:?}");
    }
    assert_eq!(statuses[0], json!("ready"));
    let in_block = statuses[1]["inBlock"]
        .as_str()
        .expect("inBlock with a hash")
        .to_string();
    assert_eq!(statuses[2]["finalized"].as_str(), Some(in_block.as_str()));

    // The block holds the exact bytes submitted; the fee is what Alice lost beyond the amount.
    let block = node.rpc("chain_getBlock", json!([in_block]));
    let extrinsics: Vec<&str> = block["block"]["extrinsics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(extrinsics.contains(&hex_of(&tx).as_str()));
    let (alice_nonce, alice_after) = account(&node, Alice);
    let (_, bob_after) = account(&node, Bob);
    assert_eq!(alice_nonce, 1);
    assert_eq!(bob_after, bob_before + amount);
    let fee = alice_before - alice_after - amount;
    let info = node.rpc(
        "state_call",
        json!([
            "TransactionPaymentApi_query_info",
            hex_of(&[tx.clone(), (tx.len() as u32).to_le_bytes().to_vec()].concat())
        ]),
    );
    let info = hex::decode(info.as_str().unwrap().trim_start_matches("0x")).unwrap();
    let predicted =
        <folio_primitives::weight::RuntimeDispatchInfo as parity_scale_codec::Decode>::decode(
            &mut &info[..],
        )
        .unwrap();
    assert!(
        fee > 0 && fee <= predicted.partial_fee,
        "fee {fee} vs predicted {}",
        predicted.partial_fee
    );
    node.wait_until("best block", Duration::from_secs(5), |n| {
        n.best_number() >= 1
    });
    assert!(
        node.log_text().contains("Imported #1"),
        "one log line per block"
    );
}
