//! The calls of the GRANDPA pallet. FRAME's equivocation reports (indices 0–2) are not
//! implemented; Folio's `set_validators` takes index 3 so theirs stay free.

use crate::{AuthorityId, Config, Error, Pallet, MAX_AUTHORITIES};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_pallet_support::weights::reads_writes;

/// Dispatchable calls of the GRANDPA pallet.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_grandpa", "pallet_grandpa"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Replaces the validators: each one's block-authoring (Aura, sr25519) key and finality
    /// (GRANDPA, ed25519) key, every finality key with weight 1.
    ///
    /// Origin: Root (sudo, or governance enacting a motion or referendum). The change is
    /// scheduled in this block (the set id goes up, a `FRNK` digest announces it) and enacted
    /// `SET_CHANGE_DELAY` blocks later (`NewAuthorities`). Errors: `ChangePending`,
    /// `NoValidators`, `TooManyValidators`, `DuplicateValidator`.
    #[codec(index = 3)]
    set_validators {
        validators: Vec<([u8; 32], [u8; 32])>,
    },
}

/// The weight of `set_validators`: reads the pending change, writes it, the authors, the set id.
fn set_validators_weight(validators: usize) -> Weight {
    let per_validator = u64::try_from(validators)
        .unwrap_or(u64::MAX)
        .saturating_mul(200_000);
    Weight::from_parts(10_000_000u64.saturating_add(per_validator), 0)
        .saturating_add(reads_writes(2, 3))
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        match self {
            Self::set_validators { validators } => DispatchInfo {
                weight: set_validators_weight(validators.len()),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
        }
    }
}

impl Call {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::set_validators { validators } => {
                Pallet::<T>::set_validators(origin, validators)?;
                Ok(PostDispatchInfo::default())
            }
        }
    }
}

/// Whether two entries share a key (a validator listed twice would count twice).
fn has_duplicates(mut keys: Vec<[u8; 32]>) -> bool {
    let listed = keys.len();
    keys.sort_unstable();
    keys.dedup();
    keys.len() != listed
}

impl<T: Config> Pallet<T> {
    fn set_validators(origin: Origin, validators: Vec<([u8; 32], [u8; 32])>) -> DispatchResult {
        ensure_root(&origin)?;
        if validators.is_empty() {
            return Err(Self::error(Error::NoValidators));
        }
        if validators.len() > MAX_AUTHORITIES as usize {
            return Err(Self::error(Error::TooManyValidators));
        }
        let authors: Vec<[u8; 32]> = validators.iter().map(|(aura, _)| *aura).collect();
        let finality: Vec<[u8; 32]> = validators.iter().map(|(_, gran)| *gran).collect();
        if has_duplicates(authors.clone()) || has_duplicates(finality.clone()) {
            return Err(Self::error(Error::DuplicateValidator));
        }
        let next = finality.into_iter().map(|k| (AuthorityId(k), 1)).collect();
        Self::schedule_change(next, authors)
    }
}
