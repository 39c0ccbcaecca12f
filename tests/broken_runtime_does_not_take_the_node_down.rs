//! A runtime that traps or loops forever fails the calls into it with an error; the node keeps
//! running and serving RPC.

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// A tiny runtime: `Core_version` traps, `Loop_forever` never returns, `Metadata_metadata`
/// returns nothing useful.
const BROKEN_RUNTIME: &str = r#"
(module
  (memory (export "memory") 2)
  (func (export "folio_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "Core_version") (param i32 i32) (result i64) unreachable)
  (func (export "Loop_forever") (param i32 i32) (result i64) (loop (br 0)) (i64.const 0))
  (func (export "Metadata_metadata") (param i32 i32) (result i64) unreachable))
"#;

fn raw_spec_with_code(code: &[u8]) -> serde_json::Value {
    json!({
        "name": "Broken",
        "id": "broken",
        "chainType": "Local",
        "properties": {},
        "genesis": {"raw": {"top": {"0x3a636f6465": hex_of(code)}, "childrenDefault": {}}}
    })
}

#[test]
fn broken_runtime_does_not_take_the_node_down() {
    let dir = TempDir::new("broken");
    let code = wat::parse_str(BROKEN_RUNTIME).expect("valid wat");
    let spec = dir.path().join("broken.json");
    std::fs::write(&spec, raw_spec_with_code(&code).to_string()).unwrap();
    let node = NodeProcess::start(&[
        "--chain",
        &spec.display().to_string(),
        "--tmp",
        "--sealing",
        "interval=200",
        "--execution-timeout-ms",
        "500",
    ]);

    // A trap is an error for that call.
    let error = node.rpc_error("state_getRuntimeVersion", json!([]));
    assert!(error["message"].is_string(), "{error}");
    let error = node.rpc_error("state_call", json!(["Core_version", "0x"]));
    assert!(
        error.to_string().to_lowercase().contains("trap")
            || error.to_string().contains("unreachable"),
        "{error}"
    );

    // An endless loop is stopped by the deadline.
    let started = Instant::now();
    let error = node.rpc_error("state_call", json!(["Loop_forever", "0x"]));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopped by the deadline"
    );
    assert!(error.to_string().to_lowercase().contains("time"), "{error}");

    // Sealing keeps failing (the runtime cannot build blocks), the node keeps serving.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(node.rpc("system_chain", json!([])), json!("Broken"));
    assert_eq!(node.best_number(), 0);
    assert!(node.child_is_running(), "the node process is alive");
}
