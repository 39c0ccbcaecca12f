//! The calls of the e-invoice pallet: one function per call, each checking its origin first
//! and validating everything before it writes.

use crate::types::*;
use crate::vat::{VatChange, VatUpdate};
use crate::{
    arithmetic, weights, AllowedRates, BuyerOpenInvoices, Config, ContentDigests, CreditRequests,
    CreditedByRate, Drafts, Error, Event, Financed, FinancingOffers, InputClaims, InvoiceNumbers,
    InvoiceStates, Invoices, IssuerByTaxId, Issuers, NextDraftId, NextInvoiceId, NextSequence,
    OpenDrafts, Pallet, PeriodTaxes, Periods, Reimbursers, SuspendedIssuers, TaxAuthority,
};
use alloc::vec::Vec;
use folio_pallet_support::currency::{Currency, Preservation};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;
use folio_primitives::io;

/// Dispatchable calls of the e-invoice pallet.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Register `issuer` with its tax id, name hash and series, and the quota each tax
    /// period starts with.
    ///
    /// Origin: root (the tax authority). Errors: `IssuerAlreadyRegistered`, `TaxIdTaken`,
    /// `InvalidSeries`. Emits `IssuerRegistered`.
    #[codec(index = 0)]
    register_issuer {
        issuer: AccountId,
        tax_id: TaxId,
        name_hash: H256,
        series: Vec<SeriesCode>,
        #[codec(compact)]
        default_quota: Balance,
    },
    /// Set an issuer's quota for one period, or (`period: None`) the default for periods not
    /// yet begun.
    ///
    /// Origin: root (the tax authority). Errors: `NotAnIssuer`, `PeriodClosed`,
    /// `QuotaBelowUsage`. Emits `QuotaSet`.
    #[codec(index = 1)]
    set_quota {
        issuer: AccountId,
        period: Option<PeriodIndex>,
        #[codec(compact)]
        quota: Balance,
    },
    /// Confirm the declaration `issuer` filed for `period` (`file_declaration`), naming the
    /// document it filed.
    ///
    /// Origin: the tax authority. Errors: `NotAnIssuer`, `NotFiled` (nothing filed, or
    /// another hash), `PeriodClosed` (confirmed already). Emits `PeriodClosed`.
    #[codec(index = 2)]
    close_period {
        issuer: AccountId,
        period: PeriodIndex,
        declaration_hash: H256,
    },
    /// Issue an invoice in one of the caller's series; the chain assigns its number.
    ///
    /// Origin: signed by a registered issuer (the seller). Errors: `NotAnIssuer`,
    /// `UnknownSeries`, `InvalidInvoiceType`, `UnsupportedCurrency`, `BuyerIsSeller`, the
    /// arithmetic errors (`NoLines`, `TooManyLines`, `ZeroQuantity`, `InvalidTaxRate`,
    /// `LineNetMismatch`, `TaxBreakdownMismatch`, `TotalsMismatch`, `ZeroTotal`,
    /// `AmountOverflow`), `InvalidPaymentTerms`, `PeriodClosed`, `QuotaExceeded`,
    /// `SequenceExhausted`. Emits `InvoiceIssued`.
    #[codec(index = 3)]
    issue_invoice {
        series: SeriesCode,
        body: InvoiceBody,
    },
    /// Acknowledge an invoice (also ends a dispute).
    ///
    /// Origin: signed by the buyer. Errors: `UnknownInvoice`, `IsCreditNote`, `NotAllowed`,
    /// `InvalidStatus` (not Issued or Disputed). Emits `InvoiceAcknowledged`.
    #[codec(index = 4)]
    acknowledge { id: InvoiceId },
    /// Dispute an invoice before anything is paid on it.
    ///
    /// Origin: signed by the buyer. Errors: `UnknownInvoice`, `IsCreditNote`, `NotAllowed`,
    /// `InvalidStatus` (not Issued or Acknowledged). Emits `InvoiceDisputed`.
    #[codec(index = 5)]
    dispute { id: InvoiceId, reason: ReasonCode },
    /// Pay `amount` of an invoice: the money goes to the financier while a lien is active or
    /// enforced, up to the unrepaid advance, and the rest to the seller, in this extrinsic. The payer keeps at least the existential deposit.
    ///
    /// Origin: signed by anyone but the seller or the financier being paid. Errors:
    /// `UnknownInvoice`, `IsCreditNote`, `ZeroAmount`, `Disputed`, `InvalidStatus` (closed),
    /// `ExceedsOutstanding`, `PayerIsPayee`, currency errors. Emits `InvoicePaid` (and
    /// `LienEnded` when the advance is repaid or the invoice closes).
    #[codec(index = 6)]
    pay_invoice {
        id: InvoiceId,
        #[codec(compact)]
        amount: Balance,
    },
    /// Prepare an invoice the buyer can pay and have issued in one call (`pay_and_issue`).
    /// Checked now as `issue_invoice` checks (except quota and due date, checked at issue).
    ///
    /// Origin: signed by a registered issuer. Errors: as `issue_invoice`, plus
    /// `TooManyDrafts`. Emits `DraftPrepared`.
    #[codec(index = 7)]
    prepare_invoice {
        series: SeriesCode,
        body: InvoiceBody,
    },
    /// Cancel a prepared invoice.
    ///
    /// Origin: signed by its seller. Errors: `UnknownDraft`, `NotAllowed`. Emits
    /// `DraftRemoved`.
    #[codec(index = 8)]
    cancel_draft { draft: DraftId },
    /// Pay a prepared invoice in full and have it issued, in one extrinsic ("pay and get the
    /// invoice"): the invoice is numbered, counted in the seller's quota and is `Paid`.
    ///
    /// Origin: signed by the draft's buyer. Errors: `UnknownDraft`, `NotAllowed`, every
    /// `issue_invoice` error, currency errors. Emits `DraftRemoved`, `InvoiceIssued`,
    /// `InvoicePaid`.
    #[codec(index = 9)]
    pay_and_issue { draft: DraftId },
    /// Request a red-letter credit note of `content` (an amount or lines) for `reason`.
    ///
    /// Applied at once when the seller asks and nobody else must agree. The buyer must
    /// confirm when the invoice is acknowledged, partly paid, locked, reimbursed or financed;
    /// the seller must confirm a buyer's request; the financier of an active lien must
    /// consent. Credits are bounded by what was invoiced: per (category, rate), cumulatively
    /// over all credit notes, by the taxable amount and tax the invoice charged there (the tax
    /// of a partial credit is cumulative, so no pure-VAT remainder is left), and in total by
    /// the net not financed (by bills or a lien). When the new net is below what was paid,
    /// the difference is refunded from the seller to the buyer in the extrinsic that issues
    /// the credit note.
    ///
    /// Origin: signed by the seller or the buyer. Errors: `UnknownInvoice`, `IsCreditNote`,
    /// `NotAllowed`, `InvalidStatus` (reversed), `CreditRequestPending`, arithmetic errors,
    /// `CreditCategoryMismatch`, `CreditExceedsCharged`, `ExceedsOutstanding` (above the
    /// net), `ReceivableFinanced`, and when issuing currency errors (the refund). Emits
    /// `CreditRequested` or `CreditNoteIssued` (and `CreditRefunded`).
    #[codec(index = 10)]
    request_credit {
        id: InvoiceId,
        content: CreditContent,
        reason: ReasonCode,
        content_hash: H256,
    },
    /// Confirm (counterparty) or consent to (financier) a pending credit request; the last
    /// approval issues the credit note.
    ///
    /// Origin: signed by an awaited party. Errors: `NoCreditRequest`, `NothingToConfirm`, and
    /// when issuing `InvalidStatus`, `ExceedsOutstanding`, `SequenceExhausted`. Emits
    /// `CreditConfirmed` or `CreditNoteIssued`.
    #[codec(index = 11)]
    confirm_credit { id: InvoiceId },
    /// Withdraw (requester) or refuse (counterparty, financier) a pending credit request.
    ///
    /// Origin: signed by the seller, the buyer or the awaited financier. Errors:
    /// `NoCreditRequest`, `NotAllowed`. Emits `CreditRequestWithdrawn`.
    #[codec(index = 12)]
    withdraw_credit_request { id: InvoiceId },
    /// Authorise `agent` to lock and reimburse the caller's invoices (as buyer).
    ///
    /// Origin: signed by the organisation. Errors: `NotAllowed` (itself),
    /// `AlreadyAuthorised`. Emits `ReimburserAuthorised`.
    #[codec(index = 13)]
    authorise_reimburser { agent: AccountId },
    /// Revoke an agent.
    ///
    /// Origin: signed by the organisation. Errors: `NotAuthorised`. Emits
    /// `ReimburserRevoked`.
    #[codec(index = 14)]
    revoke_reimburser { agent: AccountId },
    /// Lock an invoice for the reimbursement of `claimant`.
    ///
    /// Origin: signed by the buyer (organisation) or an agent it authorised. Errors:
    /// `UnknownInvoice`, `IsCreditNote`, `NotAuthorised`, `Locked`, `AlreadyReimbursed`,
    /// `InvalidStatus` (reversed), `Disputed`. Emits `InvoiceLocked`.
    #[codec(index = 15)]
    lock_for_reimbursement { id: InvoiceId, claimant: AccountId },
    /// Lift a reimbursement lock.
    ///
    /// Origin: signed by the buyer, or the locker while still authorised. Errors:
    /// `UnknownInvoice`, `NotLocked`, `AlreadyReimbursed`, `NotAuthorised`. Emits
    /// `InvoiceUnlocked`.
    #[codec(index = 16)]
    unlock { id: InvoiceId },
    /// Reimburse a locked invoice: pays `amount` (at most what was paid on it) from the
    /// caller to the claimant in this extrinsic and marks the invoice reimbursed, for ever.
    ///
    /// Origin: signed by the buyer, or the locker while still authorised. Errors:
    /// `UnknownInvoice`, `NotLocked`, `AlreadyReimbursed`, `NotAuthorised`, `Disputed`,
    /// `ZeroAmount`, `ExceedsPaid`, `PayerIsPayee`, currency errors. Emits
    /// `InvoiceReimbursed`.
    #[codec(index = 17)]
    reimburse {
        id: InvoiceId,
        #[codec(compact)]
        amount: Balance,
    },
    /// Offer to advance `advance` (at most what is still owed and not yet financed) against
    /// an invoice. Offers of different financiers coexist and none is a lien: only the
    /// seller's acceptance creates one, so an offer never blocks another. A financier's new
    /// offer replaces its earlier one. Offers are not written to the invoice's history (a
    /// third party cannot grow it).
    ///
    /// Origin: signed by the financier (not the seller or buyer). Errors: `UnknownInvoice`,
    /// `IsCreditNote`, `InvalidFinancier`, `InvalidStatus`, `Disputed`, `ZeroAmount`,
    /// `ExceedsOutstanding`, `ReceivableFinanced`. Emits `FinancingOffered`.
    #[codec(index = 18)]
    offer_financing {
        id: InvoiceId,
        #[codec(compact)]
        advance: Balance,
    },
    /// Accept `financier`'s offer: the advance moves from the financier to the seller in
    /// this extrinsic, the lien becomes active and its advance counts as financed.
    ///
    /// Origin: signed by the seller. Errors: `UnknownInvoice`, `NotAllowed`, `LienExists`,
    /// `NoOffer`, `CreditRequestPending`, `InvalidStatus`, `Disputed`, `ExceedsOutstanding`,
    /// `ReceivableFinanced`, currency errors. Emits `FinancingAccepted`.
    #[codec(index = 19)]
    accept_financing { id: InvoiceId, financier: AccountId },
    /// Release the active lien.
    ///
    /// Origin: signed by the financier. Errors: `UnknownInvoice`, `NoLien`, `NotAllowed`.
    /// Emits `LienReleased`.
    #[codec(index = 20)]
    release_lien { id: InvoiceId },
    /// Enforce an active lien after the due date (the financier's claim is in default).
    /// Payments still go to the financier only up to the unrepaid advance; the surplus is
    /// the seller's.
    ///
    /// Origin: signed by the financier. Errors: `UnknownInvoice`, `NoLien`, `NotAllowed`,
    /// `NotDue`. Emits `LienEnforced`.
    #[codec(index = 21)]
    enforce_lien { id: InvoiceId },
    /// Remove `financier`'s standing offer: the seller declines it, or the financier
    /// withdraws it.
    ///
    /// Origin: signed by the seller or that financier. Errors: `UnknownInvoice`,
    /// `NotAllowed`, `NoOffer`. Emits `FinancingOfferRemoved`.
    #[codec(index = 22)]
    decline_financing { id: InvoiceId, financier: AccountId },
    /// Grant the tax authority's powers to `authority` (or withdraw them with `None`); Root
    /// keeps them either way.
    ///
    /// Origin: root (governance). Emits `TaxAuthoritySet`.
    #[codec(index = 23)]
    set_tax_authority { authority: Option<AccountId> },
    /// Set the table of (category, rate) pairs invoices may use; a line outside it is
    /// refused at issue. Credit notes of earlier invoices are not checked against it.
    ///
    /// Origin: the tax authority. Errors: `InvalidRatesTable` (over `MaxAllowedRates`, a
    /// repeated pair, or a rate its category does not accept). Emits `AllowedRatesSet`.
    #[codec(index = 24)]
    set_allowed_rates { rates: Vec<(TaxCategory, u32)> },
    /// Suspend an issuer: it may not issue or have issued new invoices until reinstated
    /// (its credit notes stay possible).
    ///
    /// Origin: the tax authority. Errors: `NotAnIssuer`, `IssuerSuspended`. Emits
    /// `IssuerSuspended`.
    #[codec(index = 25)]
    suspend_issuer { issuer: AccountId },
    /// Lift an issuer's suspension.
    ///
    /// Origin: the tax authority. Errors: `NotSuspended`. Emits `IssuerReinstated`.
    #[codec(index = 26)]
    reinstate_issuer { issuer: AccountId },
    /// File the declaration of an ended tax period: the chain records its own totals of the
    /// period (gross issued and credited, output tax, input tax claimed and reversed) with
    /// the hash of the declaration document. The period is frozen from then on; credit notes
    /// of its invoices count in the period they are issued in.
    ///
    /// Origin: signed by a registered issuer. Errors: `NotAnIssuer`, `PeriodNotOver`,
    /// `AlreadyFiled`. Emits `DeclarationFiled`.
    #[codec(index = 27)]
    file_declaration {
        period: PeriodIndex,
        declaration_hash: H256,
    },
    /// Deduct an invoice's input tax in the current period: its tax net of the credit notes
    /// so far. Once per invoice; credit notes issued later count as reversed input tax in
    /// their own period.
    ///
    /// Origin: signed by the buyer. Errors: `UnknownInvoice`, `IsCreditNote`, `NotAllowed`,
    /// `InvalidStatus` (reversed or voided), `InputTaxAlreadyClaimed`, `NothingToClaim` (no
    /// tax left, or neither acknowledged nor paid). Emits `InputTaxClaimed`.
    #[codec(index = 28)]
    claim_input_tax { id: InvoiceId },
    /// Void an invoice within its own tax period, before anything happened to it (not
    /// acknowledged, paid, credited, locked, financed, cited by a bill or claimed, no credit
    /// request). Its number stays used; its amounts leave the period's totals and quota.
    ///
    /// Origin: signed by the seller. Errors: `UnknownInvoice`, `IsCreditNote`, `NotAllowed`,
    /// `NotVoidable`, `VoidPeriodOver`. Emits `InvoiceVoided`.
    #[codec(index = 29)]
    void_invoice { id: InvoiceId, reason: ReasonCode },
}

/// A length as a weight component (saturating: a longer list fails validation anyway).
fn count(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        let weight = match self {
            Self::register_issuer { series, .. } => weights::register_issuer(count(series.len())),
            Self::set_quota { .. } => weights::set_quota(),
            Self::close_period { .. } => weights::close_period(),
            Self::issue_invoice { body, .. } => weights::issue_invoice(count(body.lines.len())),
            Self::acknowledge { .. } => weights::acknowledge(),
            Self::dispute { .. } => weights::dispute(),
            Self::pay_invoice { .. } => weights::pay_invoice(),
            Self::prepare_invoice { body, .. } => weights::prepare_invoice(count(body.lines.len())),
            Self::cancel_draft { .. } => weights::cancel_draft(),
            Self::pay_and_issue { .. } => weights::pay_and_issue(),
            Self::request_credit { content, .. } => weights::request_credit(count(match content {
                CreditContent::Amount { .. } => 1,
                CreditContent::Lines { lines, .. } => lines.len(),
            })),
            Self::confirm_credit { .. } => weights::confirm_credit(),
            Self::withdraw_credit_request { .. } => weights::withdraw_credit_request(),
            Self::authorise_reimburser { .. } => weights::authorise_reimburser(),
            Self::revoke_reimburser { .. } => weights::revoke_reimburser(),
            Self::lock_for_reimbursement { .. } => weights::lock_for_reimbursement(),
            Self::unlock { .. } => weights::unlock(),
            Self::reimburse { .. } => weights::reimburse(),
            Self::offer_financing { .. } => weights::offer_financing(),
            Self::accept_financing { .. } => weights::accept_financing(),
            Self::release_lien { .. } => weights::release_lien(),
            Self::enforce_lien { .. } => weights::enforce_lien(),
            Self::decline_financing { .. } => weights::decline_financing(),
            Self::set_tax_authority { .. } => weights::set_tax_authority(),
            Self::set_allowed_rates { rates } => weights::set_allowed_rates(count(rates.len())),
            Self::suspend_issuer { .. } => weights::suspend_issuer(),
            Self::reinstate_issuer { .. } => weights::reinstate_issuer(),
            Self::file_declaration { .. } => weights::file_declaration(),
            Self::claim_input_tax { .. } => weights::claim_input_tax(),
            Self::void_invoice { .. } => weights::void_invoice(),
        };
        DispatchInfo {
            weight,
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        }
    }
}

impl Call {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        type P<T> = Pallet<T>;
        match self {
            Self::register_issuer {
                issuer,
                tax_id,
                name_hash,
                series,
                default_quota,
            } => P::<T>::register_issuer(origin, issuer, tax_id, name_hash, series, default_quota),
            Self::set_quota {
                issuer,
                period,
                quota,
            } => P::<T>::set_quota(origin, issuer, period, quota),
            Self::close_period {
                issuer,
                period,
                declaration_hash,
            } => P::<T>::close_period(origin, issuer, period, declaration_hash),
            Self::issue_invoice { series, body } => P::<T>::issue_invoice(origin, series, body),
            Self::acknowledge { id } => P::<T>::acknowledge(origin, id),
            Self::dispute { id, reason } => P::<T>::dispute(origin, id, reason),
            Self::pay_invoice { id, amount } => P::<T>::pay_invoice(origin, id, amount),
            Self::prepare_invoice { series, body } => P::<T>::prepare_invoice(origin, series, body),
            Self::cancel_draft { draft } => P::<T>::cancel_draft(origin, draft),
            Self::pay_and_issue { draft } => P::<T>::pay_and_issue(origin, draft),
            Self::request_credit {
                id,
                content,
                reason,
                content_hash,
            } => P::<T>::request_credit(origin, id, content, reason, content_hash),
            Self::confirm_credit { id } => P::<T>::confirm_credit(origin, id),
            Self::withdraw_credit_request { id } => P::<T>::withdraw_credit_request(origin, id),
            Self::authorise_reimburser { agent } => P::<T>::authorise_reimburser(origin, agent),
            Self::revoke_reimburser { agent } => P::<T>::revoke_reimburser(origin, agent),
            Self::lock_for_reimbursement { id, claimant } => {
                P::<T>::lock_for_reimbursement(origin, id, claimant)
            }
            Self::unlock { id } => P::<T>::unlock(origin, id),
            Self::reimburse { id, amount } => P::<T>::reimburse(origin, id, amount),
            Self::offer_financing { id, advance } => P::<T>::offer_financing(origin, id, advance),
            Self::accept_financing { id, financier } => {
                P::<T>::accept_financing(origin, id, financier)
            }
            Self::release_lien { id } => P::<T>::release_lien(origin, id),
            Self::enforce_lien { id } => P::<T>::enforce_lien(origin, id),
            Self::decline_financing { id, financier } => {
                P::<T>::decline_financing(origin, id, financier)
            }
            Self::set_tax_authority { authority } => P::<T>::set_tax_authority(origin, authority),
            Self::set_allowed_rates { rates } => P::<T>::set_allowed_rates(origin, rates),
            Self::suspend_issuer { issuer } => P::<T>::suspend_issuer(origin, issuer),
            Self::reinstate_issuer { issuer } => P::<T>::reinstate_issuer(origin, issuer),
            Self::file_declaration {
                period,
                declaration_hash,
            } => P::<T>::file_declaration(origin, period, declaration_hash),
            Self::claim_input_tax { id } => P::<T>::claim_input_tax(origin, id),
            Self::void_invoice { id, reason } => P::<T>::void_invoice(origin, id, reason),
        }?;
        Ok(().into())
    }
}

/// A number and an id, reserved by reading only; [`Pallet::store_new`] writes them.
struct Allocation {
    id: InvoiceId,
    number: InvoiceNumber,
    next_id: InvoiceId,
    next_sequence: u32,
}

/// A table of at most `MAX_ALLOWED_RATES` distinct pairs, each a rate its category accepts.
fn valid_rates_table(rates: &[(TaxCategory, u32)]) -> bool {
    let bounded = u32::try_from(rates.len()).is_ok_and(|len| len <= crate::MAX_ALLOWED_RATES);
    let accepted = rates
        .iter()
        .all(|(category, rate)| category.accepts_rate(*rate));
    let distinct = rates.iter().enumerate().all(|(i, pair)| {
        !rates
            .iter()
            .skip(i.saturating_add(1))
            .any(|other| other == pair)
    });
    bounded && accepted && distinct
}

/// The payer keeps at least the existential deposit: paying an invoice never reaps it.
const PAYER: Preservation = Preservation::Preserve;

impl<T: Config> Pallet<T> {
    // ---------------------------------------------------------------- helpers (read only)

    fn load(id: InvoiceId) -> Result<(Invoice, InvoiceState), DispatchError> {
        let invoice = Invoices::get(&id).ok_or_else(|| Self::error(Error::UnknownInvoice))?;
        let state = InvoiceStates::get(&id).ok_or_else(|| Self::error(Error::UnknownInvoice))?;
        Ok((invoice, state))
    }

    /// An invoice (not a credit note) and its state.
    fn load_invoice(id: InvoiceId) -> Result<(Invoice, InvoiceState), DispatchError> {
        let (invoice, state) = Self::load(id)?;
        if invoice.is_credit_note() {
            return Err(Self::error(Error::IsCreditNote));
        }
        Ok((invoice, state))
    }

    fn ensure(condition: bool, error: Error) -> DispatchResult {
        if condition {
            Ok(())
        } else {
            Err(Self::error(error))
        }
    }

    fn outstanding(invoice: &Invoice, state: &InvoiceState) -> Result<Balance, DispatchError> {
        state
            .outstanding(invoice.gross())
            .ok_or_else(|| ArithmeticError::Underflow.into())
    }

    /// The issuer record of `seller`, checking it may number in `series`.
    fn issuer_with_series(
        seller: &AccountId,
        series: &SeriesCode,
    ) -> Result<Issuer, DispatchError> {
        let issuer = Issuers::get(seller).ok_or_else(|| Self::error(Error::NotAnIssuer))?;
        Self::ensure(issuer.series.contains(series), Error::UnknownSeries)?;
        Self::ensure(
            !SuspendedIssuers::contains_key(seller),
            Error::IssuerSuspended,
        )?;
        Ok(issuer)
    }

    /// Root (governance) or the account governance granted the tax authority's powers.
    fn ensure_tax_authority(origin: &Origin) -> DispatchResult {
        match origin {
            Origin::Root => Ok(()),
            Origin::Signed(who) if TaxAuthority::get() == Some(*who) => Ok(()),
            _ => Err(DispatchError::BadOrigin),
        }
    }

    /// Every line's (category, rate) is in the allowed-rates table, once one is set.
    fn check_rates_allowed(body: &InvoiceBody) -> DispatchResult {
        let Some(allowed) = AllowedRates::get() else {
            return Ok(());
        };
        let all_allowed = body
            .lines
            .iter()
            .all(|line| allowed.contains(&(line.category, line.rate)));
        Self::ensure(all_allowed, Error::RateNotAllowed)
    }

    /// Checks a seller's invoice body (type, currency, parties, arithmetic) and returns the
    /// due time its terms give when issued at `now`.
    fn check_body(
        seller: &AccountId,
        body: &InvoiceBody,
        now: Moment,
    ) -> Result<Moment, DispatchError> {
        Self::ensure(
            matches!(
                body.invoice_type,
                InvoiceType::Commercial | InvoiceType::Prepayment
            ),
            Error::InvalidInvoiceType,
        )?;
        Self::ensure(
            body.currency == T::CURRENCY_CODE,
            Error::UnsupportedCurrency,
        )?;
        Self::ensure(body.buyer != *seller, Error::BuyerIsSeller)?;
        arithmetic::check(&body.lines, &body.breakdown, &body.totals, T::MAX_LINES)
            .map_err(Self::error)?;
        crate::exemption::check(&body.breakdown).map_err(Self::error)?;
        Self::check_rates_allowed(body)?;
        Self::due(&body.terms, now)
    }

    fn due(terms: &PaymentTerms, now: Moment) -> Result<Moment, DispatchError> {
        match *terms {
            PaymentTerms::DueDate(due) => {
                // Bounded as net days are: a due date centuries away would make a lien
                // unenforceable for ever.
                let latest = Moment::from(T::MAX_PAYMENT_DAYS)
                    .checked_mul(DAY_MS)
                    .and_then(|span| now.checked_add(span))
                    .unwrap_or(Moment::MAX);
                Self::ensure(due >= now && due <= latest, Error::InvalidPaymentTerms)?;
                Ok(due)
            }
            PaymentTerms::NetDays(days) => {
                Self::ensure(days <= T::MAX_PAYMENT_DAYS, Error::InvalidPaymentTerms)?;
                Moment::from(days)
                    .checked_mul(DAY_MS)
                    .and_then(|span| now.checked_add(span))
                    .ok_or_else(|| Self::error(Error::InvalidPaymentTerms))
            }
        }
    }

    /// The record of an issuer's period, or a fresh one with its default quota.
    fn period_record(
        issuer: &AccountId,
        period: PeriodIndex,
    ) -> Result<PeriodRecord, DispatchError> {
        if let Some(record) = Periods::get(issuer, &period) {
            return Ok(record);
        }
        let default_quota = Issuers::get(issuer)
            .ok_or_else(|| Self::error(Error::NotAnIssuer))?
            .default_quota;
        Ok(PeriodRecord {
            quota: default_quota,
            ..PeriodRecord::default()
        })
    }

    /// The period record after issuing `gross` more, if the quota allows it.
    fn with_issued(
        issuer: &AccountId,
        period: PeriodIndex,
        gross: Balance,
    ) -> Result<PeriodRecord, DispatchError> {
        let mut record = Self::period_record(issuer, period)?;
        Self::ensure(record.declaration.is_none(), Error::PeriodClosed)?;
        record.issued = record
            .issued
            .checked_add(gross)
            .ok_or(ArithmeticError::Overflow)?;
        // issued − credited ≤ quota, written without subtraction.
        let allowed = record.quota.checked_add(record.credited);
        Self::ensure(
            allowed.is_none_or(|allowed| record.issued <= allowed),
            Error::QuotaExceeded,
        )?;
        Ok(record)
    }

    /// Reserves the next number of `(issuer, series)` and the next id.
    fn allocate(issuer: &AccountId, series: SeriesCode) -> Result<Allocation, DispatchError> {
        let sequence = NextSequence::get(issuer, &series);
        let next_sequence = sequence
            .checked_add(1)
            .ok_or_else(|| Self::error(Error::SequenceExhausted))?;
        let id = NextInvoiceId::get();
        let next_id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        Ok(Allocation {
            id,
            number: InvoiceNumber {
                issuer: *issuer,
                series,
                sequence,
            },
            next_id,
            next_sequence,
        })
    }

    /// A fresh invoice issued now by `seller`.
    fn new_invoice(
        allocation: &Allocation,
        body: InvoiceBody,
        now: Moment,
        due: Moment,
        corrects: Option<InvoiceId>,
    ) -> Invoice {
        Invoice {
            number: allocation.number,
            seller: allocation.number.issuer,
            issued_at: now,
            issued_in: folio_pallet_system::Pallet::<T>::block_number(),
            period: Self::period_of(now),
            due,
            corrects,
            body,
        }
    }

    /// Runs money moves as one unit: all happen or none does.
    fn move_money(moves: &[(AccountId, AccountId, Balance)]) -> DispatchResult {
        with_transaction(|| {
            for (from, to, amount) in moves {
                if *amount > 0 {
                    T::Currency::transfer(from, to, *amount, PAYER)?;
                }
            }
            Ok(())
        })
    }

    // ---------------------------------------------------------------- helpers (writing)

    /// Stores a new invoice or credit note with its number, state, index and first history
    /// entry. Everything was checked before: this cannot fail.
    fn store_new(
        allocation: &Allocation,
        invoice: &Invoice,
        mut state: InvoiceState,
        who: &AccountId,
    ) {
        let id = allocation.id;
        if let Some(status) = derive_status(&state, invoice.gross()) {
            state.status = status;
        }
        NextInvoiceId::put(&allocation.next_id);
        NextSequence::insert(
            &allocation.number.issuer,
            &allocation.number.series,
            &allocation.next_sequence,
        );
        InvoiceNumbers::insert(&allocation.number, &id);
        Invoices::insert(&id, invoice);
        ContentDigests::insert(&id, &H256(io::blake2_256(&invoice.encode())));
        InvoiceStates::insert(&id, &state);
        if !invoice.is_credit_note() && !state.status.is_closed() {
            BuyerOpenInvoices::insert(&invoice.body.buyer, &id, &());
        }
        Self::record(id, who, Action::Issued);
    }

    /// Stores an invoice's new state: re-derives the status, ends the lien and leaves the
    /// buyer's open list when nothing more is owed. Returns the status.
    fn put_state(
        id: InvoiceId,
        invoice: &Invoice,
        mut state: InvoiceState,
        who: &AccountId,
    ) -> InvoiceStatus {
        if let Some(status) = derive_status(&state, invoice.gross()) {
            state.status = status;
        }
        if state.status.is_closed() {
            if let Some(lien) = state.lien.take() {
                Self::release_receivable(id, lien.advance);
                Self::record(
                    id,
                    who,
                    Action::LienEnded {
                        repaid: lien.repaid,
                    },
                );
                Self::deposit_event(Event::LienEnded {
                    id,
                    financier: lien.financier,
                    repaid: lien.repaid,
                });
            }
            BuyerOpenInvoices::remove(&invoice.body.buyer, &id);
        }
        InvoiceStates::insert(&id, &state);
        state.status
    }

    fn initial_state() -> InvoiceState {
        InvoiceState {
            status: InvoiceStatus::Issued,
            acknowledged: false,
            dispute: None,
            paid: 0,
            credited: 0,
            reimbursement: Reimbursement::Available,
            lien: None,
        }
    }

    // ---------------------------------------------------------------- registry

    fn register_issuer(
        origin: Origin,
        issuer: AccountId,
        tax_id: TaxId,
        name_hash: H256,
        series: Vec<SeriesCode>,
        default_quota: Balance,
    ) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        Self::ensure(
            !Issuers::contains_key(&issuer),
            Error::IssuerAlreadyRegistered,
        )?;
        Self::ensure(!IssuerByTaxId::contains_key(&tax_id), Error::TaxIdTaken)?;
        Self::ensure(valid_series(&series, T::MAX_SERIES), Error::InvalidSeries)?;
        Issuers::insert(
            &issuer,
            &Issuer {
                tax_id,
                name_hash,
                series,
                default_quota,
            },
        );
        IssuerByTaxId::insert(&tax_id, &issuer);
        Self::deposit_event(Event::IssuerRegistered { issuer, tax_id });
        Ok(())
    }

    fn set_quota(
        origin: Origin,
        issuer: AccountId,
        period: Option<PeriodIndex>,
        quota: Balance,
    ) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        let mut record = Issuers::get(&issuer).ok_or_else(|| Self::error(Error::NotAnIssuer))?;
        match period {
            None => {
                // The current period keeps the quota it started with: write its record
                // before the default it would otherwise be read from changes.
                let current = Self::current_period();
                if !Periods::contains_key(&issuer, &current) {
                    let started = Self::period_record(&issuer, current)?;
                    Periods::insert(&issuer, &current, &started);
                }
                record.default_quota = quota;
                Issuers::insert(&issuer, &record);
            }
            Some(period) => {
                let mut period_record = Self::period_record(&issuer, period)?;
                Self::ensure(period_record.declaration.is_none(), Error::PeriodClosed)?;
                let allowed = quota.checked_add(period_record.credited);
                Self::ensure(
                    allowed.is_none_or(|allowed| period_record.issued <= allowed),
                    Error::QuotaBelowUsage,
                )?;
                period_record.quota = quota;
                Periods::insert(&issuer, &period, &period_record);
            }
        }
        Self::deposit_event(Event::QuotaSet {
            issuer,
            period,
            quota,
        });
        Ok(())
    }

    fn close_period(
        origin: Origin,
        issuer: AccountId,
        period: PeriodIndex,
        declaration_hash: H256,
    ) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        let mut record = Self::period_record(&issuer, period)?;
        let mut declaration = record
            .declaration
            .filter(|filed| filed.declaration_hash == declaration_hash)
            .ok_or_else(|| Self::error(Error::NotFiled))?;
        Self::ensure(declaration.confirmed_at.is_none(), Error::PeriodClosed)?;
        declaration.confirmed_at = Some(T::now());
        record.declaration = Some(declaration);
        Periods::insert(&issuer, &period, &record);
        Self::deposit_event(Event::PeriodClosed {
            issuer,
            period,
            issued: record.issued,
            credited: record.credited,
            declaration_hash,
        });
        Ok(())
    }

    fn set_tax_authority(origin: Origin, authority: Option<AccountId>) -> DispatchResult {
        ensure_root(&origin)?;
        match authority {
            Some(who) => TaxAuthority::put(&who),
            None => TaxAuthority::kill(),
        }
        Self::deposit_event(Event::TaxAuthoritySet { authority });
        Ok(())
    }

    fn set_allowed_rates(origin: Origin, rates: Vec<(TaxCategory, u32)>) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        Self::ensure(valid_rates_table(&rates), Error::InvalidRatesTable)?;
        AllowedRates::put(&rates);
        Self::deposit_event(Event::AllowedRatesSet { rates });
        Ok(())
    }

    fn suspend_issuer(origin: Origin, issuer: AccountId) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        Self::ensure(Issuers::contains_key(&issuer), Error::NotAnIssuer)?;
        Self::ensure(
            !SuspendedIssuers::contains_key(&issuer),
            Error::IssuerSuspended,
        )?;
        SuspendedIssuers::insert(&issuer, &());
        Self::deposit_event(Event::IssuerSuspended { issuer });
        Ok(())
    }

    fn reinstate_issuer(origin: Origin, issuer: AccountId) -> DispatchResult {
        Self::ensure_tax_authority(&origin)?;
        Self::ensure(SuspendedIssuers::contains_key(&issuer), Error::NotSuspended)?;
        SuspendedIssuers::remove(&issuer);
        Self::deposit_event(Event::IssuerReinstated { issuer });
        Ok(())
    }

    fn file_declaration(
        origin: Origin,
        period: PeriodIndex,
        declaration_hash: H256,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let mut record = Self::period_record(&issuer, period)?;
        Self::ensure(period < Self::current_period(), Error::PeriodNotOver)?;
        Self::ensure(record.declaration.is_none(), Error::AlreadyFiled)?;
        // Every write of a period happens while it is current, so these sums are final.
        let tax = PeriodTaxes::get(&issuer, &period);
        record.declaration = Some(Declaration {
            declaration_hash,
            issued: record.issued,
            credited: record.credited,
            tax,
            filed_at: T::now(),
            confirmed_at: None,
        });
        Periods::insert(&issuer, &period, &record);
        Self::deposit_event(Event::DeclarationFiled {
            issuer,
            period,
            declaration_hash,
            tax,
        });
        Ok(())
    }

    // ---------------------------------------------------------------- issuing

    /// Everything `issue_invoice` and `pay_and_issue` check, read only: the invoice to store,
    /// its number and the period record after counting it.
    fn prepare_issue(
        seller: &AccountId,
        series: SeriesCode,
        body: InvoiceBody,
    ) -> Result<(Allocation, Invoice, PeriodRecord, VatUpdate), DispatchError> {
        Self::issuer_with_series(seller, &series)?;
        let now = T::now();
        let due = Self::check_body(seller, &body, now)?;
        let period = Self::period_of(now);
        let record = Self::with_issued(seller, period, body.totals.gross_total)?;
        let vat = Self::vat_update(
            seller,
            &body.buyer,
            period,
            &body.breakdown,
            VatChange::Invoiced,
        )?;
        let allocation = Self::allocate(seller, series)?;
        let invoice = Self::new_invoice(&allocation, body, now, due, None);
        Ok((allocation, invoice, record, vat))
    }

    fn issue_invoice(origin: Origin, series: SeriesCode, body: InvoiceBody) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        let (allocation, invoice, record, vat) = Self::prepare_issue(&seller, series, body)?;
        Periods::insert(&seller, &invoice.period, &record);
        Self::write_vat(&vat);
        Self::store_new(&allocation, &invoice, Self::initial_state(), &seller);
        Self::deposit_event(Event::InvoiceIssued {
            id: allocation.id,
            issuer: seller,
            series,
            sequence: allocation.number.sequence,
            buyer: invoice.body.buyer,
            gross_total: invoice.gross(),
        });
        Ok(())
    }

    fn prepare_invoice(origin: Origin, series: SeriesCode, body: InvoiceBody) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        Self::issuer_with_series(&seller, &series)?;
        let now = T::now();
        Self::check_body(&seller, &body, now)?;
        let open = OpenDrafts::get(&seller);
        Self::ensure(open < T::MAX_OPEN_DRAFTS, Error::TooManyDrafts)?;
        let open = open.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        let draft = NextDraftId::get();
        let next = draft.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        let (buyer, gross_total) = (body.buyer, body.totals.gross_total);
        Drafts::insert(
            &draft,
            &Draft {
                seller,
                series,
                body,
                prepared_at: now,
            },
        );
        NextDraftId::put(&next);
        OpenDrafts::insert(&seller, &open);
        Self::deposit_event(Event::DraftPrepared {
            draft,
            seller,
            buyer,
            gross_total,
        });
        Ok(())
    }

    /// Removes a draft (checked to exist) and lowers its seller's count.
    fn remove_draft(draft_id: DraftId, seller: &AccountId) -> DispatchResult {
        let open = OpenDrafts::get(seller)
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        Drafts::remove(&draft_id);
        if open == 0 {
            OpenDrafts::remove(seller);
        } else {
            OpenDrafts::insert(seller, &open);
        }
        Self::deposit_event(Event::DraftRemoved { draft: draft_id });
        Ok(())
    }

    fn cancel_draft(origin: Origin, draft_id: DraftId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let draft = Drafts::get(&draft_id).ok_or_else(|| Self::error(Error::UnknownDraft))?;
        Self::ensure(draft.seller == who, Error::NotAllowed)?;
        Self::remove_draft(draft_id, &who)
    }

    fn pay_and_issue(origin: Origin, draft_id: DraftId) -> DispatchResult {
        let buyer = ensure_signed(&origin)?;
        let draft = Drafts::get(&draft_id).ok_or_else(|| Self::error(Error::UnknownDraft))?;
        Self::ensure(draft.body.buyer == buyer, Error::NotAllowed)?;
        OpenDrafts::get(&draft.seller)
            .checked_sub(1)
            .ok_or(ArithmeticError::Underflow)?;
        let seller = draft.seller;
        let series = draft.series;
        let (allocation, invoice, record, vat) = Self::prepare_issue(&seller, series, draft.body)?;
        let gross = invoice.gross();

        Self::move_money(&[(buyer, seller, gross)])?;
        Self::remove_draft(draft_id, &seller)?;
        Periods::insert(&seller, &invoice.period, &record);
        Self::write_vat(&vat);
        let state = InvoiceState {
            acknowledged: true,
            paid: gross,
            ..Self::initial_state()
        };
        Self::store_new(&allocation, &invoice, state, &seller);
        Self::record(
            allocation.id,
            &buyer,
            Action::Paid {
                amount: gross,
                to_seller: gross,
                to_financier: 0,
            },
        );
        Self::deposit_event(Event::InvoiceIssued {
            id: allocation.id,
            issuer: seller,
            series,
            sequence: allocation.number.sequence,
            buyer,
            gross_total: gross,
        });
        Self::deposit_event(Event::InvoicePaid {
            id: allocation.id,
            payer: buyer,
            amount: gross,
            to_seller: gross,
            to_financier: 0,
            status: InvoiceStatus::Paid,
        });
        Ok(())
    }

    // ---------------------------------------------------------------- buyer's answer

    fn acknowledge(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::ensure(invoice.body.buyer == who, Error::NotAllowed)?;
        Self::ensure(
            matches!(
                state.status,
                InvoiceStatus::Issued | InvoiceStatus::Disputed
            ),
            Error::InvalidStatus,
        )?;
        state.acknowledged = true;
        state.dispute = None;
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::Acknowledged);
        Self::deposit_event(Event::InvoiceAcknowledged { id });
        Ok(())
    }

    fn dispute(origin: Origin, id: InvoiceId, reason: ReasonCode) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::ensure(invoice.body.buyer == who, Error::NotAllowed)?;
        Self::ensure(
            matches!(
                state.status,
                InvoiceStatus::Issued | InvoiceStatus::Acknowledged
            ),
            Error::InvalidStatus,
        )?;
        state.dispute = Some(reason);
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::Disputed { reason });
        Self::deposit_event(Event::InvoiceDisputed { id, reason });
        Ok(())
    }

    // ---------------------------------------------------------------- payment

    fn pay_invoice(origin: Origin, id: InvoiceId, amount: Balance) -> DispatchResult {
        let payer = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::ensure(amount > 0, Error::ZeroAmount)?;
        Self::ensure(state.status != InvoiceStatus::Disputed, Error::Disputed)?;
        Self::ensure(!state.status.is_closed(), Error::InvalidStatus)?;
        Self::ensure(
            amount <= Self::outstanding(&invoice, &state)?,
            Error::ExceedsOutstanding,
        )?;

        // The lien holder is paid first, active or enforced alike, but never beyond the
        // unrepaid advance: the surplus of the receivable is the seller's.
        let mut to_financier: Balance = 0;
        let mut financier = None;
        let mut discharged = None;
        if let Some(lien) = state.lien.as_mut() {
            let share = amount.min(
                lien.advance
                    .checked_sub(lien.repaid)
                    .ok_or(ArithmeticError::Underflow)?,
            );
            if share > 0 {
                lien.repaid = lien
                    .repaid
                    .checked_add(share)
                    .ok_or(ArithmeticError::Overflow)?;
                to_financier = share;
                financier = Some(lien.financier);
                if lien.repaid == lien.advance {
                    discharged = Some(*lien);
                }
            }
        }
        let to_seller = amount
            .checked_sub(to_financier)
            .ok_or(ArithmeticError::Underflow)?;
        Self::ensure(
            payer != invoice.seller && Some(payer) != financier,
            Error::PayerIsPayee,
        )?;
        state.paid = state
            .paid
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        if discharged.is_some() {
            state.lien = None;
        }

        let mut moves = Vec::with_capacity(2);
        if let Some(financier) = financier {
            moves.push((payer, financier, to_financier));
        }
        moves.push((payer, invoice.seller, to_seller));
        Self::move_money(&moves)?;

        Self::record(
            id,
            &payer,
            Action::Paid {
                amount,
                to_seller,
                to_financier,
            },
        );
        if let Some(lien) = discharged {
            Self::release_receivable(id, lien.advance);
            Self::record(
                id,
                &payer,
                Action::LienEnded {
                    repaid: lien.repaid,
                },
            );
            Self::deposit_event(Event::LienEnded {
                id,
                financier: lien.financier,
                repaid: lien.repaid,
            });
        }
        let status = Self::put_state(id, &invoice, state, &payer);
        Self::deposit_event(Event::InvoicePaid {
            id,
            payer,
            amount,
            to_seller,
            to_financier,
            status,
        });
        Ok(())
    }

    // ---------------------------------------------------------------- credit notes

    /// What the earlier credit notes of invoice `id` reversed in one (category, rate).
    fn credited_at(id: InvoiceId, key: (TaxCategory, u32)) -> CreditedAtRate {
        CreditedByRate::get(&id, &key).unwrap_or_default()
    }

    /// The breakdown and totals a credit note of `lines` on invoice `id` must carry: the
    /// tax cumulative per (category, rate), each bounded by what the invoice charged there.
    fn credit_breakdown(
        id: InvoiceId,
        invoice: &Invoice,
        lines: &[InvoiceLine],
    ) -> Result<(Vec<TaxSubtotal>, Totals), DispatchError> {
        arithmetic::compute_credit(lines, &invoice.body.breakdown, |key| {
            Self::credited_at(id, key)
        })
        .map_err(Self::error)
    }

    /// The credit note body for `content`, checked against the invoice and its earlier
    /// credit notes.
    fn credit_body(
        id: InvoiceId,
        invoice: &Invoice,
        content: CreditContent,
        content_hash: H256,
    ) -> Result<InvoiceBody, DispatchError> {
        let (lines, breakdown, totals) = match content {
            CreditContent::Amount {
                net,
                category,
                rate,
                classification,
            } => {
                let lines = alloc::vec![InvoiceLine {
                    quantity: 1_000,
                    unit_price: net,
                    net,
                    category,
                    rate,
                    classification,
                }];
                let (breakdown, totals) = Self::credit_breakdown(id, invoice, &lines)?;
                (lines, breakdown, totals)
            }
            CreditContent::Lines {
                lines,
                breakdown,
                totals,
            } => (lines, breakdown, totals),
        };
        // The exemptions a credit note reverses are the invoice's: it carries their reasons.
        let breakdown = breakdown
            .into_iter()
            .map(|entry| TaxSubtotal {
                exemption: invoice
                    .body
                    .breakdown
                    .iter()
                    .find(|own| (own.category, own.rate) == (entry.category, entry.rate))
                    .and_then(|own| own.exemption),
                ..entry
            })
            .collect::<Vec<_>>();
        Self::check_credit_body(id, invoice, &lines, &breakdown, &totals)?;
        Ok(InvoiceBody {
            invoice_type: InvoiceType::CreditNote,
            currency: invoice.body.currency,
            buyer: invoice.body.buyer,
            lines,
            breakdown,
            totals,
            terms: PaymentTerms::NetDays(0),
            content_hash,
        })
    }

    /// Checks a credit note's lines, breakdown (in any order) and totals against what the
    /// invoice and its earlier credit notes allow.
    fn check_credit_body(
        id: InvoiceId,
        invoice: &Invoice,
        lines: &[InvoiceLine],
        breakdown: &[TaxSubtotal],
        totals: &Totals,
    ) -> DispatchResult {
        Self::ensure(!lines.is_empty(), Error::NoLines)?;
        Self::ensure(
            lines.len() <= T::MAX_LINES as usize && breakdown.len() <= T::MAX_LINES as usize,
            Error::TooManyLines,
        )?;
        let (expected, expected_totals) = Self::credit_breakdown(id, invoice, lines)?;
        Self::ensure(
            arithmetic::amounts_only(breakdown) == expected,
            Error::TaxBreakdownMismatch,
        )?;
        Self::ensure(*totals == expected_totals, Error::TotalsMismatch)?;
        Self::ensure(totals.gross_total > 0, Error::ZeroTotal)
    }

    /// Whether a credit note may still be issued for `gross` on this invoice: at most the
    /// net, and never below what bills and liens finance.
    fn check_credit(
        id: InvoiceId,
        invoice: &Invoice,
        state: &InvoiceState,
        gross: Balance,
    ) -> DispatchResult {
        Self::ensure(!state.status.is_terminal(), Error::InvalidStatus)?;
        let net = state
            .net(invoice.gross())
            .ok_or(ArithmeticError::Underflow)?;
        Self::ensure(gross <= net, Error::ExceedsOutstanding)?;
        let unfinanced = net.saturating_sub(Financed::get(&id));
        Self::ensure(gross <= unfinanced, Error::ReceivableFinanced)
    }

    /// Issues the credit note of `body` for invoice `id`: checks, then writes. Refunds the
    /// part already paid beyond the new net from the seller to the buyer.
    fn issue_credit_note(
        id: InvoiceId,
        invoice: &Invoice,
        mut state: InvoiceState,
        body: InvoiceBody,
        reason: ReasonCode,
        who: &AccountId,
        confirmed: bool,
    ) -> DispatchResult {
        let gross = body.totals.gross_total;
        Self::check_credit(id, invoice, &state, gross)?;
        Self::check_credit_body(id, invoice, &body.lines, &body.breakdown, &body.totals)?;
        let now = T::now();
        let seller = invoice.seller;
        let buyer = invoice.body.buyer;
        let period = Self::period_of(now);
        let mut record = Self::period_record(&seller, period)?;
        Self::ensure(record.declaration.is_none(), Error::PeriodClosed)?;
        record.credited = record
            .credited
            .checked_add(gross)
            .ok_or(ArithmeticError::Overflow)?;
        state.credited = state
            .credited
            .checked_add(gross)
            .ok_or(ArithmeticError::Overflow)?;
        let net = state
            .net(invoice.gross())
            .ok_or(ArithmeticError::Underflow)?;
        let refund = state.paid.saturating_sub(net);
        state.paid = state.paid.min(net);
        let mut by_rate = Vec::with_capacity(body.breakdown.len());
        for entry in &body.breakdown {
            let key = (entry.category, entry.rate);
            let after =
                arithmetic::credited_after(Self::credited_at(id, key), entry.taxable, entry.rate)
                    .map_err(Self::error)?;
            by_rate.push((key, after));
        }
        let vat = Self::vat_update(
            &seller,
            &buyer,
            period,
            &body.breakdown,
            VatChange::Credited,
        )?;
        // A deduction already made gives back the tax this credit note reverses, in the
        // buyer's current period (its claimed period may be declared already).
        let reversal = match InputClaims::get(&id) {
            Some(mut claim) => {
                let tax = body.totals.tax_total;
                claim.reversed = claim
                    .reversed
                    .checked_add(tax)
                    .ok_or(ArithmeticError::Overflow)?;
                let mut buyer_tax = PeriodTaxes::get(&buyer, &period);
                buyer_tax.input_tax_reversed = buyer_tax
                    .input_tax_reversed
                    .checked_add(tax)
                    .ok_or(ArithmeticError::Overflow)?;
                Some((claim, buyer_tax))
            }
            None => None,
        };
        let allocation = Self::allocate(&seller, invoice.number.series)?;
        let credit_note = Self::new_invoice(&allocation, body, now, now, Some(id));
        // The seller keeps its existential deposit: a refund it cannot afford fails whole.
        Self::move_money(&[(seller, buyer, refund)])?;

        if confirmed {
            Self::record(id, who, Action::CreditConfirmed);
            Self::deposit_event(Event::CreditConfirmed { id, by: *who });
        }
        Periods::insert(&seller, &period, &record);
        Self::write_vat(&vat);
        if let Some((claim, buyer_tax)) = reversal {
            InputClaims::insert(&id, &claim);
            PeriodTaxes::insert(&buyer, &period, &buyer_tax);
        }
        for (key, after) in &by_rate {
            CreditedByRate::insert(&id, key, after);
        }
        Self::store_new(&allocation, &credit_note, Self::initial_state(), who);
        CreditRequests::remove(&id);
        Self::record(
            id,
            who,
            Action::Credited {
                credit_note: allocation.id,
                gross,
            },
        );
        if refund > 0 {
            Self::record(id, who, Action::Refunded { amount: refund });
        }
        let status = Self::put_state(id, invoice, state, who);
        Self::deposit_event(Event::CreditNoteIssued {
            credit_note: allocation.id,
            original: id,
            sequence: allocation.number.sequence,
            gross,
            reason,
            status,
        });
        if refund > 0 {
            Self::deposit_event(Event::CreditRefunded {
                id,
                credit_note: allocation.id,
                buyer,
                amount: refund,
            });
        }
        Ok(())
    }

    fn request_credit(
        origin: Origin,
        id: InvoiceId,
        content: CreditContent,
        reason: ReasonCode,
        content_hash: H256,
    ) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, state) = Self::load_invoice(id)?;
        let seller = invoice.seller;
        let buyer = invoice.body.buyer;
        Self::ensure(who == seller || who == buyer, Error::NotAllowed)?;
        Self::ensure(
            !CreditRequests::contains_key(&id),
            Error::CreditRequestPending,
        )?;
        Self::ensure(!state.status.is_terminal(), Error::InvalidStatus)?;
        let body = Self::credit_body(id, &invoice, content, content_hash)?;
        let gross = body.totals.gross_total;
        Self::check_credit(id, &invoice, &state, gross)?;

        let financed = state.lien.map(|lien| lien.financier);
        let buyer_involved = state.acknowledged
            || state.paid > 0
            || state.reimbursement != Reimbursement::Available
            || financed.is_some();
        let awaiting_counterparty = if who == buyer {
            Some(seller)
        } else if buyer_involved {
            Some(buyer)
        } else {
            None
        };
        if awaiting_counterparty.is_none() && financed.is_none() {
            return Self::issue_credit_note(id, &invoice, state, body, reason, &who, false);
        }
        CreditRequests::insert(
            &id,
            &CreditRequest {
                requester: who,
                reason,
                body,
                awaiting_counterparty,
                awaiting_financier: financed,
                requested_at: T::now(),
            },
        );
        Self::record(id, &who, Action::CreditRequested { gross, reason });
        Self::deposit_event(Event::CreditRequested {
            id,
            requester: who,
            gross,
            reason,
        });
        Ok(())
    }

    fn confirm_credit(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut request =
            CreditRequests::get(&id).ok_or_else(|| Self::error(Error::NoCreditRequest))?;
        if request.awaiting_counterparty == Some(who) {
            request.awaiting_counterparty = None;
        } else if request.awaiting_financier == Some(who) {
            request.awaiting_financier = None;
        } else {
            return Err(Self::error(Error::NothingToConfirm));
        }
        if request.awaiting_counterparty.is_none() && request.awaiting_financier.is_none() {
            let (invoice, state) = Self::load_invoice(id)?;
            return Self::issue_credit_note(
                id,
                &invoice,
                state,
                request.body,
                request.reason,
                &who,
                true,
            );
        }
        CreditRequests::insert(&id, &request);
        Self::record(id, &who, Action::CreditConfirmed);
        Self::deposit_event(Event::CreditConfirmed { id, by: who });
        Ok(())
    }

    fn withdraw_credit_request(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let request =
            CreditRequests::get(&id).ok_or_else(|| Self::error(Error::NoCreditRequest))?;
        let (invoice, _) = Self::load(id)?;
        Self::ensure(
            who == invoice.seller
                || who == invoice.body.buyer
                || Some(who) == request.awaiting_financier,
            Error::NotAllowed,
        )?;
        CreditRequests::remove(&id);
        Self::record(id, &who, Action::CreditWithdrawn);
        Self::deposit_event(Event::CreditRequestWithdrawn { id, by: who });
        Ok(())
    }

    // ---------------------------------------------------------------- reimbursement

    fn authorise_reimburser(origin: Origin, agent: AccountId) -> DispatchResult {
        let organisation = ensure_signed(&origin)?;
        Self::ensure(agent != organisation, Error::NotAllowed)?;
        Self::ensure(
            !Reimbursers::contains_key(&organisation, &agent),
            Error::AlreadyAuthorised,
        )?;
        Reimbursers::insert(&organisation, &agent, &());
        Self::deposit_event(Event::ReimburserAuthorised {
            organisation,
            agent,
        });
        Ok(())
    }

    fn revoke_reimburser(origin: Origin, agent: AccountId) -> DispatchResult {
        let organisation = ensure_signed(&origin)?;
        Self::ensure(
            Reimbursers::contains_key(&organisation, &agent),
            Error::NotAuthorised,
        )?;
        Reimbursers::remove(&organisation, &agent);
        Self::deposit_event(Event::ReimburserRevoked {
            organisation,
            agent,
        });
        Ok(())
    }

    /// Whether `who` acts for the buyer `organisation`.
    fn acts_for(who: &AccountId, organisation: &AccountId) -> bool {
        who == organisation || Reimbursers::contains_key(organisation, who)
    }

    fn lock_for_reimbursement(
        origin: Origin,
        id: InvoiceId,
        claimant: AccountId,
    ) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        let organisation = invoice.body.buyer;
        Self::ensure(Self::acts_for(&who, &organisation), Error::NotAuthorised)?;
        match state.reimbursement {
            Reimbursement::Available => {}
            Reimbursement::Locked { .. } => return Err(Self::error(Error::Locked)),
            Reimbursement::Reimbursed { .. } => return Err(Self::error(Error::AlreadyReimbursed)),
        }
        Self::ensure(!state.status.is_terminal(), Error::InvalidStatus)?;
        Self::ensure(state.status != InvoiceStatus::Disputed, Error::Disputed)?;
        state.reimbursement = Reimbursement::Locked {
            organisation,
            locker: who,
            claimant,
            since: T::now(),
        };
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::Locked { claimant });
        Self::deposit_event(Event::InvoiceLocked {
            id,
            organisation,
            locker: who,
            claimant,
        });
        Ok(())
    }

    /// The lock of an invoice, if `who` may act on it: the buyer, or the locker while it is
    /// still authorised.
    fn own_lock(
        who: &AccountId,
        state: &InvoiceState,
    ) -> Result<(AccountId, AccountId), DispatchError> {
        match state.reimbursement {
            Reimbursement::Available => Err(Self::error(Error::NotLocked)),
            Reimbursement::Reimbursed { .. } => Err(Self::error(Error::AlreadyReimbursed)),
            Reimbursement::Locked {
                organisation,
                locker,
                claimant,
                ..
            } => {
                let allowed =
                    *who == organisation || (*who == locker && Self::acts_for(who, &organisation));
                Self::ensure(allowed, Error::NotAuthorised)?;
                Ok((organisation, claimant))
            }
        }
    }

    fn unlock(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::own_lock(&who, &state)?;
        state.reimbursement = Reimbursement::Available;
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::Unlocked);
        Self::deposit_event(Event::InvoiceUnlocked { id, by: who });
        Ok(())
    }

    fn reimburse(origin: Origin, id: InvoiceId, amount: Balance) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        let (organisation, claimant) = Self::own_lock(&who, &state)?;
        Self::ensure(state.status != InvoiceStatus::Disputed, Error::Disputed)?;
        Self::ensure(amount > 0, Error::ZeroAmount)?;
        // What was paid (never above the net): an unpaid invoice reimburses nothing.
        Self::ensure(amount <= state.paid, Error::ExceedsPaid)?;
        Self::ensure(who != claimant, Error::PayerIsPayee)?;
        Self::move_money(&[(who, claimant, amount)])?;
        state.reimbursement = Reimbursement::Reimbursed {
            organisation,
            claimant,
            amount,
            at: T::now(),
        };
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::Reimbursed { claimant, amount });
        Self::deposit_event(Event::InvoiceReimbursed {
            id,
            organisation,
            claimant,
            amount,
        });
        Ok(())
    }

    // ---------------------------------------------------------------- financing

    /// Whether the invoice can be financed now for `advance`: open, undisputed, within what
    /// is still owed and within the net not yet financed (by bills or a lien).
    fn check_financeable(
        id: InvoiceId,
        invoice: &Invoice,
        state: &InvoiceState,
        advance: Balance,
    ) -> DispatchResult {
        Self::ensure(state.status != InvoiceStatus::Disputed, Error::Disputed)?;
        Self::ensure(!state.status.is_closed(), Error::InvalidStatus)?;
        Self::ensure(advance > 0, Error::ZeroAmount)?;
        Self::ensure(
            advance <= Self::outstanding(invoice, state)?,
            Error::ExceedsOutstanding,
        )?;
        let net = state
            .net(invoice.gross())
            .ok_or(ArithmeticError::Underflow)?;
        Self::ensure(
            advance <= net.saturating_sub(Financed::get(&id)),
            Error::ReceivableFinanced,
        )
    }

    fn offer_financing(origin: Origin, id: InvoiceId, advance: Balance) -> DispatchResult {
        let financier = ensure_signed(&origin)?;
        let (invoice, state) = Self::load_invoice(id)?;
        Self::ensure(
            financier != invoice.seller && financier != invoice.body.buyer,
            Error::InvalidFinancier,
        )?;
        Self::check_financeable(id, &invoice, &state, advance)?;
        // Not recorded in the invoice's history: anyone may offer, and a stranger must not
        // be able to grow a document's history. The event is the record.
        FinancingOffers::insert(
            &id,
            &financier,
            &FinancingOffer {
                advance,
                offered_at: T::now(),
            },
        );
        Self::deposit_event(Event::FinancingOffered {
            id,
            financier,
            advance,
        });
        Ok(())
    }

    fn accept_financing(origin: Origin, id: InvoiceId, financier: AccountId) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::ensure(invoice.seller == seller, Error::NotAllowed)?;
        Self::ensure(state.lien.is_none(), Error::LienExists)?;
        let offer =
            FinancingOffers::get(&id, &financier).ok_or_else(|| Self::error(Error::NoOffer))?;
        // A pending credit request was asked without this financier's consent.
        Self::ensure(
            !CreditRequests::contains_key(&id),
            Error::CreditRequestPending,
        )?;
        Self::check_financeable(id, &invoice, &state, offer.advance)?;
        Self::move_money(&[(financier, seller, offer.advance)])?;
        // Checked within the net above, so this cannot fail after the money moved.
        Self::finance_receivable(id, offer.advance)?;
        let lien = Lien {
            financier,
            advance: offer.advance,
            repaid: 0,
            state: LienState::Active,
        };
        state.lien = Some(lien);
        FinancingOffers::remove(&id, &financier);
        Self::put_state(id, &invoice, state, &seller);
        Self::record(
            id,
            &seller,
            Action::FinancingAccepted {
                advance: lien.advance,
            },
        );
        Self::deposit_event(Event::FinancingAccepted {
            id,
            financier,
            advance: lien.advance,
        });
        Ok(())
    }

    fn decline_financing(origin: Origin, id: InvoiceId, financier: AccountId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, _) = Self::load_invoice(id)?;
        Self::ensure(who == invoice.seller || who == financier, Error::NotAllowed)?;
        Self::ensure(
            FinancingOffers::contains_key(&id, &financier),
            Error::NoOffer,
        )?;
        FinancingOffers::remove(&id, &financier);
        Self::deposit_event(Event::FinancingOfferRemoved {
            id,
            financier,
            by: who,
        });
        Ok(())
    }

    fn release_lien(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        let lien = state.lien.ok_or_else(|| Self::error(Error::NoLien))?;
        Self::ensure(lien.financier == who, Error::NotAllowed)?;
        state.lien = None;
        Self::release_receivable(id, lien.advance);
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::LienReleased);
        Self::deposit_event(Event::LienReleased { id, financier: who });
        Ok(())
    }

    fn enforce_lien(origin: Origin, id: InvoiceId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        let mut lien = state
            .lien
            .filter(|lien| lien.state == LienState::Active)
            .ok_or_else(|| Self::error(Error::NoLien))?;
        Self::ensure(lien.financier == who, Error::NotAllowed)?;
        Self::ensure(T::now() > invoice.due, Error::NotDue)?;
        lien.state = LienState::Enforced;
        state.lien = Some(lien);
        Self::put_state(id, &invoice, state, &who);
        Self::record(id, &who, Action::LienEnforced);
        Self::deposit_event(Event::LienEnforced { id, financier: who });
        Ok(())
    }

    // ---------------------------------------------------------------- input tax and voiding

    fn claim_input_tax(origin: Origin, id: InvoiceId) -> DispatchResult {
        let buyer = ensure_signed(&origin)?;
        let (invoice, state) = Self::load_invoice(id)?;
        Self::ensure(invoice.body.buyer == buyer, Error::NotAllowed)?;
        Self::ensure(!state.status.is_terminal(), Error::InvalidStatus)?;
        Self::ensure(
            !InputClaims::contains_key(&id),
            Error::InputTaxAlreadyClaimed,
        )?;
        // The buyer deducts what it accepted, not whatever a seller sends it.
        Self::ensure(state.acknowledged || state.paid > 0, Error::NothingToClaim)?;
        let tax = Self::deductible_tax(id, &invoice)?;
        Self::ensure(tax > 0, Error::NothingToClaim)?;
        let period = Self::current_period();
        let mut buyer_tax = PeriodTaxes::get(&buyer, &period);
        buyer_tax.input_tax = buyer_tax
            .input_tax
            .checked_add(tax)
            .ok_or(ArithmeticError::Overflow)?;
        PeriodTaxes::insert(&buyer, &period, &buyer_tax);
        InputClaims::insert(
            &id,
            &InputClaim {
                period,
                tax,
                reversed: 0,
            },
        );
        Self::record(id, &buyer, Action::InputTaxClaimed { period, tax });
        Self::deposit_event(Event::InputTaxClaimed {
            id,
            buyer,
            period,
            tax,
        });
        Ok(())
    }

    /// Nothing happened to the invoice yet that a void would silently undo.
    fn voidable(id: InvoiceId, state: &InvoiceState) -> bool {
        matches!(
            state.status,
            InvoiceStatus::Issued | InvoiceStatus::Disputed
        ) && !state.acknowledged
            && state.paid == 0
            && state.credited == 0
            && state.lien.is_none()
            && state.reimbursement == Reimbursement::Available
            && Financed::get(&id) == 0
            && !CreditRequests::contains_key(&id)
            && !InputClaims::contains_key(&id)
    }

    fn void_invoice(origin: Origin, id: InvoiceId, reason: ReasonCode) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        let (invoice, mut state) = Self::load_invoice(id)?;
        Self::ensure(invoice.seller == seller, Error::NotAllowed)?;
        Self::ensure(Self::voidable(id, &state), Error::NotVoidable)?;
        let period = invoice.period;
        Self::ensure(period == Self::current_period(), Error::VoidPeriodOver)?;
        let mut record = Self::period_record(&seller, period)?;
        record.issued = record
            .issued
            .checked_sub(invoice.gross())
            .ok_or(ArithmeticError::Underflow)?;
        let vat = Self::vat_update(
            &seller,
            &invoice.body.buyer,
            period,
            &invoice.body.breakdown,
            VatChange::Voided,
        )?;
        Periods::insert(&seller, &period, &record);
        Self::write_vat(&vat);
        state.status = InvoiceStatus::Voided;
        state.dispute = None;
        Self::put_state(id, &invoice, state, &seller);
        Self::record(id, &seller, Action::Voided { reason });
        Self::deposit_event(Event::InvoiceVoided {
            id,
            issuer: seller,
            period,
            reason,
        });
        Ok(())
    }
}

/// 1 to `max` series, all distinct.
pub(crate) fn valid_series(series: &[SeriesCode], max: u32) -> bool {
    !series.is_empty()
        && series.len() <= max as usize
        && series.iter().enumerate().all(|(i, code)| {
            !series
                .iter()
                .skip(i.saturating_add(1))
                .any(|other| other == code)
        })
}
