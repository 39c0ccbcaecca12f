//! What dispatching a call reports: its weight before, its actual weight after, and errors
//! that name the pallet they come from.

use folio_primitives::dispatch::{DispatchError, ModuleError};
use folio_primitives::weight::{DispatchClass, Pays, Weight};
use parity_scale_codec::Encode;

/// What is known about a call before it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DispatchInfo {
    /// The most it may cost: what the fee is charged for up front.
    pub weight: Weight,
    pub class: DispatchClass,
    pub pays_fee: Pays,
}

/// What a call reports after running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PostDispatchInfo {
    /// The weight actually used, when less than declared (the difference is refunded).
    pub actual_weight: Option<Weight>,
    pub pays_fee: Pays,
}

impl PostDispatchInfo {
    /// The weight to account for, never above the declared weight.
    pub fn calc_actual_weight(&self, info: &DispatchInfo) -> Weight {
        self.actual_weight
            .map_or(info.weight, |actual| actual.min(info.weight))
    }
}

impl From<()> for PostDispatchInfo {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// A failed dispatch with what it used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DispatchErrorWithPostInfo {
    pub post_info: PostDispatchInfo,
    pub error: DispatchError,
}

impl From<DispatchError> for DispatchErrorWithPostInfo {
    fn from(error: DispatchError) -> Self {
        Self {
            post_info: PostDispatchInfo::default(),
            error,
        }
    }
}

impl From<folio_primitives::dispatch::ArithmeticError> for DispatchErrorWithPostInfo {
    fn from(error: folio_primitives::dispatch::ArithmeticError) -> Self {
        DispatchError::from(error).into()
    }
}

/// The result of dispatching a call.
pub type DispatchResultWithPostInfo = Result<PostDispatchInfo, DispatchErrorWithPostInfo>;

/// What every pallet `Call` tells the executive before dispatch.
pub trait CallWeight {
    fn dispatch_info(&self) -> DispatchInfo;
}

/// Turns a pallet's error into `DispatchError::Module { index, error }`: the error's SCALE
/// encoding (variant index first), padded or cut to 4 bytes as FRAME does.
pub fn module_error(pallet_index: u8, error: &impl Encode) -> DispatchError {
    let mut bytes = [0u8; 4];
    error.using_encoded(|encoded| {
        for (slot, byte) in bytes.iter_mut().zip(encoded) {
            *slot = *byte;
        }
    });
    DispatchError::Module(ModuleError {
        index: pallet_index,
        error: bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Encode)]
    enum Error {
        #[allow(dead_code)]
        First,
        Second,
    }

    #[test]
    fn module_error_carries_pallet_and_variant() {
        assert_eq!(
            module_error(6, &Error::Second),
            DispatchError::Module(ModuleError {
                index: 6,
                error: [1, 0, 0, 0]
            })
        );
    }

    #[test]
    fn actual_weight_never_exceeds_declared() {
        let info = DispatchInfo {
            weight: Weight::from_parts(10, 0),
            ..Default::default()
        };
        let post = PostDispatchInfo {
            actual_weight: Some(Weight::from_parts(50, 0)),
            ..Default::default()
        };
        assert_eq!(post.calc_actual_weight(&info), Weight::from_parts(10, 0));
        let post = PostDispatchInfo {
            actual_weight: Some(Weight::from_parts(4, 0)),
            ..Default::default()
        };
        assert_eq!(post.calc_actual_weight(&info), Weight::from_parts(4, 0));
    }
}
