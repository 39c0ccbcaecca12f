//! Benchmarks of the governance pallet's calls (see `folio_pallet_support::benchmarking`).
//!
//! Worst cases: a full council (`MAX_MEMBERS`) and as many open motions as allowed, each with
//! every member's vote; `set_members` replaces the whole council, so every vote is stripped
//! from every motion; `close_motion` approves and schedules; referendum votes are cast by a
//! voter who already votes in every other live referendum, so the freeze is recomputed over all
//! of them. Calls carried by motions and referenda are `call_len` bytes long.

use crate::{Call, CallDispatcher, Config, TaskCount};
use alloc::vec::Vec;
use folio_pallet_support::benchmarking::{account, Benchmark, BenchmarkEnv, BenchmarkError, Setup};
use folio_pallet_support::prelude::*;

/// Builds calls of a given size for motions and referenda to carry.
pub trait BenchmarkCalls: CallDispatcher {
    /// A call of this runtime whose encoding is about `len` bytes (at least its shortest call).
    fn call_of_len(len: u32) -> Vec<u8>;
}

/// The shortest call length measured (the runtime's `System.remark` with a few bytes).
const MIN_CALL_LEN: u32 = 8;

/// Every call of the pallet.
pub fn benchmarks<T: Config>() -> Vec<Benchmark> {
    alloc::vec![
        Benchmark::linear("set_members", "new_members", 1, T::MAX_MEMBERS),
        Benchmark::linear("propose_motion", "call_len", MIN_CALL_LEN, T::MAX_CALL_LEN),
        Benchmark::new("propose_cancellation"),
        Benchmark::new("vote_motion"),
        Benchmark::new("close_motion"),
        Benchmark::linear(
            "start_referendum",
            "call_len",
            MIN_CALL_LEN,
            T::MAX_CALL_LEN
        ),
        Benchmark::new("vote_referendum"),
        Benchmark::new("remove_vote"),
        Benchmark::new("cancel_referendum"),
    ]
}

fn members<T: Config>() -> Vec<AccountId> {
    (0..T::MAX_MEMBERS).map(|i| account("member", i)).collect()
}

fn signed(who: &AccountId) -> Origin {
    Origin::Signed(*who)
}

/// A full council; returns it.
fn full_council<T: Config>() -> Result<Vec<AccountId>, BenchmarkError> {
    let council = members::<T>();
    Call::set_members {
        new_members: council.clone(),
    }
    .dispatch::<T>(Origin::Root)?;
    Ok(council)
}

/// `count` open motions, each carrying a `call_len`-byte call; the votes of `voters` (nay, so
/// they stay open) on each. Returns the motions' indices.
fn open_motions<T: Config>(
    council: &[AccountId],
    count: u32,
    voters: &[AccountId],
) -> Result<Vec<u32>, BenchmarkError>
where
    T::Dispatcher: BenchmarkCalls,
{
    let proposer = council.first().ok_or(BenchmarkError::UnknownBenchmark)?;
    let threshold = u32::try_from(council.len()).unwrap_or(u32::MAX);
    let mut indices = Vec::new();
    for _ in 0..count {
        let index = crate::MotionCount::get();
        Call::propose_motion {
            threshold,
            call: T::Dispatcher::call_of_len(T::MAX_CALL_LEN),
        }
        .dispatch::<T>(signed(proposer))?;
        for voter in voters {
            Call::vote_motion {
                motion: index,
                approve: false,
            }
            .dispatch::<T>(signed(voter))?;
        }
        indices.push(index);
    }
    Ok(indices)
}

/// `T::MAX_REFERENDA` ongoing referenda, each with a vote of `voter`; returns their indices.
fn referenda_voted_by<T: Config, E: BenchmarkEnv>(
    voter: &AccountId,
) -> Result<Vec<u32>, BenchmarkError>
where
    T::Dispatcher: BenchmarkCalls,
{
    E::fund(voter, T::REFERENDUM_DEPOSIT.saturating_mul(1_000));
    let mut indices = Vec::new();
    for i in 0..T::MAX_REFERENDA {
        let proposer = account("proposer", i);
        E::fund(&proposer, T::REFERENDUM_DEPOSIT.saturating_mul(2));
        let index = crate::ReferendumCount::get();
        Call::start_referendum {
            call: T::Dispatcher::call_of_len(MIN_CALL_LEN),
        }
        .dispatch::<T>(signed(&proposer))?;
        Call::vote_referendum {
            referendum: index,
            aye: true,
            balance: T::REFERENDUM_DEPOSIT.saturating_add(Balance::from(i)),
        }
        .dispatch::<T>(signed(voter))?;
        indices.push(index);
    }
    Ok(indices)
}

/// The state and call of benchmark `call` with component `n`.
pub fn setup<T: Config, E: BenchmarkEnv>(call: &str, n: u32) -> Setup<Call>
where
    T::Dispatcher: BenchmarkCalls,
{
    let caller = account("caller", 0);
    Ok(match call {
        "set_members" => {
            let council = full_council::<T>()?;
            open_motions::<T>(&council, T::MAX_MOTIONS, &council)?;
            let new_members = (0..n).map(|i| account("new member", i)).collect();
            (Origin::Root, Call::set_members { new_members })
        }
        "propose_motion" => {
            let council = full_council::<T>()?;
            open_motions::<T>(&council, T::MAX_MOTIONS.saturating_sub(1), &[])?;
            let proposer = council.first().ok_or(BenchmarkError::UnknownBenchmark)?;
            (
                signed(proposer),
                Call::propose_motion {
                    threshold: T::MAX_MEMBERS,
                    call: T::Dispatcher::call_of_len(n),
                },
            )
        }
        "propose_cancellation" | "close_motion" => {
            let council = full_council::<T>()?;
            open_motions::<T>(&council, T::MAX_MOTIONS.saturating_sub(1), &[])?;
            let [index] = open_motions::<T>(&council, 1, &[])?[..] else {
                return Err(BenchmarkError::UnknownBenchmark);
            };
            for member in &council {
                Call::vote_motion {
                    motion: index,
                    approve: true,
                }
                .dispatch::<T>(signed(member))?;
            }
            if call == "close_motion" {
                (signed(&caller), Call::close_motion { motion: index })
            } else {
                let task = TaskCount::get();
                Call::close_motion { motion: index }.dispatch::<T>(signed(&caller))?;
                let proposer = council.first().ok_or(BenchmarkError::UnknownBenchmark)?;
                (signed(proposer), Call::propose_cancellation { task })
            }
        }
        "vote_motion" => {
            let council = full_council::<T>()?;
            let (voter, others) = council
                .split_first()
                .ok_or(BenchmarkError::UnknownBenchmark)?;
            // Everyone else has voted nay, the voter too: its vote moves to the other side.
            let mut voters = others.to_vec();
            voters.push(*voter);
            let indices = open_motions::<T>(&council, T::MAX_MOTIONS, &voters)?;
            let motion = indices.last().copied().unwrap_or_default();
            (
                signed(voter),
                Call::vote_motion {
                    motion,
                    approve: true,
                },
            )
        }
        "start_referendum" => {
            E::fund(&caller, T::REFERENDUM_DEPOSIT.saturating_mul(2));
            (
                signed(&caller),
                Call::start_referendum {
                    call: T::Dispatcher::call_of_len(n),
                },
            )
        }
        "vote_referendum" | "remove_vote" | "cancel_referendum" => {
            let indices = referenda_voted_by::<T, E>(&caller)?;
            let referendum = indices.last().copied().unwrap_or_default();
            match call {
                "vote_referendum" => (
                    signed(&caller),
                    Call::vote_referendum {
                        referendum,
                        aye: false,
                        balance: T::REFERENDUM_DEPOSIT.saturating_mul(100),
                    },
                ),
                "remove_vote" => (signed(&caller), Call::remove_vote { referendum }),
                _ => (Origin::Root, Call::cancel_referendum { referendum }),
            }
        }
        _ => return Err(BenchmarkError::UnknownBenchmark),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{new_test_ext, BenchEnv, Test};

    #[test]
    fn every_call_has_a_benchmark() {
        folio_pallet_support::benchmarking::assert_every_call_benchmarked::<Call>(&benchmarks::<
            Test,
        >());
    }

    #[test]
    fn every_benchmark_dispatches_successfully() {
        for benchmark in benchmarks::<Test>() {
            for n in benchmark.points() {
                new_test_ext().execute(|| {
                    let (origin, call) = setup::<Test, BenchEnv>(benchmark.call, n)
                        .unwrap_or_else(|e| panic!("{} ({n}): {e:?}", benchmark.call));
                    let result = call.dispatch::<Test>(origin);
                    assert!(result.is_ok(), "{} ({n}): {result:?}", benchmark.call);
                });
            }
        }
    }
}
