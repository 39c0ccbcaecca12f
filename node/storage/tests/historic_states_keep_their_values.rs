//! Old blocks' states keep their values after later blocks change or remove them, and the
//! best state (flat index) agrees with its trie.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use folio_storage::Database;

#[test]
fn historic_reads_return_the_values_of_their_block() {
    let db = Database::open_temporary().unwrap();
    let genesis = common::genesis(
        &db,
        &BTreeMap::from([(b"balance".to_vec(), b"100".to_vec())]),
    );
    let one = common::commit(
        &db,
        &genesis,
        BTreeMap::from([
            (b"balance".to_vec(), Some(b"90".to_vec())),
            (b"z".to_vec(), Some(vec![7; 64])),
        ]),
        0,
    );
    let two = common::commit(
        &db,
        &one,
        BTreeMap::from([
            (b"balance".to_vec(), None),
            (b"a".to_vec(), Some(b"new".to_vec())),
        ]),
        0,
    );

    let at = |header: &folio_primitives::header::Header| db.state_at(&header.hash()).unwrap();
    assert_eq!(
        at(&genesis).try_get(b"balance").unwrap(),
        Some(b"100".to_vec())
    );
    assert_eq!(at(&one).try_get(b"balance").unwrap(), Some(b"90".to_vec()));
    assert_eq!(at(&one).try_get(b"z").unwrap(), Some(vec![7; 64]));
    assert_eq!(at(&two).try_get(b"balance").unwrap(), None);
    assert!(!at(&one).reads_flat_index());
    assert!(at(&two).reads_flat_index());
    assert_eq!(
        at(&genesis).try_next_key(b"").unwrap(),
        Some(b"balance".to_vec())
    );
    assert_eq!(at(&genesis).try_next_key(b"balance").unwrap(), None);
    assert_eq!(at(&two).try_next_key(b"").unwrap(), Some(b"a".to_vec()));
    assert_eq!(at(&two).try_next_key(b"a").unwrap(), Some(b"z".to_vec()));

    // A view is a snapshot: a block committed after it was taken does not change it.
    let view = at(&two);
    let three = common::commit(&db, &two, BTreeMap::from([(b"a".to_vec(), None)]), 0);
    assert_eq!(view.try_get(b"a").unwrap(), Some(b"new".to_vec()));
    assert_eq!(at(&three).try_get(b"a").unwrap(), None);
    assert_eq!(at(&two).try_get(b"a").unwrap(), Some(b"new".to_vec()));
}

#[test]
fn read_proofs_verify_against_the_blocks_root() {
    let db = Database::open_temporary().unwrap();
    let genesis = common::genesis(&db, &(0u8..30).map(|i| (vec![i], vec![i; 40])).collect());
    let one = common::commit(
        &db,
        &genesis,
        BTreeMap::from([(vec![3], Some(b"three".to_vec()))]),
        0,
    );
    for (header, expected) in [(&genesis, vec![3u8; 40]), (&one, b"three".to_vec())] {
        let proof = db
            .read_proof(&header.hash(), [vec![3u8], vec![200u8]])
            .unwrap();
        let root = header.state_root.0;
        assert_eq!(
            folio_trie::verify_proof(root, &proof, &[3]).unwrap(),
            Some(expected)
        );
        assert_eq!(
            folio_trie::verify_proof(root, &proof, &[200]).unwrap(),
            None
        );
    }
}

#[test]
fn backend_trait_reads_the_same_as_the_fallible_methods() {
    use folio_primitives::externalities::Backend;
    let db = Database::open_temporary().unwrap();
    let state: common::State = (0u8..10).map(|i| (vec![i], vec![i])).collect();
    let genesis = common::genesis(&db, &state);
    let view = db.state_at(&genesis.hash()).unwrap();
    assert_eq!(Backend::get(&view, &[4]), Some(vec![4]));
    assert_eq!(Backend::next_key(&view, &[4]), Some(vec![5]));
    let changes = BTreeMap::from([(vec![4], None), (vec![99], Some(vec![1]))]);
    let mut model = state.clone();
    common::apply(&mut model, &changes);
    assert_eq!(
        Backend::root_with_changes(&view, &changes),
        folio_trie::state_root(model.iter())
    );
    assert!(view.take_error().is_none());
}
