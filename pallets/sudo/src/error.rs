//! Errors of the sudo pallet (FRAME's `pallet_sudo` indices).

use folio_pallet_support::prelude::*;

/// Why a sudo call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_sudo", "pallet_sudo"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// Sender must be the Sudo account (or Root), and a sudo key must exist.
    #[codec(index = 0)]
    RequireSudo,
}
