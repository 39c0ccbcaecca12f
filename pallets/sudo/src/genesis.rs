//! The sudo pallet's genesis: the key of a dev chain, or none.

use crate::{Config, Key};
use folio_pallet_support::prelude::*;

/// The sudo key (`"sudo": {"key": "5Grw…"}` in a chain spec, as FRAME's; `null` or absent for
/// a chain without sudo).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    #[serde(default)]
    pub key: Option<AccountId>,
}

impl GenesisConfig {
    /// Stores the key, if any. Nothing to check: any account may hold it.
    pub fn build<T: Config>(&self) {
        if let Some(key) = &self.key {
            Key::put(key);
        }
    }
}
