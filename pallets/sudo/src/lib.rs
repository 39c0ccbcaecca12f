//! Sudo for dev chains: one key dispatches any call as `Origin::Root` (or as any signed
//! account), until the key is removed.
//!
//! Laid out as FRAME's `pallet_sudo` — pallet name `Sudo`, storage `Key`, the same call, event
//! and error names, indices and argument encodings — so polkadot-js Apps' Sudo tab and other
//! clients work unchanged. It owns only the key. It runs calls through the [`CallDispatcher`]
//! the runtime provides and depends on no other pallet (governance included).
//!
//! Rules:
//! - Every call needs the key to exist. The key's holder (signed) or Root may use it: Root is
//!   how governance rotates the key (`set_key`) or removes it (`remove_key`).
//! - `remove_key` removes the key for good: no call can create a key where there is none (a
//!   deliberate difference from FRAME, where Root may set a key again), so once governance or
//!   the key's holder removes it, Root exists only through governance.
//! - The wrapped call runs in its own storage transaction: if it fails its writes are
//!   discarded, while the sudo call itself succeeds and reports the failure in `Sudid` /
//!   `SudoAsDone`. The key's holder pays no fee for a sudo call (`Pays::No`), as in FRAME.
//!
//! Invariants ([`invariants::check_invariants`]): `Key`, when present, is a decodable account.
//! The history property "once removed, never back" is checked by the property tests.
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
mod call;
mod error;
mod event;
mod genesis;
pub mod invariants;
mod metadata;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use call::Call;
pub use error::Error;
pub use event::Event;
pub use genesis::GenesisConfig;
pub use metadata::metadata;

use core::marker::PhantomData;
use folio_pallet_support::prelude::*;

/// How sudo runs the call it carries. Unlike governance, which stores calls as bytes, sudo's
/// call arrives decoded inside the extrinsic (FRAME's `Box<RuntimeCall>`), so the glue takes
/// the runtime's call type itself. The runtime implements it with `RuntimeCall::dispatch`.
pub trait CallDispatcher<Call> {
    /// Runs `call` with `origin`.
    fn dispatch(call: Call, origin: Origin) -> DispatchResultWithPostInfo;
}

/// What the runtime tells the sudo pallet.
pub trait Config: folio_pallet_system::Config {
    /// This pallet's index in the runtime (`Sudo`).
    const INDEX: u8;
    /// The runtime's call enum, carried inline in sudo calls.
    type RuntimeCall: Clone
        + core::fmt::Debug
        + PartialEq
        + Eq
        + Encode
        + Decode
        + TypeInfo
        + CallWeight
        + 'static;
    /// Runs the wrapped calls.
    type Dispatcher: CallDispatcher<Self::RuntimeCall>;
}

folio_pallet_support::storage! {
    pallet "Sudo";
    /// The `AccountId` of the sudo key.
    pub Key: Value<AccountId, OptionQuery>;
}

/// The sudo pallet's functions.
pub struct Pallet<T>(PhantomData<T>);

impl<T: Config> Pallet<T> {
    pub(crate) fn error(error: Error) -> DispatchError {
        module_error(<T as Config>::INDEX, &error)
    }

    pub(crate) fn deposit_event(event: Event) {
        folio_pallet_support::events::deposit_event(<T as Config>::INDEX, &event);
    }

    /// The sudo key, if there is one.
    pub fn key() -> Option<AccountId> {
        Key::get()
    }

    /// Passes for the key's holder and for Root while a key exists; fails with `BadOrigin`
    /// for other origins and `RequireSudo` for other signers or when there is no key.
    pub(crate) fn ensure_sudo(origin: &Origin) -> DispatchResult {
        let key = Key::get();
        let allowed = match origin {
            Origin::Root => key.is_some(),
            Origin::Signed(who) => key.as_ref() == Some(who),
            Origin::None => return Err(DispatchError::BadOrigin),
        };
        if allowed {
            Ok(())
        } else {
            Err(Self::error(Error::RequireSudo))
        }
    }
}
