//! Forks on a chain with slots (blocks imported unfinalized): a block on any stored parent is
//! imported on its parent's state, the longest chain becomes best, the transaction of the
//! retracted block goes back to the pool (its watcher hears `retracted`, then `inBlock` of
//! the new branch's block), and `finalized` comes only with finality, whose justification
//! is kept and which prunes the other branch.

mod common;

use common::{dev_storage, signed};
use folio_chain::author::{self, BlockPlan, Sealing};
use folio_chain::{Admission, Client, Finality, Pool, PoolConfig};
use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, Header};
use folio_primitives::keyring::Keyring::{Alice, Bob};
use folio_primitives::transaction_pool::TransactionStatus;
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use folio_storage::Database;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

fn slot_client() -> Arc<Client> {
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let storage = dev_storage(&executor);
    let client = Client::new(Database::open_temporary().unwrap(), executor, storage).unwrap();
    Arc::new(client.with_finality(Finality::Depth(50)))
}

/// An empty block (inherents only) on `parent` at time `now_ms`.
fn empty_block(client: &Client, parent: H256, now_ms: u64) -> Header {
    let plan = BlockPlan {
        parent,
        now_ms,
        pre_digest: Digest::default(),
        seal: &|_| Ok(None),
    };
    // Built from an empty pool: nothing but inherents.
    let empty = Pool::new(PoolConfig::default());
    author::author_block(client, &empty, &plan).unwrap().header
}

fn received(rx: &mut broadcast::Receiver<Header>) -> Vec<H256> {
    let mut hashes = Vec::new();
    while let Ok(header) = rx.try_recv() {
        hashes.push(header.hash());
    }
    hashes
}

fn statuses(rx: &mut mpsc::UnboundedReceiver<TransactionStatus>) -> Vec<TransactionStatus> {
    let mut seen = Vec::new();
    while let Ok(status) = rx.try_recv() {
        seen.push(status);
    }
    seen
}

/// Alice's nonce in `at`'s state, SCALE.
fn alice_nonce(client: &Client, at: H256) -> Vec<u8> {
    client
        .call_at(at, "AccountNonceApi_account_nonce", &Alice.account_id().0)
        .unwrap()
}

#[test]
fn the_longest_branch_wins_and_the_pool_and_subscriptions_follow() {
    let client = slot_client();
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    folio_chain::maintain::attach(&client, Arc::clone(&pool));
    let (manual, manual_thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), manual.clone()).unwrap();
    let mut all_heads = client.subscribe_all_heads();
    let mut new_heads = client.subscribe_new_heads();
    let mut finalized_heads = client.subscribe_finalized_heads();
    let genesis = client.best_hash().unwrap();
    let t0 = author::now_ms();

    // A transfer, watched, sealed in A1.
    let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Bob.account_id()),
        value: 1_000,
    });
    let tx = signed(genesis, folio_runtime::SPEC_VERSION, Alice, call, 0);
    let (watcher, mut watch) = mpsc::unbounded_channel();
    admission
        .submit(tx, Some(watcher))
        .blocking_recv()
        .unwrap()
        .unwrap();
    let plan = BlockPlan {
        parent: genesis,
        now_ms: t0,
        pre_digest: Digest::default(),
        seal: &|_| Ok(None),
    };
    let a1 = author::author_block(&client, &pool, &plan).unwrap();
    assert_eq!(a1.extrinsics, 2, "the timestamp and the transfer");
    assert!(a1.is_new_best);
    assert_eq!(
        statuses(&mut watch),
        vec![
            TransactionStatus::Ready,
            TransactionStatus::InBlock(a1.hash)
        ]
    );
    assert_eq!(pool.status().0, 0);
    assert_eq!(
        client.finalized_header().unwrap().hash(),
        genesis,
        "imported unfinalized"
    );

    // A competing branch from genesis: B1 ties (A1 stays, first seen), B2 takes over.
    let b1 = empty_block(&client, genesis, t0 + 1);
    assert_eq!(
        client.best_hash().unwrap(),
        a1.hash,
        "a tie keeps the first seen"
    );
    assert_eq!(statuses(&mut watch), vec![]);
    let b2 = empty_block(&client, b1.hash(), t0 + 60_000);
    assert_eq!(client.best_hash().unwrap(), b2.hash());
    client.db().verify_best_state().unwrap();
    // The transfer left with A1: retracted, back in the pool, ready again.
    assert_eq!(
        statuses(&mut watch),
        vec![
            TransactionStatus::Retracted(a1.hash),
            TransactionStatus::Ready
        ]
    );
    assert_eq!(pool.status().0, 1, "the retracted transfer is ready again");
    assert_eq!(
        alice_nonce(&client, b2.hash()),
        0u32.to_le_bytes().to_vec(),
        "the new best state has no transfer"
    );

    // The next block on the new branch includes it again.
    let plan = BlockPlan {
        parent: b2.hash(),
        now_ms: t0 + 120_000,
        pre_digest: Digest::default(),
        seal: &|_| Ok(None),
    };
    let b3 = author::author_block(&client, &pool, &plan).unwrap();
    assert_eq!(b3.extrinsics, 2);
    assert_eq!(
        statuses(&mut watch),
        vec![TransactionStatus::InBlock(b3.hash)]
    );
    assert_eq!(alice_nonce(&client, b3.hash), 1u32.to_le_bytes().to_vec());
    client.db().verify_best_state().unwrap();

    // Subscriptions: all heads saw every block, new heads each new best.
    assert_eq!(
        received(&mut all_heads),
        vec![a1.hash, b1.hash(), b2.hash(), b3.hash]
    );
    assert_eq!(received(&mut new_heads), vec![a1.hash, b2.hash(), b3.hash]);
    assert_eq!(received(&mut finalized_heads), vec![]);

    // Finality (as GRANDPA will call it): ancestors in order, justification kept, A1 pruned.
    client
        .finalize_block(b3.hash, Some((*b"FRNK", vec![1, 2, 3])))
        .unwrap();
    assert_eq!(
        received(&mut finalized_heads),
        vec![b1.hash(), b2.hash(), b3.hash]
    );
    assert_eq!(
        statuses(&mut watch),
        vec![TransactionStatus::Finalized(b3.hash)]
    );
    assert_eq!(client.finalized_header().unwrap().hash(), b3.hash);
    assert_eq!(
        client.justifications(b3.hash).unwrap(),
        Some(vec![(*b"FRNK", vec![1, 2, 3])])
    );
    assert_eq!(client.header(a1.hash).unwrap(), None, "pruned");
    manual.stop();
    manual_thread.join().unwrap();
}

/// With the depth rule a block becomes final once `depth` blocks are built on it.
#[test]
fn the_depth_rule_finalizes_blocks_deep_enough() {
    let executor = Executor::new(ExecutorConfig::default()).unwrap();
    let storage = dev_storage(&executor);
    let client = Client::new(Database::open_temporary().unwrap(), executor, storage)
        .unwrap()
        .with_finality(Finality::Depth(2));
    let mut finalized = client.subscribe_finalized_heads();
    let t0 = author::now_ms();
    let mut parent = client.best_hash().unwrap();
    let mut blocks = Vec::new();
    for n in 0..4u64 {
        let header = empty_block(&client, parent, t0 + n * 60_000);
        parent = header.hash();
        blocks.push(parent);
    }
    assert_eq!(received(&mut finalized), vec![blocks[0], blocks[1]]);
    assert_eq!(client.db().finalized().unwrap().hash, blocks[1]);
}
