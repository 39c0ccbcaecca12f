//! The new JSON-RPC spec's `chainHead_v1_*` on the real `folio-node --dev`: a follow
//! subscription sees a transfer's block as `newBlock`, `bestBlockChanged` and `finalized`; the
//! block's body holds the transfer; storage and runtime calls answer on the pinned block (the
//! same bytes as the legacy methods); unpinning ends access to it.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use parity_scale_codec::Decode;
use serde_json::{json, Value};
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};
use tungstenite::Message;

const LIMIT: Duration = Duration::from_secs(60);

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// A WebSocket client that keeps notifications read while waiting for an answer.
struct Client {
    socket: Socket,
    next_id: u64,
    notifications: VecDeque<Value>,
}

impl Client {
    fn read(&mut self) -> Value {
        loop {
            match self.socket.read().expect("socket open") {
                Message::Text(text) => return serde_json::from_str(&text).expect("json"),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected message {other:?}"),
            }
        }
    }

    /// The whole response (`result` or `error`) to one call.
    fn call_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.socket
            .send(Message::text(request.to_string()))
            .expect("send");
        loop {
            let message = self.read();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push_back(message);
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.call_raw(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next `chainHead_v1_followEvent` result of `sub`.
    fn event(&mut self, sub: &Value) -> Value {
        loop {
            let message = match self.notifications.pop_front() {
                Some(message) => message,
                None => self.read(),
            };
            if message["method"] == "chainHead_v1_followEvent"
                && &message["params"]["subscription"] == sub
            {
                return message["params"]["result"].clone();
            }
        }
    }

    /// Starts an operation and waits for its last event. The subscription's other events
    /// that arrive meanwhile (a block's `bestBlockChanged`, `finalized`) are kept, in order,
    /// for [`Self::event`].
    fn operation(&mut self, sub: &Value, method: &str, params: Value) -> Vec<Value> {
        let started = self.call(method, params);
        assert_eq!(started["result"], "started", "{method}: {started}");
        let id = started["operationId"].clone();
        let mut events = Vec::new();
        let mut others = VecDeque::new();
        let deadline = Instant::now() + LIMIT;
        loop {
            assert!(
                Instant::now() < deadline,
                "{method} never finished: {events:?}"
            );
            let message = match self.notifications.pop_front() {
                Some(message) => message,
                None => self.read(),
            };
            let event = &message["params"]["result"];
            let ours = message["method"] == "chainHead_v1_followEvent"
                && &message["params"]["subscription"] == sub
                && event["operationId"] == id;
            if !ours {
                others.push_back(message);
                continue;
            }
            let last = event["event"] != "operationStorageItems";
            events.push(event.clone());
            if last {
                others.append(&mut self.notifications);
                self.notifications = others;
                return events;
            }
        }
    }
}

fn bytes_of(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex string").trim_start_matches("0x")).expect("hex")
}

#[test]
fn chain_head_v1_follows_a_transfer_on_a_dev_chain() {
    let node = NodeProcess::dev(&[]);
    let (socket, _) = tungstenite::connect(node.url()).expect("websocket connects");
    // A missing event fails the test instead of hanging it.
    if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("read timeout");
    }
    let mut client = Client {
        socket,
        next_id: 1,
        notifications: VecDeque::new(),
    };
    let sub = client.call("chainHead_v1_follow", json!([true]));
    let initialized = client.event(&sub);
    assert_eq!(initialized["event"], "initialized", "{initialized}");
    let runtime = &initialized["finalizedBlockRuntime"];
    assert_eq!(runtime["type"], "valid", "{initialized}");
    assert_eq!(
        runtime["spec"]["specVersion"],
        folio_runtime::SPEC_VERSION,
        "{initialized}"
    );
    assert!(runtime["spec"]["apis"].is_object(), "{initialized}");

    let tx = sign(
        node.genesis_hash(),
        Alice,
        transfer(Bob, 1_000_000),
        0,
        folio_runtime::SPEC_VERSION,
    );
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));

    // Every new block's body is read until one holds the transfer; that block must then be
    // reported best and finalized.
    let mut best = HashSet::new();
    let mut finalized = HashSet::new();
    let mut included: Option<Value> = None;
    let deadline = Instant::now() + LIMIT;
    while included
        .as_ref()
        .is_none_or(|block| !best.contains(block) || !finalized.contains(block))
    {
        assert!(
            Instant::now() < deadline,
            "the transfer's block was not followed to finality"
        );
        let event = client.event(&sub);
        match event["event"].as_str() {
            Some("newBlock") => {
                let block = event["blockHash"].clone();
                if included.is_none() {
                    let done = client.operation(&sub, "chainHead_v1_body", json!([sub, block]));
                    let body = &done[0];
                    assert_eq!(body["event"], "operationBodyDone", "{body}");
                    let holds = body["value"]
                        .as_array()
                        .expect("extrinsics")
                        .contains(&json!(hex_of(&tx)));
                    if holds {
                        included = Some(block);
                    }
                }
            }
            Some("bestBlockChanged") => {
                best.insert(event["bestBlockHash"].clone());
            }
            Some("finalized") => {
                for hash in event["finalizedBlockHashes"].as_array().expect("list") {
                    finalized.insert(hash.clone());
                }
                assert!(event["prunedBlockHashes"].is_array(), "{event}");
            }
            Some("stop") => panic!("the follow subscription stopped"),
            _ => {}
        }
    }
    let block = included.expect("the block with the transfer");

    // The header is the SCALE encoding the legacy API describes.
    let header = bytes_of(&client.call("chainHead_v1_header", json!([sub, block])));
    let header = folio_primitives::header::Header::decode(&mut &header[..]).expect("a header");
    assert_eq!(hex_of(&header.hash().0), block.as_str().unwrap());

    // Alice's account: the value the legacy read gives, and its blake2-256.
    let key = account_key(Alice);
    let done = client.operation(
        &sub,
        "chainHead_v1_storage",
        json!([sub, block, [{"key": key, "type": "value"}, {"key": key, "type": "hash"}], null]),
    );
    let legacy = node.rpc("state_getStorage", json!([key, block]));
    assert_eq!(
        done.last().unwrap()["event"],
        "operationStorageDone",
        "{done:?}"
    );
    let items: Vec<&Value> = done
        .iter()
        .filter_map(|e| e["items"].as_array())
        .flatten()
        .collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0], &json!({"key": key, "value": legacy}));
    let hash = folio_primitives::crypto::native::blake2_256(&bytes_of(&legacy));
    assert_eq!(items[1], &json!({"key": key, "hash": hex_of(&hash)}));

    // A runtime call on the pinned block.
    let done = client.operation(
        &sub,
        "chainHead_v1_call",
        json!([sub, block, "Metadata_metadata_versions", "0x"]),
    );
    assert_eq!(done[0]["event"], "operationCallDone", "{done:?}");
    let versions = Vec::<u32>::decode(&mut &bytes_of(&done[0]["output"])[..]).expect("versions");
    assert!(versions.contains(&14), "{versions:?}");

    // Unpinned, the block is no longer reachable through the subscription.
    assert_eq!(
        client.call("chainHead_v1_unpin", json!([sub, [block]])),
        Value::Null
    );
    let response = client.call_raw("chainHead_v1_header", json!([sub, block]));
    assert_eq!(response["error"]["code"], -32801, "{response}");
    assert_eq!(
        client.call("chainHead_v1_unfollow", json!([sub])),
        Value::Null
    );
}
