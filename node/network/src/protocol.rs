//! Folio's wire messages, SCALE-encoded and shaped like Substrate's: the status handshake
//! (`BlockAnnouncesHandshake`), block announcements, block requests and responses
//! (`BlockRequest`/`BlockResponse` with `BlockAttributes`), and transactions.
//!
//! Every protocol name carries the genesis hash, so nodes of two chains never agree on a
//! protocol; the status message repeats it so a mismatch is also caught explicitly.

use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::BlockNumber;
use parity_scale_codec::{Decode, Encode};

/// Most blocks in one block response (Substrate's `MAX_BLOCKS_IN_RESPONSE`).
pub const MAX_BLOCKS_PER_RESPONSE: u32 = 128;
/// Most bytes of one block response (Substrate's `MAX_BODY_BYTES` is 8 MiB; Folio's full
/// blocks of transfers are larger, and the issue sets 16 MiB).
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Most bytes of one request, status or announcement (a header with a few digests is far
/// smaller; anything larger is not a Folio message).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// What a node is, as Substrate's `Roles` bit set (`FULL = 1`, `AUTHORITY = 4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Roles(pub u8);

impl Roles {
    pub const FULL: Roles = Roles(0b0001);
    pub const AUTHORITY: Roles = Roles(0b0100);

    pub fn is_authority(self) -> bool {
        self.0 & Self::AUTHORITY.0 != 0
    }

    /// The names `system_nodeRoles` reports.
    pub fn names(self) -> Vec<String> {
        if self.is_authority() {
            vec!["Authority".into()]
        } else {
            vec!["Full".into()]
        }
    }
}

/// The status handshake: the first request on every new connection, answered with the same.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Status {
    pub roles: Roles,
    pub best_number: BlockNumber,
    pub best_hash: H256,
    pub finalized_number: BlockNumber,
    pub finalized_hash: H256,
    pub genesis_hash: H256,
}

/// A new block, announced by its header (the receiver fetches the body if it wants it).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlockAnnounce {
    pub header: Header,
    /// Whether the sender made it its best block.
    pub is_best: bool,
}

/// The answer to an announcement: an empty acknowledgement (the protocol is one-way).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Ack;

/// Fields a block request asks for (bit set, Substrate's `BlockAttributes` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlockFields(pub u8);

impl BlockFields {
    pub const HEADER: u8 = 0b0000_0001;
    pub const BODY: u8 = 0b0000_0010;
    pub const JUSTIFICATION: u8 = 0b0001_0000;
    /// Everything needed to import a block.
    pub const FULL: BlockFields = BlockFields(Self::HEADER | Self::BODY | Self::JUSTIFICATION);
    /// Headers only (ancestor search).
    pub const HEADERS: BlockFields = BlockFields(Self::HEADER);

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// Where a requested range starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum FromBlock {
    #[codec(index = 0)]
    Hash(H256),
    #[codec(index = 1)]
    Number(BlockNumber),
}

/// Which way a requested range runs from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Direction {
    /// Towards higher numbers (children), along the sender's best chain.
    #[codec(index = 0)]
    Ascending,
    /// Towards genesis (parents).
    #[codec(index = 1)]
    Descending,
}

/// A request for a range of blocks.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlockRequest {
    pub fields: BlockFields,
    pub from: FromBlock,
    pub direction: Direction,
    /// At most this many blocks (the server caps it at [`MAX_BLOCKS_PER_RESPONSE`]).
    pub max: u32,
}

/// One consensus engine's justification of a block (`(engine id, bytes)`, as Substrate's
/// `Justifications`).
pub type Justification = ([u8; 4], Vec<u8>);

/// One block of a response; fields not asked for are `None`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlockData {
    pub hash: H256,
    pub header: Option<Header>,
    pub body: Option<Vec<OpaqueExtrinsic>>,
    pub justifications: Option<Vec<Justification>>,
}

/// The blocks found for a request, in the requested order (possibly fewer than asked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct BlockResponse {
    pub blocks: Vec<BlockData>,
}

/// Protocol names, namespaced by the genesis hash (`/folio/<genesis hex>/<name>/1`).
#[derive(Clone, Debug)]
pub struct ProtocolNames {
    pub status: String,
    pub announces: String,
    pub blocks: String,
    pub transactions: String,
    /// GRANDPA gossip ([`crate::finality_gossip`]).
    pub grandpa: String,
    /// Kademlia (peer discovery): a DHT of this chain's nodes only.
    pub kademlia: String,
}

impl ProtocolNames {
    pub fn new(genesis: &H256) -> Self {
        let prefix = format!("/folio/{}", hex::encode(genesis.0));
        Self {
            status: format!("{prefix}/status/1"),
            announces: format!("{prefix}/block-announces/1"),
            blocks: format!("{prefix}/sync/1"),
            transactions: format!("{prefix}/transactions/1"),
            grandpa: format!("{prefix}/grandpa/1"),
            kademlia: format!("{prefix}/kad/1"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_keep_their_indices() {
        let request = BlockRequest {
            fields: BlockFields::FULL,
            from: FromBlock::Number(7),
            direction: Direction::Descending,
            max: 3,
        };
        // fields 0x13, from = Number (index 1) u32 LE, direction 1, max u32 LE.
        assert_eq!(request.encode(), vec![0x13, 1, 7, 0, 0, 0, 1, 3, 0, 0, 0]);
        assert_eq!(
            BlockRequest::decode(&mut &request.encode()[..]).ok(),
            Some(request)
        );
    }

    #[test]
    fn protocol_names_differ_by_genesis() {
        let a = ProtocolNames::new(&H256([1; 32]));
        let b = ProtocolNames::new(&H256([2; 32]));
        assert_ne!(a.status, b.status);
        assert_ne!(a.kademlia, b.kademlia);
        assert!(a.blocks.starts_with("/folio/0101"));
    }
}
