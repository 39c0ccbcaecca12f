//! Benchmarks of dispatchables: what `folio-node benchmark pallet` measures in wasm to write
//! each pallet's `weights.rs`.
//!
//! A pallet lists one [`Benchmark`] per call of its `Call` enum (a test checks the list against
//! the enum's variants, so a new call without a benchmark fails) and a `setup` function that,
//! given a call name and the value `n` of its component, writes the state the call needs on its
//! **worst-case** path (a transfer to a new account, the largest batch) and returns the origin
//! and the call. The node runs the setup, then times only the dispatch. A setup whose call
//! fails measures an error path, which is the wrong thing: each pallet's tests run every setup
//! and dispatch under its mock and require `Ok`.
//!
//! A call whose cost grows with one argument (a batch `limit`, a byte length) has a linear
//! [`Component`]: it is measured at both ends of its range and weighs `base + slope × n`.
//!
//! Setups reach beyond their pallet only through [`BenchmarkEnv`] (funding accounts, moving the
//! clock), which the runtime and each pallet's mock implement.

use crate::origin::Origin;
use alloc::vec::Vec;
use folio_primitives::dispatch::DispatchError;
use folio_primitives::{AccountId, Balance, Moment};
use parity_scale_codec::{Decode, Encode};

/// The one linear argument of a call: its name in the generated weight function and the
/// range it is measured over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component {
    pub name: &'static str,
    pub min: u32,
    pub max: u32,
}

/// One benchmarked call of a pallet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Benchmark {
    /// The call's name, as in the pallet's `Call` enum.
    pub call: &'static str,
    pub component: Option<Component>,
}

impl Benchmark {
    /// A call whose cost does not depend on its arguments (its worst case is measured).
    pub const fn new(call: &'static str) -> Self {
        Self {
            call,
            component: None,
        }
    }

    /// A call linear in `name` over `min..=max`.
    pub const fn linear(call: &'static str, name: &'static str, min: u32, max: u32) -> Self {
        Self {
            call,
            component: Some(Component { name, min, max }),
        }
    }

    /// The values of `n` the call is measured at: its component's ends, or `0` alone.
    pub fn points(&self) -> Vec<u32> {
        match self.component {
            Some(c) if c.min < c.max => alloc::vec![c.min, c.max],
            Some(c) => alloc::vec![c.min],
            None => alloc::vec![0],
        }
    }
}

/// Why a setup could not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum BenchmarkError {
    /// No pallet, or no benchmark of that call, by that name.
    UnknownBenchmark,
    /// A call the setup made to reach its state failed.
    Setup(DispatchError),
}

impl From<DispatchError> for BenchmarkError {
    fn from(error: DispatchError) -> Self {
        Self::Setup(error)
    }
}

impl From<crate::dispatch::DispatchErrorWithPostInfo> for BenchmarkError {
    fn from(error: crate::dispatch::DispatchErrorWithPostInfo) -> Self {
        Self::Setup(error.error)
    }
}

/// What a setup returns: who calls, and the call.
pub type Setup<C> = Result<(Origin, C), BenchmarkError>;

/// What a benchmark setup may ask of the runtime (or of a pallet's mock) beyond its own pallet.
pub trait BenchmarkEnv {
    /// Mints `amount` into `who`'s free balance (creating the account).
    fn fund(who: &AccountId, amount: Balance);
    /// Sets the time the pallets' `now()` reads.
    fn set_now(now: Moment);
}

/// A setup's accounts: distinct, deterministic, and never a dev key.
pub fn account(name: &str, index: u32) -> AccountId {
    let mut bytes = [0u8; 32];
    let seed = (b"folio/benchmark", name, index).encode();
    bytes.copy_from_slice(&folio_primitives::io::blake2_256(&seed));
    AccountId::new(bytes)
}

/// The names of the variants of a pallet's `Call` enum, from its type information.
#[cfg(feature = "std")]
pub fn call_names<C: scale_info::TypeInfo + 'static>() -> Vec<&'static str> {
    match C::type_info().type_def {
        scale_info::TypeDef::Variant(variants) => {
            variants.variants.iter().map(|v| v.name).collect()
        }
        _ => Vec::new(),
    }
}

/// Test helper: the benchmarks name every call of `C` exactly once, and nothing else.
#[cfg(feature = "std")]
#[allow(clippy::panic)]
pub fn assert_every_call_benchmarked<C: scale_info::TypeInfo + 'static>(benchmarks: &[Benchmark]) {
    let mut calls = call_names::<C>();
    calls.sort_unstable();
    let mut benched: Vec<&str> = benchmarks.iter().map(|b| b.call).collect();
    benched.sort_unstable();
    if calls != benched {
        panic!("benchmarks {benched:?} do not match the calls {calls:?}");
    }
}

/// Where the node puts a newer build of the runtime for `set_code`'s benchmarks to install (the
/// runtime cannot make one itself).
pub const CANDIDATE_CODE: &[u8] = b":folio:benchmark:candidate_code";
