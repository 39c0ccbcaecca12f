//! The `gran` keys: ed25519 public keys as authority ids, signatures over Substrate's
//! localized payload `(message, round, set_id)`.

use crate::{RoundNumber, SetId};
use finality_grandpa::Message;
use folio_primitives::keyring::Ed25519Pair;
use parity_scale_codec::{Decode, Encode};

/// The keystore's key type of GRANDPA keys.
pub const KEY_TYPE: [u8; 4] = *b"gran";

/// An authority's ed25519 public key (`sp_consensus_grandpa::AuthorityId`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct AuthorityId(pub [u8; 32]);

impl std::fmt::Debug for AuthorityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = self.0;
        write!(
            f,
            "gran:{:02x}{:02x}{:02x}{:02x}",
            bytes[0], bytes[1], bytes[2], bytes[3]
        )
    }
}

/// An ed25519 signature (`sp_consensus_grandpa::AuthoritySignature`).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub struct AuthoritySignature(pub [u8; 64]);

impl std::fmt::Debug for AuthoritySignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthoritySignature")
    }
}

/// The bytes a vote's signature covers: `(message, round, set_id)` SCALE-encoded, as
/// `sp_consensus_grandpa::localized_payload`.
pub fn localized_payload(
    round: RoundNumber,
    set_id: SetId,
    message: &Message<crate::Hash, crate::BlockNumber>,
) -> Vec<u8> {
    (message, round, set_id).encode()
}

/// Signs `message` for `round` of `set_id`.
pub fn sign(
    pair: &Ed25519Pair,
    round: RoundNumber,
    set_id: SetId,
    message: &Message<crate::Hash, crate::BlockNumber>,
) -> AuthoritySignature {
    AuthoritySignature(pair.sign(&localized_payload(round, set_id, message)))
}

/// Whether `signature` is `id`'s over `message` in `round` of `set_id`.
pub fn verify(
    id: &AuthorityId,
    signature: &AuthoritySignature,
    round: RoundNumber,
    set_id: SetId,
    message: &Message<crate::Hash, crate::BlockNumber>,
) -> bool {
    folio_primitives::crypto::native::ed25519_verify(
        &signature.0,
        &localized_payload(round, set_id, message),
        &id.0,
    )
}
