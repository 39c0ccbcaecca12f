//! Hostile input over RPC, against the real `folio-node --dev` (issue 15, items 2, 3, 7, 9):
//! overlong input is refused before it is decoded and never freezes the server; requests that
//! name many keys are capped and answers stop growing at the response limit, with the node's
//! peak memory measured; safe RPC refuses node-internal runtime entry points; one connection
//! cannot pipeline past its in-flight limit while authoring goes on; Prometheus caps its
//! connections and drops slow clients; silent WebSocket clients are dropped; a chain spec `id`
//! cannot name a path.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use tungstenite::Message;

fn code(error: &Value) -> i64 {
    error["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("no code in {error}"))
}

/// A kB figure from `/proc/<pid>/status` (`VmHWM` is the peak resident set).
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

/// Sends `body` over HTTP and times the answer.
fn timed_post(port: u16, body: &str) -> (Value, Duration) {
    let started = Instant::now();
    let answer = http_rpc(port, body).expect("node answers");
    (answer, started.elapsed())
}

fn request(method: &str, params: Value) -> String {
    json!({"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).to_string()
}

#[test]
fn overlong_input_is_refused_fast_and_never_freezes_the_server() {
    let node = NodeProcess::dev(&[]);
    let port = node.port;

    // Two 1 MB "addresses" (valid base58 characters, so a decoder would start on them), sent at
    // once: before the fix each held an async worker for minutes.
    let attackers: Vec<_> = (0..2)
        .map(|_| {
            std::thread::spawn(move || {
                let text = "1".repeat(1_000_000);
                timed_post(port, &request("system_accountNextIndex", json!([text])))
            })
        })
        .collect();
    // Meanwhile a small request still answers promptly.
    std::thread::sleep(Duration::from_millis(100));
    let (health, small) = timed_post(port, &request("system_health", json!([])));
    assert!(health.get("result").is_some(), "{health}");
    for attacker in attackers {
        let (answer, took) = attacker.join().expect("attacker thread");
        assert_eq!(code(&answer["error"]), -32602, "{answer}");
        eprintln!("1 MB accountNextIndex answered in {took:?}");
        assert!(took < Duration::from_secs(3), "answered in {took:?}");
    }
    eprintln!("system_health during the attack answered in {small:?}");
    assert!(small < Duration::from_secs(2), "health took {small:?}");

    // A 100 KB one as well, and a 10 MB hex argument to state_call: errors, quickly.
    let (answer, took) = timed_post(
        port,
        &request("system_accountNextIndex", json!(["1".repeat(100_000)])),
    );
    assert_eq!(code(&answer["error"]), -32602, "{answer}");
    assert!(took < Duration::from_secs(2), "100 KB took {took:?}");
    let big = format!("0x{}", "00".repeat(5_000_000));
    let (answer, took) = timed_post(port, &request("state_call", json!(["Core_version", big])));
    eprintln!("state_call with 5 MB of input answered in {took:?}");
    assert!(answer.get("result").is_some() || answer.get("error").is_some());
    assert!(
        took < Duration::from_secs(10),
        "5 MB state_call took {took:?}"
    );

    // A real address still works.
    let alice = folio_primitives::ss58::encode(&Alice.account_id().0, 42);
    assert_eq!(
        node.rpc("system_accountNextIndex", json!([alice])),
        json!(0)
    );
}

#[test]
fn many_keys_are_capped_and_answers_stop_at_the_response_limit() {
    let node = NodeProcess::dev(&[]);
    let pid = node.child.id();
    let code_key = "0x3a636f6465"; // `:code`, the runtime (megabytes)
    let before = status_kb(pid, "VmHWM:");

    // 300 copies of `:code`: about 1 GB of hex if built whole. Refused as too big, and the
    // node's peak memory hardly moves.
    let keys = vec![code_key; 300];
    let (answer, took) = timed_post(node.port, &request("state_queryStorageAt", json!([keys])));
    let after = status_kb(pid, "VmHWM:");
    eprintln!(
        "300 x :code: {} in {took:?}; peak RSS {} MB -> {} MB",
        answer["error"],
        before / 1024,
        after / 1024
    );
    assert_eq!(code(&answer["error"]), -32008, "{answer}");
    assert!(
        after.saturating_sub(before) < 200 * 1024,
        "peak RSS grew from {before} kB to {after} kB"
    );

    // 20,000 keys (a 300 KB request): refused before anything is read.
    let keys = vec![code_key; 20_000];
    let (answer, took) = timed_post(node.port, &request("state_queryStorageAt", json!([keys])));
    assert_eq!(code(&answer["error"]), -32602, "{answer}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let (answer, _) = timed_post(node.port, &request("state_getReadProof", json!([keys])));
    assert_eq!(code(&answer["error"]), -32602, "{answer}");
    let numbers: Vec<u32> = (0..5_000).collect();
    let (answer, _) = timed_post(node.port, &request("chain_getBlockHash", json!([numbers])));
    assert_eq!(code(&answer["error"]), -32602, "{answer}");

    // The storage subscription refuses too many keys as well.
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket");
    socket
        .send(Message::text(request(
            "state_subscribeStorage",
            json!([keys]),
        )))
        .expect("send");
    let answer = read_answer(&mut socket, 1);
    assert_eq!(code(&answer["error"]), -32602, "{answer}");
    let after_all = status_kb(pid, "VmHWM:");
    assert!(
        after_all.saturating_sub(before) < 200 * 1024,
        "peak RSS grew from {before} kB to {after_all} kB"
    );

    // Within the limits everything still answers.
    let small = node.rpc("state_queryStorageAt", json!([[account_key(Alice)]]));
    assert_eq!(small[0]["changes"].as_array().map(Vec::len), Some(1));
    let hashes = node.rpc("chain_getBlockHash", json!([[0, 1]]));
    assert_eq!(hashes.as_array().map(Vec::len), Some(2));
}

/// Reads WebSocket messages until the answer with `id`.
fn read_answer(
    socket: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    id: u64,
) -> Value {
    loop {
        let Message::Text(text) = socket.read().expect("answer") else {
            continue;
        };
        let answer: Value = serde_json::from_str(&text).expect("json");
        if answer.get("id") == Some(&json!(id)) {
            return answer;
        }
    }
}

#[test]
fn safe_rpc_refuses_node_internal_runtime_entry_points() {
    let node = NodeProcess::dev(&["--rpc-methods", "safe"]);
    for method in [
        "Core_execute_block",
        "BlockBuilder_apply_extrinsic",
        "BlockBuilder_finalize_block",
        "BlockBuilder_inherent_extrinsics",
        "FolioBlockBuilder_apply_extrinsics",
        "FolioTaggedTransactionQueue_validate_transactions",
        "FolioInvariants_check",
        "GenesisBuilder_build_state",
    ] {
        let error = node.rpc_error("state_call", json!([method, "0x00"]));
        assert_eq!(code(&error), -32601, "{method}: {error}");
        assert!(error.to_string().contains("node-internal"), "{error}");
    }
    // What clients use still works (or fails in the runtime, not by refusal).
    assert!(node
        .rpc("state_call", json!(["Core_version", "0x"]))
        .is_string());
    let answer = node
        .try_rpc(
            "state_call",
            json!(["BlockBuilder_check_inherents", "0x00"]),
        )
        .expect("answer");
    if let Some(error) = answer.get("error") {
        assert_ne!(code(error), -32601, "{answer}");
    }
}

#[test]
fn one_connection_cannot_pipeline_past_its_limit_and_authoring_goes_on() {
    let node = NodeProcess::dev(&[
        "--rpc-max-in-flight-per-connection",
        "8",
        "--rpc-max-concurrent-calls",
        "2",
    ]);
    let genesis = node.genesis_hash();
    let (mut socket, _) = tungstenite::connect(node.url()).expect("websocket");
    const CALLS: u64 = 300;
    for id in 0..CALLS {
        socket
            .send(Message::text(
                json!({"id": id, "jsonrpc": "2.0", "method": "state_call", "params": ["Metadata_metadata", "0x"]})
                    .to_string(),
            ))
            .expect("send");
    }
    // While that connection floods, an honest transfer is sealed promptly.
    let tx = sign(
        genesis,
        Alice,
        transfer(Bob, 5),
        0,
        folio_runtime::SPEC_VERSION,
    );
    let started = Instant::now();
    node.rpc("author_submitExtrinsic", json!([hex_of(&tx)]));
    node.wait_until(
        "the transfer during the flood",
        Duration::from_secs(20),
        |n| account(n, Alice).0 == 1,
    );
    eprintln!(
        "transfer included {:?} after submission during the flood",
        started.elapsed()
    );

    let (mut ok, mut busy) = (0, 0);
    let mut answered = 0;
    while answered < CALLS {
        let Message::Text(text) = socket.read().expect("answer") else {
            continue;
        };
        let answer: Value = serde_json::from_str(&text).expect("json");
        answered += 1;
        match answer.get("error") {
            None => ok += 1,
            Some(error) if code(error) == -32009 => busy += 1,
            Some(error) => panic!("unexpected error {error}"),
        }
    }
    eprintln!("{CALLS} pipelined state_calls: {ok} answered, {busy} refused as busy");
    assert!(busy > 0, "no request was refused past the in-flight limit");
    assert!(ok >= 8, "only {ok} answered");
}

#[test]
fn prometheus_caps_connections_and_drops_slow_clients() {
    let metrics_port = free_port();
    let node = NodeProcess::dev(&[
        "--prometheus-port",
        &metrics_port.to_string(),
        "--prometheus-max-connections",
        "2",
        "--prometheus-read-timeout-ms",
        "500",
    ]);
    let connect = || {
        let stream = TcpStream::connect(("127.0.0.1", metrics_port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        stream
    };
    // Two clients that never send a request hold both slots.
    let mut idle: Vec<TcpStream> = (0..2).map(|_| connect()).collect();
    std::thread::sleep(Duration::from_millis(100));
    // A third is closed at once, unanswered.
    let mut third = connect();
    let _ = third.write_all(b"GET /metrics HTTP/1.1\r\n\r\n");
    let mut answer = String::new();
    let _ = third.read_to_string(&mut answer);
    assert!(answer.is_empty(), "third connection answered: {answer}");
    // The slow ones are dropped after the read timeout.
    for stream in &mut idle {
        let started = Instant::now();
        let mut buffer = [0u8; 16];
        let read = stream.read(&mut buffer);
        assert!(
            matches!(read, Ok(0)) || read.is_err() && started.elapsed() < Duration::from_secs(4),
            "slow client kept: {read:?} after {:?}",
            started.elapsed()
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    // Then an ordinary scrape works.
    let mut scrape = connect();
    scrape
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut answer = String::new();
    scrape.read_to_string(&mut answer).expect("read");
    assert!(answer.contains("folio_block_height"), "{answer}");
    drop(node);
}

#[test]
fn silent_websocket_clients_are_dropped() {
    let node = NodeProcess::dev(&["--rpc-ws-ping-interval", "1", "--rpc-ws-idle-timeout", "2"]);
    let stream = TcpStream::connect(("127.0.0.1", node.port)).expect("connect");
    let (mut socket, _) = tungstenite::client(node.url(), stream).expect("websocket");
    // Never read (so never answer a ping) for a while.
    std::thread::sleep(Duration::from_secs(6));
    socket
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let started = Instant::now();
    let closed = loop {
        match socket.read() {
            Ok(Message::Close(_)) | Err(_) => break true,
            Ok(_) if started.elapsed() < Duration::from_secs(5) => continue,
            Ok(_) => break false,
        }
    };
    assert!(closed, "the silent connection was kept open");
    // An active client is served as usual.
    assert!(node.rpc("system_health", json!([])).is_object());
}

#[test]
fn a_chain_spec_whose_id_is_a_path_is_refused() {
    let dir = TempDir::new("spec-id");
    let spec = std::process::Command::new(node_binary())
        .args(["build-spec", "--dev"])
        .output()
        .expect("build-spec");
    assert!(spec.status.success());
    let mut json: Value = serde_json::from_slice(&spec.stdout).expect("spec json");
    json["id"] = json!("../../escaped");
    let spec_path = dir.path().join("spec.json");
    std::fs::write(&spec_path, json.to_string()).expect("write spec");
    let base = dir.path().join("base");

    let mut child = std::process::Command::new(node_binary())
        .args(["--chain", spec_path.to_str().unwrap_or_default()])
        .args(["--base-path", base.to_str().unwrap_or_default()])
        .args(["--rpc-port", &free_port().to_string()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the node ran with a path as its chain id");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    assert!(!status.success());
    assert!(stderr.contains("not a plain name"), "{stderr}");
    assert!(!dir.path().join("escaped").exists());

    let purge = std::process::Command::new(node_binary())
        .args([
            "purge-chain",
            "--chain",
            spec_path.to_str().unwrap_or_default(),
            "-y",
        ])
        .args(["--base-path", base.to_str().unwrap_or_default()])
        .output()
        .expect("purge-chain");
    assert!(!purge.status.success());
    assert!(String::from_utf8_lossy(&purge.stderr).contains("not a plain name"));
}
