//! The network in the node: its flags, the chain behind `folio-network`'s [`ChainAccess`],
//! the network behind the RPC layer's [`NetworkBackend`], and the tasks that announce new
//! blocks and gossip the pool's transactions.
//!
//! `--dev` runs no network unless a network flag (`--port`, `--listen-addr`, `--bootnodes`)
//! asks for one, so a development node starts and seals exactly as before.

use clap::Args;
use folio_chain::{Admission, ChainType, Client, Pool};
use folio_finality::synced::SyncedJustifications;
use folio_network::protocol::BlockFields;
use folio_network::{
    ChainAccess, ChainAccessError, ChainStatus, ImportOutcome, IncomingBlock, NetworkConfig,
    NetworkService, NetworkWorker, NodeKey, Roles, StoredBlock, TransactionOutcome,
};
use folio_primitives::hash::H256;
use folio_primitives::header::{Block, Header};
use folio_primitives::BlockNumber;
use folio_rpc::{NetworkBackend, NetworkPeer, NetworkSync, SubmitError};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const LOG_TARGET: &str = "folio::network";
/// How often the pool is looked at for transactions not yet gossiped.
const GOSSIP_INTERVAL: Duration = Duration::from_millis(200);
/// Every this many looks, everything in the pool is offered again: a transaction published
/// before a peer had subscribed reaches it then (gossip drops what peers already have).
const REGOSSIP_EVERY: u32 = 50;

/// Network flags, named as Substrate's node names them.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// The p2p TCP port (default 30333).
    #[arg(long)]
    pub port: Option<u16>,
    /// Listen on these multiaddresses instead, e.g. `/ip4/0.0.0.0/tcp/30333` (repeatable).
    #[arg(long = "listen-addr")]
    pub listen_addr: Vec<String>,
    /// Peers to connect to, `/ip4/…/tcp/…/p2p/<PeerId>` (repeatable or comma-separated),
    /// besides the chain spec's `bootNodes`.
    #[arg(long, value_delimiter = ',')]
    pub bootnodes: Vec<String>,
    /// The node's ed25519 secret key as 64 hex characters (gives a fixed PeerId).
    #[arg(long)]
    pub node_key: Option<String>,
    /// A file holding the node key (32 raw bytes or 64 hex characters).
    #[arg(long)]
    pub node_key_file: Option<std::path::PathBuf>,
    /// Most peers that connected to us.
    #[arg(long, default_value_t = 25)]
    pub in_peers: u32,
    /// Most peers we connect to (beyond boot nodes).
    #[arg(long, default_value_t = 8)]
    pub out_peers: u32,
    /// Dial addresses in private ranges (10.x, 172.16–31.x, 192.168.x…) learned from peers.
    #[arg(long)]
    pub allow_private_ip: bool,
    /// Largest transaction accepted from gossip, in KiB.
    #[arg(long, default_value_t = 16 * 1024)]
    pub max_transaction_kib: usize,
}

impl NetworkArgs {
    /// Whether any flag asks for a network (on `--dev`, which has none by default).
    pub fn requested(&self) -> bool {
        self.port.is_some() || !self.listen_addr.is_empty() || !self.bootnodes.is_empty()
    }
}

/// The node key from the flags, else the one kept in `network_dir` (generated once), else
/// (temporary storage) a fresh one.
fn node_key(args: &NetworkArgs, network_dir: Option<&Path>) -> anyhow::Result<NodeKey> {
    Ok(match (&args.node_key, &args.node_key_file, network_dir) {
        (Some(hex), _, _) => NodeKey::from_hex(hex)?,
        (None, Some(file), _) => NodeKey::from_file(file)?,
        (None, None, Some(dir)) => NodeKey::load_or_generate(&dir.join("secret_ed25519"))?,
        (None, None, None) => NodeKey::generate(),
    })
}

/// Everything the network needs to start.
pub struct NetworkSetup<'a> {
    pub args: &'a NetworkArgs,
    pub chain_type: ChainType,
    pub spec_boot_nodes: &'a [String],
    /// `<base path>/chains/<id>/network`, or `None` on temporary storage.
    pub network_dir: Option<std::path::PathBuf>,
    pub roles: Roles,
    pub node_name: String,
}

/// The network config from the flags: all interfaces for live chains, 127.0.0.1 for local
/// and development chains.
pub fn config(setup: &NetworkSetup<'_>) -> anyhow::Result<NetworkConfig> {
    let args = setup.args;
    let mut config = NetworkConfig::new(node_key(args, setup.network_dir.as_deref())?);
    config.listen_addresses = if args.listen_addr.is_empty() {
        let ip = match setup.chain_type {
            ChainType::Live => "0.0.0.0",
            ChainType::Local | ChainType::Development => "127.0.0.1",
        };
        vec![format!("/ip4/{ip}/tcp/{}", args.port.unwrap_or(30333))]
    } else {
        args.listen_addr.clone()
    };
    for address in &config.listen_addresses {
        folio_network::check_address(address)?;
    }
    config.boot_nodes = setup
        .spec_boot_nodes
        .iter()
        .chain(&args.bootnodes)
        .cloned()
        .collect();
    for address in &config.boot_nodes {
        folio_network::check_boot_node(address)?;
    }
    config.roles = setup.roles;
    config.in_peers = args.in_peers;
    config.out_peers = args.out_peers;
    config.allow_private_ip = args.allow_private_ip;
    config.max_transaction_bytes = args.max_transaction_kib.saturating_mul(1024);
    config.node_name = setup.node_name.clone();
    Ok(config)
}

/// The chain as the network reaches it: the client for reads and imports, admission for
/// transactions.
pub struct ChainAdapter {
    pub client: Arc<Client>,
    pub admission: Admission,
    /// An Aura chain's checks before a block is executed (seal, slot, inherents).
    pub verifier: Option<Arc<folio_consensus::AuraVerifier>>,
    /// A GRANDPA chain's check of the `FRNK` justifications synced blocks carry.
    pub justifications: Option<Arc<SyncedJustifications>>,
}

fn access_error(error: impl std::fmt::Display) -> ChainAccessError {
    ChainAccessError(error.to_string())
}

impl ChainAdapter {
    /// Imports a block and, when it carries a GRANDPA justification that holds for the known
    /// set, finalizes it. A forged justification refuses the block: its sender misbehaved.
    fn import_one(&self, block: IncomingBlock) -> ImportOutcome {
        let hash = block.header.hash();
        let justification = match (&self.justifications, &block.justifications) {
            (Some(checker), Some(justifications)) => {
                match checker.check(&block.header, justifications) {
                    Ok(found) => found,
                    Err(error) => {
                        tracing::warn!(target: LOG_TARGET, number = block.header.number, %hash, %error, "refused a block with a bad justification");
                        return ImportOutcome::Bad(error.to_string());
                    }
                }
            }
            _ => None,
        };
        let number = block.header.number;
        let outcome = self.import_unjustified(block);
        if let (Some(justification), ImportOutcome::Imported | ImportOutcome::AlreadyKnown) =
            (justification, &outcome)
        {
            self.finalize_justified(hash, number, justification);
        }
        outcome
    }

    /// Finalizes a block whose justification was checked, unless it is final already.
    fn finalize_justified(&self, hash: H256, number: BlockNumber, justification: Vec<u8>) {
        match self.client.db().finalized() {
            Ok(finalized) if finalized.number >= number => return,
            Ok(_) => {}
            Err(error) => {
                tracing::error!(target: LOG_TARGET, %error, "reading the finalized block");
                return;
            }
        }
        match self.client.finalize_block(
            hash,
            Some((folio_finality::GRANDPA_ENGINE_ID, justification)),
        ) {
            Ok(()) => {
                tracing::info!(target: LOG_TARGET, number, %hash, "finalized by a synced justification")
            }
            // A checked justification that conflicts with our finality: two supermajorities
            // disagree, which GRANDPA's safety excludes unless a third of the set is faulty.
            Err(error) => {
                tracing::error!(target: LOG_TARGET, number, %hash, %error, "a synced justification could not be applied")
            }
        }
    }

    fn import_unjustified(&self, block: IncomingBlock) -> ImportOutcome {
        let db = self.client.db();
        let hash = block.header.hash();
        match db.header(&hash) {
            Ok(Some(_)) => return ImportOutcome::AlreadyKnown,
            Ok(None) => {}
            Err(e) => return ImportOutcome::Error(e.to_string()),
        }
        match db.header(&block.header.parent_hash) {
            Ok(Some(_)) => {}
            Ok(None) => return ImportOutcome::UnknownParent,
            Err(e) => return ImportOutcome::Error(e.to_string()),
        }
        // A block on any stored parent is imported (executed on its parent's state); fork
        // choice in the database decides whether it becomes best. One that does not descend
        // from the finalized block is refused there (a conflict with finality).
        let block = Block {
            header: block.header,
            extrinsics: block.body,
        };
        if let Some(verifier) = &self.verifier {
            match verifier.verify(&block) {
                Ok(()) => {}
                Err(error) if error.is_bad_block() => {
                    tracing::warn!(target: LOG_TARGET, number = block.header.number, %hash, %error, "refused a block");
                    return ImportOutcome::Bad(error.to_string());
                }
                Err(error) => return ImportOutcome::Error(error.to_string()),
            }
        }
        match self.client.import_block(block) {
            Ok(_) => ImportOutcome::Imported,
            // Execution or a check of the runtime failed: the block is wrong.
            Err(error @ folio_chain::ChainError::ImportFailed { .. }) => {
                ImportOutcome::Bad(error.to_string())
            }
            // A branch off finality: not the peer's fault when it is behind on finality.
            Err(
                error @ folio_chain::ChainError::Storage(
                    folio_storage::StorageError::FinalityConflict { .. },
                ),
            ) => ImportOutcome::Error(error.to_string()),
            Err(error) => ImportOutcome::Error(error.to_string()),
        }
    }
}

impl ChainAccess for ChainAdapter {
    fn status(&self) -> Result<ChainStatus, ChainAccessError> {
        let db = self.client.db();
        let best = db.best().map_err(access_error)?;
        let finalized = db.finalized().map_err(access_error)?;
        let genesis = db
            .genesis_hash()
            .map_err(access_error)?
            .ok_or_else(|| access_error("no genesis"))?;
        Ok(ChainStatus {
            genesis_hash: genesis,
            best_number: best.number,
            best_hash: best.hash,
            finalized_number: finalized.number,
            finalized_hash: finalized.hash,
        })
    }

    fn hash_by_number(&self, number: BlockNumber) -> Result<Option<H256>, ChainAccessError> {
        self.client
            .db()
            .hash_by_number(number)
            .map_err(access_error)
    }

    fn header(&self, hash: H256) -> Result<Option<Header>, ChainAccessError> {
        self.client.db().header(&hash).map_err(access_error)
    }

    fn block(
        &self,
        hash: H256,
        fields: BlockFields,
    ) -> Result<Option<StoredBlock>, ChainAccessError> {
        let db = self.client.db();
        let Some(header) = db.header(&hash).map_err(access_error)? else {
            return Ok(None);
        };
        let body = if fields.has(BlockFields::BODY) {
            match db.body(&hash).map_err(access_error)? {
                Some(body) => Some(body),
                None => return Ok(None),
            }
        } else {
            None
        };
        let justifications = if fields.has(BlockFields::JUSTIFICATION) {
            db.justifications(&hash).map_err(access_error)?
        } else {
            None
        };
        Ok(Some(StoredBlock {
            header,
            body,
            justifications,
        }))
    }

    fn import_blocks(&self, blocks: Vec<IncomingBlock>) -> Vec<ImportOutcome> {
        let mut outcomes = Vec::with_capacity(blocks.len());
        for block in blocks {
            let outcome = self.import_one(block);
            let go_on = matches!(
                outcome,
                ImportOutcome::Imported | ImportOutcome::AlreadyKnown
            );
            outcomes.push(outcome);
            if !go_on {
                break;
            }
        }
        outcomes
    }

    fn submit_transaction(&self, encoded: Vec<u8>) -> TransactionOutcome {
        match self.admission.submit_blocking(encoded, None) {
            Ok(_) => TransactionOutcome::Accepted,
            Err(SubmitError::AlreadyImported | SubmitError::TemporarilyBanned) => {
                TransactionOutcome::AlreadyKnown
            }
            Err(SubmitError::BadFormat(reason)) => TransactionOutcome::Malformed(reason),
            Err(other) => TransactionOutcome::Refused(other.to_string()),
        }
    }
}

/// The network as the RPC layer sees it.
pub struct RpcNetwork(pub NetworkService);

impl NetworkBackend for RpcNetwork {
    fn local_peer_id(&self) -> String {
        self.0.local_peer_id()
    }
    fn listen_addresses(&self) -> Vec<String> {
        self.0.listen_addresses()
    }
    fn peers(&self) -> Vec<NetworkPeer> {
        self.0
            .peers()
            .into_iter()
            .map(|p| NetworkPeer {
                peer_id: p.peer_id,
                roles: if p.roles.is_authority() {
                    "AUTHORITY".into()
                } else {
                    "FULL".into()
                },
                best_hash: p.best_hash,
                best_number: p.best_number,
            })
            .collect()
    }
    fn sync(&self) -> NetworkSync {
        let s = self.0.sync_state();
        NetworkSync {
            starting_block: s.starting_block,
            current_block: s.current_block,
            highest_block: s.highest_block,
            is_syncing: s.is_syncing,
        }
    }
    fn roles(&self) -> Vec<String> {
        self.0.roles().names()
    }
}

/// Starts the network and the tasks that feed it: new best blocks are announced, the pool's
/// transactions gossiped once each.
pub async fn start(
    config: NetworkConfig,
    client: Arc<Client>,
    pool: Arc<Pool>,
    admission: Admission,
    verifier: Option<Arc<folio_consensus::AuraVerifier>>,
    justifications: Option<Arc<SyncedJustifications>>,
) -> anyhow::Result<(NetworkService, NetworkWorker)> {
    let chain = Arc::new(ChainAdapter {
        client: Arc::clone(&client),
        admission,
        verifier,
        justifications,
    });
    let (network, worker) = folio_network::start(config, chain).await?;
    tracing::info!(target: LOG_TARGET, peer_id = %network.local_peer_id(), "local node identity");

    let mut heads = client.subscribe_new_heads();
    let announcer = network.clone();
    tokio::spawn(async move {
        loop {
            match heads.recv().await {
                Ok(header) => announcer.announce_block(header),
                // Missed some: the newest is what peers need.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
            if !announcer.is_running() {
                break;
            }
        }
    });

    let gossip = network.clone();
    tokio::spawn(async move {
        let mut sent: HashSet<H256> = HashSet::new();
        let mut tick = tokio::time::interval(GOSSIP_INTERVAL);
        let mut looks = 0u32;
        while gossip.is_running() {
            tick.tick().await;
            looks = looks.wrapping_add(1);
            if looks.is_multiple_of(REGOSSIP_EVERY) {
                sent.clear();
            }
            if gossip.peers().is_empty() {
                continue;
            }
            let ready = pool.all();
            let in_pool: HashSet<H256> = ready.iter().map(|tx| tx.hash).collect();
            for tx in ready {
                if sent.insert(tx.hash) {
                    gossip.broadcast_transaction(tx.bytes.as_ref().clone());
                }
            }
            // Forget what left the pool, so the set stays as small as the pool.
            sent.retain(|hash| in_pool.contains(hash));
        }
    });
    Ok((network, worker))
}
