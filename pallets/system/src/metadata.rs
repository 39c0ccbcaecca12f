//! What the System pallet tells clients about itself.

use crate::*;
use folio_pallet_support::events::{EventCount, EventRecord, ExecutionPhase};
use folio_pallet_support::frame_metadata::v14::{
    StorageEntryMetadata, StorageEntryModifier, StorageEntryType,
};
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The System pallet's metadata.
pub fn metadata<T: Config>() -> PalletDescription {
    let events = StorageEntryMetadata {
        name: "Events",
        modifier: StorageEntryModifier::Default,
        ty: StorageEntryType::Plain(meta_type::<Vec<EventRecord<T::RuntimeEvent>>>()),
        default: alloc::vec![0],
        docs: alloc::vec![" Events deposited for the current block."],
    };
    PalletDescription {
        name: "System",
        index: T::INDEX,
        storage: alloc::vec![
            Account::metadata(),
            ExtrinsicCount::metadata(),
            BlockWeight::metadata(),
            AllExtrinsicsLen::metadata(),
            BlockHash::metadata(),
            ExtrinsicData::metadata(),
            Number::metadata(),
            ParentHash::metadata(),
            Digest::metadata(),
            events,
            EventCount::metadata(),
            LastRuntimeUpgrade::metadata(),
            AuthorizedUpgrade::metadata(),
            SafeMode::metadata(),
            ExecutionPhase::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant("BlockWeights", &T::BLOCK_WEIGHTS, &[" Block & extrinsics weights: base values and limits."]),
            constant("BlockLength", &T::BLOCK_LENGTH, &[" The maximum length of a block (in bytes)."]),
            constant("BlockHashCount", &T::BLOCK_HASH_COUNT, &[" Maximum number of block number to block hash mappings to keep (oldest pruned first)."]),
            constant("Version", &T::runtime_version(), &[" Get the chain's in-code version."]),
            constant("SS58Prefix", &T::SS58_PREFIX, &[" The designated SS58 prefix of this chain."]),
        ],
        docs: alloc::vec![" Accounts, block bookkeeping, the event log and the runtime code."],
    }
}
