//! The Aura pallet's genesis: the authorities and the slot duration.

use crate::{Authorities, Config, Public, SlotDurationMillis, MAX_AUTHORITIES, MIN_SLOT_DURATION};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// `"aura": {"authorities": ["5Grw…"], "slotDuration": 2000}` in a chain spec. Authorities are
/// written as SS58 addresses (as FRAME's); `slotDuration` is Folio's (see the crate docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisConfig {
    #[serde(default)]
    pub authorities: Vec<AccountId>,
    /// Milliseconds; absent or 0 means [`MIN_SLOT_DURATION`].
    #[serde(default)]
    pub slot_duration: Moment,
}

/// Why a genesis config is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenesisError {
    TooManyAuthorities,
    DuplicateAuthority,
}

impl GenesisConfig {
    /// Stores the authorities and the slot duration.
    ///
    /// # Errors
    /// More than [`MAX_AUTHORITIES`] authorities, or one listed twice (it would own two slots
    /// in every round).
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        if self.authorities.len() > MAX_AUTHORITIES as usize {
            return Err(GenesisError::TooManyAuthorities);
        }
        let mut keys: Vec<Public> = self.authorities.iter().map(|a| Public(a.0)).collect();
        let listed = keys.clone();
        keys.sort();
        keys.dedup();
        if keys.len() != listed.len() {
            return Err(GenesisError::DuplicateAuthority);
        }
        Authorities::put(&listed);
        SlotDurationMillis::put(&self.slot_duration.max(MIN_SLOT_DURATION));
        Ok(())
    }
}
