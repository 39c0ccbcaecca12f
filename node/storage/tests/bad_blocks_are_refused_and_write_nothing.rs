//! Blocks the database must refuse, each with its typed error and without writing anything.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use folio_primitives::H256;
use folio_storage::{Database, StatePruning, StorageError};

fn setup() -> (Database, folio_primitives::header::Header) {
    let db = Database::open_temporary().unwrap();
    let genesis = common::genesis(&db, &BTreeMap::from([(b"k".to_vec(), b"v".to_vec())]));
    (db, genesis)
}

fn assert_unchanged(db: &Database, best: &folio_primitives::header::Header, refused: H256) {
    assert_eq!(db.best().unwrap().hash, best.hash());
    assert_eq!(db.header(&refused).unwrap(), None);
    assert_eq!(db.body(&refused).unwrap(), None);
    assert_eq!(db.hash_by_number(best.number + 1).unwrap(), None);
    assert_eq!(db.verify_best_state().unwrap(), best.state_root);
    assert_eq!(
        db.state_at(&best.hash()).unwrap().try_get(b"k").unwrap(),
        Some(b"v".to_vec())
    );
}

#[test]
fn state_root_mismatch_is_refused_and_writes_nothing() {
    let (db, genesis) = setup();
    let mut block = common::block(&db, &genesis, BTreeMap::from([(b"k".to_vec(), None)]), 0);
    let right = block.header.state_root;
    block.header.state_root = H256([9; 32]);
    let refused = block.header.hash();
    match db.commit_block(block) {
        Err(StorageError::StateRootMismatch { expected, got }) => {
            assert_eq!(expected, H256([9; 32]));
            assert_eq!(got, right);
        }
        other => panic!("expected StateRootMismatch, got {other:?}"),
    }
    assert_unchanged(&db, &genesis, refused);
}

#[test]
fn cached_root_of_other_changes_does_not_pass_for_these() {
    let (db, genesis) = setup();
    // The root of one change set is cached; a block claiming it with other changes must fail.
    let honest = common::block(
        &db,
        &genesis,
        BTreeMap::from([(b"k".to_vec(), Some(b"1".to_vec()))]),
        0,
    );
    let mut forged = honest.clone();
    forged.changes = BTreeMap::from([(b"k".to_vec(), Some(b"2".to_vec()))]);
    let refused = forged.header.hash();
    assert!(matches!(
        db.commit_block(forged),
        Err(StorageError::StateRootMismatch { .. })
    ));
    assert_unchanged(&db, &genesis, refused);
    // The honest block still commits (from the cache or not).
    assert_eq!(
        db.commit_block(honest.clone()).unwrap(),
        honest.header.state_root
    );
    assert!(matches!(
        db.commit_block(honest.clone()),
        Err(StorageError::AlreadyImported { hash }) if hash == honest.header.hash()
    ));
}

#[test]
fn unknown_parent_and_wrong_number_are_refused() {
    let (db, genesis) = setup();
    let mut orphan = common::block(&db, &genesis, BTreeMap::new(), 0);
    orphan.header.parent_hash = H256([1; 32]);
    let refused = orphan.header.hash();
    assert!(matches!(
        db.commit_block(orphan),
        Err(StorageError::UnknownParent { parent, .. }) if parent == H256([1; 32])
    ));
    assert_unchanged(&db, &genesis, refused);

    let mut skipping = common::block(&db, &genesis, BTreeMap::new(), 0);
    skipping.header.number = 2;
    let refused = skipping.header.hash();
    assert!(matches!(
        db.commit_block(skipping),
        Err(StorageError::InvalidNumber {
            number: 2,
            parent_number: 0,
            ..
        })
    ));
    assert_unchanged(&db, &genesis, refused);
}

#[test]
fn genesis_rules() {
    let db = Database::open_temporary().unwrap();
    assert!(matches!(db.best(), Err(StorageError::NoGenesis)));
    assert_eq!(db.genesis_hash().unwrap(), None);
    let state = BTreeMap::from([(b"k".to_vec(), b"v".to_vec())]);
    let wrong_root = common::header(H256::zero(), 0, H256([5; 32]), 0);
    assert!(matches!(
        db.commit_genesis(wrong_root, state.clone()),
        Err(StorageError::StateRootMismatch { .. })
    ));
    assert_eq!(db.genesis_hash().unwrap(), None);
    let root = H256(folio_trie::state_root(state.iter()));
    assert!(matches!(
        db.commit_genesis(common::header(H256::zero(), 1, root, 0), state.clone()),
        Err(StorageError::InvalidGenesisNumber { number: 1 })
    ));
    let genesis = common::genesis(&db, &state);
    let other = common::header(H256::zero(), 0, root, 1);
    assert!(matches!(
        db.commit_genesis(other, state),
        Err(StorageError::GenesisMismatch { existing, .. }) if existing == genesis.hash()
    ));
    // An empty genesis state has the empty root.
    let empty = Database::open_temporary().unwrap();
    let header = common::genesis(&empty, &BTreeMap::new());
    assert_eq!(header.state_root.0, folio_trie::EMPTY_ROOT);
    assert_eq!(
        empty
            .state_at(&header.hash())
            .unwrap()
            .try_next_key(b"")
            .unwrap(),
        None
    );
}

#[test]
fn finality_rules() {
    let (db, genesis) = setup();
    let one = common::commit(&db, &genesis, BTreeMap::new(), 0);
    let two = common::commit(&db, &one, BTreeMap::new(), 0);
    let fork = common::commit(&db, &genesis, BTreeMap::new(), 1); // shorter: not best
    assert_eq!(db.best().unwrap().hash, two.hash());
    assert!(matches!(
        db.set_finalized(&fork.hash()),
        Err(StorageError::NotCanonical { number: 1, .. })
    ));
    assert!(matches!(
        db.set_finalized(&H256([3; 32])),
        Err(StorageError::UnknownBlock { .. })
    ));
    // Built before finality prunes its parent's branch.
    let mut on_fork = common::block(&db, &fork, BTreeMap::new(), 0);
    db.set_finalized(&two.hash()).unwrap();
    assert_eq!(db.header(&fork.hash()).unwrap(), None, "pruned by finality");
    assert!(matches!(
        db.set_finalized(&one.hash()),
        Err(StorageError::FinalityReversal {
            finalized: 2,
            requested: 1
        })
    ));
    // A block committed as finalized must descend from the finalized block.
    // (Its parent was pruned with the branch: refused as a block of an unknown parent.)
    on_fork.finalized = true;
    assert!(matches!(
        db.commit_block(on_fork),
        Err(StorageError::FinalityConflict { .. } | StorageError::UnknownParent { .. })
    ));
    assert_eq!(db.finalized().unwrap().hash, two.hash());
}

#[test]
fn keep_last_pruning_is_refused_until_implemented() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Database::open_with(dir.path(), StatePruning::KeepLast(256)),
        Err(StorageError::PruningUnsupported {
            mode: StatePruning::KeepLast(256)
        })
    ));
    assert!(Database::open_with(dir.path(), StatePruning::Archive).is_ok());
}
