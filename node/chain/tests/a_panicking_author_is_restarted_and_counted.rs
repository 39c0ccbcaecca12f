//! The author thread is supervised: a panic (a bug) is logged and counted, the author is
//! reported down (`system_health` fails, `folio_author_up` is 0) during its restart back-off,
//! and then it seals again. The panic is injected with the documented test hook
//! `AuthorHandle::inject_panic`. (`system_health` asks `AuthorHandle::is_up`, through the
//! node's RPC adapter in folio-node.)

mod common;

use common::{dev_client, nonce, signed};
use folio_chain::author::{self, Sealing, RESTART_BACKOFF};
use folio_chain::{Admission, FastPath, Pool, PoolConfig};
use folio_primitives::keyring::Keyring::{Alice, Bob};
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn wait_until(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_panicking_author_is_restarted_counted_and_reported_down_meanwhile() {
    let client = dev_client(FastPath::default());
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    let (author, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), author.clone()).unwrap();
    assert!(author.is_up());
    assert_eq!(author.restarts(), 0);

    author.inject_panic();
    wait_until("the panic is counted", Duration::from_secs(5), || {
        author.restarts() == 1
    });
    assert!(
        !author.is_up(),
        "health reports the author down during its back-off"
    );
    let down_since = Instant::now();
    wait_until("the author is restarted", RESTART_BACKOFF * 3, || {
        author.is_up()
    });
    assert!(down_since.elapsed() < RESTART_BACKOFF * 2);

    // The restarted author seals what was submitted meanwhile.
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let transfer = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Bob.account_id()),
        value: 1,
    });
    let xt = signed(genesis, folio_runtime::SPEC_VERSION, Alice, transfer, 0);
    admission.submit_blocking(xt, None).expect("admitted");
    let block = author.seal_now().expect("the restarted author seals");
    assert_eq!(block.extrinsics, 2);
    assert_eq!(nonce(&client, Alice), 1);
    assert_eq!(author.restarts(), 1);
    assert_eq!(admission.restarts(), 0);

    author.stop();
    thread.join().unwrap();
    assert!(!author.is_up(), "a stopped author is down");
}
