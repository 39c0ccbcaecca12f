//! The bills pallet's genesis: no bills, but the runtime's limits are checked before the chain
//! starts, so a misconfigured runtime cannot produce a genesis.

use crate::{Config, NextBillId, SweepCursor};
use folio_pallet_support::storage::StorageValue;

/// The bills genesis (`"bills": {}` in a chain spec): a chain starts without bills.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {}

/// Why the runtime's bills configuration is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// `RANGE_UNIT` is zero.
    ZeroRangeUnit,
    /// A window or period (`MAX_TENOR`, `ACCEPTANCE_WINDOW`, `OFFER_WINDOW`,
    /// `PRESENTMENT_PERIOD`, `PAYMENT_WINDOW`, `RECOURSE_WINDOW`) is zero.
    ZeroWindow(&'static str),
    /// `MAX_RANGES` or `MAX_CHAIN` is zero.
    ZeroLimit(&'static str),
    /// `MAX_HISTORY` leaves no room for an offer, its answer and a closing entry beyond
    /// `HISTORY_RESERVE`.
    HistoryTooSmall,
}

impl GenesisConfig {
    /// Checks the runtime's constants, then starts with no bills.
    pub fn build<T: Config>(&self) -> Result<(), GenesisError> {
        if T::RANGE_UNIT == 0 {
            return Err(GenesisError::ZeroRangeUnit);
        }
        for (name, window) in [
            ("MaxTenor", T::MAX_TENOR),
            ("AcceptanceWindow", T::ACCEPTANCE_WINDOW),
            ("OfferWindow", T::OFFER_WINDOW),
            ("PresentmentPeriod", T::PRESENTMENT_PERIOD),
            ("PaymentWindow", T::PAYMENT_WINDOW),
            ("RecourseWindow", T::RECOURSE_WINDOW),
        ] {
            if window == 0 {
                return Err(GenesisError::ZeroWindow(name));
            }
        }
        for (name, limit) in [("MaxRanges", T::MAX_RANGES), ("MaxChain", T::MAX_CHAIN)] {
            if limit == 0 {
                return Err(GenesisError::ZeroLimit(name));
            }
        }
        // An issue, a request, an answer and a close must fit besides the reserve.
        if T::MAX_HISTORY < T::HISTORY_RESERVE.saturating_add(4) {
            return Err(GenesisError::HistoryTooSmall);
        }
        NextBillId::put(&0);
        SweepCursor::put(&0);
        Ok(())
    }
}
