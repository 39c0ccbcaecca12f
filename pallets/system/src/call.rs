//! The System pallet's calls.

use crate::{weights, Config, Event, Pallet};
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
}

fn len_of(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        match self {
            Self::remark { remark } => DispatchInfo {
                weight: weights::remark(len_of(remark)),
                ..Default::default()
            },
            // A new runtime takes the whole block: nothing else competes with it.
            Self::set_code { .. } => DispatchInfo {
                weight: Weight::from_parts(2_000_000_000_000, 0),
                class: DispatchClass::Operational,
                pays_fee: Pays::Yes,
            },
            Self::remark_with_event { remark } => DispatchInfo {
                weight: weights::remark_with_event(len_of(remark)),
                ..Default::default()
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

    fn remark_with_event(origin: Origin, remark: &[u8]) -> DispatchResultWithPostInfo {
        let sender = ensure_signed(&origin)?;
        let hash = H256(folio_primitives::io::blake2_256(remark));
        Self::deposit_event(Event::Remarked { sender, hash });
        Ok(().into())
    }
}
