//! Folio's e-invoices, shown to clients as the pallet `Invoices`: the issuer registry with
//! quotas per tax period, arithmetic-checked EN 16931 invoices numbered by the chain, payment,
//! red-letter credit notes, the reimbursement lock and the financing lien.
//!
//! The promise is "capital flow = invoice flow": every call that moves money (paying, paying
//! and issuing, reimbursing, accepting financing) moves it through [`Config::Currency`] in the
//! same extrinsic as it changes the invoice, and either both happen or neither does. This
//! pallet owns its own storage only; it never touches balances except through `Currency`.
//!
//! The model ([`types`]):
//! - an [`Invoice`] is the immutable document (number, seller, buyer, lines, VAT breakdown,
//!   totals, due time, content hash); a credit note is an invoice whose `corrects` names the
//!   invoice it reduces;
//! - an [`InvoiceState`] is what happens to it: status, paid, credited, dispute, the
//!   reimbursement lock (`Available → Locked → Reimbursed`) and at most one financing lien.
//!
//! Statuses: `Issued → Acknowledged → PartiallyPaid → Paid`, `Disputed` (from Issued or
//! Acknowledged, back by acknowledging), `Settled` (the net after credits fully paid) and
//! `Reversed` (fully credited, terminal). The status is always derived from the amounts
//! ([`types::derive_status`]), so it cannot disagree with them.
//!
//! Arithmetic ([`arithmetic`]): integer minor units, line nets and per-category tax rounded
//! half-up; an invoice whose lines, breakdown or totals do not add up exactly is refused.
//!
//! Tax periods are calendar months in UTC ([`calendar`]). Each period keeps, per issuer and
//! per buyer, net and tax by (category, rate) of its invoices and credit notes
//! (`IssuerVat`, `BuyerVat`) and per account the sums a declaration states (`PeriodTaxes`);
//! the issuer files the declaration of an ended period and the tax authority confirms it.
//!
//! Origins: the tax authority is Root (governance) or the account governance granted it with
//! `set_tax_authority`: `register_issuer`, `set_quota`, `close_period` (confirming a filed
//! declaration), `set_allowed_rates`, `suspend_issuer`, `reinstate_issuer`. Every other call is signed, by the party it
//! belongs to (seller, buyer, the buyer's organisation or its agent, financier, any payer).
//!
//! Invariants ([`invariants::check_invariants`]): numbers unique and never reused; an issued
//! invoice's content never changes; arithmetic holds; paid ≤ net and Σ credits ≤ total; one
//! lock and one lien at most, each consistent; Reimbursed and Reversed are terminal (checked
//! step by step in the property tests); Σ issued − credited in a period ≤ quota; status,
//! indexes, history and period totals agree with the invoices.
//!
//! Every call checks its origin first, validates everything before it writes, and emits an
//! event for every change.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::float_arithmetic
    )
)]

extern crate alloc;

pub mod api;
pub mod arithmetic;
pub mod benchmarking;
pub mod calendar;
mod call;
mod error;
mod event;
pub mod exemption;
mod genesis;
pub mod invariants;
mod metadata;
pub mod migrations;
pub mod types;
mod vat;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::{GenesisConfig, GenesisError, GenesisIssuer};
pub use metadata::metadata;
pub use types::*;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// What the runtime tells the e-invoice pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime (`Invoices`).
    const INDEX: u8;
    /// Most lines per invoice (and breakdown entries).
    const MAX_LINES: u32;
    /// Most series per issuer.
    const MAX_SERIES: u32;
    /// Most drafts a seller may keep open for "pay and issue".
    const MAX_OPEN_DRAFTS: u32;
    /// Longest payment terms, in days.
    const MAX_PAYMENT_DAYS: u32;
    /// The ISO 4217 code of the native currency; invoices must be in it.
    const CURRENCY_CODE: CurrencyCode;
    /// The money invoices are paid in (the currency pallet).
    type Currency: folio_pallet_support::currency::Currency;
    /// The current block time in ms (the runtime passes `Timestamp::now`).
    fn now() -> Moment;
}

folio_pallet_support::storage! {
    pallet "Invoices";
    /// Registered issuers.
    pub Issuers: Map<Blake2_128Concat, AccountId, Issuer, OptionQuery>;
    /// The issuer registered with each tax id.
    pub IssuerByTaxId: Map<Blake2_128Concat, TaxId, AccountId, OptionQuery>;
    /// The next sequence number of each (issuer, series).
    pub NextSequence: DoubleMap<Blake2_128Concat, AccountId, Blake2_128Concat, SeriesCode, u32, ValueQuery>;
    /// The invoice holding each number: a number is used once and never again.
    pub InvoiceNumbers: Map<Blake2_128Concat, InvoiceNumber, InvoiceId, OptionQuery>;
    /// The id the next invoice or credit note gets.
    pub NextInvoiceId: Value<InvoiceId, ValueQuery>;
    /// Issued invoices and credit notes (immutable).
    pub Invoices: Map<Twox64Concat, InvoiceId, Invoice, OptionQuery>;
    /// What happened to each invoice since it was issued.
    pub InvoiceStates: Map<Twox64Concat, InvoiceId, InvoiceState, OptionQuery>;
    /// blake2-256 of each invoice's SCALE encoding, written once at issue and never again:
    /// proves the content unchanged (kept apart from the state every call rewrites).
    pub ContentDigests: Map<Twox64Concat, InvoiceId, H256, OptionQuery>;
    /// What the credit notes of each invoice reversed so far per (category, rate).
    pub CreditedByRate: DoubleMap<Twox64Concat, InvoiceId, Twox64Concat, (TaxCategory, u32), CreditedAtRate, OptionQuery>;
    /// Standing financing offers per invoice and financier (none is a lien until accepted).
    pub FinancingOffers: DoubleMap<Twox64Concat, InvoiceId, Blake2_128Concat, AccountId, FinancingOffer, OptionQuery>;
    /// How much of each invoice's net is financed: the advances of its lien plus the face
    /// amounts of the bills citing it. Never above the net.
    pub Financed: Map<Twox64Concat, InvoiceId, Balance, ValueQuery>;
    /// The pending credit request of an invoice (at most one).
    pub CreditRequests: Map<Twox64Concat, InvoiceId, CreditRequest, OptionQuery>;
    /// Invoices each buyer still owes something on (status Issued, Acknowledged, Disputed or
    /// PartiallyPaid).
    pub BuyerOpenInvoices: DoubleMap<Blake2_128Concat, AccountId, Twox64Concat, InvoiceId, (), OptionQuery>;
    /// Each invoice's history, entry by entry.
    pub History: DoubleMap<Twox64Concat, InvoiceId, Twox64Concat, u32, HistoryEntry, OptionQuery>;
    /// How many history entries each invoice has.
    pub HistoryLen: Map<Twox64Concat, InvoiceId, u32, ValueQuery>;
    /// Prepared invoices waiting for "pay and issue".
    pub Drafts: Map<Twox64Concat, DraftId, Draft, OptionQuery>;
    /// The id the next draft gets.
    pub NextDraftId: Value<DraftId, ValueQuery>;
    /// How many drafts each seller has open (at most `MaxOpenDrafts`).
    pub OpenDrafts: Map<Blake2_128Concat, AccountId, u32, ValueQuery>;
    /// Agents an organisation authorised to lock and reimburse its invoices.
    pub Reimbursers: DoubleMap<Blake2_128Concat, AccountId, Blake2_128Concat, AccountId, (), OptionQuery>;
    /// Each issuer's tax periods: quota, totals and the closing declaration.
    pub Periods: DoubleMap<Blake2_128Concat, AccountId, Twox64Concat, PeriodIndex, PeriodRecord, OptionQuery>;
    /// The account governance (Root) granted the tax authority's powers; Root keeps them too.
    pub TaxAuthority: Value<AccountId, OptionQuery>;
    /// The (category, rate) pairs invoices may use, set by the tax authority. Absent until it
    /// first sets a table: then every rate its category accepts is allowed.
    pub AllowedRates: Value<Vec<(TaxCategory, u32)>, OptionQuery>;
    /// Issuers the tax authority suspended: they may not issue new invoices (credit notes
    /// correcting earlier ones stay possible).
    pub SuspendedIssuers: Map<Blake2_128Concat, AccountId, (), OptionQuery>;
    /// Output VAT per (issuer, period) and (category, rate): its invoices and credit notes.
    pub IssuerVat: DoubleMap<Blake2_128Concat, (AccountId, PeriodIndex), Twox64Concat, (TaxCategory, u32), VatTotals, OptionQuery>;
    /// Input VAT per (buyer, period) and (category, rate): the invoices and credit notes it
    /// received.
    pub BuyerVat: DoubleMap<Blake2_128Concat, (AccountId, PeriodIndex), Twox64Concat, (TaxCategory, u32), VatTotals, OptionQuery>;
    /// Each account's tax per period over all rates (output as issuer, input claimed as
    /// buyer): the sums a declaration states.
    pub PeriodTaxes: DoubleMap<Blake2_128Concat, AccountId, Twox64Concat, PeriodIndex, PeriodTax, ValueQuery>;
    /// The input-tax deduction of each invoice (at most one: input VAT is deducted once).
    pub InputClaims: Map<Twox64Concat, InvoiceId, InputClaim, OptionQuery>;
}

/// The most (category, rate) pairs the allowed-rates table may hold.
pub const MAX_ALLOWED_RATES: u32 = 64;

/// The e-invoice pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }

    /// The tax period (calendar month, UTC) `moment` falls in.
    pub fn period_of(moment: Moment) -> PeriodIndex {
        calendar::period_of(moment)
    }

    /// The current tax period.
    pub fn current_period() -> PeriodIndex {
        Self::period_of(T::now())
    }

    /// The net an invoice is worth after credit notes (`gross − credited`): what bills may
    /// cite it for as trade background. `None` for unknown ids and for credit notes.
    pub fn invoice_net(id: InvoiceId) -> Option<Balance> {
        let invoice = Invoices::get(&id)?;
        if invoice.is_credit_note() {
            return None;
        }
        Self::net_of(&invoice, &InvoiceStates::get(&id)?)
    }

    /// The net of an invoice after credit notes; a voided invoice is worth nothing (no bill
    /// may cite it).
    fn net_of(invoice: &Invoice, state: &InvoiceState) -> Option<Balance> {
        if state.status == InvoiceStatus::Voided {
            return Some(0);
        }
        state.net(invoice.gross())
    }

    /// An invoice as trade background: parties, the net after credit notes and whether it is
    /// a credit note. `None` for unknown ids.
    pub fn trade_background(id: InvoiceId) -> Option<TradeBackground<AccountId, Balance>> {
        let invoice = Invoices::get(&id)?;
        let net = Self::net_of(&invoice, &InvoiceStates::get(&id)?)?;
        Some(TradeBackground {
            seller: invoice.seller,
            buyer: invoice.body.buyer,
            net,
            is_credit_note: invoice.is_credit_note(),
        })
    }

    /// How much of an invoice's net is financed (lien advances and bills).
    pub fn financed(id: InvoiceId) -> Balance {
        Financed::get(&id)
    }

    /// Reserves `amount` of an invoice's net as financed (a bill citing it, or a lien).
    /// Fails with `UnknownInvoice`, `IsCreditNote` or `ReceivableFinanced` when bills and
    /// liens together would exceed the net; changes nothing then.
    pub fn finance_receivable(id: InvoiceId, amount: Balance) -> DispatchResult {
        let background =
            Self::trade_background(id).ok_or_else(|| Self::error(Error::UnknownInvoice))?;
        if background.is_credit_note {
            return Err(Self::error(Error::IsCreditNote));
        }
        let financed = Financed::get(&id)
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        if financed > background.net {
            return Err(Self::error(Error::ReceivableFinanced));
        }
        Financed::insert(&id, &financed);
        Ok(())
    }

    /// Releases `amount` reserved by [`Self::finance_receivable`] (at most what is reserved:
    /// releasing more clears the reservation).
    pub fn release_receivable(id: InvoiceId, amount: Balance) {
        // Saturating: a caller releasing more than it reserved cannot make the registry
        // claim less than nothing.
        let left = Financed::get(&id).saturating_sub(amount);
        if left == 0 {
            Financed::remove(&id);
        } else {
            Financed::insert(&id, &left);
        }
    }

    /// Appends to an invoice's history.
    pub(crate) fn record(id: InvoiceId, who: &AccountId, action: Action) {
        let index = HistoryLen::get(&id);
        History::insert(
            &id,
            &index,
            &HistoryEntry {
                block: folio_pallet_system::Pallet::<T>::block_number(),
                at: T::now(),
                who: *who,
                action,
            },
        );
        // u32::MAX entries on one invoice cannot be paid for; saturating keeps this infallible.
        HistoryLen::insert(&id, &index.saturating_add(1));
    }
}

/// What other pallets (bills) may ask about invoices.
pub trait InvoiceInspect {
    /// See [`Pallet::invoice_net`].
    fn invoice_net(id: InvoiceId) -> Option<Balance>;
    /// Seller and buyer of an invoice.
    fn invoice_parties(id: InvoiceId) -> Option<(AccountId, AccountId)>;
}

impl<T: Config> InvoiceInspect for Pallet<T> {
    fn invoice_net(id: InvoiceId) -> Option<Balance> {
        Pallet::<T>::invoice_net(id)
    }
    fn invoice_parties(id: InvoiceId) -> Option<(AccountId, AccountId)> {
        Invoices::get(&id).map(|invoice| (invoice.seller, invoice.body.buyer))
    }
}
