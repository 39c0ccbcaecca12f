//! What the calls share: reading bills and ranges, splitting ranges, the holder index, the
//! history, liability for recourse, closing a bill, and expiring overdue pending operations.

use crate::*;
use folio_pallet_support::currency::{Arrival, Currency, HoldReason};
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

/// History entries any answer needs: its own and a possible `BillClosed`.
pub(crate) const ANSWER_ROOM: u32 = 2;

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
    pub(crate) fn range(bill: BillId, start: Unit) -> Result<Range, DispatchError> {
        Ranges::get(&bill, &start).ok_or_else(|| Self::error(Error::UnknownRange))
    }

    /// Every range of a bill, by first unit.
    pub(crate) fn ranges_of(bill: BillId) -> Vec<(Unit, Range)> {
        let mut ranges: Vec<(Unit, Range)> = Ranges::iter_prefix(&bill).collect();
        ranges.sort_by_key(|(start, _)| *start);
        ranges
    }

    /// The range that contains all of `[start, end)`, with its first unit.
    pub(crate) fn containing(
        bill: BillId,
        start: Unit,
        end: Unit,
    ) -> Result<(Unit, Range), DispatchError> {
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
    pub(crate) fn presentment_end(bill: &Bill) -> Result<Moment, DispatchError> {
        bill.maturity
            .checked_add(T::PRESENTMENT_PERIOD)
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// `now + window`.
    pub(crate) fn deadline(window: Moment) -> Result<Moment, DispatchError> {
        T::now()
            .checked_add(window)
            .ok_or_else(|| ArithmeticError::Overflow.into())
    }

    /// History entries an offer needs: its own and `HISTORY_RESERVE` kept free, so a loop of
    /// offers and refusals cannot take the room answers, payment and recourse need.
    pub(crate) fn offer_room() -> u32 {
        T::HISTORY_RESERVE.saturating_add(1)
    }

    /// Checks the history has room for `needed` more entries.
    pub(crate) fn ensure_room(bill: BillId, needed: u32) -> DispatchResult {
        let len = History::get(&bill).len();
        // `len` is at most MAX_HISTORY (a u32); saturation only makes the check stricter.
        let after = u32::try_from(len)
            .unwrap_or(u32::MAX)
            .saturating_add(needed);
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
        History::mutate(&bill, |history| history.push(entry));
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
    pub(crate) fn change_holder(bill: BillId, range: &mut Range, to: AccountId) {
        Self::remove_holding(&range.holder, bill);
        Self::add_holdings(&to, bill, 1);
        range.holder = to;
    }

    /// Whether `against` is a prior signer liable to the range's holder and not discharged:
    /// the acceptor always; unless presentment was late, the drawer (if the holder is not the
    /// drawer) and every endorser before the holder's first endorsement.
    pub(crate) fn is_liable(bill: &Bill, range: &Range, against: &AccountId) -> bool {
        let holder = &range.holder;
        if against == holder {
            return false;
        }
        if *against == bill.acceptor {
            return true;
        }
        if range.late_presentment || *holder == bill.drawer {
            return false;
        }
        if *against == bill.drawer {
            return true;
        }
        prior_signers(&range.endorsers, holder).contains(against)
    }

    /// Pays `amount` from `payer` to `to`; when the payer is the acceptor, from the bill's margin
    /// first. Returns how much came from the margin (the caller lowers `bill.margin`).
    pub(crate) fn pay_from(
        bill: &Bill,
        payer: &AccountId,
        to: &AccountId,
        amount: Balance,
    ) -> Result<Balance, DispatchError> {
        let from_margin = if *payer == bill.acceptor {
            bill.margin.min(amount)
        } else {
            0
        };
        let rest = amount
            .checked_sub(from_margin)
            .ok_or(ArithmeticError::Underflow)?;
        T::Currency::transfer_on_hold(
            HoldReason::BillMargin,
            payer,
            to,
            from_margin,
            Arrival::Free,
        )?;
        T::Currency::transfer(
            payer,
            to,
            rest,
            folio_pallet_support::currency::Preservation::Preserve,
        )?;
        Ok(from_margin)
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

    /// Whether anything pending on the bill has passed its deadline.
    pub(crate) fn has_expired(id: BillId, bill: &Bill) -> bool {
        let now = T::now();
        match bill.state {
            BillState::AcceptancePending { deadline } => now > deadline,
            BillState::Delivered => Ranges::iter_prefix(&id)
                .any(|(_, range)| range.state.deadline().is_some_and(|d| now > d)),
            _ => false,
        }
    }

    /// Ends every pending operation of the bill whose deadline has passed (as many as the
    /// history has room for): offers return the range to its holder; an unanswered
    /// presentment is paid from the margin when it covers it, else dishonoured; an unanswered
    /// recourse claim against the acceptor is paid from the margin when it covers it, else the
    /// range is dishonoured again. Returns how many were ended.
    pub(crate) fn expire_due(id: BillId) -> Result<u32, DispatchError> {
        let mut bill = Self::live_bill(id)?;
        let now = T::now();
        let mut ended: u32 = 0;
        if let BillState::AcceptancePending { deadline } = bill.state {
            if now > deadline && Self::ensure_room(id, ANSWER_ROOM).is_ok() {
                bill.state = BillState::Issued;
                Bills::insert(&id, &bill);
                Self::record(id, &bill.acceptor, Event::AcceptanceExpired { bill: id });
                ended = 1;
            }
            return Ok(ended);
        }
        if bill.state != BillState::Delivered {
            return Ok(0);
        }
        for (start, mut range) in Self::ranges_of(id) {
            let Some(deadline) = range.state.deadline() else {
                continue;
            };
            if now <= deadline || Self::ensure_room(id, ANSWER_ROOM).is_err() {
                continue;
            }
            let amount = Self::amount(start, range.end)?;
            let event = match range.state {
                RangeState::PaymentPending { .. } => {
                    let holder = range.holder;
                    let paid = bill.margin >= amount
                        && with_transaction(|| {
                            Self::pay_from(&bill, &bill.acceptor, &holder, amount)
                        })
                        .is_ok();
                    if paid {
                        bill.margin = bill
                            .margin
                            .checked_sub(amount)
                            .ok_or(ArithmeticError::Underflow)?;
                        range.state = RangeState::Paid;
                        Event::Paid {
                            bill: id,
                            start,
                            acceptor: bill.acceptor,
                            to: holder,
                            amount,
                            from_margin: amount,
                            on_time: false,
                        }
                    } else {
                        range.state = RangeState::Dishonored;
                        Event::PaymentExpired { bill: id, start }
                    }
                }
                RangeState::RecoursePending { against, .. } => {
                    let holder = range.holder;
                    let paid = against == bill.acceptor
                        && bill.margin >= amount
                        && with_transaction(|| Self::pay_from(&bill, &against, &holder, amount))
                            .is_ok();
                    if paid {
                        bill.margin = bill
                            .margin
                            .checked_sub(amount)
                            .ok_or(ArithmeticError::Underflow)?;
                        Self::change_holder(id, &mut range, against);
                        range.endorsers.clear();
                        range.state = RangeState::Settled;
                        Event::RecoursePaid {
                            bill: id,
                            start,
                            payer: against,
                            to: holder,
                            amount,
                            from_margin: amount,
                            settled: true,
                        }
                    } else {
                        range.state = RangeState::Dishonored;
                        Event::OfferExpired { bill: id, start }
                    }
                }
                _ => {
                    range.state = RangeState::Held;
                    Event::OfferExpired { bill: id, start }
                }
            };
            Ranges::insert(&id, &start, &range);
            Self::record(id, &bill.acceptor, event);
            ended = ended.saturating_add(1);
        }
        Self::close_if_done(id, &mut bill)?;
        Bills::insert(&id, &bill);
        Ok(ended)
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
        Event::Paid { on_time: true, .. } => Some(CreditEffect::OnTime),
        Event::Paid { on_time: false, .. } => Some(CreditEffect::Late),
        Event::RecoursePaid { payer, .. } if payer == acceptor => Some(CreditEffect::Late),
        Event::PaymentRefused { .. } | Event::PaymentExpired { .. } => {
            Some(CreditEffect::Dishonored)
        }
        _ => None,
    }
}
