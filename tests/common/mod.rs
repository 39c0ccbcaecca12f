//! Helpers for end-to-end tests: start the real `folio-node` binary on a free port, talk to it
//! over JSON-RPC (HTTP and WebSocket) as a client would, and sign transactions.

#![allow(dead_code)]

pub mod grandpa;

use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring;
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use parity_scale_codec::Encode;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The node binary cargo built for these tests.
pub fn node_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_folio-node"))
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `folio-node`, killed on drop.
pub struct NodeProcess {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl NodeProcess {
    /// Starts `folio-node --dev` with `extra` arguments on a free port and waits until RPC
    /// answers.
    pub fn dev(extra: &[&str]) -> Self {
        Self::start(&[&["--dev"], extra].concat())
    }

    pub fn start(args: &[&str]) -> Self {
        Self::start_on(free_port(), args)
    }

    /// Starts `folio-node` with `args` and its RPC on `port` (tests that run several nodes,
    /// and restart them on the same ports, pick ports from their own range below 32768: Linux
    /// gives outgoing connections local ports from 32768 up, so none can hold a fixed one,
    /// while [`free_port`]'s answers all lie above).
    pub fn start_on(port: u16, args: &[&str]) -> Self {
        let log = std::env::temp_dir().join(format!("folio-node-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let child = Command::new(node_binary())
            .args(args)
            .args(["--rpc-port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("folio-node starts");
        let node = Self { child, port, log };
        node.wait_ready(Duration::from_secs(60));
        node
    }

    fn wait_ready(&self, limit: Duration) {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.try_rpc("system_health", json!([])).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "folio-node did not answer within {limit:?}; log:\n{}",
            self.log_text()
        );
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// One JSON-RPC call over HTTP: the whole response object.
    pub fn try_rpc(&self, method: &str, params: Value) -> std::io::Result<Value> {
        http_rpc(
            self.port,
            &json!({"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).to_string(),
        )
    }

    /// The `result` of a call; panics with the error otherwise.
    pub fn rpc(&self, method: &str, params: Value) -> Value {
        let response = self.try_rpc(method, params).expect("node answers");
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    /// The `error` of a call; panics if it succeeded.
    pub fn rpc_error(&self, method: &str, params: Value) -> Value {
        let response = self.try_rpc(method, params).expect("node answers");
        response
            .get("error")
            .cloned()
            .unwrap_or_else(|| panic!("{method} unexpectedly succeeded: {response}"))
    }

    pub fn best_number(&self) -> u32 {
        number_of(&self.rpc("chain_getHeader", json!([])))
    }

    pub fn genesis_hash(&self) -> H256 {
        parse_hash(&self.rpc("chain_getBlockHash", json!([0])))
    }

    /// Waits until `check` holds, polling.
    pub fn wait_until(&self, what: &str, limit: Duration, mut check: impl FnMut(&Self) -> bool) {
        let started = Instant::now();
        while started.elapsed() < limit {
            if check(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; log:\n{}", self.log_text());
    }

    /// Whether the process is still running.
    pub fn child_is_running(&self) -> bool {
        Command::new("kill")
            .arg("-0")
            .arg(self.child.id().to_string())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Stops the node with SIGKILL (no clean shutdown).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the node with SIGTERM and waits for it to exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        self.child.wait().expect("node exits")
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends raw JSON to the node over HTTP/1.1 and parses the JSON answer.
pub fn http_rpc(port: u16, body: &str) -> std::io::Result<Value> {
    let text = http_post(port, body)?;
    serde_json::from_str(&text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Sends `body` as an HTTP POST; returns the response body.
pub fn http_post(port: u16, body: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (_, body) = response.split_once("\r\n\r\n").unwrap_or(("", ""));
    Ok(body.to_string())
}

pub fn parse_hash(value: &Value) -> H256 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a hash: {value}"))
}

pub fn hex_of(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// `Balances.transfer_keep_alive(to, value)`.
pub fn transfer(to: Keyring, value: u128) -> RuntimeCall {
    RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(to.account_id()),
        value,
    })
}

/// A signed, immortal transaction for the chain with `genesis`.
pub fn sign(
    genesis: H256,
    who: Keyring,
    call: RuntimeCall,
    nonce: u32,
    spec_version: u32,
) -> Vec<u8> {
    folio_runtime::signing::sign_immortal(&who.pair(), call, nonce, genesis, spec_version).encode()
}

/// `System.Account` storage key of `who`.
pub fn account_key(who: Keyring) -> String {
    let mut key = folio_primitives::crypto::native::twox_128(b"System").to_vec();
    key.extend(folio_primitives::crypto::native::twox_128(b"Account"));
    let id = who.account_id().0;
    key.extend(folio_primitives::crypto::native::blake2_128(&id));
    key.extend(id);
    hex_of(&key)
}

/// `(nonce, free)` of `who` read over RPC.
pub fn account(node: &NodeProcess, who: Keyring) -> (u32, u128) {
    let value = node.rpc("state_getStorage", json!([account_key(who)]));
    let Some(hex) = value.as_str() else {
        return (0, 0);
    };
    let bytes = hex::decode(hex.trim_start_matches("0x")).expect("hex");
    let nonce = u32::from_le_bytes(bytes[0..4].try_into().unwrap());
    let free = u128::from_le_bytes(bytes[16..32].try_into().unwrap());
    (nonce, free)
}

/// A header's number (JSON `"number": "0x…"`), 0 if absent.
pub fn number_of(header: &Value) -> u32 {
    header
        .get("number")
        .and_then(Value::as_str)
        .and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0)
}

/// A node's first listen address (with its PeerId), for `--bootnodes`.
pub fn address(node: &NodeProcess) -> String {
    node.rpc("system_localListenAddresses", json!([]))[0]
        .as_str()
        .expect("a listen address")
        .to_string()
}

/// A temporary directory for `--base-path`, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "folio-test-{name}-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The block at `number` as `chain_getBlock` gives it, decoded.
pub fn block_at(
    node: &NodeProcess,
    number: u32,
) -> folio_primitives::header::Block<folio_primitives::extrinsic::OpaqueExtrinsic> {
    use folio_primitives::header::{Block, Digest, DigestItem, Header};
    use parity_scale_codec::Decode;
    let hash = node.rpc("chain_getBlockHash", json!([number]));
    let block = node.rpc("chain_getBlock", json!([hash]))["block"].clone();
    let bytes = |value: &Value| {
        hex::decode(value.as_str().expect("hex").trim_start_matches("0x")).expect("hex")
    };
    let header = &block["header"];
    let logs = header["digest"]["logs"]
        .as_array()
        .expect("logs")
        .iter()
        .map(|log| DigestItem::decode(&mut &bytes(log)[..]).expect("digest item"))
        .collect();
    let number = u32::from_str_radix(
        header["number"]
            .as_str()
            .expect("number")
            .trim_start_matches("0x"),
        16,
    )
    .expect("number");
    Block {
        header: Header {
            parent_hash: parse_hash(&header["parentHash"]),
            number,
            state_root: parse_hash(&header["stateRoot"]),
            extrinsics_root: parse_hash(&header["extrinsicsRoot"]),
            digest: Digest { logs },
        },
        extrinsics: block["extrinsics"]
            .as_array()
            .expect("extrinsics")
            .iter()
            .map(|xt| {
                folio_primitives::extrinsic::OpaqueExtrinsic::from_bytes(&bytes(xt))
                    .expect("extrinsic")
            })
            .collect(),
    }
}

/// Every block the node has re-executes on its parent (`Core_execute_block` through
/// `state_call` at the parent): the node never sealed an invalid block.
pub fn assert_every_block_reexecutes(node: &NodeProcess) {
    for number in 1..=node.best_number() {
        let block = block_at(node, number);
        let answer = node
            .try_rpc(
                "state_call",
                json!([
                    "Core_execute_block",
                    hex_of(&block.encode()),
                    block.header.parent_hash.to_hex()
                ]),
            )
            .expect("node answers");
        assert!(
            answer.get("result").is_some(),
            "block #{number} does not re-execute on its parent: {answer}"
        );
    }
}

/// A tiny runtime whose `Core_version` never returns (and which has no other entry point).
pub fn looping_runtime() -> Vec<u8> {
    wat::parse_str(
        r#"(module
          (memory (export "memory") 2)
          (func (export "folio_alloc") (param i32) (result i32) (i32.const 1024))
          (func (export "Core_version") (param i32 i32) (result i64)
            (loop $forever (br $forever))
            (i64.const 0)))"#,
    )
    .expect("valid wat")
}

/// `chain_getBlockHash(number)` as the node answers it.
pub fn hash_at(node: &NodeProcess, number: u32) -> Value {
    node.rpc("chain_getBlockHash", json!([number]))
}

/// The node's peak resident set (`VmHWM`) in MiB; 0 when it cannot be read.
pub fn peak_rss_mib(node: &NodeProcess) -> f64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", node.child.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}
