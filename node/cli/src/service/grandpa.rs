//! GRANDPA in the node: when the runtime has `GrandpaApi`, the voter of the current set runs
//! (with the keystore's `gran` key of that set, else as an observer that follows commits),
//! over [`ChainBackend`] and [`NetworkGossip`], its votes kept in a `FileVoteStore` under the
//! chain's directory. GRANDPA then finalizes: the depth rule is switched off.
//!
//! The set follows the runtime's changes: the node's [`SharedAuthoritySet`] (stored at
//! `<chain dir>/grandpa/set`) reads the `FRNK` scheduled-change digests of finalized blocks;
//! once a change's enact block is final, the voter of the old set stops and the next set's
//! (set id + 1, authorities read from the enact block's `GrandpaApi`) starts, and the gossip
//! takes the new set's messages.

use super::finality_backend::ChainBackend;
use super::finality_gossip::NetworkGossip;
use folio_chain::Client;
use folio_consensus::keystore::GRANDPA;
use folio_consensus::Keystore;
use folio_finality::authority_set::{Authorities, AuthoritySet, Enacted, SharedAuthoritySet};
use folio_finality::store::{FileVoteStore, MemoryVoteStore, VoteStore};
use folio_finality::voter::{self, VoterParams};
use folio_finality::{AuthorityId, Hash, SetId};
use folio_network::{FinalityMessage, NetworkService};
use folio_primitives::keyring::Ed25519Pair;
use parity_scale_codec::DecodeAll;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

const LOG_TARGET: &str = "folio::finality";
/// Messages from peers waiting for the validator; more are ignored (not relayed).
pub const INCOMING_QUEUE: usize = 4096;
/// How long a failed voter waits before it starts again.
const RESTART_DELAY: Duration = Duration::from_secs(1);

/// The set the voter runs.
pub struct GrandpaSet {
    pub set_id: SetId,
    pub authorities: Vec<(AuthorityId, u64)>,
    /// The local `gran` key, if it is one of the set's.
    pub key: Option<Ed25519Pair>,
}

impl GrandpaSet {
    fn of(set: &AuthoritySet, keystore: &Keystore) -> Self {
        let key = set
            .authorities
            .iter()
            .find_map(|(public, _)| keystore.ed25519_pair(GRANDPA, &public.0));
        Self {
            set_id: set.set_id,
            authorities: set.authorities.clone(),
            key,
        }
    }
}

/// The GRANDPA set `at` a block's state, if the runtime has `GrandpaApi` and names a
/// non-empty set. The runtime's set id is raised when a change is scheduled, so it is the
/// node's only where no change is pending (genesis, or a fresh node's replay start).
fn set_at(client: &Client, at: Hash) -> anyhow::Result<Option<(SetId, Authorities)>> {
    let Ok(encoded) = client.call_at(at, "GrandpaApi_grandpa_authorities", &[]) else {
        return Ok(None);
    };
    let authorities = Vec::<([u8; 32], u64)>::decode_all(&mut &encoded[..])?;
    if authorities.is_empty() {
        return Ok(None);
    }
    let set_id = u64::decode_all(&mut &client.call_at(at, "GrandpaApi_current_set_id", &[])?[..])?;
    Ok(Some((
        set_id,
        authorities
            .into_iter()
            .map(|(public, weight)| (AuthorityId(public), weight))
            .collect(),
    )))
}

/// The authorities of the set an enacted change installs: the enact block's `GrandpaApi`
/// (the runtime replaced them in that block), else the digest's.
fn next_authorities(client: &Client, enacted: &Enacted) -> Authorities {
    match set_at(client, enacted.block.0) {
        Ok(Some((_, authorities))) => {
            if authorities != enacted.next_authorities {
                tracing::warn!(target: LOG_TARGET, number = enacted.block.1, "the enact block's GRANDPA authorities differ from its change digest; the state's are taken");
            }
            authorities
        }
        _ => enacted.next_authorities.clone(),
    }
}

/// The node's authority set, if the runtime has `GrandpaApi`: the one stored at `path`, else
/// the genesis set, then brought up to the finalized block (every change enacted on the
/// finalized chain since).
///
/// # Errors
/// The stored set cannot be read, or the state cannot be.
pub fn authority_set(
    client: &Arc<Client>,
    path: Option<PathBuf>,
) -> anyhow::Result<Option<Arc<SharedAuthoritySet>>> {
    let genesis = client
        .db()
        .hash_by_number(0)?
        .ok_or_else(|| anyhow::anyhow!("no genesis block"))?;
    let Some((set_id, authorities)) = set_at(client, genesis)? else {
        return Ok(None);
    };
    if let Some(dir) = path.as_ref().and_then(|p| p.parent()) {
        std::fs::create_dir_all(dir)?;
    }
    let shared = SharedAuthoritySet::open(path.as_deref(), || {
        AuthoritySet::new(set_id, authorities, (genesis, 0))
    })?;
    follow(client, &shared, &client.finalized_header()?)?;
    Ok(Some(shared))
}

/// Brings the set up to `finalized`; the new set id if it changed.
fn follow(
    client: &Arc<Client>,
    set: &SharedAuthoritySet,
    finalized: &folio_primitives::header::Header,
) -> anyhow::Result<Option<SetId>> {
    let backend = ChainBackend(Arc::clone(client));
    let changed = set.note_finalized(&backend, finalized, |enacted| {
        next_authorities(client, enacted)
    })?;
    if let Some(set_id) = changed {
        let set = set.get();
        tracing::info!(
            target: LOG_TARGET,
            set_id,
            authorities = set.authorities.len(),
            enacted_at = set.start,
            "GRANDPA authority set changed"
        );
    }
    Ok(changed)
}

/// Follows every finalized block (the voter's, or a synced justification's) and tells
/// `changed` the new set id when a change is enacted.
async fn follow_finality(
    client: Arc<Client>,
    set: Arc<SharedAuthoritySet>,
    changed: watch::Sender<SetId>,
) {
    let mut finalized = client.subscribe_finalized_heads();
    loop {
        let header = match finalized.recv().await {
            Ok(header) => header,
            // Missed some: the finalized head covers them (digests are read along its chain).
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                match client.finalized_header() {
                    Ok(header) => header,
                    Err(_) => continue,
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        match follow(&client, &set, &header) {
            Ok(Some(set_id)) => {
                let _ = changed.send(set_id);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::error!(target: LOG_TARGET, %error, "following GRANDPA set changes")
            }
        }
    }
}

/// Where `grandpa_roundState` reads the running voter's rounds.
#[derive(Clone)]
pub struct RoundStateSource {
    /// Filled by the voter once it runs (again by each set's voter).
    pub slot: voter::ReportSlot,
    pub set: Arc<SharedAuthoritySet>,
    pub ss58_prefix: u16,
}

impl std::fmt::Debug for RoundStateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoundStateSource")
            .field("set_id", &self.set.get().set_id)
            .finish_non_exhaustive()
    }
}

impl RoundStateSource {
    pub fn new(set: Arc<SharedAuthoritySet>, ss58_prefix: u16) -> Self {
        Self {
            slot: Arc::default(),
            set,
            ss58_prefix,
        }
    }

    /// The round the voter is in, once it runs.
    pub fn best_round(&self) -> Option<u64> {
        let slot = self.slot.lock().ok()?;
        Some(slot.as_ref()?.get().best_round.0)
    }

    /// The answer, once the voter runs: the current set's id and voters.
    pub fn json(&self) -> Option<serde_json::Value> {
        let set = self.set.get();
        let authorities: Vec<AuthorityId> = set.authorities.iter().map(|(id, _)| *id).collect();
        let slot = self.slot.lock().ok()?;
        let report = slot.as_ref()?.get();
        Some(folio_finality::round_state::round_state_json(
            set.set_id,
            &report,
            &authorities,
            self.ss58_prefix,
        ))
    }
}

/// What the voter runs with in this node.
pub struct GrandpaSetup {
    pub set: Arc<SharedAuthoritySet>,
    pub keystore: Arc<Keystore>,
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
    let current = setup.set.get();
    let gossip = NetworkGossip::start(
        setup.network.clone(),
        current.set_id,
        current.authorities.iter().map(|(id, _)| *id),
        setup.incoming,
        // Own votes again every few gossip durations, as Substrate's gossip engine sends a
        // round's messages to a peer that connects late.
        setup.gossip_duration.saturating_mul(3),
    );
    let (changed, set_changes) = watch::channel(current.set_id);
    tokio::spawn(follow_finality(
        Arc::clone(&setup.client),
        Arc::clone(&setup.set),
        changed,
    ));
    let voters = Voters {
        backend: Arc::new(ChainBackend(Arc::clone(&setup.client))),
        gossip,
        set: setup.set,
        keystore: setup.keystore,
        gossip_duration: setup.gossip_duration,
        report: setup.report,
    };
    Ok(match setup.store_path {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let store = Arc::new(FileVoteStore::open(&path)?);
            tokio::spawn(voters.run_forever(store, set_changes))
        }
        None => tokio::spawn(voters.run_forever(Arc::new(MemoryVoteStore::default()), set_changes)),
    })
}

/// What every set's voter runs with.
struct Voters {
    backend: Arc<ChainBackend>,
    gossip: Arc<NetworkGossip>,
    set: Arc<SharedAuthoritySet>,
    keystore: Arc<Keystore>,
    gossip_duration: Duration,
    report: Option<voter::ReportSlot>,
}

impl Voters {
    /// Runs the current set's voter, starting it again (from its store) after an error, and
    /// the next set's when a change is enacted.
    async fn run_forever<S: VoteStore>(
        self,
        store: Arc<S>,
        mut set_changes: watch::Receiver<SetId>,
    ) {
        let mut gossip_set = self.set.get().set_id;
        loop {
            let set = GrandpaSet::of(&self.set.get(), &self.keystore);
            if set.set_id != gossip_set {
                self.gossip
                    .change_set(set.set_id, set.authorities.iter().map(|(id, _)| *id));
                gossip_set = set.set_id;
            }
            tracing::info!(
                target: LOG_TARGET,
                set_id = set.set_id,
                authorities = set.authorities.len(),
                voter = set.key.is_some(),
                "GRANDPA {}",
                if set.key.is_some() { "voter" } else { "observer" }
            );
            let set_id = set.set_id;
            let params = VoterParams {
                backend: Arc::clone(&self.backend),
                network: Arc::clone(&self.gossip),
                store: Arc::clone(&store),
                key: set.key,
                set_id,
                authorities: set.authorities,
                gossip_duration: self.gossip_duration,
                report: self.report.clone(),
                authority_set: Some(Arc::clone(&self.set)),
            };
            // Resolves when the next set takes over (never, if changes are no longer followed).
            let next_set = async {
                if set_changes.wait_for(|id| *id != set_id).await.is_err() {
                    tracing::error!(target: LOG_TARGET, "GRANDPA set changes are no longer followed");
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                result = voter::run(params) => {
                    match result {
                        Ok(()) => tracing::warn!(target: LOG_TARGET, "GRANDPA voter stopped; starting again"),
                        Err(error) => {
                            tracing::error!(target: LOG_TARGET, %error, "GRANDPA voter failed; starting again")
                        }
                    }
                    tokio::time::sleep(RESTART_DELAY).await;
                }
                () = next_set => {
                    tracing::info!(target: LOG_TARGET, set_id, "GRANDPA voter of the old set stopped");
                }
            }
        }
    }
}
