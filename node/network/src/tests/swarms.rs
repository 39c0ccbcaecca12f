use super::memory_chain::{extrinsic, MemoryChain};
use crate::codec::ScaleCodec;
use crate::protocol::{
    BlockFields, BlockRequest, BlockResponse, Direction, FromBlock, ProtocolNames,
    MAX_BLOCKS_PER_RESPONSE, MAX_RESPONSE_BYTES,
};
use crate::worker::read_blocks;
use crate::{start, ChainAccess, NetworkConfig, NetworkService, NetworkWorker, NodeKey};
use futures::StreamExt;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::StreamProtocol;
use parity_scale_codec::Encode;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn loopback_config() -> NetworkConfig {
    let mut config = NetworkConfig::new(NodeKey::generate());
    // Port 0: the OS picks a free port; tests never leave 127.0.0.1.
    config.listen_addresses = vec!["/ip4/127.0.0.1/tcp/0".into()];
    config.request_timeout = Duration::from_secs(5);
    config
}

async fn node(chain: &Arc<MemoryChain>) -> (NetworkService, NetworkWorker) {
    start(loopback_config(), Arc::clone(chain) as Arc<dyn ChainAccess>)
        .await
        .expect("network starts")
}

/// Waits up to `seconds` for `condition`, polling.
async fn eventually(seconds: u64, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn address(service: &NetworkService) -> String {
    let addresses = service.listen_addresses();
    assert!(!addresses.is_empty(), "the node listens");
    assert!(
        addresses[0].starts_with("/ip4/127.0.0.1/tcp/"),
        "{addresses:?}"
    );
    addresses[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_handshake_and_report_each_others_best_block() {
    let chain_a = Arc::new(MemoryChain::new(1));
    chain_a.extend(3, 1, 10);
    let chain_b = Arc::new(MemoryChain::new(1));
    let (a, worker_a) = node(&chain_a).await;
    let (b, worker_b) = node(&chain_b).await;
    b.dial(&address(&a));
    eventually(10, "both see one peer", || {
        a.peers().len() == 1 && b.peers().len() == 1
    })
    .await;
    assert_eq!(b.peers()[0].peer_id, a.local_peer_id());
    assert_eq!(a.peers()[0].peer_id, b.local_peer_id());
    // B learned A's best from the handshake (and then synced to it).
    eventually(10, "B syncs A's three blocks", || {
        chain_b.best_number() == 3
    })
    .await;
    assert_eq!(chain_b.best_hash(), chain_a.best_hash());
    assert!(!b.is_syncing());
    worker_a.stop().await;
    worker_b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_of_another_genesis_is_dropped() {
    let ours = Arc::new(MemoryChain::new(1));
    let theirs = Arc::new(MemoryChain::new(2));
    let (a, worker_a) = node(&ours).await;
    let (c, worker_c) = node(&theirs).await;
    c.dial(&address(&a));
    // Give them time to connect and try the handshake: nobody completes it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(a.peers().is_empty(), "{:?}", a.peers());
    assert!(c.peers().is_empty(), "{:?}", c.peers());
    worker_a.stop().await;
    worker_c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_node_downloads_three_hundred_blocks_in_ranges_and_follows_announcements() {
    let chain_a = Arc::new(MemoryChain::new(1));
    chain_a.extend(300, 3, 100);
    let chain_b = Arc::new(MemoryChain::new(1));
    let (a, worker_a) = node(&chain_a).await;
    let (b, worker_b) = node(&chain_b).await;
    b.dial(&address(&a));
    eventually(30, "B reaches block 300", || chain_b.best_number() == 300).await;
    assert_eq!(chain_b.best_hash(), chain_a.best_hash());
    let sync = b.sync_state();
    assert_eq!((sync.starting_block, sync.current_block), (0, 300));

    // A new block on A, announced: B fetches and imports it.
    let header = chain_a.author(vec![extrinsic(7, 20)], true);
    a.announce_block(header.clone());
    eventually(10, "B imports the announced block", || {
        chain_b.best_hash() == header.hash()
    })
    .await;
    worker_a.stop().await;
    worker_b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_on_a_shorter_fork_finds_the_common_ancestor() {
    // Both share 10 blocks, then B has 5 of its own and A 20 more: B must find block 10.
    let chain_a = Arc::new(MemoryChain::new(1));
    let chain_b = Arc::new(MemoryChain::new(1));
    chain_a.extend(10, 1, 10);
    for n in 1..=10u32 {
        let hash = chain_a.hash_by_number(n).unwrap().unwrap();
        let block = chain_a.block(hash, BlockFields::FULL).unwrap().unwrap();
        chain_b.import_blocks(vec![crate::IncomingBlock {
            header: block.header,
            body: block.body.unwrap(),
            justifications: None,
        }]);
    }
    chain_a.extend(20, 1, 11);
    chain_b.extend(5, 1, 12);
    let probe = ProbeChain(Arc::clone(&chain_b));
    let (a, worker_a) = node(&chain_a).await;
    let (b, worker_b) = start(loopback_config(), Arc::new(probe)).await.unwrap();
    b.dial(&address(&a));
    // The memory chain imports only on its best block, so B cannot switch branches; what
    // is checked is that sync asked for the blocks after the common ancestor (11..).
    eventually(15, "B asks for the blocks after block 10", || {
        FIRST_IMPORTED.load(std::sync::atomic::Ordering::SeqCst) == 11
    })
    .await;
    worker_a.stop().await;
    worker_b.stop().await;
}

static FIRST_IMPORTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A memory chain that records the number of the first block sync tries to import.
struct ProbeChain(Arc<MemoryChain>);

impl ChainAccess for ProbeChain {
    fn status(&self) -> Result<crate::ChainStatus, crate::ChainAccessError> {
        self.0.status()
    }
    fn hash_by_number(
        &self,
        n: u32,
    ) -> Result<Option<folio_primitives::hash::H256>, crate::ChainAccessError> {
        self.0.hash_by_number(n)
    }
    fn header(
        &self,
        h: folio_primitives::hash::H256,
    ) -> Result<Option<folio_primitives::header::Header>, crate::ChainAccessError> {
        self.0.header(h)
    }
    fn block(
        &self,
        h: folio_primitives::hash::H256,
        f: BlockFields,
    ) -> Result<Option<crate::StoredBlock>, crate::ChainAccessError> {
        self.0.block(h, f)
    }
    fn import_blocks(&self, blocks: Vec<crate::IncomingBlock>) -> Vec<crate::ImportOutcome> {
        if let Some(first) = blocks.first() {
            let _ = FIRST_IMPORTED.compare_exchange(
                0,
                first.header.number,
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
            );
        }
        self.0.import_blocks(blocks)
    }
    fn submit_transaction(&self, encoded: Vec<u8>) -> crate::TransactionOutcome {
        self.0.submit_transaction(encoded)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_serving_an_invalid_block_is_disconnected() {
    let chain_a = Arc::new(MemoryChain::new(1));
    chain_a.extend(4, 1, 10);
    chain_a.author(vec![extrinsic(9, 10)], false);
    chain_a.extend(4, 1, 10);
    let chain_b = Arc::new(MemoryChain::new(1));
    let (a, worker_a) = node(&chain_a).await;
    let (b, worker_b) = node(&chain_b).await;
    b.dial(&address(&a));
    eventually(10, "B imports the good blocks", || {
        chain_b.best_number() == 4
    })
    .await;
    eventually(10, "B drops A", || b.peers().is_empty()).await;
    // Banned: B does not take it back, and never imported the bad block.
    b.dial(&address(&a));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(b.peers().is_empty());
    assert_eq!(chain_b.best_number(), 4);
    worker_a.stop().await;
    worker_b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_are_gossiped_to_peers_pools() {
    let chain_a = Arc::new(MemoryChain::new(1));
    let chain_b = Arc::new(MemoryChain::new(1));
    let (a, worker_a) = node(&chain_a).await;
    let (b, worker_b) = node(&chain_b).await;
    b.dial(&address(&a));
    eventually(10, "connected", || {
        a.peers().len() == 1 && b.peers().len() == 1
    })
    .await;
    let transaction = extrinsic(42, 50).encode();
    // Gossipsub learns the peer's subscription shortly after connecting: publish until it
    // arrives (a duplicate is dropped by the message id).
    let deadline = Instant::now() + Duration::from_secs(10);
    while chain_b.transactions().is_empty() {
        assert!(Instant::now() < deadline, "the transaction never arrived");
        a.broadcast_transaction(transaction.clone());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(chain_b.transactions(), vec![transaction]);
    worker_a.stop().await;
    worker_b.stop().await;
}

#[test]
fn block_requests_are_answered_by_range_and_within_limits() {
    let chain = MemoryChain::new(1);
    chain.extend(200, 1, 10);
    let ask = |from, direction, max, fields| BlockRequest {
        fields,
        from,
        direction,
        max,
    };
    let numbers = |response: BlockResponse| -> Vec<u32> {
        response
            .blocks
            .iter()
            .map(|b| b.header.as_ref().unwrap().number)
            .collect()
    };
    let up = read_blocks(
        &chain,
        &ask(
            FromBlock::Number(5),
            Direction::Ascending,
            3,
            BlockFields::HEADERS,
        ),
    );
    assert_eq!(numbers(up.clone()), vec![5, 6, 7]);
    assert!(up.blocks.iter().all(|b| b.body.is_none()));
    let hash_9 = chain.hash_by_number(9).unwrap().unwrap();
    let down = read_blocks(
        &chain,
        &ask(
            FromBlock::Hash(hash_9),
            Direction::Descending,
            20,
            BlockFields::FULL,
        ),
    );
    assert_eq!(numbers(down.clone()), (0..=9).rev().collect::<Vec<_>>());
    assert!(down.blocks.iter().all(|b| b.body.is_some()));
    // Capped at 128 blocks.
    let many = read_blocks(
        &chain,
        &ask(
            FromBlock::Number(1),
            Direction::Ascending,
            1000,
            BlockFields::FULL,
        ),
    );
    assert_eq!(many.blocks.len(), MAX_BLOCKS_PER_RESPONSE as usize);
    // Unknown start: empty.
    let none = read_blocks(
        &chain,
        &ask(
            FromBlock::Number(500),
            Direction::Ascending,
            5,
            BlockFields::FULL,
        ),
    );
    assert!(none.blocks.is_empty());

    // Capped at 16 MiB: blocks of 1 MiB bodies, at most 15 fit with the framing.
    let big = MemoryChain::new(1);
    big.extend(20, 1, 1024 * 1024);
    let capped = read_blocks(
        &big,
        &ask(
            FromBlock::Number(1),
            Direction::Ascending,
            128,
            BlockFields::FULL,
        ),
    );
    assert!(capped.encoded_size() <= MAX_RESPONSE_BYTES);
    assert_eq!(capped.blocks.len(), 15);
}

type Raw = ScaleCodec<Vec<u8>, Vec<u8>>;

/// A peer that completes the handshake honestly, then speaks the sync protocol's name with
/// random bytes in it (a well-framed message whose content is no block request).
#[derive(libp2p::swarm::NetworkBehaviour)]
struct Rogue {
    status: crate::behaviour::StatusProtocol,
    blocks: request_response::Behaviour<Raw>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_sending_garbage_is_disconnected_and_banned() {
    let chain = Arc::new(MemoryChain::new(1));
    let (a, worker_a) = node(&chain).await;
    let ours = chain.status().unwrap();
    let names = ProtocolNames::new(&ours.genesis_hash);
    let honest_status = crate::protocol::Status {
        roles: crate::Roles::FULL,
        best_number: 0,
        best_hash: ours.genesis_hash,
        finalized_number: 0,
        finalized_hash: ours.genesis_hash,
        genesis_hash: ours.genesis_hash,
    };
    let stream = |name: &str| StreamProtocol::try_from_owned(name.to_owned()).unwrap();
    let mut rogue = libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            libp2p::tcp::Config::default(),
            libp2p::noise::Config::new,
            libp2p::yamux::Config::default,
        )
        .unwrap()
        .with_behaviour(|_| Rogue {
            status: request_response::Behaviour::with_codec(
                ScaleCodec::new(1 << 16, 1 << 16),
                [(stream(&names.status), ProtocolSupport::Full)],
                request_response::Config::default(),
            ),
            blocks: request_response::Behaviour::with_codec(
                Raw::new(1 << 20, 1 << 20),
                [(stream(&names.blocks), ProtocolSupport::Full)],
                request_response::Config::default(),
            ),
        })
        .unwrap()
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(30)))
        .build();
    let target: libp2p::Multiaddr = address(&a).parse().unwrap();
    let Some(libp2p::multiaddr::Protocol::P2p(a_id)) = target.iter().last() else {
        panic!("no peer id in {target}")
    };
    rogue.dial(target.clone()).unwrap();
    let seed = 0x5eed_u64;
    println!("garbage seed {seed}");
    let mut state = seed;
    let garbage: Vec<u8> = (0..300)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect();

    // Drive the rogue until A counts it as a peer (the handshake passed), then send garbage.
    let mut sent = false;
    let mut closed = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !closed {
        assert!(
            tokio::time::Instant::now() < deadline,
            "A did not close the rogue's connection (garbage sent: {sent})"
        );
        // Wake up now and then to look at A's peers even when the rogue has no event.
        let event =
            tokio::time::timeout(Duration::from_millis(100), rogue.select_next_some()).await;
        match event {
            Err(_) => {}
            Ok(SwarmEvent::Behaviour(RogueEvent::Status(request_response::Event::Message {
                message: request_response::Message::Request { channel, .. },
                ..
            }))) => {
                let _ = rogue
                    .behaviour_mut()
                    .status
                    .send_response(channel, honest_status.clone());
            }
            Ok(SwarmEvent::ConnectionClosed {
                num_established: 0, ..
            }) => {
                assert!(sent, "closed before the garbage was sent");
                closed = true;
            }
            Ok(_) => {}
        }
        if !sent && a.peers().len() == 1 {
            rogue
                .behaviour_mut()
                .blocks
                .send_request(&a_id, crate::codec::Decoded::Ok(garbage.clone()));
            sent = true;
        }
    }
    // Banned: a new connection is closed at once and never becomes a peer.
    rogue.dial(target).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, rogue.select_next_some()).await {
            Ok(SwarmEvent::ConnectionClosed {
                num_established: 0, ..
            }) => break,
            Ok(_) => {}
            Err(_) => panic!("the banned peer's new connection stayed open"),
        }
    }
    assert!(a.peers().is_empty());
    worker_a.stop().await;
}

/// Kademlia dials the peers it hears of while it looks for more; `--out-peers` bounds those
/// dials too, not only the node's own reconnections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_peers_bounds_the_peers_discovery_dials() {
    let chain = Arc::new(MemoryChain::new(1));
    let (hub, worker_hub) = node(&chain).await;
    let mut others = Vec::new();
    for _ in 0..3 {
        let (other, worker) = node(&chain).await;
        other.dial(&address(&hub));
        others.push((other, worker));
    }
    eventually(10, "the hub knows three peers", || hub.peers().len() == 3).await;

    let mut config = loopback_config();
    config.boot_nodes = vec![address(&hub)];
    config.out_peers = 1;
    config.in_peers = 0;
    let (newcomer, worker_newcomer) = start(config, Arc::clone(&chain) as Arc<dyn ChainAccess>)
        .await
        .expect("network starts");
    eventually(10, "the newcomer reaches its boot node", || {
        !newcomer.peers().is_empty()
    })
    .await;
    // Discovery runs as soon as the boot node answers; give it time to find the three.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let peers = newcomer.peers().len();
        assert!(peers <= 2, "the boot node and one more, not {peers}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    worker_newcomer.stop().await;
    for (_, worker) in others {
        worker.stop().await;
    }
    worker_hub.stop().await;
}
