//! Damaged databases: missing and corrupt entries are errors, never panics. (Unit tests: they
//! damage the file through the engine, which the public API cannot do.)

use std::collections::BTreeMap;

use folio_primitives::{
    externalities::Backend,
    header::{Digest, Header},
    H256,
};

use crate::{
    kv::WriteBatch,
    tables::{trie_nodes, Column},
    CommitBlock, Database, StorageError,
};

fn chain() -> (Database, Header, Header) {
    let db = Database::open_temporary().unwrap();
    let (genesis, one) = commit_chain(&db);
    (db, genesis, one)
}

/// Genesis with 40 keys, and block 1 changing one of them.
fn commit_chain(db: &Database) -> (Header, Header) {
    let state: BTreeMap<Vec<u8>, Vec<u8>> = (0u8..40)
        .map(|i| (vec![i, 0, i], vec![i; 1 + usize::from(i)]))
        .collect();
    let root = H256(folio_trie::state_root(state.iter()));
    let genesis = Header {
        parent_hash: H256::zero(),
        number: 0,
        state_root: root,
        extrinsics_root: H256::zero(),
        digest: Digest::default(),
    };
    db.commit_genesis(genesis.clone(), state).unwrap();
    let changes = BTreeMap::from([(vec![1, 0, 1], Some(b"changed".to_vec()))]);
    let root = db
        .state_at(&genesis.hash())
        .unwrap()
        .try_root_with_changes(&changes)
        .unwrap();
    let one = Header {
        parent_hash: genesis.hash(),
        number: 1,
        state_root: root,
        ..genesis.clone()
    };
    db.commit_block(CommitBlock {
        header: one.clone(),
        body: vec![],
        changes,
        finalized: false,
    })
    .unwrap();
    (genesis, one)
}

/// Replaces (`Some`) or deletes (`None`) the entry under `key` of `column`; for trie nodes,
/// `key` is the node's hash (the table itself is keyed by position).
fn damage(db: &Database, column: Column, key: &[u8], value: Option<&[u8]>) {
    let mut batch = WriteBatch::default();
    match (column, value) {
        (Column::TrieNodes, value) => {
            let hash = key.try_into().unwrap();
            trie_nodes::damage(&db.snapshot().unwrap(), &mut batch, &hash, value);
        }
        (_, Some(value)) => batch.put(column, key.to_vec(), value.to_vec()),
        (_, None) => batch.delete(column, key.to_vec()),
    }
    db.kv.write(batch).unwrap();
    // As a fresh process would, read the damaged file rather than nodes cached before.
    db.kv.clear_node_cache();
}

#[test]
fn missing_root_node_is_an_error_everywhere() {
    let (db, genesis, _) = chain();
    damage(&db, Column::TrieNodes, genesis.state_root.as_bytes(), None);
    let view = db.state_at(&genesis.hash()).unwrap();
    assert!(matches!(
        view.try_get(&[3, 0, 3]),
        Err(StorageError::Trie { .. })
    ));
    assert!(matches!(
        view.try_next_key(&[]),
        Err(StorageError::Trie { .. })
    ));
    assert!(matches!(
        view.try_root_with_changes(&BTreeMap::from([(vec![9], Some(vec![9]))])),
        Err(StorageError::Trie { .. })
    ));
    assert!(matches!(
        db.read_proof(&genesis.hash(), [[3u8, 0, 3]]),
        Err(StorageError::Trie { .. })
    ));
    // Through the infallible Backend trait: no panic, a neutral answer, the error kept.
    assert_eq!(Backend::get(&view, &[3, 0, 3]), None);
    assert!(matches!(view.take_error(), Some(StorageError::Trie { .. })));
    assert_eq!(
        Backend::root_with_changes(&view, &BTreeMap::from([(vec![3, 0, 3], None)])),
        [0; 32]
    );
    assert!(view.take_error().is_some());
    assert!(view.take_error().is_none());
    // Building on a state whose nodes are missing fails and writes nothing.
    let block = CommitBlock {
        header: Header {
            parent_hash: genesis.hash(),
            number: 1,
            digest: Digest { logs: vec![] },
            state_root: H256([1; 32]),
            ..genesis.clone()
        },
        body: vec![],
        changes: BTreeMap::from([(vec![1], Some(vec![1]))]),
        finalized: true,
    };
    let hash = block.header.hash();
    assert!(matches!(
        db.commit_block(block),
        Err(StorageError::Trie { .. })
    ));
    assert_eq!(db.header(&hash).unwrap(), None);
}

#[test]
fn missing_inner_node_is_an_error() {
    let (db, genesis, one) = chain();
    let proof = db.read_proof(&genesis.hash(), [[7u8, 0, 7]]).unwrap();
    for node in &proof {
        let hash = folio_primitives::crypto::native::blake2_256(node);
        if hash != genesis.state_root.0 {
            damage(&db, Column::TrieNodes, &hash, None);
        }
    }
    let view = db.trie_state_at(&genesis.hash()).unwrap();
    assert!(matches!(
        view.try_get(&[7, 0, 7]),
        Err(StorageError::Trie { .. })
    ));
    assert!(matches!(
        view.try_next_key(&[7, 0]),
        Err(StorageError::Trie { .. })
    ));
    // The best state's flat index does not need the trie.
    assert_eq!(
        db.state_at(&one.hash())
            .unwrap()
            .try_get(&[7, 0, 7])
            .unwrap(),
        Some(vec![7; 8])
    );
}

#[test]
fn corrupt_node_and_entries_are_errors() {
    let (db, genesis, one) = chain();
    damage(
        &db,
        Column::TrieNodes,
        genesis.state_root.as_bytes(),
        Some(&[0xff, 0x01, 0x02]),
    );
    let view = db.state_at(&genesis.hash()).unwrap();
    assert!(matches!(
        view.try_get(&[3, 0, 3]),
        Err(StorageError::Trie { .. })
    ));

    damage(
        &db,
        Column::Headers,
        one.hash().as_bytes(),
        Some(&[1, 2, 3]),
    );
    assert!(matches!(
        db.header(&one.hash()),
        Err(StorageError::Corrupt {
            column: Column::Headers,
            ..
        })
    ));
    assert!(matches!(
        db.state_at(&one.hash()),
        Err(StorageError::Corrupt { .. })
    ));

    damage(&db, Column::Meta, b"best", Some(&[0; 5]));
    assert!(matches!(
        db.best(),
        Err(StorageError::Corrupt {
            column: Column::Meta,
            ..
        })
    ));
    damage(&db, Column::Canonical, &0u32.to_be_bytes(), Some(&[0; 31]));
    assert!(matches!(
        db.hash_by_number(0),
        Err(StorageError::Corrupt { .. })
    ));
    damage(
        &db,
        Column::Bodies,
        genesis.hash().as_bytes(),
        Some(&[0x08, 0x04]),
    );
    assert!(matches!(
        db.body(&genesis.hash()),
        Err(StorageError::Corrupt { .. })
    ));
}

#[test]
fn database_and_views_can_move_to_blocking_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Database>();
    assert_send_sync::<crate::StateView>();
}

/// A database of the previous format kept its trie nodes under their hashes in table
/// `trie_nodes`: opening it moves them into the node log, and every state reads as before.
#[test]
fn trie_nodes_of_the_previous_format_are_moved_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (genesis, one) = {
        let db = Database::open(dir.path()).unwrap();
        let (genesis, one) = commit_chain(&db);
        // Rewrite the nodes the way the previous format stored them.
        let snapshot = db.snapshot().unwrap();
        let mut legacy = Vec::new();
        let mut batch = WriteBatch::default();
        snapshot
            .for_each(Column::TrieNodes, |key, record| {
                legacy.push((record[..32].to_vec(), record[32..].to_vec()));
                batch.delete(Column::TrieNodes, key.to_vec());
                Ok(())
            })
            .unwrap();
        assert!(legacy.len() > 20, "{} nodes", legacy.len());
        drop(snapshot);
        db.kv.write(batch).unwrap();
        db.kv.write_raw_table(trie_nodes::LEGACY_TABLE, legacy);
        (genesis, one)
    };

    let db = Database::open(dir.path()).unwrap();
    for (block, key, value) in [
        (&genesis, [1u8, 0, 1], vec![1; 2]),
        (&one, [1u8, 0, 1], b"changed".to_vec()),
        (&genesis, [39u8, 0, 39], vec![39; 40]),
    ] {
        let view = db.trie_state_at(&block.hash()).unwrap();
        assert_eq!(view.try_get(&key).unwrap(), Some(value));
    }
    // Moved, not copied: reopening again finds nothing left to move.
    drop(db);
    let db = Database::open(dir.path()).unwrap();
    let migrated = db
        .kv
        .migrate_legacy_table(trie_nodes::LEGACY_TABLE, Column::TrieNodes, |_, _, _| {
            unreachable!("the legacy table is gone")
        })
        .unwrap();
    assert_eq!(migrated, 0);
}

/// A block's new nodes go at the end of the node log; nodes already stored are not stored again.
#[test]
fn new_nodes_are_appended_once() {
    let db = Database::open_temporary().unwrap();
    let (genesis, one) = commit_chain(&db);
    let count = |db: &Database| {
        let mut positions = Vec::new();
        db.snapshot()
            .unwrap()
            .for_each(Column::TrieNodes, |key, _| {
                positions.push(u64::from_be_bytes(key.try_into().unwrap()));
                Ok(())
            })
            .unwrap();
        positions
    };
    let positions = count(&db);
    // Positions are dense: 0, 1, 2, ... in the order written.
    assert!(positions.iter().copied().eq(0..positions.len() as u64));

    // Block 2 sets the value back to genesis's: every node of its state is stored already.
    let changes = BTreeMap::from([(vec![1, 0, 1], Some(vec![1; 2]))]);
    let root = db
        .state_at(&one.hash())
        .unwrap()
        .try_root_with_changes(&changes)
        .unwrap();
    assert_eq!(root, genesis.state_root);
    let two = Header {
        parent_hash: one.hash(),
        number: 2,
        state_root: root,
        ..genesis.clone()
    };
    db.commit_block(CommitBlock {
        header: two.clone(),
        body: vec![],
        changes,
        finalized: false,
    })
    .unwrap();
    assert_eq!(count(&db), positions);
    assert_eq!(
        db.trie_state_at(&two.hash())
            .unwrap()
            .try_get(&[1, 0, 1])
            .unwrap(),
        Some(vec![1; 2])
    );
}
