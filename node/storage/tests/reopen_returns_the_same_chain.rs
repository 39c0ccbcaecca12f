//! Closing and reopening the database gives back the same chain: best, finalized, genesis,
//! the number index, headers, bodies and every block's state.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_storage::Database;
use parity_scale_codec::Encode;

#[test]
fn reopen_returns_the_same_best_finalized_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let genesis_state: common::State = (0u8..50)
        .map(|i| (vec![i, i], vec![i; usize::from(i)]))
        .collect();
    let extrinsic = OpaqueExtrinsic::from_bytes(&vec![1u8, 2, 3].encode()).unwrap();
    let (mut model, headers) = {
        let db = Database::open(dir.path()).unwrap();
        let mut model = genesis_state.clone();
        let mut headers = vec![common::genesis(&db, &genesis_state)];
        for n in 1u8..=6 {
            let changes: common::Changes = BTreeMap::from([
                (vec![n, n], Some(vec![0xaa; 40])),
                (vec![n + 10, n + 10], None),
            ]);
            common::apply(&mut model, &changes);
            let mut block = common::block(&db, headers.last().unwrap(), changes, 0);
            block.body = vec![extrinsic.clone()];
            let header = block.header.clone();
            db.commit_block(block).unwrap();
            headers.push(header);
        }
        db.set_finalized(&headers[4].hash()).unwrap();
        (model, headers)
    };

    let db = Database::open(dir.path()).unwrap();
    let best = headers.last().unwrap();
    assert_eq!(db.genesis_hash().unwrap(), Some(headers[0].hash()));
    assert_eq!(db.best().unwrap().hash, best.hash());
    assert_eq!(db.best().unwrap().number, 6);
    assert_eq!(db.finalized().unwrap().hash, headers[4].hash());
    assert_eq!(db.verify_best_state().unwrap(), best.state_root);
    for header in &headers {
        let hash = header.hash();
        assert_eq!(db.hash_by_number(header.number).unwrap(), Some(hash));
        assert_eq!(db.number_of(&hash).unwrap(), Some(header.number));
        assert_eq!(db.header(&hash).unwrap().as_ref(), Some(header));
    }
    assert_eq!(db.body(&best.hash()).unwrap(), Some(vec![extrinsic]));
    assert_eq!(db.body(&headers[0].hash()).unwrap(), Some(Vec::new()));
    common::assert_view_matches(&db.state_at(&best.hash()).unwrap(), &model);
    // Committing the same genesis again is a no-op; the chain goes on from the reopened best.
    assert_eq!(
        db.commit_genesis(headers[0].clone(), genesis_state)
            .unwrap(),
        headers[0].state_root
    );
    let changes = BTreeMap::from([(b"after-reopen".to_vec(), Some(b"yes".to_vec()))]);
    common::apply(&mut model, &changes);
    let next = common::commit(&db, best, changes, 0);
    common::assert_view_matches(&db.state_at(&next.hash()).unwrap(), &model);
}
