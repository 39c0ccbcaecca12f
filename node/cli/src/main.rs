//! `folio-node`: runs a Folio chain. `folio-node --dev` starts a development chain with
//! //Alice … //Ferdie funded, instant sealing and temporary storage; see `--help`.

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
