//! Every e-invoice and bills call is charged at least the database work it does in its
//! benchmark's worst case, set up with this runtime's own limits (invoices: `MaxLines` 100,
//! `MAX_SERIES`, `MAX_ALLOWED_RATES`; bills: `MaxRanges` 64): the distinct keys its dispatch
//! reads and writes, priced at `READ`/`WRITE`. The VAT totals per (category, rate), period
//! taxes and input claims (issue 19) write one key per breakdown entry, and the bills' range
//! walks one or more per range (issue 20), so a weight measured on a smaller setup, or set by
//! hand, fails here when it undercharges them.

mod common;

use common::weights::undercharged;

#[test]
fn einvoice_weights_cover_their_database_work() {
    let short = undercharged("Invoices");
    assert!(short.is_empty(), "undercharged: {short:#?}");
}

#[test]
fn bills_weights_cover_their_database_work() {
    let short = undercharged("Bills");
    assert!(short.is_empty(), "undercharged: {short:#?}");
}
