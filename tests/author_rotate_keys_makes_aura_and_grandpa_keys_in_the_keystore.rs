//! `author_rotateKeys` on the real binary: the runtime makes the session keys
//! (`SessionKeys_generate_session_keys`) in the node's keystore: an Aura key (sr25519) and a
//! GRANDPA key (ed25519), 64 bytes, the pair `Grandpa.set_validators` takes for a validator.
//! The keystore holds both (files in Substrate's layout), across a restart.

mod common;

use common::*;
use serde_json::json;
use std::path::Path;

/// Every key file under `dir` (the keystore is `<base>/chains/<id>/keystore`).
fn key_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(key_files(&path));
        } else if path.parent().and_then(Path::file_name) == Some("keystore".as_ref()) {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

#[test]
fn author_rotate_keys_makes_aura_and_grandpa_keys_in_the_keystore() {
    let base = TempDir::new("rotate-keys");
    let args = ["--dev", "--base-path", &base.arg()];
    let node = NodeProcess::start(&args);

    let keys = node.rpc("author_rotateKeys", json!([]));
    let keys = keys.as_str().expect("hex session keys");
    let bytes = hex::decode(keys.trim_start_matches("0x")).expect("hex");
    assert_eq!(bytes.len(), 64, "Aura then GRANDPA public key: {keys}");
    let (aura, gran) = bytes.split_at(32);
    assert_ne!(aura, gran, "two keys, not one twice");

    assert_eq!(
        node.rpc("author_hasSessionKeys", json!([keys])),
        json!(true)
    );
    assert_eq!(
        node.rpc("author_hasKey", json!([hex_of(aura), "aura"])),
        json!(true)
    );
    assert_eq!(
        node.rpc("author_hasKey", json!([hex_of(gran), "gran"])),
        json!(true)
    );
    // Each key is of its type only.
    assert_eq!(
        node.rpc("author_hasKey", json!([hex_of(aura), "gran"])),
        json!(false)
    );
    // Keys this node never made.
    let foreign = hex_of(&[7u8; 64]);
    assert_eq!(
        node.rpc("author_hasSessionKeys", json!([foreign])),
        json!(false)
    );
    // The Aura key alone is not a set of session keys: a clear error, not `false`.
    let error = node.rpc_error("author_hasSessionKeys", json!([hex_of(aura)]));
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("session keys"),
        "{error}"
    );

    // Substrate's file layout: hex key type ++ hex public key.
    let files = key_files(base.path());
    assert!(
        files.contains(&format!("61757261{}", hex::encode(aura))),
        "{files:?}"
    );
    assert!(
        files.contains(&format!("6772616e{}", hex::encode(gran))),
        "{files:?}"
    );

    // A second rotation makes new keys; the first ones stay in the keystore.
    let second = node.rpc("author_rotateKeys", json!([]));
    assert_ne!(second.as_str(), Some(keys));
    drop(node);

    let restarted = NodeProcess::start(&args);
    assert_eq!(
        restarted.rpc("author_hasSessionKeys", json!([keys])),
        json!(true)
    );
    assert_eq!(
        restarted.rpc("author_hasSessionKeys", json!([second])),
        json!(true)
    );
}
