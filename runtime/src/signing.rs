//! Signing this runtime's transactions natively: what the benchmarks, the load generator, the
//! examples and the tests all need, written once (std only).

use folio_primitives::extensions::{AdditionalSigned, SignedExtra};
use folio_primitives::extrinsic::with_signing_payload;
use folio_primitives::keyring::Sr25519Pair;
use folio_primitives::{Era, MultiAddress, Nonce, H256};

use crate::{RuntimeCall, UncheckedExtrinsic, TRANSACTION_VERSION};

/// `call` signed by `signer` with `nonce`, no tip, immortal, for the chain whose genesis hash
/// is `genesis` running runtime `spec_version`.
pub fn sign_immortal(
    signer: &Sr25519Pair,
    call: RuntimeCall,
    nonce: Nonce,
    genesis: H256,
    spec_version: u32,
) -> UncheckedExtrinsic {
    let extra = SignedExtra {
        era: Era::Immortal,
        nonce,
        tip: 0,
        metadata_hash_mode: 0,
    };
    let additional = AdditionalSigned {
        spec_version,
        transaction_version: TRANSACTION_VERSION,
        genesis_hash: genesis,
        era_block_hash: genesis,
        metadata_hash: None,
    };
    let signature = with_signing_payload(&call, &extra, &additional, |p| signer.sign_multi(p));
    UncheckedExtrinsic::new_signed(
        call,
        MultiAddress::Id(signer.account_id()),
        signature,
        extra,
    )
}
