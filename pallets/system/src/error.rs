//! Errors of the System pallet.

use folio_pallet_support::prelude::*;

/// Why a System call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// The name of specification does not match between the current runtime
    /// and the new runtime.
    #[codec(index = 0)]
    InvalidSpecName,
    /// The specification version is not allowed to decrease between the current runtime
    /// and the new runtime.
    #[codec(index = 1)]
    SpecVersionNeedsToIncrease,
    /// Failed to extract the runtime version from the new runtime.
    ///
    /// Either calling `Core_version` or decoding `RuntimeVersion` failed.
    #[codec(index = 2)]
    FailedToExtractRuntimeVersion,
    /// No upgrade authorized.
    #[codec(index = 7)]
    NothingAuthorized,
    /// The submitted code is not authorized.
    #[codec(index = 8)]
    Unauthorized,
    /// The chain is not in safe mode.
    #[codec(index = 40)]
    NotInSafeMode,
}
