//! The [`trie_root::TrieStream`] that lets `trie-root` compute a root in one pass over sorted
//! pairs, writing nodes in exactly the bytes [`crate::NodeCodec`] writes.

use parity_scale_codec::Encode;
use trie_root::Value;

use crate::node_codec::{encode_header, NodeKind, EMPTY_TRIE};

/// Node bytes being built by `trie-root`. Keys arrive as nibbles, one per byte.
#[derive(Debug, Default, Clone)]
pub struct TrieStream {
    buffer: Vec<u8>,
}

impl TrieStream {
    /// Header, then the partial key packed two nibbles a byte (an odd first nibble alone).
    fn header_and_partial(&mut self, kind: NodeKind, nibbles: &[u8]) {
        encode_header(kind, nibbles.len(), &mut self.buffer);
        let (odd, pairs) = nibbles.split_at(nibbles.len() % 2);
        self.buffer.extend_from_slice(odd);
        self.buffer
            .extend(pairs.chunks_exact(2).map(|pair| match pair {
                [high, low] => (high << 4) | low,
                _ => 0, // `chunks_exact(2)` yields only pairs
            }));
    }

    fn value(&mut self, value: &Value<'_>) {
        match value {
            Value::Inline(bytes) => bytes.encode_to(&mut self.buffer),
            Value::Node(hash) => self.buffer.extend_from_slice(hash),
        }
    }
}

impl trie_root::TrieStream for TrieStream {
    fn new() -> Self {
        Self::default()
    }

    fn append_empty_data(&mut self) {
        self.buffer.push(EMPTY_TRIE);
    }

    fn begin_branch(
        &mut self,
        maybe_key: Option<&[u8]>,
        maybe_value: Option<Value>,
        has_children: impl Iterator<Item = bool>,
    ) {
        let kind = match &maybe_value {
            None => NodeKind::BranchWithoutValue,
            Some(Value::Inline(_)) => NodeKind::BranchWithValue,
            Some(Value::Node(_)) => NodeKind::HashedValueBranch,
        };
        // `trie_root_no_extension` always passes a key (possibly empty); `None` would mean
        // the extension layout, which Folio never uses, and is the same as an empty key.
        self.header_and_partial(kind, maybe_key.unwrap_or_default());
        let bitmap = (0u32..16)
            .zip(has_children)
            .filter(|(_, present)| *present)
            .fold(0u16, |bitmap, (index, _)| bitmap | (1u16 << index));
        self.buffer.extend_from_slice(&bitmap.to_le_bytes());
        if let Some(value) = &maybe_value {
            self.value(value);
        }
    }

    fn append_leaf(&mut self, key: &[u8], value: Value) {
        let kind = match &value {
            Value::Inline(_) => NodeKind::Leaf,
            Value::Node(_) => NodeKind::HashedValueLeaf,
        };
        self.header_and_partial(kind, key);
        self.value(&value);
    }

    fn append_extension(&mut self, _key: &[u8]) {
        // Never called by `trie_root_no_extension`, the only entry point Folio uses.
    }

    fn append_substream<H: hash_db::Hasher>(&mut self, other: Self) {
        let data = other.out();
        // A child node shorter than a hash is inlined in its parent; anything else is
        // referenced by its hash. Both are SCALE byte vectors.
        if data.len() < 32 {
            data.encode_to(&mut self.buffer);
        } else {
            H::hash(&data).as_ref().encode_to(&mut self.buffer);
        }
    }

    fn out(self) -> Vec<u8> {
        self.buffer
    }
}
