//! Events of the bills pallet: one per step of a bill's life, each also stored (with block
//! number and time) in the bill's history.

use crate::{BillId, DishonourReason, Unit};
use folio_pallet_support::prelude::*;

/// What the bills pallet reports. Ranges are named by the bill and their first unit.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// A bill was drawn.
    #[codec(index = 0)]
    BillIssued {
        bill: BillId,
        drawer: AccountId,
        acceptor: AccountId,
        payee: AccountId,
        face: Balance,
        maturity: Moment,
    },
    /// The drawer asked the acceptor to accept by `deadline`.
    #[codec(index = 1)]
    AcceptanceRequested { bill: BillId, deadline: Moment },
    /// The acceptor accepted, holding `margin`.
    #[codec(index = 2)]
    BillAccepted {
        bill: BillId,
        acceptor: AccountId,
        margin: Balance,
    },
    /// The acceptor refused to accept; the bill is `Issued` again.
    #[codec(index = 3)]
    AcceptanceRefused { bill: BillId },
    /// The acceptor did not answer in time; the bill is `Issued` again.
    #[codec(index = 4)]
    AcceptanceExpired { bill: BillId },
    /// The drawer withdrew the bill before delivery; any margin was released.
    #[codec(index = 5)]
    BillWithdrawn {
        bill: BillId,
        margin_released: Balance,
    },
    /// The drawer delivered the accepted bill: the payee holds all of it.
    #[codec(index = 6)]
    BillDelivered {
        bill: BillId,
        payee: AccountId,
        units: Unit,
    },
    /// The holder endorsed `[start, end)` to `to`, pending its signature.
    #[codec(index = 7)]
    EndorsementOffered {
        bill: BillId,
        start: Unit,
        end: Unit,
        from: AccountId,
        to: AccountId,
    },
    /// The holder endorsed `[start, end)` for collection to `agent`, pending its signature.
    #[codec(index = 8)]
    CollectionOffered {
        bill: BillId,
        start: Unit,
        end: Unit,
        from: AccountId,
        agent: AccountId,
    },
    /// The holder offered `[start, end)` to `financier` for `price`.
    #[codec(index = 9)]
    DiscountOffered {
        bill: BillId,
        start: Unit,
        end: Unit,
        from: AccountId,
        financier: AccountId,
        price: Balance,
    },
    /// The holder offered `[start, end)` in pledge to `pledgee`.
    #[codec(index = 10)]
    PledgeOffered {
        bill: BillId,
        start: Unit,
        end: Unit,
        from: AccountId,
        pledgee: AccountId,
        secured: Balance,
    },
    /// The endorsee signed: it holds the range.
    #[codec(index = 11)]
    Endorsed {
        bill: BillId,
        start: Unit,
        from: AccountId,
        to: AccountId,
    },
    /// The collection agent signed: it may present the range for the holder.
    #[codec(index = 12)]
    CollectionMandated {
        bill: BillId,
        start: Unit,
        agent: AccountId,
    },
    /// The financier took the range and paid `price` to the former holder, in one step.
    #[codec(index = 13)]
    Discounted {
        bill: BillId,
        start: Unit,
        from: AccountId,
        financier: AccountId,
        price: Balance,
    },
    /// The pledgee signed: the range is pledged.
    #[codec(index = 14)]
    Pledged {
        bill: BillId,
        start: Unit,
        pledgee: AccountId,
    },
    /// The counterparty rejected the offer or recourse claim.
    #[codec(index = 15)]
    OfferRejected {
        bill: BillId,
        start: Unit,
        by: AccountId,
    },
    /// The holder revoked its offer or recourse claim.
    #[codec(index = 16)]
    OfferRevoked {
        bill: BillId,
        start: Unit,
        by: AccountId,
    },
    /// The offer or recourse claim was not answered by its deadline.
    #[codec(index = 17)]
    OfferExpired { bill: BillId, start: Unit },
    /// A pledge or collection mandate ended: the holder has the range free again.
    #[codec(index = 18)]
    Released {
        bill: BillId,
        start: Unit,
        by: AccountId,
    },
    /// The range was presented for payment; the acceptor must answer by `deadline`.
    #[codec(index = 19)]
    Presented {
        bill: BillId,
        start: Unit,
        by: AccountId,
        deadline: Moment,
        late: bool,
    },
    /// The acceptor paid the range to its holder (`from_margin` of it from the margin).
    #[codec(index = 20)]
    Paid {
        bill: BillId,
        start: Unit,
        acceptor: AccountId,
        to: AccountId,
        amount: Balance,
        from_margin: Balance,
        on_time: bool,
    },
    /// The acceptor refused payment: the range is dishonoured. Recorded by runtimes before
    /// dishonour reasons; now `PaymentDishonoured` is (kept so older histories decode).
    #[codec(index = 21)]
    PaymentRefused { bill: BillId, start: Unit },
    /// The acceptor did not answer in time and the margin did not cover it: dishonoured.
    #[codec(index = 22)]
    PaymentExpired { bill: BillId, start: Unit },
    /// The holder of a dishonoured range claimed recourse from `against`.
    #[codec(index = 23)]
    RecourseClaimed {
        bill: BillId,
        start: Unit,
        holder: AccountId,
        against: AccountId,
        deadline: Moment,
    },
    /// `payer` paid the recourse claim and took the range; `settled` when it was the acceptor.
    #[codec(index = 24)]
    RecoursePaid {
        bill: BillId,
        start: Unit,
        payer: AccountId,
        to: AccountId,
        amount: Balance,
        from_margin: Balance,
        settled: bool,
    },
    /// Every range is paid or settled; what was left of the margin went back to the acceptor.
    #[codec(index = 25)]
    BillClosed {
        bill: BillId,
        margin_released: Balance,
    },
    /// The court froze the bill.
    #[codec(index = 26)]
    BillFrozen { bill: BillId },
    /// The court unfroze the bill: its pending deadlines moved back by the frozen time.
    #[codec(index = 27)]
    BillUnfrozen { bill: BillId },
    /// An unanswered presentment or recourse claim expired with a margin that covered only
    /// part of the range: `amount` of the margin went to the holder, the rest is still owed.
    #[codec(index = 28)]
    MarginApplied {
        bill: BillId,
        start: Unit,
        to: AccountId,
        amount: Balance,
    },
    /// Of the payment just recorded for a pledged range, `amount` went to the pledgee (up to
    /// the secured amount); the holder received the rest.
    #[codec(index = 29)]
    PledgeeCollected {
        bill: BillId,
        start: Unit,
        pledgee: AccountId,
        amount: Balance,
    },
    /// The limitation period ended with the range unpaid: its claims lapsed.
    #[codec(index = 31)]
    RangeLapsed { bill: BillId, start: Unit },
    /// The bill reached maturity undelivered: it lapsed (withdrawn), its margin and what it
    /// counted against its invoices were released.
    #[codec(index = 30)]
    BillLapsed {
        bill: BillId,
        margin_released: Balance,
    },
    /// `guarantor` gave its aval for `for_party`'s obligation on every range of the bill: it
    /// is liable in recourse wherever `for_party` is.
    #[codec(index = 32)]
    Guaranteed {
        bill: BillId,
        guarantor: AccountId,
        for_party: AccountId,
    },
    /// The acceptor refused payment for `reason`: the range is dishonoured.
    #[codec(index = 33)]
    PaymentDishonoured {
        bill: BillId,
        start: Unit,
        reason: DishonourReason,
    },
    /// The drawer chose automatic presentment at issue: from maturity the chain presents
    /// every range that could be presented.
    #[codec(index = 34)]
    AutoPresentmentChosen { bill: BillId },
}

impl Event {
    /// The bill the step belongs to.
    pub fn bill(&self) -> BillId {
        match self {
            Self::BillIssued { bill, .. }
            | Self::AcceptanceRequested { bill, .. }
            | Self::BillAccepted { bill, .. }
            | Self::AcceptanceRefused { bill }
            | Self::AcceptanceExpired { bill }
            | Self::BillWithdrawn { bill, .. }
            | Self::BillDelivered { bill, .. }
            | Self::EndorsementOffered { bill, .. }
            | Self::CollectionOffered { bill, .. }
            | Self::DiscountOffered { bill, .. }
            | Self::PledgeOffered { bill, .. }
            | Self::Endorsed { bill, .. }
            | Self::CollectionMandated { bill, .. }
            | Self::Discounted { bill, .. }
            | Self::Pledged { bill, .. }
            | Self::OfferRejected { bill, .. }
            | Self::OfferRevoked { bill, .. }
            | Self::OfferExpired { bill, .. }
            | Self::Released { bill, .. }
            | Self::Presented { bill, .. }
            | Self::Paid { bill, .. }
            | Self::PaymentRefused { bill, .. }
            | Self::PaymentDishonoured { bill, .. }
            | Self::AutoPresentmentChosen { bill }
            | Self::PaymentExpired { bill, .. }
            | Self::RecourseClaimed { bill, .. }
            | Self::RecoursePaid { bill, .. }
            | Self::MarginApplied { bill, .. }
            | Self::PledgeeCollected { bill, .. }
            | Self::BillLapsed { bill, .. }
            | Self::RangeLapsed { bill, .. }
            | Self::BillClosed { bill, .. }
            | Self::BillFrozen { bill }
            | Self::BillUnfrozen { bill }
            | Self::Guaranteed { bill, .. } => *bill,
        }
    }
}
