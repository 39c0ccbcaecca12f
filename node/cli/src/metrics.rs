//! Prometheus metrics over plain HTTP: imported blocks, best height, pool size, import time.

use folio_chain::{Client, Pool};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `GET /metrics` until the process exits.
pub async fn serve(
    addr: SocketAddr,
    client: Arc<Client>,
    pool: Arc<Pool>,
) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                continue;
            };
            let body = render(&client, &pool);
            tokio::spawn(async move {
                let mut request = [0u8; 1024];
                // The request is not inspected beyond reading it: every path gets the metrics.
                let _ = stream.read(&mut request).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    body.len(),
                    body
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    tracing::info!(target: "folio::metrics", %local, "Prometheus metrics on http://{local}/metrics");
    Ok(local)
}

fn render(client: &Client, pool: &Pool) -> String {
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
         folio_block_import_seconds_count {}\n",
        stats.imported_blocks,
        stats.import_micros_total as f64 / 1e6,
        stats.imported_blocks,
    )
}
