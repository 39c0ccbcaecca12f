//! Random block sequences: every committed root equals `folio_trie::state_root` of the model
//! state, and every block's state (flat at the best block, trie at old ones) reads and walks
//! (`next_key`) exactly as the model did at that block.

#![allow(clippy::unwrap_used)]

mod common;

use std::ops::Bound::{Excluded, Unbounded};

use common::{Changes, State};
use folio_primitives::H256;
use folio_storage::Database;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = Vec<u8>> {
    // Few distinct first bytes so keys share trie paths; lengths 0..6 so some keys are
    // prefixes of others.
    prop::collection::vec(
        prop_oneof![Just(0u8), Just(1), Just(0x10), Just(0xff), any::<u8>()],
        0..6,
    )
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    // Empty, inlined (< 33 bytes) and hashed (>= 33 bytes) values.
    prop_oneof![
        Just(Vec::new()),
        prop::collection::vec(any::<u8>(), 1..33),
        prop::collection::vec(any::<u8>(), 33..80),
    ]
}

fn changes() -> impl Strategy<Value = Changes> {
    prop::collection::btree_map(key(), prop::option::weighted(0.7, value()), 0..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn roots_and_reads_match_the_model(
        genesis_state in prop::collection::btree_map(key(), value(), 0..40),
        blocks in prop::collection::vec(changes(), 1..8),
        probes in prop::collection::vec(key(), 8),
    ) {
        let db = Database::open_temporary().unwrap();
        let mut model: State = genesis_state.clone();
        let mut parent = common::genesis(&db, &genesis_state);
        let mut history = vec![(parent.clone(), model.clone())];
        for (salt, changes) in blocks.into_iter().enumerate() {
            common::apply(&mut model, &changes);
            let header = common::commit(&db, &parent, changes, salt as u64);
            prop_assert_eq!(header.state_root, H256(folio_trie::state_root(model.iter())));
            prop_assert_eq!(db.best().unwrap().hash, header.hash());
            history.push((header.clone(), model.clone()));
            parent = header;
        }
        prop_assert_eq!(db.verify_best_state().unwrap(), parent.state_root);
        for (header, state) in &history {
            let flat = db.state_at(&header.hash()).unwrap();
            prop_assert_eq!(flat.reads_flat_index(), header.hash() == parent.hash());
            for view in [flat, db.trie_state_at(&header.hash()).unwrap()] {
                                common::assert_view_matches(&view, state);
                for probe in &probes {
                    let expected = state.range::<Vec<u8>, _>((Excluded(probe), Unbounded)).next().map(|(k, _)| k.clone());
                    prop_assert_eq!(view.try_next_key(probe).unwrap(), expected);
                    let value = view.try_get(probe).unwrap();
                    prop_assert_eq!(value.as_ref(), state.get(probe));
                }
            }
        }
    }
}
