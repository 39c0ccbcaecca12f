//! The System pallet's calls.

use crate::{
    weights, AuthorizedUpgrade, CodeUpgradeAuthorization, Config, Error, Event, Pallet, SafeMode,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// Dispatchable calls of the System pallet (FRAME's indices).
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Make some on-chain remark.
    ///
    /// Origin: signed or Root. Emits nothing; the remark stays in the block body.
    #[codec(index = 0)]
    remark { remark: Vec<u8> },
    /// Set the new runtime code.
    ///
    /// Origin: Root. The candidate must have the same `spec_name` and a higher `spec_version`
    /// (errors `InvalidSpecName`, `SpecVersionNeedsToIncrease`,
    /// `FailedToExtractRuntimeVersion`). Emits `CodeUpdated`; the new code runs from the
    /// next block.
    #[codec(index = 2)]
    set_code { code: Vec<u8> },
    /// Make some on-chain remark and emit an event.
    ///
    /// Origin: signed. Emits `Remarked` with the blake2-256 hash of the remark.
    #[codec(index = 7)]
    remark_with_event { remark: Vec<u8> },
    /// Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
    /// later by anyone with `apply_authorized_upgrade`.
    ///
    /// Origin: Root (governance). Emits `UpgradeAuthorized`. The candidate's version is checked
    /// when it is applied.
    #[codec(index = 9)]
    authorize_upgrade { code_hash: H256 },
    /// Provide the preimage (runtime binary) `code` for an upgrade that has been authorized.
    ///
    /// Origin: anyone (signed). Fails with `NothingAuthorized` without an authorization,
    /// `Unauthorized` when the hash differs, and as `set_code` when the version is not a newer
    /// version of this runtime. Emits `CodeUpdated`; free when it succeeds.
    #[codec(index = 11)]
    apply_authorized_upgrade { code: Vec<u8> },
    /// Leave safe mode after a failed migration was dealt with. Origin: Root (governance).
    /// Fails with `NotInSafeMode`. Emits `SafeModeExited`.
    #[codec(index = 40)]
    exit_safe_mode,
}

fn len_of(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

/// A runtime upgrade's measured weight, raised to [`weights::CODE_UPGRADE_FLOOR`].
fn at_least_upgrade_floor(measured: Weight) -> Weight {
    let floor = weights::CODE_UPGRADE_FLOOR;
    Weight::from_parts(
        measured.ref_time.max(floor.ref_time),
        measured.proof_size.max(floor.proof_size),
    )
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        match self {
            Self::remark { remark } => DispatchInfo {
                weight: weights::remark(len_of(remark)),
                ..Default::default()
            },
            // A new runtime takes most of the block: little else competes with it.
            Self::set_code { .. } => DispatchInfo {
                weight: at_least_upgrade_floor(weights::set_code()),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
            Self::remark_with_event { remark } => DispatchInfo {
                weight: weights::remark_with_event(len_of(remark)),
                ..Default::default()
            },
            Self::authorize_upgrade { .. } => DispatchInfo {
                weight: weights::authorize_upgrade(),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
            // Checking and storing a new runtime takes the block, as set_code does.
            Self::apply_authorized_upgrade { .. } => DispatchInfo {
                weight: at_least_upgrade_floor(weights::apply_authorized_upgrade()),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
            Self::exit_safe_mode => DispatchInfo {
                weight: weights::exit_safe_mode(),
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
            Self::remark { remark } => Pallet::<T>::remark(origin, &remark),
            Self::set_code { code } => Pallet::<T>::set_code(origin, &code),
            Self::remark_with_event { remark } => Pallet::<T>::remark_with_event(origin, &remark),
            Self::authorize_upgrade { code_hash } => {
                Pallet::<T>::authorize_upgrade(origin, code_hash)
            }
            Self::apply_authorized_upgrade { code } => {
                Pallet::<T>::apply_authorized_upgrade(origin, &code)
            }
            Self::exit_safe_mode => Pallet::<T>::exit_safe_mode(origin),
        }
    }
}

impl<T: Config> Pallet<T> {
    fn remark(origin: Origin, _remark: &[u8]) -> DispatchResultWithPostInfo {
        if !matches!(origin, Origin::Signed(_) | Origin::Root) {
            return Err(DispatchError::BadOrigin.into());
        }
        Ok(().into())
    }

    fn set_code(origin: Origin, code: &[u8]) -> DispatchResultWithPostInfo {
        ensure_root(&origin)?;
        Self::can_set_code(code)?;
        Self::update_code(code);
        Ok(().into())
    }

    fn authorize_upgrade(origin: Origin, code_hash: H256) -> DispatchResultWithPostInfo {
        ensure_root(&origin)?;
        AuthorizedUpgrade::put(&CodeUpgradeAuthorization {
            code_hash,
            check_version: true,
        });
        Self::deposit_event(Event::UpgradeAuthorized {
            code_hash,
            check_version: true,
        });
        Ok(().into())
    }

    fn apply_authorized_upgrade(origin: Origin, code: &[u8]) -> DispatchResultWithPostInfo {
        ensure_signed(&origin)?;
        let authorization =
            AuthorizedUpgrade::get().ok_or_else(|| Self::error(Error::NothingAuthorized))?;
        if H256(folio_primitives::io::blake2_256(code)) != authorization.code_hash {
            return Err(Self::error(Error::Unauthorized).into());
        }
        if authorization.check_version {
            Self::can_set_code(code)?;
        }
        AuthorizedUpgrade::kill();
        Self::update_code(code);
        // Supplying an authorized runtime is a service to the chain: it is free.
        Ok(PostDispatchInfo {
            actual_weight: None,
            pays_fee: Pays::No,
        })
    }

    fn exit_safe_mode(origin: Origin) -> DispatchResultWithPostInfo {
        ensure_root(&origin)?;
        if !SafeMode::get() {
            return Err(Self::error(Error::NotInSafeMode).into());
        }
        SafeMode::kill();
        Self::deposit_event(Event::SafeModeExited);
        Ok(().into())
    }

    fn remark_with_event(origin: Origin, remark: &[u8]) -> DispatchResultWithPostInfo {
        let sender = ensure_signed(&origin)?;
        let hash = H256(folio_primitives::io::blake2_256(remark));
        Self::deposit_event(Event::Remarked { sender, hash });
        Ok(().into())
    }
}
