//! The bills pallet's invariants, checked after every test and every random step, and
//! callable on chain as an audit.
//!
//! What a single state can show is checked here; what only a transition can show (pending
//! ranges change only through their answer, terminal states never change, money moves with
//! the bill) is checked step by step in the property tests.

use crate::logic::credit_effect;
use crate::*;
use alloc::collections::BTreeMap;
use folio_pallet_support::currency::{Currency, HoldReason};
use folio_pallet_support::invariants::{ensure_invariant, InvariantViolation};
use folio_pallet_support::storage::{StorageDoubleMap, StorageItem, StorageMap, StorageValue};
use folio_primitives::io;

/// Checks every invariant of the bills pallet over the whole state.
pub fn check_invariants<T: Config>() -> Result<(), InvariantViolation> {
    let next = NextBillId::get();
    let mut invoice_use: BTreeMap<InvoiceRef, Balance> = BTreeMap::new();
    let mut margins: BTreeMap<AccountId, Balance> = BTreeMap::new();
    let mut deposits: BTreeMap<AccountId, Balance> = BTreeMap::new();
    let mut holdings: BTreeMap<(AccountId, BillId), u32> = BTreeMap::new();
    let mut credit: BTreeMap<AccountId, CreditRecord> = BTreeMap::new();

    for (id, bill) in Bills::iter() {
        ensure_invariant(
            id < next,
            "bill ids are below NextBillId",
            next.into(),
            id.into(),
        )?;
        check_bill::<T>(id, &bill)?;
        let ranges = Pallet::<T>::ranges_of(id);
        check_ranges::<T>(id, &bill, &ranges)?;
        let history = crate::api::history_of(id);
        check_history::<T>(id, &bill, &ranges, &history)?;

        for (_, range) in &ranges {
            let held = holdings.entry((range.holder, id)).or_insert(0);
            *held = held.saturating_add(1);
        }
        for who in [&bill.drawer, &bill.acceptor, &bill.payee] {
            ensure_invariant(
                Involved::contains_key(who, &id),
                "every party of a bill is indexed as involved",
                1,
                0,
            )?;
        }
        let avals: alloc::vec::Vec<(AccountId, AccountId)> = Avals::iter_prefix(&id).collect();
        ensure_invariant(
            u32::try_from(avals.len()).ok() == Some(AvalCount::get(&id))
                && AvalCount::get(&id) <= T::MAX_CHAIN,
            "AvalCount counts a bill's avals, at most MaxChain",
            id.into(),
            avals.len() as u128,
        )?;
        for (guarantor, party) in &avals {
            ensure_invariant(
                guarantor != party && Involved::contains_key(guarantor, &id),
                "a guarantor guarantees another party and is indexed as involved",
                id.into(),
                0,
            )?;
        }
        let chosen = history
            .iter()
            .any(|entry| matches!(entry.event, Event::AutoPresentmentChosen { .. }));
        ensure_invariant(
            AutoPresentment::contains_key(&id) == chosen,
            "a bill is presented automatically exactly when its history records the choice",
            id.into(),
            u128::from(chosen),
        )?;
        if bill.state != BillState::Withdrawn {
            for invoice in &bill.invoices {
                let used = invoice_use.entry(*invoice).or_insert(0);
                *used = used.saturating_add(bill.face);
            }
        }
        let margin = margins.entry(bill.acceptor).or_insert(0);
        *margin = margin.saturating_add(bill.margin);
        let deposit = deposits.entry(bill.drawer).or_insert(0);
        *deposit = deposit.saturating_add(bill.deposit);
        for entry in &history {
            if let Some(effect) = credit_effect(&entry.event, &bill.acceptor) {
                effect.apply(credit.entry(bill.acceptor).or_default());
            }
        }
    }
    // No bills or ranges beyond what `Bills` lists.
    let orphan = Ranges::iter_prefix(&next).next().is_some()
        || HistoryLen::contains_key(&next)
        || History::contains_key(&next, &0);
    ensure_invariant(!orphan, "no ranges or history without a bill", 0, 1)?;
    for (id, ()) in AutoPresentment::iter() {
        ensure_invariant(
            Bills::contains_key(&id),
            "automatic presentment is chosen only for existing bills",
            id.into(),
            0,
        )?;
    }

    // Exactly one holder per range: the holder index agrees with the ranges.
    let indexed = holdings_index();
    ensure_invariant(
        indexed == holdings,
        "the holder index counts exactly the ranges each account holds",
        holdings.len() as u128,
        indexed.len() as u128,
    )?;

    // Trade background: Σ face citing an invoice ≤ its net, and the running sums agree.
    let stored: BTreeMap<InvoiceRef, Balance> = InvoiceUse::iter().collect();
    ensure_invariant(
        stored == invoice_use,
        "invoice use = Σ face of not withdrawn bills citing it",
        invoice_use.len() as u128,
        stored.len() as u128,
    )?;
    for (invoice, used) in &invoice_use {
        let net = T::Invoices::trade_background(*invoice).map_or(0, |background| background.net);
        ensure_invariant(
            *used <= net,
            "Σ face citing an invoice ≤ its net",
            net,
            *used,
        )?;
    }

    // Money and bill together: the acceptors' margin holds are exactly their bills' margins.
    for (acceptor, margin) in &margins {
        let held = T::Currency::balance_on_hold(HoldReason::BillMargin, acceptor);
        ensure_invariant(
            held == *margin,
            "an acceptor's BillMargin hold = Σ margins of its bills",
            *margin,
            held,
        )?;
    }

    // Deposits: a drawer's BillDeposit hold is exactly its unfinished bills' deposits.
    for (drawer, deposit) in &deposits {
        let held = T::Currency::balance_on_hold(HoldReason::BillDeposit, drawer);
        ensure_invariant(
            held == *deposit,
            "a drawer's BillDeposit hold = Σ deposits of its unfinished bills",
            *deposit,
            held,
        )?;
    }

    // Acceptor credit is what the histories say.
    let stored: BTreeMap<AccountId, CreditRecord> = AcceptorCredit::iter()
        .filter(|(_, record)| *record != CreditRecord::default())
        .collect();
    ensure_invariant(
        stored == credit,
        "acceptor credit = on-time, late and dishonoured counts in the histories",
        credit.len() as u128,
        stored.len() as u128,
    )?;

    let cursor = SweepCursor::get();
    ensure_invariant(
        cursor <= next,
        "the sweep cursor is within the bill ids",
        next.into(),
        cursor.into(),
    )
}

/// The bill's own fields respect their bounds.
fn check_bill<T: Config>(_id: BillId, bill: &Bill) -> Result<(), InvariantViolation> {
    ensure_invariant(
        bill.face > 0 && bill.face.checked_rem(T::RANGE_UNIT) == Some(0),
        "face amounts are positive multiples of the range unit",
        T::RANGE_UNIT,
        bill.face,
    )?;
    let latest = bill.issued_at.saturating_add(T::MAX_TENOR);
    ensure_invariant(
        bill.issued_at < bill.maturity && bill.maturity <= latest,
        "issue < maturity ≤ issue + max tenor",
        latest.into(),
        bill.maturity.into(),
    )?;
    ensure_invariant(
        bill.invoices.len() <= T::MAX_INVOICES as usize,
        "at most MaxInvoices invoices",
        T::MAX_INVOICES.into(),
        bill.invoices.len() as u128,
    )?;
    ensure_invariant(
        bill.margin <= bill.face,
        "margin ≤ face",
        bill.face,
        bill.margin,
    )?;
    let no_margin = matches!(
        bill.state,
        BillState::Issued
            | BillState::AcceptancePending { .. }
            | BillState::Withdrawn
            | BillState::Closed
    );
    ensure_invariant(
        !no_margin || bill.margin == 0,
        "only accepted, unfinished bills hold a margin",
        0,
        bill.margin,
    )?;
    ensure_invariant(
        !bill.is_terminal() || bill.deposit == 0,
        "a finished bill holds no deposit",
        0,
        bill.deposit,
    )
}

/// The ranges partition the face amount, each with one holder; pending ⇒ locked; closed ⇒
/// every range terminal; non-transferable bills were never endorsed.
fn check_ranges<T: Config>(
    id: BillId,
    bill: &Bill,
    ranges: &[(Unit, BillRange)],
) -> Result<(), InvariantViolation> {
    let delivered = matches!(bill.state, BillState::Delivered | BillState::Closed);
    ensure_invariant(
        ranges.len() == bill.ranges as usize,
        "a bill counts its ranges",
        bill.ranges.into(),
        ranges.len() as u128,
    )?;
    if !delivered {
        return ensure_invariant(
            ranges.is_empty(),
            "only delivered bills have ranges",
            0,
            ranges.len() as u128,
        );
    }
    ensure_invariant(
        ranges.len() <= T::MAX_RANGES as usize && (bill.divisible || ranges.len() == 1),
        "at most MaxRanges ranges; one if not divisible",
        T::MAX_RANGES.into(),
        ranges.len() as u128,
    )?;
    let units = bill.face.checked_div(T::RANGE_UNIT).unwrap_or(0);
    let mut expected_start: Unit = 0;
    for (start, range) in ranges {
        ensure_invariant(
            *start == expected_start && *start < range.end,
            "ranges are non-empty, disjoint and contiguous",
            expected_start.into(),
            (*start).into(),
        )?;
        expected_start = range.end;
        ensure_invariant(
            range.endorsers.len() <= T::MAX_CHAIN as usize,
            "at most MaxChain endorsers",
            T::MAX_CHAIN.into(),
            range.endorsers.len() as u128,
        )?;
        ensure_invariant(
            range.state.counterparty() != Some(range.holder),
            "a pending operation's counterparty is not the holder",
            0,
            id.into(),
        )?;
        let transferred = !range.endorsers.is_empty()
            || matches!(
                range.state,
                RangeState::EndorsementPending { .. }
                    | RangeState::DiscountPending { .. }
                    | RangeState::PledgePending { .. }
                    | RangeState::Pledged { .. }
            );
        ensure_invariant(
            !(bill.non_transferable && transferred),
            "non-transferable bills are never endorsed, discounted or pledged",
            0,
            id.into(),
        )?;
        let amount = Balance::from(range.end.saturating_sub(*start)).saturating_mul(T::RANGE_UNIT);
        ensure_invariant(
            range.paid < amount || range.state.is_terminal(),
            "a margin pays part of an unpaid range, never all of it",
            amount,
            range.paid,
        )?;
        if let RangeState::Pledged { pledgee } = range.state {
            ensure_invariant(
                range.pledge.is_some_and(|pledge| pledge.pledgee == pledgee),
                "a pledged range records its pledge",
                1,
                0,
            )?;
        }
        if range.state == RangeState::Settled {
            ensure_invariant(
                range.holder == bill.acceptor,
                "a settled range is held by the acceptor who paid it",
                0,
                id.into(),
            )?;
        }
    }
    ensure_invariant(
        u128::from(expected_start) == units,
        "ranges partition the face amount",
        units,
        expected_start.into(),
    )?;
    let all_terminal = ranges.iter().all(|(_, range)| range.state.is_terminal());
    ensure_invariant(
        all_terminal == (bill.state == BillState::Closed),
        "a bill is closed exactly when every range is paid or settled",
        u128::from(all_terminal),
        u128::from(bill.state == BillState::Closed),
    )
}

/// The history is bounded, starts with the issue, belongs to the bill, is stamped in order,
/// and records the payment of every paid or settled range (money moved with the bill).
fn check_history<T: Config>(
    id: BillId,
    bill: &Bill,
    ranges: &[(Unit, BillRange)],
    history: &[HistoryEntry],
) -> Result<(), InvariantViolation> {
    ensure_invariant(
        history.len() == HistoryLen::get(&id) as usize,
        "a history has exactly HistoryLen entries, numbered from 0",
        HistoryLen::get(&id).into(),
        history.len() as u128,
    )?;
    let starts_with_issue = matches!(
        history.first(),
        Some(HistoryEntry { event: Event::BillIssued { bill: b, .. }, block, time })
            if *b == id && *block == bill.issued_block && *time == bill.issued_at
    );
    ensure_invariant(starts_with_issue, "a history starts with the issue", 1, 0)?;
    let mut previous = (0, 0);
    for entry in history {
        ensure_invariant(
            entry.event.bill() == id,
            "history entries belong to their bill",
            id.into(),
            entry.event.bill().into(),
        )?;
        ensure_invariant(
            (entry.block, entry.time) >= previous,
            "history is stamped in block and time order",
            previous.1.into(),
            entry.time.into(),
        )?;
        previous = (entry.block, entry.time);
    }
    for (start, range) in ranges {
        // What the final payment owed: the range less what a margin paid towards it before.
        let amount = Balance::from(range.end.saturating_sub(*start))
            .saturating_mul(T::RANGE_UNIT)
            .saturating_sub(range.paid);
        let paid = |event: &Event| match *event {
            Event::Paid {
                start: s,
                amount: a,
                acceptor,
                ..
            } => s == *start && a == amount && acceptor == bill.acceptor,
            _ => false,
        };
        let settled = |event: &Event| match *event {
            Event::RecoursePaid {
                start: s,
                amount: a,
                payer,
                settled: true,
                ..
            } => s == *start && a == amount && payer == bill.acceptor,
            _ => false,
        };
        let recorded = match range.state {
            RangeState::Paid => history.iter().any(|entry| paid(&entry.event)),
            RangeState::Settled => history.iter().any(|entry| settled(&entry.event)),
            _ => true,
        };
        ensure_invariant(
            recorded,
            "every paid or settled range has its payment in the history",
            amount,
            0,
        )?;
    }
    Ok(())
}

/// Every entry of `Holdings`, read key by key (a double map has no full iterator).
fn holdings_index() -> BTreeMap<(AccountId, BillId), u32> {
    let prefix = Holdings::prefix();
    let mut entries = BTreeMap::new();
    let mut cursor = prefix.to_vec();
    while let Some(key) = io::storage_next_key(&cursor) {
        if !key.starts_with(&prefix) {
            break;
        }
        // prefix ++ blake2_128(account) ++ account ++ twox64(bill) ++ bill
        let account = key
            .get(48..80)
            .and_then(|raw| AccountId::decode(&mut &raw[..]).ok());
        let bill = key
            .get(88..96)
            .and_then(|raw| BillId::decode(&mut &raw[..]).ok());
        let count = io::storage_get(&key).and_then(|raw| u32::decode(&mut &raw[..]).ok());
        if let (Some(account), Some(bill), Some(count)) = (account, bill, count) {
            entries.insert((account, bill), count);
        } else {
            // An entry that does not decode cannot match any range: report it.
            entries.insert((AccountId::new([0xff; 32]), BillId::MAX), 0);
        }
        cursor = key;
    }
    entries
}
