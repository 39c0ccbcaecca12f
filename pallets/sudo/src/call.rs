//! The calls of the sudo pallet (FRAME's `pallet_sudo` names, indices and arguments, so
//! wallets build them unchanged).

use crate::{weights, CallDispatcher, Config, Event, Key, Pallet};
use alloc::boxed::Box;
use folio_pallet_support::prelude::*;
use folio_primitives::address::MultiAddress;

/// Dispatchable calls of the sudo pallet; `RuntimeCall` is the runtime's call enum, carried
/// inline as FRAME's `Box<<T as Config>::RuntimeCall>`.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_sudo", "pallet_sudo"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call<RuntimeCall> {
    /// Authenticates the sudo key and dispatches a function call with `Root` origin.
    ///
    /// Origin: the sudo key (or Root). Errors: `RequireSudo`. Emits `Sudid` with the call's
    /// result; a failed call leaves no writes. The key pays no fee.
    #[codec(index = 0)]
    sudo { call: Box<RuntimeCall> },
    /// Authenticates the sudo key and dispatches a function call with `Root` origin, charging
    /// `weight` instead of the call's declared weight.
    ///
    /// Origin: the sudo key (or Root). Errors: `RequireSudo`. Emits `Sudid`.
    #[codec(index = 1)]
    sudo_unchecked_weight {
        call: Box<RuntimeCall>,
        weight: Weight,
    },
    /// Authenticates the current sudo key and sets the given account (`new`) as the new sudo
    /// key.
    ///
    /// Origin: the sudo key, or Root (governance rotating it); a key must exist. Errors:
    /// `RequireSudo`, `CannotLookup` (an address that is not an account id). Emits
    /// `KeyChanged`.
    #[codec(index = 2)]
    set_key { new: MultiAddress },
    /// Authenticates the sudo key and dispatches a function call with `Signed` origin from a
    /// given account.
    ///
    /// Origin: the sudo key (or Root). Errors: `RequireSudo`, `CannotLookup`. Emits
    /// `SudoAsDone` with the call's result.
    #[codec(index = 3)]
    sudo_as {
        who: MultiAddress,
        call: Box<RuntimeCall>,
    },
    /// Permanently removes the sudo key: from then on every sudo call fails.
    ///
    /// Origin: the sudo key, or Root (governance removing sudo). Errors: `RequireSudo`. Emits
    /// `KeyRemoved`.
    #[codec(index = 4)]
    remove_key,
}

impl<RuntimeCall: CallWeight> CallWeight for Call<RuntimeCall> {
    fn dispatch_info(&self) -> DispatchInfo {
        let (weight, class) = match self {
            Self::sudo { call } => {
                let inner = call.dispatch_info();
                (weights::sudo().saturating_add(inner.weight), inner.class)
            }
            Self::sudo_unchecked_weight { call, weight } => (*weight, call.dispatch_info().class),
            Self::set_key { .. } => (weights::set_key(), DispatchClass::Normal),
            Self::sudo_as { call, .. } => {
                let inner = call.dispatch_info();
                (weights::sudo_as().saturating_add(inner.weight), inner.class)
            }
            Self::remove_key => (weights::remove_key(), DispatchClass::Normal),
        };
        DispatchInfo {
            weight,
            class,
            pays_fee: Pays::Yes,
        }
    }
}

impl<RuntimeCall> Call<RuntimeCall> {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config<RuntimeCall = RuntimeCall>>(
        self,
        origin: Origin,
    ) -> DispatchResultWithPostInfo {
        match self {
            Self::sudo { call } => Pallet::<T>::sudo(origin, *call, weights::sudo()),
            Self::sudo_unchecked_weight { call, .. } => {
                Pallet::<T>::sudo(origin, *call, Weight::zero())
            }
            Self::set_key { new } => Pallet::<T>::set_key(origin, &new),
            Self::sudo_as { who, call } => Pallet::<T>::sudo_as(origin, &who, *call),
            Self::remove_key => Pallet::<T>::remove_key(origin),
        }
    }
}

/// What a successful sudo call reports: no fee, and the weight used when the wrapped call
/// reported one.
fn no_fee(own: Weight, inner: &PostDispatchInfo) -> PostDispatchInfo {
    PostDispatchInfo {
        actual_weight: inner.actual_weight.map(|actual| own.saturating_add(actual)),
        pays_fee: Pays::No,
    }
}

/// Runs `call` in its own storage transaction, so a failure leaves no writes.
fn run<T: Config>(call: T::RuntimeCall, origin: Origin) -> (DispatchResult, PostDispatchInfo) {
    let outcome = with_transaction(|| T::Dispatcher::dispatch(call, origin));
    match outcome {
        Ok(post_info) => (Ok(()), post_info),
        Err(error) => (Err(error.error), error.post_info),
    }
}

impl<T: Config> Pallet<T> {
    fn lookup(address: &MultiAddress) -> Result<AccountId, DispatchError> {
        address.lookup().ok_or(DispatchError::CannotLookup)
    }

    fn sudo(origin: Origin, call: T::RuntimeCall, own: Weight) -> DispatchResultWithPostInfo {
        Self::ensure_sudo(&origin)?;
        let (sudo_result, inner) = run::<T>(call, Origin::Root);
        Self::deposit_event(Event::Sudid { sudo_result });
        Ok(no_fee(own, &inner))
    }

    fn set_key(origin: Origin, new: &MultiAddress) -> DispatchResultWithPostInfo {
        Self::ensure_sudo(&origin)?;
        let new = Self::lookup(new)?;
        let old = Key::get();
        Key::put(&new);
        Self::deposit_event(Event::KeyChanged { old, new });
        Ok(no_fee(weights::set_key(), &PostDispatchInfo::default()))
    }

    fn sudo_as(
        origin: Origin,
        who: &MultiAddress,
        call: T::RuntimeCall,
    ) -> DispatchResultWithPostInfo {
        Self::ensure_sudo(&origin)?;
        let who = Self::lookup(who)?;
        let (sudo_result, inner) = run::<T>(call, Origin::Signed(who));
        Self::deposit_event(Event::SudoAsDone { sudo_result });
        Ok(no_fee(weights::sudo_as(), &inner))
    }

    fn remove_key(origin: Origin) -> DispatchResultWithPostInfo {
        Self::ensure_sudo(&origin)?;
        Key::kill();
        Self::deposit_event(Event::KeyRemoved);
        Ok(no_fee(weights::remove_key(), &PostDispatchInfo::default()))
    }
}
