//! The swarm's behaviour: libp2p's identify, ping and Kademlia (peer discovery), three
//! request-response protocols (status, block announcements, block requests) and gossipsub for
//! transactions, all under names that carry the genesis hash; libp2p's connection limits bound
//! every outgoing connection, whoever dials it (Kademlia too), by `--out-peers`.

use crate::codec::ScaleCodec;
use crate::config::NetworkConfig;
use crate::error::NetworkError;
use crate::protocol::{
    Ack, BlockAnnounce, BlockRequest, BlockResponse, ProtocolNames, Status, MAX_REQUEST_BYTES,
    MAX_RESPONSE_BYTES,
};
use folio_primitives::crypto::native::blake2_256;
use libp2p::identity::Keypair;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::NetworkBehaviour;
use libp2p::{connection_limits, gossipsub, identify, kad, ping, PeerId, StreamProtocol};
use std::time::Duration;

pub type StatusProtocol = request_response::Behaviour<ScaleCodec<Status, Status>>;
pub type AnnounceProtocol = request_response::Behaviour<ScaleCodec<BlockAnnounce, Ack>>;
pub type BlockProtocol = request_response::Behaviour<ScaleCodec<BlockRequest, BlockResponse>>;

#[derive(NetworkBehaviour)]
pub struct Behaviour {
    pub limits: connection_limits::Behaviour,
    pub identify: identify::Behaviour,
    pub ping: ping::Behaviour,
    pub kademlia: kad::Behaviour<kad::store::MemoryStore>,
    pub status: StatusProtocol,
    pub announces: AnnounceProtocol,
    pub blocks: BlockProtocol,
    pub transactions: gossipsub::Behaviour,
}

fn protocol(name: &str) -> Result<StreamProtocol, NetworkError> {
    StreamProtocol::try_from_owned(name.to_owned())
        .map_err(|e| NetworkError::Setup(format!("protocol name {name}: {e}")))
}

fn request_response<Req, Resp>(
    name: &str,
    max_request: usize,
    max_response: usize,
    timeout: Duration,
) -> Result<request_response::Behaviour<ScaleCodec<Req, Resp>>, NetworkError>
where
    Req: parity_scale_codec::Codec + Send + 'static,
    Resp: parity_scale_codec::Codec + Send + 'static,
{
    Ok(request_response::Behaviour::with_codec(
        ScaleCodec::new(max_request, max_response),
        [(protocol(name)?, ProtocolSupport::Full)],
        request_response::Config::default().with_request_timeout(timeout),
    ))
}

/// How often Kademlia looks for peers again (it also does as soon as it knows its first).
const DISCOVERY_INTERVAL: Duration = Duration::from_secs(30);

/// Kademlia for peer discovery only: no records are stored for others, and the node always
/// answers queries (server mode), since every node of a chain is reachable at the address it
/// listens on.
fn kademlia(
    keypair: &Keypair,
    names: &ProtocolNames,
) -> Result<kad::Behaviour<kad::store::MemoryStore>, NetworkError> {
    let local = keypair.public().to_peer_id();
    let mut config = kad::Config::new(protocol(&names.kademlia)?);
    config
        .set_periodic_bootstrap_interval(Some(DISCOVERY_INTERVAL))
        .set_record_filtering(kad::StoreInserts::FilterBoth)
        .set_max_packet_size(MAX_REQUEST_BYTES);
    let mut behaviour =
        kad::Behaviour::with_config(local, kad::store::MemoryStore::new(local), config);
    behaviour.set_mode(Some(kad::Mode::Server));
    Ok(behaviour)
}

/// `--out-peers` counts the peers we dial besides the boot nodes: boot nodes bypass the limit
/// (they are always dialed) but their connections are counted, so the limit adds them.
pub fn outgoing_limits(out_peers: u32, boot_nodes: usize) -> connection_limits::ConnectionLimits {
    let boot_nodes = u32::try_from(boot_nodes).unwrap_or(u32::MAX);
    connection_limits::ConnectionLimits::default()
        .with_max_established_outgoing(Some(out_peers.saturating_add(boot_nodes)))
}

fn limits(boot_nodes: &[PeerId], out_peers: u32) -> connection_limits::Behaviour {
    let mut limits =
        connection_limits::Behaviour::new(outgoing_limits(out_peers, boot_nodes.len()));
    for peer in boot_nodes {
        limits.bypass_peer_id(peer);
    }
    limits
}

impl Behaviour {
    pub fn new(
        keypair: &Keypair,
        names: &ProtocolNames,
        config: &NetworkConfig,
        boot_nodes: &[PeerId],
    ) -> Result<Self, NetworkError> {
        let gossip_config = gossipsub::ConfigBuilder::default()
            // A transaction's id is its hash: the same transaction from two peers is one
            // message, and a node never passes on what it has already seen.
            .message_id_fn(|message: &gossipsub::Message| {
                gossipsub::MessageId::from(blake2_256(&message.data).to_vec())
            })
            // Forwarded only once our pool has accepted it (see the swarm loop).
            .validate_messages()
            .max_transmit_size(config.max_transaction_bytes.saturating_add(1024))
            .protocol_id(names.transactions.clone(), gossipsub::Version::V1_1)
            .build()
            .map_err(|e| NetworkError::Setup(format!("gossipsub: {e}")))?;
        let transactions = gossipsub::Behaviour::new(
            gossipsub::MessageAuthenticity::Signed(keypair.clone()),
            gossip_config,
        )
        .map_err(|e| NetworkError::Setup(format!("gossipsub: {e}")))?;
        Ok(Self {
            limits: limits(boot_nodes, config.out_peers),
            kademlia: kademlia(keypair, names)?,
            identify: identify::Behaviour::new(identify::Config::new(
                "/folio/1".into(),
                keypair.public(),
            )),
            ping: ping::Behaviour::default(),
            status: request_response(
                &names.status,
                MAX_REQUEST_BYTES,
                MAX_REQUEST_BYTES,
                config.request_timeout,
            )?,
            announces: request_response(
                &names.announces,
                MAX_REQUEST_BYTES,
                MAX_REQUEST_BYTES,
                config.request_timeout,
            )?,
            blocks: request_response(
                &names.blocks,
                MAX_REQUEST_BYTES,
                MAX_RESPONSE_BYTES,
                config.request_timeout,
            )?,
            transactions,
        })
    }
}
