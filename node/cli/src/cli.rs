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
    /// Measure the node: signature-verification limit, import, authoring, end to end, and the
    /// weights of every dispatchable (docs/benchmarks.md).
    #[command(subcommand)]
    Benchmark(BenchmarkCommand),
}

/// `folio-node benchmark …`.
#[derive(Debug, Subcommand)]
pub enum BenchmarkCommand {
    /// The raw sr25519 verification rate, single and batched, on one core and on all cores: the
    /// floor every other figure is compared with.
    Verify(VerifyArgs),
    /// Import of pre-built full blocks of pre-signed transfers (executed in wasm, state root
    /// computed, committed), beside native execution of the same blocks.
    Import(ThroughputArgs),
    /// Block authoring: the same transactions submitted to the pool, blocks built from it.
    Authoring(ThroughputArgs),
    /// End to end: a client submits pre-signed transactions over WebSocket to a node in this
    /// process; each counts once included in a block with a success event.
    EndToEnd(EndToEndArgs),
    /// Measure every dispatchable of every pallet in wasm and write each pallet's `weights.rs`.
    Pallet(PalletArgs),
    /// The hardening review's attacks over RPC against a node of this binary: for each, the
    /// node's answer, its time, the node's peak memory, and whether an honest transfer made
    /// meanwhile was included (docs/security.md).
    Attacks(AttacksArgs),
    /// Four validators of `--chain local` as child processes on loopback: blocks per minute
    /// with 4/4 and 3/4 up, submission → inclusion on another node, a fresh node's sync speed,
    /// a restarted validator's catch-up and each node's peak RSS (docs/network.md).
    Network(NetworkArgs),
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// How long each blocks-per-minute window lasts, in seconds.
    #[arg(long, default_value_t = 60)]
    pub window_secs: u64,
    /// Submission → inclusion samples (at least 20).
    #[arg(long, default_value_t = 30)]
    pub samples: u32,
    /// Transfers each of the four endowed dev accounts sends to fill blocks before the sync.
    #[arg(long, default_value_t = 2_000)]
    pub transfers_per_account: u32,
    /// A tiny run that only checks the benchmark works (CI).
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Args)]
pub struct AttacksArgs {
    /// Smaller attacks that only check the benchmark works (CI).
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Signatures per measurement.
    #[arg(long, default_value_t = 20_000)]
    pub signatures: usize,
    /// A tiny run that only checks the benchmark works (CI).
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Args)]
pub struct ThroughputArgs {
    /// Accounts in state before the run (a comma-separated list runs each size).
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    pub accounts: Vec<u32>,
    /// Transfers per block.
    #[arg(long, default_value_t = 2_000)]
    pub tx_per_block: u32,
    /// Blocks measured per size.
    #[arg(long, default_value_t = 5)]
    pub blocks: u32,
    /// Levers of the block path to turn off, to measure what each is worth:
    /// `parallel-batch-verification`, `reuse-pool-signatures`, `one-instance-per-block`,
    /// `flat-reads`, `batched-pool-validation` (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// A tiny run that only checks the benchmark works (CI).
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Args)]
pub struct EndToEndArgs {
    /// Accounts in state before the run.
    #[arg(long, default_value_t = 10_000)]
    pub accounts: u32,
    /// Transactions submitted (each from its own pre-funded sender).
    #[arg(long, default_value_t = 10_000)]
    pub transactions: u32,
    /// Submissions per second; 0 submits as fast as the client can.
    #[arg(long, default_value_t = 0)]
    pub rate: u32,
    /// WebSocket connections submitting in parallel.
    #[arg(long, default_value_t = 4)]
    pub connections: u32,
    /// How the node seals: `instant` (a block as soon as transactions are ready) or
    /// `interval=<ms>` (a block every interval, as a live chain does).
    #[arg(long, default_value = "instant")]
    pub sealing: String,
    /// A tiny run that only checks the benchmark works (CI).
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Args)]
pub struct PalletArgs {
    /// One pallet (its name in the runtime, e.g. `Balances`), or all when omitted.
    #[arg(long)]
    pub pallet: Option<String>,
    /// Measurements per dispatchable (the median is kept).
    #[arg(long, default_value_t = 20)]
    pub repeat: u32,
    /// Where the workspace is: each pallet's `weights.rs` is written under it.
    #[arg(long, default_value = ".")]
    pub workspace: PathBuf,
    /// Print the weights instead of writing files.
    #[arg(long)]
    pub dry_run: bool,
    /// A tiny run that only checks the benchmark works (CI): few repetitions, no files written.
    #[arg(long)]
    pub smoke: bool,
    /// The candidate runtime for `System.set_code` and `apply_authorized_upgrade`: a wasm
    /// runtime of this chain with a higher spec_version. Defaults to the one linked in by the
    /// `upgrade-test-runtime` feature; without either, those two benchmarks are skipped in
    /// `--smoke`/`--dry-run` runs and refused when weights would be written.
    #[arg(long)]
    pub candidate_wasm: Option<PathBuf>,
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
    /// The ed25519 node key (64 hex characters) of the node to list in `bootNodes` when the
    /// spec has none: `/ip4/127.0.0.1/tcp/<port>/p2p/<its PeerId>`, as Substrate's
    /// `build-spec` lists the local node.
    #[arg(long)]
    pub node_key: Option<String>,
    /// The p2p port of that boot node.
    #[arg(long, default_value_t = 30333)]
    pub port: u16,
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
    /// On a chain with slots, how many blocks deep on the best chain a block must be before it
    /// is final (the rule that stands in for GRANDPA); a longer network split cannot reorg.
    #[arg(long, default_value_t = folio_chain::finality::DEFAULT_FINALITY_DEPTH)]
    pub finality_depth: u32,
    /// GRANDPA's gossip duration in milliseconds (prevotes after 2x, precommits after 4x
    /// from a round's start); Substrate uses 1000 with 6 s blocks.
    #[arg(long, default_value_t = 333)]
    pub grandpa_gossip_ms: u64,
    /// Largest GRANDPA gossip message accepted from or sent to peers, in KiB.
    #[arg(long, default_value_t = 1024)]
    pub max_grandpa_message_kib: usize,
    /// Most transactions in the pool, ready and future together.
    #[arg(long, default_value_t = 8_192)]
    pub pool_limit: usize,
    /// Most bytes of transactions in the pool, in KiB.
    #[arg(long, default_value_t = 20_480)]
    pub pool_kbytes: usize,
    /// Most future transactions (waiting for an earlier nonce) in the pool.
    #[arg(long, default_value_t = 819)]
    pub pool_future_limit: usize,
    /// Most transactions one sender may have in the pool.
    #[arg(long, default_value_t = 512)]
    pub pool_sender_limit: usize,
    /// Submissions waiting for validation; more are refused as the pool being full.
    #[arg(long, default_value_t = folio_chain::admission::DEFAULT_QUEUE)]
    pub pool_admission_queue: usize,
    /// How long a transaction found invalid stays banned, in seconds.
    #[arg(long, default_value_t = 1_800)]
    pub tx_ban_seconds: u64,
    /// Most banned transaction hashes remembered (the oldest ban is forgotten first).
    #[arg(long, default_value_t = 65_536)]
    pub tx_ban_limit: usize,
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
    /// Largest RPC request (HTTP body or WebSocket message), in MiB.
    #[arg(long, default_value_t = 15)]
    pub rpc_max_request_size: u32,
    /// Largest RPC response, in MiB; answers built from many values stop as soon as they pass it.
    #[arg(long, default_value_t = 15)]
    pub rpc_max_response_size: u32,
    /// Most calls in one JSON-RPC batch (0 disables batches).
    #[arg(long, default_value_t = 1000)]
    pub rpc_max_batch_request_len: u32,
    /// Most keys (or block numbers) one RPC request may name: `state_queryStorageAt`,
    /// `state_getReadProof`, `state_subscribeStorage`, `chain_getBlockHash` with a list.
    #[arg(long, default_value_t = 1000)]
    pub rpc_max_keys_per_request: u32,
    /// Most runtime calls and multi-key reads RPC runs at once (all connections together), so
    /// RPC never takes the executor slots authoring and import need.
    #[arg(long, default_value_t = 4)]
    pub rpc_max_concurrent_calls: u32,
    /// Longest an RPC request waits for its runtime call or read, in milliseconds.
    #[arg(long, default_value_t = 5_000)]
    pub rpc_call_timeout_ms: u64,
    /// Most requests one RPC connection may have running at once.
    #[arg(long, default_value_t = 32)]
    pub rpc_max_in_flight_per_connection: u32,
    /// Most `transaction_v1_broadcast` operations one RPC connection may run at once.
    #[arg(long, default_value_t = 16)]
    pub rpc_max_broadcasts_per_connection: u32,
    /// Most `chainHead_v1_follow` subscriptions one RPC connection may hold.
    #[arg(long, default_value_t = 4)]
    pub rpc_max_follow_subscriptions_per_connection: u32,
    /// Most blocks one `chainHead_v1_follow` subscription may keep pinned.
    #[arg(long, default_value_t = 512)]
    pub rpc_max_pinned_blocks: u32,
    /// Most operations (body, call, storage items) one `chainHead_v1_follow` subscription may run at once.
    #[arg(long, default_value_t = 16)]
    pub rpc_max_follow_operations: u32,
    /// WebSocket ping period in seconds (0 disables pings and the idle timeout).
    #[arg(long, default_value_t = 30)]
    pub rpc_ws_ping_interval: u64,
    /// A WebSocket connection silent (no message, no pong) this many seconds is closed.
    #[arg(long, default_value_t = 60)]
    pub rpc_ws_idle_timeout: u64,
    /// Longest a single runtime call may run before it is stopped, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub execution_timeout_ms: u64,
    /// Serve Prometheus metrics on this port (127.0.0.1 unless --prometheus-external).
    #[arg(long)]
    pub prometheus_port: Option<u16>,
    /// Serve metrics on all interfaces instead of 127.0.0.1.
    #[arg(long)]
    pub prometheus_external: bool,
    /// Most simultaneous Prometheus connections; more are closed at once.
    #[arg(long, default_value_t = 16)]
    pub prometheus_max_connections: u32,
    /// Longest a Prometheus client may take to send its request, in milliseconds.
    #[arg(long, default_value_t = 5_000)]
    pub prometheus_read_timeout_ms: u64,
    #[command(flatten)]
    pub network: crate::service::network::NetworkArgs,
    #[command(flatten)]
    pub validator: ValidatorArgs,
    /// Log filter, e.g. `info` or `folio::import=debug,info`.
    #[arg(long, short = 'l', default_value = "info")]
    pub log: String,
}

/// Who the node is and whether it authors (Substrate's flag names).
#[derive(Debug, Clone, Args)]
pub struct ValidatorArgs {
    /// Author blocks in the slots whose key the keystore holds (Aura chains).
    #[arg(long)]
    pub validator: bool,
    /// The node's name, as `system_name` and peers see it.
    #[arg(long)]
    pub name: Option<String>,
    /// `--name Alice --validator`, with //Alice's Aura key put in the keystore.
    #[arg(long)]
    pub alice: bool,
    /// `--name Bob --validator`, with //Bob's Aura key put in the keystore.
    #[arg(long)]
    pub bob: bool,
    /// `--name Charlie --validator`, with //Charlie's Aura key put in the keystore.
    #[arg(long)]
    pub charlie: bool,
    /// `--name Dave --validator`, with //Dave's Aura key put in the keystore.
    #[arg(long)]
    pub dave: bool,
    /// `--name Eve --validator`, with //Eve's Aura key put in the keystore.
    #[arg(long)]
    pub eve: bool,
    /// `--name Ferdie --validator`, with //Ferdie's Aura key put in the keystore.
    #[arg(long)]
    pub ferdie: bool,
}

impl ValidatorArgs {
    /// The dev account named by `--alice` … `--ferdie`, if one is.
    pub fn dev_key(&self) -> Option<&'static str> {
        [
            (self.alice, "Alice"),
            (self.bob, "Bob"),
            (self.charlie, "Charlie"),
            (self.dave, "Dave"),
            (self.eve, "Eve"),
            (self.ferdie, "Ferdie"),
        ]
        .into_iter()
        .find_map(|(set, name)| set.then_some(name))
    }

    /// Whether the node authors: `--validator` or a dev key flag.
    pub fn is_validator(&self) -> bool {
        self.validator || self.dev_key().is_some()
    }

    /// The node's name: `--name`, else the dev key's, else `folio-node`.
    pub fn node_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.dev_key().map(str::to_string))
            .unwrap_or_else(|| "folio-node".into())
    }
}
