//! A misbehaving peer, for tests only (cargo feature `test-peer`, off in the node's build).
//!
//! It speaks Folio's protocol names over a real libp2p connection, passes the status
//! handshake honestly, and then sends what a test asks: well-framed random bytes on any
//! protocol, blocks it makes up, or an undecodable answer to a block request. It lives in
//! this crate so that libp2p stays behind Folio's types here too: the end-to-end tests drive
//! it with headers, blocks and bytes, and never see a libp2p type.

use crate::error::NetworkError;
use crate::protocol::{
    BlockData, BlockResponse, Justification, ProtocolNames, Roles, Status, MAX_REQUEST_BYTES,
    MAX_RESPONSE_BYTES,
};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use futures::prelude::*;
use futures::StreamExt;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{gossipsub, Multiaddr, PeerId, StreamProtocol, Swarm};
use parity_scale_codec::Encode;
use std::io;
use std::time::Duration;

/// Frames as Folio's codec does (a `u32` little-endian length, then the bytes), with any
/// bytes inside: what the rogue sends is its choice, what it reads it decodes itself.
#[derive(Clone, Default)]
struct RawCodec;

async fn read_frame<T: AsyncRead + Unpin + Send>(io: &mut T, limit: usize) -> io::Result<Vec<u8>> {
    let mut prefix = [0u8; 4];
    io.read_exact(&mut prefix).await?;
    let length = usize::try_from(u32::from_le_bytes(prefix)).map_err(io::Error::other)?;
    if length > limit {
        return Err(io::Error::other("frame too large"));
    }
    let mut bytes = vec![0u8; length];
    io.read_exact(&mut bytes).await?;
    Ok(bytes)
}

async fn write_frame<T: AsyncWrite + Unpin + Send>(io: &mut T, bytes: Vec<u8>) -> io::Result<()> {
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    io.write_all(&length.to_le_bytes()).await?;
    io.write_all(&bytes).await?;
    io.close().await
}

impl request_response::Codec for RawCodec {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_frame(io, MAX_REQUEST_BYTES).await
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_frame(io, MAX_RESPONSE_BYTES).await
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        req: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        write_frame(io, req).await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        res: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        write_frame(io, res).await
    }
}

type Raw = request_response::Behaviour<RawCodec>;

#[derive(NetworkBehaviour)]
struct Rogue {
    status: Raw,
    announces: Raw,
    blocks: Raw,
    transactions: gossipsub::Behaviour,
}

/// A Folio protocol the rogue can send random bytes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Status,
    Announces,
    BlockRequests,
    Transactions,
}

/// How the rogue answers the block requests it gets.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Bytes that are no block response.
    Garbage(Vec<u8>),
    /// This block, whatever is asked.
    Block(Header, Vec<OpaqueExtrinsic>),
    /// This block with these justifications (`(engine, bytes)`), whatever is asked.
    JustifiedBlock(Header, Vec<OpaqueExtrinsic>, Vec<Justification>),
}

/// What a test saw of the honest node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It closed the connection.
    Disconnected,
    /// It kept it open for the whole wait.
    StillConnected,
}

/// A misbehaving peer connected to one honest node.
pub struct TestPeer {
    swarm: Swarm<Rogue>,
    target: PeerId,
    status: Status,
    topic: gossipsub::IdentTopic,
    answer: Option<Answer>,
    /// Block requests the honest node sent us.
    pub requests_seen: usize,
}

fn stream(name: &str) -> Result<StreamProtocol, NetworkError> {
    StreamProtocol::try_from_owned(name.to_owned())
        .map_err(|e| NetworkError::Setup(format!("protocol name {name}: {e}")))
}

fn raw(name: &str) -> Result<Raw, NetworkError> {
    Ok(request_response::Behaviour::with_codec(
        RawCodec,
        [(stream(name)?, ProtocolSupport::Full)],
        request_response::Config::default().with_request_timeout(Duration::from_secs(10)),
    ))
}

fn setup(error: impl std::fmt::Display) -> NetworkError {
    NetworkError::Setup(error.to_string())
}

impl TestPeer {
    /// Connects, with a new identity, to the node at `address` (`…/p2p/<PeerId>`) of the
    /// chain of `genesis`, claiming `best` as its best block, and waits until the honest node
    /// answered the status handshake.
    ///
    /// # Errors
    /// The address is bad or the handshake does not happen within 15 s.
    pub async fn connect(
        address: &str,
        genesis: H256,
        best: (u32, H256),
    ) -> Result<Self, NetworkError> {
        let target_address: Multiaddr = crate::addresses::parse(address)?;
        let (target, _) = crate::addresses::parse_boot_node(address)?;
        let names = ProtocolNames::new(&genesis);
        let topic = gossipsub::IdentTopic::new(names.transactions.clone());
        let mut swarm = libp2p::SwarmBuilder::with_new_identity()
            .with_tokio()
            .with_tcp(
                libp2p::tcp::Config::default(),
                libp2p::noise::Config::new,
                libp2p::yamux::Config::default,
            )
            .map_err(setup)?
            .with_behaviour(
                |key| -> Result<Rogue, Box<dyn std::error::Error + Send + Sync>> {
                    let config = gossipsub::ConfigBuilder::default()
                        .protocol_id(names.transactions.clone(), gossipsub::Version::V1_1)
                        .build()?;
                    Ok(Rogue {
                        status: raw(&names.status)?,
                        announces: raw(&names.announces)?,
                        blocks: raw(&names.blocks)?,
                        transactions: gossipsub::Behaviour::new(
                            gossipsub::MessageAuthenticity::Signed(key.clone()),
                            config,
                        )?,
                    })
                },
            )
            .map_err(setup)?
            .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(60)))
            .build();
        swarm
            .behaviour_mut()
            .transactions
            .subscribe(&topic)
            .map_err(setup)?;
        swarm.dial(target_address).map_err(setup)?;
        let mut peer = Self {
            swarm,
            target,
            status: Status {
                roles: Roles::FULL,
                best_number: best.0,
                best_hash: best.1,
                finalized_number: 0,
                finalized_hash: genesis,
                genesis_hash: genesis,
            },
            topic,
            answer: None,
            requests_seen: 0,
        };
        let status = peer.status.encode();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        let mut asked = false;
        let mut answered = false;
        while !answered {
            if tokio::time::Instant::now() >= deadline {
                return Err(NetworkError::Setup("no status handshake".into()));
            }
            match peer.next_event(Duration::from_millis(100)).await {
                Some(SwarmEvent::ConnectionEstablished { .. }) if !asked => {
                    peer.swarm
                        .behaviour_mut()
                        .status
                        .send_request(&target, status.clone());
                    asked = true;
                }
                Some(SwarmEvent::Behaviour(RogueEvent::Status(
                    request_response::Event::Message {
                        message: request_response::Message::Response { .. },
                        ..
                    },
                ))) => answered = true,
                Some(SwarmEvent::ConnectionClosed { .. }) => {
                    return Err(NetworkError::Setup("refused the connection".into()))
                }
                _ => {}
            }
        }
        Ok(peer)
    }

    /// The rogue's PeerId (base58), as the honest node's logs and `system_peers` name it.
    pub fn peer_id(&self) -> String {
        self.swarm.local_peer_id().to_base58()
    }

    /// Sends `bytes` (well framed) as a message of `protocol`.
    pub fn send_garbage(&mut self, protocol: Protocol, bytes: Vec<u8>) {
        let target = self.target;
        let behaviour = self.swarm.behaviour_mut();
        match protocol {
            Protocol::Status => {
                behaviour.status.send_request(&target, bytes);
            }
            Protocol::Announces => {
                behaviour.announces.send_request(&target, bytes);
            }
            Protocol::BlockRequests => {
                behaviour.blocks.send_request(&target, bytes);
            }
            Protocol::Transactions => {
                if let Err(error) = behaviour.transactions.publish(self.topic.clone(), bytes) {
                    tracing::debug!(target: crate::worker::LOG_TARGET, %error, "rogue gossip not sent");
                }
            }
        }
    }

    /// Announces `header` as our new best block; block requests get `answer`.
    pub fn announce(&mut self, header: &Header, answer: Answer) {
        let target = self.target;
        let announce = crate::protocol::BlockAnnounce {
            header: header.clone(),
            is_best: true,
        };
        self.answer = Some(answer);
        self.swarm
            .behaviour_mut()
            .announces
            .send_request(&target, announce.encode());
    }

    /// Runs the rogue (answering the honest node) for at most `limit`, or until the honest
    /// node closes the connection.
    pub async fn run_for(&mut self, limit: Duration) -> Outcome {
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if let Some(SwarmEvent::ConnectionClosed {
                num_established: 0, ..
            }) = self.next_event(Duration::from_millis(100)).await
            {
                return Outcome::Disconnected;
            }
        }
        Outcome::StillConnected
    }

    /// The next swarm event within `wait`, after answering what the honest node asks
    /// (requests are answered here and not returned).
    async fn next_event(&mut self, wait: Duration) -> Option<SwarmEvent<RogueEvent>> {
        use request_response::{Event, Message};
        let event = tokio::time::timeout(wait, self.swarm.select_next_some())
            .await
            .ok()?;
        let SwarmEvent::Behaviour(behaviour_event) = event else {
            return Some(event);
        };
        match behaviour_event {
            RogueEvent::Status(Event::Message {
                message: Message::Request { channel, .. },
                ..
            }) => {
                let status = self.status.encode();
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .status
                    .send_response(channel, status);
                None
            }
            RogueEvent::Announces(Event::Message {
                message: Message::Request { channel, .. },
                ..
            }) => {
                // `Ack` encodes to nothing.
                let behaviour = self.swarm.behaviour_mut();
                let _ = behaviour.announces.send_response(channel, Vec::new());
                None
            }
            RogueEvent::Blocks(Event::Message {
                message: Message::Request { channel, .. },
                ..
            }) => {
                self.requests_seen += 1;
                let bytes = self.answer_bytes();
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .blocks
                    .send_response(channel, bytes);
                None
            }
            other => Some(SwarmEvent::Behaviour(other)),
        }
    }

    fn answer_bytes(&self) -> Vec<u8> {
        match &self.answer {
            Some(Answer::Garbage(bytes)) => bytes.clone(),
            Some(Answer::Block(header, body)) => block_response(header, body, None),
            Some(Answer::JustifiedBlock(header, body, justifications)) => {
                block_response(header, body, Some(justifications.clone()))
            }
            None => BlockResponse { blocks: Vec::new() }.encode(),
        }
    }
}

fn block_response(
    header: &Header,
    body: &[OpaqueExtrinsic],
    justifications: Option<Vec<Justification>>,
) -> Vec<u8> {
    BlockResponse {
        blocks: vec![BlockData {
            hash: header.hash(),
            header: Some(header.clone()),
            body: Some(body.to_vec()),
            justifications,
        }],
    }
    .encode()
}
