//! `TaggedTransactionQueue_validate_transaction` and `BlockBuilder_apply_extrinsic` refuse
//! what Substrate refuses, with the same errors (the pool and clients interpret them).

mod common;

use common::*;
use folio_primitives::era::Era;
use folio_primitives::hash::H256;
use folio_primitives::keyring::Keyring::{Alice, Bob, Ferdie};
use folio_primitives::transaction_validity::{
    InvalidTransaction, TransactionValidity, TransactionValidityError, UnknownTransaction,
};
use folio_runtime::{RuntimeCall, UncheckedExtrinsic};
use parity_scale_codec::Encode;

fn invalid(e: InvalidTransaction) -> TransactionValidityError {
    TransactionValidityError::Invalid(e)
}

#[test]
fn valid_transaction_provides_its_nonce_tag() {
    let mut chain = Chain::dev(Backend::Native);
    let tx = chain.sign(Alice, transfer(Bob, 1), 0, 42);
    let valid = chain.validate(&tx).expect("valid");
    assert_eq!(valid.provides, vec![(Alice.account_id(), 0u32).encode()]);
    assert!(valid.requires.is_empty());
    assert_eq!(valid.priority, 42, "priority grows with the tip");
    assert!(valid.longevity > u64::MAX / 2, "immortal");
}

#[test]
fn future_nonce_requires_the_previous_one() {
    let mut chain = Chain::dev(Backend::Native);
    let tx = chain.sign(Alice, transfer(Bob, 1), 3, 0);
    let valid = chain.validate(&tx).expect("valid later");
    assert_eq!(valid.requires, vec![(Alice.account_id(), 2u32).encode()]);
    chain.begin_block();
    assert_eq!(chain.apply(&tx), Err(invalid(InvalidTransaction::Future)));
}

#[test]
fn stale_nonce_is_outdated() {
    let mut chain = Chain::dev(Backend::Native);
    let tx = chain.sign(Alice, transfer(Bob, 1), 0, 0);
    chain.build_block(std::slice::from_ref(&tx));
    assert_eq!(chain.validate(&tx), Err(invalid(InvalidTransaction::Stale)));
}

#[test]
fn wrong_spec_version_or_genesis_is_a_bad_signature() {
    let mut chain = Chain::dev(Backend::Native);
    let genesis = chain.genesis_hash();
    let tx = chain.sign_with(
        Alice,
        transfer(Bob, 1),
        extra(0, Era::Immortal),
        genesis,
        folio_runtime::SPEC_VERSION + 1,
    );
    assert_eq!(
        chain.validate(&tx),
        Err(invalid(InvalidTransaction::BadProof))
    );
    let other_genesis = H256([7; 32]);
    let tx = chain.sign_with(
        Alice,
        transfer(Bob, 1),
        extra(0, Era::Immortal),
        other_genesis,
        folio_runtime::SPEC_VERSION,
    );
    assert_eq!(
        chain.validate(&tx),
        Err(invalid(InvalidTransaction::BadProof))
    );
}

#[test]
fn mortal_transaction_checks_its_birth_block() {
    let mut chain = Chain::dev(Backend::Native);
    chain.build_block(&[]);
    let best = chain.best.clone();
    let era = Era::mortal(64, u64::from(best.number));
    let tx = chain.sign_with(
        Alice,
        transfer(Bob, 1),
        extra(0, era),
        best.hash(),
        folio_runtime::SPEC_VERSION,
    );
    let valid = chain.validate(&tx).expect("valid");
    assert!(valid.longevity > 0 && valid.longevity <= 64);
    // Born in a block that does not exist yet from the chain's point of view.
    let future_era = Era::mortal(64, u64::from(best.number) + 10);
    let tx = chain.sign_with(
        Alice,
        transfer(Bob, 1),
        extra(0, future_era),
        best.hash(),
        folio_runtime::SPEC_VERSION,
    );
    assert_eq!(
        chain.validate(&tx),
        Err(invalid(InvalidTransaction::AncientBirthBlock))
    );
}

#[test]
fn unaffordable_fee_is_payment_error_and_unknown_sender_too() {
    let mut chain = Chain::dev(Backend::Native);
    // Ferdie is endowed; an account that never existed cannot pay.
    let stranger = folio_primitives::keyring::Sr25519Pair::from_uri("//Stranger").unwrap();
    let call = transfer(Ferdie, 1);
    let extra = folio_primitives::extensions::SignedExtra {
        era: Era::Immortal,
        nonce: 0,
        tip: 0,
        metadata_hash_mode: 0,
    };
    let additional = folio_primitives::extensions::AdditionalSigned {
        spec_version: folio_runtime::SPEC_VERSION,
        transaction_version: folio_runtime::TRANSACTION_VERSION,
        genesis_hash: chain.genesis_hash(),
        era_block_hash: chain.genesis_hash(),
        metadata_hash: None,
    };
    let sig = folio_primitives::extrinsic::with_signing_payload(&call, &extra, &additional, |p| {
        stranger.sign_multi(p)
    });
    let tx =
        UncheckedExtrinsic::new_signed(call, stranger.account_id().into(), sig, extra).encode();
    assert_eq!(
        chain.validate(&tx),
        Err(invalid(InvalidTransaction::Payment))
    );
    // A tip larger than the balance.
    let tx = chain.sign(Bob, transfer(Alice, 1), 0, u128::MAX / 4);
    assert_eq!(
        chain.validate(&tx),
        Err(invalid(InvalidTransaction::Payment))
    );
}

#[test]
fn inherents_and_unsigned_calls_are_not_pool_transactions() {
    let mut chain = Chain::dev(Backend::Native);
    let timestamp = UncheckedExtrinsic::new_unsigned(RuntimeCall::Timestamp(
        folio_pallet_timestamp::Call::set { now: 1 },
    ))
    .encode();
    assert_eq!(
        chain.validate(&timestamp),
        Err(invalid(InvalidTransaction::MandatoryValidation))
    );
    let unsigned_transfer = UncheckedExtrinsic::new_unsigned(transfer(Bob, 1)).encode();
    assert_eq!(
        chain.validate(&unsigned_transfer),
        Err(TransactionValidityError::Unknown(
            UnknownTransaction::NoUnsignedValidator
        ))
    );
    let signed_inherent = chain.sign(
        Alice,
        RuntimeCall::Timestamp(folio_pallet_timestamp::Call::set { now: 1 }),
        0,
        0,
    );
    assert_eq!(
        chain.validate(&signed_inherent),
        Err(invalid(InvalidTransaction::MandatoryValidation))
    );
}

#[test]
fn invalid_extrinsic_changes_nothing_when_applied() {
    let mut chain = Chain::dev(Backend::Native);
    chain.begin_block();
    let before = chain.ext.snapshot();
    let tx = chain.sign(Alice, transfer(Bob, 1), 5, 0);
    assert_eq!(chain.apply(&tx), Err(invalid(InvalidTransaction::Future)));
    let mut bad = chain.sign(Alice, transfer(Bob, 1), 0, 0);
    let last = bad.len() - 1;
    bad[last - 1] ^= 1; // a different recipient than the one signed
    assert_eq!(
        chain.apply(&bad),
        Err(invalid(InvalidTransaction::BadProof))
    );
    assert_eq!(chain.ext.snapshot(), before);
}

#[test]
fn account_nonce_and_payment_info_answer_clients() {
    let mut chain = Chain::dev(Backend::Native);
    let tx = chain.sign(Alice, transfer(Bob, 1), 0, 0);
    chain.build_block(std::slice::from_ref(&tx));
    let nonce = chain
        .call(
            "AccountNonceApi_account_nonce",
            &Alice.account_id().encode(),
        )
        .unwrap();
    assert_eq!(nonce, 1u32.encode());
    let input = [tx.clone(), (tx.len() as u32).encode()].concat();
    let info = chain
        .call("TransactionPaymentApi_query_info", &input)
        .unwrap();
    let info =
        <folio_primitives::weight::RuntimeDispatchInfo as parity_scale_codec::Decode>::decode(
            &mut &info[..],
        )
        .unwrap();
    assert!(info.partial_fee > 0);
    assert!(info.weight.ref_time > 0);
}

/// `FolioTaggedTransactionQueue_validate_transactions`: the pool's batched admission.
fn validate_batch(chain: &mut Chain, txs: &[Vec<u8>]) -> (bool, Vec<TransactionValidity>) {
    use folio_primitives::extrinsic::OpaqueExtrinsic;
    use folio_primitives::transaction_validity::TransactionSource;
    use parity_scale_codec::Decode;
    let batch: Vec<OpaqueExtrinsic> = txs
        .iter()
        .map(|tx| OpaqueExtrinsic::from_bytes(tx).unwrap())
        .collect();
    let input = (TransactionSource::External, batch, chain.best.hash()).encode();
    let out = chain
        .call("FolioTaggedTransactionQueue_validate_transactions", &input)
        .expect("batched validation call");
    chain.ext.overlay = Default::default();
    <(bool, Vec<TransactionValidity>)>::decode(&mut &out[..]).expect("batched validities")
}

/// The same extrinsic with one bit of its signature flipped.
fn with_bad_signature(tx: &[u8]) -> Vec<u8> {
    use parity_scale_codec::Decode;
    let mut inner = Vec::<u8>::decode(&mut &tx[..]).unwrap();
    // version byte, MultiAddress::Id (1 + 32), MultiSignature::Sr25519 tag, then the signature
    inner[1 + 33 + 1 + 10] ^= 1;
    inner.encode()
}

#[test]
fn a_batch_validates_each_transaction_as_if_alone() {
    for backend in [Backend::Native, Backend::wasm()] {
        let mut chain = Chain::dev(backend);
        let stale = chain.sign(Ferdie, transfer(Bob, 1), 0, 0);
        chain.build_block(std::slice::from_ref(&stale));
        let txs = vec![
            chain.sign(Alice, transfer(Bob, 1), 0, 7),
            // The same sender and nonce again: validation writes nothing, so both are valid.
            chain.sign(Alice, transfer(Bob, 2), 0, 9),
            chain.sign(Bob, transfer(Alice, 1), 4, 0),
            stale,
        ];
        let one_by_one: Vec<TransactionValidity> =
            txs.iter().map(|tx| chain.validate(tx)).collect();
        let (signatures_valid, batched) = validate_batch(&mut chain, &txs);
        assert!(signatures_valid);
        assert_eq!(batched, one_by_one);
        assert!(batched[0].is_ok() && batched[1].is_ok() && batched[2].is_ok());
        assert_eq!(batched[3], Err(invalid(InvalidTransaction::Stale)));
    }
}

#[test]
fn a_bad_signature_fails_the_whole_batch() {
    for backend in [Backend::Native, Backend::wasm()] {
        let mut chain = Chain::dev(backend);
        let good = chain.sign(Alice, transfer(Bob, 1), 0, 0);
        let bad = with_bad_signature(&chain.sign(Bob, transfer(Alice, 1), 0, 0));
        assert_eq!(
            chain.validate(&bad),
            Err(invalid(InvalidTransaction::BadProof))
        );
        let (signatures_valid, _) = validate_batch(&mut chain, &[good.clone(), bad]);
        assert!(!signatures_valid, "the node must then validate one by one");
        let (signatures_valid, _) = validate_batch(&mut chain, &[good]);
        assert!(signatures_valid);
    }
}
