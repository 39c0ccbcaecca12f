//! Consensus in the node: the keystore in the base path, the Aura verifier for blocks from
//! peers, and the slot worker of a validator.
//!
//! A chain whose genesis names Aura authorities (`--chain local`) is authored by slot; one
//! without (`--dev`) keeps sealing on demand and needs none of this.

use crate::cli::ValidatorArgs;
use folio_chain::{Client, Pool};
use folio_consensus::keystore::{AURA, GRANDPA};
use folio_consensus::{AuraVerifier, Keystore, SlotWorker, SlotWorkerConfig};
use folio_network::NetworkService;
use std::path::PathBuf;
use std::sync::Arc;

const LOG_TARGET: &str = "folio::service";

/// Aura's parts for a chain with authorities.
pub struct Aura {
    pub keystore: Arc<Keystore>,
    pub verifier: Arc<AuraVerifier>,
    pub slot_duration_ms: u64,
    /// How many authorities the best block's state names.
    pub authorities: usize,
}

/// The keystore: `<base path>/chains/<id>/keystore`, or in memory on temporary storage; with
/// the dev key of `--alice` … `--ferdie` inserted.
pub fn keystore(dir: Option<PathBuf>, args: &ValidatorArgs) -> anyhow::Result<Arc<Keystore>> {
    let keystore = match dir {
        Some(dir) => Keystore::open(&dir)?,
        None => Keystore::in_memory(),
    };
    if let Some(name) = args.dev_key() {
        let public = keystore.insert_secret(AURA, &format!("//{name}"))?;
        tracing::info!(target: LOG_TARGET, key = %hex::encode(public), "inserted //{name}'s Aura key");
        let public = keystore.insert_secret(GRANDPA, &format!("//{name}"))?;
        tracing::info!(target: LOG_TARGET, key = %hex::encode(public), "inserted //{name}'s GRANDPA key");
    }
    Ok(Arc::new(keystore))
}

/// Aura's parts when the best block's state names authorities, else `None`.
pub fn setup(client: &Arc<Client>, keystore: Arc<Keystore>) -> anyhow::Result<Option<Aura>> {
    let best = client.best_hash()?;
    // A runtime without Aura (or one that cannot answer) is a chain without slots: the node
    // still starts and serves it, as it serves a broken runtime's RPC (issue 15).
    let authorities = match folio_consensus::authorities_at(client, best) {
        Ok(authorities) => authorities,
        Err(error) => {
            tracing::warn!(target: LOG_TARGET, %error, "the runtime names no Aura authorities; no slot authoring");
            return Ok(None);
        }
    };
    if authorities.is_empty() {
        return Ok(None);
    }
    let slot_duration_ms = folio_consensus::slot_duration_at(client, best)?;
    tracing::info!(target: LOG_TARGET, authorities = authorities.len(), slot_ms = slot_duration_ms, "Aura chain");
    Ok(Some(Aura {
        verifier: Arc::new(AuraVerifier::new(Arc::clone(client), slot_duration_ms)),
        keystore,
        slot_duration_ms,
        authorities: authorities.len(),
    }))
}

/// Starts the slot worker. It authors only when the network is not syncing and, on a chain of
/// several authorities, has a peer whose best block is not ahead of ours: a block on a stale
/// parent would fork the node off the chain.
pub fn start_worker(
    aura: &Aura,
    client: Arc<Client>,
    pool: Arc<Pool>,
    network: Option<NetworkService>,
) -> anyhow::Result<SlotWorker> {
    let alone = aura.authorities <= 1;
    let can_author: folio_consensus::worker::CanAuthor =
        Arc::new(move |best: &folio_primitives::header::Header| {
            let Some(network) = &network else {
                return alone;
            };
            if network.is_syncing() {
                return false;
            }
            let peers = network.peers();
            if peers.is_empty() {
                return alone;
            }
            peers.iter().all(|peer| peer.best_number <= best.number)
        });
    Ok(SlotWorker::start(
        client,
        pool,
        Arc::clone(&aura.keystore),
        Arc::clone(&aura.verifier),
        SlotWorkerConfig {
            slot_duration_ms: aura.slot_duration_ms,
            can_author,
        },
    )?)
}

/// The keystore behind the RPC layer's `author_*Key*` methods. This runtime's session keys are
/// the Aura key then the GRANDPA key (`SessionKeys_decode_session_keys` says which keys encoded
/// session keys hold).
pub struct RpcKeystore {
    pub keystore: Arc<Keystore>,
    pub client: Arc<Client>,
}

impl folio_rpc::KeystoreBackend for RpcKeystore {
    fn insert_key(&self, key_type: [u8; 4], suri: &str, public: &[u8]) -> Result<(), String> {
        let public: [u8; 32] = public
            .try_into()
            .map_err(|_| "an sr25519 public key is 32 bytes".to_string())?;
        self.keystore
            .insert(key_type, suri, &public)
            .map_err(|e| e.to_string())
    }

    /// As Substrate: the runtime makes the keys (`SessionKeys_generate_session_keys`) in the
    /// keystore this call alone is given, and says how they are encoded.
    fn rotate_keys(&self) -> Result<Vec<u8>, String> {
        use parity_scale_codec::{Decode, Encode};
        let best = self.client.best_hash().map_err(|e| e.to_string())?;
        let raw = self
            .client
            .call_at_with_keys(
                best,
                "SessionKeys_generate_session_keys",
                &None::<Vec<u8>>.encode(),
                self.keystore.as_ref(),
            )
            .map_err(|e| e.to_string())?;
        Vec::<u8>::decode(&mut &raw[..]).map_err(|e| e.to_string())
    }

    fn has_key(&self, public: &[u8], key_type: [u8; 4]) -> bool {
        <[u8; 32]>::try_from(public).is_ok_and(|public| self.keystore.has_key(key_type, &public))
    }

    fn has_session_keys(&self, session_keys: &[u8]) -> Result<bool, String> {
        use parity_scale_codec::{Decode, Encode};
        let best = self.client.best_hash().map_err(|e| e.to_string())?;
        let raw = self
            .client
            .call_at(
                best,
                "SessionKeys_decode_session_keys",
                &session_keys.to_vec().encode(),
            )
            .map_err(|e| e.to_string())?;
        let keys = Option::<Vec<(Vec<u8>, [u8; 4])>>::decode(&mut &raw[..])
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "the session keys do not decode".to_string())?;
        Ok(keys
            .iter()
            .all(|(public, key_type)| self.has_key(public, *key_type)))
    }
}
