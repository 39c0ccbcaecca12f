//! What the e-invoice pallet tells clients: the `Invoices` entry.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Invoices` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Invoices",
        index: <T as Config>::INDEX,
        storage: alloc::vec![
            Issuers::metadata(),
            IssuerByTaxId::metadata(),
            NextSequence::metadata(),
            InvoiceNumbers::metadata(),
            NextInvoiceId::metadata(),
            Invoices::metadata(),
            InvoiceStates::metadata(),
            CreditRequests::metadata(),
            BuyerOpenInvoices::metadata(),
            History::metadata(),
            HistoryLen::metadata(),
            Drafts::metadata(),
            NextDraftId::metadata(),
            OpenDrafts::metadata(),
            Reimbursers::metadata(),
            Periods::metadata(),
            ContentDigests::metadata(),
            CreditedByRate::metadata(),
            FinancingOffers::metadata(),
            Financed::metadata(),
            TaxAuthority::metadata(),
            AllowedRates::metadata(),
            SuspendedIssuers::metadata(),
            IssuerVat::metadata(),
            BuyerVat::metadata(),
            PeriodTaxes::metadata(),
            InputClaims::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant("MaxLines", &T::MAX_LINES, &[" The most lines (and VAT breakdown entries) an invoice may have."]),
            constant("MaxSeries", &T::MAX_SERIES, &[" The most invoice series an issuer may have."]),
            constant("MaxOpenDrafts", &T::MAX_OPEN_DRAFTS, &[" The most drafts a seller may keep open for `pay_and_issue`."]),
            constant("MaxPaymentDays", &T::MAX_PAYMENT_DAYS, &[" The longest payment terms, in days."]),
            constant("CurrencyCode", &T::CURRENCY_CODE, &[" The ISO 4217 code invoices must be in (the native currency)."]),
            constant("QuantityScale", &(QUANTITY_SCALE as u64), &[" Quantities are in thousandths: 1000 is one unit."]),
            constant("MaxAllowedRates", &MAX_ALLOWED_RATES, &[" The most (category, rate) pairs the allowed-rates table may hold."]),
            constant("RateScale", &(RATE_SCALE as u32), &[" Tax rates are in hundredths of a percent: 10000 is 100 %."]),
        ],
        docs: alloc::vec![
            " E-invoices: issuer registry and quotas, arithmetic-checked EN 16931 invoices numbered",
            " by the chain, payment in the same extrinsic, red-letter credit notes, reimbursement",
            " locks, financing liens and tax periods.",
        ],
    }
}
