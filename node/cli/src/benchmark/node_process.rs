//! A node started as a child process of the benchmark (this binary, with a genesis of
//! pre-funded accounts) and a blocking JSON-RPC client for it over WebSocket.

use super::load::Load;
use anyhow::Context;
use folio_chain::ChainType;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// A JSON-RPC connection over WebSocket that matches answers to requests by id.
pub(super) struct Rpc {
    socket: Socket,
    next_id: u64,
}

impl Rpc {
    pub(super) fn connect(url: &str) -> anyhow::Result<Self> {
        let (socket, _) =
            tungstenite::connect(url).with_context(|| format!("connecting to {url}"))?;
        Ok(Self { socket, next_id: 1 })
    }

    pub(super) fn send(&mut self, method: &str, params: Value) -> anyhow::Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.socket.send(Message::text(request.to_string()))?;
        Ok(id)
    }

    /// The next JSON message (an answer or a notification).
    pub(super) fn next_message(&mut self) -> anyhow::Result<Value> {
        loop {
            match self.socket.read()? {
                Message::Text(text) => return Ok(serde_json::from_str(text.as_str())?),
                Message::Close(_) => anyhow::bail!("the node closed the connection"),
                _ => {}
            }
        }
    }

    /// Sends a request and returns its whole answer, an error answer included.
    pub(super) fn answer(&mut self, method: &str, params: Value) -> anyhow::Result<Value> {
        let id = self.send(method, params)?;
        loop {
            let message = self.next_message()?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                return Ok(message);
            }
        }
    }

    /// Makes `next_message` fail after `timeout` without a message.
    pub(super) fn set_read_timeout(&mut self, timeout: Duration) -> anyhow::Result<()> {
        if let MaybeTlsStream::Plain(stream) = self.socket.get_ref() {
            stream.set_read_timeout(Some(timeout))?;
        }
        Ok(())
    }

    pub(super) fn call(&mut self, method: &str, params: Value) -> anyhow::Result<Value> {
        let id = self.send(method, params)?;
        loop {
            let message = self.next_message()?;
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = message.get("error") {
                    anyhow::bail!("{method} failed: {error}");
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }
}

/// The node under test, killed when dropped.
pub(super) struct NodeUnderTest {
    pub(super) child: Child,
    pub(super) url: String,
    _dir: TempDir,
}

impl Drop for NodeUnderTest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A directory removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Starts this binary as a node on `load`'s genesis with temporary storage, sealing as
/// `sealing` says and serving `rpc_methods` (`safe` or `unsafe`) on a free port, with
/// `extra` flags.
pub(super) fn start_node(
    load: &Load,
    sealing: &str,
    rpc_methods: &str,
    extra: &[&str],
) -> anyhow::Result<NodeUnderTest> {
    let dir = TempDir(std::env::temp_dir().join(format!(
        "folio-benchmark-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    )));
    std::fs::create_dir_all(&dir.0)?;
    let spec = crate::specs::spec_with_patch(
        "Folio benchmark",
        "folio_benchmark",
        ChainType::Development,
        serde_json::to_value(&load.config)?,
    )?;
    let spec_path = dir.0.join("spec.json");
    std::fs::write(&spec_path, spec.to_json()?)?;
    let port = free_port()?;
    let child = Command::new(std::env::current_exe()?)
        .arg("--chain")
        .arg(&spec_path)
        .args([
            "--tmp",
            "--sealing",
            sealing,
            "--rpc-methods",
            rpc_methods,
            "--log",
            "warn",
        ])
        .args(["--rpc-port", &port.to_string()])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the node")?;
    let node = NodeUnderTest {
        child,
        url: format!("ws://127.0.0.1:{port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(mut rpc) = Rpc::connect(&node.url) {
            let genesis = rpc.call("chain_getBlockHash", json!([0]))?;
            anyhow::ensure!(
                genesis.as_str() == Some(format!("{:?}", load.genesis_hash).as_str()),
                "the node's genesis {genesis} is not the load's {:?}",
                load.genesis_hash
            );
            // Wait until the node has compiled its runtime, which it does once at start.
            rpc.call("state_getRuntimeVersion", json!([]))?;
            return Ok(node);
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the node did not answer within 120 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// When each block was announced, by number.
pub(super) type Announcements = Arc<Mutex<HashMap<u64, Instant>>>;

/// Records when each new head is announced, until the connection closes.
pub(super) fn watch_heads(url: &str) -> anyhow::Result<Announcements> {
    let mut rpc = Rpc::connect(url)?;
    rpc.call("chain_subscribeNewHeads", json!([]))?;
    let seen: Announcements = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::Builder::new()
        .name("benchmark-heads".into())
        .spawn(move || {
            while let Ok(message) = rpc.next_message() {
                let now = Instant::now();
                let number = message
                    .pointer("/params/result/number")
                    .and_then(Value::as_str)
                    .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok());
                if let Some(number) = number {
                    if let Ok(mut seen) = record.lock() {
                        seen.entry(number).or_insert(now);
                    }
                }
            }
        })?;
    Ok(seen)
}
