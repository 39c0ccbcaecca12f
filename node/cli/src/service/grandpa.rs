//! GRANDPA in the node: when the runtime has `GrandpaApi`, the voter of the current set runs
//! (with the keystore's `gran` key of that set, else as an observer that follows commits),
//! over [`ChainBackend`] and [`NetworkGossip`], its votes kept in a `FileVoteStore` under the
//! chain's directory. GRANDPA then finalizes: the depth rule is switched off.
//!
//! One set per run: following an enacted set change is not wired yet (docs/finality.md).

use super::finality_backend::ChainBackend;
use super::finality_gossip::NetworkGossip;
use folio_chain::Client;
use folio_consensus::keystore::GRANDPA;
use folio_consensus::Keystore;
use folio_finality::store::{FileVoteStore, MemoryVoteStore, VoteStore};
use folio_finality::voter::{self, VoterParams};
use folio_finality::{AuthorityId, SetId};
use folio_network::{FinalityMessage, NetworkService};
use folio_primitives::keyring::Ed25519Pair;
use parity_scale_codec::DecodeAll;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

const LOG_TARGET: &str = "folio::finality";
/// Messages from peers waiting for the validator; more are ignored (not relayed).
pub const INCOMING_QUEUE: usize = 4096;
/// How long a failed voter waits before it starts again.
const RESTART_DELAY: Duration = Duration::from_secs(1);

/// The set the voter runs, as the best block's state names it.
pub struct GrandpaSet {
    pub set_id: SetId,
    pub authorities: Vec<(AuthorityId, u64)>,
    /// The local `gran` key, if it is one of the set's.
    pub key: Option<Ed25519Pair>,
}

/// The current set, if the runtime has `GrandpaApi` and names a non-empty set.
pub fn current_set(client: &Client, keystore: &Keystore) -> anyhow::Result<Option<GrandpaSet>> {
    let best = client.best_hash()?;
    let Ok(encoded) = client.call_at(best, "GrandpaApi_grandpa_authorities", &[]) else {
        return Ok(None);
    };
    let authorities = Vec::<([u8; 32], u64)>::decode_all(&mut &encoded[..])?;
    if authorities.is_empty() {
        return Ok(None);
    }
    let set_id =
        u64::decode_all(&mut &client.call_at(best, "GrandpaApi_current_set_id", &[])?[..])?;
    let key = authorities
        .iter()
        .find_map(|(public, _)| keystore.ed25519_pair(GRANDPA, public));
    Ok(Some(GrandpaSet {
        set_id,
        authorities: authorities
            .into_iter()
            .map(|(public, weight)| (AuthorityId(public), weight))
            .collect(),
        key,
    }))
}

/// Where `grandpa_roundState` reads the running voter's rounds.
#[derive(Clone)]
pub struct RoundStateSource {
    /// Filled by the voter once it runs.
    pub slot: voter::ReportSlot,
    pub set_id: SetId,
    pub authorities: Vec<AuthorityId>,
    pub ss58_prefix: u16,
}

impl std::fmt::Debug for RoundStateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoundStateSource")
            .field("set_id", &self.set_id)
            .finish_non_exhaustive()
    }
}

impl RoundStateSource {
    pub fn new(set: &GrandpaSet, ss58_prefix: u16) -> Self {
        Self {
            slot: Arc::default(),
            set_id: set.set_id,
            authorities: set.authorities.iter().map(|(id, _)| *id).collect(),
            ss58_prefix,
        }
    }

    /// The round the voter is in, once it runs.
    pub fn best_round(&self) -> Option<u64> {
        let slot = self.slot.lock().ok()?;
        Some(slot.as_ref()?.get().best_round.0)
    }

    /// The answer, once the voter runs.
    pub fn json(&self) -> Option<serde_json::Value> {
        let slot = self.slot.lock().ok()?;
        let report = slot.as_ref()?.get();
        Some(folio_finality::round_state::round_state_json(
            self.set_id,
            &report,
            &self.authorities,
            self.ss58_prefix,
        ))
    }
}

/// What the voter runs with in this node.
pub struct GrandpaSetup {
    pub set: GrandpaSet,
    pub client: Arc<Client>,
    pub network: NetworkService,
    pub incoming: mpsc::Receiver<FinalityMessage>,
    /// `<chain dir>/grandpa/votes`; `None` on temporary storage (votes in memory).
    pub store_path: Option<PathBuf>,
    pub gossip_duration: Duration,
    pub report: Option<voter::ReportSlot>,
}

/// Starts the voter task on the current tokio runtime.
///
/// # Errors
/// The vote store cannot be opened (a voter must not forget what it signed).
pub fn start(setup: GrandpaSetup) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let set = &setup.set;
    tracing::info!(
        target: LOG_TARGET,
        set_id = set.set_id,
        authorities = set.authorities.len(),
        voter = set.key.is_some(),
        "GRANDPA {}",
        if set.key.is_some() { "voter" } else { "observer" }
    );
    let gossip = NetworkGossip::start(
        setup.network,
        set.set_id,
        set.authorities.iter().map(|(id, _)| *id),
        setup.incoming,
        // Own votes again every few gossip durations, as Substrate's gossip engine sends a
        // round's messages to a peer that connects late.
        setup.gossip_duration.saturating_mul(3),
    );
    let backend = Arc::new(ChainBackend(setup.client));
    Ok(match setup.store_path {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let store = Arc::new(FileVoteStore::open(&path)?);
            tokio::spawn(run_forever(
                backend,
                gossip,
                store,
                setup.set,
                setup.gossip_duration,
                setup.report,
            ))
        }
        None => tokio::spawn(run_forever(
            backend,
            gossip,
            Arc::new(MemoryVoteStore::default()),
            setup.set,
            setup.gossip_duration,
            setup.report,
        )),
    })
}

/// Runs the voter, starting it again (from its store) after an error.
async fn run_forever<S: VoteStore>(
    backend: Arc<ChainBackend>,
    gossip: Arc<NetworkGossip>,
    store: Arc<S>,
    set: GrandpaSet,
    gossip_duration: Duration,
    report: Option<voter::ReportSlot>,
) {
    loop {
        let params = VoterParams {
            backend: Arc::clone(&backend),
            network: Arc::clone(&gossip),
            store: Arc::clone(&store),
            key: set.key.clone(),
            set_id: set.set_id,
            authorities: set.authorities.clone(),
            gossip_duration,
            report: report.clone(),
        };
        match voter::run(params).await {
            Ok(()) => tracing::warn!(target: LOG_TARGET, "GRANDPA voter stopped; starting again"),
            Err(error) => {
                tracing::error!(target: LOG_TARGET, %error, "GRANDPA voter failed; starting again")
            }
        }
        tokio::time::sleep(RESTART_DELAY).await;
    }
}
