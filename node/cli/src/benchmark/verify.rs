//! The floor: how fast this machine verifies sr25519 signatures, one by one and in batches, on
//! one core and on all of them. A signed transfer cannot be processed faster than its signature
//! is checked, so every throughput figure is reported as a share of these rates.

use crate::cli::VerifyArgs;
use folio_primitives::crypto::native::{sr25519_verify, sr25519_verify_batch};
use folio_primitives::keyring::Sr25519Pair;
use std::time::Instant;

/// Signatures per batch, as a block import batches them per worker.
const BATCH: usize = 1_000;

/// A signed message: signature, message, public key.
struct Signed {
    signature: [u8; 64],
    message: Vec<u8>,
    public: [u8; 32],
}

/// Verification rates in signatures per second.
#[derive(Clone, Copy, Debug)]
pub struct VerifyRates {
    pub single_one_core: f64,
    pub batched_one_core: f64,
    pub single_all_cores: f64,
    pub batched_all_cores: f64,
    pub cores: usize,
}

impl VerifyRates {
    /// Prints the rates as one block of lines.
    pub fn print(&self) {
        println!("sr25519 verification (signatures/s, this machine, this run):");
        println!(
            "  one core:        single {:>9.0}   batched {:>9.0}",
            self.single_one_core, self.batched_one_core
        );
        println!(
            "  all {} cores:     single {:>9.0}   batched {:>9.0}",
            self.cores, self.single_all_cores, self.batched_all_cores
        );
    }
}

fn signed_messages(count: usize) -> anyhow::Result<Vec<Signed>> {
    let keys = (0..64u8)
        .map(|i| Sr25519Pair::from_seed(&[i.wrapping_add(1); 32]))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("deriving keys: {e:?}"))?;
    Ok(keys
        .iter()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(i, key)| {
            // About the size of a transfer's signing payload.
            let mut message = (i as u64).to_le_bytes().to_vec();
            message.resize(120, 0);
            Signed {
                signature: key.sign(&message),
                message,
                public: key.public(),
            }
        })
        .collect())
}

fn verify_single(items: &[Signed]) -> bool {
    items
        .iter()
        .all(|s| sr25519_verify(&s.signature, &s.message, &s.public))
}

fn verify_batched(items: &[Signed]) -> bool {
    items.chunks(BATCH).all(|chunk| {
        let refs: Vec<_> = chunk
            .iter()
            .map(|s| (&s.signature, s.message.as_slice(), &s.public))
            .collect();
        sr25519_verify_batch(&refs)
    })
}

/// Signatures per second of `verify` over `items`, split across `threads` threads.
fn rate(items: &[Signed], threads: usize, verify: fn(&[Signed]) -> bool) -> anyhow::Result<f64> {
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    let started = Instant::now();
    let all_valid = std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || verify(part)))
            .collect();
        workers.into_iter().all(|w| w.join().unwrap_or(false))
    });
    let elapsed = started.elapsed().as_secs_f64();
    anyhow::ensure!(all_valid, "a benchmark signature did not verify");
    Ok(items.len() as f64 / elapsed.max(1e-9))
}

/// Measures the four rates over `signatures` signatures each.
pub fn measure(signatures: usize) -> anyhow::Result<VerifyRates> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let items = signed_messages(signatures.max(BATCH))?;
    Ok(VerifyRates {
        single_one_core: rate(&items, 1, verify_single)?,
        batched_one_core: rate(&items, 1, verify_batched)?,
        single_all_cores: rate(&items, cores, verify_single)?,
        batched_all_cores: rate(&items, cores, verify_batched)?,
        cores,
    })
}

pub fn run(args: &VerifyArgs) -> anyhow::Result<()> {
    let signatures = if args.smoke { BATCH } else { args.signatures };
    measure(signatures)?.print();
    Ok(())
}
