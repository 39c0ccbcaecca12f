//! Substrate's base-16 Merkle-Patricia trie in state layout V1 over blake2-256, so that Folio's
//! state roots, extrinsics roots and read proofs are byte-identical to Substrate's
//! (`sp_trie::LayoutV1<BlakeTwo256>`).
//!
//! It owns the node format ([`NodeCodec`], the streaming [`TrieStream`]), the layout
//! ([`LayoutV1`]) and the hasher ([`Blake2Hasher`]) that the Parity crates `trie-db`,
//! `trie-root`, `memory-db` and `hash-db` are parameterised with, plus a few functions the node
//! needs: whole-state roots ([`state_root`]), extrinsics roots ([`ordered_trie_root`]),
//! incremental updates of a persisted trie ([`apply_changes`]), reads ([`read_value`]) and
//! `state_getReadProof`-style proofs ([`read_proof`], [`verify_proof`]).
//!
//! It must not walk the trie for ordinary reads of the latest state (the node keeps a flat
//! index for that), hand-roll trie algorithms (the Parity crates do them), or panic on
//! untrusted input: a malformed proof or a database missing nodes is a [`TrieError`].
//!
//! Layout V1 stores a value of [`HASHED_VALUE_THRESHOLD`] (33) bytes or more as its own
//! database entry and puts only its blake2-256 in the trie node; shorter values are inlined.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod error;
mod hasher;
mod node_codec;
mod stream;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use hash_db::{AsHashDB, HashDB, HashDBRef, Prefix, EMPTY_PREFIX};
use parity_scale_codec::{Compact, Encode};
use trie_db::{Recorder, Trie, TrieDBBuilder, TrieDBMutBuilder, TrieLayout, TrieMut};

pub use error::{Hex, TrieError};
pub use hasher::Blake2Hasher;
pub use node_codec::{NodeCodec, NodeCodecError};
pub use stream::TrieStream;

/// A blake2-256 hash: trie roots and node keys.
pub type Hash = [u8; 32];

/// Root of the empty trie: blake2-256 of the empty node `[0x00]`.
pub const EMPTY_ROOT: Hash = [
    0x03, 0x17, 0x0a, 0x2e, 0x75, 0x97, 0xb7, 0xb7, 0xe3, 0xd8, 0x4c, 0x05, 0x39, 0x1d, 0x13, 0x9a,
    0x62, 0xb1, 0x57, 0xe7, 0x87, 0x86, 0xd8, 0xc0, 0x82, 0xf2, 0x9d, 0xcf, 0x4c, 0x11, 0x13, 0x14,
];

/// Values this long or longer are stored hashed (Substrate's `TRIE_VALUE_NODE_THRESHOLD`).
///
/// In words: values up to 32 bytes (`MAX_INLINE_VALUE`) are inlined; trie-db and trie-root
/// both hash a value when `len >= threshold`, hence 33 here.
pub const HASHED_VALUE_THRESHOLD: u32 = 33;

/// Substrate's state layout V1: no extension nodes, empty values allowed, values of
/// [`HASHED_VALUE_THRESHOLD`] bytes or more stored by hash.
#[derive(Clone, Copy, Debug, Default)]
pub struct LayoutV1;

impl TrieLayout for LayoutV1 {
    const USE_EXTENSION: bool = false;
    const ALLOW_EMPTY: bool = true;
    const MAX_INLINE_VALUE: Option<u32> = Some(HASHED_VALUE_THRESHOLD);
    type Hash = Blake2Hasher;
    type Codec = NodeCodec;
}

impl trie_db::TrieConfiguration for LayoutV1 {
    fn trie_root<I, A, B>(input: I) -> Hash
    where
        I: IntoIterator<Item = (A, B)>,
        A: AsRef<[u8]> + Ord,
        B: AsRef<[u8]>,
    {
        trie_root::trie_root_no_extension::<Blake2Hasher, TrieStream, _, _, _>(
            input,
            Self::MAX_INLINE_VALUE,
        )
    }

    fn trie_root_unhashed<I, A, B>(input: I) -> Vec<u8>
    where
        I: IntoIterator<Item = (A, B)>,
        A: AsRef<[u8]> + Ord,
        B: AsRef<[u8]>,
    {
        trie_root::unhashed_trie_no_extension::<Blake2Hasher, TrieStream, _, _, _>(
            input,
            Self::MAX_INLINE_VALUE,
        )
    }

    fn encode_index(input: u32) -> Vec<u8> {
        Compact(input).encode()
    }
}

/// An in-memory node store keyed by node hash *and* the node's position (key prefix).
///
/// `PrefixedKey` rather than `HashKey` because it is what Substrate's state database uses:
/// two identical nodes at different positions stay two entries, so dropping one (pruning an
/// old state) can never delete the other. Proof verification, which does not know positions,
/// uses a `HashKey` store internally.
pub type MemoryDB =
    memory_db::MemoryDB<Blake2Hasher, memory_db::PrefixedKey<Blake2Hasher>, Vec<u8>>;

/// The root of the trie holding `pairs`, computed in one streaming pass (no database).
///
/// Pairs may come in any order; for a repeated key the last value wins.
pub fn state_root<I, K, V>(pairs: I) -> Hash
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    // Sorted by raw key bytes (whatever `K`'s own `Ord` says); later inserts overwrite.
    let sorted: BTreeMap<Vec<u8>, V> = pairs
        .into_iter()
        .map(|(key, value)| (key.as_ref().to_vec(), value))
        .collect();
    trie_root::trie_root_no_extension::<Blake2Hasher, TrieStream, _, _, _>(
        sorted,
        LayoutV1::MAX_INLINE_VALUE,
    )
}

/// Substrate's extrinsics root: the trie root of `SCALE(Compact<u32>(index)) => item`.
///
/// Computed in layout V1, as `frame_system` does for runtimes whose `system_version` is 1 or
/// more; under V0 (`system_version` 0) items of 33 bytes or more would give another root.
/// Items past index `u32::MAX` are ignored (a block never holds that many).
pub fn ordered_trie_root<T: AsRef<[u8]>>(items: &[T]) -> Hash {
    state_root(
        (0u32..)
            .zip(items)
            .map(|(index, item)| (Compact(index).encode(), item.as_ref())),
    )
}

/// Applies `changes` (`Some(value)` inserts or overwrites, `None` removes) to the trie at
/// `root` in `db` and returns the new root. New nodes are inserted into `db` and replaced
/// ones removed from it.
///
/// Changes are applied in key order (stable, so for a repeated key the last change wins).
/// Removing an absent key is a no-op (checked with a lookup first; see the comment inside).
/// `db` need not hold the empty node: [`EMPTY_ROOT`] is always understood as the empty trie.
///
/// # Errors
/// [`TrieError`] when a node on the path of a change is missing or corrupt; `db` is then left
/// untouched.
pub fn apply_changes(
    db: &mut dyn HashDB<Blake2Hasher, Vec<u8>>,
    root: Hash,
    changes: impl IntoIterator<Item = (Vec<u8>, Option<Vec<u8>>)>,
) -> Result<Hash, TrieError> {
    let mut changes: Vec<_> = changes.into_iter().collect();
    changes.sort_by(|(a, _), (b, _)| a.cmp(b));

    let mut db = WithEmptyNode(db);
    let mut root = root;
    {
        // Nothing reaches `db` unless every change applied: an early `?` drops the trie
        // without committing.
        let mut trie = TrieDBMutBuilder::<LayoutV1>::from_existing(&mut db, &mut root)
            .disable_commit_on_drop()
            .build();
        for (key, change) in changes {
            match change {
                Some(value) => trie.insert(&key, &value)?,
                // trie-db (up to at least 0.32) mishandles removing an absent key that ends
                // where a branch child with a longer partial key and a value begins
                // (paritytech/trie#217): it panics, or in release builds removes that child's
                // value. A present key never takes that path, so only present keys are removed.
                None if trie.contains(&key)? => trie.remove(&key)?,
                None => None,
            };
        }
        trie.commit();
    }
    Ok(root)
}

/// Reads the value under `key` in the trie at `root`.
///
/// # Errors
/// [`TrieError`] when `db` lacks a node on the key's path (or the root itself) or holds a
/// corrupt one.
pub fn read_value(
    db: &dyn HashDBRef<Blake2Hasher, Vec<u8>>,
    root: Hash,
    key: &[u8],
) -> Result<Option<Vec<u8>>, TrieError> {
    let db = WithEmptyNode(db);
    let value = TrieDBBuilder::<LayoutV1>::new(&db, &root)
        .build()
        .get(key)?;
    Ok(value)
}

/// The set of encoded nodes (hashed values included) that proves the values of `keys`, absent
/// keys included, under `root`: what Substrate's `state_getReadProof` returns. Sorted and
/// without duplicates, like Substrate's `StorageProof`.
///
/// # Errors
/// [`TrieError`] when `db` lacks a node needed for one of the keys.
pub fn read_proof<K: AsRef<[u8]>>(
    db: &dyn HashDBRef<Blake2Hasher, Vec<u8>>,
    root: Hash,
    keys: impl IntoIterator<Item = K>,
) -> Result<Vec<Vec<u8>>, TrieError> {
    let db = WithEmptyNode(db);
    let mut recorder = Recorder::<LayoutV1>::new();
    {
        let trie = TrieDBBuilder::<LayoutV1>::new(&db, &root)
            .with_recorder(&mut recorder)
            .build();
        for key in keys {
            trie.get(key.as_ref())?;
        }
    }
    let nodes: std::collections::BTreeSet<Vec<u8>> = recorder
        .drain()
        .into_iter()
        .map(|record| record.data)
        .collect();
    Ok(nodes.into_iter().collect())
}

/// Checks `proof` (as returned by [`read_proof`] or a Substrate node's `state_getReadProof`)
/// against `root` and returns the value it proves for `key`: `Some(value)`, or `None` when
/// the proof shows the key is absent. Nodes the lookup does not need are ignored.
///
/// # Errors
/// [`TrieError::InvalidStateRoot`] when no node of the proof hashes to `root`,
/// [`TrieError::MissingNode`] when the proof does not cover `key`, [`TrieError::Decode`] for
/// a malformed node.
pub fn verify_proof(
    root: Hash,
    proof: &[Vec<u8>],
    key: &[u8],
) -> Result<Option<Vec<u8>>, TrieError> {
    // Keyed by hash only: a proof carries no node positions. Every entry is keyed by the hash
    // of its own bytes, so a node can only be reached through a parent that commits to it.
    let mut db =
        memory_db::MemoryDB::<Blake2Hasher, memory_db::HashKey<Blake2Hasher>, Vec<u8>>::default();
    for node in proof {
        db.insert(EMPTY_PREFIX, node);
    }
    read_value(&db, root, key)
}

/// Makes any node store answer [`EMPTY_ROOT`] with the empty node, as Substrate's trie backend
/// does, so that a disk database need not store it and the empty trie needs no special case.
struct WithEmptyNode<D>(D);

const EMPTY_NODE: &[u8] = &[0x00];

impl<D: std::ops::Deref<Target = T>, T: HashDBRef<Blake2Hasher, Vec<u8>> + ?Sized>
    HashDBRef<Blake2Hasher, Vec<u8>> for WithEmptyNode<D>
{
    fn get(&self, key: &Hash, prefix: Prefix) -> Option<Vec<u8>> {
        if *key == EMPTY_ROOT {
            return Some(EMPTY_NODE.to_vec());
        }
        self.0.get(key, prefix)
    }

    fn contains(&self, key: &Hash, prefix: Prefix) -> bool {
        *key == EMPTY_ROOT || self.0.contains(key, prefix)
    }
}

impl HashDB<Blake2Hasher, Vec<u8>> for WithEmptyNode<&mut dyn HashDB<Blake2Hasher, Vec<u8>>> {
    fn get(&self, key: &Hash, prefix: Prefix) -> Option<Vec<u8>> {
        if *key == EMPTY_ROOT {
            return Some(EMPTY_NODE.to_vec());
        }
        self.0.get(key, prefix)
    }

    fn contains(&self, key: &Hash, prefix: Prefix) -> bool {
        *key == EMPTY_ROOT || self.0.contains(key, prefix)
    }

    fn insert(&mut self, prefix: Prefix, value: &[u8]) -> Hash {
        if value == EMPTY_NODE {
            return EMPTY_ROOT;
        }
        self.0.insert(prefix, value)
    }

    fn emplace(&mut self, key: Hash, prefix: Prefix, value: Vec<u8>) {
        if key != EMPTY_ROOT {
            self.0.emplace(key, prefix, value);
        }
    }

    fn remove(&mut self, key: &Hash, prefix: Prefix) {
        if *key != EMPTY_ROOT {
            self.0.remove(key, prefix);
        }
    }
}

impl AsHashDB<Blake2Hasher, Vec<u8>> for WithEmptyNode<&mut dyn HashDB<Blake2Hasher, Vec<u8>>> {
    fn as_hash_db(&self) -> &dyn HashDB<Blake2Hasher, Vec<u8>> {
        self
    }

    fn as_hash_db_mut<'a>(&'a mut self) -> &'a mut (dyn HashDB<Blake2Hasher, Vec<u8>> + 'a) {
        self
    }
}
