//! Starting and stopping the node: database, client, pool, author, RPC and metrics.

use crate::cli::{PurgeChainArgs, RunArgs};
use crate::specs;
use anyhow::Context;
use folio_chain::{Admission, ChainType, Client, Pool, PoolConfig, Sealing};
use folio_executor::{Executor, ExecutorConfig};
use folio_rpc::{RpcConfig, RpcMethods};
use folio_storage::Database;
use rpc_backend::Node;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub mod consensus;
pub mod finality_backend;
pub mod finality_gossip;
pub mod grandpa;
pub mod network;
pub mod rpc_backend;

fn default_base_path() -> PathBuf {
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".local/share/folio"))
        .unwrap_or_else(|| PathBuf::from(".folio"))
}

/// Longest chain spec `id` used as a directory name.
const MAX_CHAIN_ID: usize = 64;

/// Where a chain's database lives: `<base>/chains/<id>/db`. The `id` comes from a chain spec
/// file, so it must be a plain name: a `..`, `/` or absolute path would put the database, and
/// `purge-chain`'s delete, anywhere on the disk.
fn database_path(base: &std::path::Path, chain_id: &str) -> anyhow::Result<PathBuf> {
    let plain = !chain_id.is_empty()
        && chain_id.len() <= MAX_CHAIN_ID
        && chain_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !plain {
        anyhow::bail!(
            "chain spec id {chain_id:?} is not a plain name (1 to {MAX_CHAIN_ID} ASCII letters, \
             digits, `_` or `-`): it names the chain's directory"
        );
    }
    Ok(base.join("chains").join(chain_id).join("db"))
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (tests) is harmless.
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    init_logging(&args.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("folio-worker")
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run_async(args))
}

async fn run_async(args: RunArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let chain = match (&args.chain, args.dev) {
        (Some(chain), _) => chain.clone(),
        (None, true) => "dev".into(),
        (None, false) => "local".into(),
    };
    let spec = specs::load(&chain)?;
    let executor = Executor::new(ExecutorConfig {
        call_timeout: std::time::Duration::from_millis(args.execution_timeout_ms),
        ..ExecutorConfig::default()
    })
    .context("starting the wasm executor")?;

    let temporary = args.tmp || (args.dev && args.base_path.is_none());
    let db = if temporary {
        Database::open_temporary()?
    } else {
        let path = database_path(
            &args.base_path.clone().unwrap_or_else(default_base_path),
            &spec.id,
        )?;
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Database::open(&path)
            .with_context(|| format!("opening the database at {}", path.display()))?
    };
    tracing::info!(target: "folio::service", chain = %spec.name, path = %db.path().display(), "Folio node starting");

    let genesis_storage = {
        let executor = executor.clone();
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || specs::genesis_storage(&spec, &executor)).await??
    };
    let substitutes = spec.code_substitutes()?;
    if !substitutes.is_empty() {
        tracing::warn!(target: "folio::service", from = ?substitutes.keys().collect::<Vec<_>>(), "the chain spec substitutes the runtime code");
    }
    let client =
        Arc::new(Client::new(db, executor, genesis_storage)?.with_code_substitutes(substitutes));
    let best = client.best_header()?;
    // Compile the runtime now, off the start-up path, so the first block does not wait for it.
    {
        let client = Arc::clone(&client);
        let best = best.hash();
        std::thread::Builder::new()
            .name("folio-warmup".into())
            .spawn(move || {
                if let Err(error) = client.runtime_version_at(best) {
                    tracing::error!(target: "folio::service", %error, "the runtime does not load");
                }
            })?;
    }
    tracing::info!(
        target: "folio::service",
        genesis = %client.db().genesis_hash()?.unwrap_or_default(),
        best = best.number,
        "chain ready"
    );

    let pool = Arc::new(Pool::new(PoolConfig {
        max_count: args.pool_limit,
        max_bytes: args.pool_kbytes.saturating_mul(1024),
        max_future: args.pool_future_limit,
        max_per_sender: args.pool_sender_limit,
        ban_time: std::time::Duration::from_secs(args.tx_ban_seconds),
        max_banned: args.tx_ban_limit,
    }));
    let chain_dir = (!temporary).then(|| {
        args.base_path
            .clone()
            .unwrap_or_else(default_base_path)
            .join("chains")
            .join(&spec.id)
    });
    let keystore = consensus::keystore(
        chain_dir.as_ref().map(|d| d.join("keystore")),
        &args.validator,
    )?;
    let aura = consensus::setup(&client, Arc::clone(&keystore))?;
    // A chain with slots imports blocks unfinalized; the depth rule finalizes them until
    // GRANDPA does (folio_chain::finality). `--dev` keeps instant finality.
    if aura.is_some() {
        client.set_finality(folio_chain::Finality::Depth(args.finality_depth));
    }
    // GRANDPA runs on a slot chain whose runtime has GrandpaApi, when there is a network; the
    // node's authority set (stored, so a restart resumes it) follows the runtime's changes.
    let grandpa_set = match &aura {
        Some(_) if !args.dev || args.network.requested() => grandpa::authority_set(
            &client,
            chain_dir.as_ref().map(|d| d.join("grandpa").join("set")),
        )?,
        _ => None,
    };
    let round_state = grandpa_set.as_ref().map(|set| {
        let ss58 = spec
            .properties
            .get("ss58Format")
            .and_then(|v| v.as_u64())
            .and_then(|v| u16::try_from(v).ok())
            .unwrap_or(42);
        grandpa::RoundStateSource::new(Arc::clone(set), ss58)
    });
    // Blocks synced from peers are finalized by the justifications they carry, once checked
    // against the set of each block.
    let synced_justifications = grandpa_set.as_ref().map(|set| {
        Arc::new(folio_finality::synced::SyncedJustifications::following(
            Arc::clone(set),
            Arc::new(finality_backend::ChainBackend(Arc::clone(&client))),
        ))
    });
    let (finality_tx, finality_rx) = match grandpa_set {
        Some(_) => {
            let (tx, rx) = tokio::sync::mpsc::channel(grandpa::INCOMING_QUEUE);
            (Some(tx), Some(rx))
        }
        None => (None, None),
    };
    folio_chain::maintain::attach(&client, Arc::clone(&pool));
    let sealing: Sealing = match (&args.sealing, &aura) {
        // An Aura chain is authored by slot; the dev author only serves `seal_now` requests.
        (None, Some(_)) => Sealing::Manual,
        (Some(_), Some(_)) => anyhow::bail!(
            "--sealing is for chains without Aura authorities (--dev); this chain is authored by slot"
        ),
        (Some(text), None) => text.parse().map_err(anyhow::Error::msg)?,
        (None, None) if args.dev => Sealing::Instant,
        (None, None) => Sealing::Interval(std::time::Duration::from_millis(6_000)),
    };
    let (author, author_thread) =
        folio_chain::author::start(Arc::clone(&client), Arc::clone(&pool), sealing)?;

    let info = folio_rpc::backend::SystemInfo {
        chain_name: spec.name.clone(),
        chain_type: match spec.chain_type {
            ChainType::Development => "Development",
            ChainType::Local => "Local",
            ChainType::Live => "Live",
        }
        .into(),
        properties: spec.properties.clone(),
        node_name: args.validator.node_name(),
        node_version: env!("CARGO_PKG_VERSION").into(),
    };
    let node = Node {
        client: Arc::clone(&client),
        pool: Arc::clone(&pool),
        author: author.clone(),
        admission: Admission::start_bounded(
            Arc::clone(&client),
            Arc::clone(&pool),
            author.clone(),
            args.pool_admission_queue,
        )?,
        info,
        seals_own_chain: aura.is_none(),
        round_state: round_state.clone(),
    };

    // Metrics report how often the supervised threads panicked and were restarted.
    let supervised = crate::metrics::Supervised {
        author: node.author.clone(),
        admission: node.admission.clone(),
    };

    let ip = if args.rpc_external {
        Ipv4Addr::UNSPECIFIED
    } else {
        Ipv4Addr::LOCALHOST
    };
    let listen_addr = SocketAddr::from((ip, args.rpc_port));
    let methods = match args.rpc_methods.as_str() {
        "safe" => RpcMethods::Safe,
        "unsafe" => RpcMethods::Unsafe,
        "auto" => RpcMethods::auto(&listen_addr),
        other => anyhow::bail!("invalid --rpc-methods {other:?}: expected auto, safe or unsafe"),
    };
    let cors = match args.rpc_cors.as_deref() {
        Some("all") => None,
        Some(list) => Some(list.split(',').map(|s| s.trim().to_string()).collect()),
        None if args.dev => None,
        None => Some(RpcConfig::default_cors()),
    };
    let rpc_config = RpcConfig {
        listen_addr,
        methods,
        cors,
        max_connections: args.rpc_max_connections,
        max_subscriptions_per_connection: args.rpc_max_subscriptions_per_connection,
        max_request_size: args.rpc_max_request_size.saturating_mul(1024 * 1024),
        max_response_size: args.rpc_max_response_size.saturating_mul(1024 * 1024),
        max_batch_size: args.rpc_max_batch_request_len,
        max_keys_per_request: args.rpc_max_keys_per_request,
        max_concurrent_calls: args.rpc_max_concurrent_calls,
        call_timeout: std::time::Duration::from_millis(args.rpc_call_timeout_ms),
        max_in_flight_per_connection: args.rpc_max_in_flight_per_connection,
        max_broadcasts_per_connection: args.rpc_max_broadcasts_per_connection,
        max_follow_subscriptions_per_connection: args.rpc_max_follow_subscriptions_per_connection,
        max_pinned_blocks_per_follow: args.rpc_max_pinned_blocks,
        max_operations_per_follow: args.rpc_max_follow_operations,
        ws_ping_interval: (args.rpc_ws_ping_interval > 0)
            .then(|| std::time::Duration::from_secs(args.rpc_ws_ping_interval)),
        ws_idle_timeout: std::time::Duration::from_secs(args.rpc_ws_idle_timeout),
    };
    // The network starts before the RPC server so `system_localListenAddresses` is right
    // from the first answer.
    let network = if args.dev && !args.network.requested() {
        None
    } else {
        let network_dir = chain_dir.as_ref().map(|d| d.join("network"));
        let config = network::config(&network::NetworkSetup {
            args: &args.network,
            chain_type: spec.chain_type,
            spec_boot_nodes: &spec.boot_nodes,
            network_dir,
            // A validator of an Aura chain, or a node that seals blocks, is an authority;
            // `--sealing manual` only follows.
            roles: match &aura {
                Some(_) if args.validator.is_validator() => folio_network::Roles::AUTHORITY,
                Some(_) => folio_network::Roles::FULL,
                None if matches!(sealing, Sealing::Manual) => folio_network::Roles::FULL,
                None => folio_network::Roles::AUTHORITY,
            },
            node_name: args.validator.node_name(),
        })?;
        let config = folio_network::NetworkConfig {
            max_finality_message_bytes: args.max_grandpa_message_kib.saturating_mul(1024),
            finality_messages: finality_tx,
            ..config
        };
        Some(
            network::start(
                config,
                Arc::clone(&client),
                Arc::clone(&pool),
                node.admission.clone(),
                aura.as_ref().map(|a| Arc::clone(&a.verifier)),
                synced_justifications,
            )
            .await?,
        )
    };
    let slot_worker = match &aura {
        Some(aura) if args.validator.is_validator() => Some(consensus::start_worker(
            aura,
            Arc::clone(&client),
            Arc::clone(&pool),
            network.as_ref().map(|(service, _)| service.clone()),
        )?),
        _ => None,
    };
    let grandpa_voter = match (grandpa_set, finality_rx, &network) {
        (Some(set), Some(incoming), Some((service, _))) => {
            // GRANDPA finalizes from now on: the depth rule would race it.
            client.set_finality(folio_chain::Finality::Depth(u32::MAX));
            Some(grandpa::start(grandpa::GrandpaSetup {
                set,
                keystore: Arc::clone(&keystore),
                client: Arc::clone(&client),
                network: service.clone(),
                incoming,
                store_path: chain_dir.as_ref().map(|d| d.join("grandpa").join("votes")),
                gossip_duration: std::time::Duration::from_millis(args.grandpa_gossip_ms),
                report: round_state.as_ref().map(|r| Arc::clone(&r.slot)),
            })?)
        }
        _ => None,
    };
    let rpc_network = network.as_ref().map(|(service, _)| {
        Arc::new(network::RpcNetwork(service.clone())) as Arc<dyn folio_rpc::NetworkBackend>
    });
    let rpc_keys = Arc::new(consensus::RpcKeystore {
        keystore,
        client: Arc::clone(&client),
    }) as Arc<dyn folio_rpc::KeystoreBackend>;
    let rpc =
        folio_rpc::start_server_with_keys(rpc_config, Arc::new(node), rpc_network, Some(rpc_keys))
            .await?;
    tracing::info!(
        target: "folio::service",
        "JSON-RPC on ws://{0} and http://{0} (ready {1} ms after start)",
        rpc.local_addr(),
        started.elapsed().as_millis()
    );

    if let Some(port) = args.prometheus_port {
        let ip = if args.prometheus_external {
            Ipv4Addr::UNSPECIFIED
        } else {
            Ipv4Addr::LOCALHOST
        };
        crate::metrics::serve(
            crate::metrics::MetricsConfig {
                addr: SocketAddr::from((ip, port)),
                max_connections: args.prometheus_max_connections,
                read_timeout: std::time::Duration::from_millis(args.prometheus_read_timeout_ms),
            },
            Arc::clone(&client),
            Arc::clone(&pool),
            supervised,
            round_state.clone(),
        )
        .await?;
    }

    let outcome = tokio::select! {
        () = wait_for_shutdown() => Ok(()),
        failure = database_write_failure(&client) => Err(failure),
    };
    tracing::info!(target: "folio::service", "shutting down");
    rpc.stop();
    if let Some(voter) = grandpa_voter {
        voter.abort();
    }
    if let Some((_, worker)) = network {
        worker.stop().await;
    }
    if let Some(worker) = slot_worker {
        let _ = tokio::task::spawn_blocking(move || worker.stop()).await;
    }
    author.stop();
    let _ = tokio::task::spawn_blocking(move || author_thread.join()).await;
    outcome
}

/// Resolves once a block could not be written (a full disk, an I/O error). redb refuses every
/// write after a failed one, so going on would be a node that answers but never seals: it stops
/// with an error instead (exit status 1), for a supervisor to restart it once there is space.
/// Nothing committed is lost: the failed block never became part of the database.
async fn database_write_failure(client: &Client) -> anyhow::Error {
    let mut every = tokio::time::interval(std::time::Duration::from_millis(250));
    loop {
        every.tick().await;
        if let Some(failure) = client.write_failure() {
            tracing::error!(
                target: "folio::service",
                %failure,
                "stopping: the database can no longer be written; free space and restart the node"
            );
            return anyhow::anyhow!("the database can no longer be written: {failure}");
        }
    }
}

async fn wait_for_shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub fn purge_chain(args: &PurgeChainArgs) -> anyhow::Result<()> {
    let chain = if args.dev { "dev" } else { args.chain.as_str() };
    let spec = specs::load(chain)?;
    let path = database_path(
        &args.base_path.clone().unwrap_or_else(default_base_path),
        &spec.id,
    )?;
    if !path.exists() {
        println!("{} does not exist", path.display());
        return Ok(());
    }
    if !args.yes {
        println!("Delete {}? [y/N]", path.display());
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !answer.trim().eq_ignore_ascii_case("y") {
            println!("Aborted");
            return Ok(());
        }
    }
    std::fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
    println!("{} removed", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_chain_ids_name_a_directory() {
        let base = std::path::Path::new("/base");
        assert_eq!(
            database_path(base, "local_testnet").unwrap(),
            PathBuf::from("/base/chains/local_testnet/db")
        );
        for bad in [
            "",
            "..",
            "../../etc",
            "/tmp/x",
            "a/b",
            "a\\b",
            "x.y",
            &"a".repeat(65),
        ] {
            assert!(database_path(base, bad).is_err(), "{bad:?}");
        }
    }
}
