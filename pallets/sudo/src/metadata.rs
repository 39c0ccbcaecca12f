//! What the sudo pallet tells clients: the `Sudo` entry, as FRAME's.

use crate::*;
use folio_pallet_support::metadata::PalletDescription;
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Sudo` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Sudo",
        index: <T as Config>::INDEX,
        storage: alloc::vec![Key::metadata()],
        calls: Some(meta_type::<Call<T::RuntimeCall>>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![],
        docs: alloc::vec![
            " Sudo for dev chains: one key dispatches any call as Root until it is removed.",
        ],
    }
}
