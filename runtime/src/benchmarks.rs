//! The runtime side of `folio-node benchmark pallet`: every pallet's benchmarks behind three
//! runtime API entries the node calls in wasm (never exposed through `state_call`).
//!
//! - `FolioBenchmark_list`: every benchmark, as [`BenchmarkListing`]s;
//! - `FolioBenchmark_setup` `(pallet, call, n)`: starts a block, runs the benchmark's setup,
//!   stores its `(Origin, RuntimeCall)` under [`PENDING`] and answers the keys not to count;
//! - `FolioBenchmark_dispatch`: takes the pending call and dispatches it in a storage
//!   transaction, as the executive does; with nothing pending it does the same bookkeeping and
//!   nothing else, which is the baseline the node subtracts (instantiation, entry, the pending
//!   key's read and clear).

use crate::*;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{Benchmark, BenchmarkEnv, BenchmarkError};
use folio_primitives::header::Digest;
use folio_primitives::io;

/// Where `FolioBenchmark_setup` leaves the prepared call for `FolioBenchmark_dispatch`.
pub const PENDING: &[u8] = b":folio:benchmark:pending";

/// One benchmark as the node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BenchmarkListing {
    /// The pallet's name in the runtime (`Balances`, `Invoices`, …).
    pub pallet: String,
    /// The crate folder under `pallets/` whose `weights.rs` it belongs to.
    pub folder: String,
    pub call: String,
    /// `(name, min, max)` of the call's linear component.
    pub component: Option<(String, u32, u32)>,
}

/// Benchmark setups' access to money and time in this runtime.
pub struct RuntimeEnv;

impl BenchmarkEnv for RuntimeEnv {
    fn fund(who: &AccountId, amount: Balance) {
        // A failed mint (an overflow) shows up as the setup's or the dispatch's failure.
        let _ = Balances::do_mint(who, amount);
    }
    fn set_now(now: Moment) {
        folio_pallet_timestamp::Now::put(&now);
    }
}

/// Every benchmarked pallet: runtime name, crate folder.
pub const PALLETS: &[(&str, &str)] = &[
    ("System", "system"),
    ("Timestamp", "timestamp"),
    ("Balances", "currency"),
    ("Sudo", "sudo"),
    ("Governance", "governance"),
    ("Crowdfunding", "crowdfunding"),
    ("Invoices", "einvoice"),
    ("Bills", "bills"),
];

fn benchmarks_of(pallet: &str) -> Option<Vec<Benchmark>> {
    Some(match pallet {
        "System" => folio_pallet_system::benchmarking::benchmarks::<Runtime>(),
        "Timestamp" => folio_pallet_timestamp::benchmarking::benchmarks::<Runtime>(),
        "Balances" => folio_pallet_currency::benchmarking::benchmarks::<Runtime>(),
        "Sudo" => folio_pallet_sudo::benchmarking::benchmarks::<Runtime>(),
        "Governance" => folio_pallet_governance::benchmarking::benchmarks::<Runtime>(),
        "Crowdfunding" => folio_pallet_crowdfunding::benchmarking::benchmarks::<Runtime>(),
        "Invoices" => folio_pallet_einvoice::benchmarking::benchmarks::<Runtime>(),
        "Bills" => folio_pallet_bills::benchmarking::benchmarks::<Runtime>(),
        _ => return None,
    })
}

/// Runs the setup of `pallet`'s benchmark `call` and returns what it prepared.
fn setup_call(pallet: &str, call: &str, n: u32) -> Result<(Origin, RuntimeCall), BenchmarkError> {
    type E = RuntimeEnv;
    Ok(match pallet {
        "System" => {
            let (o, c) = folio_pallet_system::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::System(c))
        }
        "Timestamp" => {
            let (o, c) = folio_pallet_timestamp::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Timestamp(c))
        }
        "Balances" => {
            let (o, c) = folio_pallet_currency::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Balances(c))
        }
        "Sudo" => {
            let (o, c) = folio_pallet_sudo::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Sudo(c))
        }
        "Governance" => {
            let (o, c) = folio_pallet_governance::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Governance(c))
        }
        "Crowdfunding" => {
            let (o, c) = folio_pallet_crowdfunding::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Crowdfunding(c))
        }
        "Invoices" => {
            let (o, c) = folio_pallet_einvoice::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Invoices(c))
        }
        "Bills" => {
            let (o, c) = folio_pallet_bills::benchmarking::setup::<Runtime, E>(call, n)?;
            (o, RuntimeCall::Bills(c))
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

/// Every benchmark of every pallet.
pub fn list() -> Vec<BenchmarkListing> {
    let mut listings = Vec::new();
    for (pallet, folder) in PALLETS {
        for benchmark in benchmarks_of(pallet).unwrap_or_default() {
            listings.push(BenchmarkListing {
                pallet: pallet.to_string(),
                folder: folder.to_string(),
                call: benchmark.call.to_string(),
                component: benchmark
                    .component
                    .map(|c| (c.name.to_string(), c.min, c.max)),
            });
        }
    }
    listings
}

/// Starts the block after the current one, runs the setup and leaves its call pending.
/// Returns the keys whose access is not charged to the call (see [`whitelist`]).
pub fn setup(pallet: &str, call: &str, n: u32) -> Result<Vec<Vec<u8>>, BenchmarkError> {
    let number = System::block_number().saturating_add(1);
    System::initialize(
        number,
        folio_primitives::hash::H256::zero(),
        &Digest::default(),
    );
    let prepared = setup_call(pallet, call, n)?;
    let whitelist = whitelist(&prepared.0);
    io::storage_set(PENDING, &prepared.encode());
    Ok(whitelist)
}

/// Keys every extrinsic touches anyway, so a call's weight does not pay their database cost
/// again (as FRAME's benchmarks whitelist them): System's per-block bookkeeping — the event log
/// and its count, the execution phase, the block number, parent hash, digest, weight, length
/// and extrinsic count — read from memory and written to the database once per block — and
/// the signer's account, which the executive has just read and
/// written to take the fee and bump the nonce (`base_extrinsic` pays for that).
pub fn whitelist(origin: &Origin) -> Vec<Vec<u8>> {
    use folio_pallet_support::events::{EventCount, ExecutionPhase};
    use folio_pallet_support::storage::{StorageItem, StorageMap};
    use folio_pallet_system as system;
    let mut keys = alloc::vec![
        folio_pallet_support::events::events_key().to_vec(),
        EventCount::prefix().to_vec(),
        ExecutionPhase::prefix().to_vec(),
        system::Number::prefix().to_vec(),
        system::ParentHash::prefix().to_vec(),
        system::Digest::prefix().to_vec(),
        system::BlockWeight::prefix().to_vec(),
        system::AllExtrinsicsLen::prefix().to_vec(),
        system::ExtrinsicCount::prefix().to_vec(),
    ];
    if let Origin::Signed(who) = origin {
        keys.push(folio_pallet_system::Account::key(who));
    }
    keys
}

/// Dispatches the pending call (`None` when nothing is pending).
pub fn dispatch() -> Option<DispatchResult> {
    let pending = io::storage_get(PENDING);
    io::storage_clear(PENDING);
    let (origin, call) = <(Origin, RuntimeCall)>::decode(&mut pending?.as_slice()).ok()?;
    let result = folio_pallet_support::transactional::with_transaction(|| call.dispatch(origin));
    Some(result.map(|_| ()).map_err(|e| e.error))
}

/// What the node needs to speak to these entries without depending on the codec itself.
#[cfg(feature = "std")]
pub mod client {
    use super::*;
    use folio_primitives::hash::H256;
    use folio_primitives::header::Header;
    use folio_primitives::keyring::Keyring;

    pub use folio_pallet_support::benchmarking::{BenchmarkError, CANDIDATE_CODE};

    /// The keys `base_extrinsic` is not charged for: the block bookkeeping of [`whitelist`],
    /// and what every extrinsic reads and no call writes (safe mode, the genesis hash), so a
    /// block reads them from the database once.
    pub fn extrinsic_whitelist() -> Vec<Vec<u8>> {
        use folio_pallet_support::storage::{StorageItem, StorageMap};
        let mut keys = whitelist(&Origin::None);
        keys.push(folio_pallet_system::SafeMode::prefix().to_vec());
        keys.push(folio_pallet_system::BlockHash::key(&0));
        keys
    }
    pub fn decode_list(bytes: &[u8]) -> Option<Vec<BenchmarkListing>> {
        Decode::decode(&mut &bytes[..]).ok()
    }
    pub fn setup_input(pallet: &str, call: &str, n: u32) -> Vec<u8> {
        (pallet, call, n).encode()
    }
    pub fn decode_setup(bytes: &[u8]) -> Option<Result<Vec<Vec<u8>>, BenchmarkError>> {
        Decode::decode(&mut &bytes[..]).ok()
    }
    pub fn decode_dispatch(bytes: &[u8]) -> Option<Option<DispatchResult>> {
        Decode::decode(&mut &bytes[..]).ok()
    }
    /// The header of block `number` on `parent` (for `Core_initialize_block`).
    pub fn header(number: BlockNumber, parent_hash: H256) -> Vec<u8> {
        Header {
            parent_hash,
            number,
            state_root: H256::zero(),
            extrinsics_root: H256::zero(),
            digest: Digest::default(),
        }
        .encode()
    }
    /// The block's `timestamp.set` inherent, encoded as an extrinsic.
    pub fn timestamp_inherent(now: Moment) -> Vec<u8> {
        UncheckedExtrinsic::new_unsigned(RuntimeCall::Timestamp(
            folio_pallet_timestamp::Call::set { now },
        ))
        .encode()
    }
    /// `System.remark([])` signed by //Alice with `nonce`, immortal on `genesis`: the lightest
    /// signed extrinsic, whose application beyond its call is `base_extrinsic`.
    pub fn signed_empty_remark(genesis: H256, nonce: Nonce) -> Vec<u8> {
        let call = RuntimeCall::System(folio_pallet_system::Call::remark { remark: Vec::new() });
        crate::signing::sign_immortal(&Keyring::Alice.pair(), call, nonce, genesis, SPEC_VERSION)
            .encode()
    }
    /// Whether `BlockBuilder_apply_extrinsic`'s output says the extrinsic applied and its call
    /// succeeded.
    pub fn applied_ok(bytes: &[u8]) -> bool {
        matches!(
            folio_primitives::transaction_validity::ApplyExtrinsicResult::decode(&mut &bytes[..]),
            Ok(Ok(Ok(())))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::externalities::TestExternalities;

    fn genesis() -> TestExternalities {
        let mut ext = TestExternalities::default();
        let json = crate::genesis::preset(Some(b"development".as_slice())).unwrap();
        ext.execute_with(|| crate::genesis::build_state(&json).unwrap());
        ext.commit_all();
        ext
    }

    /// The block limits follow from the measured weights (docs/benchmarks.md, "Measured
    /// weights"): a block of transfers is bounded by weight, not by length, and holds
    /// thousands of them. No timing is asserted: only what the limits imply.
    #[test]
    fn a_full_block_of_transfers_is_bounded_by_weight_and_holds_thousands() {
        let limits = <Runtime as folio_pallet_system::Config>::BLOCK_WEIGHTS;
        let normal = limits.per_class.normal.max_total.unwrap();
        let transfer = RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
            dest: folio_primitives::MultiAddress::Id(AccountId::new([1; 32])),
            value: UNIT,
        });
        let per_transfer = EXTRINSIC_BASE_WEIGHT.saturating_add(transfer.dispatch_info().weight);
        let transfers = normal.ref_time / per_transfer.ref_time;
        assert!(transfers >= 1_000, "{transfers} transfers per block");
        // A signed transfer with its signature and extensions is under 150 bytes.
        let length = <Runtime as folio_pallet_system::Config>::BLOCK_LENGTH
            .max
            .normal;
        assert!(transfers * 150 < u64::from(length));
        const { assert!(BLOCK_BASE_WEIGHT.ref_time < MAXIMUM_BLOCK_WEIGHT.ref_time / 100) };
    }

    /// Every setup runs and its call succeeds natively over the dev genesis (the node's smoke
    /// run does the same in wasm). `set_code` needs a newer build of the runtime: without the
    /// wasm build its two benchmarks are skipped here.
    #[test]
    fn every_benchmark_dispatches_successfully_in_the_runtime() {
        let executor = folio_executor::Executor::new(Default::default()).unwrap();
        for listing in list() {
            let candidate = crate::WASM_BINARY_UPGRADE_TEST;
            let upgrade = ["set_code", "apply_authorized_upgrade"].contains(&listing.call.as_str());
            if listing.pallet == "System" && upgrade && candidate.is_none() {
                continue;
            }
            let points = match &listing.component {
                Some((_, min, max)) => vec![*min, *max],
                None => vec![0],
            };
            for n in points {
                let mut ext = genesis().with_runtime_version_reader(executor.version_reader());
                ext.execute_with(|| {
                    if let Some(code) = candidate {
                        io::storage_set(folio_pallet_support::benchmarking::CANDIDATE_CODE, code);
                    }
                    let _whitelist = setup(&listing.pallet, &listing.call, n)
                        .unwrap_or_else(|e| panic!("{listing:?} ({n}): {e:?}"));
                    let result = dispatch();
                    assert_eq!(result, Some(Ok(())), "{listing:?} ({n})");
                    assert_eq!(dispatch(), None);
                });
            }
        }
    }
}
