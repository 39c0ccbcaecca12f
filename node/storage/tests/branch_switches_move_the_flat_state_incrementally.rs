//! Fork choice in the database: blocks on any stored branch are kept, the longest chain is
//! best (ties: the first seen), a switch moves the flat index along the change journals, and
//! finality prunes the branches that do not descend from it.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, HashMap};

use folio_primitives::H256;
use folio_storage::{BlockRef, Database, StorageError};
use rand::{rngs::StdRng, Rng, SeedableRng};

/// A random tree of blocks: after every commit the best block is the longest chain's first
/// seen head and the flat index equals its state (checked against a model and its trie).
#[test]
fn random_branches_keep_the_flat_state_equal_to_the_best_state() {
    let db = Database::open_temporary().unwrap();
    let mut base = common::State::new();
    for i in 0u8..40 {
        base.insert(vec![b'k', i], vec![i; 8]);
    }
    let genesis = common::genesis(&db, &base);
    let mut rng = StdRng::seed_from_u64(7);
    let mut blocks = vec![(genesis.clone(), base.clone())];
    let mut best = (genesis.hash(), 0u32);
    let mut switches = 0;
    for salt in 1..120u64 {
        let parent_index = if rng.gen_bool(0.6) {
            blocks.len() - 1
        } else {
            rng.gen_range(0..blocks.len())
        };
        let (parent, parent_state) = blocks[parent_index].clone();
        let mut changes = common::Changes::new();
        for _ in 0..rng.gen_range(1..6) {
            let key = vec![b'k', rng.gen_range(0..50)];
            let value = rng
                .gen_bool(0.8)
                .then(|| vec![rng.gen(); rng.gen_range(1..40)]);
            changes.insert(key, value);
        }
        let mut state = parent_state.clone();
        common::apply(&mut state, &changes);
        let block = common::block(&db, &parent, changes, salt);
        let header = block.header.clone();
        let committed = db.commit_block_routed(block).unwrap();
        if header.number > best.1 {
            if !committed.route.retracted.is_empty() {
                switches += 1;
                assert_eq!(committed.route.enacted.last().unwrap().hash, header.hash());
            }
            assert!(committed.best);
            best = (header.hash(), header.number);
        } else {
            assert!(
                !committed.best,
                "a tie or shorter branch keeps the first seen"
            );
        }
        assert_eq!(db.best().unwrap().hash, best.0);
        let best_state = blocks
            .iter()
            .chain(std::iter::once(&(header.clone(), state.clone())))
            .find(|(h, _)| h.hash() == best.0)
            .unwrap()
            .1
            .clone();
        assert_eq!(
            db.verify_best_state().unwrap(),
            H256(folio_trie::state_root(best_state.iter()))
        );
        common::assert_view_matches(&db.state_at(&best.0).unwrap(), &best_state);
        blocks.push((header, state));
    }
    assert!(
        switches > 3,
        "the random tree switched branches {switches} times"
    );
}

/// Finalizing a block prunes every branch that does not descend from it, keeps its
/// justification, and a block off the best chain finalized moves the best block onto it.
#[test]
fn finality_prunes_other_branches_and_beats_length() {
    let db = Database::open_temporary().unwrap();
    let genesis = common::genesis(&db, &common::State::new());
    let change = |k: u8| BTreeMap::from([(vec![k], Some(vec![k]))]);
    let a1 = common::commit(&db, &genesis, change(1), 1);
    let a2 = common::commit(&db, &a1, change(2), 1);
    let a3 = common::commit(&db, &a2, change(3), 1);
    let b1 = common::commit(&db, &genesis, change(4), 2);
    let b2 = common::commit(&db, &b1, change(5), 2);
    let c2 = common::commit(&db, &a1, change(6), 3);
    assert_eq!(db.best().unwrap().hash, a3.hash());

    // Finalize c2 (off the best chain): best moves to it, a2/a3 and the b branch are pruned.
    let finalized = db
        .finalize(&c2.hash(), Some((*b"FRNK", vec![9, 9])))
        .unwrap();
    assert_eq!(
        finalized.finality.finalized,
        vec![
            BlockRef {
                hash: a1.hash(),
                number: 1
            },
            BlockRef {
                hash: c2.hash(),
                number: 2
            }
        ]
    );
    let mut pruned = finalized.finality.pruned.clone();
    pruned.sort();
    let mut expected = vec![a2.hash(), a3.hash(), b1.hash(), b2.hash()];
    expected.sort();
    assert_eq!(pruned, expected);
    let route = finalized.route.unwrap();
    assert_eq!(route.retracted.len(), 2);
    assert_eq!(db.best().unwrap().hash, c2.hash());
    assert_eq!(db.finalized().unwrap().hash, c2.hash());
    for gone in &expected {
        assert_eq!(db.header(gone).unwrap(), None);
    }
    let mut model = common::State::new();
    model.insert(vec![1], vec![1]);
    model.insert(vec![6], vec![6]);
    common::assert_view_matches(&db.state_at(&c2.hash()).unwrap(), &model);
    db.verify_best_state().unwrap();
    assert_eq!(
        db.justifications(&c2.hash()).unwrap(),
        Some(vec![(*b"FRNK", vec![9, 9])])
    );
    // Nothing may be built on a pruned or below-finality block any more.
    assert!(matches!(
        db.commit_block(common::block(&db, &a1, change(7), 4)),
        Err(StorageError::FinalityConflict { .. })
    ));
    assert!(matches!(
        db.finalize(&a1.hash(), None),
        Err(StorageError::FinalityReversal { .. })
    ));
}

/// A long side branch overtaking a long best chain moves the flat index along the journals,
/// and a database reopened after that holds the same best state.
#[test]
fn a_switch_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut heads: HashMap<&str, folio_primitives::header::Header> = HashMap::new();
    {
        let db = Database::open(dir.path()).unwrap();
        let genesis = common::genesis(&db, &common::State::new());
        let mut a = genesis.clone();
        for n in 0u8..10 {
            a = common::commit(&db, &a, BTreeMap::from([(vec![b'a', n], Some(vec![n]))]), 1);
        }
        let mut b = genesis.clone();
        for n in 0u8..11 {
            b = common::commit(&db, &b, BTreeMap::from([(vec![b'b', n], Some(vec![n]))]), 2);
        }
        assert_eq!(db.best().unwrap().hash, b.hash());
        heads.insert("b", b);
    }
    let db = Database::open(dir.path()).unwrap();
    let b = &heads["b"];
    assert_eq!(db.best().unwrap().hash, b.hash());
    assert_eq!(db.verify_best_state().unwrap(), b.state_root);
    let view = db.state_at(&b.hash()).unwrap();
    assert!(view.reads_flat_index());
    assert_eq!(view.try_get(&[b'a', 3]).unwrap(), None);
    assert_eq!(view.try_get(&[b'b', 3]).unwrap(), Some(vec![3]));
}
