//! Pool admission in batches: many submissions at once are validated together (one runtime
//! call, one signature batch), and a bad signature among them is found and refused on its own
//! while the others are admitted — with the batching lever on and off alike.

mod common;

use common::{dev_client, signed};
use folio_chain::author::{self, Sealing};
use folio_chain::{Admission, Client, FastPath, Pool, PoolConfig};
use folio_primitives::keyring::Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use folio_primitives::transaction_pool::SubmitError;
use folio_primitives::transaction_validity::{InvalidTransaction, TransactionValidityError};
use folio_primitives::MultiAddress;
use folio_runtime::RuntimeCall;
use parity_scale_codec::{Decode, Encode};
use std::sync::Arc;

/// A signed transfer of 1 unit from `who` (nonce 0) to Bob.
fn transfer(client: &Client, who: Keyring) -> Vec<u8> {
    let genesis = client.db().genesis_hash().unwrap().unwrap();
    let call = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(Bob.account_id()),
        value: 1,
    });
    signed(genesis, folio_runtime::SPEC_VERSION, who, call, 0)
}

/// The same extrinsic with one bit of its signature flipped.
fn with_bad_signature(tx: &[u8]) -> Vec<u8> {
    let mut inner = Vec::<u8>::decode(&mut &tx[..]).unwrap();
    // version byte, MultiAddress::Id (1 + 32), MultiSignature::Sr25519 tag, then the signature
    inner[1 + 33 + 1 + 10] ^= 1;
    inner.encode()
}

fn admit_all_at_once(fast_path: FastPath) {
    let client = dev_client(fast_path);
    let pool = Arc::new(Pool::new(PoolConfig::default()));
    let (author, thread) =
        author::start(Arc::clone(&client), Arc::clone(&pool), Sealing::Manual).unwrap();
    let admission =
        Admission::start(Arc::clone(&client), Arc::clone(&pool), author.clone()).unwrap();

    let good: Vec<Vec<u8>> = [Alice, Charlie, Eve, Ferdie]
        .into_iter()
        .map(|who| transfer(&client, who))
        .collect();
    let bad = with_bad_signature(&transfer(&client, Dave));
    // All handed over before any answer is awaited, so the workers find them queued together.
    let mut answers: Vec<_> = good
        .iter()
        .map(|tx| admission.submit(tx.clone(), None))
        .collect();
    answers.insert(2, admission.submit(bad, None));
    let results: Vec<_> = answers
        .into_iter()
        .map(|answer| answer.blocking_recv().expect("answered"))
        .collect();

    assert!(
        matches!(
            results[2],
            Err(SubmitError::Invalid(TransactionValidityError::Invalid(
                InvalidTransaction::BadProof
            )))
        ),
        "the bad signature is refused on its own: {:?}",
        results[2]
    );
    for (i, result) in results.iter().enumerate().filter(|(i, _)| *i != 2) {
        assert!(result.is_ok(), "transfer {i} admitted: {result:?}");
    }
    assert_eq!(pool.status(), (4, 0), "four ready, none waiting");
    // Resubmitting is refused as a duplicate, not validated again.
    assert!(matches!(
        admission.submit_blocking(good[0].clone(), None),
        Err(SubmitError::AlreadyImported)
    ));
    // The block built from the pool holds exactly the four good transfers.
    let block = author.seal_now().expect("sealed");
    assert_eq!(block.extrinsics, 1 + 4, "timestamp and the four transfers");
    author.stop();
    thread.join().unwrap();
}

#[test]
fn a_batch_with_a_bad_signature_admits_the_good_ones() {
    admit_all_at_once(FastPath::default());
}

#[test]
fn without_batching_the_same_transactions_are_admitted_and_refused() {
    admit_all_at_once(FastPath {
        batched_pool_validation: false,
        ..FastPath::default()
    });
}
