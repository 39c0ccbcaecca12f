//! A disk that fills up (issue 15, item 8): the node's base path is a small tmpfs, filled with
//! large remarks. Once a block cannot be written the node must not linger as a zombie that
//! answers RPC but never seals: it logs why and exits with a non-zero status, for a supervisor
//! to restart it. Restarted on the same base path once there is space, it opens at the last
//! block it wrote, seals again, and every block re-executes on its parent.
//!
//! The tmpfs is mounted in a private mount namespace (`unshare -rm`, no privileges needed where
//! user namespaces are allowed). Where they are not, the same shortage is made with a file-size
//! limit (`prlimit --fsize`, SIGXFSZ ignored), which fails the write the same way.

mod common;

use common::*;
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie};
use folio_runtime::RuntimeCall;
use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Room for genesis and a few blocks of remarks.
const SMALL_DISK_BYTES: u64 = 24 * 1024 * 1024;
const REMARK_BYTES: usize = 512 * 1024;

/// The two runs of the node, one after the other in one shell: the first on the small disk,
/// its exit status written to `status`, the second after the disk has grown.
fn script(dir: &Path, first_port: u16, second_port: u16, tmpfs: bool) -> String {
    let node = node_binary().display().to_string();
    let dir = dir.display().to_string();
    let (prepare, limit, grow) = if tmpfs {
        (
            format!("mount -t tmpfs -o size={SMALL_DISK_BYTES} tmpfs '{dir}' || exit 97"),
            String::new(),
            format!("mount -o remount,size=512m '{dir}'"),
        )
    } else {
        (
            "trap '' XFSZ".to_string(),
            format!("prlimit --fsize={SMALL_DISK_BYTES}:{SMALL_DISK_BYTES}"),
            "trap - XFSZ".to_string(),
        )
    };
    format!(
        "{prepare}\n\
         {limit} '{node}' --dev --base-path '{dir}' --rpc-port {first_port} 2>'{dir}.first.log'\n\
         echo $? > '{dir}.status'\n\
         {grow}\n\
         exec '{node}' --dev --base-path '{dir}' --rpc-port {second_port} 2>'{dir}.second.log'\n"
    )
}

/// Kills the shell and whichever node run it started (one process group) when the test ends,
/// also when it fails before the second run is wrapped in a [`NodeProcess`].
struct KillGroupOnDrop(u32);

impl Drop for KillGroupOnDrop {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0)])
            .status();
    }
}

fn user_namespaces_work() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn rpc(port: u16, method: &str, params: Value) -> Option<Value> {
    let body = json!({"id": 1, "jsonrpc": "2.0", "method": method, "params": params});
    http_rpc(port, &body.to_string()).ok()
}

fn best_number(port: u16) -> Option<u32> {
    let header = rpc(port, "chain_getHeader", json!([]))?;
    let number = header["result"]["number"].as_str()?;
    u32::from_str_radix(number.trim_start_matches("0x"), 16).ok()
}

fn wait_for_rpc(port: u16, limit: Duration) {
    let started = Instant::now();
    while best_number(port).is_none() {
        assert!(
            started.elapsed() < limit,
            "the node on port {port} never answered"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn remark(len: usize, seed: u32) -> RuntimeCall {
    let remark = (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) as u8)
        .collect();
    RuntimeCall::System(folio_pallet_system::Call::remark { remark })
}

#[test]
fn a_full_disk_stops_the_node_with_an_error_and_loses_nothing() {
    let base = TempDir::new("full-disk");
    let dir = base.path().join("base");
    std::fs::create_dir_all(&dir).expect("base dir");
    let (first_port, second_port) = (free_port(), free_port());
    let tmpfs = user_namespaces_work();
    let shell = script(&dir, first_port, second_port, tmpfs);
    let mut command = if tmpfs {
        let mut unshare = Command::new("unshare");
        unshare.args(["-rm", "sh", "-c", &shell]);
        unshare
    } else {
        let mut sh = Command::new("sh");
        sh.args(["-c", &shell]);
        sh
    };
    let runs = command
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the node's shell starts");
    let _group = KillGroupOnDrop(runs.id());
    let status_file = dir.with_extension("status");
    let first_log = dir.with_extension("first.log");

    wait_for_rpc(first_port, Duration::from_secs(60));
    let genesis =
        parse_hash(&rpc(first_port, "chain_getBlockHash", json!([0])).expect("hash")["result"]);
    let spec = rpc(first_port, "state_getRuntimeVersion", json!([])).expect("version")["result"]
        ["specVersion"]
        .as_u64()
        .expect("spec version") as u32;

    // Fill the disk; remember the best block the node reported before it stopped.
    let started = Instant::now();
    let mut last_best = 0;
    let mut nonce = 0;
    while !status_file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the node never stopped on a full disk; log:\n{}",
            std::fs::read_to_string(&first_log).unwrap_or_default()
        );
        let xt = sign(genesis, Alice, remark(REMARK_BYTES, nonce), nonce, spec);
        if rpc(first_port, "author_submitExtrinsic", json!([hex_of(&xt)]))
            .is_some_and(|a| a.get("result").is_some())
        {
            nonce += 1;
        }
        if let Some(best) = best_number(first_port) {
            last_best = last_best.max(best);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let status = std::fs::read_to_string(&status_file).expect("exit status");
    let log = std::fs::read_to_string(&first_log).unwrap_or_default();
    assert_ne!(
        status.trim(),
        "0",
        "the node must exit with an error; log:\n{log}"
    );
    assert!(
        log.contains("the database can no longer be written"),
        "the node must say why it stopped; log:\n{log}"
    );
    assert!(
        last_best >= 1,
        "some blocks were written before the disk filled up"
    );

    // Restarted with space: it opens at the last block it wrote and seals again.
    wait_for_rpc(second_port, Duration::from_secs(60));
    let node = NodeProcess {
        child: runs,
        port: second_port,
        log: dir.with_extension("second.log"),
    };
    let reopened = node.best_number();
    assert!(
        reopened >= last_best,
        "the restarted node is at #{reopened}, but #{last_best} had been reported before the failure"
    );
    let (bob_nonce, _) = account(&node, Bob);
    let xt = sign(genesis, Bob, transfer(Charlie, 1_000), bob_nonce, spec);
    node.rpc("author_submitExtrinsic", json!([hex_of(&xt)]));
    node.wait_until(
        "Bob's transfer is included",
        Duration::from_secs(60),
        |node| account(node, Bob).0 == bob_nonce + 1,
    );
    assert_every_block_reexecutes(&node);
}
