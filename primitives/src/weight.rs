//! Weights: what a dispatch costs in execution time (picoseconds) and proof size (bytes).

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use scale_info::{build::Fields, Path, Type, TypeInfo};

/// Substrate's two-dimensional `Weight`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen,
)]
pub struct Weight {
    #[codec(compact)]
    pub ref_time: u64,
    #[codec(compact)]
    pub proof_size: u64,
}

impl TypeInfo for Weight {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("Weight", "sp_weights::weight_v2"))
            .composite(
                Fields::named()
                    .field(|f| f.compact::<u64>().name("ref_time").type_name("u64"))
                    .field(|f| f.compact::<u64>().name("proof_size").type_name("u64")),
            )
    }
}

/// One picosecond-based unit: a second of execution is 10^12.
pub const WEIGHT_REF_TIME_PER_SECOND: u64 = 1_000_000_000_000;
/// A nanosecond of execution.
pub const WEIGHT_REF_TIME_PER_NANOS: u64 = 1_000;

impl Weight {
    pub const fn zero() -> Self {
        Self {
            ref_time: 0,
            proof_size: 0,
        }
    }
    pub const fn from_parts(ref_time: u64, proof_size: u64) -> Self {
        Self {
            ref_time,
            proof_size,
        }
    }
    pub const fn saturating_add(self, other: Self) -> Self {
        Self {
            ref_time: self.ref_time.saturating_add(other.ref_time),
            proof_size: self.proof_size.saturating_add(other.proof_size),
        }
    }
    pub const fn saturating_sub(self, other: Self) -> Self {
        Self {
            ref_time: self.ref_time.saturating_sub(other.ref_time),
            proof_size: self.proof_size.saturating_sub(other.proof_size),
        }
    }
    pub fn checked_add(self, other: Self) -> Option<Self> {
        Some(Self {
            ref_time: self.ref_time.checked_add(other.ref_time)?,
            proof_size: self.proof_size.checked_add(other.proof_size)?,
        })
    }
    pub const fn saturating_mul(self, times: u64) -> Self {
        Self {
            ref_time: self.ref_time.saturating_mul(times),
            proof_size: self.proof_size.saturating_mul(times),
        }
    }
    /// The smaller of each component.
    pub fn min(self, other: Self) -> Self {
        Self {
            ref_time: self.ref_time.min(other.ref_time),
            proof_size: self.proof_size.min(other.proof_size),
        }
    }
    /// Whether any component exceeds `limit`'s.
    pub fn any_gt(self, limit: Self) -> bool {
        self.ref_time > limit.ref_time || self.proof_size > limit.proof_size
    }
}

/// A dispatch's class: normal transactions, operational ones, and mandatory inherents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "frame_support"))]
#[scale_info(replace_segment("weight", "dispatch"))]
pub enum DispatchClass {
    #[default]
    Normal,
    Operational,
    Mandatory,
}

/// Whether the sender pays a fee.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "frame_support"))]
#[scale_info(replace_segment("weight", "dispatch"))]
pub enum Pays {
    #[default]
    Yes,
    No,
}

/// What `System.ExtrinsicSuccess` / `ExtrinsicFailed` report about a dispatch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "frame_system"))]
#[scale_info(replace_segment("weight", "dispatch_info"))]
pub struct DispatchEventInfo {
    /// The weight actually used (after refunds).
    pub weight: Weight,
    pub class: DispatchClass,
    pub pays_fee: Pays,
}

/// What `TransactionPaymentApi_query_info` returns (`tx.paymentInfo()` in polkadot-js).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RuntimeDispatchInfo {
    pub weight: Weight,
    pub class: DispatchClass,
    /// The fee without tip, as the sender would pay it now.
    pub partial_fee: crate::Balance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_is_two_compacts() {
        assert_eq!(Weight::from_parts(0, 0).encode(), [0, 0]);
        assert_eq!(Weight::from_parts(1, 64).encode(), [0x04, 0x01, 0x01]);
    }

    #[test]
    fn dispatch_event_info_minimal_encoding() {
        // From SUBSTRATE-COMPAT §7.3: zero weight, Normal, pays Yes.
        assert_eq!(DispatchEventInfo::default().encode(), [0, 0, 0, 0]);
    }
}
