//! Commercial bills: a bill of exchange accepted, endorsed, discounted, pledged, paid and
//! recoursed on chain, and never sold twice.
//!
//! A bill is drawn by a drawer on an acceptor in favour of a payee, for a face amount payable
//! at maturity (at most `MAX_TENOR` after issue). Before delivery it lives at the bill level:
//! `Issued → AcceptancePending → Accepted → Delivered`, or `Withdrawn`. At delivery the payee
//! receives the whole bill as one range of units (`RANGE_UNIT` each, 0.01 of the currency in
//! the runtime): from then on a bill is a set of disjoint ranges that partition its face
//! amount, each with exactly one holder and its own state:
//!
//! ```text
//! Held ─endorse──────────────▶ EndorsementPending ─sign──▶ Held(endorsee)
//!      ─endorse_for_collection▶ CollectionPending ─sign──▶ InCollection(agent) ─release─▶ Held
//!      ─offer_discount────────▶ DiscountPending ─take_discount (price paid)─▶ Held(financier)
//!      ─pledge────────────────▶ PledgePending ─sign──▶ Pledged(pledgee) ─release─▶ Held
//!      (any pending: reject / revoke / expiry ─▶ Held)
//! Held | InCollection | Pledged ─present (from maturity; or the sweep, for a bill issued
//!                                with automatic presentment)─▶ PaymentPending ─pay─▶ Paid
//!                              ─refuse_payment (with a reason) / expiry (margin pays what it
//!                               covers)─▶ Dishonored
//! (unfinished, not pending, after the limitation period) ─expiry─▶ Lapsed
//! Dishonored ─claim_recourse─▶ RecoursePending ─pay_recourse─▶ Dishonored(payer) | Settled
//! ```
//! Endorsing, discounting or pledging part of a divisible bill splits its range. When every
//! range is `Paid` or `Settled` the bill is `Closed` and what is left of the acceptor's margin
//! is released.
//!
//! Rules:
//! - Any pending operation locks the bill (acceptance) or the range (everything else): only its
//!   counterparty's answer, its initiator's revocation or its expiry moves it. This is what
//!   makes selling a bill twice impossible.
//! - Endorsement continuity holds by construction: only the holder offers, only the named
//!   endorsee signs, and the endorser is appended to the range's chain of signers.
//! - No endorsement, discount or pledge of a non-transferable bill, after the presentment
//!   period, or of a dishonoured range.
//! - Money moves only through [`Config::Currency`], in the same extrinsic as the bill
//!   (delivery-versus-payment): a discount price, a payment, a recourse payment.
//! - Every step is recorded with block number and time in the bill's [`History`], one storage
//!   item per entry. Only circulation steps (issue, request, offers) are bounded, by
//!   `MAX_HISTORY - HISTORY_RESERVE`; answers, presentment, payment, recourse, expiry and the
//!   court's steps are always recorded, so no sequence of steps makes an obligation unpayable.
//! - Trade background must exist, be no credit note and be between the bill's parties; the
//!   invoice registry ([`TradeInvoices`]) counts bills and liens against one net.
//! - A margin is the pallet's: at an unanswered presentment it pays what it covers. A freeze
//!   stops every clock of the bill. A pledgee presents and collects up to what it secures.
//!   Recourse lapses `RECOURSE_LIMITATION` after maturity. Issuing holds `ISSUE_DEPOSIT`.
//! - A drawer may choose automatic presentment at issue (`issue_with_auto_presentment`):
//!   from maturity the expiry sweep presents every range its holder, agent or pledgee could
//!   present. A refusal of payment names its [`DishonourReason`].
//! - Authority origins (the court that freezes, later a platform admin) are Root for now;
//!   governance will grant them.
//!
//! Invariants ([`invariants::check_invariants`]): the ranges of a delivered bill partition its
//! face amount with exactly one holder each, and the holder index agrees; pending ⇒ locked
//! (pending states carry a counterparty other than the holder and a deadline); Paid, Settled,
//! Closed and Withdrawn are terminal (a closed bill has only terminal ranges and no margin, a
//! withdrawn one no ranges); money and bill move together (the acceptor's `BillMargin` hold
//! equals the margins of its bills; every paid or settled range has its payment in the
//! history); Σ face amounts citing an invoice ≤ its net; acceptor credit equals what the
//! history says; non-transferable bills were never endorsed; every bound holds.
//!
//! Every call validates everything before it writes anything, and either applies completely
//! or returns an error having changed nothing (it also runs in its own storage transaction).
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
pub mod benchmarking;
mod call;
mod error;
mod event;
mod genesis;
pub mod invariants;
mod logic;
mod metadata;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod presentment_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod settlement_tests;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::{GenesisConfig, GenesisError};
pub use metadata::metadata;
pub use types::*;

use alloc::vec::Vec;
use core::marker::PhantomData;
use folio_pallet_support::prelude::*;

/// What an invoice cited as trade background says (the e-invoice pallet's answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeBackground {
    pub seller: AccountId,
    pub buyer: AccountId,
    /// What the invoice is worth after credit notes.
    pub net: Balance,
    pub is_credit_note: bool,
}

/// The e-invoice pallet as seen by bills: whether a cited invoice exists, between whom, for
/// how much, and the one registry of how much of its receivable is financed (by bills and by
/// invoice liens together, so the same receivable is never financed twice).
pub trait TradeInvoices {
    /// The invoice, if it exists.
    fn trade_background(invoice: InvoiceRef) -> Option<TradeBackground>;
    /// Counts `amount` more of the invoice as financed; fails when bills and liens would
    /// then exceed its net.
    fn finance(invoice: InvoiceRef, amount: Balance) -> DispatchResult;
    /// Counts `amount` less (a bill citing it was withdrawn or lapsed undelivered).
    fn release(invoice: InvoiceRef, amount: Balance);
}

/// No invoices: a bill citing one is refused (`UnknownInvoice`).
impl TradeInvoices for () {
    fn trade_background(_invoice: InvoiceRef) -> Option<TradeBackground> {
        None
    }
    fn finance(_invoice: InvoiceRef, _amount: Balance) -> DispatchResult {
        Err(DispatchError::Other)
    }
    fn release(_invoice: InvoiceRef, _amount: Balance) {}
}

/// What the runtime tells the bills pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime.
    const INDEX: u8;
    /// Moves and holds money (acceptor margins, discount prices, payments).
    type Currency: folio_pallet_support::currency::Currency;
    /// Cited invoices and the registry of what is financed of them (the e-invoice pallet).
    type Invoices: TradeInvoices;
    /// Held from the drawer for each bill until it is closed or withdrawn, so that drawing
    /// bills on or in favour of others costs something (a flood of bills fills the victims'
    /// `bills_of` and `awaiting` lists).
    const ISSUE_DEPOSIT: Balance;
    /// The value of one unit of a range (0.01 of the currency): face amounts are multiples.
    const RANGE_UNIT: Balance;
    /// The longest time from issue to maturity (6 months by default), in ms.
    const MAX_TENOR: Moment;
    /// How long the acceptor has to answer a request for acceptance, in ms.
    const ACCEPTANCE_WINDOW: Moment;
    /// How long an endorsee, financier, pledgee or collection agent has to sign, in ms.
    const OFFER_WINDOW: Moment;
    /// How long after maturity the holder may present for payment with full recourse, in ms.
    const PRESENTMENT_PERIOD: Moment;
    /// How long the acceptor has to pay or refuse a presented range, in ms.
    const PAYMENT_WINDOW: Moment;
    /// How long a prior signer has to answer a recourse claim, in ms.
    const RECOURSE_WINDOW: Moment;
    /// The limitation period from maturity, in ms: after it no range can be presented or
    /// claimed, unpaid ranges lapse and the margin is released.
    const RECOURSE_LIMITATION: Moment;
    /// Most ranges per bill.
    const MAX_RANGES: u32;
    /// Most endorsers in a range's chain of signers.
    const MAX_CHAIN: u32;
    /// Most invoices a bill may cite.
    const MAX_INVOICES: u32;
    /// Most history entries per bill.
    const MAX_HISTORY: u32;
    /// History entries kept free for answers, payment and recourse (offers need this room).
    const HISTORY_RESERVE: u32;
    /// Most bills `on_initialize` checks for expired pending operations in one block.
    const SWEEP_PER_BLOCK: u32;
    /// The block's time in ms (the runtime passes `Timestamp::now`).
    fn now() -> Moment;
}

folio_pallet_support::storage! {
    pallet "Bills";
    /// The id the next issued bill gets.
    pub NextBillId: Value<BillId, ValueQuery>;
    /// Every bill, by id.
    pub Bills: Map<Twox64Concat, BillId, Bill, OptionQuery>;
    /// The ranges of delivered bills, by bill and first unit (at most `MaxRanges` per bill).
    pub Ranges: DoubleMap<Twox64Concat, BillId, Twox64Concat, Unit, BillRange, OptionQuery>;
    /// Every step of a bill, stamped with block number and time, by bill and position (0 is
    /// the issue). Circulation steps stop at `MaxHistory - HistoryReserve`; settlement steps
    /// are always recorded.
    pub History: DoubleMap<Twox64Concat, BillId, Twox64Concat, u32, HistoryEntry, OptionQuery>;
    /// How many entries a bill's history has.
    pub HistoryLen: Map<Twox64Concat, BillId, u32, ValueQuery>;
    /// How many ranges of a bill an account holds (absent when none).
    pub Holdings: DoubleMap<Blake2_128Concat, AccountId, Twox64Concat, BillId, u32, ValueQuery>;
    /// The bills an account has taken part in (drawer, acceptor, payee, holder, counterparty).
    pub Involved: DoubleMap<Blake2_128Concat, AccountId, Twox64Concat, BillId, (), OptionQuery>;
    /// The face amounts of not withdrawn bills citing an invoice (bills' share of what the
    /// invoice registry counts as financed).
    pub InvoiceUse: Map<Blake2_128Concat, InvoiceRef, Balance, ValueQuery>;
    /// Payment record per acceptor, derived from the bills' histories.
    pub AcceptorCredit: Map<Blake2_128Concat, AccountId, CreditRecord, ValueQuery>;
    /// The next bill id the expiry sweep looks at.
    pub SweepCursor: Value<BillId, ValueQuery>;
    /// Guarantees (avals) given on a bill: guarantor → the party whose obligation it
    /// guarantees (the acceptor, the drawer or an endorser). One per guarantor and bill.
    pub Avals: DoubleMap<Twox64Concat, BillId, Blake2_128Concat, AccountId, AccountId, OptionQuery>;
    /// How many avals a bill has (at most `MaxChain`).
    pub AvalCount: Map<Twox64Concat, BillId, u32, ValueQuery>;
    /// A range whose holder took it by paying as guarantor of this party: the holder then
    /// has recourse against that party and whoever is liable to it, and no one else.
    pub PaidAsGuarantor: DoubleMap<Twox64Concat, BillId, Twox64Concat, Unit, AccountId, OptionQuery>;
    /// The bills whose drawer chose automatic presentment at maturity (at issue).
    pub AutoPresentment: Map<Twox64Concat, BillId, (), OptionQuery>;
}

/// The bills pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: &Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, event);
    }
}

impl<T: Config> Hooks for Pallet<T> {
    /// Expires overdue pending operations of up to `SWEEP_PER_BLOCK` bills (resuming where the
    /// previous block stopped). Runs before the timestamp inherent, so it sees the previous
    /// block's time: it can expire late, never early.
    fn on_initialize(_n: BlockNumber) -> Weight {
        let checked = Self::sweep(T::SWEEP_PER_BLOCK);
        weights::sweep_expired_bound(checked)
    }
}
