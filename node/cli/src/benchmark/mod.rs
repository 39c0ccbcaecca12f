//! `folio-node benchmark …`: what DESIGN.md §9 says is measured, each figure printed beside the
//! floors measured by the same binary in the same run (the raw sr25519 verification rate and
//! native execution of the same blocks), as ratios to them. See docs/benchmarks.md.

mod attacks;
mod end_to_end;
mod load;
mod network;
mod node_process;
mod pallet;
mod rss;
mod throughput;
mod verify;

use crate::cli::BenchmarkCommand;

pub fn run(command: &BenchmarkCommand) -> anyhow::Result<()> {
    match command {
        BenchmarkCommand::Verify(args) => verify::run(args),
        BenchmarkCommand::Import(args) => throughput::run(throughput::Measure::Import, args),
        BenchmarkCommand::Authoring(args) => throughput::run(throughput::Measure::Authoring, args),
        BenchmarkCommand::EndToEnd(args) => end_to_end::run(args),
        BenchmarkCommand::Pallet(args) => pallet::run(args),
        BenchmarkCommand::Attacks(args) => attacks::run(args),
        BenchmarkCommand::Network(args) => network::run(args),
    }
}
