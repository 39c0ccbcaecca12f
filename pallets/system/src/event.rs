//! Events of the System pallet, in FRAME's order: clients match on these names and fields.

use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;
use folio_primitives::weight::DispatchEventInfo;

/// What the System pallet reports.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// An extrinsic completed successfully.
    #[codec(index = 0)]
    ExtrinsicSuccess { dispatch_info: DispatchEventInfo },
    /// An extrinsic failed.
    #[codec(index = 1)]
    ExtrinsicFailed {
        dispatch_error: DispatchError,
        dispatch_info: DispatchEventInfo,
    },
    /// `:code` was updated.
    #[codec(index = 2)]
    CodeUpdated,
    /// A new account was created.
    #[codec(index = 3)]
    NewAccount { account: AccountId },
    /// An account was reaped.
    #[codec(index = 4)]
    KilledAccount { account: AccountId },
    /// On on-chain remark happened.
    #[codec(index = 5)]
    Remarked { sender: AccountId, hash: H256 },
    /// An upgrade was authorized.
    #[codec(index = 6)]
    UpgradeAuthorized {
        code_hash: H256,
        check_version: bool,
    },
    /// A migration failed in the first block under new code: the chain accepts only
    /// governance calls until governance exits safe mode.
    #[codec(index = 40)]
    SafeModeEntered { pallet_index: u8 },
    /// Governance ended safe mode.
    #[codec(index = 41)]
    SafeModeExited,
}
