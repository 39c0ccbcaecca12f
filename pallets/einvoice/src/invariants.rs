//! The e-invoice pallet's invariants, checked after every test and every random step, and
//! callable on chain as an audit (it reads the whole pallet: an off-line or `try_state` tool).
//!
//! Two invariants compare a state with an earlier one and so live in the property tests
//! (`proptests.rs`): Reimbursed and Reversed are terminal, and content never changes between
//! steps. On chain, the content digest written at issue stands in for the latter.

use crate::types::*;
use crate::{
    arithmetic, BuyerOpenInvoices, BuyerVat, Config, ContentDigests, CreditRequests,
    CreditedByRate, Drafts, Financed, FinancingOffers, History, HistoryLen, InputClaims,
    InvoiceNumbers, InvoiceStates, Invoices, IssuerByTaxId, IssuerVat, Issuers, NextDraftId,
    NextInvoiceId, NextSequence, OpenDrafts, PeriodTaxes, Periods,
};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;
use folio_primitives::io;

fn check(
    condition: bool,
    invariant: &'static str,
    id: InvoiceId,
) -> Result<(), InvariantViolation> {
    ensure_invariant(condition, invariant, 0, u128::from(id))
}

/// Checks every invariant of the e-invoice pallet over the whole state.
pub fn check_invariants<T: Config>() -> Result<(), InvariantViolation> {
    check_registry()?;
    let totals = check_invoices::<T>()?;
    check_periods(&totals)?;
    check_vat()?;
    check_requests_and_drafts::<T>()
}

/// `IssuerByTaxId` and `Issuers` mirror each other.
fn check_registry() -> Result<(), InvariantViolation> {
    let mut issuers = 0u128;
    for (account, issuer) in Issuers::iter() {
        issuers = issuers.saturating_add(1);
        check(
            IssuerByTaxId::get(&issuer.tax_id) == Some(account),
            "each issuer's tax id maps back to it",
            0,
        )?;
    }
    let by_tax_id = IssuerByTaxId::iter().count() as u128;
    ensure_invariant(
        by_tax_id == issuers,
        "one tax id per issuer",
        issuers,
        by_tax_id,
    )
}

/// Σ issued and Σ credited per (issuer, period), computed from the invoices.
type PeriodSums = BTreeMap<(AccountId, PeriodIndex), (Balance, Balance)>;

fn check_invoices<T: Config>() -> Result<PeriodSums, InvariantViolation> {
    let next_id = NextInvoiceId::get();
    let mut sums = PeriodSums::new();
    let mut credits: BTreeMap<InvoiceId, Balance> = BTreeMap::new();
    let mut by_rate: BTreeMap<(InvoiceId, TaxCategory, u32), CreditedAtRate> = BTreeMap::new();
    let mut open_per_buyer: BTreeMap<AccountId, u128> = BTreeMap::new();
    let mut buyers: BTreeSet<AccountId> = BTreeSet::new();
    let mut count = 0u128;

    for (id, invoice) in Invoices::iter() {
        count = count.saturating_add(1);
        let state = InvoiceStates::get(&id);
        check(state.is_some(), "every invoice has a state", id)?;
        let state = state.unwrap_or(InvoiceState {
            status: InvoiceStatus::Issued,
            acknowledged: false,
            dispute: None,
            paid: 0,
            credited: 0,
            reimbursement: Reimbursement::Available,
            lien: None,
        });

        // Numbers unique and never reused.
        check(id < next_id, "ids are below NextInvoiceId", id)?;
        let number = invoice.number;
        check(
            InvoiceNumbers::get(&number) == Some(id),
            "numbers are unique: the number maps back to its invoice",
            id,
        )?;
        check(
            number.issuer == invoice.seller,
            "the issuer is the seller",
            id,
        )?;
        check(
            number.sequence < NextSequence::get(&number.issuer, &number.series),
            "sequence numbers are below the series' next (never reused)",
            id,
        )?;
        check(
            Issuers::get(&number.issuer)
                .is_some_and(|issuer| issuer.series.contains(&number.series)),
            "numbers are in a registered issuer's series",
            id,
        )?;

        // Content never changes.
        check(
            ContentDigests::get(&id) == Some(H256(io::blake2_256(&invoice.encode()))),
            "content matches the digest taken at issue",
            id,
        )?;

        // Arithmetic holds (a credit note's tax is cumulative: checked per invoice below).
        let arithmetic = if invoice.is_credit_note() {
            arithmetic::check_credit_note(
                &invoice.body.lines,
                &invoice.body.breakdown,
                &invoice.body.totals,
                T::MAX_LINES,
            )
        } else {
            arithmetic::check(
                &invoice.body.lines,
                &invoice.body.breakdown,
                &invoice.body.totals,
                T::MAX_LINES,
            )
        };
        check(
            arithmetic.is_ok(),
            "arithmetic holds: lines, breakdown and totals add up",
            id,
        )?;
        check(
            crate::exemption::check(&invoice.body.breakdown).is_ok(),
            "exempt breakdown entries carry a valid reason, taxed ones none",
            id,
        )?;
        check(
            invoice.body.currency == T::CURRENCY_CODE && invoice.body.buyer != invoice.seller,
            "invoices are in the chain's currency between two parties",
            id,
        )?;
        check(
            HistoryLen::get(&id) > 0
                && (0..HistoryLen::get(&id)).all(|i| History::contains_key(&id, &i)),
            "history is complete",
            id,
        )?;

        let gross = invoice.gross();
        let key = (invoice.seller, invoice.period);
        let entry = sums.entry(key).or_insert((0, 0));
        if state.status == InvoiceStatus::Voided {
            check(
                state.paid == 0
                    && state.credited == 0
                    && !state.acknowledged
                    && state.lien.is_none()
                    && state.reimbursement == Reimbursement::Available
                    && Financed::get(&id) == 0
                    && !InputClaims::contains_key(&id)
                    && !BuyerOpenInvoices::contains_key(&invoice.body.buyer, &id),
                "a voided invoice had nothing happen to it and counts nowhere",
                id,
            )?;
            continue;
        }
        if let Some(original) = invoice.corrects {
            check(
                invoice.body.invoice_type == InvoiceType::CreditNote
                    && original < id
                    && Invoices::get(&original).is_some_and(|o| {
                        !o.is_credit_note()
                            && o.seller == invoice.seller
                            && o.body.buyer == invoice.body.buyer
                    }),
                "a credit note corrects an earlier invoice of the same parties",
                id,
            )?;
            check(
                state.paid == 0
                    && state.credited == 0
                    && state.status == InvoiceStatus::Issued
                    && state.lien.is_none()
                    && state.reimbursement == Reimbursement::Available,
                "credit notes are never paid, credited, locked or financed",
                id,
            )?;
            entry.1 = entry.1.saturating_add(gross);
            let credited = credits.entry(original).or_insert(0);
            *credited = credited.saturating_add(gross);
            for subtotal in &invoice.body.breakdown {
                let at = by_rate
                    .entry((original, subtotal.category, subtotal.rate))
                    .or_default();
                at.taxable = at.taxable.saturating_add(subtotal.taxable);
                at.tax = at.tax.saturating_add(subtotal.tax);
            }
            continue;
        }
        entry.0 = entry.0.saturating_add(gross);

        check(
            invoice.body.invoice_type != InvoiceType::CreditNote,
            "only credit notes have the credit note type",
            id,
        )?;
        check_state(id, &invoice, &state)?;

        buyers.insert(invoice.body.buyer);
        let open = BuyerOpenInvoices::contains_key(&invoice.body.buyer, &id);
        check(
            open != state.status.is_closed(),
            "a buyer's open list holds exactly its invoices still owed",
            id,
        )?;
        if open {
            let n = open_per_buyer.entry(invoice.body.buyer).or_insert(0);
            *n = n.saturating_add(1);
        }
    }

    let states = InvoiceStates::iter().count() as u128;
    ensure_invariant(states == count, "every state has an invoice", count, states)?;
    let numbers = InvoiceNumbers::iter().count() as u128;
    ensure_invariant(numbers == count, "one number per invoice", count, numbers)?;
    for (id, state) in InvoiceStates::iter() {
        let credited = credits.get(&id).copied().unwrap_or(0);
        ensure_invariant(
            state.credited == credited,
            "credited = Σ credit notes",
            credited,
            state.credited,
        )?;
    }
    check_credited_by_rate(&by_rate)?;
    let digests = ContentDigests::iter().count() as u128;
    ensure_invariant(
        digests == count,
        "one content digest per invoice",
        count,
        digests,
    )?;
    for buyer in buyers {
        let listed = BuyerOpenInvoices::iter_prefix(&buyer).count() as u128;
        let open = open_per_buyer.get(&buyer).copied().unwrap_or(0);
        ensure_invariant(listed == open, "no stray open-list entries", open, listed)?;
    }
    Ok(sums)
}

/// Per invoice and (category, rate): the credit notes reverse at most the taxable amount and
/// tax charged there, their tax is always the tax of their taxable sum (no pure-VAT
/// remainder), and `CreditedByRate` holds their sums.
fn check_credited_by_rate(
    sums: &BTreeMap<(InvoiceId, TaxCategory, u32), CreditedAtRate>,
) -> Result<(), InvariantViolation> {
    for (&(id, category, rate), credited) in sums {
        let charged = Invoices::get(&id).and_then(|invoice| {
            invoice
                .body
                .breakdown
                .iter()
                .find(|own| own.category == category && own.rate == rate)
                .copied()
        });
        check(
            charged.is_some_and(|charged| {
                credited.taxable <= charged.taxable && credited.tax <= charged.tax
            }),
            "credits never reverse more net or tax per (category, rate) than charged",
            id,
        )?;
        check(
            arithmetic::category_tax(credited.taxable, rate) == Ok(credited.tax),
            "credited tax is the tax of the credited taxable amount",
            id,
        )?;
        check(
            CreditedByRate::get(&id, &(category, rate)) == Some(*credited),
            "CreditedByRate holds the credit notes' sums",
            id,
        )?;
    }
    let stored: usize = Invoices::iter()
        .map(|(id, _)| CreditedByRate::iter_prefix(&id).count())
        .sum();
    ensure_invariant(
        stored == sums.len(),
        "no stray CreditedByRate entries",
        sums.len() as u128,
        stored as u128,
    )
}

/// The amounts, status, lock and lien of one (non credit note) invoice.
fn check_state(
    id: InvoiceId,
    invoice: &Invoice,
    state: &InvoiceState,
) -> Result<(), InvariantViolation> {
    let gross = invoice.gross();
    ensure_invariant(
        state.credited <= gross,
        "Σ credits ≤ total",
        gross,
        state.credited,
    )?;
    let net = gross.saturating_sub(state.credited);
    ensure_invariant(state.paid <= net, "paid ≤ net", net, state.paid)?;
    check(
        derive_status(state, gross) == Some(state.status),
        "the status is the one the amounts imply",
        id,
    )?;
    check(
        state.dispute.is_none() || state.paid == 0,
        "a disputed invoice has nothing paid",
        id,
    )?;
    // One lien at most (an Option), consistent with the invoice.
    if let Some(lien) = state.lien {
        check(
            lien.financier != invoice.seller && lien.financier != invoice.body.buyer,
            "the financier is neither seller nor buyer",
            id,
        )?;
        check(lien.advance > 0, "a lien advances something", id)?;
        check(
            lien.repaid < lien.advance,
            "a lien ends when its advance is repaid: the financier never gets more",
            id,
        )?;
        check(
            Financed::get(&id) >= lien.advance,
            "a lien's advance counts as financed",
            id,
        )?;
        check(
            lien.repaid <= state.paid,
            "the financier got no more than was paid",
            id,
        )?;
        check(
            !state.status.is_closed(),
            "no lien on an invoice with nothing owed",
            id,
        )?;
    }
    check(
        Financed::get(&id) <= net,
        "bills and liens never finance more than the net",
        id,
    )?;
    for (financier, offer) in FinancingOffers::iter_prefix(&id) {
        check(
            financier != invoice.seller && financier != invoice.body.buyer && offer.advance > 0,
            "offers are a third party's, of some amount",
            id,
        )?;
    }
    // One lock at most (an enum), held by the buyer's organisation.
    match state.reimbursement {
        Reimbursement::Available => {}
        Reimbursement::Locked { organisation, .. } => {
            check(
                organisation == invoice.body.buyer,
                "a lock belongs to the buyer",
                id,
            )?;
        }
        Reimbursement::Reimbursed {
            organisation,
            amount,
            ..
        } => {
            check(
                organisation == invoice.body.buyer && amount > 0 && amount <= gross,
                "a reimbursement is the buyer's and at most the total",
                id,
            )?;
        }
    }
    Ok(())
}

/// Period records hold the invoices' sums, stay within their quota and, once closed, equal
/// their declaration.
fn check_periods(sums: &PeriodSums) -> Result<(), InvariantViolation> {
    let mut records = 0usize;
    for (issuer, _) in Issuers::iter() {
        for (period, record) in Periods::iter_prefix(&issuer) {
            records = records.saturating_add(1);
            let (issued, credited) = sums.get(&(issuer, period)).copied().unwrap_or((0, 0));
            ensure_invariant(
                record.issued == issued,
                "period issued = Σ invoices issued in it",
                issued,
                record.issued,
            )?;
            ensure_invariant(
                record.credited == credited,
                "period credited = Σ credit notes issued in it",
                credited,
                record.credited,
            )?;
            ensure_invariant(
                record.issued <= record.quota.saturating_add(record.credited),
                "Σ issued − credited in a period ≤ quota",
                record.quota,
                record.issued.saturating_sub(record.credited),
            )?;
            if let Some(declaration) = record.declaration {
                ensure_invariant(
                    declaration.issued == record.issued && declaration.credited == record.credited,
                    "a declared period's totals equal its declaration",
                    declaration.issued,
                    record.issued,
                )?;
                check(
                    declaration.tax == PeriodTaxes::get(&issuer, &period),
                    "a declared period's tax equals its declaration",
                    0,
                )?;
            }
        }
    }
    let with_invoices = sums.len();
    for key in sums.keys() {
        ensure_invariant(
            Periods::contains_key(&key.0, &key.1),
            "every period with invoices has a record",
            1,
            0,
        )?;
    }
    ensure_invariant(
        records >= with_invoices,
        "every period with invoices has a record",
        with_invoices as u128,
        records as u128,
    )
}

/// One side's VAT totals per (account, period, category, rate).
type VatSums = BTreeMap<(AccountId, PeriodIndex, TaxCategory, u32), VatTotals>;

fn add_entry(
    sums: &mut VatSums,
    who: AccountId,
    period: PeriodIndex,
    entry: &TaxSubtotal,
    credit: bool,
) {
    let totals = sums
        .entry((who, period, entry.category, entry.rate))
        .or_default();
    if credit {
        totals.credited_taxable = totals.credited_taxable.saturating_add(entry.taxable);
        totals.credited_tax = totals.credited_tax.saturating_add(entry.tax);
    } else {
        totals.taxable = totals.taxable.saturating_add(entry.taxable);
        totals.tax = totals.tax.saturating_add(entry.tax);
    }
}

/// The stored totals under every (account, period) of `prefixes` equal `sums`, and every
/// computed total is stored.
fn vat_map_matches(
    sums: &VatSums,
    prefixes: &BTreeSet<(AccountId, PeriodIndex)>,
    stored: impl Fn(&(AccountId, PeriodIndex)) -> Vec<((TaxCategory, u32), VatTotals)>,
    invariant: &'static str,
) -> Result<(), InvariantViolation> {
    let mut count = 0usize;
    for prefix in prefixes {
        for ((category, rate), totals) in stored(prefix) {
            count = count.saturating_add(1);
            let expected = sums
                .get(&(prefix.0, prefix.1, category, rate))
                .copied()
                .unwrap_or_default();
            ensure_invariant(totals == expected, invariant, expected.tax, totals.tax)?;
        }
    }
    // Zero totals left by a void stay stored, so there may be more entries than sums.
    ensure_invariant(
        count >= sums.len(),
        invariant,
        sums.len() as u128,
        count as u128,
    )
}

/// The VAT totals per issuer and per buyer, the period taxes and the input-tax claims agree
/// with the invoices and credit notes.
fn check_vat() -> Result<(), InvariantViolation> {
    let mut issuer = VatSums::new();
    let mut buyer = VatSums::new();
    let mut taxes: BTreeMap<(AccountId, PeriodIndex), PeriodTax> = BTreeMap::new();
    let mut issuer_prefixes = BTreeSet::new();
    let mut buyer_prefixes = BTreeSet::new();
    let mut accounts = BTreeSet::new();
    for (id, invoice) in Invoices::iter() {
        issuer_prefixes.insert((invoice.seller, invoice.period));
        buyer_prefixes.insert((invoice.body.buyer, invoice.period));
        accounts.insert(invoice.seller);
        accounts.insert(invoice.body.buyer);
        let voided = InvoiceStates::get(&id).is_some_and(|s| s.status == InvoiceStatus::Voided);
        if voided {
            continue;
        }
        let credit = invoice.is_credit_note();
        for entry in &invoice.body.breakdown {
            add_entry(&mut issuer, invoice.seller, invoice.period, entry, credit);
            add_entry(
                &mut buyer,
                invoice.body.buyer,
                invoice.period,
                entry,
                credit,
            );
        }
        let tax = taxes.entry((invoice.seller, invoice.period)).or_default();
        let charged = invoice.body.totals.tax_total;
        if credit {
            tax.output_tax_credited = tax.output_tax_credited.saturating_add(charged);
        } else {
            tax.output_tax = tax.output_tax.saturating_add(charged);
        }
    }
    vat_map_matches(
        &issuer,
        &issuer_prefixes,
        |prefix| IssuerVat::iter_prefix(prefix).collect(),
        "issuer VAT per (category, rate) = Σ its invoices and credit notes of the period",
    )?;
    vat_map_matches(
        &buyer,
        &buyer_prefixes,
        |prefix| BuyerVat::iter_prefix(prefix).collect(),
        "buyer VAT per (category, rate) = Σ the invoices and credit notes it received",
    )?;

    let mut reversed_per_buyer: BTreeMap<AccountId, Balance> = BTreeMap::new();
    for (id, claim) in InputClaims::iter() {
        let invoice = Invoices::get(&id).filter(|invoice| !invoice.is_credit_note());
        check(
            invoice.is_some(),
            "input tax is claimed on invoices only",
            id,
        )?;
        let Some(invoice) = invoice else { continue };
        let credited: Balance = invoice
            .body
            .breakdown
            .iter()
            .map(|e| {
                CreditedByRate::get(&id, &(e.category, e.rate))
                    .unwrap_or_default()
                    .tax
            })
            .fold(0, Balance::saturating_add);
        check(
            claim.tax.saturating_add(credited)
                == invoice.body.totals.tax_total.saturating_add(claim.reversed),
            "a claim deducted the tax net of the credits before it; later credits are reversed",
            id,
        )?;
        let buyer = invoice.body.buyer;
        let tax = taxes.entry((buyer, claim.period)).or_default();
        tax.input_tax = tax.input_tax.saturating_add(claim.tax);
        let reversed = reversed_per_buyer.entry(buyer).or_insert(0);
        *reversed = reversed.saturating_add(claim.reversed);
    }
    let mut stored_reversed: BTreeMap<AccountId, Balance> = BTreeMap::new();
    let stored_taxes = accounts.iter().flat_map(|who| {
        PeriodTaxes::iter_prefix(who).map(move |(period, tax)| ((*who, period), tax))
    });
    for ((who, period), stored) in stored_taxes {
        let expected = taxes.get(&(who, period)).copied().unwrap_or_default();
        ensure_invariant(
            stored.output_tax == expected.output_tax
                && stored.output_tax_credited == expected.output_tax_credited
                && stored.input_tax == expected.input_tax,
            "period tax = Σ the period's invoices, credit notes and claims",
            expected.output_tax,
            stored.output_tax,
        )?;
        let reversed = stored_reversed.entry(who).or_insert(0);
        *reversed = reversed.saturating_add(stored.input_tax_reversed);
    }
    for ((who, period), expected) in &taxes {
        check(
            *expected == PeriodTax::default() || PeriodTaxes::contains_key(who, period),
            "every period with tax has its period tax",
            0,
        )?;
    }
    for (who, reversed) in reversed_per_buyer {
        let stored = stored_reversed.get(&who).copied().unwrap_or(0);
        ensure_invariant(
            stored == reversed,
            "reversed input tax = Σ credits after the claims",
            reversed,
            stored,
        )?;
    }
    Ok(())
}

/// Pending credit requests and drafts are consistent.
fn check_requests_and_drafts<T: Config>() -> Result<(), InvariantViolation> {
    for (id, request) in CreditRequests::iter() {
        let invoice = Invoices::get(&id);
        let state = InvoiceStates::get(&id);
        check(
            invoice.as_ref().is_some_and(|i| !i.is_credit_note())
                && state.is_some_and(|s| s.status != InvoiceStatus::Reversed),
            "credit requests are on invoices not yet reversed",
            id,
        )?;
        check(
            request.awaiting_counterparty.is_some() || request.awaiting_financier.is_some(),
            "a pending credit request awaits someone",
            id,
        )?;
        check(
            request.body.invoice_type == InvoiceType::CreditNote
                && request.body.totals.gross_total > 0,
            "a requested credit note is a credit note of some amount",
            id,
        )?;
    }
    let next = NextDraftId::get();
    let mut per_seller: BTreeMap<AccountId, u32> = BTreeMap::new();
    for (draft, content) in Drafts::iter() {
        check(draft < next, "draft ids are below NextDraftId", draft)?;
        let n = per_seller.entry(content.seller).or_insert(0);
        *n = n.saturating_add(1);
    }
    for (seller, count) in OpenDrafts::iter() {
        let actual = per_seller.remove(&seller).unwrap_or(0);
        ensure_invariant(
            count == actual && count > 0 && count <= T::MAX_OPEN_DRAFTS,
            "OpenDrafts counts each seller's drafts",
            u128::from(actual),
            u128::from(count),
        )?;
    }
    ensure_invariant(
        per_seller.is_empty(),
        "OpenDrafts counts each seller's drafts",
        0,
        per_seller.len() as u128,
    )
}
