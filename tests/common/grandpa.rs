//! Helpers for tests on `--chain local` GRANDPA validators (//Alice … //Dave, 2 s slots):
//! start one on given ports, read its finalized head, compare finality across nodes.

pub use super::{address, number_of};
use super::{NodeProcess, TempDir};
use serde_json::json;
use std::collections::BTreeMap;

/// The validators of `--chain local`, in authority order.
pub const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// The comma-separated boot node list of `nodes`.
pub fn boot_list<'a>(nodes: impl IntoIterator<Item = &'a NodeProcess>) -> String {
    nodes.into_iter().map(address).collect::<Vec<_>>().join(",")
}

/// Starts a `--chain local` node on `p2p_port`/`rpc_port`: validator `name` (`--alice` …)
/// when given, else a keyless follower; `extra` flags appended.
pub fn start_local(
    name: Option<&str>,
    base: &TempDir,
    p2p_port: u16,
    rpc_port: u16,
    boot: Option<&str>,
    extra: &[&str],
) -> NodeProcess {
    let port = p2p_port.to_string();
    let base = base.arg();
    let flag = name.map(|n| format!("--{n}"));
    let mut args = vec![
        "--chain",
        "local",
        "--base-path",
        base.as_str(),
        "--port",
        port.as_str(),
        "--log",
        "info,folio::grandpa=debug,folio::finality=debug",
    ];
    if let Some(flag) = &flag {
        args.push(flag.as_str());
    }
    if let Some(boot) = boot {
        args.extend(["--bootnodes", boot]);
    }
    args.extend(extra);
    NodeProcess::start_on(rpc_port, &args)
}

pub fn finalized_number(node: &NodeProcess) -> u32 {
    let hash = node.rpc("chain_getFinalizedHead", json!([]));
    number_of(&node.rpc("chain_getHeader", json!([hash])))
}

/// The hash of every finalized block 1..=finalized on `node`, by number.
pub fn finalized_hashes(node: &NodeProcess) -> BTreeMap<u32, String> {
    (1..=finalized_number(node))
        .map(|number| {
            let hash = node.rpc("chain_getBlockHash", json!([number]));
            (number, hash.as_str().unwrap_or_default().to_string())
        })
        .collect()
}

/// Panics if two nodes finalized different blocks at the same height.
pub fn assert_no_conflicting_finality(nodes: &[&NodeProcess]) {
    let mut seen: BTreeMap<u32, (usize, String)> = BTreeMap::new();
    for (index, node) in nodes.iter().enumerate() {
        for (number, hash) in finalized_hashes(node) {
            match seen.get(&number) {
                Some((first, other)) => assert_eq!(
                    other, &hash,
                    "nodes {first} and {index} finalized different blocks at #{number}"
                ),
                None => {
                    seen.insert(number, (index, hash));
                }
            }
        }
    }
}

/// One scrape of a Prometheus endpoint: the body.
pub fn metrics(port: u16) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("metrics port");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("answer");
    text
}
