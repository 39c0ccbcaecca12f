//! Substrate hosts (sc-executor, smoldot and so chopsticks) accept wasm 1.0: the MVP plus
//! mutable globals, nothing newer. The runtime is built for `wasm32v1-none`, the target that
//! emits exactly that (runtime/build.rs); this checks the built runtime against that feature
//! set with wasmparser, independently of how Folio's executor is configured.

use wasmparser::{Validator, WasmFeatures};

fn validate_wasm1(code: &[u8]) -> Result<(), String> {
    Validator::new_with_features(WasmFeatures::WASM1)
        .validate_all(code)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn the_runtime_uses_only_mvp_features_and_mutable_globals() {
    let code = folio_runtime::WASM_BINARY.expect("built with the wasm runtime");
    if let Err(error) = validate_wasm1(code) {
        panic!("the runtime uses a post-MVP wasm feature: {error}");
    }
}

#[test]
fn the_check_refuses_a_post_mvp_instruction() {
    // (module (func (param i32) (result i32) (i32.extend8_s (local.get 0)))), by hand.
    let sign_ext: &[u8] = &[
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
        0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
        0x03, 0x02, 0x01, 0x00, // function 0 has type 0
        0x0a, 0x07, 0x01, 0x05, 0x00, 0x20, 0x00, 0xc0, 0x0b, // local.get 0; i32.extend8_s
    ];
    Validator::new_with_features(WasmFeatures::WASM2)
        .validate_all(sign_ext)
        .expect("valid wasm 2.0");
    let error = validate_wasm1(sign_ext).expect_err("sign extension is post-MVP");
    assert!(error.contains("sign extension"), "{error}");
}
