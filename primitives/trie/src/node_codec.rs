//! Substrate's trie node encoding, as a [`trie_db::NodeCodec`].
//!
//! A node starts with a header byte whose high bits say what the node is and whose low bits
//! hold the number of nibbles of its partial key:
//!
//! | high bits  | node                                   | bits left for the nibble count |
//! |------------|----------------------------------------|--------------------------------|
//! | `00000000` | empty trie                             | -                              |
//! | `01`       | leaf, inline value                     | 6                              |
//! | `10`       | branch without value                   | 6                              |
//! | `11`       | branch, inline value                   | 6                              |
//! | `001`      | leaf, hashed value                     | 5                              |
//! | `0001`     | branch, hashed value                   | 4                              |
//! | `0000xxxx` | anything else is rejected              | -                              |
//!
//! A nibble count that does not fit the low bits sets them all and continues in the next
//! bytes: each `255` adds 255 and the first byte below 255 adds itself and ends the count.
//! The partial key follows, packed two nibbles a byte; an odd count puts the first nibble
//! alone in the low half of the first byte. A leaf then holds its value; a branch holds a
//! little-endian `u16` bitmap of its present children, its value if any, and each present
//! child as a SCALE byte vector (a 32-byte child is a node hash, a shorter one is the child
//! node inlined). Inline values are SCALE byte vectors (compact length + bytes); hashed values
//! are the raw 32-byte blake2-256 of the value, which is stored as its own database entry.

use std::{borrow::Borrow, marker::PhantomData, ops::Range};

use parity_scale_codec::{Compact, Decode, Encode, Input};
use trie_db::{
    nibble_ops,
    node::{NibbleSlicePlan, NodeHandlePlan, NodePlan, Value, ValuePlan},
    ChildReference,
};

use crate::{hasher::Blake2Hasher, Hash};

/// Header byte of the empty trie; the whole encoded empty trie is this one byte.
pub(crate) const EMPTY_TRIE: u8 = 0b0000_0000;
const LEAF: u8 = 0b0100_0000;
const BRANCH_WITHOUT_VALUE: u8 = 0b1000_0000;
const BRANCH_WITH_VALUE: u8 = 0b1100_0000;
const HASHED_VALUE_LEAF: u8 = 0b0010_0000;
const HASHED_VALUE_BRANCH: u8 = 0b0001_0000;
/// Reserved by Substrate to escape into a compact-proof encoding; never a stored node.
const ESCAPE_COMPACT_HEADER: u8 = 0b0000_0001;

const HASH_LEN: usize = 32;
const BITMAP_LEN: usize = 2;

/// Why bytes are not a valid trie node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NodeCodecError {
    /// The node ended before the part the header announced.
    #[error("node ended early, at byte {offset}")]
    UnexpectedEnd {
        /// Where the missing part should have started.
        offset: usize,
    },
    /// The header byte is none of the five node kinds nor the empty trie.
    #[error("unknown node header byte {byte:#04x}")]
    UnknownHeader {
        /// The offending header byte.
        byte: u8,
    },
    /// An odd-length partial key whose padding nibble is not zero.
    #[error("non-zero padding nibble in partial key")]
    BadPadding,
    /// A branch whose bitmap says it has no children.
    #[error("branch node without children")]
    BranchWithoutChildren,
    /// An inline child longer than a hash (inline nodes are always shorter than 32 bytes).
    #[error("inline child of {len} bytes")]
    OversizedInlineChild {
        /// Length the child claims.
        len: usize,
    },
    /// A length prefix that is not a valid SCALE compact.
    #[error("bad SCALE compact length")]
    BadCompact,
}

/// The node kinds, without their content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Leaf,
    BranchWithoutValue,
    BranchWithValue,
    HashedValueLeaf,
    HashedValueBranch,
}

impl NodeKind {
    /// The header's fixed high bits and how many of them there are.
    fn prefix(self) -> (u8, u32) {
        match self {
            NodeKind::Leaf => (LEAF, 2),
            NodeKind::BranchWithoutValue => (BRANCH_WITHOUT_VALUE, 2),
            NodeKind::BranchWithValue => (BRANCH_WITH_VALUE, 2),
            NodeKind::HashedValueLeaf => (HASHED_VALUE_LEAF, 3),
            NodeKind::HashedValueBranch => (HASHED_VALUE_BRANCH, 4),
        }
    }

    fn is_branch(self) -> bool {
        !matches!(self, NodeKind::Leaf | NodeKind::HashedValueLeaf)
    }
}

/// Appends the header of a `kind` node with `nibble_count` nibbles of partial key.
pub(crate) fn encode_header(kind: NodeKind, nibble_count: usize, out: &mut Vec<u8>) {
    let (prefix, prefix_bits) = kind.prefix();
    let max = u8::MAX >> prefix_bits;
    match u8::try_from(nibble_count) {
        Ok(small) if small < max => out.push(prefix | small),
        _ => {
            out.push(prefix | max);
            let mut rest = nibble_count.saturating_sub(usize::from(max));
            while rest >= 255 {
                out.push(255);
                rest = rest.saturating_sub(255);
            }
            // `rest < 255` here, so the cast cannot truncate.
            out.push(u8::try_from(rest).unwrap_or(u8::MAX));
        }
    }
}

/// Reads a header: `None` for the empty trie, else the node kind and its nibble count.
fn decode_header(input: &mut Cursor<'_>) -> Result<Option<(NodeKind, usize)>, NodeCodecError> {
    let byte = input.byte()?;
    let kind = match byte & 0b1100_0000 {
        LEAF => NodeKind::Leaf,
        BRANCH_WITHOUT_VALUE => NodeKind::BranchWithoutValue,
        BRANCH_WITH_VALUE => NodeKind::BranchWithValue,
        _ if byte == EMPTY_TRIE => return Ok(None),
        _ if byte & 0b1110_0000 == HASHED_VALUE_LEAF => NodeKind::HashedValueLeaf,
        _ if byte & 0b1111_0000 == HASHED_VALUE_BRANCH => NodeKind::HashedValueBranch,
        _ => return Err(NodeCodecError::UnknownHeader { byte }),
    };
    let (_, prefix_bits) = kind.prefix();
    let max = u8::MAX >> prefix_bits;
    let mut count = usize::from(byte & max);
    if count == usize::from(max) {
        loop {
            let next = input.byte()?;
            // Bounded by the node's length (one byte per 255), so this cannot overflow; the
            // checked form keeps a hostile proof from ever reaching a panic.
            count = count
                .checked_add(usize::from(next))
                .ok_or(NodeCodecError::UnexpectedEnd {
                    offset: input.offset,
                })?;
            if next < 255 {
                break;
            }
        }
    }
    Ok(Some((kind, count)))
}

/// A bounds-checked reader over an encoded node that hands out ranges, as `NodePlan` wants.
struct Cursor<'a> {
    data: &'a [u8],
    offset: usize,
}

impl Cursor<'_> {
    fn take(&mut self, len: usize) -> Result<Range<usize>, NodeCodecError> {
        let end = self
            .offset
            .checked_add(len)
            .filter(|end| *end <= self.data.len())
            .ok_or(NodeCodecError::UnexpectedEnd {
                offset: self.offset,
            })?;
        let range = self.offset..end;
        self.offset = end;
        Ok(range)
    }

    fn byte(&mut self) -> Result<u8, NodeCodecError> {
        let range = self.take(1)?;
        self.data
            .get(range.start)
            .copied()
            .ok_or(NodeCodecError::UnexpectedEnd {
                offset: range.start,
            })
    }

    fn compact_len(&mut self) -> Result<usize, NodeCodecError> {
        let len = <Compact<u32>>::decode(self).map_err(|_| NodeCodecError::BadCompact)?;
        usize::try_from(len.0).map_err(|_| NodeCodecError::BadCompact)
    }

    /// Takes an SCALE-prefixed byte vector.
    fn bytes(&mut self) -> Result<Range<usize>, NodeCodecError> {
        let len = self.compact_len()?;
        self.take(len)
    }
}

impl Input for Cursor<'_> {
    fn remaining_len(&mut self) -> Result<Option<usize>, parity_scale_codec::Error> {
        Ok(Some(self.data.len().saturating_sub(self.offset)))
    }

    fn read(&mut self, into: &mut [u8]) -> Result<(), parity_scale_codec::Error> {
        let range = self.take(into.len()).map_err(|_| "node ended early")?;
        let src = self.data.get(range).ok_or("node ended early")?;
        into.copy_from_slice(src);
        Ok(())
    }
}

/// Substrate's node codec over blake2-256 (see the module docs for the format).
#[derive(Clone, Copy, Debug, Default)]
pub struct NodeCodec(PhantomData<Blake2Hasher>);

impl NodeCodec {
    fn decode_partial(
        input: &mut Cursor<'_>,
        nibble_count: usize,
    ) -> Result<NibbleSlicePlan, NodeCodecError> {
        let padding = nibble_count % nibble_ops::NIBBLE_PER_BYTE;
        let range = input.take(nibble_count.div_ceil(nibble_ops::NIBBLE_PER_BYTE))?;
        if padding != 0 {
            let first = input.data.get(range.start).copied().unwrap_or_default();
            if nibble_ops::pad_left(first) != 0 {
                return Err(NodeCodecError::BadPadding);
            }
        }
        Ok(NibbleSlicePlan::new(range, padding))
    }

    fn decode_value(input: &mut Cursor<'_>, hashed: bool) -> Result<ValuePlan, NodeCodecError> {
        if hashed {
            Ok(ValuePlan::Node(input.take(HASH_LEN)?))
        } else {
            Ok(ValuePlan::Inline(input.bytes()?))
        }
    }
}

/// Appends a value the way leaves and branches carry it.
fn encode_value(value: &Value<'_>, out: &mut Vec<u8>) {
    match value {
        Value::Inline(bytes) => bytes.encode_to(out),
        // trie-db only hands over hashes it made with our 32-byte hasher.
        Value::Node(hash) => out.extend_from_slice(hash),
    }
}

/// Appends a header and the packed partial key trie-db gives (already in the on-disk layout).
fn header_and_partial(
    kind: NodeKind,
    partial: impl Iterator<Item = u8>,
    nibble_count: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(4usize.saturating_add(nibble_count / 2));
    encode_header(kind, nibble_count, &mut out);
    out.extend(partial);
    out
}

impl trie_db::NodeCodec for NodeCodec {
    const ESCAPE_HEADER: Option<u8> = Some(ESCAPE_COMPACT_HEADER);
    type Error = NodeCodecError;
    type HashOut = Hash;

    fn hashed_null_node() -> Hash {
        Blake2Hasher::hash_of(&[EMPTY_TRIE])
    }

    fn decode_plan(data: &[u8]) -> Result<NodePlan, NodeCodecError> {
        let mut input = Cursor { data, offset: 0 };
        let Some((kind, nibble_count)) = decode_header(&mut input)? else {
            return Ok(NodePlan::Empty);
        };
        let partial = Self::decode_partial(&mut input, nibble_count)?;
        let hashed = matches!(
            kind,
            NodeKind::HashedValueLeaf | NodeKind::HashedValueBranch
        );
        if !kind.is_branch() {
            let value = Self::decode_value(&mut input, hashed)?;
            return Ok(NodePlan::Leaf { partial, value });
        }

        let bitmap_range = input.take(BITMAP_LEN)?;
        let bitmap = match data.get(bitmap_range) {
            Some(&[low, high]) => u16::from_le_bytes([low, high]),
            _ => {
                return Err(NodeCodecError::UnexpectedEnd {
                    offset: input.offset,
                })
            }
        };
        if bitmap == 0 {
            return Err(NodeCodecError::BranchWithoutChildren);
        }
        let value = match kind {
            NodeKind::BranchWithoutValue => None,
            _ => Some(Self::decode_value(&mut input, hashed)?),
        };
        let mut children: [Option<NodeHandlePlan>; nibble_ops::NIBBLE_LENGTH] = Default::default();
        for (index, slot) in (0u32..).zip(children.iter_mut()) {
            if bitmap & (1u16 << index) == 0 {
                continue;
            }
            let range = input.bytes()?;
            let len = range.len();
            *slot = Some(match len {
                HASH_LEN => NodeHandlePlan::Hash(range),
                // trie-db copies inline children into a hash-sized buffer; refuse what would
                // not fit instead of letting it panic there.
                _ if len > HASH_LEN => return Err(NodeCodecError::OversizedInlineChild { len }),
                _ => NodeHandlePlan::Inline(range),
            });
        }
        Ok(NodePlan::NibbledBranch {
            partial,
            value,
            children,
        })
    }

    fn is_empty_node(data: &[u8]) -> bool {
        data == [EMPTY_TRIE]
    }

    fn empty_node() -> &'static [u8] {
        &[EMPTY_TRIE]
    }

    fn leaf_node(partial: impl Iterator<Item = u8>, number_nibble: usize, value: Value) -> Vec<u8> {
        let kind = match value {
            Value::Inline(_) => NodeKind::Leaf,
            Value::Node(_) => NodeKind::HashedValueLeaf,
        };
        let mut out = header_and_partial(kind, partial, number_nibble);
        encode_value(&value, &mut out);
        out
    }

    fn extension_node(
        _partial: impl Iterator<Item = u8>,
        _number_nibble: usize,
        _child: ChildReference<Hash>,
    ) -> Vec<u8> {
        // Unreachable: `LayoutV1::USE_EXTENSION` is false, so trie-db never builds extension
        // nodes. Returning the empty node (rather than panicking) would only ever surface as a
        // wrong root, which the tests against Substrate's vectors would catch.
        vec![EMPTY_TRIE]
    }

    fn branch_node(
        children: impl Iterator<Item = impl Borrow<Option<ChildReference<Hash>>>>,
        value: Option<Value>,
    ) -> Vec<u8> {
        // Also unused without extension nodes; a branch with an empty partial key is the
        // faithful equivalent.
        Self::branch_node_nibbled(std::iter::empty(), 0, children, value)
    }

    fn branch_node_nibbled(
        partial: impl Iterator<Item = u8>,
        number_nibble: usize,
        children: impl Iterator<Item = impl Borrow<Option<ChildReference<Hash>>>>,
        value: Option<Value>,
    ) -> Vec<u8> {
        let kind = match value {
            None => NodeKind::BranchWithoutValue,
            Some(Value::Inline(_)) => NodeKind::BranchWithValue,
            Some(Value::Node(_)) => NodeKind::HashedValueBranch,
        };
        let mut out = header_and_partial(kind, partial, number_nibble);
        let bitmap_at = out.len();
        out.extend_from_slice(&[0; BITMAP_LEN]);
        if let Some(value) = &value {
            encode_value(value, &mut out);
        }
        let mut bitmap = 0u16;
        for (index, child) in (0u32..16).zip(children) {
            let data: &[u8] = match child.borrow() {
                None => continue,
                Some(ChildReference::Hash(hash)) => hash,
                // trie-db keeps `len <= 32`; fall back to the whole buffer rather than panic.
                Some(ChildReference::Inline(buf, len)) => buf.get(..*len).unwrap_or(buf),
            };
            bitmap |= 1u16 << index;
            data.encode_to(&mut out);
        }
        if let Some(slot) = out.get_mut(bitmap_at..bitmap_at.saturating_add(BITMAP_LEN)) {
            slot.copy_from_slice(&bitmap.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trie_db::NodeCodec as _;

    fn header(kind: NodeKind, count: usize) -> Vec<u8> {
        let mut out = Vec::new();
        encode_header(kind, count, &mut out);
        out
    }

    #[test]
    fn header_sizes_spill_into_following_bytes() {
        assert_eq!(header(NodeKind::Leaf, 0), vec![0x40]);
        assert_eq!(header(NodeKind::Leaf, 62), vec![0x7e]);
        assert_eq!(header(NodeKind::Leaf, 63), vec![0x7f, 0x00]);
        assert_eq!(header(NodeKind::Leaf, 64), vec![0x7f, 0x01]);
        assert_eq!(header(NodeKind::Leaf, 63 + 255), vec![0x7f, 0xff, 0x00]);
        assert_eq!(header(NodeKind::BranchWithValue, 3), vec![0xc3]);
        assert_eq!(header(NodeKind::BranchWithoutValue, 0), vec![0x80]);
        assert_eq!(header(NodeKind::HashedValueLeaf, 31), vec![0x3f, 0x00]);
        assert_eq!(header(NodeKind::HashedValueBranch, 14), vec![0x1e]);
        assert_eq!(header(NodeKind::HashedValueBranch, 15), vec![0x1f, 0x00]);
    }

    #[test]
    fn headers_round_trip() {
        let kinds = [
            NodeKind::Leaf,
            NodeKind::BranchWithoutValue,
            NodeKind::BranchWithValue,
            NodeKind::HashedValueLeaf,
            NodeKind::HashedValueBranch,
        ];
        for kind in kinds {
            for count in [0, 1, 14, 15, 16, 30, 31, 32, 62, 63, 64, 300, 600, 70_000] {
                let bytes = header(kind, count);
                let mut cursor = Cursor {
                    data: &bytes,
                    offset: 0,
                };
                assert_eq!(
                    decode_header(&mut cursor),
                    Ok(Some((kind, count))),
                    "{kind:?} {count}"
                );
                assert_eq!(cursor.offset, bytes.len());
            }
        }
    }

    #[test]
    fn malformed_nodes_are_errors() {
        for bad in [
            &[][..],
            &[0x01],                   // escape header
            &[0x0f],                   // unused header
            &[0x42, 0xaa],             // leaf missing its value
            &[0x41, 0x10, 0x00],       // odd key with non-zero padding nibble
            &[0x80, 0x00, 0x00],       // branch without children
            &[0x80, 0x01, 0x00, 0x04], // child announced, 1 byte promised, none present
            &[0x7f, 0xff],             // header length never terminated
            &[0x20, 0x01, 0x02],       // hashed leaf with a 2-byte hash
        ] {
            assert!(NodeCodec::decode_plan(bad).is_err(), "{bad:x?} decoded");
        }
        let mut oversized = vec![0x80, 0x01, 0x00];
        vec![0u8; 40].encode_to(&mut oversized);
        assert_eq!(
            NodeCodec::decode_plan(&oversized),
            Err(NodeCodecError::OversizedInlineChild { len: 40 })
        );
    }

    #[test]
    fn leaf_round_trips_through_decode() {
        let encoded = NodeCodec::leaf_node([0xaa].into_iter(), 2, Value::Inline(&[0xbb]));
        assert_eq!(encoded, vec![0x42, 0xaa, 0x04, 0xbb]);
        let plan = NodeCodec::decode_plan(&encoded);
        assert!(
            matches!(plan, Ok(NodePlan::Leaf { value: ValuePlan::Inline(r), .. }) if r == (3..4))
        );
    }
}
