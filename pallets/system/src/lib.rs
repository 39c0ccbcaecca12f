//! The System pallet: accounts and nonces, the block being built (number, parent hash, digest,
//! extrinsics), recent block hashes, block limits and the runtime code.
//!
//! Its storage is laid out exactly as FRAME's `frame_system` (clients read `System.Account`,
//! `System.Events`, `System.Number` and `System.BlockHash` directly), and its metadata uses
//! FRAME's names. It owns no money: the currency pallet keeps balances in the `data` field of
//! each account through [`Pallet::mutate_account`].
//!
//! Invariants: an account exists in `Account` iff it has at least one provider; `BlockHash`
//! holds the hashes of the last `BLOCK_HASH_COUNT` blocks and of genesis.
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

mod account;
pub mod benchmarking;
mod call;
mod error;
mod event;
pub mod extensions;
mod genesis;
pub mod limits;
mod metadata;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use account::{AccountData, ExtraFlags};
pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::GenesisConfig;
pub use metadata::metadata;

use alloc::{string::String, vec::Vec};
use core::marker::PhantomData;
use folio_pallet_support::events::{self, ExecutionPhase, Phase};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;
use folio_primitives::header::{DigestItem, Header};
use folio_primitives::version::RuntimeVersion;

/// What the runtime tells the System pallet.
pub trait Config: 'static {
    /// This pallet's index in the runtime.
    const INDEX: u8;
    /// How many recent block hashes are kept (mortal transactions can be born in them).
    const BLOCK_HASH_COUNT: BlockNumber;
    /// The SS58 prefix clients format addresses with.
    const SS58_PREFIX: u16;
    /// Weight limits of a block.
    const BLOCK_WEIGHTS: limits::BlockWeights;
    /// Length limits of a block.
    const BLOCK_LENGTH: limits::BlockLength;
    /// The runtime's event enum, for the metadata of `System.Events`.
    type RuntimeEvent: TypeInfo + 'static;
    /// The version of the running runtime (`set_code` compares candidates with it).
    fn runtime_version() -> RuntimeVersion;
}

/// `System.Account` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct AccountInfo {
    pub nonce: Nonce,
    pub consumers: u32,
    pub providers: u32,
    pub sufficients: u32,
    pub data: AccountData,
}

/// An upgrade governance authorized, waiting for its code (`apply_authorized_upgrade`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct CodeUpgradeAuthorization {
    pub code_hash: H256,
    pub check_version: bool,
}

/// The most recent runtime upgrade, so the first block under new code runs migrations once.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_system", "frame_system"))]
pub struct LastRuntimeUpgradeInfo {
    #[codec(compact)]
    pub spec_version: u32,
    pub spec_name: String,
}

folio_pallet_support::storage! {
    pallet "System";
    /// The full account information for a particular account ID.
    pub Account: Map<Blake2_128Concat, AccountId, AccountInfo, ValueQuery>;
    /// Total extrinsics count for the current block.
    pub ExtrinsicCount: Value<u32, OptionQuery>;
    /// The current weight for the block, per dispatch class.
    pub BlockWeight: Value<limits::PerDispatchClass<Weight>, ValueQuery>;
    /// Total length (in bytes) for all extrinsics put together, for the current block.
    pub AllExtrinsicsLen: Value<u32, OptionQuery>;
    /// Map of block numbers to block hashes.
    pub BlockHash: Map<Twox64Concat, BlockNumber, H256, ValueQuery>;
    /// Extrinsics data for the current block (maps an extrinsic's index to its data).
    pub ExtrinsicData: Map<Twox64Concat, u32, Vec<u8>, ValueQuery>;
    /// The current block number being processed. Set by `execute_block`.
    pub Number: Value<BlockNumber, ValueQuery>;
    /// Hash of the previous block.
    pub ParentHash: Value<H256, ValueQuery>;
    /// Digest of the current block, also part of the block header.
    pub Digest: Value<folio_primitives::header::Digest, ValueQuery>;
    /// Stores the `spec_version` and `spec_name` of when the last runtime upgrade happened.
    pub LastRuntimeUpgrade: Value<LastRuntimeUpgradeInfo, OptionQuery>;
    /// `Some` if a runtime upgrade has been authorized.
    pub AuthorizedUpgrade: Value<CodeUpgradeAuthorization, OptionQuery>;
    /// Whether a failed migration put the chain in safe mode (only governance calls are
    /// accepted until governance exits it).
    pub SafeMode: Value<bool, ValueQuery>;
}

/// The hash FRAME stores for block 0 at genesis, replaced by the real genesis hash when block 1
/// is initialized.
pub const GENESIS_BLOCK_HASH_PLACEHOLDER: H256 = H256([0x69; 32]);

/// The System pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(T::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        events::deposit_event(T::INDEX, &event);
    }

    /// The number of the block being executed.
    pub fn block_number() -> BlockNumber {
        Number::get()
    }

    /// The next nonce of `who`.
    pub fn account_nonce(who: &AccountId) -> Nonce {
        Account::get(who).nonce
    }

    /// Raises the nonce of `who` by one (a transaction was included).
    pub fn inc_account_nonce(who: &AccountId) {
        Account::mutate(who, |account| account.nonce = account.nonce.wrapping_add(1));
    }

    /// Whether `who` exists (has a provider).
    pub fn account_exists(who: &AccountId) -> bool {
        Account::get(who).providers > 0
    }

    /// Changes the balance data of `who`, creating or removing the account when it starts or
    /// stops existing. `f` returns whether the account should exist afterwards.
    ///
    /// Creation deposits `NewAccount`; removal deposits `KilledAccount` and forgets the nonce,
    /// as FRAME does (mortal eras keep old transactions from replaying).
    pub fn mutate_account<R, E>(
        who: &AccountId,
        f: impl FnOnce(&mut AccountData) -> Result<(R, bool), E>,
    ) -> Result<R, E> {
        // The account's key hashed once for the read and the write.
        let entry = Account::entry(who);
        let mut account = entry.get();
        let existed = account.providers > 0;
        let (result, should_exist) = f(&mut account.data)?;
        match (existed, should_exist) {
            (_, true) => {
                if !existed {
                    account.providers = 1;
                    account.data.flags = ExtraFlags(ExtraFlags::IS_NEW_LOGIC);
                    Self::deposit_event(Event::NewAccount { account: *who });
                }
                entry.insert(&account);
            }
            (true, false) => {
                entry.remove();
                Self::deposit_event(Event::KilledAccount { account: *who });
            }
            (false, false) => {}
        }
        Ok(result)
    }

    /// Starts a block: what `Core_initialize_block` does before any extrinsic.
    pub fn initialize(
        number: BlockNumber,
        parent_hash: H256,
        digest: &folio_primitives::header::Digest,
    ) {
        ExecutionPhase::put(&Phase::Initialization);
        events::reset_events();
        Number::put(&number);
        ParentHash::put(&parent_hash);
        Digest::put(digest);
        BlockHash::insert(&number.saturating_sub(1), &parent_hash);
        BlockWeight::kill();
        ExtrinsicCount::kill();
        AllExtrinsicsLen::kill();
    }

    /// The index the next extrinsic gets.
    pub fn extrinsic_index() -> u32 {
        ExtrinsicCount::get().unwrap_or(0)
    }

    /// Records an extrinsic's bytes (for the extrinsics root) before it is applied, and enters
    /// its phase.
    pub fn note_extrinsic(encoded: &[u8]) {
        let index = Self::extrinsic_index();
        ExtrinsicData::insert(&index, &encoded.to_vec());
        ExecutionPhase::put(&Phase::ApplyExtrinsic(index));
    }

    /// Records how an applied extrinsic ended (the event every extrinsic ends with) and moves
    /// to the next index.
    pub fn note_applied_extrinsic(
        outcome: &Result<(), DispatchError>,
        info: folio_primitives::weight::DispatchEventInfo,
    ) {
        let event = match outcome {
            Ok(()) => Event::ExtrinsicSuccess {
                dispatch_info: info,
            },
            Err(error) => Event::ExtrinsicFailed {
                dispatch_error: *error,
                dispatch_info: info,
            },
        };
        Self::deposit_event(event);
        let next = Self::extrinsic_index().saturating_add(1);
        ExtrinsicCount::put(&next);
    }

    /// All extrinsics are applied: enter finalization.
    pub fn note_finished_extrinsics() {
        ExecutionPhase::put(&Phase::Finalization);
    }

    /// Ends the block: clears per-block data, prunes old block hashes and returns the header
    /// with the extrinsics root and the state root.
    pub fn finalize() -> Header {
        ExecutionPhase::kill();
        AllExtrinsicsLen::kill();
        let number = Number::get();
        let count = ExtrinsicCount::take().unwrap_or(0);
        let extrinsics: Vec<Vec<u8>> = (0..count).map(|i| ExtrinsicData::take(&i)).collect();
        let extrinsics_root = H256(folio_primitives::io::ordered_trie_root(&extrinsics));

        // Keep `BLOCK_HASH_COUNT` hashes; block 0's is kept for `CheckGenesis`.
        let to_remove = number.saturating_sub(T::BLOCK_HASH_COUNT).saturating_sub(1);
        if to_remove > 0 {
            BlockHash::remove(&to_remove);
        }

        let parent_hash = ParentHash::get();
        let digest = Digest::get();
        let state_root = H256(folio_primitives::io::storage_root());
        Header {
            parent_hash,
            number,
            state_root,
            extrinsics_root,
            digest,
        }
    }

    /// Adds a log item to the header of the block being built.
    pub fn deposit_log(item: DigestItem) {
        Digest::mutate(|digest| digest.logs.push(item));
    }

    /// Records the weight and length an extrinsic used in this block.
    pub fn register_extra_weight(class: DispatchClass, weight: Weight) {
        BlockWeight::mutate(|used| {
            let slot = used.get_mut(class);
            *slot = slot.saturating_add(weight);
        });
    }

    /// Writes new runtime code after checking that it is a newer version of this runtime.
    pub fn can_set_code(code: &[u8]) -> Result<(), DispatchError> {
        let current = T::runtime_version();
        let candidate = folio_primitives::io::runtime_version(code)
            .and_then(|raw| RuntimeVersion::decode(&mut raw.as_slice()).ok())
            .ok_or_else(|| Self::error(Error::FailedToExtractRuntimeVersion))?;
        if candidate.spec_name != current.spec_name {
            return Err(Self::error(Error::InvalidSpecName));
        }
        if candidate.spec_version <= current.spec_version {
            return Err(Self::error(Error::SpecVersionNeedsToIncrease));
        }
        Ok(())
    }

    /// Stores `code` at `:code`, notes it in the header and emits `CodeUpdated`.
    pub fn update_code(code: &[u8]) {
        folio_primitives::io::storage_set(folio_primitives::storage::CODE, code);
        Self::deposit_log(DigestItem::RuntimeEnvironmentUpdated);
        Self::deposit_event(Event::CodeUpdated);
    }

    /// Whether the chain is in safe mode.
    pub fn in_safe_mode() -> bool {
        SafeMode::get()
    }

    /// A migration of the pallet at `pallet_index` failed: enter safe mode.
    pub fn enter_safe_mode(pallet_index: u8) {
        SafeMode::put(&true);
        Self::deposit_event(Event::SafeModeEntered { pallet_index });
    }

    /// Whether this block is the first under new code (and records it, so it happens once).
    pub fn note_runtime_upgrade_if_new() -> bool {
        let version = T::runtime_version();
        let current = LastRuntimeUpgradeInfo {
            spec_version: version.spec_version,
            spec_name: version.spec_name,
        };
        if LastRuntimeUpgrade::get().as_ref() == Some(&current) {
            return false;
        }
        LastRuntimeUpgrade::put(&current);
        true
    }
}
