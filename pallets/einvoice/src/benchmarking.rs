//! Benchmarks of the e-invoice pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! Worst cases: invoices (and drafts, and credit notes given as lines) have `lines` lines, each
//! at its own VAT rate so the breakdown has as many entries; an issuer has `MAX_SERIES` series;
//! payments pay the whole outstanding amount (closing the invoice); credit requests that need
//! no counterparty issue the credit note at once, the rest are confirmed into one.

use crate::types::*;
use crate::{arithmetic, Call, Config, NextDraftId, NextInvoiceId, Pallet};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::linear("register_issuer", "series", 1, T::MAX_SERIES),
        Benchmark::new("set_quota"),
        Benchmark::new("close_period"),
        Benchmark::linear("issue_invoice", "lines", 1, T::MAX_LINES),
        Benchmark::new("acknowledge"),
        Benchmark::new("dispute"),
        Benchmark::new("pay_invoice"),
        Benchmark::linear("prepare_invoice", "lines", 1, T::MAX_LINES),
        Benchmark::new("cancel_draft"),
        Benchmark::new("pay_and_issue"),
        Benchmark::linear("request_credit", "lines", 1, T::MAX_LINES),
        Benchmark::new("confirm_credit"),
        Benchmark::new("withdraw_credit_request"),
        Benchmark::new("authorise_reimburser"),
        Benchmark::new("revoke_reimburser"),
        Benchmark::new("lock_for_reimbursement"),
        Benchmark::new("unlock"),
        Benchmark::new("reimburse"),
        Benchmark::new("offer_financing"),
        Benchmark::new("accept_financing"),
        Benchmark::new("release_lien"),
        Benchmark::new("enforce_lien"),
        Benchmark::new("decline_financing"),
        Benchmark::new("set_tax_authority"),
        Benchmark::linear("set_allowed_rates", "rates", 1, crate::MAX_ALLOWED_RATES),
        Benchmark::new("suspend_issuer"),
        Benchmark::new("reinstate_issuer"),
        Benchmark::new("file_declaration"),
        Benchmark::new("claim_input_tax"),
        Benchmark::new("void_invoice"),
    ]
}

/// What every account in a setup starts with: far more than any invoice here.
const FUNDS: Balance = 1_000_000_000_000_000_000;
/// A line's unit price (one unit per line): every payment clears any existential deposit.
const UNIT_PRICE: Balance = 1_000_000_000_000;
/// Day length in ms, for the payment terms.
const DAY: Moment = 24 * 60 * 60 * 1_000;

fn series_code(i: u32) -> SeriesCode {
    let [a, b, c, d] = i.to_be_bytes();
    [b'S', b.wrapping_add(a), c, d]
}

fn tax_id(name: &str) -> TaxId {
    let mut id = [0u8; 20];
    let hash = folio_primitives::io::blake2_256(name.as_bytes());
    for (slot, byte) in id.iter_mut().zip(hash.iter()) {
        *slot = *byte;
    }
    id
}

/// `n` lines, one unit each, each at its own standard rate.
fn lines(n: u32, unit_price: Balance) -> Result<Vec<InvoiceLine>, BenchmarkError> {
    (0..n.max(1))
        .map(|i| {
            Ok(InvoiceLine {
                quantity: 1_000,
                unit_price,
                net: arithmetic::line_net(1_000, unit_price)
                    .map_err(|_| BenchmarkError::UnknownBenchmark)?,
                category: TaxCategory::Standard,
                rate: 1_000u32.saturating_add(i),
                classification: *b"CN010101",
            })
        })
        .collect()
}

fn body<T: Config>(buyer: &AccountId, n: u32) -> Result<InvoiceBody, BenchmarkError> {
    let lines = lines(n, UNIT_PRICE)?;
    let (breakdown, totals) =
        arithmetic::compute(&lines).map_err(|_| BenchmarkError::UnknownBenchmark)?;
    Ok(InvoiceBody {
        invoice_type: InvoiceType::Commercial,
        currency: T::CURRENCY_CODE,
        buyer: *buyer,
        lines,
        breakdown,
        totals,
        terms: PaymentTerms::NetDays(30),
        content_hash: H256([0xab; 32]),
    })
}

/// The parties of a setup: a registered seller (with `MAX_SERIES` series), a buyer and a
/// financier, all funded; the clock in period 2.
struct Parties {
    seller: AccountId,
    buyer: AccountId,
    bank: AccountId,
}

fn parties<T: Config, E: BenchmarkEnv>() -> Result<Parties, BenchmarkError> {
    let parties = Parties {
        seller: account("seller", 0),
        buyer: account("buyer", 0),
        bank: account("bank", 0),
    };
    for who in [&parties.seller, &parties.buyer, &parties.bank] {
        E::fund(who, FUNDS);
    }
    E::set_now(crate::calendar::period_start(2).saturating_add(DAY));
    register::<T>(&parties.seller, "seller", T::MAX_SERIES)?;
    Ok(parties)
}

fn register<T: Config>(issuer: &AccountId, name: &str, series: u32) -> Result<(), BenchmarkError> {
    Call::register_issuer {
        issuer: *issuer,
        tax_id: tax_id(name),
        name_hash: H256([1; 32]),
        series: (0..series.max(1)).map(series_code).collect(),
        default_quota: FUNDS,
    }
    .dispatch::<T>(Origin::Root)?;
    Ok(())
}

/// An invoice of `n` lines from the seller to the buyer; returns its id.
fn issue<T: Config>(p: &Parties, n: u32) -> Result<InvoiceId, BenchmarkError> {
    let id = NextInvoiceId::get();
    Call::issue_invoice {
        series: series_code(0),
        body: body::<T>(&p.buyer, n)?,
    }
    .dispatch::<T>(Origin::Signed(p.seller))?;
    Ok(id)
}

fn gross(id: InvoiceId) -> Balance {
    crate::Invoices::get(&id).map_or(0, |invoice| invoice.gross())
}

/// Credit for the first `n` lines' worth at a tenth of their price.
fn credit_lines(n: u32) -> Result<CreditContent, BenchmarkError> {
    let lines = lines(n, UNIT_PRICE / 10)?;
    let (breakdown, totals) =
        arithmetic::compute(&lines).map_err(|_| BenchmarkError::UnknownBenchmark)?;
    Ok(CreditContent::Lines {
        lines,
        breakdown,
        totals,
    })
}

/// A fresh invoice netting at least `net`, from a benchmark issuer registered on first use:
/// trade background for other pallets' benchmarks (bills cite invoices).
pub fn trade_invoice<T: Config, E: BenchmarkEnv>(net: Balance) -> Option<InvoiceId> {
    let seller = account("trade seller", 0);
    let buyer = account("trade buyer", 0);
    if !crate::Issuers::contains_key(&seller) {
        E::fund(&seller, FUNDS);
        register::<T>(&seller, "trade seller", 1).ok()?;
    }
    let lines = alloc::vec![InvoiceLine {
        quantity: 1_000,
        unit_price: net,
        net,
        category: TaxCategory::Standard,
        rate: 1_000,
        classification: *b"CN010101",
    }];
    let (breakdown, totals) = arithmetic::compute(&lines).ok()?;
    let id = NextInvoiceId::get();
    Call::issue_invoice {
        series: series_code(0),
        body: InvoiceBody {
            invoice_type: InvoiceType::Commercial,
            currency: T::CURRENCY_CODE,
            buyer,
            lines,
            breakdown,
            totals,
            terms: PaymentTerms::NetDays(30),
            content_hash: H256([0xab; 32]),
        },
    }
    .dispatch::<T>(Origin::Signed(seller))
    .ok()?;
    Some(id)
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, n: u32) -> Setup<Call> {
    let p = parties::<T, E>()?;
    let seller = Origin::Signed(p.seller);
    let buyer = Origin::Signed(p.buyer);
    let bank = Origin::Signed(p.bank);
    let agent = account("agent", 0);
    Ok(match call {
        "register_issuer" => (
            Origin::Root,
            Call::register_issuer {
                issuer: account("issuer", 0),
                tax_id: tax_id("issuer"),
                name_hash: H256([2; 32]),
                series: (0..n.max(1)).map(series_code).collect(),
                default_quota: FUNDS,
            },
        ),
        "set_quota" => {
            issue::<T>(&p, 1)?;
            (
                Origin::Root,
                Call::set_quota {
                    issuer: p.seller,
                    period: Some(Pallet::<T>::current_period()),
                    quota: FUNDS,
                },
            )
        }
        "set_tax_authority" => (
            Origin::Root,
            Call::set_tax_authority {
                authority: Some(account("authority", 0)),
            },
        ),
        "set_allowed_rates" => (
            Origin::Root,
            Call::set_allowed_rates {
                rates: (1..=n.max(1))
                    .map(|rate| (TaxCategory::Standard, rate))
                    .collect(),
            },
        ),
        "suspend_issuer" => (Origin::Root, Call::suspend_issuer { issuer: p.seller }),
        "reinstate_issuer" => {
            crate::SuspendedIssuers::insert(&p.seller, &());
            (Origin::Root, Call::reinstate_issuer { issuer: p.seller })
        }
        "close_period" | "file_declaration" => {
            let period = Pallet::<T>::current_period();
            issue::<T>(&p, 1)?;
            E::set_now(crate::calendar::period_start(3).saturating_add(DAY));
            let declaration_hash = H256([3; 32]);
            let file = Call::file_declaration {
                period,
                declaration_hash,
            };
            if call == "file_declaration" {
                return Ok((seller, file));
            }
            file.dispatch::<T>(seller)?;
            (
                Origin::Root,
                Call::close_period {
                    issuer: p.seller,
                    period,
                    declaration_hash,
                },
            )
        }
        // Worst cases: a breakdown of `MAX_LINES` rates, each read (claim) or written twice
        // (void).
        "claim_input_tax" => {
            let id = issue::<T>(&p, T::MAX_LINES)?;
            Call::acknowledge { id }.dispatch::<T>(buyer.clone())?;
            (buyer, Call::claim_input_tax { id })
        }
        "void_invoice" => (
            seller,
            Call::void_invoice {
                id: issue::<T>(&p, T::MAX_LINES)?,
                reason: 1,
            },
        ),
        "issue_invoice" => (
            seller,
            Call::issue_invoice {
                series: series_code(0),
                body: body::<T>(&p.buyer, n)?,
            },
        ),
        "prepare_invoice" => (
            seller,
            Call::prepare_invoice {
                series: series_code(0),
                body: body::<T>(&p.buyer, n)?,
            },
        ),
        "cancel_draft" | "pay_and_issue" => {
            let draft = NextDraftId::get();
            Call::prepare_invoice {
                series: series_code(0),
                body: body::<T>(&p.buyer, T::MAX_LINES)?,
            }
            .dispatch::<T>(seller.clone())?;
            if call == "cancel_draft" {
                (seller, Call::cancel_draft { draft })
            } else {
                (buyer, Call::pay_and_issue { draft })
            }
        }
        "acknowledge" => (
            buyer,
            Call::acknowledge {
                id: issue::<T>(&p, 1)?,
            },
        ),
        "dispute" => (
            buyer,
            Call::dispute {
                id: issue::<T>(&p, 1)?,
                reason: 1,
            },
        ),
        "pay_invoice" => {
            let id = issue::<T>(&p, T::MAX_LINES)?;
            let amount = gross(id);
            (buyer, Call::pay_invoice { id, amount })
        }
        "request_credit" => {
            let id = issue::<T>(&p, T::MAX_LINES)?;
            (
                seller,
                Call::request_credit {
                    id,
                    content: credit_lines(n)?,
                    reason: 1,
                    content_hash: H256([0xcc; 32]),
                },
            )
        }
        "confirm_credit" | "withdraw_credit_request" => {
            let id = issue::<T>(&p, T::MAX_LINES)?;
            // Paid in full first: confirming then also refunds the buyer (the heavier path).
            Call::pay_invoice {
                id,
                amount: gross(id),
            }
            .dispatch::<T>(buyer.clone())?;
            Call::request_credit {
                id,
                content: credit_lines(T::MAX_LINES)?,
                reason: 1,
                content_hash: H256([0xcc; 32]),
            }
            .dispatch::<T>(buyer.clone())?;
            if call == "confirm_credit" {
                (seller, Call::confirm_credit { id })
            } else {
                (buyer, Call::withdraw_credit_request { id })
            }
        }
        "authorise_reimburser" => (buyer, Call::authorise_reimburser { agent }),
        "revoke_reimburser" => {
            Call::authorise_reimburser { agent }.dispatch::<T>(buyer.clone())?;
            (buyer, Call::revoke_reimburser { agent })
        }
        "lock_for_reimbursement" | "unlock" | "reimburse" => {
            let id = issue::<T>(&p, 1)?;
            let claimant = account("employee", 0);
            Call::authorise_reimburser { agent }.dispatch::<T>(buyer.clone())?;
            let by_agent = Origin::Signed(agent);
            let lock = Call::lock_for_reimbursement { id, claimant };
            match call {
                "lock_for_reimbursement" => (by_agent, lock),
                "unlock" => {
                    lock.dispatch::<T>(by_agent.clone())?;
                    (by_agent, Call::unlock { id })
                }
                _ => {
                    let amount = gross(id);
                    // Reimbursement pays back at most what was paid.
                    Call::pay_invoice { id, amount }.dispatch::<T>(buyer.clone())?;
                    lock.dispatch::<T>(by_agent)?;
                    (buyer, Call::reimburse { id, amount })
                }
            }
        }
        "offer_financing" | "accept_financing" | "release_lien" | "enforce_lien"
        | "decline_financing" => {
            let id = issue::<T>(&p, 1)?;
            let advance = gross(id) / 2;
            let offer = Call::offer_financing { id, advance };
            if call == "offer_financing" {
                return Ok((bank, offer));
            }
            offer.dispatch::<T>(bank.clone())?;
            let financier = p.bank;
            if call == "decline_financing" {
                return Ok((seller, Call::decline_financing { id, financier }));
            }
            if call == "accept_financing" {
                return Ok((seller, Call::accept_financing { id, financier }));
            }
            Call::accept_financing { id, financier }.dispatch::<T>(seller)?;
            if call == "release_lien" {
                (bank, Call::release_lien { id })
            } else {
                E::set_now(crate::calendar::period_start(2).saturating_add(DAY.saturating_mul(40)));
                (bank, Call::enforce_lien { id })
            }
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, BenchEnv, Test};

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
}
