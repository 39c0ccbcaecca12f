//! Command-line arguments, named as Substrate's node names them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "folio-node",
    version,
    about = "A Folio node: money, equity crowdfunding, e-invoices and commercial bills on a Substrate-compatible chain."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a chain spec as JSON.
    BuildSpec(BuildSpecArgs),
    /// Delete a chain's database.
    PurgeChain(PurgeChainArgs),
}

#[derive(Debug, Args)]
pub struct BuildSpecArgs {
    /// `dev`, `local`, or a chain spec file.
    #[arg(long, default_value = "local")]
    pub chain: String,
    /// Shortcut for `--chain dev`.
    #[arg(long)]
    pub dev: bool,
    /// Write the genesis as raw storage (built by the runtime) instead of a config patch.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct PurgeChainArgs {
    #[arg(long, default_value = "local")]
    pub chain: String,
    #[arg(long)]
    pub dev: bool,
    /// Where chains are stored (default: ~/.local/share/folio).
    #[arg(long, short = 'd')]
    pub base_path: Option<PathBuf>,
    /// Do not ask for confirmation.
    #[arg(short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A development chain: `--chain dev`, //Alice as author, instant sealing, temporary storage
    /// unless `--base-path` is given, unsafe RPC methods and any CORS origin.
    #[arg(long)]
    pub dev: bool,
    /// `dev`, `local`, or a chain spec file.
    #[arg(long)]
    pub chain: Option<String>,
    /// Where chains are stored (default: ~/.local/share/folio).
    #[arg(long, short = 'd')]
    pub base_path: Option<PathBuf>,
    /// Store the chain in a temporary directory deleted on exit.
    #[arg(long)]
    pub tmp: bool,
    /// When blocks are sealed: `instant`, `interval=<ms>` or `manual` (default: instant on
    /// --dev, interval=6000 otherwise).
    #[arg(long)]
    pub sealing: Option<String>,
    /// JSON-RPC port (HTTP and WebSocket).
    #[arg(long, default_value_t = 9944)]
    pub rpc_port: u16,
    /// Listen on all interfaces instead of 127.0.0.1.
    #[arg(long)]
    pub rpc_external: bool,
    /// Browser origins allowed to connect: `all`, or a comma-separated list.
    #[arg(long)]
    pub rpc_cors: Option<String>,
    /// `auto` (unsafe only on localhost), `safe` or `unsafe`.
    #[arg(long, default_value = "auto")]
    pub rpc_methods: String,
    /// Most simultaneous RPC connections.
    #[arg(long, default_value_t = 100)]
    pub rpc_max_connections: u32,
    /// Most subscriptions one RPC connection may hold.
    #[arg(long, default_value_t = 1024)]
    pub rpc_max_subscriptions_per_connection: u32,
    /// Largest RPC request or response, in MiB.
    #[arg(long, default_value_t = 15)]
    pub rpc_max_request_size: u32,
    /// Longest a single runtime call may run before it is stopped, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub execution_timeout_ms: u64,
    /// Serve Prometheus metrics on this port (127.0.0.1 unless --prometheus-external).
    #[arg(long)]
    pub prometheus_port: Option<u16>,
    #[arg(long)]
    pub prometheus_external: bool,
    /// Log filter, e.g. `info` or `folio::import=debug,info`.
    #[arg(long, short = 'l', default_value = "info")]
    pub log: String,
}
