//! What dApps ask about bills. The runtime exports these as `BillsApi_*` runtime API methods
//! (SCALE in, SCALE out); they only read state.

use crate::*;
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap};

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

/// `BillsApi_holdings`: the ranges `who` holds, by bill (paid and settled ones included).
pub fn holdings(who: AccountId) -> Vec<(BillId, Vec<(Unit, BillRange)>)> {
    let mut bills: Vec<BillId> = Holdings::iter_prefix(&who).map(|(id, _)| id).collect();
    bills.sort_unstable();
    bills
        .into_iter()
        .map(|id| {
            let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&id)
                .filter(|(_, range)| range.holder == who)
                .collect();
            ranges.sort_by_key(|(start, _)| *start);
            (id, ranges)
        })
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
        let Some(bill) = Bills::get(&id) else {
            continue;
        };
        if let BillState::AcceptancePending { deadline } = bill.state {
            if bill.acceptor == who {
                found.push(Awaiting::Acceptance { bill: id, deadline });
            }
        }
        let mut ranges: Vec<(Unit, BillRange)> = Ranges::iter_prefix(&id).collect();
        ranges.sort_by_key(|(start, _)| *start);
        for (start, range) in ranges {
            match range.state {
                RangeState::PaymentPending { deadline } if bill.acceptor == who => {
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
                        if counterparty == who {
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
    found
}

/// `BillsApi_acceptor_credit`: an acceptor's on-time, late and dishonoured counts.
pub fn acceptor_credit(acceptor: AccountId) -> CreditRecord {
    AcceptorCredit::get(&acceptor)
}
