//! What the bills pallet tells clients: its storage, calls, events, errors and constants.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Bills` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Bills",
        index: <T as Config>::INDEX,
        storage: alloc::vec![
            NextBillId::metadata(),
            Bills::metadata(),
            Ranges::metadata(),
            History::metadata(),
            HistoryLen::metadata(),
            Holdings::metadata(),
            Involved::metadata(),
            InvoiceUse::metadata(),
            AcceptorCredit::metadata(),
            SweepCursor::metadata(),
            Avals::metadata(),
            AvalCount::metadata(),
            PaidAsGuarantor::metadata(),
            AutoPresentment::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant("RangeUnit", &T::RANGE_UNIT, &[" The value of one unit of a bill's ranges (0.01 of the currency); face amounts are multiples."]),
            constant("MaxTenor", &T::MAX_TENOR, &[" The longest time from issue to maturity, in milliseconds."]),
            constant("AcceptanceWindow", &T::ACCEPTANCE_WINDOW, &[" How long the acceptor has to answer a request for acceptance, in milliseconds."]),
            constant("OfferWindow", &T::OFFER_WINDOW, &[" How long an endorsee, financier, pledgee or collection agent has to sign, in milliseconds."]),
            constant("PresentmentPeriod", &T::PRESENTMENT_PERIOD, &[" How long after maturity a bill may circulate and be presented with full recourse, in milliseconds."]),
            constant("PaymentWindow", &T::PAYMENT_WINDOW, &[" How long the acceptor has to pay or refuse a presented range, in milliseconds."]),
            constant("RecourseWindow", &T::RECOURSE_WINDOW, &[" How long a prior signer has to answer a recourse claim, in milliseconds."]),
            constant("RecourseLimitation", &T::RECOURSE_LIMITATION, &[" The limitation period from maturity, in milliseconds: after it nothing can be presented or claimed, unpaid ranges lapse and margins are released."]),
            constant("IssueDeposit", &T::ISSUE_DEPOSIT, &[" Held from the drawer for each bill until it is closed or withdrawn."]),
            constant("MaxRanges", &T::MAX_RANGES, &[" The most ranges a bill can be split into."]),
            constant("MaxChain", &T::MAX_CHAIN, &[" The most endorsers in a range's chain of signers."]),
            constant("MaxInvoices", &T::MAX_INVOICES, &[" The most invoices a bill may cite as trade background."]),
            constant("MaxHistory", &T::MAX_HISTORY, &[" The most history entries per bill before circulation steps (issue, requests, offers) are refused; settlement steps are always recorded."]),
            constant("HistoryReserve", &T::HISTORY_RESERVE, &[" History entries a circulation step must leave free below MaxHistory."]),
            constant("SweepPerBlock", &T::SWEEP_PER_BLOCK, &[" The most bills each block checks for expired pending operations."]),
        ],
        docs: alloc::vec![
            " Commercial bills: issue, two-phase acceptance and endorsement, discount and recourse",
            " as delivery-versus-payment, pledges, divisible unit ranges, payment and dishonour,",
            " with every step stamped with block number and time.",
        ],
    }
}
