//! The cost of storage access that benchmarks cannot see.
//!
//! `folio-node benchmark pallet` times each call in wasm against an in-memory state, so the
//! measured time already holds the host-side work of every read and write. What it cannot see
//! is the database behind a real node's state: a cold read from disk and the cost of committing
//! a write (trie nodes and the flat index). Each generated weight adds these per distinct key
//! the call read or wrote, with the figures Substrate uses for RocksDB — upper bounds until
//! Folio measures its own database.

use folio_primitives::weight::Weight;

/// One storage read (25 µs; proof size: a trie node's worth).
pub const READ: Weight = Weight::from_parts(25_000_000, 100);
/// One storage write (100 µs).
pub const WRITE: Weight = Weight::from_parts(100_000_000, 0);

/// `reads` reads and `writes` writes.
pub const fn reads_writes(reads: u64, writes: u64) -> Weight {
    Weight::from_parts(
        READ.ref_time
            .saturating_mul(reads)
            .saturating_add(WRITE.ref_time.saturating_mul(writes)),
        READ.proof_size.saturating_mul(reads),
    )
}
