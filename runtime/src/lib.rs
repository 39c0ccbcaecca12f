//! The Folio runtime: the pallets composed into one state transition function.
//!
//! Built natively (feature `std`) it serves tests and the native side of benchmarks; built for
//! `wasm32v1-none` (wasm 1.0, by `build.rs`, exposed as [`WASM_BINARY`]) it is what the chain
//! runs. Either way the same [`apis::call`] table answers the runtime API calls of DESIGN.md §2
//! under Substrate's names, with SCALE inputs and outputs.
//!
//! This crate owns the composition — pallet indices, the hand-written [`RuntimeCall`] and
//! [`RuntimeEvent`], the executive that applies extrinsics with their signed extensions, the
//! metadata and the genesis config — and no chain logic of its own.
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

pub mod apis;
pub mod benchmarks;
mod block_weights;
mod call;
pub mod executive;
pub mod genesis;
pub mod invariants;
pub mod metadata;
pub mod migrations;
pub mod payment;
#[cfg(feature = "std")]
pub mod signing;
pub mod version_section;
#[cfg(target_arch = "wasm32")]
mod wasm;

use folio_pallet_support::prelude::*;
use folio_pallet_system::limits::{BlockLength, BlockWeights};
use folio_primitives::version::{apis as api_ids, RuntimeVersion};

#[cfg(feature = "std")]
mod wasm_binary {
    include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
}
/// The runtime compiled to wasm, when built natively with the wasm build enabled; and the
/// second runtime (spec_version + 1, feature `upgrade-test`) that upgrade tests switch to.
#[cfg(feature = "std")]
pub use wasm_binary::{WASM_BINARY, WASM_BINARY_UPGRADE_TEST};

/// The extrinsic type of this runtime.
pub type UncheckedExtrinsic = folio_primitives::extrinsic::UncheckedExtrinsic<RuntimeCall>;
/// The block type of this runtime.
pub type Block = folio_primitives::header::Block<UncheckedExtrinsic>;

/// The smallest unit is a planck; a UNIT is 10^12 of them (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// The token symbol clients show.
pub const TOKEN_SYMBOL: &str = "FOLIO";
/// Decimals clients show.
pub const TOKEN_DECIMALS: u8 = 12;

/// The treasury: receives dust and fees.
pub const TREASURY: AccountId =
    AccountId::new(*b"modlpy/trsry\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");

/// Pallet indices: part of the wire format of calls, events and errors.
pub mod pallet_index {
    pub const SYSTEM: u8 = 0;
    pub const TIMESTAMP: u8 = 2;
    pub const AURA: u8 = 3;
    pub const GRANDPA: u8 = 4;
    pub const BALANCES: u8 = 6;
    pub const TRANSACTION_PAYMENT: u8 = 7;
    pub const SUDO: u8 = 9;
    pub const GOVERNANCE: u8 = 10;
    pub const CROWDFUNDING: u8 = 20;
    pub const INVOICES: u8 = 21;
    pub const BILLS: u8 = 22;
}

/// The spec version: raised by every upgrade that changes behaviour. The `upgrade-test`
/// build (a second runtime for upgrade tests) is one higher.
#[cfg(not(feature = "upgrade-test"))]
pub const SPEC_VERSION: u32 = 100;
#[cfg(feature = "upgrade-test")]
pub const SPEC_VERSION: u32 = 101;
/// The transaction version: raised whenever call indices or argument encodings change.
pub const TRANSACTION_VERSION: u32 = 1;

/// The runtime's name: `set_code` refuses code with another.
pub const SPEC_NAME: &str = "folio";
/// The implementation's name.
pub const IMPL_NAME: &str = "folio-node";
pub const AUTHORING_VERSION: u32 = 1;
pub const IMPL_VERSION: u32 = 0;
/// 1 = state trie layout V1.
pub const SYSTEM_VERSION: u8 = 1;
/// The runtime APIs this runtime answers, with their versions.
pub const APIS: [(folio_primitives::version::ApiId, u32); 14] = [
    api_ids::CORE,
    api_ids::METADATA,
    api_ids::BLOCK_BUILDER,
    api_ids::TAGGED_TRANSACTION_QUEUE,
    api_ids::ACCOUNT_NONCE,
    api_ids::TRANSACTION_PAYMENT,
    api_ids::TRANSACTION_PAYMENT_CALL,
    api_ids::GENESIS_BUILDER,
    api_ids::AURA,
    api_ids::GRANDPA,
    api_ids::SESSION_KEYS,
    api_ids::CROWDFUNDING,
    api_ids::INVOICES,
    api_ids::BILLS,
];

/// This runtime's version, returned by `Core_version` (and written into the wasm's
/// `runtime_version` section by [`version_section`]).
pub fn version() -> RuntimeVersion {
    RuntimeVersion {
        spec_name: SPEC_NAME.into(),
        impl_name: IMPL_NAME.into(),
        authoring_version: AUTHORING_VERSION,
        spec_version: SPEC_VERSION,
        impl_version: IMPL_VERSION,
        apis: APIS.to_vec(),
        transaction_version: TRANSACTION_VERSION,
        system_version: SYSTEM_VERSION,
    }
}

/// The runtime as a type: every pallet's `Config` is implemented for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, TypeInfo)]
pub struct Runtime;

/// Every call of every pallet; the variant index is the pallet index.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeCall {
    #[codec(index = 0)]
    System(folio_pallet_system::Call),
    #[codec(index = 2)]
    Timestamp(folio_pallet_timestamp::Call),
    #[codec(index = 4)]
    Grandpa(folio_pallet_grandpa::Call),
    #[codec(index = 6)]
    Balances(folio_pallet_currency::Call),
    #[codec(index = 9)]
    Sudo(folio_pallet_sudo::Call<RuntimeCall>),
    #[codec(index = 10)]
    Governance(folio_pallet_governance::Call),
    #[codec(index = 20)]
    Crowdfunding(folio_pallet_crowdfunding::Call),
    #[codec(index = 21)]
    Invoices(folio_pallet_einvoice::Call),
    #[codec(index = 22)]
    Bills(folio_pallet_bills::Call),
}

/// Every event of every pallet; the variant index is the pallet index, so a pallet's deposit
/// (`pallet index ++ event`) is exactly a SCALE `RuntimeEvent`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeEvent {
    #[codec(index = 0)]
    System(folio_pallet_system::Event),
    #[codec(index = 4)]
    Grandpa(folio_pallet_grandpa::Event),
    #[codec(index = 6)]
    Balances(folio_pallet_currency::Event),
    #[codec(index = 7)]
    TransactionPayment(folio_pallet_currency::FeeEvent),
    #[codec(index = 9)]
    Sudo(folio_pallet_sudo::Event),
    #[codec(index = 10)]
    Governance(folio_pallet_governance::Event),
    #[codec(index = 20)]
    Crowdfunding(folio_pallet_crowdfunding::Event),
    #[codec(index = 21)]
    Invoices(folio_pallet_einvoice::Event),
    #[codec(index = 22)]
    Bills(folio_pallet_bills::Event),
}

/// Every error of every pallet (metadata V15's outer error enum).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum RuntimeError {
    #[codec(index = 0)]
    System(folio_pallet_system::Error),
    #[codec(index = 2)]
    Timestamp(folio_pallet_timestamp::Error),
    #[codec(index = 4)]
    Grandpa(folio_pallet_grandpa::Error),
    #[codec(index = 6)]
    Balances(folio_pallet_currency::Error),
    #[codec(index = 9)]
    Sudo(folio_pallet_sudo::Error),
    #[codec(index = 10)]
    Governance(folio_pallet_governance::Error),
    #[codec(index = 20)]
    Crowdfunding(folio_pallet_crowdfunding::Error),
    #[codec(index = 21)]
    Invoices(folio_pallet_einvoice::Error),
    #[codec(index = 22)]
    Bills(folio_pallet_bills::Error),
}

/// A block may use two seconds of execution.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(2_000_000_000_000, u64::MAX);
/// Every extrinsic costs at least [`EXTRINSIC_BASE_WEIGHT`] (decoding, signature check,
/// bookkeeping); an empty block costs [`BLOCK_BASE_WEIGHT`]. Both are measured by
/// `folio-node benchmark pallet` (docs/benchmarks.md, "Measured weights").
pub use block_weights::{BLOCK_BASE_WEIGHT, EXTRINSIC_BASE_WEIGHT};

impl folio_pallet_system::Config for Runtime {
    const INDEX: u8 = pallet_index::SYSTEM;
    const BLOCK_HASH_COUNT: BlockNumber = 4096;
    const SS58_PREFIX: u16 = folio_primitives::SS58_PREFIX;
    const BLOCK_WEIGHTS: BlockWeights = BlockWeights::with_normal_ratio(
        BLOCK_BASE_WEIGHT,
        MAXIMUM_BLOCK_WEIGHT,
        EXTRINSIC_BASE_WEIGHT,
        75,
    );
    const BLOCK_LENGTH: BlockLength = BlockLength::with_normal_ratio(5 * 1024 * 1024, 75);
    type RuntimeEvent = RuntimeEvent;
    fn runtime_version() -> RuntimeVersion {
        version()
    }
}

impl folio_pallet_timestamp::Config for Runtime {
    const INDEX: u8 = pallet_index::TIMESTAMP;
    /// Half a slot, so two blocks never share a slot. The dev chain configures no slot
    /// duration: its minimum period is then 1 ms (blocks sealed on demand, many per second,
    /// only need strictly increasing times).
    fn minimum_period() -> Moment {
        Aura::minimum_period()
    }
}

impl folio_pallet_aura::Config for Runtime {
    const INDEX: u8 = pallet_index::AURA;
}

/// GRANDPA's validator changes replace Aura's authors in the same block.
pub struct AuraAuthors;
impl folio_pallet_grandpa::BlockAuthors for AuraAuthors {
    fn set_authors(authors: &[[u8; 32]]) {
        let keys: alloc::vec::Vec<_> = authors
            .iter()
            .map(|key| folio_pallet_aura::Public(*key))
            .collect();
        folio_pallet_aura::Authorities::put(&keys);
    }
}

impl folio_pallet_grandpa::Config for Runtime {
    const INDEX: u8 = pallet_index::GRANDPA;
    /// Five blocks (10 s at 2 s slots): time for the old set to finalize the announcing
    /// block before the new one takes over.
    const SET_CHANGE_DELAY: BlockNumber = 5;
    type Authors = AuraAuthors;
}

impl folio_pallet_currency::Config for Runtime {
    const INDEX: u8 = pallet_index::BALANCES;
    const FEE_EVENTS_INDEX: u8 = pallet_index::TRANSACTION_PAYMENT;
    const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1_000;
    const MAX_HOLDS: u32 = 8;
    const MAX_FREEZES: u32 = 4;
    const TREASURY: AccountId = TREASURY;
    // The upgrade-test runtime halves the base fee: a change clients can see.
    #[cfg(not(feature = "upgrade-test"))]
    const BASE_FEE: Balance = UNIT / 10_000;
    #[cfg(feature = "upgrade-test")]
    const BASE_FEE: Balance = UNIT / 20_000;
    const BYTE_FEE: Balance = UNIT / 1_000_000;
    // One planck per picosecond of execution.
    const REF_TIME_PER_FEE_UNIT: u64 = 1;
}

/// Runs calls that governance and sudo carry, as the runtime's own calls.
pub struct RuntimeDispatcher;

impl folio_pallet_governance::CallDispatcher for RuntimeDispatcher {
    fn dispatch(encoded_call: &[u8], origin: Origin) -> DispatchResultWithPostInfo {
        let call = decode_call(encoded_call).ok_or(DispatchError::CannotLookup)?;
        call.dispatch(origin)
    }
    fn weight(encoded_call: &[u8]) -> Option<Weight> {
        decode_call(encoded_call).map(|call| call.dispatch_info().weight)
    }
}

impl folio_pallet_governance::benchmarking::BenchmarkCalls for RuntimeDispatcher {
    /// `System.remark` padded so its encoding is `len` bytes (at least 4).
    fn call_of_len(len: u32) -> alloc::vec::Vec<u8> {
        let payload = usize::try_from(len.saturating_sub(4)).unwrap_or(0);
        RuntimeCall::System(folio_pallet_system::Call::remark {
            remark: alloc::vec![0; payload],
        })
        .encode()
    }
}

impl folio_pallet_sudo::CallDispatcher<RuntimeCall> for RuntimeDispatcher {
    fn dispatch(call: RuntimeCall, origin: Origin) -> DispatchResultWithPostInfo {
        call.dispatch(origin)
    }
}

/// A whole `RuntimeCall` from bytes (nesting bounded as for extrinsics), or `None`.
fn decode_call(encoded: &[u8]) -> Option<RuntimeCall> {
    use parity_scale_codec::DecodeLimit;
    let mut input = encoded;
    let call = RuntimeCall::decode_with_depth_limit(
        folio_primitives::extrinsic::MAX_CALL_DEPTH,
        &mut input,
    )
    .ok()?;
    input.is_empty().then_some(call)
}

impl folio_pallet_sudo::benchmarking::NoopCall for RuntimeCall {
    fn noop() -> Self {
        Self::System(folio_pallet_system::Call::remark {
            remark: alloc::vec::Vec::new(),
        })
    }
}

impl folio_pallet_sudo::Config for Runtime {
    const INDEX: u8 = pallet_index::SUDO;
    type RuntimeCall = RuntimeCall;
    type Dispatcher = RuntimeDispatcher;
}

/// Blocks per minute at the dev chain's nominal 6-second interval (governance periods count
/// blocks; instant sealing makes them pass as fast as blocks are made).
pub const MINUTES: BlockNumber = 10;

impl folio_pallet_governance::Config for Runtime {
    const INDEX: u8 = pallet_index::GOVERNANCE;
    type Currency = Balances;
    type Dispatcher = RuntimeDispatcher;
    /// Large enough for `authorize_upgrade`, not for code (that goes through the hash).
    const MAX_CALL_LEN: u32 = 16 * 1024;
    const MAX_MEMBERS: u32 = 32;
    const MAX_MOTIONS: u32 = 32;
    const MOTION_DURATION: BlockNumber = 5;
    const MOTION_MAJORITY_PERCENT: u32 = 50;
    const CANCELLATION_PERCENT: u32 = 66;
    const REFERENDUM_DEPOSIT: Balance = 100 * UNIT;
    const VOTING_PERIOD: BlockNumber = 10 * MINUTES;
    const MAX_REFERENDA: u32 = 16;
    const REFERENDUM_APPROVAL_PERCENT: u32 = 50;
    const REFERENDUM_MIN_TURNOUT_PERCENT: u32 = 1;
    const ENACTMENT_DELAY: BlockNumber = 3;
    const MAX_ENACTMENTS_PER_BLOCK: u32 = 8;
    const MAX_ENACTMENT_WEIGHT: Weight = Weight::from_parts(1_000_000_000_000, u64::MAX);
    const MAX_VOTE_REMOVALS_PER_BLOCK: u32 = 64;
}

/// Milliseconds in a day, for the domain pallets' windows.
pub const DAY: Moment = 24 * 60 * 60 * 1_000;

impl folio_pallet_crowdfunding::Config for Runtime {
    const INDEX: u8 = pallet_index::CROWDFUNDING;
    type Currency = Balances;
    const CAMPAIGN_DEPOSIT: Balance = 10 * UNIT;
    const LOCK_WINDOW: Moment = 2 * DAY;
    const RECONFIRM_WINDOW: Moment = 5 * DAY;
    // EU ECSP art. 22: 4 calendar days to revoke a commitment without reason.
    const REFLECTION_PERIOD: Moment = 4 * DAY;
    const LIMIT_WINDOW: Moment = 365 * DAY;
    // ECSP art. 1(2)(c): EUR 5 000 000 per issuer over 12 months, 1 FOLIO taken as EUR 1.
    const ISSUER_CAP: Balance = 5_000_000 * UNIT;
    const MAX_LEDGER_ENTRIES: u32 = 32;
    const MAX_PAUSE: Moment = 14 * DAY;
    // Reg CF (17 CFR 227.304): an offering stays open at least 21 days; dev chains reach the
    // deadline with `dev_timeTravel`.
    const MIN_OFFERING_PERIOD: Moment = 21 * DAY;
    const MAX_BATCH: u32 = 100;
    const MAX_LIVE_CHECKPOINTS: u32 = 8;
    // A forced transfer cuts at most this many offers of the holder it takes shares from.
    const MAX_OPEN_OFFERS: u32 = 8;
    fn now() -> Moment {
        Timestamp::now()
    }
}

impl folio_pallet_einvoice::Config for Runtime {
    const INDEX: u8 = pallet_index::INVOICES;
    const MAX_LINES: u32 = 100;
    const MAX_SERIES: u32 = 8;
    const MAX_OPEN_DRAFTS: u32 = 16;
    const MAX_PAYMENT_DAYS: u32 = 365;
    const CURRENCY_CODE: folio_pallet_einvoice::CurrencyCode = *b"FOL";
    type Currency = Balances;
    fn now() -> Moment {
        Timestamp::now()
    }
}

/// Bills cite e-invoices as their trade background: the invoice's seller, buyer and net after
/// credits, from the e-invoice pallet's storage. Until the e-invoice pallet keeps the one
/// registry of what is financed of a receivable (bills and liens together), the bills' own
/// `InvoiceUse` is what counts against the net.
pub struct InvoicesAsTradeBackground;
impl folio_pallet_bills::TradeInvoices for InvoicesAsTradeBackground {
    fn trade_background(
        invoice: folio_pallet_bills::InvoiceRef,
    ) -> Option<folio_pallet_bills::TradeBackground> {
        let stored = folio_pallet_einvoice::Pallet::<Runtime>::trade_background(invoice)?;
        Some(folio_pallet_bills::TradeBackground {
            seller: stored.seller,
            buyer: stored.buyer,
            net: stored.net,
            is_credit_note: stored.is_credit_note,
        })
    }

    /// One registry for bills and invoice liens together: the e-invoice pallet's.
    fn finance(invoice: folio_pallet_bills::InvoiceRef, amount: Balance) -> DispatchResult {
        folio_pallet_einvoice::Pallet::<Runtime>::finance_receivable(invoice, amount)
    }

    fn release(invoice: folio_pallet_bills::InvoiceRef, amount: Balance) {
        folio_pallet_einvoice::Pallet::<Runtime>::release_receivable(invoice, amount)
    }
}

impl folio_pallet_bills::benchmarking::BenchmarkInvoices for InvoicesAsTradeBackground {
    fn invoice(_index: u32, face: Balance) -> Option<folio_pallet_bills::InvoiceRef> {
        folio_pallet_einvoice::benchmarking::trade_invoice::<Runtime, benchmarks::RuntimeEnv>(face)
    }
    fn trade_parties() -> (AccountId, AccountId) {
        use folio_pallet_support::benchmarking::account;
        (account("trade seller", 0), account("trade buyer", 0))
    }
}

impl folio_pallet_bills::Config for Runtime {
    const INDEX: u8 = pallet_index::BILLS;
    type Currency = Balances;
    type Invoices = InvoicesAsTradeBackground;
    /// Held from the drawer until the bill is closed or withdrawn.
    const ISSUE_DEPOSIT: Balance = UNIT;
    /// Divisible bills split in units of 0.01 FOLIO.
    const RANGE_UNIT: Balance = UNIT / 100;
    const MAX_TENOR: Moment = 183 * DAY;
    const ACCEPTANCE_WINDOW: Moment = 3 * DAY;
    const OFFER_WINDOW: Moment = 3 * DAY;
    const PRESENTMENT_PERIOD: Moment = 10 * DAY;
    const PAYMENT_WINDOW: Moment = 3 * DAY;
    const RECOURSE_WINDOW: Moment = 5 * DAY;
    /// Two years from maturity, as the electronic commercial draft rules give the holder
    /// against drawer and acceptor.
    const RECOURSE_LIMITATION: Moment = 730 * DAY;
    const MAX_RANGES: u32 = 64;
    const MAX_CHAIN: u32 = 32;
    const MAX_INVOICES: u32 = 8;
    const MAX_HISTORY: u32 = 256;
    const HISTORY_RESERVE: u32 = 32;
    const SWEEP_PER_BLOCK: u32 = 16;
    fn now() -> Moment {
        Timestamp::now()
    }
}

/// The pallets, named as the runtime uses them.
pub type System = folio_pallet_system::Pallet<Runtime>;
pub type Timestamp = folio_pallet_timestamp::Pallet<Runtime>;
pub type Aura = folio_pallet_aura::Pallet<Runtime>;
pub type Grandpa = folio_pallet_grandpa::Pallet<Runtime>;
pub type Balances = folio_pallet_currency::Pallet<Runtime>;
pub type Crowdfunding = folio_pallet_crowdfunding::Pallet<Runtime>;
pub type Invoices = folio_pallet_einvoice::Pallet<Runtime>;
pub type Bills = folio_pallet_bills::Pallet<Runtime>;
pub type Governance = folio_pallet_governance::Pallet<Runtime>;
pub type Sudo = folio_pallet_sudo::Pallet<Runtime>;
