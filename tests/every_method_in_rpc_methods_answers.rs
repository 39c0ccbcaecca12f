//! Every method `folio-node --dev` lists in `rpc_methods` answers without an error when called
//! as a client would (polkadot-js deletes unlisted methods and subxt picks its backend from the
//! list, so the list must hold exactly the methods that work). Subscriptions are opened over
//! WebSocket and closed with their unsubscribe method, which answers `true`. A method added to
//! the list without a case here fails this test, so the list and its check stay in step.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use tungstenite::Message;

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// The next JSON message for which `wanted` holds (others are skipped).
fn ws_next(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let text = match socket.read().expect("socket open") {
            Message::Text(text) => text,
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        };
        let value: Value = serde_json::from_str(&text).expect("json");
        if wanted(&value) {
            return value;
        }
    }
}

/// Sends one request over `socket` and returns its response (notifications are skipped).
fn ws_call(socket: &mut Socket, id: u64, method: &str, params: Value) -> Value {
    socket
        .send(Message::text(
            json!({"id": id, "jsonrpc": "2.0", "method": method, "params": params}).to_string(),
        ))
        .expect("send");
    ws_next(socket, |value| value["id"] == json!(id))
}

/// Subscribes with `subscribe` and closes the subscription with `unsubscribe`.
fn subscribe_then_unsubscribe(
    socket: &mut Socket,
    id: &mut u64,
    subscribe: &str,
    params: Value,
    unsubscribe: &str,
) {
    *id += 1;
    let response = ws_call(socket, *id, subscribe, params);
    let subscription = response
        .get("result")
        .filter(|s| s.is_string() || s.is_number())
        .unwrap_or_else(|| panic!("{subscribe} returns a subscription id: {response}"))
        .clone();
    // Every subscription here starts with a notification (the current head, version or
    // value, or `ready`); waiting for it also means the server has registered the
    // subscription, so the unsubscribe below cannot overtake it.
    let first = ws_next(socket, |value| {
        value["params"]["subscription"] == subscription
    });
    assert!(
        !first["params"]["result"].is_null(),
        "{subscribe} notifies a value: {first}"
    );
    *id += 1;
    let response = ws_call(socket, *id, unsubscribe, json!([subscription]));
    assert_eq!(
        response.get("result"),
        Some(&json!(true)),
        "{unsubscribe} answers true: {response}"
    );
}

#[test]
fn every_method_in_rpc_methods_answers() {
    let node = NodeProcess::dev(&[]);
    let genesis = node.genesis_hash();
    let listed: BTreeSet<String> = node.rpc("rpc_methods", json!([]))["methods"]
        .as_array()
        .expect("rpc_methods lists methods")
        .iter()
        .map(|m| m.as_str().expect("method names are strings").to_string())
        .collect();

    let alice_ss58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    let key = account_key(Alice);
    let system_prefix = "0x26aa394eea5630e07c48ae0c9558cef7";
    let best = node.rpc("chain_getBlockHash", json!([]));
    let tx0 = hex_of(&sign(
        genesis,
        Alice,
        transfer(Bob, 1_000_000_000),
        0,
        folio_runtime::SPEC_VERSION,
    ));
    let tx1 = hex_of(&sign(
        genesis,
        Alice,
        transfer(Bob, 1_000_000_000),
        1,
        folio_runtime::SPEC_VERSION,
    ));

    // One-shot methods over HTTP: (method, params). The transfer with nonce 0 is dry-run and
    // priced before `author_submitExtrinsic` sends it.
    let alice_aura = hex_of(&Alice.pair().public());
    // Session keys are the Aura key then the GRANDPA key (a key this node does not hold).
    let session_keys = format!("{alice_aura}{}", "00".repeat(32));
    let calls: Vec<(&str, Value)> = vec![
        ("rpc_methods", json!([])),
        ("system_name", json!([])),
        ("system_version", json!([])),
        ("system_chain", json!([])),
        ("system_chainType", json!([])),
        ("system_properties", json!([])),
        ("system_health", json!([])),
        ("system_localPeerId", json!([])),
        ("system_localListenAddresses", json!([])),
        ("system_nodeRoles", json!([])),
        ("system_peers", json!([])),
        ("system_syncState", json!([])),
        ("system_accountNextIndex", json!([alice_ss58])),
        ("account_nextIndex", json!([alice_ss58])),
        ("system_dryRun", json!([tx0])),
        ("system_dryRunAt", json!([tx0, best])),
        ("payment_queryInfo", json!([tx0])),
        ("payment_queryFeeDetails", json!([tx0])),
        ("chain_getBlockHash", json!([0])),
        ("chain_getHead", json!([])),
        ("chain_getHeader", json!([])),
        ("chain_getBlock", json!([])),
        ("chain_getFinalizedHead", json!([])),
        ("chain_getFinalisedHead", json!([])),
        ("chain_getRuntimeVersion", json!([])),
        ("state_getRuntimeVersion", json!([genesis.to_hex()])),
        ("state_getMetadata", json!([])),
        ("state_call", json!(["Core_version", "0x"])),
        ("state_callAt", json!(["Core_version", "0x", best])),
        ("state_getStorage", json!([key])),
        ("state_getStorageAt", json!([key, best])),
        ("state_getStorageHash", json!([key])),
        ("state_getStorageHashAt", json!([key, best])),
        ("state_getStorageSize", json!([key])),
        ("state_getStorageSizeAt", json!([key, best])),
        ("state_getKeysPaged", json!([system_prefix, 10])),
        (
            "state_getKeysPagedAt",
            json!([system_prefix, 10, null, best]),
        ),
        ("state_queryStorageAt", json!([[key]])),
        ("state_getReadProof", json!([[key]])),
        ("author_pendingExtrinsics", json!([])),
        ("author_insertKey", json!(["aura", "//Alice", alice_aura])),
        ("author_hasKey", json!([alice_aura, "aura"])),
        ("author_hasSessionKeys", json!([session_keys])),
        ("author_rotateKeys", json!([])),
        ("author_removeExtrinsic", json!([[]])),
        ("author_submitExtrinsic", json!([tx0])),
        ("engine_createBlock", json!([true, true])),
        ("engine_finalizeBlock", json!([best])),
    ];
    let mut checked = BTreeSet::new();
    for (method, params) in calls {
        let response = node.try_rpc(method, params.clone()).expect("node answers");
        let result = response
            .get("result")
            .unwrap_or_else(|| panic!("{method}{params} failed: {response}"));
        // Only the storage reads of a possibly absent key may be null, and `author_insertKey`
        // answers null as Substrate's does.
        if !matches!(
            method,
            "state_getStorageHash" | "state_getStorageHashAt" | "author_insertKey"
        ) {
            assert!(!result.is_null(), "{method}{params} answered null");
        }
        checked.insert(method.to_string());
    }
    // `--dev` runs no GRANDPA voter: like Substrate's, the method answers "not ready".
    let error = node.rpc_error("grandpa_roundState", json!([]));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("GRANDPA RPC endpoint not ready")),
        "{error}"
    );
    checked.insert("grandpa_roundState".to_string());
    // `--dev` finalizes without GRANDPA: no block has a justification to prove it with.
    assert_eq!(node.rpc("grandpa_proveFinality", json!([0])), Value::Null);
    checked.insert("grandpa_proveFinality".to_string());
    node.wait_until(
        "the submitted transfer is sealed",
        Duration::from_secs(10),
        |n| account(n, Alice).0 == 1,
    );

    // Subscriptions over WebSocket: (subscribe, params, unsubscribe).
    let subscriptions: Vec<(&str, Value, &str)> = vec![
        (
            "chain_subscribeNewHeads",
            json!([]),
            "chain_unsubscribeNewHeads",
        ),
        (
            "chain_subscribeNewHead",
            json!([]),
            "chain_unsubscribeNewHead",
        ),
        ("subscribe_newHead", json!([]), "unsubscribe_newHead"),
        (
            "chain_subscribeAllHeads",
            json!([]),
            "chain_unsubscribeAllHeads",
        ),
        (
            "chain_subscribeFinalizedHeads",
            json!([]),
            "chain_unsubscribeFinalizedHeads",
        ),
        (
            "chain_subscribeFinalisedHeads",
            json!([]),
            "chain_unsubscribeFinalisedHeads",
        ),
        (
            "state_subscribeRuntimeVersion",
            json!([]),
            "state_unsubscribeRuntimeVersion",
        ),
        (
            "chain_subscribeRuntimeVersion",
            json!([]),
            "chain_unsubscribeRuntimeVersion",
        ),
        (
            "state_subscribeStorage",
            json!([[key]]),
            "state_unsubscribeStorage",
        ),
        (
            "author_submitAndWatchExtrinsic",
            json!([tx1]),
            "author_unwatchExtrinsic",
        ),
    ];
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket connects");
    let mut id = 0;
    for (subscribe, params, unsubscribe) in subscriptions {
        subscribe_then_unsubscribe(&mut socket, &mut id, subscribe, params, unsubscribe);
        checked.insert(subscribe.to_string());
        checked.insert(unsubscribe.to_string());
    }

    // On `--dev` no block gets a GRANDPA justification, so this one never notifies: it
    // opens and closes.
    id += 1;
    let response = ws_call(
        &mut socket,
        id,
        "grandpa_subscribeJustifications",
        json!([]),
    );
    let subscription = response["result"].clone();
    assert!(subscription.is_string(), "{response}");
    // jsonrpsee 0.26 writes the subscription id to the socket before it registers the
    // subscription (its issue #1052), so an unsubscribe sent at once can overtake the
    // registration and answer `false`; with no first notification to wait for, the client
    // tries again, and the subscription must be closable within a second.
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    let response = loop {
        id += 1;
        let response = ws_call(
            &mut socket,
            id,
            "grandpa_unsubscribeJustifications",
            json!([subscription]),
        );
        if response.get("result") == Some(&json!(true)) || std::time::Instant::now() > deadline {
            break response;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(response.get("result"), Some(&json!(true)), "{response}");
    checked.insert("grandpa_subscribeJustifications".to_string());
    checked.insert("grandpa_unsubscribeJustifications".to_string());

    let unchecked: Vec<&String> = listed.difference(&checked).collect();
    assert!(
        unchecked.is_empty(),
        "listed in rpc_methods but not checked here (add a case): {unchecked:?}"
    );
    let unlisted: Vec<&String> = checked.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "checked here but not listed in rpc_methods (polkadot-js would delete them): {unlisted:?}"
    );
}
