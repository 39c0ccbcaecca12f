//! Aura's byte formats and rules, as Substrate's `sc-consensus-aura` writes and checks them:
//! the slot in `PreRuntime(*b"aura", slot.encode())`, the author's sr25519 signature of the
//! pre-seal header hash in a trailing `Seal(*b"aura", signature.encode())`, and the slot's
//! author `authorities[slot % n]`.

use crate::ConsensusError;
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, DigestItem, Header};
use parity_scale_codec::{Decode, Encode};

/// Aura's consensus engine id.
pub const ENGINE_ID: [u8; 4] = *b"aura";

/// A slot: time since the Unix epoch divided by the slot duration.
pub type Slot = u64;

/// The slot at `now_ms` for slots of `slot_duration_ms` (never divides by zero).
pub fn slot_at(now_ms: u64, slot_duration_ms: u64) -> Slot {
    now_ms / slot_duration_ms.max(1)
}

/// The pre-runtime digest of a block authored in `slot`.
pub fn pre_digest(slot: Slot) -> Digest {
    Digest {
        logs: vec![DigestItem::PreRuntime(ENGINE_ID, slot.encode())],
    }
}

/// The seal item of a signature.
pub fn seal_item(signature: [u8; 64]) -> DigestItem {
    DigestItem::Seal(ENGINE_ID, signature.encode())
}

/// The slot in a header's `aura` pre-runtime digest (`None` when it has none).
///
/// # Errors
/// Two of them, or one that is not a SCALE `u64`.
pub fn find_slot(header: &Header) -> Result<Option<Slot>, ConsensusError> {
    let mut found = None;
    for item in &header.digest.logs {
        if let DigestItem::PreRuntime(engine, data) = item {
            if *engine != ENGINE_ID {
                continue;
            }
            if found.is_some() {
                return Err(ConsensusError::BadPreDigest);
            }
            let slot = u64::decode(&mut &data[..]).map_err(|_| ConsensusError::BadPreDigest)?;
            found = Some(slot);
        }
    }
    Ok(found)
}

/// The author of `slot` among `authorities`.
pub fn slot_author(slot: Slot, authorities: &[[u8; 32]]) -> Option<[u8; 32]> {
    let n = u64::try_from(authorities.len()).ok().filter(|n| *n > 0)?;
    let index = usize::try_from(slot % n).ok()?;
    authorities.get(index).copied()
}

/// What a checked seal says: the block's slot and its author.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealedBy {
    pub slot: Slot,
    pub author: [u8; 32],
    /// The hash of the header without its seal (what was signed).
    pub pre_hash: H256,
}

/// Checks a header's seal against the authorities of its parent's state: it must end with an
/// `aura` seal holding the slot author's signature of the pre-seal header hash.
///
/// # Errors
/// Why the header is not a valid Aura header (the block is bad).
pub fn check_seal(header: &Header, authorities: &[[u8; 32]]) -> Result<SealedBy, ConsensusError> {
    let mut pre = header.clone();
    let signature = match pre.digest.logs.pop() {
        Some(DigestItem::Seal(engine, data)) if engine == ENGINE_ID => {
            <[u8; 64]>::decode(&mut &data[..]).map_err(|_| ConsensusError::BadSeal)?
        }
        _ => return Err(ConsensusError::MissingSeal),
    };
    let slot = find_slot(&pre)?.ok_or(ConsensusError::MissingSlot)?;
    let author = slot_author(slot, authorities).ok_or(ConsensusError::NoAuthorities)?;
    let pre_hash = pre.hash();
    if !folio_primitives::crypto::native::sr25519_verify(&signature, pre_hash.as_bytes(), &author) {
        return Err(ConsensusError::BadSeal);
    }
    Ok(SealedBy {
        slot,
        author,
        pre_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::keyring::Keyring;

    fn authorities() -> Vec<[u8; 32]> {
        [Keyring::Alice, Keyring::Bob]
            .iter()
            .map(|k| k.pair().public())
            .collect()
    }

    fn sealed(slot: Slot, by: Keyring) -> Header {
        let mut header = Header {
            parent_hash: H256::zero(),
            number: 1,
            state_root: H256::zero(),
            extrinsics_root: H256::zero(),
            digest: pre_digest(slot),
        };
        let signature = by.pair().sign(header.hash().as_bytes());
        header.digest.logs.push(seal_item(signature));
        header
    }

    #[test]
    fn digests_have_substrates_bytes() {
        // PreRuntime = 6, engine, compact length 8, slot LE; Seal = 5, engine, length 64.
        let slot = pre_digest(0x0102).logs.remove(0).encode();
        assert_eq!(hex::encode(slot), "0661757261200201000000000000");
        let seal = seal_item([7; 64]).encode();
        assert_eq!(&seal[..6], &[5, b'a', b'u', b'r', b'a', 0x01,][..6]);
        assert_eq!(seal.len(), 1 + 4 + 2 + 64);
    }

    #[test]
    fn the_slots_author_seals_and_no_one_else() {
        let authorities = authorities();
        // Slot 4: 4 % 2 = 0, Alice's.
        let ok = check_seal(&sealed(4, Keyring::Alice), &authorities).unwrap();
        assert_eq!(ok.slot, 4);
        assert_eq!(ok.author, Keyring::Alice.pair().public());
        assert!(matches!(
            check_seal(&sealed(4, Keyring::Bob), &authorities),
            Err(ConsensusError::BadSeal)
        ));
        let mut unsealed = sealed(4, Keyring::Alice);
        unsealed.digest.logs.pop();
        assert!(matches!(
            check_seal(&unsealed, &authorities),
            Err(ConsensusError::MissingSeal)
        ));
    }

    #[test]
    fn a_changed_header_breaks_the_seal() {
        let mut header = sealed(5, Keyring::Bob);
        header.number = 2;
        assert!(matches!(
            check_seal(&header, &authorities()),
            Err(ConsensusError::BadSeal)
        ));
    }
}
