//! //Alice (sudo on a dev chain) submits `sudo(system.set_code(LOOP))`, LOOP a tiny wasm whose
//! `Core_version` loops. The candidate's version used to be read by running it inside the
//! block: the nested call and then the outer one ran out of time (20 s), and the next block
//! carried Alice's nonce and fee without her extrinsic, so it did not re-execute. Now the
//! version read is bounded (a runtime declares its version in a custom section; code without
//! one gets a short deadline), the upgrade fails as any failed call does, sealing goes on, and
//! every block re-executes on its parent.

mod common;

use common::{
    assert_every_block_reexecutes, dev_client, events_at, looping_runtime, nonce, signed,
};
use folio_chain::author::{self, Sealing};
use folio_chain::{Admission, FastPath, Pool, PoolConfig};
use folio_primitives::keyring::Keyring::{Alice, Bob, Charlie};
use folio_primitives::MultiAddress;
use folio_runtime::{RuntimeCall, RuntimeEvent};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn a_looping_candidate_runtime_fails_its_upgrade_and_sealing_goes_on() {
    let client = dev_client(FastPath::default());
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    let (author, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), author.clone()).unwrap();
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let code_before = client.code_at(genesis).unwrap().hash();

    let upgrade = RuntimeCall::Sudo(folio_pallet_sudo::Call::sudo {
        call: Box::new(RuntimeCall::System(folio_pallet_system::Call::set_code {
            code: looping_runtime(),
        })),
    });
    let xt = signed(genesis, folio_runtime::SPEC_VERSION, Alice, upgrade, 0);
    admission.submit_blocking(xt, None).expect("admitted");

    let started = Instant::now();
    let block = author.seal_now().expect("sealed");
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "sealing stalled for {took:?} on the looping candidate"
    );
    assert_eq!(block.extrinsics, 2, "timestamp and Alice's failed upgrade");
    assert!(!block.code_changed);
    assert_eq!(client.code_at(block.hash).unwrap().hash(), code_before);
    assert_eq!(
        nonce(&client, Alice),
        1,
        "a failed extrinsic still uses its nonce"
    );
    let events = events_at(&client, block.hash);
    assert!(
        events.iter().any(|e| matches!(
            e,
            RuntimeEvent::Sudo(folio_pallet_sudo::Event::Sudid {
                sudo_result: Err(_)
            })
        )),
        "the upgrade failed: {events:?}"
    );

    // The chain goes on with its old runtime.
    let transfer = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Charlie.account_id()),
        value: 1,
    });
    let xt = signed(genesis, folio_runtime::SPEC_VERSION, Bob, transfer, 0);
    admission.submit_blocking(xt, None).expect("admitted");
    let block = author.seal_now().expect("sealed");
    assert_eq!(block.extrinsics, 2);
    assert_eq!(nonce(&client, Bob), 1);

    assert_every_block_reexecutes(&client);
    author.stop();
    thread.join().unwrap();
}
