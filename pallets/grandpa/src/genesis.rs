//! The GRANDPA pallet's genesis: the first authority set (set id 0).

use crate::{Authorities, AuthorityId, AuthorityWeight, Config, MAX_AUTHORITIES};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// `"grandpa": {"authorities": [["5FA9…", 1]]}` in a chain spec, as FRAME's: ed25519 keys
/// written as SS58 addresses, each with its weight.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisConfig {
    #[serde(default)]
    pub authorities: Vec<(AccountId, AuthorityWeight)>,
}

/// Why a genesis config is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenesisError {
    TooManyAuthorities,
    DuplicateAuthority,
    ZeroWeight,
}

impl GenesisConfig {
    /// Stores the authorities.
    ///
    /// # Errors
    /// More than [`MAX_AUTHORITIES`], one listed twice, or one with weight 0 (it could never
    /// count towards a supermajority yet would raise the threshold's denominator nowhere).
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        if self.authorities.len() > MAX_AUTHORITIES as usize {
            return Err(GenesisError::TooManyAuthorities);
        }
        if self.authorities.iter().any(|(_, weight)| *weight == 0) {
            return Err(GenesisError::ZeroWeight);
        }
        let mut keys: Vec<[u8; 32]> = self.authorities.iter().map(|(a, _)| a.0).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() != self.authorities.len() {
            return Err(GenesisError::DuplicateAuthority);
        }
        let list: Vec<(AuthorityId, AuthorityWeight)> = self
            .authorities
            .iter()
            .map(|(a, weight)| (AuthorityId(a.0), *weight))
            .collect();
        Authorities::put(&list);
        Ok(())
    }
}
