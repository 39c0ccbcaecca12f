//! The GRANDPA gossip protocol: finality messages (votes, commits, neighbor packets,
//! catch-ups; their bytes are the finality gadget's business) on a gossipsub topic named by
//! the genesis hash, `/folio/<genesis>/grandpa/1`.
//!
//! A message from a peer is handed to the node (the channel in
//! [`NetworkConfig::finality_messages`](crate::NetworkConfig)) and passed on to other peers
//! only once the node's verdict ([`crate::NetworkService::finality_verdict`]) keeps it, as
//! Substrate's gossip engine asks its validator. Oversized messages are dropped and
//! their sender is reported; when the node's channel is full, messages are ignored (not
//! passed on) rather than queued without bound.

use crate::reputation::Misbehaviour;
use libp2p::{gossipsub, PeerId};
use tokio::sync::mpsc;

/// A finality message from a peer, waiting for the node's verdict.
#[derive(Debug)]
pub struct FinalityMessage {
    /// The message as its origin published it.
    pub data: Vec<u8>,
    /// What to hand back with the verdict.
    pub id: FinalityMessageId,
}

/// Names a received message for its verdict (opaque: libp2p types stay in this crate).
#[derive(Clone, Debug)]
pub struct FinalityMessageId {
    pub(crate) message_id: gossipsub::MessageId,
    pub(crate) source: PeerId,
}

/// What the node says of a received message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalityVerdict {
    /// Valid and current: pass it on.
    Keep,
    /// Valid but not worth passing on (old round, another set).
    Ignore,
    /// Malformed or badly signed: drop it and count it against the sender.
    Reject,
}

impl FinalityVerdict {
    pub(crate) fn acceptance(self) -> gossipsub::MessageAcceptance {
        match self {
            Self::Keep => gossipsub::MessageAcceptance::Accept,
            Self::Ignore => gossipsub::MessageAcceptance::Ignore,
            Self::Reject => gossipsub::MessageAcceptance::Reject,
        }
    }
}

/// What the loop does with a message that came in on the GRANDPA topic.
pub(crate) enum Received {
    /// Handed to the node; the verdict comes later.
    Handed,
    /// Not handed: tell gossipsub at once, and maybe report the sender.
    Judged(gossipsub::MessageAcceptance, Option<Misbehaviour>),
}

/// Hands `data` to the node if it fits `max_bytes` and the node listens.
pub(crate) fn receive(
    sink: Option<&mpsc::Sender<FinalityMessage>>,
    max_bytes: usize,
    data: Vec<u8>,
    id: FinalityMessageId,
) -> Received {
    if data.len() > max_bytes {
        return Received::Judged(
            gossipsub::MessageAcceptance::Reject,
            Some(Misbehaviour::BadMessage),
        );
    }
    let Some(sink) = sink else {
        // A node without a finality gadget neither judges nor relays.
        return Received::Judged(gossipsub::MessageAcceptance::Ignore, None);
    };
    match sink.try_send(FinalityMessage { data, id }) {
        Ok(()) => Received::Handed,
        Err(_) => Received::Judged(gossipsub::MessageAcceptance::Ignore, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> FinalityMessageId {
        FinalityMessageId {
            message_id: gossipsub::MessageId::from(vec![1]),
            source: PeerId::random(),
        }
    }

    #[test]
    fn oversized_messages_are_rejected_and_reported() {
        let (tx, mut rx) = mpsc::channel(4);
        match receive(Some(&tx), 8, vec![0; 9], id()) {
            Received::Judged(acceptance, Some(Misbehaviour::BadMessage)) => {
                assert!(matches!(acceptance, gossipsub::MessageAcceptance::Reject))
            }
            _ => panic!("an oversized message must be rejected"),
        }
        assert!(rx.try_recv().is_err());
        assert!(matches!(
            receive(Some(&tx), 8, vec![0; 8], id()),
            Received::Handed
        ));
        assert_eq!(rx.try_recv().map(|m| m.data.len()).ok(), Some(8));
    }

    #[test]
    fn a_full_channel_ignores_instead_of_queueing() {
        let (tx, _rx) = mpsc::channel(1);
        assert!(matches!(
            receive(Some(&tx), 8, vec![1], id()),
            Received::Handed
        ));
        assert!(matches!(
            receive(Some(&tx), 8, vec![2], id()),
            Received::Judged(gossipsub::MessageAcceptance::Ignore, None)
        ));
        assert!(matches!(
            receive(None, 8, vec![3], id()),
            Received::Judged(gossipsub::MessageAcceptance::Ignore, None)
        ));
    }
}
