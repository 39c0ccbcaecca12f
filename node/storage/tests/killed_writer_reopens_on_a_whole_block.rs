//! Crash safety for real: a child process commits blocks in a loop and is SIGKILLed at random
//! moments; after each kill the database must reopen on a whole block: best header present,
//! the flat index hashing to the best header's state root and agreeing with the trie, and the
//! canonical index contiguous from genesis to best.
//!
//! The child is this test binary again, running `crash_writer` with `WRITER_DIR` set.
//! `FOLIO_CRASH_SEED=<n>` replays a run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use folio_storage::{CommitBlock, Database};
use rand::{rngs::StdRng, Rng, SeedableRng};

const WRITER_DIR: &str = "FOLIO_STORAGE_CRASH_WRITER_DIR";
const ROUNDS: usize = 24;
const KEY_SPACE: u32 = 4_000;

fn storage_key(i: u32) -> Vec<u8> {
    // Spread over the trie like hashed storage keys, with a shared prefix like a pallet's.
    let mut key = b"folio:crash:".to_vec();
    key.extend_from_slice(&blake(&i.to_le_bytes()));
    key
}

fn blake(data: &[u8]) -> [u8; 16] {
    let full = folio_primitives::crypto::native::blake2_256(data);
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// The child: commits blocks until killed. Does nothing in a normal test run.
#[test]
fn crash_writer() {
    let Ok(dir) = std::env::var(WRITER_DIR) else {
        return;
    };
    let db = Database::open(&dir).unwrap();
    if db.genesis_hash().unwrap().is_none() {
        let state: BTreeMap<_, _> = (0..KEY_SPACE / 2)
            .map(|i| (storage_key(i), i.to_le_bytes().repeat(3)))
            .collect();
        common::genesis(&db, &state);
    }
    loop {
        let best = db.best().unwrap();
        let parent = db.header(&best.hash).unwrap().unwrap();
        // Deterministic per height, so a block re-written after a kill is the same block.
        let mut rng = StdRng::seed_from_u64(u64::from(parent.number) + 1);
        let changes: BTreeMap<_, _> = (0..rng.gen_range(50..400))
            .map(|_| {
                let key = storage_key(rng.gen_range(0..KEY_SPACE));
                let change = match rng.gen_range(0..5) {
                    0 => None,
                    1 => Some(vec![rng.gen(); rng.gen_range(33..120)]),
                    _ => Some(rng.gen::<[u8; 8]>().to_vec()),
                };
                (key, change)
            })
            .collect();
        let mut block: CommitBlock = common::block(&db, &parent, changes, 0);
        block.finalized = parent.number % 5 == 4;
        db.commit_block(block).unwrap();
    }
}

fn check(dir: &Path) -> u32 {
    let db = Database::open(dir).expect("reopens after a kill");
    if db.genesis_hash().unwrap().is_none() {
        return 0; // killed before genesis was committed: an empty database is whole too
    }
    let best = db.best().unwrap();
    let header = db.header(&best.hash).unwrap().expect("best header present");
    assert_eq!(header.number, best.number);
    assert_eq!(
        db.verify_best_state().unwrap(),
        header.state_root,
        "flat index hashes to best root"
    );
    let flat = db.state_at(&best.hash).unwrap();
    let trie = db.trie_state_at(&best.hash).unwrap();
    assert!(flat.reads_flat_index() && !trie.reads_flat_index());
    for i in (0..KEY_SPACE).step_by(7) {
        let key = storage_key(i);
        assert_eq!(
            flat.try_get(&key).unwrap(),
            trie.try_get(&key).unwrap(),
            "key {i}"
        );
    }
    let mut parent = None;
    for n in 0..=best.number {
        let hash = db
            .hash_by_number(n)
            .unwrap()
            .unwrap_or_else(|| panic!("#{n} indexed"));
        let header = db.header(&hash).unwrap().expect("indexed header present");
        assert_eq!(header.number, n);
        if let Some(parent) = parent {
            assert_eq!(header.parent_hash, parent);
        }
        parent = Some(hash);
    }
    assert_eq!(parent, Some(best.hash));
    assert_eq!(db.hash_by_number(best.number + 1).unwrap(), None);
    let finalized = db.finalized().unwrap();
    assert!(finalized.number <= best.number);
    assert_eq!(
        db.hash_by_number(finalized.number).unwrap(),
        Some(finalized.hash)
    );
    best.number
}

#[test]
fn killed_writer_reopens_on_a_whole_block() {
    let seed: u64 = std::env::var("FOLIO_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("crash test seed: {seed} (FOLIO_CRASH_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut heights = Vec::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_writer", "--test-threads=1", "--nocapture"])
            .env(WRITER_DIR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..500)));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        assert!(
            status.code().is_none(),
            "round {round}: the writer stopped by itself: {status}"
        );
        let height = check(dir.path());
        println!("round {round}: reopened at #{height}");
        heights.push(height);
    }
    assert!(
        heights.windows(2).all(|w| w[0] <= w[1]),
        "best never goes back: {heights:?}"
    );
    // Only "some" progress: how many blocks fit between kills depends on the machine's load.
    assert!(
        heights.last().copied().unwrap_or(0) > 0,
        "the writer made progress: {heights:?}"
    );
}
