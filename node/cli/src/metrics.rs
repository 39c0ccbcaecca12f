//! Prometheus metrics over plain HTTP: imported blocks, best and finalized height, pool size,
//! import time, the restarts of the supervised author and admission threads, and the GRANDPA
//! voter's round and the votes it cast. Heights, the round and the votes are also served under
//! Substrate's names (`substrate_block_height`, `substrate_finality_grandpa_round`,
//! `substrate_finality_grandpa_prevotes_total`, `substrate_finality_grandpa_precommits_total`),
//! so dashboards made for Substrate nodes work unchanged.

use crate::service::grandpa::RoundStateSource;
use folio_chain::{Admission, AuthorHandle, Client, Pool};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

const LOG_TARGET: &str = "folio::metrics";

/// How long the accept loop pauses after an error (out of file descriptors, most often)
/// instead of retrying at once and spinning a core.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Where and how much the endpoint serves.
#[derive(Debug, Clone, Copy)]
pub struct MetricsConfig {
    pub addr: SocketAddr,
    /// Connections served at once (`--prometheus-max-connections`); more are closed at once.
    pub max_connections: u32,
    /// Longest a client may take to send its request (`--prometheus-read-timeout-ms`).
    pub read_timeout: Duration,
}

/// The supervised threads whose restarts the metrics count.
#[derive(Debug, Clone)]
pub struct Supervised {
    pub author: AuthorHandle,
    pub admission: Admission,
}

/// Serves `GET /metrics` until the process exits.
pub async fn serve(
    config: MetricsConfig,
    client: Arc<Client>,
    pool: Arc<Pool>,
    supervised: Supervised,
    grandpa: Option<RoundStateSource>,
) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let local = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(
        usize::try_from(config.max_connections.max(1)).unwrap_or(1),
    ));
    tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(error) => {
                    tracing::warn!(target: LOG_TARGET, %error, "cannot accept a metrics connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            };
            // Over the cap the connection is dropped (closed) unanswered.
            let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                tracing::debug!(target: LOG_TARGET, "metrics connection refused: too many open");
                continue;
            };
            let client = Arc::clone(&client);
            let pool = Arc::clone(&pool);
            let supervised = supervised.clone();
            let grandpa = grandpa.clone();
            tokio::spawn(async move {
                let _slot = slot;
                answer(
                    stream,
                    config.read_timeout,
                    &client,
                    &pool,
                    &supervised,
                    grandpa.as_ref(),
                )
                .await;
            });
        }
    });
    tracing::info!(target: LOG_TARGET, %local, "Prometheus metrics on http://{local}/metrics");
    Ok(local)
}

/// Reads the request (not inspected: every path gets the metrics) and writes the metrics. A
/// client that does not send its request within `read_timeout` is dropped, and so is one that
/// does not read the answer within it.
async fn answer(
    mut stream: TcpStream,
    read_timeout: Duration,
    client: &Client,
    pool: &Pool,
    supervised: &Supervised,
    grandpa: Option<&RoundStateSource>,
) {
    let mut request = [0u8; 1024];
    match tokio::time::timeout(read_timeout, stream.read(&mut request)).await {
        Ok(Ok(n)) if n > 0 => {}
        _ => return,
    }
    let mut body = render(client, pool, supervised);
    body.push_str(&render_substrate(client, grandpa));
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        body
    );
    let _ = tokio::time::timeout(read_timeout, stream.write_all(response.as_bytes())).await;
}

fn render(client: &Client, pool: &Pool, supervised: &Supervised) -> String {
    let stats = client.stats();
    let (ready, future) = pool.status();
    let best = client.db().best().map(|b| b.number).unwrap_or(0);
    let finalized = client.db().finalized().map(|b| b.number).unwrap_or(0);
    format!(
        "# HELP folio_imported_blocks_total Blocks imported or sealed since start.\n\
         # TYPE folio_imported_blocks_total counter\n\
         folio_imported_blocks_total {}\n\
         # HELP folio_block_height Block height by status.\n\
         # TYPE folio_block_height gauge\n\
         folio_block_height{{status=\"best\"}} {best}\n\
         folio_block_height{{status=\"finalized\"}} {finalized}\n\
         # HELP folio_transaction_pool Transactions in the pool by queue.\n\
         # TYPE folio_transaction_pool gauge\n\
         folio_transaction_pool{{queue=\"ready\"}} {ready}\n\
         folio_transaction_pool{{queue=\"future\"}} {future}\n\
         # HELP folio_block_import_seconds Time to build or import and commit blocks.\n\
         # TYPE folio_block_import_seconds summary\n\
         folio_block_import_seconds_sum {:.6}\n\
         folio_block_import_seconds_count {}\n\
         # HELP folio_author_restarts_total Times the block author panicked and was restarted.\n\
         # TYPE folio_author_restarts_total counter\n\
         folio_author_restarts_total {}\n\
         # HELP folio_author_up Whether the block author is running (0 while it waits to restart).\n\
         # TYPE folio_author_up gauge\n\
         folio_author_up {}\n\
         # HELP folio_admission_restarts_total Times an admission worker panicked and went on.\n\
         # TYPE folio_admission_restarts_total counter\n\
         folio_admission_restarts_total {}\n",
        stats.imported_blocks,
        stats.import_micros_total as f64 / 1e6,
        stats.imported_blocks,
        supervised.author.restarts(),
        u8::from(supervised.author.is_up()),
        supervised.admission.restarts(),
    )
}

/// The same heights under Substrate's names, and the GRANDPA round once a voter runs.
fn render_substrate(client: &Client, grandpa: Option<&RoundStateSource>) -> String {
    let best = client.db().best().map(|b| b.number).unwrap_or(0);
    let finalized = client.db().finalized().map(|b| b.number).unwrap_or(0);
    let mut text = format!(
        "# HELP substrate_block_height Block height info of the chain\n\
         # TYPE substrate_block_height gauge\n\
         substrate_block_height{{status=\"best\"}} {best}\n\
         substrate_block_height{{status=\"finalized\"}} {finalized}\n"
    );
    if let Some(round) = grandpa.and_then(RoundStateSource::best_round) {
        // The voter is in `round`: every round before it completed.
        text.push_str(&format!(
            "# HELP substrate_finality_grandpa_round Highest completed GRANDPA round.\n\
             # TYPE substrate_finality_grandpa_round gauge\n\
             substrate_finality_grandpa_round {}\n",
            round.saturating_sub(1)
        ));
    }
    if grandpa.is_some() {
        text.push_str(&grandpa_votes(&folio_finality::cast::CAST));
    }
    text
}

/// The votes this node cast, under sc-consensus-grandpa's names and help texts.
fn grandpa_votes(cast: &folio_finality::cast::CastVotes) -> String {
    format!(
        "# HELP substrate_finality_grandpa_prevotes_total Total number of GRANDPA prevotes cast locally.\n\
         # TYPE substrate_finality_grandpa_prevotes_total counter\n\
         substrate_finality_grandpa_prevotes_total {}\n\
         # HELP substrate_finality_grandpa_precommits_total Total number of GRANDPA precommits cast locally.\n\
         # TYPE substrate_finality_grandpa_precommits_total counter\n\
         substrate_finality_grandpa_precommits_total {}\n",
        cast.prevotes(),
        cast.precommits()
    )
}
