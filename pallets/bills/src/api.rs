//! What dApps ask about bills. The runtime exports these as `BillsApi_*` runtime API methods
//! (SCALE in, SCALE out); they only read state.

use crate::*;
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap};

/// The most entries one page of `holdings_page`, `bills_of_page` or `awaiting_page` returns
/// (a larger `limit` is cut to it), so an answer stays small however many bills an account
/// has been drawn into.
pub const MAX_PAGE: u32 = 100;

/// A bill with its ranges and its full history: its whole life in one answer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub struct BillView {
    pub id: BillId,
    pub bill: Bill,
    /// `(first unit, range)`, in unit order.
    pub ranges: Vec<(Unit, BillRange)>,
    pub history: Vec<HistoryEntry>,
}

/// What awaits an account's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
pub enum Awaiting {
    /// Accept or refuse the bill (as acceptor).
    #[codec(index = 0)]
    Acceptance { bill: BillId, deadline: Moment },
    /// Sign, take or reject an offer, or pay or reject a recourse claim.
    #[codec(index = 1)]
    Offer {
        bill: BillId,
        start: Unit,
        deadline: Moment,
    },
    /// Pay or refuse a presented range (as acceptor).
    #[codec(index = 2)]
    Payment {
        bill: BillId,
        start: Unit,
        deadline: Moment,
    },
}

/// `BillsApi_bill`: a bill with its ranges and full history.
pub fn bill(id: BillId) -> Option<BillView> {
    let bill = Bills::get(&id)?;
    let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&id).collect();
    ranges.sort_by_key(|(start, _)| *start);
    Some(BillView {
        id,
        bill,
        ranges,
        history: history_of(id),
    })
}

/// A bill's history, oldest first.
pub fn history_of(id: BillId) -> Vec<HistoryEntry> {
    (0..HistoryLen::get(&id))
        .filter_map(|index| History::get(&id, &index))
        .collect()
}

/// The page `[start, start + min(limit, MAX_PAGE))` of `items`.
fn page<I: Iterator>(items: I, start: u32, limit: u32) -> impl Iterator<Item = I::Item> {
    items
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.min(MAX_PAGE)).unwrap_or(0))
}

/// The ranges of bill `id` held by `who`, in unit order.
fn ranges_held(id: BillId, who: &AccountId) -> Vec<(Unit, BillRange)> {
    let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&id)
        .filter(|(_, range)| range.holder == *who)
        .collect();
    ranges.sort_by_key(|(start, _)| *start);
    ranges
}

/// `BillsApi_holdings_page`: the page of `holdings(who)` that skips the first `start` bills
/// and has at most `limit` (≤ `MAX_PAGE`) bills.
pub fn holdings_page(
    who: AccountId,
    start: u32,
    limit: u32,
) -> Vec<(BillId, Vec<(Unit, BillRange)>)> {
    let mut bills: Vec<BillId> = Holdings::iter_prefix(&who).map(|(id, _)| id).collect();
    bills.sort_unstable();
    page(bills.into_iter(), start, limit)
        .map(|id| (id, ranges_held(id, &who)))
        .collect()
}

/// `BillsApi_bills_of_page`: the page of `bills_of(who)` that skips the first `start` ids and
/// has at most `limit` (≤ `MAX_PAGE`).
pub fn bills_of_page(who: AccountId, start: u32, limit: u32) -> Vec<BillId> {
    page(bills_of(who).into_iter(), start, limit).collect()
}

/// `BillsApi_awaiting_page`: what waits for `who` in the page `bills_of_page(who, start,
/// limit)` of its bills (a page of bills, so the next page starts at `start + limit`).
pub fn awaiting_page(who: AccountId, start: u32, limit: u32) -> Vec<Awaiting> {
    let mut found = Vec::new();
    for id in bills_of_page(who, start, limit) {
        awaiting_in(id, &who, &mut found);
    }
    found
}

/// `BillsApi_holdings`: the ranges `who` holds, by bill (paid and settled ones included).
pub fn holdings(who: AccountId) -> Vec<(BillId, Vec<(Unit, BillRange)>)> {
    let mut bills: Vec<BillId> = Holdings::iter_prefix(&who).map(|(id, _)| id).collect();
    bills.sort_unstable();
    bills
        .into_iter()
        .map(|id| (id, ranges_held(id, &who)))
        .collect()
}

/// `BillsApi_bills_of`: every bill `who` has taken part in, in id order.
pub fn bills_of(who: AccountId) -> Vec<BillId> {
    let mut bills: Vec<BillId> = Involved::iter_prefix(&who).map(|(id, _)| id).collect();
    bills.sort_unstable();
    bills
}

/// `BillsApi_awaiting`: what waits for `who` to answer, in bill order.
pub fn awaiting(who: AccountId) -> Vec<Awaiting> {
    let mut found = Vec::new();
    for id in bills_of(who) {
        awaiting_in(id, &who, &mut found);
    }
    found
}

/// Appends what bill `id` waits for `who` to answer, in unit order.
fn awaiting_in(id: BillId, who: &AccountId, found: &mut Vec<Awaiting>) {
    let Some(bill) = Bills::get(&id) else {
        return;
    };
    if let BillState::AcceptancePending { deadline } = bill.state {
        if bill.acceptor == *who {
            found.push(Awaiting::Acceptance { bill: id, deadline });
        }
    }
    let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&id).collect();
    ranges.sort_by_key(|(start, _)| *start);
    for (start, range) in ranges {
        match range.state {
            RangeState::PaymentPending { deadline } if bill.acceptor == *who => {
                found.push(Awaiting::Payment {
                    bill: id,
                    start,
                    deadline,
                });
            }
            state => {
                if let (Some(counterparty), Some(deadline)) =
                    (state.counterparty(), state.deadline())
                {
                    if counterparty == *who {
                        found.push(Awaiting::Offer {
                            bill: id,
                            start,
                            deadline,
                        });
                    }
                }
            }
        }
    }
}

/// `BillsApi_acceptor_credit`: an acceptor's on-time, late and dishonoured counts.
pub fn acceptor_credit(acceptor: AccountId) -> CreditRecord {
    AcceptorCredit::get(&acceptor)
}
