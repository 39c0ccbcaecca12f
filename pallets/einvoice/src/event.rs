//! Events of the e-invoice pallet.

use crate::types::{
    DraftId, InvoiceId, InvoiceStatus, PeriodIndex, PeriodTax, ReasonCode, SeriesCode, TaxCategory,
    TaxId,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// What the e-invoice pallet reports: every change of an invoice, a lien, a lock, a draft, a
/// quota or a period. Money moves also show as the currency pallet's `Transfer` events.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("event", "pallet"))]
pub enum Event {
    /// The tax authority registered an issuer.
    #[codec(index = 0)]
    IssuerRegistered { issuer: AccountId, tax_id: TaxId },
    /// The tax authority set a quota: for one period, or (`period: None`) the default for
    /// periods not yet begun.
    #[codec(index = 1)]
    QuotaSet {
        issuer: AccountId,
        period: Option<PeriodIndex>,
        quota: Balance,
    },
    /// An invoice was issued and numbered.
    #[codec(index = 2)]
    InvoiceIssued {
        id: InvoiceId,
        issuer: AccountId,
        series: SeriesCode,
        sequence: u32,
        buyer: AccountId,
        gross_total: Balance,
    },
    /// The buyer acknowledged the invoice.
    #[codec(index = 3)]
    InvoiceAcknowledged { id: InvoiceId },
    /// The buyer disputed the invoice.
    #[codec(index = 4)]
    InvoiceDisputed { id: InvoiceId, reason: ReasonCode },
    /// A payment was made; `to_financier` went to the lien holder, `to_seller` to the seller.
    #[codec(index = 5)]
    InvoicePaid {
        id: InvoiceId,
        payer: AccountId,
        amount: Balance,
        to_seller: Balance,
        to_financier: Balance,
        status: InvoiceStatus,
    },
    /// A seller prepared an invoice for "pay and issue".
    #[codec(index = 6)]
    DraftPrepared {
        draft: DraftId,
        seller: AccountId,
        buyer: AccountId,
        gross_total: Balance,
    },
    /// A draft was cancelled by its seller or consumed by "pay and issue".
    #[codec(index = 7)]
    DraftRemoved { draft: DraftId },
    /// A credit note was requested.
    #[codec(index = 8)]
    CreditRequested {
        id: InvoiceId,
        requester: AccountId,
        gross: Balance,
        reason: ReasonCode,
    },
    /// A counterparty confirmed or a financier consented to a pending credit request.
    #[codec(index = 9)]
    CreditConfirmed { id: InvoiceId, by: AccountId },
    /// A pending credit request was withdrawn or refused.
    #[codec(index = 10)]
    CreditRequestWithdrawn { id: InvoiceId, by: AccountId },
    /// A credit note was issued (its own invoice `credit_note`), reducing `original`.
    #[codec(index = 11)]
    CreditNoteIssued {
        credit_note: InvoiceId,
        original: InvoiceId,
        sequence: u32,
        gross: Balance,
        reason: ReasonCode,
        status: InvoiceStatus,
    },
    /// An organisation authorised an agent to lock and reimburse its invoices.
    #[codec(index = 12)]
    ReimburserAuthorised {
        organisation: AccountId,
        agent: AccountId,
    },
    /// An organisation revoked an agent.
    #[codec(index = 13)]
    ReimburserRevoked {
        organisation: AccountId,
        agent: AccountId,
    },
    /// The invoice was locked for reimbursement of `claimant`.
    #[codec(index = 14)]
    InvoiceLocked {
        id: InvoiceId,
        organisation: AccountId,
        locker: AccountId,
        claimant: AccountId,
    },
    /// The reimbursement lock was lifted.
    #[codec(index = 15)]
    InvoiceUnlocked { id: InvoiceId, by: AccountId },
    /// The invoice was reimbursed (for good) and `amount` paid to the claimant.
    #[codec(index = 16)]
    InvoiceReimbursed {
        id: InvoiceId,
        organisation: AccountId,
        claimant: AccountId,
        amount: Balance,
    },
    /// A financier offered an advance against the invoice.
    #[codec(index = 17)]
    FinancingOffered {
        id: InvoiceId,
        financier: AccountId,
        advance: Balance,
    },
    /// The seller accepted; the advance was paid to it and the lien is active.
    #[codec(index = 18)]
    FinancingAccepted {
        id: InvoiceId,
        financier: AccountId,
        advance: Balance,
    },
    /// The financier released its active lien.
    #[codec(index = 19)]
    LienReleased { id: InvoiceId, financier: AccountId },
    /// The financier enforced its lien after the due date (payments go to it only up to the
    /// unrepaid advance).
    #[codec(index = 20)]
    LienEnforced { id: InvoiceId, financier: AccountId },
    /// The lien ended because the advance was repaid or nothing more is owed.
    #[codec(index = 21)]
    LienEnded {
        id: InvoiceId,
        financier: AccountId,
        repaid: Balance,
    },
    /// The tax authority confirmed the declaration an issuer filed for a period.
    #[codec(index = 22)]
    PeriodClosed {
        issuer: AccountId,
        period: PeriodIndex,
        issued: Balance,
        credited: Balance,
        declaration_hash: H256,
    },
    /// A credit note lowered the net below what was paid: the difference went back from the
    /// seller to the buyer in the extrinsic that issued it.
    #[codec(index = 23)]
    CreditRefunded {
        id: InvoiceId,
        credit_note: InvoiceId,
        buyer: AccountId,
        amount: Balance,
    },
    /// The seller declined a financier's offer (or the financier withdrew it).
    #[codec(index = 24)]
    FinancingOfferRemoved {
        id: InvoiceId,
        financier: AccountId,
        by: AccountId,
    },
    /// Governance granted (or, with `None`, withdrew) the tax authority's powers.
    #[codec(index = 25)]
    TaxAuthoritySet { authority: Option<AccountId> },
    /// The tax authority set the table of allowed (category, rate) pairs.
    #[codec(index = 26)]
    AllowedRatesSet { rates: Vec<(TaxCategory, u32)> },
    /// The tax authority suspended an issuer: it issues no new invoices until reinstated.
    #[codec(index = 27)]
    IssuerSuspended { issuer: AccountId },
    /// The tax authority lifted an issuer's suspension.
    #[codec(index = 28)]
    IssuerReinstated { issuer: AccountId },
    /// An issuer filed its declaration of an ended period; the stated sums are the chain's.
    #[codec(index = 29)]
    DeclarationFiled {
        issuer: AccountId,
        period: PeriodIndex,
        declaration_hash: H256,
        tax: PeriodTax,
    },
    /// A buyer deducted an invoice's input tax (net of its credit notes) in `period`.
    #[codec(index = 30)]
    InputTaxClaimed {
        id: InvoiceId,
        buyer: AccountId,
        period: PeriodIndex,
        tax: Balance,
    },
    /// The issuer voided an invoice within its tax period; its totals no longer count.
    #[codec(index = 31)]
    InvoiceVoided {
        id: InvoiceId,
        issuer: AccountId,
        period: PeriodIndex,
        reason: ReasonCode,
    },
}
