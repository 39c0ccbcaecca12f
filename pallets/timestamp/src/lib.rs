//! The Timestamp pallet: the block's time, set once per block by the author through the
//! `timestamp.set` inherent, at least `minimum_period()` after the previous block's.
//!
//! Bills and invoices stamp every step with this time, so it must be monotonic: a block whose
//! inherent goes backwards, comes too early, is missing or appears twice is invalid.
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

pub mod benchmarking;
pub mod weights;

use core::marker::PhantomData;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::prelude::*;
use folio_pallet_support::storage::StorageItem;
use folio_primitives::inherent::{InherentData, TIMESTAMP_INHERENT};

/// What the runtime tells the Timestamp pallet.
pub trait Config: 'static {
    /// This pallet's index in the runtime.
    const INDEX: u8;
    /// The least time between two blocks, in milliseconds; clients take twice this as the
    /// expected block time. A function, not a constant: with Aura it is half the slot
    /// duration, which the chain's genesis sets.
    fn minimum_period() -> Moment;
}

folio_pallet_support::storage! {
    pallet "Timestamp";
    /// The current time for the current block.
    pub Now: Value<Moment, ValueQuery>;
    /// Whether the timestamp has been updated in this block.
    ///
    /// This value is updated to `true` upon successful submission of a timestamp by a node.
    /// It is then checked at the end of each block execution in the `on_finalize` hook.
    pub DidUpdate: Value<bool, ValueQuery>;
}

/// Dispatchable calls of the Timestamp pallet.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_timestamp", "pallet_timestamp"))]
pub enum Call {
    /// Set the current time.
    ///
    /// Origin: none (an inherent, put in every block by its author). Fails with
    /// `AlreadyUpdated` when called twice in a block and `TooEarly` when less than
    /// `MinimumPeriod` after the previous block's time.
    #[codec(index = 0)]
    set {
        #[codec(compact)]
        now: Moment,
    },
}

/// Why a Timestamp call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_timestamp", "pallet_timestamp"))]
pub enum Error {
    /// The timestamp was already set in this block.
    #[codec(index = 0)]
    AlreadyUpdated,
    /// The timestamp is less than `MinimumPeriod` after the previous block's.
    #[codec(index = 1)]
    TooEarly,
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        DispatchInfo {
            weight: weights::set(),
            class: DispatchClass::Mandatory,
            pays_fee: Pays::No,
        }
    }
}

impl Call {
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::set { now } => Pallet::<T>::set(origin, now),
        }
    }
}

/// The Timestamp pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    /// The current block's time (the previous block's until the inherent runs).
    pub fn now() -> Moment {
        Now::get()
    }

    fn set(origin: Origin, now: Moment) -> DispatchResultWithPostInfo {
        ensure_none(&origin)?;
        if DidUpdate::get() {
            return Err(module_error(T::INDEX, &Error::AlreadyUpdated).into());
        }
        let previous = Now::get();
        let earliest = previous
            .checked_add(T::minimum_period())
            .ok_or(ArithmeticError::Overflow)?;
        if previous != 0 && now < earliest {
            return Err(module_error(T::INDEX, &Error::TooEarly).into());
        }
        Now::put(&now);
        DidUpdate::put(&true);
        Ok(().into())
    }

    /// The inherent the block author adds: the author's clock, but never earlier than the
    /// minimum period after the previous block.
    pub fn create_inherent(data: &InherentData) -> Option<Call> {
        let proposed: Moment = data.get(&TIMESTAMP_INHERENT)?;
        let earliest = Now::get().saturating_add(T::minimum_period());
        Some(Call::set {
            now: proposed.max(earliest),
        })
    }

    /// Whether this block set its time; a block without it is invalid.
    pub fn did_update() -> bool {
        DidUpdate::get()
    }

    /// The pallet's metadata.
    pub fn metadata() -> PalletDescription {
        PalletDescription {
            name: "Timestamp",
            index: T::INDEX,
            storage: alloc::vec![Now::metadata(), DidUpdate::metadata()],
            calls: Some(scale_info::meta_type::<Call>()),
            event: None,
            error: Some(scale_info::meta_type::<Error>()),
            constants: alloc::vec![constant(
                "MinimumPeriod",
                &T::minimum_period(),
                &[
                    " The minimum period between blocks.",
                    "",
                    " Be aware that this is different to the *expected* period that the block production",
                    " apparatus provides. Your chosen consensus system will generally work with this to",
                    " determine a sensible block time. For example, in the Aura pallet it will be double this",
                    " period on default settings.",
                ],
            )],
            docs: alloc::vec![" Block time, set once per block by an inherent."],
        }
    }
}

impl<T: Config> Hooks for Pallet<T> {
    fn on_finalize(_n: BlockNumber) {
        DidUpdate::kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_pallet_support::testing::StateBuilder;

    struct Test;
    impl Config for Test {
        const INDEX: u8 = 2;
        fn minimum_period() -> Moment {
            3_000
        }
    }
    type Timestamp = Pallet<Test>;

    fn set(now: Moment, origin: Origin) -> Result<(), DispatchError> {
        Call::set { now }
            .dispatch::<Test>(origin)
            .map(|_| ())
            .map_err(|e| e.error)
    }

    #[test]
    fn set_stores_the_time_once_per_block() {
        StateBuilder::new().execute(|| {
            assert_eq!(set(10_000, Origin::None), Ok(()));
            assert_eq!(Timestamp::now(), 10_000);
            assert!(Timestamp::did_update());
            assert_eq!(
                set(20_000, Origin::None),
                Err(module_error(2, &Error::AlreadyUpdated))
            );
            Timestamp::on_finalize(1);
            assert!(!Timestamp::did_update());
            assert_eq!(set(13_000, Origin::None), Ok(()));
        });
    }

    #[test]
    fn set_refuses_early_times_and_signed_origins() {
        StateBuilder::new().execute(|| {
            assert_eq!(set(10_000, Origin::None), Ok(()));
            Timestamp::on_finalize(1);
            assert_eq!(
                set(12_999, Origin::None),
                Err(module_error(2, &Error::TooEarly))
            );
            assert_eq!(
                set(20_000, Origin::Signed(AccountId::new([1; 32]))),
                Err(DispatchError::BadOrigin)
            );
            assert_eq!(Timestamp::now(), 10_000);
        });
    }

    #[test]
    fn inherent_never_goes_below_the_minimum_period() {
        StateBuilder::new().execute(|| {
            let mut data = InherentData::default();
            data.put(TIMESTAMP_INHERENT, &5_000u64);
            assert_eq!(
                Timestamp::create_inherent(&data),
                Some(Call::set { now: 5_000 })
            );
            Now::put(&4_000);
            assert_eq!(
                Timestamp::create_inherent(&data),
                Some(Call::set { now: 7_000 })
            );
            assert_eq!(Timestamp::create_inherent(&InherentData::default()), None);
        });
    }

    struct Env;
    impl folio_pallet_support::benchmarking::BenchmarkEnv for Env {
        fn fund(_who: &AccountId, _amount: Balance) {}
        fn set_now(now: Moment) {
            Now::put(&now);
        }
    }

    #[test]
    fn every_call_has_a_benchmark_that_dispatches_successfully() {
        let benchmarks = crate::benchmarking::benchmarks::<Test>();
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call>(&benchmarks);
        for benchmark in benchmarks {
            StateBuilder::new().execute(|| {
                let (origin, call) =
                    crate::benchmarking::setup::<Test, Env>(benchmark.call, 0).unwrap();
                assert!(call.dispatch::<Test>(origin).is_ok(), "{}", benchmark.call);
            });
        }
    }

    #[test]
    fn set_is_mandatory_and_free() {
        let info = Call::set { now: 1 }.dispatch_info();
        assert_eq!(info.class, DispatchClass::Mandatory);
        assert_eq!(info.pays_fee, Pays::No);
        assert_eq!(Call::set { now: 1 }.encode(), vec![0, 0x04]);
    }
}
