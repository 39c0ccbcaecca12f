//! `folio-node benchmark …`: what DESIGN.md §9 says is measured, each figure printed beside the
//! floors measured by the same binary in the same run (the raw sr25519 verification rate and
//! native execution of the same blocks), as ratios to them. See docs/benchmarks.md.

mod pallet;
mod verify;

use crate::cli::BenchmarkCommand;

pub fn run(command: &BenchmarkCommand) -> anyhow::Result<()> {
    match command {
        BenchmarkCommand::Verify(args) => verify::run(args),
        BenchmarkCommand::Import(_) | BenchmarkCommand::Authoring(_) => {
            anyhow::bail!("not yet implemented")
        }
        BenchmarkCommand::EndToEnd(_) => anyhow::bail!("not yet implemented"),
        BenchmarkCommand::Pallet(args) => pallet::run(args),
    }
}
