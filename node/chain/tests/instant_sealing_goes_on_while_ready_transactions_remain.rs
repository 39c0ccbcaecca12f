//! Instant sealing keeps sealing while ready transactions remain: when a block fills up (about
//! 2,666 transfers by weight), the ones left over are sealed in the next block without waiting
//! for a new submission (they used to wait, so `benchmark end-to-end` flaked).

mod common;

use common::{dev_client, signed};
use folio_chain::author::{self, Sealing};
use folio_chain::{Admission, FastPath, Pool, PoolConfig};
use folio_primitives::keyring::Keyring::{Alice, Bob};
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// More than one block holds.
const TRANSFERS: u32 = 3_000;

#[test]
fn more_than_a_block_of_transfers_is_all_included_without_further_submissions() {
    let client = dev_client(FastPath::default());
    // One sender (the dev chain funds few accounts): the per-sender bound is lifted.
    let pool = Arc::new(Pool::new(PoolConfig {
        max_per_sender: usize::MAX,
        max_future: usize::MAX,
        ..PoolConfig::default()
    }));
    // Admitted while a manual author holds sealing back, so the pool holds them all at once.
    let (manual, manual_thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), manual.clone()).unwrap();
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let answers: Vec<_> = (0..TRANSFERS)
        .map(|nonce| {
            let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
                dest: MultiAddress::Id(Bob.account_id()),
                value: 1,
            });
            let tx = signed(genesis, folio_runtime::SPEC_VERSION, Alice, call, nonce);
            admission.submit(tx, None)
        })
        .collect();
    for answer in answers {
        answer.blocking_recv().expect("answered").expect("admitted");
    }
    assert_eq!(pool.status().0, TRANSFERS as usize, "all ready");
    manual.stop();
    manual_thread.join().unwrap();

    // One wake-up, as the last submission gives; nothing is submitted after it.
    let (instant, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Instant).unwrap();
    instant.notify_ready();
    let started = Instant::now();
    while pool.status().0 > 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
    instant.stop();
    thread.join().unwrap();

    let best = client.best_header().unwrap().number;
    assert_eq!(
        pool.status().0,
        0,
        "ready transactions left in the pool after {best} blocks"
    );
    assert!(best >= 2, "more than one block was needed, got {best}");
    let raw = client
        .call_at(
            client.best_hash().unwrap(),
            "AccountNonceApi_account_nonce",
            &Alice.account_id().0,
        )
        .unwrap();
    let nonce = <u32 as parity_scale_codec::Decode>::decode(&mut &raw[..]).unwrap();
    assert_eq!(nonce, TRANSFERS, "every transfer is in a block");
}
