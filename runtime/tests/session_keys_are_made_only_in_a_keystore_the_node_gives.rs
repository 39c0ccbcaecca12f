//! `author_rotateKeys` asks the runtime for new session keys (`SessionKeys_generate_session_keys`,
//! as on Substrate): the runtime says which keys a validator needs (Aura sr25519, then GRANDPA
//! ed25519: the pair `Grandpa.set_validators` takes) and makes them through the host's
//! `ext_crypto_*_generate_version_1` in the keystore the node hands that one call. Without a
//! keystore (a block, any other call) no key can be made. Natively and in wasm.

mod common;
use common::*;
use folio_primitives::crypto::SignatureKind;
use folio_primitives::externalities::KeyGenerator;
use parity_scale_codec::{Decode, Encode};
use std::cell::RefCell;

const AURA: [u8; 4] = *b"aura";
const GRAN: [u8; 4] = *b"gran";

/// One key the runtime asked for: its scheme, key type and seed.
type Request = (SignatureKind, [u8; 4], Option<String>);

/// Answers each request with a public key that names its scheme, and records it.
#[derive(Default)]
struct RecordingKeystore {
    made: RefCell<Vec<Request>>,
}

fn public_of(kind: SignatureKind) -> [u8; 32] {
    match kind {
        SignatureKind::Sr25519 => [0x11; 32],
        SignatureKind::Ed25519 => [0xed; 32],
    }
}

impl KeyGenerator for RecordingKeystore {
    fn generate(
        &self,
        kind: SignatureKind,
        key_type: [u8; 4],
        seed: Option<&str>,
    ) -> Result<[u8; 32], String> {
        self.made
            .borrow_mut()
            .push((kind, key_type, seed.map(str::to_owned)));
        Ok(public_of(kind))
    }
}

fn generate(chain: &mut Chain, seed: Option<&[u8]>, keys: &RecordingKeystore) -> Vec<u8> {
    let raw = chain
        .call_with_keys(
            "SessionKeys_generate_session_keys",
            &seed.map(<[u8]>::to_vec).encode(),
            keys,
        )
        .expect("the runtime makes session keys");
    Vec::<u8>::decode(&mut &raw[..]).expect("SCALE Vec<u8>")
}

fn decode(chain: &mut Chain, encoded: &[u8]) -> Option<Vec<(Vec<u8>, [u8; 4])>> {
    let raw = chain
        .call(
            "SessionKeys_decode_session_keys",
            &encoded.to_vec().encode(),
        )
        .expect("decode_session_keys answers");
    Option::<Vec<(Vec<u8>, [u8; 4])>>::decode(&mut &raw[..]).expect("SCALE answer")
}

fn session_keys_are_aura_then_grandpa(backend: Backend) {
    let mut chain = Chain::dev(backend);
    let keystore = RecordingKeystore::default();
    let keys = generate(&mut chain, None, &keystore);
    assert_eq!(
        keys,
        [
            public_of(SignatureKind::Sr25519),
            public_of(SignatureKind::Ed25519)
        ]
        .concat()
    );
    assert_eq!(
        keystore.made.take(),
        vec![
            (SignatureKind::Sr25519, AURA, None),
            (SignatureKind::Ed25519, GRAN, None)
        ]
    );
    assert_eq!(
        decode(&mut chain, &keys),
        Some(vec![
            (public_of(SignatureKind::Sr25519).to_vec(), AURA),
            (public_of(SignatureKind::Ed25519).to_vec(), GRAN)
        ])
    );
    // The Aura key alone is not a set of session keys any more.
    assert_eq!(decode(&mut chain, &keys[..32]), None);

    // A seed goes to the keystore as the secret URI it is.
    generate(&mut chain, Some(b"//Eve"), &keystore);
    let seeds: Vec<Option<String>> = keystore.made.take().into_iter().map(|m| m.2).collect();
    assert_eq!(
        seeds,
        vec![Some("//Eve".to_string()), Some("//Eve".to_string())]
    );
}

fn no_keystore_no_keys(backend: Backend) {
    let mut chain = Chain::dev(backend);
    let error = chain
        .call(
            "SessionKeys_generate_session_keys",
            &None::<Vec<u8>>.encode(),
        )
        .expect_err("no keys without a keystore");
    assert!(error.contains("keystore"), "{error}");
}

#[test]
fn native_session_keys_are_aura_then_grandpa() {
    session_keys_are_aura_then_grandpa(Backend::Native);
}

#[test]
fn wasm_session_keys_are_aura_then_grandpa() {
    session_keys_are_aura_then_grandpa(Backend::wasm());
}

#[test]
fn native_runtime_makes_no_keys_without_a_keystore() {
    no_keystore_no_keys(Backend::Native);
}

#[test]
fn wasm_runtime_makes_no_keys_without_a_keystore() {
    no_keystore_no_keys(Backend::wasm());
}
