//! Inherent data: what the block author puts into a block from outside the chain (the time).

use alloc::{collections::BTreeMap, vec::Vec};
use parity_scale_codec::{Decode, Encode};

/// An inherent's identifier (8 bytes, as in Substrate).
pub type InherentIdentifier = [u8; 8];

/// The timestamp inherent's identifier; its value is the SCALE `u64` milliseconds.
pub const TIMESTAMP_INHERENT: InherentIdentifier = *b"timstap0";

/// Inherent values by identifier (Substrate's `InherentData`, same encoding).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_inherents"))]
pub struct InherentData {
    pub data: BTreeMap<InherentIdentifier, Vec<u8>>,
}

impl InherentData {
    pub fn put<T: Encode>(&mut self, id: InherentIdentifier, value: &T) {
        self.data.insert(id, value.encode());
    }
    pub fn get<T: Decode>(&self, id: &InherentIdentifier) -> Option<T> {
        self.data
            .get(id)
            .and_then(|raw| T::decode(&mut raw.as_slice()).ok())
    }
}
