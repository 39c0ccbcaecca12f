//! Import audit: every function the runtime imports must be one a Substrate host provides
//! (sc-executor, smoldot, chopsticks), with sp-io's name and wasm signature, and the runtime
//! must export what those hosts look for. Issue 22 moves Folio's host interface there family
//! by family; until it is done, the full check is ignored and a second test pins the
//! differences as they are, so each step deletes lines from [`KNOWN_DIFFERENCES`] and the last
//! one deletes the list and the `#[ignore]`.

use std::collections::BTreeMap;
use wasmparser::{ExternalKind, FuncType, Parser, Payload, TypeRef, ValType};

/// sp-io's host functions as the runtime sees them (module `env`): name, parameters, results.
/// `i64` arguments are pointer-size pairs (`ptr | len << 32`), `i32` ones pointers to fixed-size
/// data or plain integers; an `i64` result is a pointer-size pair allocated by the host, an
/// `i32` result a pointer to fixed-size data or a boolean. Functions sp-io keeps
/// `register_only` (hosts provide them for old runtimes, new runtimes cannot call them) are
/// marked: the batch verification ones among them.
const SUBSTRATE_HOST_FUNCTIONS: &[(&str, &str, &str)] = &[
    // storage
    ("ext_storage_set_version_1", "i64 i64", ""),
    ("ext_storage_get_version_1", "i64", "i64"),
    ("ext_storage_read_version_1", "i64 i64 i32", "i64"),
    ("ext_storage_clear_version_1", "i64", ""),
    ("ext_storage_exists_version_1", "i64", "i32"),
    ("ext_storage_clear_prefix_version_1", "i64", ""),
    ("ext_storage_clear_prefix_version_2", "i64 i64", "i64"),
    ("ext_storage_append_version_1", "i64 i64", ""),
    ("ext_storage_root_version_1", "", "i64"),
    ("ext_storage_root_version_2", "i32", "i64"),
    ("ext_storage_next_key_version_1", "i64", "i64"),
    ("ext_storage_start_transaction_version_1", "", ""),
    ("ext_storage_rollback_transaction_version_1", "", ""),
    ("ext_storage_commit_transaction_version_1", "", ""),
    // default child storage
    ("ext_default_child_storage_get_version_1", "i64 i64", "i64"),
    (
        "ext_default_child_storage_read_version_1",
        "i64 i64 i64 i32",
        "i64",
    ),
    ("ext_default_child_storage_set_version_1", "i64 i64 i64", ""),
    ("ext_default_child_storage_clear_version_1", "i64 i64", ""),
    (
        "ext_default_child_storage_storage_kill_version_1",
        "i64",
        "",
    ),
    (
        "ext_default_child_storage_storage_kill_version_2",
        "i64 i64",
        "i32",
    ),
    (
        "ext_default_child_storage_storage_kill_version_3",
        "i64 i64",
        "i64",
    ),
    (
        "ext_default_child_storage_exists_version_1",
        "i64 i64",
        "i32",
    ),
    (
        "ext_default_child_storage_clear_prefix_version_1",
        "i64 i64",
        "",
    ),
    (
        "ext_default_child_storage_clear_prefix_version_2",
        "i64 i64 i64",
        "i64",
    ),
    ("ext_default_child_storage_root_version_1", "i64", "i64"),
    ("ext_default_child_storage_root_version_2", "i64 i32", "i64"),
    (
        "ext_default_child_storage_next_key_version_1",
        "i64 i64",
        "i64",
    ),
    // hashing: data in, pointer to the fixed-size hash out
    ("ext_hashing_keccak_256_version_1", "i64", "i32"),
    ("ext_hashing_keccak_512_version_1", "i64", "i32"),
    ("ext_hashing_sha2_256_version_1", "i64", "i32"),
    ("ext_hashing_blake2_128_version_1", "i64", "i32"),
    ("ext_hashing_blake2_256_version_1", "i64", "i32"),
    ("ext_hashing_twox_64_version_1", "i64", "i32"),
    ("ext_hashing_twox_128_version_1", "i64", "i32"),
    ("ext_hashing_twox_256_version_1", "i64", "i32"),
    // trie roots (version 2 takes the state version)
    ("ext_trie_blake2_256_root_version_1", "i64", "i32"),
    ("ext_trie_blake2_256_root_version_2", "i64 i32", "i32"),
    ("ext_trie_blake2_256_ordered_root_version_1", "i64", "i32"),
    (
        "ext_trie_blake2_256_ordered_root_version_2",
        "i64 i32",
        "i32",
    ),
    ("ext_trie_keccak_256_root_version_1", "i64", "i32"),
    ("ext_trie_keccak_256_root_version_2", "i64 i32", "i32"),
    ("ext_trie_keccak_256_ordered_root_version_1", "i64", "i32"),
    (
        "ext_trie_keccak_256_ordered_root_version_2",
        "i64 i32",
        "i32",
    ),
    (
        "ext_trie_blake2_256_verify_proof_version_1",
        "i32 i64 i64 i64",
        "i32",
    ),
    (
        "ext_trie_blake2_256_verify_proof_version_2",
        "i32 i64 i64 i64 i32",
        "i32",
    ),
    (
        "ext_trie_keccak_256_verify_proof_version_1",
        "i32 i64 i64 i64",
        "i32",
    ),
    (
        "ext_trie_keccak_256_verify_proof_version_2",
        "i32 i64 i64 i64 i32",
        "i32",
    ),
    // crypto: signature pointer, message pointer-size, public key pointer
    ("ext_crypto_ed25519_public_keys_version_1", "i32", "i64"),
    ("ext_crypto_ed25519_generate_version_1", "i32 i64", "i32"),
    ("ext_crypto_ed25519_sign_version_1", "i32 i32 i64", "i64"),
    ("ext_crypto_ed25519_verify_version_1", "i32 i64 i32", "i32"),
    (
        "ext_crypto_ed25519_batch_verify_version_1",
        "i32 i64 i32",
        "i32",
    ), // register_only
    ("ext_crypto_sr25519_public_keys_version_1", "i32", "i64"),
    ("ext_crypto_sr25519_generate_version_1", "i32 i64", "i32"),
    ("ext_crypto_sr25519_sign_version_1", "i32 i32 i64", "i64"),
    ("ext_crypto_sr25519_verify_version_1", "i32 i64 i32", "i32"),
    ("ext_crypto_sr25519_verify_version_2", "i32 i64 i32", "i32"),
    (
        "ext_crypto_sr25519_batch_verify_version_1",
        "i32 i64 i32",
        "i32",
    ), // register_only
    ("ext_crypto_ecdsa_public_keys_version_1", "i32", "i64"),
    ("ext_crypto_ecdsa_generate_version_1", "i32 i64", "i32"),
    ("ext_crypto_ecdsa_sign_version_1", "i32 i32 i64", "i64"),
    (
        "ext_crypto_ecdsa_sign_prehashed_version_1",
        "i32 i32 i32",
        "i64",
    ),
    ("ext_crypto_ecdsa_verify_version_1", "i32 i64 i32", "i32"),
    ("ext_crypto_ecdsa_verify_version_2", "i32 i64 i32", "i32"),
    (
        "ext_crypto_ecdsa_verify_prehashed_version_1",
        "i32 i32 i32",
        "i32",
    ),
    (
        "ext_crypto_ecdsa_batch_verify_version_1",
        "i32 i64 i32",
        "i32",
    ), // register_only
    (
        "ext_crypto_secp256k1_ecdsa_recover_version_1",
        "i32 i32",
        "i64",
    ),
    (
        "ext_crypto_secp256k1_ecdsa_recover_version_2",
        "i32 i32",
        "i64",
    ),
    (
        "ext_crypto_secp256k1_ecdsa_recover_compressed_version_1",
        "i32 i32",
        "i64",
    ),
    (
        "ext_crypto_secp256k1_ecdsa_recover_compressed_version_2",
        "i32 i32",
        "i64",
    ),
    ("ext_crypto_start_batch_verify_version_1", "", ""), // register_only
    ("ext_crypto_finish_batch_verify_version_1", "", "i32"), // register_only
    // misc
    ("ext_misc_print_num_version_1", "i64", ""),
    ("ext_misc_print_utf8_version_1", "i64", ""),
    ("ext_misc_print_hex_version_1", "i64", ""),
    ("ext_misc_runtime_version_version_1", "i64", "i64"),
    // allocator: the host's heap, above `__heap_base`
    ("ext_allocator_malloc_version_1", "i32", "i32"),
    ("ext_allocator_free_version_1", "i32", ""),
    // logging
    ("ext_logging_log_version_1", "i32 i64 i64", ""),
    ("ext_logging_max_level_version_1", "", "i32"),
    // offchain indexing (callable while importing blocks)
    ("ext_offchain_index_set_version_1", "i64 i64", ""),
    ("ext_offchain_index_clear_version_1", "i64", ""),
];

/// Exports a Substrate host looks for besides the runtime API entry points.
const SUBSTRATE_EXPORTS: &[(&str, &str)] = &[("__heap_base", "global")];

/// Where a Folio host function has a differently named Substrate counterpart (the others map
/// by their name: `_v1` becomes `_version_1`).
const COUNTERPARTS: &[(&str, &str)] = &[
    (
        "ext_storage_clear_prefix_v1",
        "ext_storage_clear_prefix_version_2",
    ),
    ("ext_storage_root_v1", "ext_storage_root_version_2"),
    (
        "ext_trie_ordered_root_v1",
        "ext_trie_blake2_256_ordered_root_version_2",
    ),
];

/// What differs today, one line per import or export: the list step 3 of issue 22 empties.
/// (The runtime already exports `__heap_base`, as rustc does for every wasm cdylib, and LTO
/// drops the imports nothing calls: `ext_hashing_twox_128_v1` and `ext_storage_clear_prefix_v1`
/// are not imported today.)
const KNOWN_DIFFERENCES: &[&str] = &[
    "import env::ext_crypto_ed25519_verify_v1 (i32 i32 i32 i32) -> (i32): not provided; Substrate has ext_crypto_ed25519_verify_version_1 (i32 i64 i32) -> (i32)",
    "import env::ext_crypto_finish_batch_verify_v1 () -> (i32): not provided; Substrate has ext_crypto_finish_batch_verify_version_1 () -> (i32)",
    "import env::ext_crypto_sr25519_verify_v1 (i32 i32 i32 i32) -> (i32): not provided; Substrate has ext_crypto_sr25519_verify_version_1 (i32 i64 i32) -> (i32)",
    "import env::ext_crypto_start_batch_verify_v1 () -> (): not provided; Substrate has ext_crypto_start_batch_verify_version_1 () -> ()",
    "import env::ext_hashing_blake2_128_v1 (i32 i32 i32) -> (): not provided; Substrate has ext_hashing_blake2_128_version_1 (i64) -> (i32)",
    "import env::ext_hashing_blake2_256_v1 (i32 i32 i32) -> (): not provided; Substrate has ext_hashing_blake2_256_version_1 (i64) -> (i32)",
    "import env::ext_hashing_twox_64_v1 (i32 i32 i32) -> (): not provided; Substrate has ext_hashing_twox_64_version_1 (i64) -> (i32)",
    "import env::ext_logging_log_v1 (i32 i32 i32 i32 i32) -> (): not provided; Substrate has ext_logging_log_version_1 (i32 i64 i64) -> ()",
    "import env::ext_misc_runtime_version_v1 (i32 i32 i32 i32) -> (i64): not provided; Substrate has ext_misc_runtime_version_version_1 (i64) -> (i64)",
    "import env::ext_storage_append_v1 (i32 i32 i32 i32) -> (): not provided; Substrate has ext_storage_append_version_1 (i64 i64) -> ()",
    "import env::ext_storage_clear_v1 (i32 i32) -> (): not provided; Substrate has ext_storage_clear_version_1 (i64) -> ()",
    "import env::ext_storage_commit_transaction_v1 () -> (i32): not provided; Substrate has ext_storage_commit_transaction_version_1 () -> ()",
    "import env::ext_storage_exists_v1 (i32 i32) -> (i32): not provided; Substrate has ext_storage_exists_version_1 (i64) -> (i32)",
    "import env::ext_storage_get_v1 (i32 i32 i32 i32) -> (i64): not provided; Substrate has ext_storage_get_version_1 (i64) -> (i64)",
    "import env::ext_storage_next_key_v1 (i32 i32 i32 i32) -> (i64): not provided; Substrate has ext_storage_next_key_version_1 (i64) -> (i64)",
    "import env::ext_storage_rollback_transaction_v1 () -> (i32): not provided; Substrate has ext_storage_rollback_transaction_version_1 () -> ()",
    "import env::ext_storage_root_v1 (i32) -> (): not provided; Substrate has ext_storage_root_version_2 (i32) -> (i64)",
    "import env::ext_storage_set_v1 (i32 i32 i32 i32) -> (): not provided; Substrate has ext_storage_set_version_1 (i64 i64) -> ()",
    "import env::ext_storage_start_transaction_v1 () -> (): not provided; Substrate has ext_storage_start_transaction_version_1 () -> ()",
    "import env::ext_trie_ordered_root_v1 (i32 i32 i32) -> (): not provided; Substrate has ext_trie_blake2_256_ordered_root_version_2 (i64 i32) -> (i32)",
];

/// A signature as the tables write it: `(params) -> (results)`.
fn render(params: &str, results: &str) -> String {
    format!("({params}) -> ({results})")
}

fn types(types: &[ValType]) -> String {
    let names: Vec<String> = types.iter().map(ToString::to_string).collect();
    names.join(" ")
}

/// The runtime's imports (`module::name` to kind and signature) and exports (name to kind).
struct Interface {
    imports: BTreeMap<String, String>,
    exports: BTreeMap<String, &'static str>,
}

fn interface(code: &[u8]) -> Interface {
    let mut func_types: Vec<FuncType> = Vec::new();
    let mut interface = Interface {
        imports: BTreeMap::new(),
        exports: BTreeMap::new(),
    };
    for payload in Parser::new(0).parse_all(code) {
        match payload.expect("the runtime parses") {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    func_types.push(ty.expect("an MVP function type"));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.expect("an import");
                    let kind = match import.ty {
                        TypeRef::Func(index) | TypeRef::FuncExact(index) => {
                            let ty = &func_types[index as usize];
                            render(&types(ty.params()), &types(ty.results()))
                        }
                        TypeRef::Memory(_) => "memory".into(),
                        TypeRef::Table(_) => "table".into(),
                        TypeRef::Global(_) => "global".into(),
                        TypeRef::Tag(_) => "tag".into(),
                    };
                    interface
                        .imports
                        .insert(format!("{}::{}", import.module, import.name), kind);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("an export");
                    let kind = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => "func",
                        ExternalKind::Memory => "memory",
                        ExternalKind::Table => "table",
                        ExternalKind::Global => "global",
                        ExternalKind::Tag => "tag",
                    };
                    interface.exports.insert(export.name.to_string(), kind);
                }
            }
            _ => {}
        }
    }
    interface
}

/// Every way `code`'s interface differs from what a Substrate host provides and expects.
fn differences(code: &[u8]) -> Vec<String> {
    let substrate: BTreeMap<&str, String> = SUBSTRATE_HOST_FUNCTIONS
        .iter()
        .map(|(name, params, results)| (*name, render(params, results)))
        .collect();
    let interface = interface(code);
    let mut found = Vec::new();
    for (name, kind) in SUBSTRATE_EXPORTS {
        if interface.exports.get(*name) != Some(kind) {
            found.push(format!("export {name} ({kind}): missing"));
        }
    }
    for (import, signature) in &interface.imports {
        // Substrate runtimes may import their memory from the host.
        if import == "env::memory" && signature == "memory" {
            continue;
        }
        let Some(name) = import.strip_prefix("env::") else {
            found.push(format!("import {import}: not from module env"));
            continue;
        };
        match substrate.get(name) {
            Some(expected) if expected == signature => {}
            Some(expected) => found.push(format!(
                "import {import} {signature}: Substrate's signature is {expected}"
            )),
            None => {
                let counterpart = COUNTERPARTS
                    .iter()
                    .find(|(folio, _)| *folio == name)
                    .map(|(_, substrate)| substrate.to_string())
                    .or_else(|| name.strip_suffix("_v1").map(|n| format!("{n}_version_1")));
                let hint = counterpart
                    .and_then(|c| substrate.get(c.as_str()).map(|s| format!("{c} {s}")))
                    .map(|c| format!("; Substrate has {c}"))
                    .unwrap_or_default();
                found.push(format!("import {import} {signature}: not provided{hint}"));
            }
        }
    }
    found
}

fn runtime() -> &'static [u8] {
    folio_runtime::WASM_BINARY.expect("built with the wasm runtime")
}

#[test]
#[ignore = "issue 22 step 3: Folio's host interface is not yet Substrate's (KNOWN_DIFFERENCES)"]
fn the_runtime_imports_only_what_a_substrate_host_provides() {
    let found = differences(runtime());
    assert!(
        found.is_empty(),
        "a Substrate host cannot run the runtime:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_differences_from_substrate_are_exactly_the_known_ones() {
    let found = differences(runtime());
    assert_eq!(
        found,
        KNOWN_DIFFERENCES,
        "the runtime's interface changed: update KNOWN_DIFFERENCES (delete what is fixed); \
         now:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_audit_accepts_substrate_imports_and_flags_everything_else() {
    let clean = wat::parse_str(
        r#"(module
          (import "env" "memory" (memory 1))
          (import "env" "ext_hashing_blake2_256_version_1" (func (param i64) (result i32)))
          (global (export "__heap_base") i32 (i32.const 1024)))"#,
    )
    .expect("valid wat");
    assert_eq!(differences(&clean), Vec::<String>::new());
    let wrong = wat::parse_str(
        r#"(module
          (import "env" "ext_hashing_blake2_256_version_1" (func (param i32 i32) (result i32)))
          (import "env" "ext_made_up_version_1" (func))
          (import "other" "f" (func)))"#,
    )
    .expect("valid wat");
    assert_eq!(
        differences(&wrong),
        [
            "export __heap_base (global): missing",
            "import env::ext_hashing_blake2_256_version_1 (i32 i32) -> (i32): Substrate's \
             signature is (i64) -> (i32)",
            "import env::ext_made_up_version_1 () -> (): not provided",
            "import other::f: not from module env",
        ]
    );
}
