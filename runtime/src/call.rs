//! Dispatching a [`RuntimeCall`] to its pallet.

use crate::{Runtime, RuntimeCall};
use folio_pallet_support::prelude::*;

impl RuntimeCall {
    /// Runs the call for `origin` in its pallet.
    pub fn dispatch(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::System(call) => call.dispatch::<Runtime>(origin),
            Self::Timestamp(call) => call.dispatch::<Runtime>(origin),
            Self::Grandpa(call) => call.dispatch::<Runtime>(origin),
            Self::Balances(call) => call.dispatch::<Runtime>(origin),
            Self::Sudo(call) => call.dispatch::<Runtime>(origin),
            Self::Governance(call) => call.dispatch::<Runtime>(origin),
            Self::Crowdfunding(call) => call.dispatch::<Runtime>(origin),
            Self::Invoices(call) => call.dispatch::<Runtime>(origin),
            Self::Bills(call) => call.dispatch::<Runtime>(origin),
        }
    }

    /// Whether the call may run while a failed migration holds the chain in safe mode:
    /// governance and runtime maintenance only.
    pub fn allowed_in_safe_mode(&self) -> bool {
        matches!(self, Self::System(_) | Self::Sudo(_) | Self::Governance(_))
    }

    /// Whether the call is an inherent: put in by the block author, unsigned, mandatory.
    pub fn is_inherent(&self) -> bool {
        matches!(
            self,
            Self::Timestamp(folio_pallet_timestamp::Call::set { .. })
        )
    }
}

impl CallWeight for RuntimeCall {
    fn dispatch_info(&self) -> DispatchInfo {
        match self {
            Self::System(call) => call.dispatch_info(),
            Self::Timestamp(call) => call.dispatch_info(),
            Self::Grandpa(call) => call.dispatch_info(),
            Self::Balances(call) => call.dispatch_info(),
            Self::Sudo(call) => call.dispatch_info(),
            Self::Governance(call) => call.dispatch_info(),
            Self::Crowdfunding(call) => call.dispatch_info(),
            Self::Invoices(call) => call.dispatch_info(),
            Self::Bills(call) => call.dispatch_info(),
        }
    }
}
