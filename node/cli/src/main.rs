//! `folio-node`: runs a Folio chain. `folio-node --dev` starts a development chain with
//! //Alice … //Ferdie funded, instant sealing and temporary storage; see `--help`.

// The same no-panic rules as the node's library crates: the binary handles operator input
// (flags, chain specs, files) and must answer bad input with an error, never a panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod benchmark;
mod cli;
mod metrics;
mod service;
mod specs;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    match &cli.command {
        Some(cli::Command::BuildSpec(args)) => specs::build_spec(args),
        Some(cli::Command::PurgeChain(args)) => service::purge_chain(args),
        Some(cli::Command::Benchmark(command)) => benchmark::run(command),
        None => service::run(cli.run),
    }
}
