//! Errors of the bills pallet.

use folio_pallet_support::prelude::*;

/// Why a bills operation failed. Each variant says when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    /// No bill has this id.
    #[codec(index = 0)]
    UnknownBill,
    /// The bill has no range starting at this unit.
    #[codec(index = 1)]
    UnknownRange,
    /// Only the drawer may do this.
    #[codec(index = 2)]
    NotDrawer,
    /// Only the acceptor may do this.
    #[codec(index = 3)]
    NotAcceptor,
    /// Only the holder of the range (or its collection agent, to present) may do this.
    #[codec(index = 4)]
    NotHolder,
    /// Only the counterparty named in the pending operation may answer it.
    #[codec(index = 5)]
    NotCounterparty,
    /// The face amount is zero or not a multiple of the range unit.
    #[codec(index = 6)]
    InvalidFace,
    /// The maturity is not after now.
    #[codec(index = 7)]
    MaturityInPast,
    /// The maturity is more than the maximum tenor after now.
    #[codec(index = 8)]
    TenorTooLong,
    /// More invoices than `MaxInvoices`.
    #[codec(index = 9)]
    TooManyInvoices,
    /// The same invoice is cited twice.
    #[codec(index = 10)]
    DuplicateInvoice,
    /// The bills citing an invoice would add up to more than its net amount.
    #[codec(index = 11)]
    InvoiceNetExceeded,
    /// The bill or range is not in a state that allows this.
    #[codec(index = 12)]
    WrongState,
    /// A pending operation locks the bill or range.
    #[codec(index = 13)]
    Locked,
    /// The pending operation's deadline has passed.
    #[codec(index = 14)]
    DeadlinePassed,
    /// Nothing pending on the bill has passed its deadline.
    #[codec(index = 15)]
    NothingExpired,
    /// The margin is larger than the face amount.
    #[codec(index = 16)]
    MarginExceedsFace,
    /// The bill is marked non-transferable.
    #[codec(index = 17)]
    NonTransferable,
    /// The presentment period is over: the bill can no longer circulate.
    #[codec(index = 18)]
    PresentmentPeriodOver,
    /// The bill is not mature yet.
    #[codec(index = 19)]
    NotMature,
    /// The bill is not divisible: only whole ranges can be handled.
    #[codec(index = 20)]
    NotDivisible,
    /// The units are empty or do not lie within one range.
    #[codec(index = 21)]
    InvalidRange,
    /// The bill would have more than `MaxRanges` ranges.
    #[codec(index = 22)]
    TooManyRanges,
    /// The range's chain of endorsers is full (`MaxChain`).
    #[codec(index = 23)]
    ChainTooLong,
    /// The bill's history is full (`MaxHistory`, with `HistoryReserve` kept for answers).
    #[codec(index = 24)]
    HistoryFull,
    /// The bill is frozen by the court.
    #[codec(index = 25)]
    Frozen,
    /// The bill is not frozen.
    #[codec(index = 26)]
    NotFrozen,
    /// The account is not a prior signer liable to the holder (or already discharged).
    #[codec(index = 27)]
    NotLiable,
    /// The price does not match the offer.
    #[codec(index = 28)]
    PriceMismatch,
    /// The discount price is zero or above the range's amount.
    #[codec(index = 29)]
    InvalidPrice,
    /// The counterparty is the holder itself.
    #[codec(index = 30)]
    SelfTransfer,
    /// A cited invoice does not exist.
    #[codec(index = 31)]
    UnknownInvoice,
    /// A cited invoice is a credit note: it is no receivable.
    #[codec(index = 32)]
    CreditNoteCited,
    /// A cited invoice is not between the bill's parties (seller the drawer or payee, buyer
    /// the drawer or acceptor).
    #[codec(index = 33)]
    InvoiceNotBetweenParties,
    /// The acceptor would pay itself: a bill payable to its own acceptor moves no money.
    #[codec(index = 34)]
    SelfDealing,
    /// The secured amount of a pledge is zero or above the range's amount.
    #[codec(index = 35)]
    InvalidSecuredAmount,
    /// The limitation period is over: no presentment or recourse claim any more.
    #[codec(index = 36)]
    RecourseLapsed,
    /// The party named for an aval is not liable on the bill (not its acceptor, drawer or
    /// an endorser), or is the guarantor itself.
    #[codec(index = 37)]
    NotASigner,
    /// The account already guarantees an obligation on this bill.
    #[codec(index = 38)]
    AlreadyGuarantor,
    /// The bill has `MaxChain` avals already.
    #[codec(index = 39)]
    TooManyAvals,
}
