//! The invoice model: what an invoice says (immutable once issued) and what happens to it
//! (its mutable state), the issuer registry and the tax periods.

use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// The chain-assigned id of an invoice or credit note (never reused).
pub type InvoiceId = u64;
/// The id of a prepared invoice waiting for "pay and issue".
pub type DraftId = u64;
/// A tax period: the calendar month (UTC) of the block time, counted from January 1970
/// (period 0); see [`crate::calendar`].
pub type PeriodIndex = u32;
/// A tax registration number, left-aligned and zero-padded (EN 16931 BT-31).
pub type TaxId = [u8; 20];
/// An invoice series code chosen at registration (part of the number, BT-1).
pub type SeriesCode = [u8; 4];
/// An ISO 4217 currency code (BT-5).
pub type CurrencyCode = [u8; 3];
/// A tax classification code per line (e.g. a national goods-and-services code), zero-padded.
pub type ClassificationCode = [u8; 8];
/// Why a dispute or a credit note was raised (a code agreed off chain, e.g. UNCL 4451/7161).
pub type ReasonCode = u16;

/// Quantities carry three decimals: `1_500` is 1.5 units.
pub const QUANTITY_SCALE: u128 = 1_000;
/// Tax rates are in hundredths of a percent: `1_900` is 19.00 %.
pub const RATE_SCALE: u128 = 10_000;
/// One day in milliseconds (payment terms in days).
pub const DAY_MS: Moment = 86_400_000;

/// The number the chain assigns: unique per issuer and series, in sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InvoiceNumber {
    pub issuer: AccountId,
    pub series: SeriesCode,
    pub sequence: u32,
}

/// The document type (UNTDID 1001, BT-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum InvoiceType {
    /// 380: commercial invoice.
    #[codec(index = 0)]
    Commercial,
    /// 386: prepayment invoice.
    #[codec(index = 1)]
    Prepayment,
    /// 381: credit note; only the chain creates these, through `request_credit`.
    #[codec(index = 2)]
    CreditNote,
}

impl InvoiceType {
    /// The UNTDID 1001 code.
    pub fn code(self) -> u16 {
        match self {
            Self::Commercial => 380,
            Self::Prepayment => 386,
            Self::CreditNote => 381,
        }
    }
}

/// The VAT category of a line (UNCL 5305 as used by EN 16931, BT-151).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum TaxCategory {
    /// S: standard rate; the rate must be above zero.
    #[codec(index = 0)]
    Standard,
    /// Z: zero rated goods; rate 0.
    #[codec(index = 1)]
    ZeroRated,
    /// E: exempt from tax; rate 0.
    #[codec(index = 2)]
    Exempt,
    /// AE: reverse charge; rate 0.
    #[codec(index = 3)]
    ReverseCharge,
    /// K: intra-community supply; rate 0.
    #[codec(index = 4)]
    IntraCommunity,
    /// G: export outside the tax area; rate 0.
    #[codec(index = 5)]
    Export,
    /// O: outside the scope of tax; rate 0.
    #[codec(index = 6)]
    OutsideScope,
}

impl TaxCategory {
    /// Whether `rate` (hundredths of a percent) is allowed in this category.
    pub fn accepts_rate(self, rate: u32) -> bool {
        match self {
            Self::Standard => rate > 0 && u128::from(rate) <= RATE_SCALE,
            _ => rate == 0,
        }
    }
}

/// One invoice line (BG-25).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InvoiceLine {
    /// Invoiced quantity in thousandths (BT-129); above zero.
    pub quantity: u64,
    /// Net price per unit in minor units (BT-146).
    pub unit_price: Balance,
    /// Line net amount (BT-131): `quantity × unit_price ÷ 1000`, rounded half-up.
    pub net: Balance,
    /// VAT category (BT-151).
    pub category: TaxCategory,
    /// VAT rate in hundredths of a percent (BT-152).
    pub rate: u32,
    /// Tax classification code of the goods or service.
    pub classification: ClassificationCode,
}

/// A VAT exemption reason code of the VATEX list (EN 16931 BT-121), e.g. `VATEX-EU-132-1A`,
/// left-aligned and zero-padded.
pub type ExemptionCode = [u8; 24];

/// Why a breakdown entry charges no VAT (EN 16931 BT-120 and BT-121): required for the
/// exempt categories (E, AE, K, G, O), refused for S and Z.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct ExemptionReason {
    /// The VATEX code (BT-121).
    pub code: ExemptionCode,
    /// blake2-256 of the reason text (BT-120) in the off-chain document, if it has one.
    pub text_hash: Option<H256>,
}

/// One entry of the VAT breakdown (BG-23): one per distinct (category, rate) of the lines.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct TaxSubtotal {
    pub category: TaxCategory,
    /// Hundredths of a percent.
    pub rate: u32,
    /// Σ line nets in this category and rate (BT-116).
    pub taxable: Balance,
    /// `taxable × rate ÷ 10000`, rounded half-up (BT-117).
    pub tax: Balance,
    /// The exemption reason (BT-120/121): present exactly for the exempt categories. A
    /// credit note carries its invoice's.
    pub exemption: Option<ExemptionReason>,
}

/// Document totals (BG-22).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Totals {
    /// Σ line nets (BT-106 = BT-109).
    pub line_total: Balance,
    /// Σ breakdown tax (BT-110).
    pub tax_total: Balance,
    /// `line_total + tax_total` (BT-112 = BT-115, the amount due).
    pub gross_total: Balance,
}

/// When the invoice is due (BT-9 or BT-20).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum PaymentTerms {
    /// A due date (block time, ms); not before the issue time.
    #[codec(index = 0)]
    DueDate(Moment),
    /// Net this many days after the issue time.
    #[codec(index = 1)]
    NetDays(u32),
}

/// What the seller submits: everything of an invoice except what the chain assigns (number,
/// seller, issue time, period).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InvoiceBody {
    pub invoice_type: InvoiceType,
    pub currency: CurrencyCode,
    pub buyer: AccountId,
    /// 1 to `MaxLines` lines.
    pub lines: Vec<InvoiceLine>,
    /// Exactly one entry per distinct (category, rate) of the lines, in any order.
    pub breakdown: Vec<TaxSubtotal>,
    pub totals: Totals,
    pub terms: PaymentTerms,
    /// Hash of the full document (e.g. the UBL/CII XML) kept off chain.
    pub content_hash: H256,
}

/// An issued invoice or credit note. Written once at issue and never changed.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Invoice {
    pub number: InvoiceNumber,
    /// The seller (the registered issuer).
    pub seller: AccountId,
    /// Issue time (BT-2), block time in ms.
    pub issued_at: Moment,
    /// The block it was issued in.
    pub issued_in: BlockNumber,
    /// The issuer's tax period it counts in.
    pub period: PeriodIndex,
    /// Due time in ms (from the payment terms).
    pub due: Moment,
    /// For a credit note: the invoice it corrects (BT-25).
    pub corrects: Option<InvoiceId>,
    pub body: InvoiceBody,
}

impl Invoice {
    pub fn is_credit_note(&self) -> bool {
        self.corrects.is_some()
    }
    pub fn gross(&self) -> Balance {
        self.body.totals.gross_total
    }
}

/// Where an invoice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum InvoiceStatus {
    /// Issued, not yet acknowledged or paid (credit notes stay here).
    #[codec(index = 0)]
    Issued,
    /// The buyer acknowledged it.
    #[codec(index = 1)]
    Acknowledged,
    /// The buyer disputes it; it cannot be paid until acknowledged again.
    #[codec(index = 2)]
    Disputed,
    /// Some but not all of the net is paid.
    #[codec(index = 3)]
    PartiallyPaid,
    /// The whole gross total is paid, no credit notes.
    #[codec(index = 4)]
    Paid,
    /// The net after credit notes is fully paid.
    #[codec(index = 5)]
    Settled,
    /// Fully credited (terminal).
    #[codec(index = 6)]
    Reversed,
    /// Voided by its issuer within its own tax period, before anything happened to it
    /// (terminal; its number stays used).
    #[codec(index = 7)]
    Voided,
}

impl InvoiceStatus {
    /// Paid, Settled, Reversed and Voided: nothing is owed any more.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Settled | Self::Reversed | Self::Voided
        )
    }
    /// Reversed and Voided: nothing can happen to the invoice any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Reversed | Self::Voided)
    }
}

/// The reimbursement lock (`Available → Locked → Reimbursed`, `Locked → Available`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum Reimbursement {
    #[codec(index = 0)]
    Available,
    /// Locked by `locker` (the buyer organisation or an agent it authorised) for `claimant`.
    #[codec(index = 1)]
    Locked {
        organisation: AccountId,
        locker: AccountId,
        claimant: AccountId,
        since: Moment,
    },
    /// Reimbursed to `claimant` (terminal: never reimbursed twice).
    #[codec(index = 2)]
    Reimbursed {
        organisation: AccountId,
        claimant: AccountId,
        amount: Balance,
        at: Moment,
    },
}

/// Where a financing lien stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum LienState {
    // Index 0 was "offered": offers now live apart from the lien ([`FinancingOffer`]), so
    // that an offer nobody accepted can never stand in the way of one the seller wants.
    /// Advance paid to the seller; payments go to the financier until it is repaid.
    #[codec(index = 1)]
    Active,
    /// Enforced after the due date: the financier's claim is in default. Payments still go
    /// to it only up to the unrepaid advance; the rest is the seller's.
    #[codec(index = 2)]
    Enforced,
}

/// A financier's standing offer to advance money against an invoice. Offers of different
/// financiers coexist; none is a lien until the seller accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct FinancingOffer {
    pub advance: Balance,
    pub offered_at: Moment,
}

/// What the credit notes of an invoice reversed so far in one (category, rate).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CreditedAtRate {
    /// Σ taxable amounts credited (at most the invoice's taxable amount there).
    pub taxable: Balance,
    /// Σ tax credited: always the tax of `taxable` rounded half-up, so crediting the whole
    /// taxable amount reverses exactly the tax charged and no pure-VAT remainder is left.
    pub tax: Balance,
}

/// An invoice as trade background of other instruments (bills): its parties and the net
/// they may cite it for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct TradeBackground<AccountId, Balance> {
    pub seller: AccountId,
    pub buyer: AccountId,
    /// Invoiced gross minus credit notes: what can back a bill.
    pub net: Balance,
    pub is_credit_note: bool,
}

/// A financing lien on an invoice (at most one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Lien {
    pub financier: AccountId,
    pub advance: Balance,
    /// Payments routed to the financier so far.
    pub repaid: Balance,
    pub state: LienState,
}

/// What happens to an invoice: everything that changes after issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InvoiceState {
    /// Always [`derive_status`] of the fields below.
    pub status: InvoiceStatus,
    pub acknowledged: bool,
    /// The reason of an open dispute.
    pub dispute: Option<ReasonCode>,
    /// Σ payments.
    pub paid: Balance,
    /// Σ gross totals of the credit notes correcting it.
    pub credited: Balance,
    pub reimbursement: Reimbursement,
    pub lien: Option<Lien>,
}

impl InvoiceState {
    /// The net payable after credit notes (`gross − credited`).
    pub fn net(&self, gross: Balance) -> Option<Balance> {
        gross.checked_sub(self.credited)
    }
    /// What is still owed (`gross − credited − paid`).
    pub fn outstanding(&self, gross: Balance) -> Option<Balance> {
        self.net(gross)?.checked_sub(self.paid)
    }
}

/// The status implied by an invoice's amounts and flags. `None` only for inconsistent
/// amounts (credited above gross, or paid above net).
pub fn derive_status(state: &InvoiceState, gross: Balance) -> Option<InvoiceStatus> {
    // Voiding is a decision, not an amount: it stays.
    if state.status == InvoiceStatus::Voided {
        return Some(InvoiceStatus::Voided);
    }
    let net = state.net(gross)?;
    if state.paid > net {
        return None;
    }
    Some(if state.credited > 0 && net == 0 {
        InvoiceStatus::Reversed
    } else if net > 0 && state.paid == net {
        if state.credited > 0 {
            InvoiceStatus::Settled
        } else {
            InvoiceStatus::Paid
        }
    } else if state.paid > 0 {
        InvoiceStatus::PartiallyPaid
    } else if state.dispute.is_some() {
        InvoiceStatus::Disputed
    } else if state.acknowledged {
        InvoiceStatus::Acknowledged
    } else {
        InvoiceStatus::Issued
    })
}

/// What a credit note corrects.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum CreditContent {
    /// A lump sum: one line of `net` minor units in a category and rate of the invoice; the
    /// chain computes the tax (half-up).
    #[codec(index = 0)]
    Amount {
        net: Balance,
        category: TaxCategory,
        rate: u32,
        classification: ClassificationCode,
    },
    /// Lines (e.g. returned goods), with their breakdown and totals, checked as an invoice's.
    #[codec(index = 1)]
    Lines {
        lines: Vec<InvoiceLine>,
        breakdown: Vec<TaxSubtotal>,
        totals: Totals,
    },
}

/// A pending request for a red-letter credit note (at most one per invoice).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct CreditRequest {
    pub requester: AccountId,
    pub reason: ReasonCode,
    /// The credit note's content, already checked.
    pub body: InvoiceBody,
    /// The seller or buyer who must confirm, if any; cleared when it confirms.
    pub awaiting_counterparty: Option<AccountId>,
    /// The financier who must consent, if any; cleared when it consents.
    pub awaiting_financier: Option<AccountId>,
    pub requested_at: Moment,
}

/// A prepared invoice the buyer can pay and have issued in one call.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Draft {
    pub seller: AccountId,
    pub series: SeriesCode,
    pub body: InvoiceBody,
    pub prepared_at: Moment,
}

/// A registered issuer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Issuer {
    pub tax_id: TaxId,
    /// Hash of the registered legal name.
    pub name_hash: H256,
    /// The series it may number invoices in (1 to `MaxSeries`, distinct).
    pub series: Vec<SeriesCode>,
    /// The quota a tax period starts with (Σ gross issued − credited).
    pub default_quota: Balance,
}

/// An issuer's declaration of an ended period: filed by the issuer, confirmed by the tax
/// authority. The amounts are the chain's own totals of the period when it was filed; the
/// period never changes afterwards (later credit notes count in the period they are issued in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct Declaration {
    /// Hash of the tax declaration document.
    pub declaration_hash: H256,
    /// Σ gross of the invoices issued in the period (voided ones excluded).
    pub issued: Balance,
    /// Σ gross of the credit notes issued in the period.
    pub credited: Balance,
    /// The period's [`PeriodTax`] of the issuer when filed.
    pub tax: PeriodTax,
    pub filed_at: Moment,
    /// When the tax authority confirmed it; `None` while it waits.
    pub confirmed_at: Option<Moment>,
}

/// What one account's invoices and credit notes of one period sum to in one (category, rate),
/// kept for it as issuer (output VAT) and, apart, as buyer (input VAT charged to it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct VatTotals {
    /// Σ taxable amounts of the invoices issued in the period (voided ones excluded).
    pub taxable: Balance,
    /// Σ tax of those invoices.
    pub tax: Balance,
    /// Σ taxable amounts of the credit notes issued in the period.
    pub credited_taxable: Balance,
    /// Σ tax of those credit notes.
    pub credited_tax: Balance,
}

/// One account's tax of one period over every (category, rate): what its declaration states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct PeriodTax {
    /// Σ tax of the invoices it issued in the period.
    pub output_tax: Balance,
    /// Σ tax of the credit notes it issued in the period.
    pub output_tax_credited: Balance,
    /// Σ input tax it claimed (as buyer) in the period.
    pub input_tax: Balance,
    /// Σ tax of credit notes issued in the period on invoices whose input tax it had claimed
    /// earlier: the deduction it must give back.
    pub input_tax_reversed: Balance,
}

/// A buyer's deduction of an invoice's input tax (at most one per invoice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct InputClaim {
    /// The buyer's period the deduction counts in.
    pub period: PeriodIndex,
    /// The invoice's tax net of its credit notes when claimed.
    pub tax: Balance,
    /// Σ tax of the credit notes issued on the invoice after the claim.
    pub reversed: Balance,
}

/// An issuer's tax period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct PeriodRecord {
    /// Most `issued − credited` allowed.
    pub quota: Balance,
    /// Σ gross totals of invoices issued in the period.
    pub issued: Balance,
    /// Σ gross totals of credit notes issued in the period.
    pub credited: Balance,
    pub declaration: Option<Declaration>,
}

/// One step of an invoice's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub enum Action {
    #[codec(index = 0)]
    Issued,
    #[codec(index = 1)]
    Acknowledged,
    #[codec(index = 2)]
    Disputed { reason: ReasonCode },
    #[codec(index = 3)]
    Paid {
        amount: Balance,
        to_seller: Balance,
        to_financier: Balance,
    },
    #[codec(index = 4)]
    CreditRequested { gross: Balance, reason: ReasonCode },
    #[codec(index = 5)]
    CreditConfirmed,
    #[codec(index = 6)]
    CreditWithdrawn,
    #[codec(index = 7)]
    Credited {
        credit_note: InvoiceId,
        gross: Balance,
    },
    #[codec(index = 8)]
    Locked { claimant: AccountId },
    #[codec(index = 9)]
    Unlocked,
    #[codec(index = 10)]
    Reimbursed {
        claimant: AccountId,
        amount: Balance,
    },
    #[codec(index = 11)]
    FinancingOffered { advance: Balance },
    #[codec(index = 12)]
    FinancingAccepted { advance: Balance },
    #[codec(index = 13)]
    LienReleased,
    #[codec(index = 14)]
    LienEnforced,
    #[codec(index = 15)]
    LienEnded { repaid: Balance },
    /// A credit note lowered the net below what was paid; `amount` went back to the buyer.
    #[codec(index = 16)]
    Refunded { amount: Balance },
    /// The buyer deducted the invoice's input tax in `period`.
    #[codec(index = 17)]
    InputTaxClaimed { period: PeriodIndex, tax: Balance },
    /// The issuer voided the invoice within its tax period.
    #[codec(index = 18)]
    Voided { reason: ReasonCode },
}

/// A history entry: who did what, when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_einvoice", "pallet_einvoice"))]
#[scale_info(replace_segment("types", "pallet"))]
pub struct HistoryEntry {
    pub block: BlockNumber,
    pub at: Moment,
    pub who: AccountId,
    pub action: Action,
}
