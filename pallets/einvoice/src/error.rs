//! Errors of the e-invoice pallet.

use folio_pallet_support::prelude::*;

/// Why an e-invoice operation failed. Each variant says when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("error", "pallet"))]
pub enum Error {
    // ---- registry and quotas ----
    /// The account is already a registered issuer.
    #[codec(index = 0)]
    IssuerAlreadyRegistered,
    /// Another issuer is registered with this tax id.
    #[codec(index = 1)]
    TaxIdTaken,
    /// The account is not a registered issuer.
    #[codec(index = 2)]
    NotAnIssuer,
    /// A registration lists no series, more than `MaxSeries`, or one twice.
    #[codec(index = 3)]
    InvalidSeries,
    /// The issuer has no such series.
    #[codec(index = 4)]
    UnknownSeries,
    /// Issuing would take the period's `issued − credited` above its quota.
    #[codec(index = 5)]
    QuotaExceeded,
    /// The new quota is below what the period has already used.
    #[codec(index = 6)]
    QuotaBelowUsage,
    /// The tax period is closed.
    #[codec(index = 7)]
    PeriodClosed,
    /// The tax period has not ended yet.
    #[codec(index = 8)]
    PeriodNotOver,
    /// The series has used every sequence number.
    #[codec(index = 9)]
    SequenceExhausted,

    // ---- invoice content ----
    /// The invoice has no lines.
    #[codec(index = 10)]
    NoLines,
    /// More than `MaxLines` lines (or breakdown entries).
    #[codec(index = 11)]
    TooManyLines,
    /// A line's quantity is zero.
    #[codec(index = 12)]
    ZeroQuantity,
    /// A line's rate is not allowed in its category (standard needs 0 < rate ≤ 100 %, the
    /// others 0).
    #[codec(index = 13)]
    InvalidTaxRate,
    /// A line's net is not `quantity × unit_price ÷ 1000` rounded half-up.
    #[codec(index = 14)]
    LineNetMismatch,
    /// The VAT breakdown is not exactly one correct entry per (category, rate) of the lines.
    #[codec(index = 15)]
    TaxBreakdownMismatch,
    /// The totals are not the sums of the lines and the breakdown.
    #[codec(index = 16)]
    TotalsMismatch,
    /// The gross total is zero.
    #[codec(index = 17)]
    ZeroTotal,
    /// The amounts do not fit in a `u128`.
    #[codec(index = 18)]
    AmountOverflow,
    /// The currency is not the chain's (`CurrencyCode`): payments move the native currency.
    #[codec(index = 19)]
    UnsupportedCurrency,
    /// Seller and buyer are the same account.
    #[codec(index = 20)]
    BuyerIsSeller,
    /// Only commercial and prepayment invoices can be issued; credit notes come from
    /// `request_credit`.
    #[codec(index = 21)]
    InvalidInvoiceType,
    /// The due date is before the issue time, or the payment terms run past `MaxPaymentDays`.
    #[codec(index = 22)]
    InvalidPaymentTerms,

    // ---- lifecycle ----
    /// No invoice with this id.
    #[codec(index = 23)]
    UnknownInvoice,
    /// The caller is not the party this call belongs to (buyer, seller, financier, locker).
    #[codec(index = 24)]
    NotAllowed,
    /// The invoice's status does not allow this call.
    #[codec(index = 25)]
    InvalidStatus,
    /// The call does not apply to a credit note.
    #[codec(index = 26)]
    IsCreditNote,
    /// A payment of zero.
    #[codec(index = 27)]
    ZeroAmount,
    /// The amount is above what is still owed (or reimbursable).
    #[codec(index = 28)]
    ExceedsOutstanding,
    /// The payer would pay itself (it is the seller or the financier receiving the payment).
    #[codec(index = 29)]
    PayerIsPayee,
    /// The invoice is disputed: acknowledge it first.
    #[codec(index = 30)]
    Disputed,
    /// No draft with this id.
    #[codec(index = 31)]
    UnknownDraft,
    /// The seller has `MaxOpenDrafts` drafts already.
    #[codec(index = 32)]
    TooManyDrafts,

    // ---- credit notes ----
    /// A credit request is already pending for this invoice.
    #[codec(index = 33)]
    CreditRequestPending,
    /// No credit request is pending for this invoice.
    #[codec(index = 34)]
    NoCreditRequest,
    /// The credit note names a (category, rate) the invoice does not have.
    #[codec(index = 35)]
    CreditCategoryMismatch,
    /// The caller has already confirmed, or does not need to.
    #[codec(index = 36)]
    NothingToConfirm,

    // ---- reimbursement ----
    /// The organisation has already authorised this agent.
    #[codec(index = 37)]
    AlreadyAuthorised,
    /// The organisation has not authorised this agent.
    #[codec(index = 38)]
    NotAuthorised,
    /// The invoice is locked for reimbursement.
    #[codec(index = 39)]
    Locked,
    /// The invoice is not locked for reimbursement.
    #[codec(index = 40)]
    NotLocked,
    /// The invoice has been reimbursed already: it never can be again.
    #[codec(index = 41)]
    AlreadyReimbursed,

    // ---- financing ----
    /// The invoice already has an active lien.
    #[codec(index = 42)]
    LienExists,
    /// The invoice has no lien in the state this call needs.
    #[codec(index = 43)]
    NoLien,
    /// The financier is the seller or the buyer.
    #[codec(index = 44)]
    InvalidFinancier,
    /// The invoice is not yet due.
    #[codec(index = 45)]
    NotDue,

    // ---- added later (indices continue) ----
    /// The credit notes would reverse more taxable amount or tax in a (category, rate) than
    /// the invoice charged there, counting every earlier credit note.
    #[codec(index = 46)]
    CreditExceedsCharged,
    /// Bills and liens together would finance more than the invoice's net, or a credit note
    /// would lower the net below what they finance.
    #[codec(index = 47)]
    ReceivableFinanced,
    /// This financier has no standing offer on the invoice.
    #[codec(index = 48)]
    NoOffer,
    /// A reimbursement may not exceed what was paid on the invoice.
    #[codec(index = 49)]
    ExceedsPaid,
    /// A line's (category, rate) is not in the tax authority's allowed-rates table.
    #[codec(index = 50)]
    RateNotAllowed,
    /// The allowed-rates table is too long, repeats a pair, or holds a rate its category
    /// does not accept.
    #[codec(index = 51)]
    InvalidRatesTable,
    /// The issuer is suspended by the tax authority.
    #[codec(index = 52)]
    IssuerSuspended,
    /// The issuer is not suspended.
    #[codec(index = 53)]
    NotSuspended,
    /// No declaration was filed for this period (or it states another document hash).
    #[codec(index = 54)]
    NotFiled,
    /// A declaration was already filed for this period.
    #[codec(index = 55)]
    AlreadyFiled,
    /// The buyer has already deducted this invoice's input tax: it is deducted once.
    #[codec(index = 56)]
    InputTaxAlreadyClaimed,
    /// No input tax to deduct: the invoice charges none after its credit notes, or the buyer
    /// has not accepted it (acknowledged or paid part of it) yet.
    #[codec(index = 57)]
    NothingToClaim,
    /// Only an invoice nothing happened to yet (not acknowledged, paid, credited, locked,
    /// financed, cited or claimed, no credit request) can be voided.
    #[codec(index = 58)]
    NotVoidable,
    /// The invoice's tax period is over: only a credit note corrects it now.
    #[codec(index = 59)]
    VoidPeriodOver,
    /// A breakdown entry of an exempt category (E, AE, K, G, O) has no exemption reason
    /// (EN 16931 BR-E-10 and its siblings).
    #[codec(index = 60)]
    MissingExemptionReason,
    /// An exemption reason on a standard or zero-rated entry, or a code that is not a VATEX
    /// code of its category (AE: VATEX-EU-AE, K: VATEX-EU-IC, G: VATEX-EU-G, O: VATEX-EU-O).
    #[codec(index = 61)]
    InvalidExemptionReason,
}
