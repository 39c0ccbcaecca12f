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
    /// `RECOURSE_LIMITATION` does not outlast the presentment period and the payment and
    /// recourse windows.
    LimitationTooShort,
    /// `MAX_RANGES` is above what the weights of expiry and sweeps cover
    /// (`weights::RANGES_BOUND`).
    RangesAboveWeightBound,
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
        // The weights of expiry, sweeps and unfreezing are bounds for this many ranges.
        if T::MAX_RANGES > crate::weights::RANGES_BOUND {
            return Err(GenesisError::RangesAboveWeightBound);
        }
        // The limitation period must outlast presentment and the answer to it.
        let answered = T::PRESENTMENT_PERIOD
            .saturating_add(T::PAYMENT_WINDOW)
            .saturating_add(T::RECOURSE_WINDOW);
        if T::RECOURSE_LIMITATION <= answered {
            return Err(GenesisError::LimitationTooShort);
        }
        // An issue, a request and an offer must fit besides the reserve (answers, payment,
        // recourse and expiry need no room).
        if T::MAX_HISTORY < T::HISTORY_RESERVE.saturating_add(4) {
            return Err(GenesisError::HistoryTooSmall);
        }
        NextBillId::put(&0);
        SweepCursor::put(&0);
        Ok(())
    }
}
