//! VAT per period: what issuing, crediting and voiding add to (or take from) the totals per
//! (category, rate) of the issuer and of the buyer, and to the issuer's period tax. Each
//! change is computed with checked arithmetic before anything is written, so a call that
//! fails leaves every total as it was.

use crate::types::*;
use crate::{BuyerVat, Config, CreditedByRate, IssuerVat, Pallet, PeriodTaxes};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// How a document's VAT breakdown changes its period's totals.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum VatChange {
    /// An invoice issued in the period.
    Invoiced,
    /// A credit note issued in the period.
    Credited,
    /// An invoice of the period voided by its issuer.
    Voided,
}

/// The new totals one change writes, computed before any of them is.
pub(crate) struct VatUpdate {
    issuer: (AccountId, PeriodIndex),
    buyer: (AccountId, PeriodIndex),
    issuer_rates: Vec<((TaxCategory, u32), VatTotals)>,
    buyer_rates: Vec<((TaxCategory, u32), VatTotals)>,
    issuer_tax: PeriodTax,
}

fn add(a: Balance, b: Balance) -> Result<Balance, DispatchError> {
    a.checked_add(b)
        .ok_or_else(|| ArithmeticError::Overflow.into())
}

fn sub(a: Balance, b: Balance) -> Result<Balance, DispatchError> {
    a.checked_sub(b)
        .ok_or_else(|| ArithmeticError::Underflow.into())
}

/// `totals` after `change` of one breakdown entry.
fn changed(
    mut totals: VatTotals,
    entry: &TaxSubtotal,
    change: VatChange,
) -> Result<VatTotals, DispatchError> {
    match change {
        VatChange::Invoiced => {
            totals.taxable = add(totals.taxable, entry.taxable)?;
            totals.tax = add(totals.tax, entry.tax)?;
        }
        VatChange::Credited => {
            totals.credited_taxable = add(totals.credited_taxable, entry.taxable)?;
            totals.credited_tax = add(totals.credited_tax, entry.tax)?;
        }
        VatChange::Voided => {
            totals.taxable = sub(totals.taxable, entry.taxable)?;
            totals.tax = sub(totals.tax, entry.tax)?;
        }
    }
    Ok(totals)
}

impl<T: Config> Pallet<T> {
    /// The totals `change` of a document between `seller` and `buyer` with `breakdown` makes
    /// in `period`. Fails (writing nothing) only on overflow or underflow.
    pub(crate) fn vat_update(
        seller: &AccountId,
        buyer: &AccountId,
        period: PeriodIndex,
        breakdown: &[TaxSubtotal],
        change: VatChange,
    ) -> Result<VatUpdate, DispatchError> {
        let issuer = (*seller, period);
        let buyer = (*buyer, period);
        let mut issuer_rates = Vec::with_capacity(breakdown.len());
        let mut buyer_rates = Vec::with_capacity(breakdown.len());
        let mut tax: Balance = 0;
        // A breakdown has one entry per (category, rate), so no key is counted twice.
        for entry in breakdown {
            let key = (entry.category, entry.rate);
            let at_issuer = IssuerVat::get(&issuer, &key).unwrap_or_default();
            issuer_rates.push((key, changed(at_issuer, entry, change)?));
            let at_buyer = BuyerVat::get(&buyer, &key).unwrap_or_default();
            buyer_rates.push((key, changed(at_buyer, entry, change)?));
            tax = add(tax, entry.tax)?;
        }
        let mut issuer_tax = PeriodTaxes::get(&issuer.0, &period);
        match change {
            VatChange::Invoiced => issuer_tax.output_tax = add(issuer_tax.output_tax, tax)?,
            VatChange::Credited => {
                issuer_tax.output_tax_credited = add(issuer_tax.output_tax_credited, tax)?
            }
            VatChange::Voided => issuer_tax.output_tax = sub(issuer_tax.output_tax, tax)?,
        }
        Ok(VatUpdate {
            issuer,
            buyer,
            issuer_rates,
            buyer_rates,
            issuer_tax,
        })
    }

    /// Writes what [`Self::vat_update`] computed.
    pub(crate) fn write_vat(update: &VatUpdate) {
        for (key, totals) in &update.issuer_rates {
            IssuerVat::insert(&update.issuer, key, totals);
        }
        for (key, totals) in &update.buyer_rates {
            BuyerVat::insert(&update.buyer, key, totals);
        }
        PeriodTaxes::insert(&update.issuer.0, &update.issuer.1, &update.issuer_tax);
    }

    /// An invoice's tax net of its credit notes: what its buyer may deduct as input tax.
    pub fn deductible_tax(id: InvoiceId, invoice: &Invoice) -> Result<Balance, DispatchError> {
        let mut credited: Balance = 0;
        for entry in &invoice.body.breakdown {
            let key = (entry.category, entry.rate);
            credited = add(
                credited,
                CreditedByRate::get(&id, &key).unwrap_or_default().tax,
            )?;
        }
        sub(invoice.body.totals.tax_total, credited)
    }
}
