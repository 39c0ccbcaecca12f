//! The bill, its ranges and history: what the pallet stores and clients read.

use crate::Event;
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// A bill's number, assigned in order by the chain.
pub type BillId = u64;

/// An index of a unit of a bill (`RANGE_UNIT` of the currency each).
pub type Unit = u64;

/// An invoice cited as trade background: the e-invoice pallet's `InvoiceId` (chain-assigned,
/// never reused).
pub type InvoiceRef = u64;

/// Where a bill is before and after delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub enum BillState {
    /// Drawn, not yet accepted.
    #[codec(index = 0)]
    Issued,
    /// The acceptor is asked to accept by `deadline` (the bill is locked).
    #[codec(index = 1)]
    AcceptancePending { deadline: Moment },
    /// Accepted, not yet delivered to the payee.
    #[codec(index = 2)]
    Accepted,
    /// Delivered: its ranges say who holds what.
    #[codec(index = 3)]
    Delivered,
    /// Every range is paid or settled (terminal).
    #[codec(index = 4)]
    Closed,
    /// Withdrawn by the drawer before delivery (terminal).
    #[codec(index = 5)]
    Withdrawn,
}

/// A commercial bill.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct Bill {
    pub drawer: AccountId,
    pub acceptor: AccountId,
    pub payee: AccountId,
    /// A multiple of `RANGE_UNIT`.
    pub face: Balance,
    pub issued_at: Moment,
    pub issued_block: BlockNumber,
    pub maturity: Moment,
    /// Marked "not to order": it cannot be endorsed, discounted or pledged.
    pub non_transferable: bool,
    /// Whether ranges can be split (endorsing, discounting or pledging part of it).
    pub divisible: bool,
    /// Trade background (at most `MaxInvoices`).
    pub invoices: Vec<InvoiceRef>,
    pub state: BillState,
    /// What is held of the acceptor's margin for this bill (`BillMargin` hold).
    pub margin: Balance,
    /// What is held from the drawer for this bill (`BillDeposit` hold) until it is closed or
    /// withdrawn.
    pub deposit: Balance,
    /// Frozen by the court: nothing happens to it until unfrozen.
    pub frozen: bool,
    /// When the court froze it (meaningful while `frozen`).
    pub frozen_at: Moment,
    /// How long it has been frozen in all: its deadlines were pushed back by each frozen
    /// time, and its presentment period is this much longer.
    pub suspended: Moment,
    /// How many ranges it has (0 before delivery).
    pub ranges: u32,
}

impl Bill {
    /// Whether the bill is in a terminal state.
    pub fn is_terminal(&self) -> bool {
        matches!(self.state, BillState::Closed | BillState::Withdrawn)
    }
}

/// Where a range of a delivered bill is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub enum RangeState {
    /// Held, free to be endorsed, discounted, pledged or presented.
    #[codec(index = 0)]
    Held,
    /// Endorsed to `to`, awaiting its signature by `deadline`.
    #[codec(index = 1)]
    EndorsementPending { to: AccountId, deadline: Moment },
    /// Endorsed for collection to `agent`, awaiting its signature.
    #[codec(index = 2)]
    CollectionPending { agent: AccountId, deadline: Moment },
    /// Offered to `financier` for `price`, awaiting it to take it (and pay).
    #[codec(index = 3)]
    DiscountPending {
        financier: AccountId,
        price: Balance,
        deadline: Moment,
    },
    /// Offered in pledge to `pledgee` as security for `secured`, awaiting its signature.
    #[codec(index = 4)]
    PledgePending {
        pledgee: AccountId,
        secured: Balance,
        deadline: Moment,
    },
    /// Pledged to `pledgee` until it releases it; the pledgee may present it and collects up
    /// to the secured amount (the range's `pledge`).
    #[codec(index = 5)]
    Pledged { pledgee: AccountId },
    /// `agent` may present it for payment on the holder's behalf.
    #[codec(index = 6)]
    InCollection { agent: AccountId },
    /// Presented: the acceptor must pay or refuse by `deadline`.
    #[codec(index = 7)]
    PaymentPending { deadline: Moment },
    /// Paid by the acceptor (terminal).
    #[codec(index = 8)]
    Paid,
    /// Payment refused or not answered: the holder may claim recourse.
    #[codec(index = 9)]
    Dishonored,
    /// Recourse claimed from `against`, who must pay or refuse by `deadline`.
    #[codec(index = 10)]
    RecoursePending {
        against: AccountId,
        deadline: Moment,
    },
    /// The acceptor paid a recourse claim: nobody owes anything (terminal).
    #[codec(index = 11)]
    Settled,
    /// The limitation period ended with the range unpaid: no claim remains (terminal).
    #[codec(index = 12)]
    Lapsed,
}

impl RangeState {
    /// Paid, Settled and Lapsed never change again.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Paid | Self::Settled | Self::Lapsed)
    }

    /// Who must answer the pending offer or recourse claim (a presented range is answered
    /// by the bill's acceptor).
    pub fn counterparty(&self) -> Option<AccountId> {
        match *self {
            Self::EndorsementPending { to, .. } => Some(to),
            Self::CollectionPending { agent, .. } => Some(agent),
            Self::DiscountPending { financier, .. } => Some(financier),
            Self::PledgePending { pledgee, .. } => Some(pledgee),
            Self::RecoursePending { against, .. } => Some(against),
            _ => None,
        }
    }

    /// The deadline of the pending operation, if one is pending: a pending range is locked.
    pub fn deadline(&self) -> Option<Moment> {
        match *self {
            Self::EndorsementPending { deadline, .. }
            | Self::CollectionPending { deadline, .. }
            | Self::DiscountPending { deadline, .. }
            | Self::PledgePending { deadline, .. }
            | Self::PaymentPending { deadline }
            | Self::RecoursePending { deadline, .. } => Some(deadline),
            _ => None,
        }
    }

    /// The same state with its deadline (if any) pushed back by `by` (a freeze's length).
    pub fn postponed(self, by: Moment) -> Self {
        let later = |deadline: Moment| deadline.saturating_add(by);
        match self {
            Self::EndorsementPending { to, deadline } => Self::EndorsementPending {
                to,
                deadline: later(deadline),
            },
            Self::CollectionPending { agent, deadline } => Self::CollectionPending {
                agent,
                deadline: later(deadline),
            },
            Self::DiscountPending {
                financier,
                price,
                deadline,
            } => Self::DiscountPending {
                financier,
                price,
                deadline: later(deadline),
            },
            Self::PledgePending {
                pledgee,
                secured,
                deadline,
            } => Self::PledgePending {
                pledgee,
                secured,
                deadline: later(deadline),
            },
            Self::PaymentPending { deadline } => Self::PaymentPending {
                deadline: later(deadline),
            },
            Self::RecoursePending { against, deadline } => Self::RecoursePending {
                against,
                deadline: later(deadline),
            },
            other => other,
        }
    }

    /// Whether an operation is pending (the range is locked).
    pub fn is_pending(&self) -> bool {
        self.deadline().is_some()
    }
}

/// A range of units `[start, end)` of a delivered bill (`start` is its key).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct BillRange {
    /// One past the last unit.
    pub end: Unit,
    /// Its one holder.
    pub holder: AccountId,
    pub state: RangeState,
    /// The signers who transferred it by endorsement or discount, oldest first (at most
    /// `MaxChain`); recourse truncates it (later signers are discharged).
    pub endorsers: Vec<AccountId>,
    /// Presented after the presentment period: the endorsers are discharged, the drawer and
    /// the acceptor stay liable.
    pub late_presentment: bool,
    /// What an expired presentment or recourse claim took from the margin towards this range
    /// when the margin covered only part of it: later payments owe the rest.
    pub paid: Balance,
    /// The pledge on the range, from the pledgee's signature until it is released or the range
    /// is paid: payments to the holder go to the pledgee up to `secured` first.
    pub pledge: Option<Pledge>,
}

/// A pledge on a range: the pledgee and the amount the range secures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct Pledge {
    pub pledgee: AccountId,
    pub secured: Balance,
}

/// One step of a bill's life: what happened, in which block, at what time.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct HistoryEntry {
    pub block: BlockNumber,
    pub time: Moment,
    pub event: Event,
}

/// An acceptor's payment record: ranges paid on time, paid late (after the answer deadline,
/// from the margin after silence, or under recourse) and dishonoured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct CreditRecord {
    pub on_time: u32,
    pub late: u32,
    pub dishonored: u32,
}

/// Why a presented range was not paid, recorded with the dishonour (the refusal reasons of
/// the electronic commercial draft rules). The acceptor names one when it refuses payment;
/// the chain records `NoAnswer` when the payment window ends unanswered and the margin does
/// not cover the range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub enum DishonourReason {
    /// The acceptor's account cannot pay the amount.
    #[codec(index = 0)]
    InsufficientFunds,
    /// The acceptor disputes the underlying trade (goods or services not as agreed) with a
    /// holder it dealt with directly.
    #[codec(index = 1)]
    Disputed,
    /// The acceptor's account is frozen or under a stop-payment order.
    #[codec(index = 2)]
    AccountFrozen,
    /// The holder acquired the bill by fraud, theft or coercion, or knowing of a defence.
    #[codec(index = 3)]
    DefectiveTitle,
    /// Presented after the presentment period.
    #[codec(index = 4)]
    PresentedLate,
    /// Any other reason.
    #[codec(index = 5)]
    Other,
    /// The payment window ended unanswered (recorded by the chain at expiry, never named by
    /// the acceptor).
    #[codec(index = 6)]
    NoAnswer,
}
