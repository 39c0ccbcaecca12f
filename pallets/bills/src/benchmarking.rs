//! Benchmarks of the bills pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! A bill of 100 range units is drawn by a drawer on an acceptor for a payee. Worst cases:
//! `issue` cites `invoices` trade invoices; the acceptor holds a margin, so payments and
//! withdrawals move held money; offers cover part of the holder's range, so they split it.
//! The calls that walk a bill's ranges run on a bill split into `MAX_RANGES` ranges (64 in
//! the runtime): `expire` pays every one of them, overdue and presented, from a margin that
//! covers the face; `sweep_expired` finds `limit` such bills; `unfreeze` postpones
//! `MAX_RANGES` pending offers; `pay` and `pay_recourse` settle the last open range, so
//! closing the bill reads every range.

use crate::types::*;
use crate::{Call, Config, NextBillId, TradeInvoices};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;

/// Trade background for `issue`'s benchmark: the runtime's invoices (or a mock's).
pub trait BenchmarkInvoices: TradeInvoices {
    /// A fresh invoice whose net covers `face`, sold by `trade_parties().0` to
    /// `trade_parties().1`.
    fn invoice(index: u32, face: Balance) -> Option<InvoiceRef>;
    /// The seller and buyer of the benchmark invoices: `issue`'s drawer and acceptor.
    fn trade_parties() -> (AccountId, AccountId) {
        (account("drawer", 0), account("acceptor", 0))
    }
}

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::linear("issue", "invoices", 0, T::MAX_INVOICES),
        Benchmark::new("request_acceptance"),
        Benchmark::new("accept"),
        Benchmark::new("refuse_acceptance"),
        Benchmark::new("withdraw"),
        Benchmark::new("deliver"),
        Benchmark::new("endorse"),
        Benchmark::new("endorse_for_collection"),
        Benchmark::new("offer_discount"),
        Benchmark::new("pledge"),
        Benchmark::new("sign"),
        Benchmark::new("take_discount"),
        Benchmark::new("reject"),
        Benchmark::new("revoke"),
        Benchmark::new("release"),
        Benchmark::new("present"),
        Benchmark::new("pay"),
        Benchmark::new("refuse_payment"),
        Benchmark::new("claim_recourse"),
        Benchmark::new("pay_recourse"),
        Benchmark::new("expire"),
        Benchmark::linear("sweep_expired", "limit", 1, T::SWEEP_PER_BLOCK.max(2)),
        Benchmark::new("freeze"),
        Benchmark::new("unfreeze"),
        Benchmark::new("guarantee"),
        Benchmark::linear(
            "issue_with_auto_presentment",
            "invoices",
            0,
            T::MAX_INVOICES
        ),
    ]
}

const DAY: Moment = 86_400_000;
/// The clock when a setup starts.
const START: Moment = 1_000 * DAY;
/// Range units per bill.
const UNITS: Unit = 100;
/// Where partial offers split the holder's range.
const HALF: Unit = UNITS / 2;

fn face<T: Config>() -> Balance {
    T::RANGE_UNIT.saturating_mul(Balance::from(UNITS))
}

fn maturity() -> Moment {
    START.saturating_add(DAY.saturating_mul(30))
}

struct Parties {
    drawer: AccountId,
    acceptor: AccountId,
    payee: AccountId,
    other: AccountId,
}

fn parties<E: BenchmarkEnv>() -> Parties {
    let p = Parties {
        drawer: account("drawer", 0),
        acceptor: account("acceptor", 0),
        payee: account("payee", 0),
        other: account("endorsee", 0),
    };
    for who in [&p.drawer, &p.acceptor, &p.payee, &p.other] {
        E::fund(who, 1_000_000_000_000_000_000);
    }
    E::set_now(START);
    p
}

/// Just past the payment window of a bill presented at maturity.
fn after_payment_window<T: Config>() -> Moment {
    maturity()
        .saturating_add(T::PAYMENT_WINDOW)
        .saturating_add(1)
}

fn signed(who: &AccountId) -> Origin {
    Origin::Signed(*who)
}

fn issue_call<T: Config>(p: &Parties, invoices: Vec<InvoiceRef>) -> Call {
    Call::issue {
        acceptor: p.acceptor,
        payee: p.payee,
        face: face::<T>(),
        maturity: maturity(),
        non_transferable: false,
        divisible: true,
        invoices,
    }
}

/// A bill issued by the drawer; returns its id.
fn issued<T: Config>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = NextBillId::get();
    issue_call::<T>(p, Vec::new()).dispatch::<T>(signed(&p.drawer))?;
    Ok(id)
}

/// Issued, acceptance requested.
fn requested<T: Config>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = issued::<T>(p)?;
    Call::request_acceptance { bill: id }.dispatch::<T>(signed(&p.drawer))?;
    Ok(id)
}

/// Accepted with a margin of half the face.
fn accepted<T: Config>(p: &Parties) -> Result<BillId, BenchmarkError> {
    accepted_with::<T>(p, face::<T>() / 2)
}

fn accepted_with<T: Config>(p: &Parties, margin: Balance) -> Result<BillId, BenchmarkError> {
    let id = requested::<T>(p)?;
    Call::accept { bill: id, margin }.dispatch::<T>(signed(&p.acceptor))?;
    Ok(id)
}

/// Delivered: the payee holds `[0, UNITS)`.
fn delivered<T: Config>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = accepted::<T>(p)?;
    Call::deliver { bill: id }.dispatch::<T>(signed(&p.drawer))?;
    Ok(id)
}

/// Delivered with a margin of the face less one unit, then split into `MAX_RANGES` ranges: the
/// payee endorses `[i, i + 1)` to `other` for every range but the last, which it keeps
/// (`[MAX_RANGES - 1, UNITS)`). Returns the bill and every range's first unit and holder,
/// in unit order.
fn split<T: Config>(p: &Parties) -> Result<(BillId, Vec<(Unit, AccountId)>), BenchmarkError> {
    // All but one unit: the last range is paid from the margin and from free balance.
    let id = accepted_with::<T>(p, face::<T>().saturating_sub(T::RANGE_UNIT))?;
    Call::deliver { bill: id }.dispatch::<T>(signed(&p.drawer))?;
    let last = Unit::from(T::MAX_RANGES).clamp(1, UNITS).saturating_sub(1);
    let mut ranges = Vec::new();
    for start in 0..last {
        Call::endorse {
            bill: id,
            start,
            end: start.saturating_add(1),
            to: p.other,
        }
        .dispatch::<T>(signed(&p.payee))?;
        Call::sign { bill: id, start }.dispatch::<T>(signed(&p.other))?;
        ranges.push((start, p.other));
    }
    ranges.push((last, p.payee));
    Ok((id, ranges))
}

/// A `split` bill, matured, every range presented by its holder.
fn split_presented<T: Config, E: BenchmarkEnv>(
    p: &Parties,
) -> Result<(BillId, Vec<(Unit, AccountId)>), BenchmarkError> {
    let (id, ranges) = split::<T>(p)?;
    E::set_now(maturity());
    present_all::<T>(id, &ranges)?;
    Ok((id, ranges))
}

/// Every range of a matured `split` bill presented by its holder.
fn present_all<T: Config>(id: BillId, ranges: &[(Unit, AccountId)]) -> Result<(), BenchmarkError> {
    for (start, holder) in ranges {
        Call::present {
            bill: id,
            start: *start,
        }
        .dispatch::<T>(signed(holder))?;
    }
    Ok(())
}

/// A `split_presented` bill whose ranges the acceptor paid, all but the last: settling the
/// last closes the bill, which reads every range.
fn split_all_paid_but_last<T: Config, E: BenchmarkEnv>(
    p: &Parties,
) -> Result<(BillId, Unit), BenchmarkError> {
    let (id, mut ranges) = split_presented::<T, E>(p)?;
    let (last, _) = ranges.pop().ok_or(BenchmarkError::UnknownBenchmark)?;
    for (start, _) in ranges {
        Call::pay { bill: id, start }.dispatch::<T>(signed(&p.acceptor))?;
    }
    Ok((id, last))
}

/// Delivered, then the payee endorsed it whole to `other`, who signed: `other` holds it and
/// the payee is liable to it.
fn endorsed<T: Config>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = delivered::<T>(p)?;
    Call::endorse {
        bill: id,
        start: 0,
        end: UNITS,
        to: p.other,
    }
    .dispatch::<T>(signed(&p.payee))?;
    Call::sign { bill: id, start: 0 }.dispatch::<T>(signed(&p.other))?;
    Ok(id)
}

/// Endorsed, matured and presented by `other`.
fn presented<T: Config, E: BenchmarkEnv>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = endorsed::<T>(p)?;
    E::set_now(maturity());
    Call::present { bill: id, start: 0 }.dispatch::<T>(signed(&p.other))?;
    Ok(id)
}

/// Presented and refused: dishonoured.
fn dishonoured<T: Config, E: BenchmarkEnv>(p: &Parties) -> Result<BillId, BenchmarkError> {
    let id = presented::<T, E>(p)?;
    Call::refuse_payment {
        bill: id,
        start: 0,
        reason: DishonourReason::InsufficientFunds,
    }
    .dispatch::<T>(signed(&p.acceptor))?;
    Ok(id)
}

/// The payee's partial offer of `[0, HALF)` of a delivered bill.
fn offer<T: Config>(kind: &str, id: BillId, p: &Parties) -> Call {
    match kind {
        "endorse_for_collection" => Call::endorse_for_collection {
            bill: id,
            start: 0,
            end: HALF,
            agent: p.other,
        },
        "offer_discount" => Call::offer_discount {
            bill: id,
            start: 0,
            end: HALF,
            financier: p.other,
            price: face::<T>() / 4,
        },
        "pledge" => Call::pledge {
            bill: id,
            start: 0,
            end: HALF,
            pledgee: p.other,
            secured: face::<T>() / 4,
        },
        _ => Call::endorse {
            bill: id,
            start: 0,
            end: HALF,
            to: p.other,
        },
    }
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, n: u32) -> Setup<Call>
where
    T::Invoices: BenchmarkInvoices,
{
    let p = parties::<E>();
    let drawer = signed(&p.drawer);
    let acceptor = signed(&p.acceptor);
    let payee = signed(&p.payee);
    let other = signed(&p.other);
    Ok(match call {
        "issue" | "issue_with_auto_presentment" => {
            let invoices = (0..n)
                .map(|i| T::Invoices::invoice(i, face::<T>()))
                .collect::<Option<Vec<_>>>()
                .ok_or(BenchmarkError::UnknownBenchmark)?;
            let (seller, buyer) = T::Invoices::trade_parties();
            E::fund(&seller, 1_000_000_000_000_000_000);
            let trade = Parties {
                drawer: seller,
                acceptor: buyer,
                ..p
            };
            let issue = issue_call::<T>(&trade, invoices);
            let call = match issue {
                Call::issue {
                    acceptor,
                    payee,
                    face,
                    maturity,
                    non_transferable,
                    divisible,
                    invoices,
                } if call == "issue_with_auto_presentment" => Call::issue_with_auto_presentment {
                    acceptor,
                    payee,
                    face,
                    maturity,
                    non_transferable,
                    divisible,
                    invoices,
                },
                issue => issue,
            };
            (signed(&seller), call)
        }
        "request_acceptance" => (
            drawer,
            Call::request_acceptance {
                bill: issued::<T>(&p)?,
            },
        ),
        "accept" => (
            acceptor,
            Call::accept {
                bill: requested::<T>(&p)?,
                margin: face::<T>(),
            },
        ),
        "refuse_acceptance" => (
            acceptor,
            Call::refuse_acceptance {
                bill: requested::<T>(&p)?,
            },
        ),
        "withdraw" => (
            drawer,
            Call::withdraw {
                bill: accepted::<T>(&p)?,
            },
        ),
        "deliver" => (
            drawer,
            Call::deliver {
                bill: accepted::<T>(&p)?,
            },
        ),
        "endorse" | "endorse_for_collection" | "offer_discount" | "pledge" => {
            let id = delivered::<T>(&p)?;
            (payee, offer::<T>(call, id, &p))
        }
        "sign" | "reject" | "revoke" => {
            let id = delivered::<T>(&p)?;
            offer::<T>("endorse", id, &p).dispatch::<T>(payee.clone())?;
            match call {
                "sign" => (other, Call::sign { bill: id, start: 0 }),
                "reject" => (other, Call::reject { bill: id, start: 0 }),
                _ => (payee, Call::revoke { bill: id, start: 0 }),
            }
        }
        "take_discount" => {
            let id = delivered::<T>(&p)?;
            offer::<T>("offer_discount", id, &p).dispatch::<T>(payee)?;
            (
                other,
                Call::take_discount {
                    bill: id,
                    start: 0,
                    price: face::<T>() / 4,
                },
            )
        }
        "release" => {
            let id = delivered::<T>(&p)?;
            offer::<T>("pledge", id, &p).dispatch::<T>(payee)?;
            Call::sign { bill: id, start: 0 }.dispatch::<T>(other.clone())?;
            (other, Call::release { bill: id, start: 0 })
        }
        "present" => {
            let id = endorsed::<T>(&p)?;
            E::set_now(maturity());
            (other, Call::present { bill: id, start: 0 })
        }
        "pay" => {
            let (id, last) = split_all_paid_but_last::<T, E>(&p)?;
            (
                acceptor,
                Call::pay {
                    bill: id,
                    start: last,
                },
            )
        }
        "refuse_payment" => (
            acceptor,
            Call::refuse_payment {
                bill: presented::<T, E>(&p)?,
                start: 0,
                reason: DishonourReason::Disputed,
            },
        ),
        "claim_recourse" => {
            let id = dishonoured::<T, E>(&p)?;
            let claim = Call::claim_recourse {
                bill: id,
                start: 0,
                against: p.payee,
            };
            (other, claim)
        }
        "pay_recourse" => {
            // The acceptor settles the last open range: the bill closes.
            let (id, last) = split_all_paid_but_last::<T, E>(&p)?;
            Call::refuse_payment {
                bill: id,
                start: last,
                reason: DishonourReason::InsufficientFunds,
            }
            .dispatch::<T>(acceptor.clone())?;
            Call::claim_recourse {
                bill: id,
                start: last,
                against: p.acceptor,
            }
            .dispatch::<T>(payee)?;
            (
                acceptor,
                Call::pay_recourse {
                    bill: id,
                    start: last,
                },
            )
        }
        "expire" => {
            let (id, _) = split_presented::<T, E>(&p)?;
            E::set_now(after_payment_window::<T>());
            (other, Call::expire { bill: id })
        }
        "sweep_expired" => {
            let bills = (0..n)
                .map(|_| split::<T>(&p))
                .collect::<Result<Vec<_>, _>>()?;
            E::set_now(maturity());
            for (id, ranges) in &bills {
                present_all::<T>(*id, ranges)?;
            }
            E::set_now(after_payment_window::<T>());
            (other, Call::sweep_expired { limit: n })
        }
        "freeze" => (
            Origin::Root,
            Call::freeze {
                bill: delivered::<T>(&p)?,
            },
        ),
        "unfreeze" => {
            // Every range pending: unfreezing postpones `MAX_RANGES` deadlines.
            let (id, ranges) = split::<T>(&p)?;
            for (start, holder) in ranges {
                let to = if holder == p.payee { p.other } else { p.payee };
                let end = if holder == p.payee {
                    UNITS
                } else {
                    start.saturating_add(1)
                };
                Call::endorse {
                    bill: id,
                    start,
                    end,
                    to,
                }
                .dispatch::<T>(signed(&holder))?;
            }
            Call::freeze { bill: id }.dispatch::<T>(Origin::Root)?;
            (Origin::Root, Call::unfreeze { bill: id })
        }
        "guarantee" => {
            // The guaranteed party is found among the endorsers of a bill of `MAX_RANGES`.
            let (id, _) = split::<T>(&p)?;
            let guarantor = account("guarantor", 0);
            E::fund(&guarantor, 1_000_000_000_000_000_000);
            (
                signed(&guarantor),
                Call::guarantee {
                    bill: id,
                    for_party: p.payee,
                },
            )
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{
        new_runtime_limits_ext, new_test_ext, BenchEnv, RuntimeLimits, Test, RUNTIME_MAX_RANGES,
    };
    use crate::Bills;
    use folio_pallet_support::testing::StateBuilder;

    #[test]
    fn every_call_has_a_benchmark() {
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call>(&benchmarks::<
            Test,
        >());
    }

    #[test]
    fn every_benchmark_dispatches_successfully() {
        for benchmark in benchmarks::<Test>() {
            for n in benchmark.points() {
                new_test_ext().execute(|| {
                    let (origin, call) = setup::<Test, BenchEnv>(benchmark.call, n)
                        .unwrap_or_else(|e| panic!("{} ({n}): {e:?}", benchmark.call));
                    let result = call.dispatch::<Test>(origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }

    fn every_benchmark_dispatches<T: Config>(ext: fn() -> StateBuilder)
    where
        T::Invoices: BenchmarkInvoices,
    {
        for benchmark in benchmarks::<T>() {
            for n in benchmark.points() {
                ext().execute(|| {
                    let (origin, call) = setup::<T, BenchEnv>(benchmark.call, n)
                        .unwrap_or_else(|e| panic!("{} ({n}): {e:?}", benchmark.call));
                    let result = call.dispatch::<T>(origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }

    #[test]
    fn every_benchmark_dispatches_successfully_at_the_runtime_limits() {
        every_benchmark_dispatches::<RuntimeLimits>(new_runtime_limits_ext);
    }

    /// The calls that walk a bill's ranges are measured on bills of `MAX_RANGES` ranges, so
    /// their weights are the worst case of the runtime's 64 (not of one range).
    fn range_walking_setups_have_max_ranges<T: Config>(ext: fn() -> StateBuilder)
    where
        T::Invoices: BenchmarkInvoices,
    {
        for call in ["expire", "sweep_expired", "unfreeze", "pay", "pay_recourse"] {
            ext().execute(|| {
                let n = T::SWEEP_PER_BLOCK.max(2);
                setup::<T, BenchEnv>(call, n).unwrap_or_else(|e| panic!("{call}: {e:?}"));
                let bills: Vec<_> = Bills::iter().collect();
                assert!(!bills.is_empty(), "{call}: a bill");
                for (id, bill) in bills {
                    assert_eq!(bill.ranges, T::MAX_RANGES, "{call}: ranges of bill {id}");
                }
            });
        }
    }

    #[test]
    fn range_walking_benchmarks_run_on_bills_of_max_ranges() {
        range_walking_setups_have_max_ranges::<Test>(new_test_ext);
        assert_eq!(RuntimeLimits::MAX_RANGES, RUNTIME_MAX_RANGES);
        range_walking_setups_have_max_ranges::<RuntimeLimits>(new_runtime_limits_ext);
    }
}
