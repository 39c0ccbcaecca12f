//! Queries for dApps, exported by the runtime as the `InvoicesApi_*` runtime API. Each returns
//! a SCALE-encodable value; list queries are paged by a caller-given `limit` (at most
//! [`MAX_PAGE`]) and a `start` to resume from.

use crate::types::*;
use crate::{
    BuyerOpenInvoices, Config, CreditRequests, History, HistoryLen, InvoiceNumbers, InvoiceStates,
    Invoices, Issuers, Pallet, Periods,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// The most entries one page returns.
pub const MAX_PAGE: u32 = 100;

/// An invoice with what happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("api", "pallet"))]
pub struct InvoiceView {
    pub id: InvoiceId,
    pub invoice: Invoice,
    pub state: InvoiceState,
    /// `gross − credited`.
    pub net: Balance,
    /// `net − paid`.
    pub outstanding: Balance,
    pub credit_request: Option<CreditRequest>,
    /// The first page of its history (see [`invoice_history`] for more).
    pub history: Vec<HistoryEntry>,
}

/// `InvoicesApi_invoice`: an invoice, its state and the first [`MAX_PAGE`] history entries.
pub fn invoice(id: InvoiceId) -> Option<InvoiceView> {
    let invoice = Invoices::get(&id)?;
    let state = InvoiceStates::get(&id)?;
    // A voided invoice is worth nothing and owes nothing.
    let voided = state.status == InvoiceStatus::Voided;
    let net = if voided {
        0
    } else {
        state.net(invoice.gross())?
    };
    let outstanding = if voided {
        0
    } else {
        state.outstanding(invoice.gross())?
    };
    Some(InvoiceView {
        id,
        invoice,
        state,
        net,
        outstanding,
        credit_request: CreditRequests::get(&id),
        history: invoice_history(id, 0, MAX_PAGE),
    })
}

/// `InvoicesApi_invoice_history`: up to `limit` history entries from index `start`.
pub fn invoice_history(id: InvoiceId, start: u32, limit: u32) -> Vec<HistoryEntry> {
    let end = start
        .saturating_add(limit.min(MAX_PAGE))
        .min(HistoryLen::get(&id));
    (start..end).filter_map(|i| History::get(&id, &i)).collect()
}

/// `InvoicesApi_invoice_by_number`: the id of an invoice by its number.
pub fn invoice_by_number(
    issuer: AccountId,
    series: SeriesCode,
    sequence: u32,
) -> Option<InvoiceId> {
    InvoiceNumbers::get(&InvoiceNumber {
        issuer,
        series,
        sequence,
    })
}

/// `InvoicesApi_invoice_net`: what bills may cite the invoice for (see
/// [`Pallet::invoice_net`]).
pub fn invoice_net<T: Config>(id: InvoiceId) -> Option<Balance> {
    Pallet::<T>::invoice_net(id)
}

/// `InvoicesApi_issuer`: a registered issuer.
pub fn issuer(account: AccountId) -> Option<Issuer> {
    Issuers::get(&account)
}

/// `InvoicesApi_current_period`: the tax period of the current block.
pub fn current_period<T: Config>() -> PeriodIndex {
    Pallet::<T>::current_period()
}

/// `InvoicesApi_period_totals`: an issuer's period (quota, issued, credited, declaration). A
/// period without invoices reads as zero totals under the issuer's default quota.
pub fn period_totals(issuer: AccountId, period: PeriodIndex) -> Option<PeriodRecord> {
    if let Some(record) = Periods::get(&issuer, &period) {
        return Some(record);
    }
    Issuers::get(&issuer).map(|registered| PeriodRecord {
        quota: registered.default_quota,
        ..PeriodRecord::default()
    })
}

/// `InvoicesApi_buyer_open_invoices`: up to `limit` ids of invoices `buyer` still owes
/// something on, skipping the first `start` (storage order, stable between blocks that do
/// not change the list).
pub fn buyer_open_invoices(buyer: AccountId, start: u32, limit: u32) -> Vec<InvoiceId> {
    BuyerOpenInvoices::iter_prefix(&buyer)
        .skip(start as usize)
        .take(limit.min(MAX_PAGE) as usize)
        .map(|(id, ())| id)
        .collect()
}
