//! Events of the GRANDPA pallet (FRAME's `pallet_grandpa` indices and field names).

use crate::AuthorityList;
use folio_pallet_support::prelude::*;

/// What the GRANDPA pallet reports.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_grandpa", "pallet_grandpa"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// New authority set has been applied.
    #[codec(index = 0)]
    NewAuthorities { authority_set: AuthorityList },
}
