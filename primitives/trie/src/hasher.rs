//! The blake2-256 [`hash_db::Hasher`] every Folio trie node is addressed by.

use blake2::{digest::consts::U32, Blake2b, Digest};

use crate::Hash;

/// blake2b with a 32-byte output: Substrate's `BlakeTwo256`.
///
/// Implements [`hash_db::Hasher`] with `Out = [u8; 32]` directly (a plain array meets every
/// bound the trait asks for, so no newtype is needed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2Hasher;

impl Blake2Hasher {
    /// blake2-256 of `data`.
    pub fn hash_of(data: &[u8]) -> Hash {
        Blake2b::<U32>::digest(data).into()
    }
}

impl hash_db::Hasher for Blake2Hasher {
    type Out = Hash;
    // Only used to key in-memory hash maps by node hash; the node hashes are already
    // uniformly distributed, and SipHash keeps maps robust anyway. Never part of consensus.
    type StdHasher = std::collections::hash_map::DefaultHasher;
    const LENGTH: usize = 32;

    fn hash(x: &[u8]) -> Hash {
        Self::hash_of(x)
    }
}
