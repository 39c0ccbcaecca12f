//! The runtime API: every entry point the node and clients call (`state_call`), under
//! Substrate's names, SCALE in and SCALE out. One table ([`runtime_apis!`]) serves both the
//! native [`call`] and the wasm exports.

use crate::executive::{self, BlockError};
use crate::genesis;
use crate::payment;
use crate::*;
use alloc::{string::String, vec::Vec};
use folio_pallet_currency::fees;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Block as GenericBlock, Header};
use folio_primitives::inherent::{InherentData, TIMESTAMP_INHERENT};
use folio_primitives::io;
use folio_primitives::transaction_validity::{
    InvalidTransaction, TransactionSource, TransactionValidityError,
};
use parity_scale_codec::DecodeAll;

/// Why an API call failed (the wasm build traps with this message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No entry point of that name.
    UnknownMethod,
    /// The input does not decode as the entry point's arguments.
    BadInput(&'static str),
    /// The block cannot be built or imported.
    Block(BlockError),
    /// Keys were asked for in a call the node gave no keystore (only `author_rotateKeys` does).
    NoKeystore,
}

impl ApiError {
    pub fn message(&self) -> &'static str {
        match self {
            Self::UnknownMethod => "unknown runtime API method",
            Self::BadInput(what) => what,
            Self::Block(error) => error.message(),
            Self::NoKeystore => {
                "no keystore in this call: session keys are made by author_rotateKeys"
            }
        }
    }
}

fn decode<T: Decode>(input: &[u8], what: &'static str) -> Result<T, ApiError> {
    T::decode_all(&mut &input[..]).map_err(|_| ApiError::BadInput(what))
}

macro_rules! runtime_apis {
    ($($name:literal => $func:ident,)*) => {
        /// Every runtime API method this runtime answers.
        pub const METHODS: &[&str] = &[$($name),*];

        /// Answers a runtime API call natively (tests, native execution).
        pub fn call(method: &str, input: &[u8]) -> Result<Vec<u8>, ApiError> {
            match method {
                $($name => $func(input),)*
                _ => Err(ApiError::UnknownMethod),
            }
        }

        #[cfg(target_arch = "wasm32")]
        mod exports {
            $(
                #[export_name = $name]
                extern "C" fn $func(ptr: u32, len: u32) -> u64 {
                    crate::wasm::entry(ptr, len, super::$func)
                }
            )*
        }
    };
}

runtime_apis! {
    "Core_version" => core_version,
    "Core_execute_block" => core_execute_block,
    "Core_initialize_block" => core_initialize_block,
    "Metadata_metadata" => metadata_metadata,
    "Metadata_metadata_at_version" => metadata_metadata_at_version,
    "Metadata_metadata_versions" => metadata_metadata_versions,
    "BlockBuilder_apply_extrinsic" => block_builder_apply_extrinsic,
    "FolioBlockBuilder_apply_extrinsics" => folio_block_builder_apply_extrinsics,
    "BlockBuilder_finalize_block" => block_builder_finalize_block,
    "BlockBuilder_inherent_extrinsics" => block_builder_inherent_extrinsics,
    "BlockBuilder_check_inherents" => block_builder_check_inherents,
    "TaggedTransactionQueue_validate_transaction" => tagged_transaction_queue_validate_transaction,
    "FolioTaggedTransactionQueue_validate_transactions" => folio_tagged_transaction_queue_validate_transactions,
    "AccountNonceApi_account_nonce" => account_nonce_api_account_nonce,
    "TransactionPaymentApi_query_info" => transaction_payment_api_query_info,
    "TransactionPaymentApi_query_fee_details" => transaction_payment_api_query_fee_details,
    "TransactionPaymentApi_query_weight_to_fee" => transaction_payment_api_query_weight_to_fee,
    "TransactionPaymentApi_query_length_to_fee" => transaction_payment_api_query_length_to_fee,
    "TransactionPaymentCallApi_query_call_info" => transaction_payment_call_api_query_call_info,
    "TransactionPaymentCallApi_query_call_fee_details" => transaction_payment_call_api_query_call_fee_details,
    "TransactionPaymentCallApi_query_weight_to_fee" => transaction_payment_call_api_query_weight_to_fee,
    "TransactionPaymentCallApi_query_length_to_fee" => transaction_payment_call_api_query_length_to_fee,
    "GenesisBuilder_build_state" => genesis_builder_build_state,
    "GenesisBuilder_get_preset" => genesis_builder_get_preset,
    "GenesisBuilder_preset_names" => genesis_builder_preset_names,
    "AuraApi_slot_duration" => aura_api_slot_duration,
    "AuraApi_authorities" => aura_api_authorities,
    "GrandpaApi_grandpa_authorities" => grandpa_api_grandpa_authorities,
    "GrandpaApi_current_set_id" => grandpa_api_current_set_id,
    "SessionKeys_generate_session_keys" => session_keys_generate_session_keys,
    "SessionKeys_decode_session_keys" => session_keys_decode_session_keys,
    "CrowdfundingApi_campaign" => crowdfunding_api_campaign,
    "CrowdfundingApi_commitment" => crowdfunding_api_commitment,
    "CrowdfundingApi_investor_status" => crowdfunding_api_investor_status,
    "CrowdfundingApi_share_class" => crowdfunding_api_share_class,
    "CrowdfundingApi_share_account" => crowdfunding_api_share_account,
    "CrowdfundingApi_cap_table" => crowdfunding_api_cap_table,
    "CrowdfundingApi_distribution" => crowdfunding_api_distribution,
    "CrowdfundingApi_claimable_dividend" => crowdfunding_api_claimable_dividend,
    "CrowdfundingApi_motion" => crowdfunding_api_motion,
    "InvoicesApi_invoice" => invoices_api_invoice,
    "InvoicesApi_invoice_history" => invoices_api_invoice_history,
    "InvoicesApi_invoice_by_number" => invoices_api_invoice_by_number,
    "InvoicesApi_invoice_net" => invoices_api_invoice_net,
    "InvoicesApi_issuer" => invoices_api_issuer,
    "InvoicesApi_current_period" => invoices_api_current_period,
    "InvoicesApi_period_totals" => invoices_api_period_totals,
    "InvoicesApi_buyer_open_invoices" => invoices_api_buyer_open_invoices,
    "BillsApi_bill" => bills_api_bill,
    "BillsApi_holdings" => bills_api_holdings,
    "BillsApi_bills_of" => bills_api_bills_of,
    "BillsApi_awaiting" => bills_api_awaiting,
    "BillsApi_acceptor_credit" => bills_api_acceptor_credit,
    "BillsApi_holdings_page" => bills_api_holdings_page,
    "BillsApi_bills_of_page" => bills_api_bills_of_page,
    "BillsApi_awaiting_page" => bills_api_awaiting_page,
    "FolioInvariants_check" => folio_invariants_check,
    "FolioBenchmark_list" => folio_benchmark_list,
    "FolioBenchmark_setup" => folio_benchmark_setup,
    "FolioBenchmark_dispatch" => folio_benchmark_dispatch,
}

/// The prefix of the benchmark entries, which `state_call` refuses: they write state for the
/// node's own `benchmark pallet` command.
pub const BENCHMARK_PREFIX: &str = "FolioBenchmark_";

/// `Vec<BenchmarkListing>`: every benchmark of every pallet.
fn folio_benchmark_list(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(crate::benchmarks::list().encode())
}

/// `(pallet, call, n)` in, `Result<Vec<key>, BenchmarkError>` out: prepares the call and
/// names the keys whose access is not charged to it.
fn folio_benchmark_setup(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (pallet, call, n): (String, String, u32) = decode(input, "input is not (pallet, call, n)")?;
    Ok(crate::benchmarks::setup(&pallet, &call, n).encode())
}

/// `Option<DispatchResult>`: dispatches the prepared call, if any.
fn folio_benchmark_dispatch(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(crate::benchmarks::dispatch().encode())
}

/// Every pallet's invariants over the state: `Vec<(pallet, Option<(invariant, [u128; 2])>)>`.
fn folio_invariants_check(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(crate::invariants::check_all().encode())
}

/// A query API: decodes the arguments as a tuple, answers with the SCALE of the result.
macro_rules! query_api {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) => $body:expr;)*) => {
        $(
            fn $name(input: &[u8]) -> Result<Vec<u8>, ApiError> {
                #[allow(unused_parens)]
                let ($($arg,)*): ($($ty,)*) =
                    decode(input, concat!("the arguments of ", stringify!($name), " do not decode"))?;
                Ok($body.encode())
            }
        )*
    };
}

use folio_pallet_bills as bills;
use folio_pallet_crowdfunding as crowdfunding;
use folio_pallet_einvoice as invoices;

query_api! {
    crowdfunding_api_campaign(id: crowdfunding::CampaignId) => crowdfunding::api::campaign::<Runtime>(id);
    crowdfunding_api_commitment(id: crowdfunding::CampaignId, investor: AccountId) =>
        crowdfunding::api::commitment::<Runtime>(id, investor);
    crowdfunding_api_investor_status(investor: AccountId) =>
        crowdfunding::api::investor_status::<Runtime>(investor);
    crowdfunding_api_share_class(share_class: crowdfunding::ClassId) => crowdfunding::api::share_class::<Runtime>(share_class);
    crowdfunding_api_share_account(share_class: crowdfunding::ClassId, holder: AccountId) =>
        crowdfunding::api::share_account::<Runtime>(share_class, holder);
    crowdfunding_api_cap_table(share_class: crowdfunding::ClassId, skip: u32, limit: u32) =>
        crowdfunding::api::cap_table::<Runtime>(share_class, skip, limit);
    crowdfunding_api_distribution(id: crowdfunding::DistributionId) =>
        crowdfunding::api::distribution::<Runtime>(id);
    crowdfunding_api_claimable_dividend(id: crowdfunding::DistributionId, holder: AccountId) =>
        crowdfunding::api::claimable_dividend::<Runtime>(id, holder);
    crowdfunding_api_motion(id: crowdfunding::MotionId) => crowdfunding::api::motion::<Runtime>(id);
    invoices_api_invoice(id: invoices::InvoiceId) => invoices::api::invoice(id);
    invoices_api_invoice_history(id: invoices::InvoiceId, start: u32, limit: u32) =>
        invoices::api::invoice_history(id, start, limit);
    invoices_api_invoice_by_number(issuer: AccountId, series: invoices::SeriesCode, sequence: u32) =>
        invoices::api::invoice_by_number(issuer, series, sequence);
    invoices_api_invoice_net(id: invoices::InvoiceId) => invoices::api::invoice_net::<Runtime>(id);
    invoices_api_issuer(account: AccountId) => invoices::api::issuer(account);
    invoices_api_current_period() => invoices::api::current_period::<Runtime>();
    invoices_api_period_totals(issuer: AccountId, period: invoices::PeriodIndex) =>
        invoices::api::period_totals(issuer, period);
    invoices_api_buyer_open_invoices(buyer: AccountId, start: u32, limit: u32) =>
        invoices::api::buyer_open_invoices(buyer, start, limit);
    bills_api_bill(id: bills::BillId) => bills::api::bill(id);
    bills_api_holdings(who: AccountId) => bills::api::holdings(who);
    bills_api_bills_of(who: AccountId) => bills::api::bills_of(who);
    bills_api_awaiting(who: AccountId) => bills::api::awaiting(who);
    bills_api_acceptor_credit(acceptor: AccountId) => bills::api::acceptor_credit(acceptor);
    bills_api_holdings_page(who: AccountId, start: u32, limit: u32) =>
        bills::api::holdings_page(who, start, limit);
    bills_api_bills_of_page(who: AccountId, start: u32, limit: u32) =>
        bills::api::bills_of_page(who, start, limit);
    bills_api_awaiting_page(who: AccountId, start: u32, limit: u32) =>
        bills::api::awaiting_page(who, start, limit);
}

fn core_version(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(version().encode())
}

fn core_execute_block(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let block: GenericBlock<OpaqueExtrinsic> = decode(input, "input is not a block")?;
    executive::execute_block(&block).map_err(ApiError::Block)?;
    Ok(Vec::new())
}

/// `ExtrinsicInclusionMode::AllExtrinsics` (Core API v5).
const ALL_EXTRINSICS: u8 = 0;

fn core_initialize_block(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let header: Header = decode(input, "input is not a header")?;
    executive::initialize_block(&header);
    Ok(ALL_EXTRINSICS.encode())
}

/// `Metadata_metadata` (and so `state_getMetadata`) serves V14, as FRAME does: it is the
/// version every client decodes. Clients that know better pick V15 or V16 through
/// `Metadata_metadata_versions` and `Metadata_metadata_at_version`.
fn metadata_metadata(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(metadata::metadata_v14().encode().encode())
}

fn metadata_metadata_at_version(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let version: u32 = decode(input, "input is not a u32 version")?;
    Ok(metadata::metadata_at_version(version)
        .map(|m| m.encode())
        .encode())
}

fn metadata_metadata_versions(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(metadata::SUPPORTED_VERSIONS.to_vec().encode())
}

fn block_builder_apply_extrinsic(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    // The input is the extrinsic's full encoding: applied from those exact bytes.
    Ok(executive::apply_extrinsic(input).encode())
}

/// Applies a batch of extrinsics in one call (so one wasm instance serves a whole block being
/// authored, instead of one per transaction): `Vec<OpaqueExtrinsic>` in, and out the
/// `Vec<ApplyExtrinsicResult>` of those applied, in order. It stops after the first one that
/// finds the block full (`ExhaustsResources`): the rest were not tried.
fn folio_block_builder_apply_extrinsics(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let batch: Vec<OpaqueExtrinsic> = decode(input, "input is not a list of extrinsics")?;
    let mut results = Vec::with_capacity(batch.len());
    for xt in &batch {
        let result = executive::apply_extrinsic(xt.as_bytes());
        let block_full = matches!(
            result,
            Err(TransactionValidityError::Invalid(
                InvalidTransaction::ExhaustsResources
            ))
        );
        results.push(result);
        if block_full {
            break;
        }
    }
    Ok(results.encode())
}

fn block_builder_finalize_block(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    executive::finalize_block()
        .map(|header| header.encode())
        .map_err(ApiError::Block)
}

fn block_builder_inherent_extrinsics(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let data: InherentData = decode(input, "input is not inherent data")?;
    Ok(executive::inherent_extrinsics(&data).encode())
}

/// How far a block's time may run ahead of the importer's clock.
const MAX_TIMESTAMP_DRIFT_MILLIS: Moment = 30_000;

/// `sp_inherents::CheckInherentsResult`: `okay`, `fatal_error`, and errors by inherent
/// identifier.
#[derive(Encode)]
pub struct CheckInherentsResult {
    okay: bool,
    fatal_error: bool,
    errors: InherentData,
}

// Written by hand for the path: the type lives at the root of `sp_inherents`.
impl TypeInfo for CheckInherentsResult {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        scale_info::Type::builder()
            .path(scale_info::Path::new(
                "CheckInherentsResult",
                "sp_inherents",
            ))
            .composite(
                scale_info::build::Fields::named()
                    .field(|f| f.ty::<bool>().name("okay").type_name("bool"))
                    .field(|f| f.ty::<bool>().name("fatal_error").type_name("bool"))
                    .field(|f| {
                        f.ty::<InherentData>()
                            .name("errors")
                            .type_name("InherentData")
                    }),
            )
    }
}

fn block_builder_check_inherents(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (block, data): (GenericBlock<OpaqueExtrinsic>, InherentData) =
        decode(input, "input is not (block, inherent data)")?;
    let mut result = CheckInherentsResult {
        okay: true,
        fatal_error: false,
        errors: InherentData::default(),
    };
    let local_time: Option<Moment> = data.get(&TIMESTAMP_INHERENT);
    let block_time = block.extrinsics.iter().find_map(|xt| {
        match UncheckedExtrinsic::decode(&mut xt.as_bytes())
            .ok()?
            .function
        {
            RuntimeCall::Timestamp(folio_pallet_timestamp::Call::set { now }) => Some(now),
            _ => None,
        }
    });
    if let (Some(local), Some(block_time)) = (local_time, block_time) {
        if block_time > local.saturating_add(MAX_TIMESTAMP_DRIFT_MILLIS) {
            result.okay = false;
            result.fatal_error = true;
            result
                .errors
                .put(TIMESTAMP_INHERENT, &"timestamp too far in the future");
        }
    }
    Ok(result.encode())
}

fn tagged_transaction_queue_validate_transaction(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (_source, xt, block_hash): (TransactionSource, OpaqueExtrinsic, H256) =
        decode(input, "input is not (source, extrinsic, block hash)")?;
    Ok(executive::validate_transaction(xt.as_bytes(), block_hash).encode())
}

/// Validates a batch of transactions against the same block, each as if it were alone (its
/// writes are rolled back), in one call: the pool's batched admission. Signatures go into one
/// batch; the output is `(every signature valid, validity of each)`. When a signature in the
/// batch is bad the node cannot tell which from this answer and validates them one by one.
fn folio_tagged_transaction_queue_validate_transactions(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (_source, batch, block_hash): (TransactionSource, Vec<OpaqueExtrinsic>, H256) =
        decode(input, "input is not (source, extrinsics, block hash)")?;
    folio_primitives::io::start_batch_verify();
    let mut validities = Vec::with_capacity(batch.len());
    for xt in &batch {
        folio_primitives::io::start_transaction();
        validities.push(executive::validate_transaction(xt.as_bytes(), block_hash));
        // Nothing was committed inside, so a transaction is open to roll back.
        let _ = folio_primitives::io::rollback_transaction();
    }
    let signatures_valid = folio_primitives::io::finish_batch_verify();
    Ok((signatures_valid, validities).encode())
}

fn account_nonce_api_account_nonce(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let who: AccountId = decode(input, "input is not an account id")?;
    Ok(System::account_nonce(&who).encode())
}

/// Decodes `(extrinsic, len)`.
fn extrinsic_and_len(input: &[u8]) -> Result<(UncheckedExtrinsic, u32), ApiError> {
    decode(input, "input is not (extrinsic, length)")
}

/// Decodes `(call, len)`.
fn call_and_len(input: &[u8]) -> Result<(RuntimeCall, u32), ApiError> {
    decode(input, "input is not (call, length)")
}

fn transaction_payment_api_query_info(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (xt, len) = extrinsic_and_len(input)?;
    Ok(payment::extrinsic_info(&xt, len).encode())
}

fn transaction_payment_api_query_fee_details(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (xt, len) = extrinsic_and_len(input)?;
    Ok(payment::extrinsic_fee_details(&xt, len).encode())
}

fn transaction_payment_call_api_query_call_info(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (call, len) = call_and_len(input)?;
    Ok(payment::call_info(&call, len).encode())
}

fn transaction_payment_call_api_query_call_fee_details(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let (call, len) = call_and_len(input)?;
    Ok(payment::call_fee_details(&call, len).encode())
}

fn transaction_payment_api_query_weight_to_fee(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let weight: Weight = decode(input, "input is not a weight")?;
    Ok(fees::weight_to_fee::<Runtime>(weight).encode())
}

fn transaction_payment_api_query_length_to_fee(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let len: u32 = decode(input, "input is not a u32 length")?;
    Ok(payment::length_to_fee(len).encode())
}

// The call API repeats these two; each export needs its own function.
fn transaction_payment_call_api_query_weight_to_fee(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    transaction_payment_api_query_weight_to_fee(input)
}

fn transaction_payment_call_api_query_length_to_fee(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    transaction_payment_api_query_length_to_fee(input)
}

fn genesis_builder_build_state(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let json: Vec<u8> = decode(input, "input is not JSON bytes")?;
    let result: Result<(), String> = genesis::build_state(&json);
    Ok(result.encode())
}

fn genesis_builder_get_preset(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let id: Option<Vec<u8>> = decode(input, "input is not an optional preset id")?;
    Ok(genesis::preset(id.as_deref()).encode())
}

fn genesis_builder_preset_names(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let names: Vec<Vec<u8>> = genesis::PRESETS
        .iter()
        .map(|name| name.as_bytes().to_vec())
        .collect();
    Ok(names.encode())
}

/// `sp_consensus_slots::SlotDuration`: milliseconds as a `u64`.
fn aura_api_slot_duration(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(Aura::slot_duration().encode())
}

/// `Vec<sp_consensus_aura::sr25519::AuthorityId>`.
fn aura_api_authorities(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(Aura::authorities().encode())
}

/// `sp_consensus_grandpa::AuthorityList`: `Vec<(ed25519 public, weight u64)>`.
fn grandpa_api_grandpa_authorities(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(Grandpa::grandpa_authorities().encode())
}

/// `sp_consensus_grandpa::SetId`: a `u64`.
fn grandpa_api_current_set_id(_input: &[u8]) -> Result<Vec<u8>, ApiError> {
    Ok(Grandpa::current_set_id().encode())
}

/// The session keys of this runtime, as the node template's `SessionKeys { aura, grandpa }`:
/// the Aura key (sr25519) then the GRANDPA key (ed25519), 64 bytes in all, the pair
/// `Grandpa.set_validators` takes for each validator.
pub const AURA_KEY_TYPE: [u8; 4] = *b"aura";
pub const GRANDPA_KEY_TYPE: [u8; 4] = *b"gran";

/// `Vec<u8>`: new session keys made in the node's keystore (from `seed`, a secret URI, when the
/// input `Option<Vec<u8>>` holds one). Only the node's `author_rotateKeys` gives the call a
/// keystore; anywhere else it fails.
fn session_keys_generate_session_keys(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let seed: Option<Vec<u8>> = decode(input, "input is not an optional seed")?;
    let seed = seed.as_deref();
    let aura = io::sr25519_generate(AURA_KEY_TYPE, seed).ok_or(ApiError::NoKeystore)?;
    let grandpa = io::ed25519_generate(GRANDPA_KEY_TYPE, seed).ok_or(ApiError::NoKeystore)?;
    Ok((aura, grandpa).encode().encode())
}

/// `Option<Vec<(Vec<u8>, KeyTypeId)>>`: the public keys in an encoded `SessionKeys`, or `None`
/// when the bytes are not exactly one.
fn session_keys_decode_session_keys(input: &[u8]) -> Result<Vec<u8>, ApiError> {
    let encoded: Vec<u8> = decode(input, "input is not encoded session keys")?;
    Ok(decode_session_keys(&encoded).encode())
}

/// The `(public key, key type)` pairs of encoded session keys.
pub fn decode_session_keys(encoded: &[u8]) -> Option<Vec<(Vec<u8>, [u8; 4])>> {
    let (aura, grandpa) = <([u8; 32], [u8; 32])>::decode_all(&mut &encoded[..]).ok()?;
    Some(alloc::vec![
        (aura.to_vec(), AURA_KEY_TYPE),
        (grandpa.to_vec(), GRANDPA_KEY_TYPE)
    ])
}
