//! A longer fork becomes best: the canonical index and the flat index follow it, and the old
//! fork's states stay readable through their tries.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use folio_storage::Database;

#[test]
fn longer_fork_becomes_best_with_its_state() {
    let db = Database::open_temporary().unwrap();
    let mut base = common::State::new();
    base.insert(b"shared".to_vec(), b"0".to_vec());
    let genesis = common::genesis(&db, &base);

    // Chain A: two blocks.
    let mut model_a = base.clone();
    let a1_changes = BTreeMap::from([(b"a".to_vec(), Some(b"1".to_vec()))]);
    common::apply(&mut model_a, &a1_changes);
    let a1 = common::commit(&db, &genesis, a1_changes, 0);
    let a2_changes = BTreeMap::from([(b"shared".to_vec(), Some(b"a".to_vec()))]);
    common::apply(&mut model_a, &a2_changes);
    let a2 = common::commit(&db, &a1, a2_changes, 0);
    assert_eq!(db.best().unwrap().hash, a2.hash());

    // Chain B: as long as A does not take over; one more block does.
    let mut model_b = base.clone();
    let mut parent = genesis.clone();
    let mut chain_b = Vec::new();
    for n in 1u8..=3 {
        let changes = BTreeMap::from([
            (vec![b'b', n], Some(vec![n; 50])),
            (b"shared".to_vec(), None),
        ]);
        common::apply(&mut model_b, &changes);
        parent = common::commit(&db, &parent, changes, 7);
        chain_b.push(parent.clone());
        let best = db.best().unwrap();
        if n <= 2 {
            assert_eq!(best.hash, a2.hash(), "equal length keeps the current best");
        } else {
            assert_eq!(best.hash, parent.hash());
        }
    }
    let b3 = chain_b.last().unwrap();
    let view = db.state_at(&b3.hash()).unwrap();
    assert!(view.reads_flat_index());
    common::assert_view_matches(&view, &model_b);
    assert_eq!(db.verify_best_state().unwrap(), b3.state_root);
    for (n, header) in chain_b.iter().enumerate() {
        assert_eq!(
            db.hash_by_number(n as u32 + 1).unwrap(),
            Some(header.hash())
        );
    }
    assert_eq!(db.hash_by_number(4).unwrap(), None);
    // Chain A's head is still there, read through its trie.
    let old = db.state_at(&a2.hash()).unwrap();
    assert!(!old.reads_flat_index());
    common::assert_view_matches(&old, &model_a);

    // Back to A by finalizing a block on it: finality beats length.
    let mut a3 = common::block(&db, &a2, BTreeMap::from([(b"a".to_vec(), None)]), 0);
    a3.finalized = true;
    let a3_header = a3.header.clone();
    common::apply(&mut model_a, &a3.changes);
    db.commit_block(a3).unwrap();
    assert_eq!(db.best().unwrap().hash, a3_header.hash());
    assert_eq!(db.finalized().unwrap().hash, a3_header.hash());
    assert_eq!(db.hash_by_number(1).unwrap(), Some(a1.hash()));
    common::assert_view_matches(&db.state_at(&a3_header.hash()).unwrap(), &model_a);
}
