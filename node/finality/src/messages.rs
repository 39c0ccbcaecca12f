//! GRANDPA's gossip messages in Substrate's SCALE shapes (`sc_consensus_grandpa`'s
//! `GossipMessage` and its parts), so a later move to Substrate's wire format changes only
//! the transport.

use crate::{AuthorityId, AuthoritySignature, BlockNumber, Hash, RoundNumber, SetId, Topic};
use parity_scale_codec::{Decode, Encode};

pub type SignedMessage =
    finality_grandpa::SignedMessage<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
pub type Commit = finality_grandpa::Commit<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
pub type CompactCommit =
    finality_grandpa::CompactCommit<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
pub type CatchUp = finality_grandpa::CatchUp<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
pub type Message = finality_grandpa::Message<Hash, BlockNumber>;

/// A vote in a round (`VoteMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct VoteMessage {
    pub round: RoundNumber,
    pub set_id: SetId,
    pub message: SignedMessage,
}

/// A commit of a round (`FullCommitMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct FullCommitMessage {
    pub round: RoundNumber,
    pub set_id: SetId,
    pub message: CompactCommit,
}

/// Where a peer is (`NeighborPacket`): its round, set and last finalized height.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct NeighborPacket {
    pub round: RoundNumber,
    pub set_id: SetId,
    pub commit_finalized_height: BlockNumber,
}

/// `VersionedNeighborPacket`: only V1 (index 1) exists.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum VersionedNeighborPacket {
    #[codec(index = 1)]
    V1(NeighborPacket),
}

/// A request for the votes of a round (`CatchUpRequestMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct CatchUpRequestMessage {
    pub round: RoundNumber,
    pub set_id: SetId,
}

/// The votes that let a peer jump to a round (`FullCatchUpMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct FullCatchUpMessage {
    pub set_id: SetId,
    pub message: CatchUp,
}

/// Every GRANDPA gossip message, with Substrate's variant indices.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum GossipMessage {
    #[codec(index = 0)]
    Vote(VoteMessage),
    #[codec(index = 1)]
    Commit(FullCommitMessage),
    #[codec(index = 2)]
    Neighbor(VersionedNeighborPacket),
    #[codec(index = 3)]
    CatchUpRequest(CatchUpRequestMessage),
    #[codec(index = 4)]
    CatchUp(FullCatchUpMessage),
}

/// The topic of a round's votes: blake2-256 of `"{set_id}-{round}"` (Substrate's
/// `round_topic`).
pub fn round_topic(round: RoundNumber, set_id: SetId) -> Topic {
    Hash(folio_primitives::crypto::native::blake2_256(
        format!("{set_id}-{round}").as_bytes(),
    ))
}

/// The topic of a set's commits, neighbor packets and catch-ups: blake2-256 of
/// `"{set_id}-GLOBAL"` (Substrate's `global_topic`).
pub fn global_topic(set_id: SetId) -> Topic {
    Hash(folio_primitives::crypto::native::blake2_256(
        format!("{set_id}-GLOBAL").as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_message_is_substrates_scale() {
        let vote = GossipMessage::Vote(VoteMessage {
            round: 3,
            set_id: 1,
            message: SignedMessage {
                message: Message::Prevote(finality_grandpa::Prevote {
                    target_hash: Hash([7; 32]),
                    target_number: 9,
                }),
                signature: AuthoritySignature([5; 64]),
                id: AuthorityId([6; 32]),
            },
        });
        let bytes = vote.encode();
        // Variant 0, round u64, set_id u64, Message::Prevote (0), hash, number u32,
        // signature, id.
        let mut expected = vec![0u8];
        expected.extend(3u64.to_le_bytes());
        expected.extend(1u64.to_le_bytes());
        expected.push(0);
        expected.extend([7; 32]);
        expected.extend(9u32.to_le_bytes());
        expected.extend([5; 64]);
        expected.extend([6; 32]);
        assert_eq!(bytes, expected);
        assert_eq!(GossipMessage::decode(&mut &bytes[..]).unwrap(), vote);
    }

    #[test]
    fn a_neighbor_packet_is_versioned_one() {
        let packet = GossipMessage::Neighbor(VersionedNeighborPacket::V1(NeighborPacket {
            round: 1,
            set_id: 0,
            commit_finalized_height: 2,
        }));
        assert_eq!(&packet.encode()[..2], &[2, 1]);
    }
}
