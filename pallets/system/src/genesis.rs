//! The System pallet's genesis state.

use crate::{
    BlockHash, Config, LastRuntimeUpgrade, LastRuntimeUpgradeInfo, ParentHash,
    GENESIS_BLOCK_HASH_PLACEHOLDER,
};
use folio_pallet_support::prelude::*;

/// System needs no configuration; building it writes FRAME's genesis values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenesisConfig;

impl GenesisConfig {
    /// Writes the genesis block-hash placeholder (replaced when block 1 starts) and records
    /// the genesis runtime as the last upgrade, so block 1 runs no migration.
    pub fn build<T: Config>(&self) {
        BlockHash::insert(&0, &GENESIS_BLOCK_HASH_PLACEHOLDER);
        ParentHash::put(&GENESIS_BLOCK_HASH_PLACEHOLDER);
        let version = T::runtime_version();
        LastRuntimeUpgrade::put(&LastRuntimeUpgradeInfo {
            spec_version: version.spec_version,
            spec_name: version.spec_name,
        });
    }
}
