//! What the calls share: reading bills and ranges, splitting ranges, the holder index, the
//! history, liability for recourse, closing a bill, and expiring overdue pending operations.

use crate::*;
use folio_pallet_support::currency::{Arrival, Currency, HoldReason};
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

impl<T: Config> Pallet<T> {
    /// The bill, or `UnknownBill`.
    pub(crate) fn bill(id: BillId) -> Result<Bill, DispatchError> {
        Bills::get(&id).ok_or_else(|| Self::error(Error::UnknownBill))
    }

    /// The bill, which must not be frozen.
    pub(crate) fn live_bill(id: BillId) -> Result<Bill, DispatchError> {
        let bill = Self::bill(id)?;
        if bill.frozen {
            return Err(Self::error(Error::Frozen));
        }
        Ok(bill)
    }

    /// The bill, which must be delivered and not frozen.
    pub(crate) fn delivered_bill(id: BillId) -> Result<Bill, DispatchError> {
        let bill = Self::live_bill(id)?;
        if bill.state != BillState::Delivered {
            return Err(Self::error(Error::WrongState));
        }
        Ok(bill)
    }

    /// The range of `bill` starting at `start`, or `UnknownRange`.
    pub(crate) fn range(bill: BillId, start: Unit) -> Result<BillRange, DispatchError> {
        Ranges::get(&bill, &start).ok_or_else(|| Self::error(Error::UnknownRange))
    }

    /// Every range of a bill, by first unit.
    pub(crate) fn ranges_of(bill: BillId) -> Vec<(Unit, BillRange)> {
        let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&bill).collect();
        ranges.sort_by_key(|(start, _)| *start);
        ranges
    }

    /// The range that contains all of `[start, end)`, with its first unit.
    pub(crate) fn containing(
        bill: BillId,
        start: Unit,
        end: Unit,
    ) -> Result<(Unit, BillRange), DispatchError> {
        if start >= end {
            return Err(Self::error(Error::InvalidRange));
        }
        let found =
            Ranges::iter_prefix(&bill).find(|(first, range)| *first <= start && start < range.end);
        match found {
            Some((first, range)) if end <= range.end => Ok((first, range)),
            _ => Err(Self::error(Error::InvalidRange)),
        }
    }

    /// The value of `[start, end)`.
    pub(crate) fn amount(start: Unit, end: Unit) -> Result<Balance, DispatchError> {
        let units = end.checked_sub(start).ok_or(ArithmeticError::Underflow)?;
        Balance::from(units)
            .checked_mul(T::RANGE_UNIT)
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// The latest time at which the bill may still circulate or be presented with full
    /// recourse.
    /// recourse: the presentment period runs from maturity, longer by the time the bill spent
    /// frozen.
    pub(crate) fn presentment_end(bill: &Bill) -> Result<Moment, DispatchError> {
        bill.maturity
            .checked_add(T::PRESENTMENT_PERIOD)
            .and_then(|end| end.checked_add(bill.suspended))
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// The end of the limitation period: maturity plus the period, longer by the frozen time.
    pub(crate) fn limitation_end(bill: &Bill) -> Moment {
        bill.maturity
            .saturating_add(T::RECOURSE_LIMITATION)
            .saturating_add(bill.suspended)
    }

    /// What is still owed on a range: its amount less what a margin already paid towards it.
    pub(crate) fn owed(start: Unit, range: &BillRange) -> Result<Balance, DispatchError> {
        Self::amount(start, range.end)?
            .checked_sub(range.paid)
            .ok_or_else(|| ArithmeticError::Underflow.into())
    }

    /// `now + window`.
    pub(crate) fn deadline(window: Moment) -> Result<Moment, DispatchError> {
        T::now()
            .checked_add(window)
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// History entries a step that starts circulation (issue, request for acceptance, offer)
    /// needs: its own and `HISTORY_RESERVE` kept free. Only these steps are bounded: answers,
    /// presentment, payment, recourse, expiry and the court's steps are always recorded, so
    /// no loop of offers and refusals can make an obligation unpayable.
    pub(crate) fn offer_room() -> u32 {
        T::HISTORY_RESERVE.saturating_add(1)
    }

    /// Checks the history has room for `needed` more circulation entries.
    pub(crate) fn ensure_room(bill: BillId, needed: u32) -> DispatchResult {
        let after = HistoryLen::get(&bill).saturating_add(needed);
        if after > T::MAX_HISTORY {
            return Err(Self::error(Error::HistoryFull));
        }
        Ok(())
    }

    /// Records a step: appends it to the bill's history with block number and time, updates
    /// the acceptor's credit record from it, and deposits it as an event.
    pub(crate) fn record(bill: BillId, acceptor: &AccountId, event: Event) {
        if let Some(effect) = credit_effect(&event, acceptor) {
            AcceptorCredit::mutate(acceptor, |credit| effect.apply(credit));
        }
        let entry = HistoryEntry {
            block: folio_pallet_system::Pallet::<T>::block_number(),
            time: T::now(),
            event,
        };
        Self::deposit_event(&entry.event);
        // One storage item per entry: appending never rewrites the history, so a step costs
        // the same on a bill with a long history as on a new one.
        let index = HistoryLen::get(&bill);
        History::insert(&bill, &index, &entry);
        HistoryLen::insert(&bill, &index.saturating_add(1));
    }

    /// Notes that `who` took part in `bill`.
    pub(crate) fn involve(who: &AccountId, bill: BillId) {
        Involved::insert(who, &bill, &());
    }

    /// `who` holds `count` more ranges of `bill`.
    pub(crate) fn add_holdings(who: &AccountId, bill: BillId, count: u32) {
        // Bounded by MAX_RANGES: cannot overflow.
        Holdings::mutate(who, &bill, |held| *held = held.saturating_add(count));
        Self::involve(who, bill);
    }

    /// `who` holds one range of `bill` less.
    pub(crate) fn remove_holding(who: &AccountId, bill: BillId) {
        let held = Holdings::get(who, &bill).saturating_sub(1);
        if held == 0 {
            Holdings::remove(who, &bill);
        } else {
            Holdings::insert(who, &bill, &held);
        }
    }

    /// Moves a range from its holder to `to` (holder index included).
    pub(crate) fn change_holder(bill: BillId, range: &mut BillRange, to: AccountId) {
        Self::remove_holding(&range.holder, bill);
        Self::add_holdings(&to, bill, 1);
        range.holder = to;
    }

    /// Whether `against` is liable in recourse to the holder of range `start`: directly
    /// (`is_liable_directly`), or by its aval for a party that is.
    pub(crate) fn is_liable(
        id: BillId,
        start: Unit,
        bill: &Bill,
        range: &BillRange,
        against: &AccountId,
    ) -> bool {
        if *against == range.holder {
            return false;
        }
        Self::is_liable_directly(id, start, bill, range, against)
            || Avals::get(&id, against)
                .is_some_and(|party| Self::is_liable_directly(id, start, bill, range, &party))
    }

    /// Whether `against` is liable to the holder of range `start` by its own signature. A
    /// holder that took the range by paying as guarantor of a party has recourse against
    /// that party and those liable to it (the acceptor's guarantor: the acceptor only).
    pub(crate) fn is_liable_directly(
        id: BillId,
        start: Unit,
        bill: &Bill,
        range: &BillRange,
        against: &AccountId,
    ) -> bool {
        if *against == range.holder {
            return false;
        }
        match PaidAsGuarantor::get(&id, &start) {
            Some(party) if party == bill.acceptor => *against == party,
            Some(party) => *against == party || Self::liable_to(bill, range, &party, against),
            None => Self::liable_to(bill, range, &range.holder, against),
        }
    }

    /// Whether `against` is a prior signer liable to `holder` and not discharged: the
    /// acceptor always; the drawer (if the holder is not the drawer), even after a late
    /// presentment (the electronic commercial draft rules keep recourse against drawer and
    /// acceptor); unless presentment was late, every endorser before the holder's first
    /// endorsement.
    fn liable_to(bill: &Bill, range: &BillRange, holder: &AccountId, against: &AccountId) -> bool {
        if against == holder {
            return false;
        }
        if *against == bill.acceptor {
            return true;
        }
        if *holder == bill.drawer {
            return false;
        }
        if *against == bill.drawer {
            return true;
        }
        !range.late_presentment && prior_signers(&range.endorsers, holder).contains(against)
    }

    /// Whether `who` signed the bill: its acceptor, its drawer or an endorser of a range.
    pub(crate) fn is_signer(id: BillId, bill: &Bill, who: &AccountId) -> bool {
        *who == bill.acceptor
            || *who == bill.drawer
            || Ranges::iter_prefix(&id).any(|(_, range)| range.endorsers.contains(who))
    }

    /// Pays `amount` owed on `range` from `payer` to the range's holder (to its pledgee up to
    /// the secured amount first); when the payer is the acceptor, from the bill's margin
    /// first. Returns how much came from the margin (the caller lowers `bill.margin`) and how
    /// much went to the pledgee.
    pub(crate) fn pay_from(
        bill: &Bill,
        payer: &AccountId,
        range: &BillRange,
        amount: Balance,
    ) -> Result<(Balance, Balance), DispatchError> {
        let from_margin = if *payer == bill.acceptor {
            bill.margin.min(amount)
        } else {
            0
        };
        let mut margin_left = from_margin;
        let to_pledgee = range.pledge.map_or(0, |pledge| pledge.secured.min(amount));
        let to_holder = amount
            .checked_sub(to_pledgee)
            .ok_or(ArithmeticError::Underflow)?;
        let shares = [
            (range.pledge.map(|pledge| pledge.pledgee), to_pledgee),
            (Some(range.holder), to_holder),
        ];
        for (to, share) in shares {
            let Some(to) = to else { continue };
            let held = margin_left.min(share);
            margin_left = margin_left.saturating_sub(held);
            let free = share.checked_sub(held).ok_or(ArithmeticError::Underflow)?;
            Self::move_money(payer, &to, held, free)?;
        }
        Ok((from_margin, to_pledgee))
    }

    /// Moves `held` of the payer's `BillMargin` hold and `free` of its free balance to `to`.
    fn move_money(
        payer: &AccountId,
        to: &AccountId,
        held: Balance,
        free: Balance,
    ) -> DispatchResult {
        if held > 0 {
            T::Currency::transfer_on_hold(HoldReason::BillMargin, payer, to, held, Arrival::Free)?;
        }
        if free > 0 {
            T::Currency::transfer(
                payer,
                to,
                free,
                folio_pallet_support::currency::Preservation::Preserve,
            )?;
        }
        Ok(())
    }

    /// Records that `to_pledgee` of the payment just recorded went to the range's pledgee.
    pub(crate) fn record_pledgee_share(
        id: BillId,
        bill: &Bill,
        start: Unit,
        pledge: Option<Pledge>,
        to_pledgee: Balance,
    ) {
        if let Some(pledge) = pledge.filter(|_| to_pledgee > 0) {
            Self::record(
                id,
                &bill.acceptor,
                Event::PledgeeCollected {
                    bill: id,
                    start,
                    pledgee: pledge.pledgee,
                    amount: to_pledgee,
                },
            );
        }
    }

    /// A cited invoice must exist, be no credit note, and be between the bill's parties: its
    /// seller the drawer or the payee, its buyer the drawer or the acceptor.
    pub(crate) fn check_trade_background(
        invoice: InvoiceRef,
        drawer: &AccountId,
        acceptor: &AccountId,
        payee: &AccountId,
    ) -> DispatchResult {
        let background = T::Invoices::trade_background(invoice)
            .ok_or_else(|| Self::error(Error::UnknownInvoice))?;
        if background.is_credit_note {
            return Err(Self::error(Error::CreditNoteCited));
        }
        let seller_ok = background.seller == *drawer || background.seller == *payee;
        let buyer_ok = background.buyer == *drawer || background.buyer == *acceptor;
        if !seller_ok || !buyer_ok || background.seller == background.buyer {
            return Err(Self::error(Error::InvoiceNotBetweenParties));
        }
        Ok(())
    }

    /// Returns the drawer's deposit of a finished bill. `bill` is updated; the caller stores it.
    pub(crate) fn return_deposit(bill: &mut Bill) -> DispatchResult {
        T::Currency::release(HoldReason::BillDeposit, &bill.drawer, bill.deposit)?;
        bill.deposit = 0;
        Ok(())
    }

    /// Releases what a bill counted against its invoices (withdrawn or lapsed undelivered).
    pub(crate) fn release_invoices(bill: &Bill) -> DispatchResult {
        for invoice in &bill.invoices {
            let left = InvoiceUse::get(invoice)
                .checked_sub(bill.face)
                .ok_or(ArithmeticError::Underflow)?;
            if left == 0 {
                InvoiceUse::remove(invoice);
            } else {
                InvoiceUse::insert(invoice, &left);
            }
            T::Invoices::release(*invoice, bill.face);
        }
        Ok(())
    }

    /// Closes a delivered bill whose ranges are all paid or settled, releasing what is left of
    /// the margin. `bill` is updated; the caller stores it.
    pub(crate) fn close_if_done(id: BillId, bill: &mut Bill) -> DispatchResult {
        if bill.state != BillState::Delivered
            || Ranges::iter_prefix(&id).any(|(_, range)| !range.state.is_terminal())
        {
            return Ok(());
        }
        let released = bill.margin;
        T::Currency::release(HoldReason::BillMargin, &bill.acceptor, released)?;
        Self::return_deposit(bill)?;
        bill.margin = 0;
        bill.state = BillState::Closed;
        Self::record(
            id,
            &bill.acceptor,
            Event::BillClosed {
                bill: id,
                margin_released: released,
            },
        );
        Ok(())
    }

    /// Presents a range for payment by `by` (its holder, agent or pledgee, or the chain for a
    /// bill presented automatically): the acceptor must answer within `PaymentWindow`. The
    /// caller has checked that the range can be presented now.
    pub(crate) fn present_range(
        id: BillId,
        bill: &Bill,
        start: Unit,
        mut range: BillRange,
        by: AccountId,
    ) -> DispatchResult {
        let late = T::now() > Self::presentment_end(bill)?;
        let deadline = Self::deadline(T::PAYMENT_WINDOW)?;
        range.state = RangeState::PaymentPending { deadline };
        range.late_presentment = range.late_presentment || late;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::Presented {
                bill: id,
                start,
                by,
                deadline,
                late,
            },
        );
        Ok(())
    }

    /// Whether the chain presents this range now: the bill chose automatic presentment, it
    /// has matured, the limitation period is not over and the range could be presented by
    /// its holder, agent or pledgee (a pending offer is presented once it is answered or
    /// expires).
    pub(crate) fn auto_presents(id: BillId, bill: &Bill, range: &BillRange) -> bool {
        let now = T::now();
        AutoPresentment::contains_key(&id)
            && now >= bill.maturity
            && now <= Self::limitation_end(bill)
            && presenter(range).is_some()
    }

    /// Whether anything pending on the bill has passed its deadline, an undelivered bill
    /// has reached maturity, or a range is due for automatic presentment.
    pub(crate) fn has_expired(id: BillId, bill: &Bill) -> bool {
        let now = T::now();
        match bill.state {
            BillState::AcceptancePending { deadline } => now > deadline || now >= bill.maturity,
            BillState::Issued | BillState::Accepted => now >= bill.maturity,
            BillState::Delivered => {
                let lapsed = now > Self::limitation_end(bill);
                Ranges::iter_prefix(&id).any(|(_, range)| match range.state.deadline() {
                    Some(deadline) => now > deadline,
                    None if lapsed => !range.state.is_terminal(),
                    None => Self::auto_presents(id, bill, &range),
                })
            }
            _ => false,
        }
    }

    /// Ends every pending operation of the bill whose deadline has passed: offers return the
    /// range to its holder; an unanswered presentment or recourse claim against the acceptor
    /// is paid from the margin as far as it covers it (in full: paid or settled; in part: the
    /// part is paid and the range is dishonoured, the rest still owed); other recourse claims
    /// return to dishonoured. An undelivered bill at maturity lapses. A bill presented
    /// automatically has its presentable ranges presented from maturity. Nothing here needs
    /// history room, so expiry is never blocked. Returns how many were ended or presented.
    pub(crate) fn expire_due(id: BillId) -> Result<u32, DispatchError> {
        let mut bill = Self::live_bill(id)?;
        let now = T::now();
        match bill.state {
            BillState::Issued | BillState::Accepted | BillState::AcceptancePending { .. }
                if now >= bill.maturity =>
            {
                Self::lapse(id, &mut bill)?;
                return Ok(1);
            }
            BillState::AcceptancePending { deadline } if now > deadline => {
                bill.state = BillState::Issued;
                Bills::insert(&id, &bill);
                Self::record(id, &bill.acceptor, Event::AcceptanceExpired { bill: id });
                return Ok(1);
            }
            BillState::Delivered => {}
            _ => return Ok(0),
        }
        let mut ended: u32 = 0;
        let lapsed = now > Self::limitation_end(&bill);
        for (start, mut range) in Self::ranges_of(id) {
            match range.state.deadline() {
                Some(deadline) if now > deadline => {
                    Self::expire_range(id, &mut bill, start, range)?;
                }
                None if lapsed && !range.state.is_terminal() => {
                    range.state = RangeState::Lapsed;
                    range.pledge = None;
                    Ranges::insert(&id, &start, &range);
                    Self::record(id, &bill.acceptor, Event::RangeLapsed { bill: id, start });
                }
                None if Self::auto_presents(id, &bill, &range) => {
                    // Presented in the name of whoever could present it (holder, agent or
                    // pledgee), as if it had.
                    if let Some(by) = presenter(&range) {
                        Self::present_range(id, &bill, start, range, by)?;
                    }
                }
                _ => continue,
            }
            ended = ended.saturating_add(1);
        }
        Self::close_if_done(id, &mut bill)?;
        Bills::insert(&id, &bill);
        Ok(ended)
    }

    /// An undelivered bill reached maturity: withdrawn, with its margin and invoice amounts
    /// released, so a bill that is never delivered cannot hold an invoice's net for ever.
    fn lapse(id: BillId, bill: &mut Bill) -> DispatchResult {
        let released = bill.margin;
        T::Currency::release(HoldReason::BillMargin, &bill.acceptor, released)?;
        Self::release_invoices(bill)?;
        Self::return_deposit(bill)?;
        bill.margin = 0;
        bill.state = BillState::Withdrawn;
        Bills::insert(&id, bill);
        Self::record(
            id,
            &bill.acceptor,
            Event::BillLapsed {
                bill: id,
                margin_released: released,
            },
        );
        Ok(())
    }

    /// Ends one overdue pending operation of a range (see [`Self::expire_due`]).
    fn expire_range(
        id: BillId,
        bill: &mut Bill,
        start: Unit,
        mut range: BillRange,
    ) -> DispatchResult {
        let acceptor = bill.acceptor;
        let margin_due = match range.state {
            RangeState::PaymentPending { .. } => true,
            RangeState::RecoursePending { against, .. } => against == acceptor,
            _ => false,
        };
        if !margin_due {
            let next = if matches!(range.state, RangeState::RecoursePending { .. }) {
                RangeState::Dishonored
            } else {
                RangeState::Held
            };
            range.state = next;
            Ranges::insert(&id, &start, &range);
            Self::record(id, &acceptor, Event::OfferExpired { bill: id, start });
            return Ok(());
        }
        let owed = Self::owed(start, &range)?;
        let part = bill.margin.min(owed);
        // The margin is the pallet's hold: paying from it cannot be refused by anything the
        // acceptor does. Should the currency still refuse, the range is dishonoured as if the
        // margin were empty (and the invariants report the hold).
        let paid = part > 0
            && with_transaction(|| {
                let margin_only = Bill {
                    margin: part,
                    ..bill.clone()
                };
                Self::pay_from(&margin_only, &acceptor, &range, part).map(|(_, p)| p)
            })
            .is_ok();
        let part = if paid { part } else { 0 };
        let to_pledgee = range.pledge.map_or(0, |pledge| pledge.secured.min(part));
        bill.margin = bill
            .margin
            .checked_sub(part)
            .ok_or(ArithmeticError::Underflow)?;
        let holder = range.holder;
        let pledge = range.pledge;
        let event = if part == owed {
            let presented = matches!(range.state, RangeState::PaymentPending { .. });
            range.pledge = None;
            if presented {
                range.state = RangeState::Paid;
                Event::Paid {
                    bill: id,
                    start,
                    acceptor,
                    to: holder,
                    amount: owed,
                    from_margin: owed,
                    on_time: false,
                }
            } else {
                Self::change_holder(id, &mut range, acceptor);
                PaidAsGuarantor::remove(&id, &start);
                range.endorsers.clear();
                range.state = RangeState::Settled;
                Event::RecoursePaid {
                    bill: id,
                    start,
                    payer: acceptor,
                    to: holder,
                    amount: owed,
                    from_margin: owed,
                    settled: true,
                }
            }
        } else {
            let expired = if matches!(range.state, RangeState::PaymentPending { .. }) {
                Event::PaymentExpired { bill: id, start }
            } else {
                Event::OfferExpired { bill: id, start }
            };
            range.paid = range.paid.saturating_add(part);
            if let Some(pledge) = range.pledge.as_mut() {
                pledge.secured = pledge.secured.saturating_sub(to_pledgee);
            }
            range.state = RangeState::Dishonored;
            if part > 0 {
                Self::record(
                    id,
                    &acceptor,
                    Event::MarginApplied {
                        bill: id,
                        start,
                        to: holder,
                        amount: part,
                    },
                );
                Self::record_pledgee_share(id, bill, start, pledge, to_pledgee);
            }
            expired
        };
        Ranges::insert(&id, &start, &range);
        let full = matches!(event, Event::Paid { .. } | Event::RecoursePaid { .. });
        Self::record(id, &acceptor, event);
        if full {
            Self::record_pledgee_share(id, bill, start, pledge, to_pledgee);
        }
        Ok(())
    }

    /// Looks at up to `limit` bills, from where the previous sweep stopped, and expires what
    /// is overdue on each (frozen and finished bills are skipped). Each bill is handled in its
    /// own storage transaction, so one failure cannot stop the sweep. Returns how many bills
    /// it looked at.
    pub fn sweep(limit: u32) -> u32 {
        let next = NextBillId::get();
        let limit = u64::from(limit).min(next);
        let mut cursor = SweepCursor::get();
        let mut checked: u32 = 0;
        while u64::from(checked) < limit {
            if cursor >= next {
                cursor = 0;
            }
            let id = cursor;
            // `id < next`, so `id + 1` fits.
            cursor = id.saturating_add(1);
            checked = checked.saturating_add(1);
            let due =
                Bills::get(&id).is_some_and(|bill| !bill.frozen && Self::has_expired(id, &bill));
            if due {
                // A failure (which only a broken currency could cause) leaves this bill
                // unchanged; the next sweep tries again.
                let _ = with_transaction(|| Self::expire_due(id));
            }
        }
        SweepCursor::put(&cursor);
        checked
    }
}

/// Who may present the range now: its holder when held, its agent when in collection, its
/// pledgee when pledged (who collects up to the secured amount); nobody otherwise.
pub(crate) fn presenter(range: &BillRange) -> Option<AccountId> {
    match range.state {
        RangeState::Held => Some(range.holder),
        RangeState::InCollection { agent } => Some(agent),
        RangeState::Pledged { pledgee } => Some(pledgee),
        _ => None,
    }
}

/// The signers before `holder`'s first endorsement of the range: they are liable to it.
pub(crate) fn prior_signers<'a>(endorsers: &'a [AccountId], holder: &AccountId) -> &'a [AccountId] {
    let cut = endorsers
        .iter()
        .position(|signer| signer == holder)
        .unwrap_or(endorsers.len());
    endorsers.get(..cut).unwrap_or(endorsers)
}

/// How a step changes its bill's acceptor's credit record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CreditEffect {
    OnTime,
    Late,
    Dishonored,
}

impl CreditEffect {
    pub(crate) fn apply(self, credit: &mut CreditRecord) {
        // Counts of ranges: a u32 cannot realistically overflow, and failing a payment
        // because a statistic overflowed would be worse than saturating it.
        match self {
            Self::OnTime => credit.on_time = credit.on_time.saturating_add(1),
            Self::Late => credit.late = credit.late.saturating_add(1),
            Self::Dishonored => credit.dishonored = credit.dishonored.saturating_add(1),
        }
    }
}

/// The credit effect of a recorded step, if any: the history is the source of truth.
pub(crate) fn credit_effect(event: &Event, acceptor: &AccountId) -> Option<CreditEffect> {
    match event {
        // A payment to the acceptor itself moves no money: it earns no credit.
        Event::Paid { to, .. } if to == acceptor => None,
        Event::Paid { on_time: true, .. } => Some(CreditEffect::OnTime),
        Event::Paid { on_time: false, .. } => Some(CreditEffect::Late),
        Event::RecoursePaid { payer, .. } if payer == acceptor => Some(CreditEffect::Late),
        Event::PaymentRefused { .. }
        | Event::PaymentDishonoured { .. }
        | Event::PaymentExpired { .. } => Some(CreditEffect::Dishonored),
        _ => None,
    }
}
