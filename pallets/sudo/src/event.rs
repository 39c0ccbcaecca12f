//! Events of the sudo pallet (FRAME's `pallet_sudo` indices and field names).

use folio_pallet_support::prelude::*;

/// What the sudo pallet reports.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_sudo", "pallet_sudo"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// A sudo call just took place.
    #[codec(index = 0)]
    Sudid {
        /// The result of the call made by the sudo user.
        sudo_result: DispatchResult,
    },
    /// The sudo key has been updated.
    #[codec(index = 1)]
    KeyChanged {
        /// The old sudo key (if one was previously set).
        old: Option<AccountId>,
        /// The new sudo key.
        new: AccountId,
    },
    /// The key was permanently removed.
    #[codec(index = 2)]
    KeyRemoved,
    /// A `sudo_as` call just took place.
    #[codec(index = 3)]
    SudoAsDone {
        /// The result of the call made by the sudo user.
        sudo_result: DispatchResult,
    },
}
