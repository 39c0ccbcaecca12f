//! `folio-node benchmark pallet`: measures every dispatchable in wasm and writes weights.rs.

use crate::cli::PalletArgs;

pub fn run(_args: &PalletArgs) -> anyhow::Result<()> {
    anyhow::bail!("`benchmark pallet` is not implemented yet")
}
