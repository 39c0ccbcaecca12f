//! The event log: every pallet deposits its events into `System.Events`, each with the phase
//! of the block it happened in, exactly as FRAME records them.
//!
//! A deposit appends the record's bytes (`phase ++ pallet index ++ event ++ topics`) with the
//! `storage_append` host function, so the runtime never decodes the log to extend it. The
//! runtime's `RuntimeEvent` enum uses each pallet's index as its variant index, so these bytes
//! are exactly a SCALE `EventRecord<RuntimeEvent, H256>`.

use alloc::vec::Vec;
use folio_primitives::hash::H256;
use folio_primitives::io;
use folio_primitives::storage::storage_prefix;
use parity_scale_codec::{Decode, Encode};
use scale_info::{
    build::{Fields, Variants},
    Path, Type, TypeInfo, TypeParameter,
};

use crate::storage::{StorageValue, ValueQuery};

/// When in a block something happened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub enum Phase {
    /// While applying the extrinsic at this index.
    ApplyExtrinsic(u32),
    /// In `on_finalize`.
    Finalization,
    /// In `on_initialize` (and genesis).
    #[default]
    Initialization,
}

impl TypeInfo for Phase {
    type Identity = Self;
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("Phase", "frame_system"))
            .variant(
                Variants::new()
                    .variant("ApplyExtrinsic", |v| {
                        v.index(0)
                            .fields(Fields::unnamed().field(|f| f.ty::<u32>().type_name("u32")))
                    })
                    .variant("Finalization", |v| v.index(1))
                    .variant("Initialization", |v| v.index(2)),
            )
    }
}

/// One entry of `System.Events`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct EventRecord<E> {
    pub phase: Phase,
    pub event: E,
    pub topics: Vec<H256>,
}

impl<E: TypeInfo + 'static> TypeInfo for EventRecord<E> {
    type Identity = Self;
    /// polkadot-js finds the runtime's event type through this exact path and its `E` param.
    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("EventRecord", "frame_system"))
            .type_params([
                TypeParameter::new("E", Some(scale_info::meta_type::<E>())),
                TypeParameter::new("T", Some(scale_info::meta_type::<H256>())),
            ])
            .composite(
                Fields::named()
                    .field(|f| f.ty::<Phase>().name("phase").type_name("Phase"))
                    .field(|f| f.ty::<E>().name("event").type_name("E"))
                    .field(|f| f.ty::<Vec<H256>>().name("topics").type_name("Vec<T>")),
            )
    }
}

crate::storage! {
    pallet "System";
    /// The number of events in `Events`.
    pub EventCount: Value<u32, ValueQuery>;
    /// The phase of the block being executed.
    pub ExecutionPhase: Value<Phase, crate::storage::OptionQuery>;
}

/// The key of `System.Events`.
pub fn events_key() -> [u8; 32] {
    const KEY: [u8; 32] = storage_prefix("System", "Events");
    KEY
}

/// Records `event` of the pallet at `pallet_index`, in the current phase.
pub fn deposit_event(pallet_index: u8, event: &impl Encode) {
    let phase = ExecutionPhase::get().unwrap_or_default();
    let mut record = phase.encode();
    record.push(pallet_index);
    event.encode_to(&mut record);
    Vec::<H256>::new().encode_to(&mut record);
    io::storage_append(&events_key(), &record);
    EventCount::mutate(|count| *count = count.saturating_add(1));
}

/// Clears the log (at the start of each block).
pub fn reset_events() {
    io::storage_clear(&events_key());
    EventCount::kill();
}

/// Every event recorded in this block so far, decoded as `E`.
pub fn read_events<E: Decode>() -> Vec<EventRecord<E>> {
    crate::storage::read(&events_key()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::externalities::TestExternalities;

    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
    enum RuntimeEvent {
        #[codec(index = 3)]
        Three(u8),
    }

    #[test]
    fn deposits_decode_as_event_records_with_phase() {
        TestExternalities::default().execute_with(|| {
            ExecutionPhase::put(&Phase::ApplyExtrinsic(2));
            deposit_event(3, &7u8);
            ExecutionPhase::put(&Phase::Finalization);
            deposit_event(3, &9u8);
            let events = read_events::<RuntimeEvent>();
            assert_eq!(events.len(), 2);
            assert_eq!(events[0].phase, Phase::ApplyExtrinsic(2));
            assert_eq!(events[0].event, RuntimeEvent::Three(7));
            assert_eq!(events[1].phase, Phase::Finalization);
            assert_eq!(EventCount::get(), 2);
            reset_events();
            assert!(read_events::<RuntimeEvent>().is_empty());
            assert_eq!(EventCount::get(), 0);
        });
    }

    #[test]
    fn minimal_record_matches_compat_vector() {
        // SUBSTRATE-COMPAT §7.3: one System.ExtrinsicSuccess (pallet 0, event 0) for
        // extrinsic 0 with zero weight, Normal, pays Yes.
        TestExternalities::default().execute_with(|| {
            ExecutionPhase::put(&Phase::ApplyExtrinsic(0));
            deposit_event(
                0,
                &(0u8, folio_primitives::weight::DispatchEventInfo::default()),
            );
            assert_eq!(
                io::storage_get(&events_key()),
                Some(alloc::vec![0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            );
        });
    }
}
