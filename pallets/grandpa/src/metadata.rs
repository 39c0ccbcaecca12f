//! What the GRANDPA pallet tells clients: the `Grandpa` entry, as FRAME's.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Grandpa` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Grandpa",
        index: <T as Config>::INDEX,
        storage: alloc::vec![
            PendingChange::metadata(),
            CurrentSetId::metadata(),
            Authorities::metadata(),
            PendingAuthors::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant(
                "MaxAuthorities",
                &MAX_AUTHORITIES,
                &[" Max Authorities in use"],
            ),
            constant(
                "SetChangeDelay",
                &T::SET_CHANGE_DELAY,
                &[" Folio: blocks between scheduling a validator change and enacting it."],
            ),
        ],
        docs: alloc::vec![
            " GRANDPA: the finality authorities, their set id and scheduled changes."
        ],
    }
}
