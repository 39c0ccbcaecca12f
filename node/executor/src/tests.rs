//! Behaviour of the executor against hand-written WAT runtimes (the real runtime is built
//! elsewhere): host functions, failure containment, caching and version reading.

use crate::{Executor, ExecutorConfig, ExecutorError};
use folio_primitives::crypto::native;
use folio_primitives::externalities::{OverlayedExt, TestExternalities};
use folio_primitives::io;
use folio_primitives::io::HOST_FUNCTIONS;
use folio_primitives::keyring::Keyring;
use parity_scale_codec::Encode;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Every host function, imported with the signature `folio_primitives::io` declares.
const ALL_IMPORTS: &str = r#"
  (import "env" "ext_storage_get_v1" (func $ext_storage_get_v1 (param i32 i32 i32 i32) (result i64)))
  (import "env" "ext_storage_set_v1" (func $ext_storage_set_v1 (param i32 i32 i32 i32)))
  (import "env" "ext_storage_clear_v1" (func $ext_storage_clear_v1 (param i32 i32)))
  (import "env" "ext_storage_exists_v1" (func $ext_storage_exists_v1 (param i32 i32) (result i32)))
  (import "env" "ext_storage_clear_prefix_v1" (func $ext_storage_clear_prefix_v1 (param i32 i32 i64) (result i32)))
  (import "env" "ext_storage_append_v1" (func $ext_storage_append_v1 (param i32 i32 i32 i32)))
  (import "env" "ext_storage_next_key_v1" (func $ext_storage_next_key_v1 (param i32 i32 i32 i32) (result i64)))
  (import "env" "ext_storage_root_v1" (func $ext_storage_root_v1 (param i32)))
  (import "env" "ext_storage_start_transaction_v1" (func $ext_storage_start_transaction_v1))
  (import "env" "ext_storage_commit_transaction_v1" (func $ext_storage_commit_transaction_v1 (result i32)))
  (import "env" "ext_storage_rollback_transaction_v1" (func $ext_storage_rollback_transaction_v1 (result i32)))
  (import "env" "ext_hashing_blake2_128_v1" (func $ext_hashing_blake2_128_v1 (param i32 i32 i32)))
  (import "env" "ext_hashing_blake2_256_v1" (func $ext_hashing_blake2_256_v1 (param i32 i32 i32)))
  (import "env" "ext_hashing_twox_64_v1" (func $ext_hashing_twox_64_v1 (param i32 i32 i32)))
  (import "env" "ext_hashing_twox_128_v1" (func $ext_hashing_twox_128_v1 (param i32 i32 i32)))
  (import "env" "ext_trie_ordered_root_v1" (func $ext_trie_ordered_root_v1 (param i32 i32 i32)))
  (import "env" "ext_crypto_sr25519_verify_v1" (func $ext_crypto_sr25519_verify_v1 (param i32 i32 i32 i32) (result i32)))
  (import "env" "ext_crypto_ed25519_verify_v1" (func $ext_crypto_ed25519_verify_v1 (param i32 i32 i32 i32) (result i32)))
  (import "env" "ext_crypto_start_batch_verify_v1" (func $ext_crypto_start_batch_verify_v1))
  (import "env" "ext_crypto_finish_batch_verify_v1" (func $ext_crypto_finish_batch_verify_v1 (result i32)))
  (import "env" "ext_crypto_sr25519_generate_version_1" (func $ext_crypto_sr25519_generate_version_1 (param i32 i64) (result i32)))
  (import "env" "ext_crypto_ed25519_generate_version_1" (func $ext_crypto_ed25519_generate_version_1 (param i32 i64) (result i32)))
  (import "env" "ext_logging_log_v1" (func $ext_logging_log_v1 (param i32 i32 i32 i32 i32)))
  (import "env" "ext_misc_runtime_version_v1" (func $ext_misc_runtime_version_v1 (param i32 i32 i32 i32) (result i64)))
  (import "env" "ext_allocator_malloc_version_1" (func $ext_allocator_malloc_version_1 (param i32) (result i32)))
  (import "env" "ext_allocator_free_version_1" (func $ext_allocator_free_version_1 (param i32)))
"#;

/// Memory (2 pages), a bump allocator from 4096 and `$ret` packing `ptr | len << 32`.
const PRELUDE: &str = r#"
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 4096))
  (func $alloc (export "folio_alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (local.get $p))
  (func $ret (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.extend_i32_u (local.get $ptr))
            (i64.shl (i64.extend_i32_u (local.get $len)) (i64.const 32))))
"#;

/// The version bytes `Core_version` of the test runtime returns.
const VERSION: &[u8] = b"\x01\x02\x03folio";

/// A runtime exercising every host function; each export is one scenario.
const RUNTIME_BODY: &str = r#"
  (data (i32.const 0) "abc123")
  (data (i32.const 16) "key")
  (data (i32.const 32) "\01\02\03folio")
  (data (i32.const 48) "bills")
  (data (i32.const 64) "hello from wasm")
  (data (i32.const 96) "p1p2qv")
  (data (i32.const 104) "xyz\01\02")

  ;; storage_set("key", input); output = blake2_256(input) ++ storage_get("key")
  (func (export "store_and_hash") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32) (local $n i64)
    (call $ext_storage_set_v1 (i32.const 16) (i32.const 3) (local.get $ptr) (local.get $len))
    (local.set $out (call $alloc (i32.add (i32.const 32) (local.get $len))))
    (local.set $n (call $ext_storage_get_v1 (i32.const 16) (i32.const 3)
      (i32.add (local.get $out) (i32.const 32)) (local.get $len)))
    (call $ext_hashing_blake2_256_v1 (local.get $ptr) (local.get $len) (local.get $out))
    (call $ret (local.get $out) (i32.add (i32.const 32) (i32.wrap_i64 (local.get $n)))))

  ;; input = cap (u32 LE) ++ key; output = storage_get's return (i64 LE) ++ the cap-byte buffer
  (func (export "get_with_cap") (param $ptr i32) (param $len i32) (result i64)
    (local $cap i32) (local $out i32)
    (local.set $cap (i32.load (local.get $ptr)))
    (local.set $out (call $alloc (i32.add (i32.const 8) (local.get $cap))))
    (i64.store (local.get $out)
      (call $ext_storage_get_v1 (i32.add (local.get $ptr) (i32.const 4))
        (i32.sub (local.get $len) (i32.const 4))
        (i32.add (local.get $out) (i32.const 8)) (local.get $cap)))
    (call $ret (local.get $out) (i32.add (i32.const 8) (local.get $cap))))

  ;; a=1; start; b=2; start; clear a; commit; rollback; start; c=3; commit; rollback (none open)
  (func (export "transactions") (param i32 i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 12)))
    (call $ext_storage_set_v1 (i32.const 0) (i32.const 1) (i32.const 3) (i32.const 1))
    (call $ext_storage_start_transaction_v1)
    (call $ext_storage_set_v1 (i32.const 1) (i32.const 1) (i32.const 4) (i32.const 1))
    (call $ext_storage_start_transaction_v1)
    (call $ext_storage_clear_v1 (i32.const 0) (i32.const 1))
    (i32.store (local.get $out) (call $ext_storage_commit_transaction_v1))
    (i32.store offset=4 (local.get $out) (call $ext_storage_rollback_transaction_v1))
    (call $ext_storage_start_transaction_v1)
    (call $ext_storage_set_v1 (i32.const 2) (i32.const 1) (i32.const 5) (i32.const 1))
    (drop (call $ext_storage_commit_transaction_v1))
    (i32.store offset=8 (local.get $out) (call $ext_storage_rollback_transaction_v1))
    (call $ret (local.get $out) (i32.const 12)))

  ;; p1=x p2=y q=z, append 1 and 2 to v; output = exists(q) ++ clear_prefix(p) ++
  ;; next_key(a) (i64 ++ 8-byte buffer) ++ storage_root
  (func (export "storage_ops") (param i32 i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 56)))
    (call $ext_storage_set_v1 (i32.const 96) (i32.const 2) (i32.const 104) (i32.const 1))
    (call $ext_storage_set_v1 (i32.const 98) (i32.const 2) (i32.const 105) (i32.const 1))
    (call $ext_storage_set_v1 (i32.const 100) (i32.const 1) (i32.const 106) (i32.const 1))
    (call $ext_storage_append_v1 (i32.const 101) (i32.const 1) (i32.const 107) (i32.const 1))
    (call $ext_storage_append_v1 (i32.const 101) (i32.const 1) (i32.const 108) (i32.const 1))
    (i32.store (local.get $out) (call $ext_storage_exists_v1 (i32.const 100) (i32.const 1)))
    (i32.store offset=4 (local.get $out)
      (call $ext_storage_clear_prefix_v1 (i32.const 96) (i32.const 1) (i64.const -1)))
    (i64.store offset=8 (local.get $out)
      (call $ext_storage_next_key_v1 (i32.const 0) (i32.const 1)
        (i32.add (local.get $out) (i32.const 16)) (i32.const 8)))
    (call $ext_storage_root_v1 (i32.add (local.get $out) (i32.const 24)))
    (call $ret (local.get $out) (i32.const 56)))

  ;; output = blake2_128 ++ blake2_256 ++ twox_64 ++ twox_128 of the input
  (func (export "hashes") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 72)))
    (call $ext_hashing_blake2_128_v1 (local.get $ptr) (local.get $len) (local.get $out))
    (call $ext_hashing_blake2_256_v1 (local.get $ptr) (local.get $len)
      (i32.add (local.get $out) (i32.const 16)))
    (call $ext_hashing_twox_64_v1 (local.get $ptr) (local.get $len)
      (i32.add (local.get $out) (i32.const 48)))
    (call $ext_hashing_twox_128_v1 (local.get $ptr) (local.get $len)
      (i32.add (local.get $out) (i32.const 56)))
    (call $ret (local.get $out) (i32.const 72)))

  (func (export "trie_root") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 32)))
    (call $ext_trie_ordered_root_v1 (local.get $ptr) (local.get $len) (local.get $out))
    (call $ret (local.get $out) (i32.const 32)))

  ;; input = sig (64) ++ public (32) ++ message; output = sr25519 now, inside a batch, batch
  (func (export "verify") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 12)))
    (i32.store (local.get $out)
      (call $ext_crypto_sr25519_verify_v1 (local.get $ptr) (i32.add (local.get $ptr) (i32.const 96))
        (i32.sub (local.get $len) (i32.const 96)) (i32.add (local.get $ptr) (i32.const 64))))
    (call $ext_crypto_start_batch_verify_v1)
    (i32.store offset=4 (local.get $out)
      (call $ext_crypto_sr25519_verify_v1 (local.get $ptr) (i32.add (local.get $ptr) (i32.const 96))
        (i32.sub (local.get $len) (i32.const 96)) (i32.add (local.get $ptr) (i32.const 64))))
    (i32.store offset=8 (local.get $out) (call $ext_crypto_finish_batch_verify_v1))
    (call $ret (local.get $out) (i32.const 12)))

  (func (export "log") (param i32 i32) (result i64)
    (call $ext_logging_log_v1 (i32.const 3) (i32.const 48) (i32.const 5) (i32.const 64) (i32.const 15))
    (call $ret (i32.const 0) (i32.const 0)))

  (func (export "Core_version") (param i32 i32) (result i64)
    (call $ret (i32.const 32) (i32.const 8)))

  ;; input = candidate code; output = runtime_version's return (i64 LE) ++ a 16-byte buffer
  (func (export "read_version") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 24)))
    (i64.store (local.get $out)
      (call $ext_misc_runtime_version_v1 (local.get $ptr) (local.get $len)
        (i32.add (local.get $out) (i32.const 8)) (i32.const 16)))
    (call $ret (local.get $out) (i32.const 24)))

  ;; failure scenarios
  (func (export "boom") (param i32 i32) (result i64) unreachable)
  ;; start; a=1; trap with the transaction open (a batched apply trapping mid-extrinsic)
  (func (export "open_and_trap") (param i32 i32) (result i64)
    (call $ext_storage_start_transaction_v1)
    (call $ext_storage_set_v1 (i32.const 0) (i32.const 1) (i32.const 3) (i32.const 1))
    unreachable)
  ;; closes two transactions it did not open: both refused (1, 1)
  (func (export "close_outer") (param i32 i32) (result i64)
    (local $out i32)
    (local.set $out (call $alloc (i32.const 8)))
    (i32.store (local.get $out) (call $ext_storage_commit_transaction_v1))
    (i32.store offset=4 (local.get $out) (call $ext_storage_rollback_transaction_v1))
    (call $ret (local.get $out) (i32.const 8)))
  (func (export "spin") (param i32 i32) (result i64) (loop $forever (br $forever)) unreachable)
  (func $recurse (export "recurse") (param $a i32) (param $b i32) (result i64)
    (call $recurse (local.get $a) (local.get $b)))
  (func (export "grow") (param i32 i32) (result i64)
    (drop (memory.grow (i32.const 100)))
    (call $ret (i32.const 0) (i32.const 0)))
  (func (export "oob_key") (param i32 i32) (result i64)
    (call $ext_storage_set_v1 (i32.const 0xfffffff0) (i32.const 64) (i32.const 0) (i32.const 1))
    (call $ret (i32.const 0) (i32.const 0)))
  (func (export "wrapping_len") (param i32 i32) (result i64)
    (drop (call $ext_storage_get_v1 (i32.const 16) (i32.const 3) (i32.const 8) (i32.const -1)))
    (call $ret (i32.const 0) (i32.const 0)))
  (func (export "oob_out") (param $ptr i32) (param $len i32) (result i64)
    (call $ext_hashing_blake2_256_v1 (local.get $ptr) (local.get $len) (i32.const 131060))
    (call $ret (i32.const 0) (i32.const 0)))
  (func (export "bad_result") (param i32 i32) (result i64)
    (call $ret (i32.const 131000) (i32.const 100)))
  (func (export "wrong_signature") (param i32) (result i32) (i32.const 0))
"#;

fn module(imports: &str, body: &str) -> Vec<u8> {
    let text = format!("(module {imports} {PRELUDE} {body})");
    wat::parse_str(&text).unwrap_or_else(|e| panic!("test WAT does not parse: {e}"))
}

fn runtime() -> &'static [u8] {
    static CODE: OnceLock<Vec<u8>> = OnceLock::new();
    CODE.get_or_init(|| module(ALL_IMPORTS, RUNTIME_BODY))
}

fn config() -> ExecutorConfig {
    ExecutorConfig {
        max_memory_bytes: 16 << 20,
        call_timeout: Duration::from_millis(200),
        cache_size: 4,
    }
}

fn executor() -> Executor {
    Executor::new(config()).expect("the test configuration is valid")
}

fn state(pairs: &[(&[u8], &[u8])]) -> TestExternalities {
    TestExternalities::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect(),
    )
}

/// Runs `method` of `code` against `state`'s overlay, as the node runs a block.
fn call_in(
    executor: &Executor,
    code: &[u8],
    method: &str,
    input: &[u8],
    state: &mut TestExternalities,
) -> Result<Vec<u8>, ExecutorError> {
    let mut ext = OverlayedExt::new(&state.backend, &mut state.overlay, None);
    executor.call(code, method, input, &mut ext)
}

fn call(executor: &Executor, method: &str, input: &[u8]) -> Result<Vec<u8>, ExecutorError> {
    call_in(executor, runtime(), method, input, &mut state(&[]))
}

fn assert_trap(result: Result<Vec<u8>, ExecutorError>, method: &str, needle: &str) {
    match result {
        Err(ExecutorError::Trap { method: m, message }) => {
            assert_eq!(m, method);
            assert!(
                message.contains(needle),
                "trap message {message:?} lacks {needle:?}"
            );
        }
        other => panic!("expected a trap in {method}, got {other:?}"),
    }
}

#[test]
fn the_test_runtime_imports_every_host_function_with_its_documented_signature() {
    let imported: Vec<&str> = ALL_IMPORTS
        .lines()
        .filter_map(|line| line.split('"').nth(3))
        .collect();
    assert_eq!(imported, HOST_FUNCTIONS);
    // Loading links every import, so a signature differing from the host's fails here.
    assert_eq!(executor().runtime_version(runtime()), Ok(VERSION.to_vec()));
}

#[test]
fn storage_writes_land_in_the_overlay_and_output_is_returned() {
    let executor = executor();
    let mut state = state(&[]);
    let input = b"some input bytes";
    let output = call_in(&executor, runtime(), "store_and_hash", input, &mut state)
        .expect("store_and_hash runs");
    let mut expected = native::blake2_256(input).to_vec();
    expected.extend_from_slice(input);
    assert_eq!(output, expected);
    assert_eq!(state.overlay.get(b"key"), Some(Some(input.to_vec())));
    assert!(
        state.backend.0.is_empty(),
        "the backend is only written by commit_all"
    );
}

#[test]
fn storage_get_reports_the_full_length_when_the_buffer_is_too_small() {
    let executor = executor();
    let mut state = state(&[(b"k", b"hello world")]);
    let input = |cap: u32, key: &[u8]| [&cap.to_le_bytes()[..], key].concat();

    let small = call_in(
        &executor,
        runtime(),
        "get_with_cap",
        &input(4, b"k"),
        &mut state,
    )
    .expect("get runs");
    assert_eq!(small[..8], 11i64.to_le_bytes());
    assert_eq!(
        small[8..],
        [0u8; 4],
        "nothing is written into a buffer that is too small"
    );

    let large = call_in(
        &executor,
        runtime(),
        "get_with_cap",
        &input(16, b"k"),
        &mut state,
    )
    .expect("get runs");
    assert_eq!(large[..8], 11i64.to_le_bytes());
    assert_eq!(&large[8..19], b"hello world");

    let missing = call_in(
        &executor,
        runtime(),
        "get_with_cap",
        &input(4, b"nope"),
        &mut state,
    )
    .expect("get runs");
    assert_eq!(missing[..8], (-1i64).to_le_bytes());
}

#[test]
fn storage_transactions_behave_like_the_native_ones() {
    let executor = executor();
    let mut wasm = state(&[(b"z", b"0")]);
    let codes = call_in(&executor, runtime(), "transactions", &[], &mut wasm).expect("runs");

    let mut native = state(&[(b"z", b"0")]);
    let native_codes = native.execute_with(|| {
        let code = |r: Result<(), io::NoOpenTransaction>| u32::from(r.is_err());
        io::storage_set(b"a", b"1");
        io::start_transaction();
        io::storage_set(b"b", b"2");
        io::start_transaction();
        io::storage_clear(b"a");
        let mut out = code(io::commit_transaction()).to_le_bytes().to_vec();
        out.extend(code(io::rollback_transaction()).to_le_bytes());
        io::start_transaction();
        io::storage_set(b"c", b"3");
        let _ = io::commit_transaction();
        out.extend(code(io::rollback_transaction()).to_le_bytes());
        out
    });

    assert_eq!(codes, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(codes, native_codes);
    assert_eq!(wasm.snapshot(), native.snapshot());
    assert_eq!(wasm.overlay.transaction_depth(), 0);
    let expected: BTreeMap<Vec<u8>, Vec<u8>> = [
        (b"a".to_vec(), b"1".to_vec()),
        (b"c".to_vec(), b"3".to_vec()),
        (b"z".to_vec(), b"0".to_vec()),
    ]
    .into_iter()
    .collect();
    assert_eq!(wasm.snapshot(), expected);
}

#[test]
fn prefix_append_next_key_and_root_match_the_native_functions() {
    let executor = executor();
    let initial: &[(&[u8], &[u8])] = &[(b"a", b"0"), (b"b0", b"k"), (b"p0", b"gone")];
    let mut wasm = state(initial);
    let output = call_in(&executor, runtime(), "storage_ops", &[], &mut wasm).expect("runs");

    let mut native = state(initial);
    let expected = native.execute_with(|| {
        io::storage_set(b"p1", b"x");
        io::storage_set(b"p2", b"y");
        io::storage_set(b"q", b"z");
        io::storage_append(b"v", &[1]);
        io::storage_append(b"v", &[2]);
        let mut out = u32::from(io::storage_exists(b"q")).to_le_bytes().to_vec();
        out.extend(io::storage_clear_prefix(b"p", None).to_le_bytes());
        let next = io::storage_next_key(b"a").expect("b0 follows a");
        out.extend(i64::try_from(next.len()).expect("short key").to_le_bytes());
        let mut buffer = [0u8; 8];
        buffer[..next.len()].copy_from_slice(&next);
        out.extend(buffer);
        out.extend(io::storage_root());
        out
    });
    assert_eq!(output, expected);
    assert_eq!(
        output[4..8],
        3u32.to_le_bytes(),
        "p0, p1 and p2 are cleared"
    );
    assert_eq!(wasm.snapshot(), native.snapshot());
    assert_eq!(wasm.snapshot().get(&b"v"[..]), Some(&vec![8, 1, 2]));
}

#[test]
fn hashing_and_trie_root_match_the_native_functions() {
    let executor = executor();
    let data = b"the quick brown fox";
    let output = call(&executor, "hashes", data).expect("runs");
    let expected = [
        &native::blake2_128(data)[..],
        &native::blake2_256(data),
        &native::twox_64(data),
        &native::twox_128(data),
    ]
    .concat();
    assert_eq!(output, expected);

    let items = vec![b"first".to_vec(), vec![], vec![7; 100]];
    let root = call(&executor, "trie_root", &items.encode()).expect("runs");
    assert_eq!(root, folio_trie::ordered_trie_root(&items));
}

#[test]
fn signatures_are_verified_now_or_in_a_batch() {
    let executor = executor();
    let pair = Keyring::Alice.pair();
    let message = b"transfer 10 to bob";
    let input = |sig: [u8; 64]| [&sig[..], &pair.public(), message].concat();
    let as_u32s = |bytes: Vec<u8>| -> Vec<u32> {
        bytes
            .chunks(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect()
    };

    let good = call(&executor, "verify", &input(pair.sign(message))).expect("runs");
    assert_eq!(as_u32s(good), [1, 1, 1]);

    let mut forged = pair.sign(message);
    forged[0] ^= 1;
    let bad = call(&executor, "verify", &input(forged)).expect("runs");
    assert_eq!(
        as_u32s(bad),
        [0, 1, 0],
        "inside a batch the check is deferred to finish"
    );
}

#[test]
fn runtime_log_lines_reach_tracing_under_the_runtime_target() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let subscriber = recorder::Recorder(Arc::clone(&lines));
    let executor = executor();
    tracing::subscriber::with_default(subscriber, || call(&executor, "log", &[])).expect("runs");
    let lines = lines.lock().expect("not poisoned");
    assert!(
        lines.contains(&("runtime::bills".to_owned(), "hello from wasm".to_owned())),
        "{lines:?}"
    );
}

#[test]
fn unknown_imports_are_all_listed() {
    let code = module(
        r#"
        (import "env" "ext_storage_get_v1" (func (param i32 i32 i32 i32) (result i64)))
        (import "env" "ext_made_up_v1" (func))
        (import "env" "ext_other_v2" (func (param i32)))
        (import "other" "ext_storage_set_v1" (func (param i32 i32 i32 i32)))
        (import "env" "ext_hashing_twox_64_v1" (global i32))
        "#,
        "",
    );
    let error = executor()
        .runtime_version(&code)
        .expect_err("unknown imports");
    assert_eq!(
        error,
        ExecutorError::UnknownImports {
            names: vec![
                "env::ext_made_up_v1".into(),
                "env::ext_other_v2".into(),
                "other::ext_storage_set_v1".into(),
                "env::ext_hashing_twox_64_v1".into(),
            ]
        }
    );
}

#[test]
fn a_host_function_imported_with_the_wrong_signature_fails_to_link() {
    let code = module(
        r#"(import "env" "ext_storage_root_v1" (func (param i64)))"#,
        "",
    );
    let error = executor()
        .runtime_version(&code)
        .expect_err("wrong signature");
    assert!(matches!(error, ExecutorError::Link { .. }), "{error:?}");
}

#[test]
fn missing_allocator_or_memory_is_rejected() {
    let no_alloc = wat::parse_str(r#"(module (memory (export "memory") 1))"#).expect("wat");
    assert_eq!(
        executor().runtime_version(&no_alloc),
        Err(ExecutorError::MissingExport {
            name: "folio_alloc".into()
        })
    );
    let no_memory = wat::parse_str(
        r#"(module (memory 1) (func (export "folio_alloc") (param i32) (result i32) i32.const 0))"#,
    )
    .expect("wat");
    assert_eq!(
        executor().runtime_version(&no_memory),
        Err(ExecutorError::MissingExport {
            name: "memory".into()
        })
    );
    assert_eq!(
        call(&executor(), "Nope_nothing", &[]),
        Err(ExecutorError::MissingExport {
            name: "Nope_nothing".into()
        })
    );
    assert!(matches!(
        call(&executor(), "wrong_signature", &[]),
        Err(ExecutorError::InvalidExport { .. })
    ));
}

#[test]
fn invalid_code_and_non_deterministic_features_do_not_compile() {
    let executor = executor();
    assert!(matches!(
        executor.runtime_version(b"not wasm"),
        Err(ExecutorError::Compile(_))
    ));
    let simd = module(
        "",
        r#"(func (export "f") (result v128) (v128.const i64x2 0 0))"#,
    );
    assert!(matches!(
        executor.runtime_version(&simd),
        Err(ExecutorError::Compile(_))
    ));
    let threads = wat::parse_str(
        r#"(module (memory (export "memory") 1 1 shared)
             (func (export "folio_alloc") (param i32) (result i32) i32.const 0))"#,
    )
    .expect("wat");
    assert!(matches!(
        executor.runtime_version(&threads),
        Err(ExecutorError::Compile(_))
    ));
    assert_eq!(executor.cached_modules(), 0, "failures are not cached");
}

#[test]
fn a_trap_fails_only_that_call() {
    let executor = executor();
    assert_trap(call(&executor, "boom", &[]), "boom", "unreachable");
    assert_trap(
        call(&executor, "recurse", &[]),
        "recurse",
        "call stack exhausted",
    );
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
}

#[test]
fn a_trap_with_a_storage_transaction_open_leaves_no_change_behind() {
    let executor = executor();
    let mut state = state(&[]);
    // The node's own layer around a batched apply, as the block builder opens it.
    state.overlay.start_transaction();
    assert_trap(
        call_in(&executor, runtime(), "open_and_trap", &[], &mut state),
        "open_and_trap",
        "unreachable",
    );
    assert_eq!(
        state.overlay.transaction_depth(),
        1,
        "the runtime's open transaction is rolled back when the call ends"
    );
    state
        .overlay
        .rollback_transaction()
        .expect("the node's layer");
    assert!(
        state.overlay.drain().is_empty(),
        "no storage change of the trapped call is committed"
    );
}

#[test]
fn the_runtime_cannot_close_transactions_the_node_opened() {
    let executor = executor();
    let mut state = state(&[]);
    state.overlay.start_transaction();
    state.overlay.set(b"n".to_vec(), Some(b"1".to_vec()));
    let codes = call_in(&executor, runtime(), "close_outer", &[], &mut state).expect("runs");
    assert_eq!(codes, [1, 0, 0, 0, 1, 0, 0, 0], "both refused");
    assert_eq!(state.overlay.transaction_depth(), 1);
}

#[test]
fn an_endless_loop_times_out_within_the_deadline() {
    let executor = executor();
    let started = Instant::now();
    assert_eq!(
        call(&executor, "spin", &[]),
        Err(ExecutorError::Timeout {
            method: "spin".into()
        })
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(200),
        "stopped early: {elapsed:?}"
    );
    // Deadline + one 20 ms tick, with generous slack for a loaded 2-core machine.
    assert!(
        elapsed < Duration::from_secs(2),
        "stopped late: {elapsed:?}"
    );
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
}

#[test]
fn growing_memory_beyond_the_limit_fails_the_call() {
    let small = Executor::new(ExecutorConfig {
        max_memory_bytes: 1 << 20,
        ..config()
    })
    .expect("valid config");
    assert_eq!(
        call(&small, "grow", &[]),
        Err(ExecutorError::OutOfMemory {
            method: "grow".into(),
            limit_bytes: 1 << 20
        })
    );
    assert_eq!(call(&small, "Core_version", &[]), Ok(VERSION.to_vec()));
    // 100 more pages (6.4 MiB) fit the 16 MiB of the default test config.
    assert_eq!(call(&executor(), "grow", &[]), Ok(vec![]));

    // The prelude's memory starts at 2 pages (128 KiB): instantiation itself is refused.
    let tiny = Executor::new(ExecutorConfig {
        max_memory_bytes: 64 * 1024,
        ..config()
    })
    .expect("valid config");
    assert!(matches!(
        tiny.runtime_version(runtime()),
        Err(ExecutorError::OutOfMemory { .. })
    ));
}

#[test]
fn bad_pointers_from_the_runtime_fail_the_call_without_a_host_panic() {
    let executor = executor();
    assert_trap(
        call(&executor, "oob_key", &[]),
        "oob_key",
        "ext_storage_set_v1",
    );
    assert_trap(
        call(&executor, "wrapping_len", &[]),
        "wrapping_len",
        "outside linear memory",
    );
    assert_trap(
        call(&executor, "oob_out", b"data"),
        "oob_out",
        "ext_hashing_blake2_256_v1",
    );
    assert_eq!(
        call(&executor, "bad_result", &[]),
        Err(ExecutorError::BadResult {
            method: "bad_result".into(),
            ptr: 131_000,
            len: 100
        })
    );
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
}

#[test]
fn a_code_is_compiled_once_and_the_cache_is_bounded() {
    let executor = Executor::new(ExecutorConfig {
        cache_size: 2,
        ..config()
    })
    .expect("valid config");
    for _ in 0..3 {
        assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
    }
    assert_eq!(executor.compilations(), 1);
    assert_eq!(executor.cached_modules(), 1);

    let other = |n: u32| {
        module(
            "",
            &format!(
                "(func (export \"Core_version\") (param i32 i32) (result i64) (i64.const {n}))"
            ),
        )
    };
    let (a, b) = (other(1), other(2));
    executor.runtime_version(&a).expect("runs");
    executor.runtime_version(&b).expect("runs");
    assert_eq!(executor.compilations(), 3);
    assert_eq!(
        executor.cached_modules(),
        2,
        "the least recently used code was evicted"
    );
    executor.runtime_version(&b).expect("cached");
    assert_eq!(executor.compilations(), 3);
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
    assert_eq!(
        executor.compilations(),
        4,
        "the evicted runtime is compiled again"
    );
}

#[test]
fn a_runtime_code_handle_shares_the_cache_entry_of_the_raw_bytes() {
    let executor = executor();
    let code = crate::RuntimeCode::new(runtime().to_vec());
    assert_eq!(code.hash(), native::blake2_256(runtime()));
    let mut state = state(&[]);
    let mut ext = OverlayedExt::new(&state.backend, &mut state.overlay, None);
    assert_eq!(
        executor.call_code(&code, "Core_version", &[], &mut ext),
        Ok(VERSION.to_vec())
    );
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
    assert_eq!(executor.compilations(), 1);
}

#[test]
fn clones_share_the_cache_and_calls_run_in_parallel() {
    let executor = executor();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let executor = executor.clone();
            std::thread::spawn(move || call(&executor, "hashes", b"x"))
        })
        .collect();
    for thread in threads {
        assert!(thread.join().expect("no panic").is_ok());
    }
    assert_eq!(executor.compilations(), 1);
}

/// A candidate runtime whose `Core_version` itself reads the version of an embedded runtime
/// and returns what `ext_misc_runtime_version_v1` answered (i64 LE).
fn nesting_candidate() -> Vec<u8> {
    let inner = runtime();
    let escaped: String = inner.iter().map(|b| format!("\\{b:02x}")).collect();
    let len = inner.len();
    module(
        ALL_IMPORTS,
        &format!(
            r#"(data (i32.const 8192) "{escaped}")
            (func (export "Core_version") (param i32 i32) (result i64)
              (local $out i32)
              (local.set $out (call $alloc (i32.const 40)))
              (i64.store (local.get $out)
                (call $ext_misc_runtime_version_v1 (i32.const 8192) (i32.const {len})
                  (i32.add (local.get $out) (i32.const 8)) (i32.const 32)))
              (call $ret (local.get $out) (i32.const 8)))"#
        ),
    )
}

#[test]
fn the_runtime_reads_candidate_versions_through_the_executor() {
    let executor = executor();
    let read = |code: &[u8]| call(&executor, "read_version", code).expect("runs");

    let output = read(runtime());
    assert_eq!(output[..8], 8i64.to_le_bytes());
    assert_eq!(&output[8..16], VERSION);

    let garbage = read(b"not wasm");
    assert_eq!(garbage[..8], (-1i64).to_le_bytes());

    // A version read inside a version read is refused, so candidates cannot recurse.
    let candidate = nesting_candidate();
    let nested = read(&candidate);
    assert_eq!(nested[..8], 8i64.to_le_bytes());
    assert_eq!(nested[8..16], (-1i64).to_le_bytes());
    // At the top level (set_code through the node) one level of reading is allowed.
    assert_eq!(
        executor.runtime_version(&candidate),
        Ok(8i64.to_le_bytes().to_vec())
    );
}

#[test]
fn the_version_reader_plugs_into_externalities() {
    let executor = executor();
    let reader = executor.version_reader();
    assert_eq!(reader(runtime()), Some(VERSION.to_vec()));
    assert_eq!(reader(b"\0asm garbage"), None);
    let mut ext =
        TestExternalities::default().with_runtime_version_reader(executor.version_reader());
    assert_eq!(
        ext.execute_with(|| io::runtime_version(runtime())),
        Some(VERSION.to_vec())
    );
}

#[test]
fn invalid_configurations_are_rejected() {
    for config in [
        ExecutorConfig {
            call_timeout: Duration::ZERO,
            ..config()
        },
        ExecutorConfig {
            max_memory_bytes: 1000,
            ..config()
        },
    ] {
        assert!(matches!(
            Executor::new(config),
            Err(ExecutorError::InvalidConfig { .. })
        ));
    }
}

mod recorder {
    //! A minimal `tracing` subscriber that records (target, message) of every event.
    use std::fmt::Debug;
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    pub(super) struct Recorder(pub(super) Arc<Mutex<Vec<(String, String)>>>);

    struct Message(String);
    impl Visit for Message {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            if field.name() == "message" {
                self.0 = format!("{value:?}");
            }
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut message = Message(String::new());
            event.record(&mut message);
            let target = event.metadata().target().to_owned();
            self.0
                .lock()
                .expect("not poisoned")
                .push((target, message.0));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[test]
fn the_executor_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Executor>();
}

/// Externalities whose every method panics: a host bug must fail the call, not unwind through
/// wasm into the caller.
struct PanickingExt;

impl folio_primitives::externalities::Externalities for PanickingExt {
    fn storage(&self, _: &[u8]) -> Option<Vec<u8>> {
        panic!("backend exploded")
    }
    fn set_storage(&mut self, _: Vec<u8>, _: Vec<u8>) {
        panic!("backend exploded")
    }
    fn clear_storage(&mut self, _: &[u8]) {
        panic!("backend exploded")
    }
    fn clear_prefix(&mut self, _: &[u8], _: Option<u32>) -> u32 {
        panic!("backend exploded")
    }
    fn append_storage(&mut self, _: Vec<u8>, _: Vec<u8>) {
        panic!("backend exploded")
    }
    fn next_storage_key(&self, _: &[u8]) -> Option<Vec<u8>> {
        panic!("backend exploded")
    }
    fn storage_root(&mut self) -> [u8; 32] {
        panic!("backend exploded")
    }
    fn start_transaction(&mut self) {
        panic!("backend exploded")
    }
    fn commit_transaction(&mut self) -> Result<(), io::NoOpenTransaction> {
        panic!("backend exploded")
    }
    fn rollback_transaction(&mut self) -> Result<(), io::NoOpenTransaction> {
        panic!("backend exploded")
    }
    fn verify(
        &mut self,
        _: folio_primitives::crypto::SignatureKind,
        _: &[u8; 64],
        _: &[u8],
        _: &[u8; 32],
    ) -> bool {
        panic!("backend exploded")
    }
    fn start_batch_verify(&mut self) {
        panic!("backend exploded")
    }
    fn finish_batch_verify(&mut self) -> bool {
        panic!("backend exploded")
    }
    fn runtime_version(&mut self, _: &[u8]) -> Option<Vec<u8>> {
        panic!("backend exploded")
    }
}

#[test]
fn a_panic_in_the_externalities_fails_the_call_instead_of_unwinding() {
    let executor = executor();
    let result = executor.call(runtime(), "store_and_hash", b"v", &mut PanickingExt);
    assert_trap(result, "store_and_hash", "backend exploded");
    assert_eq!(call(&executor, "Core_version", &[]), Ok(VERSION.to_vec()));
}

/// One function body per post-MVP feature, each with the words wasmparser's refusal uses.
const POST_MVP: &[(&str, &str)] = &[
    (
        "sign extension",
        r#"(func (export "f") (result i32) (i32.extend8_s (i32.const 1)))"#,
    ),
    (
        "bulk memory",
        r#"(func (export "f") (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))"#,
    ),
    (
        "saturating float to int",
        r#"(func (export "f") (result i32) (i32.trunc_sat_f32_s (f32.const 1)))"#,
    ),
    (
        "reference types",
        r#"(func (export "f") (drop (ref.null func)))"#,
    ),
    (
        "multi-value",
        r#"(func (export "f") (result i32 i32) (i32.const 1) (i32.const 2))"#,
    ),
    (
        "SIMD",
        r#"(func (export "f") (result v128) (v128.const i64x2 0 0))"#,
    ),
];

#[test]
fn post_mvp_features_are_refused_with_the_feature_named() {
    let executor = executor();
    for (feature, body) in POST_MVP {
        let code = module("", body);
        match executor.runtime_version(&code) {
            Err(ExecutorError::Compile(message)) => assert!(
                message.contains(feature),
                "the refusal of {feature} does not name it: {message}"
            ),
            other => panic!("{feature} was not refused: {other:?}"),
        }
    }
    // The MVP with mutable globals (the prelude's bump allocator) is accepted.
    let mvp = module(
        "",
        r#"(func (export "Core_version") (param i32 i32) (result i64) (i64.const 0))"#,
    );
    assert_eq!(executor.runtime_version(&mvp), Ok(Vec::new()));
}

/// `code` with a custom section `name` holding `payload` appended.
fn with_custom_section(mut code: Vec<u8>, name: &str, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![u8::try_from(name.len()).expect("short name")];
    body.extend(name.as_bytes());
    body.extend(payload);
    code.push(0);
    code.push(u8::try_from(body.len()).expect("a short section"));
    code.extend(body);
    code
}

#[test]
fn a_declared_version_is_believed_only_for_code_the_executor_accepts() {
    let executor = executor();
    let version_section = crate::version_section::RUNTIME_VERSION_SECTION;
    let mvp = with_custom_section(module("", ""), version_section, VERSION);
    assert_eq!(executor.runtime_version(&mvp), Ok(VERSION.to_vec()));
    let (_, sign_ext) = POST_MVP[0];
    let post_mvp = with_custom_section(module("", sign_ext), version_section, VERSION);
    match executor.runtime_version(&post_mvp) {
        Err(ExecutorError::Compile(message)) => assert!(message.contains("sign extension")),
        other => panic!("the declared version of post-MVP code was believed: {other:?}"),
    }
    // What the runtime reads through the host (set_code's check) is refused the same way.
    assert_eq!((executor.version_reader())(&post_mvp), None);
}

/// A runtime the Substrate way: no allocator export, the host's heap from `__heap_base`.
const HOST_HEAP_RUNTIME: &str = r#"(module
  (import "env" "ext_allocator_malloc_version_1" (func $malloc (param i32) (result i32)))
  (import "env" "ext_allocator_free_version_1" (func $free (param i32)))
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 2044))
  (func $ret (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.extend_i32_u (local.get $ptr))
            (i64.shl (i64.extend_i32_u (local.get $len)) (i64.const 32))))
  ;; output: the input where the host placed it
  (func (export "echo") (param $ptr i32) (param $len i32) (result i64)
    (call $ret (local.get $ptr) (local.get $len)))
  ;; output: input ptr, then two blocks of 100 bytes with the first freed in between (u32 LE)
  (func (export "reuse") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32) (local $a i32)
    (local.set $out (call $malloc (i32.const 12)))
    (i32.store (local.get $out) (local.get $ptr))
    (local.set $a (call $malloc (i32.const 100)))
    (i32.store offset=4 (local.get $out) (local.get $a))
    (call $free (local.get $a))
    (i32.store offset=8 (local.get $out) (call $malloc (i32.const 100)))
    (call $ret (local.get $out) (i32.const 12)))
  (func (export "double_free") (param i32 i32) (result i64)
    (local $a i32)
    (local.set $a (call $malloc (i32.const 8)))
    (call $free (local.get $a))
    (call $free (local.get $a))
    (i64.const 0))
  ;; grows the heap by the input's first u32 bytes and writes the last of them
  (func (export "grow") (param $ptr i32) (param $len i32) (result i64)
    (local $n i32) (local $a i32)
    (local.set $n (i32.load (local.get $ptr)))
    (local.set $a (call $malloc (local.get $n)))
    (i32.store8 (i32.sub (i32.add (local.get $a) (local.get $n)) (i32.const 1)) (i32.const 7))
    (call $ret (local.get $a) (i32.const 0))))"#;

fn host_heap_call(method: &str, input: &[u8]) -> Result<Vec<u8>, ExecutorError> {
    let code = wat::parse_str(HOST_HEAP_RUNTIME).expect("wat");
    call_in(&executor(), &code, method, input, &mut state(&[]))
}

fn u32s(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect()
}

#[test]
fn a_runtime_without_an_allocator_gets_its_input_on_the_host_heap() {
    let input: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    assert_eq!(host_heap_call("echo", &input), Ok(input.clone()));
    assert_eq!(host_heap_call("echo", &[]), Ok(Vec::new()));
    let placed = u32s(&host_heap_call("reuse", b"abc").expect("reuse runs"));
    let (input_ptr, first, second) = (placed[0], placed[1], placed[2]);
    assert!(
        input_ptr >= 2048 + 8,
        "above __heap_base and a header: {input_ptr}"
    );
    assert_eq!(input_ptr % 8, 0);
    assert!(first > input_ptr);
    assert_eq!(first, second, "a freed block is reused");
}

#[test]
fn host_heap_misuse_fails_the_call() {
    assert_trap(
        host_heap_call("double_free", &[]),
        "double_free",
        "freed twice",
    );
    assert_trap(
        host_heap_call("grow", &(32u32 << 20 | 1).to_le_bytes()),
        "grow",
        "largest allocation",
    );
    // 1 MiB grows the one-page memory; 16 MiB is beyond the test executor's memory limit.
    assert!(host_heap_call("grow", &(1u32 << 20).to_le_bytes()).is_ok());
    assert!(host_heap_call("grow", &(16u32 << 20).to_le_bytes()).is_err());
}
