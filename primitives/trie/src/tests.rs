use std::collections::BTreeMap;

use hash_db::HashDB;
use parity_scale_codec::{Compact, Encode};
use proptest::prelude::*;
use trie_db::TrieConfiguration;

use super::*;

fn h(hex: &str) -> Hash {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    bytes.try_into().unwrap()
}

fn pairs(items: &[(&[u8], &[u8])]) -> Vec<(Vec<u8>, Vec<u8>)> {
    items
        .iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

/// Builds the trie in a fresh `MemoryDB` through `apply_changes`, starting from the empty root.
fn persisted(items: &[(Vec<u8>, Vec<u8>)]) -> (MemoryDB, Hash) {
    let mut db = MemoryDB::default();
    let changes = items.iter().map(|(k, v)| (k.clone(), Some(v.clone())));
    let root = apply_changes(&mut db, EMPTY_ROOT, changes).unwrap();
    (db, root)
}

#[test]
fn empty_root_is_blake2_of_the_empty_node_and_the_root_of_nothing() {
    assert_eq!(EMPTY_ROOT, Blake2Hasher::hash_of(&[0x00]));
    assert_eq!(
        EMPTY_ROOT,
        h("03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314")
    );
    assert_eq!(state_root(Vec::<(Vec<u8>, Vec<u8>)>::new()), EMPTY_ROOT);
    assert_eq!(
        <NodeCodec as trie_db::NodeCodec>::hashed_null_node(),
        EMPTY_ROOT
    );
    assert_eq!(persisted(&[]).1, EMPTY_ROOT);
}

#[test]
fn roots_match_substrate_state_machine_vectors() {
    // polkadot-sdk substrate/primitives/state-machine/src/basic.rs `commit_should_work` and
    // overlayed_changes/mod.rs `overlayed_storage_root_works` (all values inline, so V0 = V1).
    let animals = pairs(&[
        (b"doe", b"reindeer"),
        (b"dog", b"puppy"),
        (b"dogglesworth", b"cat"),
    ]);
    let expected = h("39245109cef3758c2eed2ccba8d9b370a917850af3824bc8348d505df2c298fa");
    assert_eq!(state_root(animals.clone()), expected);
    assert_eq!(persisted(&animals).1, expected);

    // Same test, after `doug2 => yes` is added.
    let mut more = animals;
    more.push((b"doug2".to_vec(), b"yes".to_vec()));
    let expected = h("5c0a4e35cb967de785e1cb8743e6f24b6ff6d45155317f2078f6eb3fc4ff3e3d");
    assert_eq!(state_root(more.clone()), expected);
    assert_eq!(persisted(&more).1, expected);
}

#[test]
fn child_and_top_roots_match_substrate_vectors_and_keep_32_byte_values_inline() {
    // polkadot-sdk substrate/primitives/state-machine/src/overlayed_changes/mod.rs
    // `overlayed_child_storage_root_works`: the child trie ends as {10, 20, 40} and the top trie
    // holds only its 32-byte root under the default child storage key. A 32-byte value is
    // inline in V1 too, so this also pins the hashed-value threshold at 33.
    let child = pairs(&[(&[10], &[10]), (&[20], &[20]), (&[40], &[40])]);
    let child_root = state_root(child);
    assert_eq!(
        child_root,
        h("c02965e1df4dc5baf6977390ce67dab1d7a9b27a87c1afe27b50d29cc990e0f5")
    );
    let top = [(
        b":child_storage:default:Child1".to_vec(),
        child_root.to_vec(),
    )];
    let expected = h("eafb765909c3ed5afd92a0c564acf4620d0234b31702e8e8e9b48da72a748838");
    assert_eq!(state_root(top.clone()), expected);
    assert_eq!(persisted(&top).1, expected);
}

#[test]
fn node_bytes_match_substrate_codec_vectors() {
    // polkadot-sdk substrate/primitives/trie/src/lib.rs `codec_trie_single_tuple`.
    assert_eq!(
        LayoutV1::trie_root_unhashed(vec![(vec![0xaa], vec![0xbb])]),
        vec![0x42, 0xaa, 0x04, 0xbb]
    );
    // Same file, `codec_trie_two_tuples_disjoint_keys`.
    let unhashed = LayoutV1::trie_root_unhashed(vec![
        (vec![0x48, 0x19], vec![0xfe]),
        (vec![0x13, 0x14], vec![0xff]),
    ]);
    let expected = vec![
        0x80, // branch without value, no partial key
        0x12, 0x00, // children at slots 1 and 4
        0x14, 0x43, 0x03, 0x14, 0x04, 0xff, // slot 1: inline 5-byte leaf, 3 nibbles 3,1,4
        0x14, 0x43, 0x08, 0x19, 0x04, 0xfe, // slot 4: inline 5-byte leaf, 3 nibbles 8,1,9
    ];
    assert_eq!(unhashed, expected);
    assert_eq!(
        LayoutV1::trie_root_unhashed(Vec::<(Vec<u8>, Vec<u8>)>::new()),
        vec![0x00]
    );
}

#[test]
fn values_of_33_bytes_or_more_are_stored_by_hash() {
    let inline = vec![0x11; 32];
    let mut expected = vec![0x42, 0xaa, 0x80]; // leaf, 2 nibbles, Compact(32)
    expected.extend_from_slice(&inline);
    assert_eq!(
        LayoutV1::trie_root_unhashed(vec![(vec![0xaa], inline)]),
        expected
    );

    let hashed = vec![0x11; 33];
    let mut expected = vec![0x22, 0xaa]; // hashed-value leaf (0b001), 2 nibbles
    expected.extend_from_slice(&Blake2Hasher::hash_of(&hashed));
    assert_eq!(
        LayoutV1::trie_root_unhashed(vec![(vec![0xaa], hashed.clone())]),
        expected
    );

    // The persisted trie holds the value as its own entry, found under its hash.
    let (db, root) = persisted(&[(vec![0xaa], hashed.clone())]);
    assert_eq!(root, Blake2Hasher::hash_of(&expected));
    assert!(HashDB::contains(
        &db,
        &Blake2Hasher::hash_of(&hashed),
        (&[0xaa], None)
    ));
    assert_eq!(read_value(&db, root, &[0xaa]).unwrap(), Some(hashed));
}

#[test]
fn branch_with_hashed_value_uses_its_own_header() {
    let long = vec![7u8; 40];
    let items = pairs(&[
        (&[0xab], &long),
        (&[0xab, 0x01], &[1]),
        (&[0xab, 0x02], &[2]),
    ]);
    let unhashed = LayoutV1::trie_root_unhashed(items.clone());
    // 0b0001 prefix + 2 nibbles, key 0xab, bitmap of child 0, then the raw value hash.
    assert_eq!(
        unhashed[..5],
        [0x12, 0xab, 0x01, 0x00, Blake2Hasher::hash_of(&long)[0]]
    );
    assert_eq!(state_root(items.clone()), persisted(&items).1);
}

#[test]
fn state_root_ignores_order_and_keeps_the_last_write() {
    let a = state_root(pairs(&[(b"b", b"2"), (b"a", b"old"), (b"a", b"1")]));
    let b = state_root(pairs(&[(b"a", b"1"), (b"b", b"2")]));
    assert_eq!(a, b);
}

#[test]
fn ordered_trie_root_keys_items_by_compact_index() {
    assert_eq!(ordered_trie_root::<Vec<u8>>(&[]), EMPTY_ROOT);

    // One item: a lone leaf with key Compact(0) = 0x00 (2 nibbles) and the item inline.
    assert_eq!(
        ordered_trie_root(&[vec![0xaa]]),
        Blake2Hasher::hash_of(&[0x42, 0x00, 0x04, 0xaa])
    );

    let items: Vec<Vec<u8>> = (0u8..70).map(|i| vec![i; usize::from(i)]).collect();
    let by_hand = state_root(
        items
            .iter()
            .enumerate()
            .map(|(i, item)| (Compact(i as u32).encode(), item)),
    );
    assert_eq!(ordered_trie_root(&items), by_hand);
    assert_eq!(
        ordered_trie_root(&items),
        LayoutV1::ordered_trie_root(&items)
    );
}

#[test]
fn read_proof_round_trips_and_rejects_wrong_roots() {
    let long = vec![9u8; 100];
    // carol's leaf is over 32 bytes, so it is its own node rather than inlined in the root.
    let items = pairs(&[
        (b"alice", b"1"),
        (b"alicia", &long),
        (b"bob", b"2"),
        (b"carol", &[3; 30]),
    ]);
    let (db, root) = persisted(&items);

    let proof = read_proof(&db, root, [b"alicia".as_slice(), b"alfred"]).unwrap();
    assert!(
        proof.windows(2).all(|w| w[0] < w[1]),
        "proof is sorted and deduplicated"
    );
    assert!(proof.contains(&long), "a hashed value travels in the proof");
    assert_eq!(verify_proof(root, &proof, b"alicia").unwrap(), Some(long));
    assert_eq!(verify_proof(root, &proof, b"alfred").unwrap(), None);

    // A key the proof does not cover is an error, not a guess.
    assert!(matches!(
        verify_proof(root, &proof, b"carol"),
        Err(TrieError::MissingNode { .. })
    ));

    let mut wrong = root;
    wrong[0] ^= 1;
    assert_eq!(
        verify_proof(wrong, &proof, b"alicia"),
        Err(TrieError::InvalidStateRoot { root: wrong })
    );
    assert!(verify_proof(root, &[], b"alicia").is_err());
}

#[test]
fn empty_trie_proofs_prove_absence() {
    let db = MemoryDB::default();
    let proof = read_proof(&db, EMPTY_ROOT, [b"x"]).unwrap();
    assert_eq!(verify_proof(EMPTY_ROOT, &proof, b"x").unwrap(), None);
    assert_eq!(read_value(&db, EMPTY_ROOT, b"x").unwrap(), None);
}

#[test]
fn reading_from_a_database_missing_nodes_is_an_error() {
    let items: Vec<_> = (0u8..50).map(|i| (vec![i, i], vec![i; 40])).collect();
    let (_, root) = persisted(&items);

    let empty = MemoryDB::default();
    assert_eq!(
        read_value(&empty, root, &[1, 1]),
        Err(TrieError::InvalidStateRoot { root })
    );
    let mut db = empty;
    assert!(apply_changes(&mut db, root, [(vec![1], None)]).is_err());

    // Only the nodes for one key: reading another one needs nodes that are not there.
    let (full, root) = persisted(&items);
    let mut partial =
        memory_db::MemoryDB::<Blake2Hasher, memory_db::HashKey<Blake2Hasher>, Vec<u8>>::default();
    for node in read_proof(&full, root, [[3u8, 3]]).unwrap() {
        partial.insert(hash_db::EMPTY_PREFIX, &node);
    }
    assert_eq!(
        read_value(&partial, root, &[3, 3]).unwrap(),
        Some(vec![3; 40])
    );
    let missing = read_value(&partial, root, &[40, 40]);
    assert!(
        matches!(missing, Err(TrieError::MissingNode { .. })),
        "{missing:?}"
    );
    assert!(missing.unwrap_err().to_string().contains("is missing"));

    // A failed update writes nothing, not even the nodes of the change that did apply.
    let before = partial.keys();
    let failed = apply_changes(
        &mut partial,
        root,
        [(vec![3, 3], Some(vec![7; 50])), (vec![40, 40], None)],
    );
    // (trie-db reports the missing node as `InvalidStateRoot` here: its lookup during an
    // update starts from the already loaded parent, so the missing child is that lookup's root.)
    assert!(
        matches!(failed, Err(TrieError::InvalidStateRoot { root: missing }) if missing != root),
        "{failed:?}"
    );
    assert_eq!(partial.keys(), before);
}

#[test]
fn corrupt_nodes_are_reported_with_their_hash() {
    let garbage = vec![0x05, 0x01, 0x02]; // header 0b0000_0101 is no node kind
    let root = Blake2Hasher::hash_of(&garbage);
    let err = verify_proof(root, &[garbage], b"k").unwrap_err();
    assert!(
        matches!(err, TrieError::Decode { hash, .. } if hash == root),
        "{err:?}"
    );
}

#[test]
fn removing_an_absent_prefix_key_leaves_the_trie_unchanged() {
    // The reproduction of paritytech/trie#217, and the case this crate's proptest found: the
    // removed key ends exactly where a branch child with a value and a longer partial key starts.
    let cases = [
        pairs(&[
            (&[0xff, 0xff], &[0x0a]),
            (&[0xfe, 0xff, 0xe9], &[0x0b]),
            (&[0xff, 0xff, 0xff], &[0x0c]),
        ]),
        pairs(&[
            (&[0, 1, 255], &[1]),
            (&[0, 1, 255, 16, 0], &[2]),
            (&[1], &[3]),
        ]),
    ];
    for (items, absent) in cases.iter().zip([vec![0xff], vec![0]]) {
        let (mut db, root) = persisted(items);
        assert_eq!(
            apply_changes(&mut db, root, [(absent.clone(), None)]),
            Ok(root)
        );
        for (key, value) in items {
            assert_eq!(read_value(&db, root, key).unwrap().as_ref(), Some(value));
        }
    }
}

/// Keys drawn from a small alphabet and short lengths so that many share prefixes (branches
/// with values, long partial keys); values 0..100 bytes cover inline and hashed values.
fn entries() -> impl Strategy<Value = BTreeMap<Vec<u8>, Vec<u8>>> {
    let key = prop::collection::vec(
        prop::sample::select(vec![0x00u8, 0x01, 0x10, 0xab, 0xff]),
        0..6,
    );
    let value = prop::collection::vec(any::<u8>(), 0..100);
    prop::collection::btree_map(key, value, 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn streaming_root_equals_persisted_root_through_inserts_and_removals(
        entries in entries(),
        removed in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
        absent in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![0x00u8, 0x01, 0x10, 0xab, 0xff]), 0..6), 0..10),
    ) {
        let items: Vec<_> = entries.clone().into_iter().collect();
        let (mut db, root) = persisted(&items);
        prop_assert_eq!(root, state_root(items.clone()));

        for (key, value) in &items {
            prop_assert_eq!(read_value(&db, root, key).unwrap(), Some(value.clone()));
        }

        let mut remaining = entries;
        let mut removals = Vec::new();
        if !items.is_empty() {
            for index in removed {
                let key = items[index.index(items.len())].0.clone();
                remaining.remove(&key);
                removals.push((key, None));
            }
        }
        // Keys from the same alphabet, mostly absent and often strict prefixes of present ones.
        for key in absent {
            remaining.remove(&key);
            removals.push((key, None));
        }
        let root = apply_changes(&mut db, root, removals).unwrap();
        prop_assert_eq!(root, state_root(remaining.clone()));
        if remaining.is_empty() {
            prop_assert_eq!(root, EMPTY_ROOT);
        }

        // Every remaining key proves its value from a proof built for it.
        for (key, value) in &remaining {
            let proof = read_proof(&db, root, [key]).unwrap();
            prop_assert_eq!(verify_proof(root, &proof, key).unwrap(), Some(value.clone()));
        }
    }

    #[test]
    fn garbage_proofs_give_errors_not_panics(
        nodes in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 1..4),
        key in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        // Root the proof at its first node so the lookup really decodes the garbage.
        let root = Blake2Hasher::hash_of(&nodes[0]);
        let _ = verify_proof(root, &nodes, &key);
    }
}
