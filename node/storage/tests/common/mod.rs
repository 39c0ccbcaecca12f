//! Helpers shared by the integration tests: building headers and blocks whose roots are right.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use folio_primitives::{
    header::{Digest, DigestItem, Header},
    H256,
};
use folio_storage::{CommitBlock, Database};

pub type State = BTreeMap<Vec<u8>, Vec<u8>>;
pub type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// A header; `salt` goes into the digest so that sibling blocks differ.
pub fn header(parent_hash: H256, number: u32, state_root: H256, salt: u64) -> Header {
    Header {
        parent_hash,
        number,
        state_root,
        extrinsics_root: H256::zero(),
        digest: Digest {
            logs: vec![DigestItem::Other(salt.to_le_bytes().to_vec())],
        },
    }
}

/// Commits `state` as genesis and returns its header.
pub fn genesis(db: &Database, state: &State) -> Header {
    let root = H256(folio_trie::state_root(state.iter()));
    let header = header(H256::zero(), 0, root, 0);
    assert_eq!(
        db.commit_genesis(header.clone(), state.clone()).unwrap(),
        root
    );
    header
}

/// A block on `parent` with `changes`, its root computed through the database.
pub fn block(db: &Database, parent: &Header, changes: Changes, salt: u64) -> CommitBlock {
    let root = db
        .state_at(&parent.hash())
        .unwrap()
        .try_root_with_changes(&changes)
        .unwrap();
    CommitBlock {
        header: header(parent.hash(), parent.number + 1, root, salt),
        body: Vec::new(),
        changes,
        finalized: false,
    }
}

/// Commits a block on `parent` with `changes` and returns its header.
pub fn commit(db: &Database, parent: &Header, changes: Changes, salt: u64) -> Header {
    let block = block(db, parent, changes, salt);
    let header = block.header.clone();
    assert_eq!(db.commit_block(block).unwrap(), header.state_root);
    header
}

/// Applies `changes` to a model state.
pub fn apply(state: &mut State, changes: &Changes) {
    for (key, change) in changes {
        match change {
            Some(value) => state.insert(key.clone(), value.clone()),
            None => state.remove(key),
        };
    }
}

/// Every key of a state view, walked with `next_key` from the empty key.
pub fn keys_by_next_key(view: &folio_storage::StateView) -> Vec<Vec<u8>> {
    let mut keys = Vec::new();
    let mut cursor = Vec::new();
    // The empty key itself is never returned by next_key; check it separately.
    if view.try_get(&[]).unwrap().is_some() {
        keys.push(Vec::new());
    }
    while let Some(next) = view.try_next_key(&cursor).unwrap() {
        keys.push(next.clone());
        cursor = next;
    }
    keys
}

/// Checks a view against a model: every value, and the key order.
pub fn assert_view_matches(view: &folio_storage::StateView, model: &State) {
    assert_eq!(view.root(), H256(folio_trie::state_root(model.iter())));
    for (key, value) in model {
        assert_eq!(
            view.try_get(key).unwrap().as_ref(),
            Some(value),
            "key {key:?}"
        );
    }
    assert_eq!(
        keys_by_next_key(view),
        model.keys().cloned().collect::<Vec<_>>()
    );
}
