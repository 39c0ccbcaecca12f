//! `Grandpa.set_validators` through sudo (Root, as governance enacts it): the block carries
//! Substrate's `FRNK` scheduled-change digest, the set id goes up, and after the delay both the
//! Aura and the GRANDPA sets are the new ones — natively and in wasm, and a second node
//! importing the blocks agrees (the digest is part of the header it checks).

mod common;

use common::{Backend, Chain};
use folio_pallet_grandpa::{find_scheduled_change, AuthorityId};
use folio_primitives::keyring::{Ed25519Pair, Keyring};
use folio_runtime::RuntimeCall;
use parity_scale_codec::{Decode, Encode};

fn grandpa_authorities(chain: &mut Chain) -> Vec<(AuthorityId, u64)> {
    let out = chain.call("GrandpaApi_grandpa_authorities", &[]).unwrap();
    Decode::decode(&mut &out[..]).unwrap()
}

fn set_id(chain: &mut Chain) -> u64 {
    let out = chain.call("GrandpaApi_current_set_id", &[]).unwrap();
    u64::decode(&mut &out[..]).unwrap()
}

fn aura_authorities(chain: &mut Chain) -> Vec<[u8; 32]> {
    let out = chain.call("AuraApi_authorities", &[]).unwrap();
    Decode::decode(&mut &out[..]).unwrap()
}

fn check(backend: fn() -> Backend) {
    let mut chain = Chain::dev(backend());
    let mut follower = Chain::dev(backend());
    assert!(grandpa_authorities(&mut chain).is_empty());
    assert_eq!(set_id(&mut chain), 0);

    let validators: Vec<([u8; 32], [u8; 32])> = ["Eve", "Ferdie"]
        .iter()
        .map(|name| {
            let aura = folio_primitives::keyring::Sr25519Pair::from_uri(&format!("//{name}"))
                .unwrap()
                .public();
            let gran = Ed25519Pair::from_uri(&format!("//{name}"))
                .unwrap()
                .public();
            (aura, gran)
        })
        .collect();
    let call = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::Grandpa(
            folio_pallet_grandpa::Call::set_validators {
                validators: validators.clone(),
            },
        )),
    });
    let tx = chain.sign(Keyring::Alice, call, 0, 0);
    let (block, results) = chain.build_block(&[tx]);
    assert_eq!(results, vec![Ok(Ok(()))]);
    let change = find_scheduled_change(&block.header.digest.logs).expect("FRNK digest");
    assert_eq!(change.delay, 5);
    let expected: Vec<(AuthorityId, u64)> = validators
        .iter()
        .map(|(_, g)| (AuthorityId(*g), 1))
        .collect();
    assert_eq!(change.next_authorities, expected);
    assert_eq!(set_id(&mut chain), 1);
    follower
        .import(&block)
        .expect("the follower accepts the digest");

    for _ in 0..4 {
        let (block, _) = chain.build_block(&[]);
        follower.import(&block).unwrap();
        assert!(
            grandpa_authorities(&mut chain).is_empty(),
            "not before the delay"
        );
    }
    let (block, _) = chain.build_block(&[]);
    follower.import(&block).unwrap();
    assert_eq!(block.header.number, 6);
    for node in [&mut chain, &mut follower] {
        assert_eq!(grandpa_authorities(node), expected);
        assert_eq!(
            aura_authorities(node),
            validators.iter().map(|(a, _)| *a).collect::<Vec<_>>()
        );
        assert_eq!(set_id(node), 1);
    }
    assert!(chain.events().iter().any(|e| matches!(
        e,
        folio_runtime::RuntimeEvent::Grandpa(folio_pallet_grandpa::Event::NewAuthorities { .. })
    )));
    // The encoding polkadot-js reads for `api.call.grandpaApi.grandpaAuthorities`.
    assert_eq!(
        chain.call("GrandpaApi_grandpa_authorities", &[]).unwrap(),
        expected.encode()
    );
}

#[test]
fn native_runtime_changes_both_sets_after_the_delay() {
    check(|| Backend::Native);
}

#[test]
fn wasm_runtime_changes_both_sets_after_the_delay() {
    check(Backend::wasm);
}

#[test]
fn local_testnet_preset_has_four_grandpa_authorities() {
    let json = folio_runtime::genesis::preset(Some(b"local_testnet")).unwrap();
    let config: folio_runtime::genesis::RuntimeGenesisConfig =
        serde_json::from_slice(&json).unwrap();
    let keys: Vec<[u8; 32]> = ["Alice", "Bob", "Charlie", "Dave"]
        .iter()
        .map(|n| Ed25519Pair::from_uri(&format!("//{n}")).unwrap().public())
        .collect();
    let listed: Vec<([u8; 32], u64)> = config
        .grandpa
        .authorities
        .iter()
        .map(|(a, w)| (a.0, *w))
        .collect();
    assert_eq!(listed, keys.into_iter().map(|k| (k, 1)).collect::<Vec<_>>());
}
