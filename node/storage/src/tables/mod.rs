//! The typed tables: one module per concept, each turning its keys and values into bytes for
//! the engine ([`crate::kv`]) and back, so no other module encodes a key by hand.

pub(crate) mod blocks_by_number;
pub(crate) mod bodies;
pub(crate) mod canonical;
pub(crate) mod flat_state;
pub(crate) mod headers;
pub(crate) mod journals;
pub(crate) mod justifications;
pub(crate) mod meta;
pub(crate) mod trie_nodes;

use parity_scale_codec::Decode;

use crate::error::StorageError;

/// The tables of the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// Block hash → SCALE `Header`.
    Headers,
    /// Block hash → SCALE `Vec<OpaqueExtrinsic>`.
    Bodies,
    /// Big-endian block number → hash of the canonical block at that height.
    Canonical,
    /// Name → chain metadata (best, finalized, genesis).
    Meta,
    /// Position (8 bytes big-endian, in the order first written) → node hash ‖ encoded trie
    /// node (or a hashed value, layout V1), of every stored state; found by hash through the
    /// in-memory index (`tables::trie_nodes`).
    TrieNodes,
    /// Storage key → value, in the state of the best block.
    FlatState,
    /// Block hash → SCALE map of the block's state changes, for blocks not yet final.
    Journals,
    /// Block hash → SCALE `Vec<([u8; 4], Vec<u8>)>`.
    Justifications,
    /// Big-endian block number ‖ hash → empty: every stored block by height.
    BlocksByNumber,
}

impl Column {
    /// Every column, in [`Column::index`] order.
    pub(crate) const ALL: [Column; 9] = [
        Column::Headers,
        Column::Bodies,
        Column::Canonical,
        Column::Meta,
        Column::TrieNodes,
        Column::FlatState,
        Column::Journals,
        Column::Justifications,
        Column::BlocksByNumber,
    ];

    /// The table's name in the database file (stable: renaming one loses its data).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Column::Headers => "headers",
            Column::Bodies => "bodies",
            Column::Canonical => "canonical",
            Column::Meta => "meta",
            Column::TrieNodes => "trie_node_log",
            Column::FlatState => "flat_state",
            Column::Journals => "journals",
            Column::Justifications => "justifications",
            Column::BlocksByNumber => "blocks_by_number",
        }
    }

    /// Position in [`Column::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

/// Decodes a whole SCALE value read from `column` under `key`; trailing bytes are corruption.
pub(crate) fn decode<T: Decode>(
    column: Column,
    key: &[u8],
    bytes: &[u8],
) -> Result<T, StorageError> {
    let mut input = bytes;
    let value = T::decode(&mut input).map_err(|e| StorageError::Corrupt {
        column,
        key: key.to_vec(),
        reason: e.to_string(),
    })?;
    if !input.is_empty() {
        return Err(StorageError::Corrupt {
            column,
            key: key.to_vec(),
            reason: format!("{} trailing bytes", input.len()),
        });
    }
    Ok(value)
}
