//! What a pallet tells clients about itself, in one struct the runtime turns into metadata V14
//! and V15.

use alloc::vec::Vec;
use frame_metadata::v14::{
    PalletCallMetadata, PalletConstantMetadata, PalletErrorMetadata, PalletEventMetadata,
    PalletStorageMetadata, StorageEntryMetadata,
};
use parity_scale_codec::Encode;
use scale_info::{meta_type, MetaType, StaticTypeInfo};

/// A pallet's description: storage, call/event/error enums, constants and docs.
pub struct PalletDescription {
    pub name: &'static str,
    pub index: u8,
    pub storage: Vec<StorageEntryMetadata>,
    pub calls: Option<MetaType>,
    pub event: Option<MetaType>,
    pub error: Option<MetaType>,
    pub constants: Vec<PalletConstantMetadata>,
    pub docs: Vec<&'static str>,
}

impl PalletDescription {
    fn storage_metadata(&self) -> Option<PalletStorageMetadata> {
        (!self.storage.is_empty()).then(|| PalletStorageMetadata {
            prefix: self.name,
            entries: self.storage.clone(),
        })
    }

    pub fn v14(&self) -> frame_metadata::v14::PalletMetadata {
        frame_metadata::v14::PalletMetadata {
            name: self.name,
            storage: self.storage_metadata(),
            calls: self.calls.map(|ty| PalletCallMetadata { ty }),
            event: self.event.map(|ty| PalletEventMetadata { ty }),
            constants: self.constants.clone(),
            error: self.error.map(|ty| PalletErrorMetadata { ty }),
            index: self.index,
        }
    }

    pub fn v15(&self) -> frame_metadata::v15::PalletMetadata {
        frame_metadata::v15::PalletMetadata {
            name: self.name,
            storage: self.storage_metadata(),
            calls: self.calls.map(|ty| PalletCallMetadata { ty }),
            event: self.event.map(|ty| PalletEventMetadata { ty }),
            constants: self.constants.clone(),
            error: self.error.map(|ty| PalletErrorMetadata { ty }),
            index: self.index,
            docs: self.docs.clone(),
        }
    }
}

/// Describes a constant: its name, type, SCALE value and docs.
pub fn constant<T: Encode + StaticTypeInfo>(
    name: &'static str,
    value: &T,
    docs: &[&'static str],
) -> PalletConstantMetadata {
    PalletConstantMetadata {
        name,
        ty: meta_type::<T>(),
        value: value.encode(),
        docs: docs.to_vec(),
    }
}
