//! Throwaway measurement behind docs/decisions/0001-database.md: redb vs parity-db on Folio's
//! storage workload. Not part of the node; run with
//! `cargo run --release -p folio-storage --example db_compare --features compare-parity-db`.
//!
//! Workload: a state of `STATE_KEYS` flat entries and about 1.5 nodes per key, then blocks that
//! each write `nodes` fresh trie nodes (32-byte hash keys, 70–500-byte values), `nodes / 4`
//! flat updates, a header and a body in one batch, then random point reads of nodes and flat
//! keys. Every figure is printed as a ratio to redb's in the same run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

// A block writing N nodes touches roughly N / 4 keys (keys share their upper nodes).

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::time::{Duration, Instant};

const STATE_KEYS: usize = 150_000;
const READS: usize = 100_000;
const BLOCKS_PER_SIZE: usize = 12;

const NODES: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("nodes");
const FLAT: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("flat");
const BLOCKS: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("blocks");

struct Batch {
    nodes: Vec<([u8; 32], Vec<u8>)>,
    flat: Vec<(Vec<u8>, Vec<u8>)>,
    header: ([u8; 32], Vec<u8>),
    body: ([u8; 32], Vec<u8>),
}

fn random_batch(rng: &mut StdRng, nodes: usize, flat: usize, flat_keys: &[Vec<u8>]) -> Batch {
    let node = |rng: &mut StdRng| {
        let len = rng.gen_range(70..500);
        let value: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        (rng.gen::<[u8; 32]>(), value)
    };
    let nodes = (0..nodes).map(|_| node(rng)).collect();
    let flat = (0..flat)
        .map(|_| {
            let key = flat_keys[rng.gen_range(0..flat_keys.len())].clone();
            (
                key,
                rng.gen::<[u8; 32]>().repeat(2)[..rng.gen_range(16..64)].to_vec(),
            )
        })
        .collect();
    let body: Vec<u8> = (0..50_000).map(|_| rng.gen()).collect();
    Batch {
        nodes,
        flat,
        header: (rng.gen(), vec![7u8; 200]),
        body: (rng.gen(), body),
    }
}

trait Store {
    fn name(&self) -> &'static str;
    fn commit(&mut self, batch: &Batch);
    fn get_node(&self, key: &[u8; 32]) -> Option<Vec<u8>>;
    fn get_flat(&self, key: &[u8]) -> Option<Vec<u8>>;
    /// Makes everything durable (parity-db commits asynchronously).
    fn close(self: Box<Self>);
}

/// redb with the given quick-repair and durability settings; inserts sorted by key, as the
/// storage crate does (its batches are `BTreeMap`s).
struct Redb(redb::Database, bool, redb::Durability);

impl Store for Redb {
    fn name(&self) -> &'static str {
        match (self.1, self.2) {
            (true, _) => "redb+quick_repair",
            (false, redb::Durability::None) => "redb+Durability::None",
            _ => "redb",
        }
    }
    fn commit(&mut self, batch: &Batch) {
        let mut tx = self.0.begin_write().unwrap();
        tx.set_quick_repair(self.1);
        tx.set_durability(self.2).unwrap();
        {
            let mut nodes = tx.open_table(NODES).unwrap();
            let mut sorted: Vec<_> = batch.nodes.iter().collect();
            sorted.sort();
            for (k, v) in sorted {
                nodes.insert(&k[..], &v[..]).unwrap();
            }
            let mut flat = tx.open_table(FLAT).unwrap();
            for (k, v) in &batch.flat {
                flat.insert(&k[..], &v[..]).unwrap();
            }
            let mut blocks = tx.open_table(BLOCKS).unwrap();
            blocks
                .insert(&batch.header.0[..], &batch.header.1[..])
                .unwrap();
            blocks.insert(&batch.body.0[..], &batch.body.1[..]).unwrap();
        }
        tx.commit().unwrap();
    }
    fn get_node(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        use redb::ReadableDatabase;
        let tx = self.0.begin_read().unwrap();
        let t = tx.open_table(NODES).unwrap();
        t.get(&key[..]).unwrap().map(|v| v.value().to_vec())
    }
    fn get_flat(&self, key: &[u8]) -> Option<Vec<u8>> {
        use redb::ReadableDatabase;
        let tx = self.0.begin_read().unwrap();
        let t = tx.open_table(FLAT).unwrap();
        t.get(key).unwrap().map(|v| v.value().to_vec())
    }
    fn close(self: Box<Self>) {}
}

struct ParityDb(parity_db::Db);

impl Store for ParityDb {
    fn name(&self) -> &'static str {
        "parity-db"
    }
    fn commit(&mut self, batch: &Batch) {
        let tx = batch
            .nodes
            .iter()
            .map(|(k, v)| (0u8, k.to_vec(), Some(v.clone())))
            .chain(
                batch
                    .flat
                    .iter()
                    .map(|(k, v)| (1u8, k.clone(), Some(v.clone()))),
            )
            .chain(std::iter::once((
                2u8,
                batch.header.0.to_vec(),
                Some(batch.header.1.clone()),
            )))
            .chain(std::iter::once((
                2u8,
                batch.body.0.to_vec(),
                Some(batch.body.1.clone()),
            )));
        self.0.commit(tx).unwrap();
    }
    fn get_node(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        self.0.get(0, key).unwrap()
    }
    fn get_flat(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(1, key).unwrap()
    }
    fn close(self: Box<Self>) {
        drop(self.0);
    }
}

fn open_parity(path: &std::path::Path) -> ParityDb {
    let mut options = parity_db::Options::with_columns(path, 3);
    options.columns[0].uniform = true;
    options.columns[0].preimage = true;
    options.columns[1].btree_index = true; // ordered: next_key on the flat state
    ParityDb(parity_db::Db::open_or_create(&options).unwrap())
}

struct Figures {
    fill: Duration,
    commits: Vec<(usize, Duration)>,
    close: Duration,
    node_reads: Duration,
    flat_reads: Duration,
    size: u64,
}

fn dir_size(path: &std::path::Path) -> u64 {
    if path.is_file() {
        return path.metadata().map(|m| m.len()).unwrap_or(0);
    }
    std::fs::read_dir(path)
        .map(|d| d.flatten().map(|e| dir_size(&e.path())).sum())
        .unwrap_or(0)
}

fn run(mut store: Box<dyn Store>, path: &std::path::Path, seed: u64) -> Figures {
    let mut rng = StdRng::seed_from_u64(seed);
    let flat_keys: Vec<Vec<u8>> = (0..STATE_KEYS)
        .map(|_| (0..rng.gen_range(48..80)).map(|_| rng.gen()).collect())
        .collect();
    // Fill: the state as ten large blocks.
    let start = Instant::now();
    let mut node_keys = Vec::new();
    for chunk in flat_keys.chunks(STATE_KEYS / 10) {
        let mut batch = random_batch(&mut rng, chunk.len() * 3 / 2, 0, &flat_keys);
        batch.flat = chunk.iter().map(|k| (k.clone(), vec![1u8; 40])).collect();
        node_keys.extend(batch.nodes.iter().map(|(k, _)| *k));
        store.commit(&batch);
    }
    let fill = start.elapsed();

    let mut commits = Vec::new();
    for nodes in [2_000usize, 5_000, 10_000] {
        let batches: Vec<Batch> = (0..BLOCKS_PER_SIZE)
            .map(|_| random_batch(&mut rng, nodes, nodes / 4, &flat_keys))
            .collect();
        let start = Instant::now();
        for batch in &batches {
            store.commit(batch);
            node_keys.extend(batch.nodes.iter().map(|(k, _)| *k));
        }
        commits.push((nodes, start.elapsed() / BLOCKS_PER_SIZE as u32));
    }
    // Point reads: existing nodes and existing flat keys.
    let start = Instant::now();
    for _ in 0..READS {
        let key = node_keys[rng.gen_range(0..node_keys.len())];
        assert!(store.get_node(&key).is_some());
    }
    let node_reads = start.elapsed();
    let start = Instant::now();
    for _ in 0..READS {
        let key = &flat_keys[rng.gen_range(0..flat_keys.len())];
        assert!(store.get_flat(key).is_some());
    }
    let flat_reads = start.elapsed();
    let start = Instant::now();
    store.close();
    let close = start.elapsed();
    Figures {
        fill,
        commits,
        close,
        node_reads,
        flat_reads,
        size: dir_size(path),
    }
}

fn main() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(42);
    println!(
        "seed {seed}, state {STATE_KEYS} keys, {BLOCKS_PER_SIZE} blocks per size, {READS} reads"
    );
    let mut results = Vec::new();
    for which in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let (store, path): (Box<dyn Store>, std::path::PathBuf) = match which {
            0 => {
                let path = dir.path().join("db.redb");
                let db = redb::Database::create(&path).unwrap();
                (Box::new(Redb(db, false, redb::Durability::Immediate)), path)
            }
            1 => {
                let path = dir.path().join("db.redb");
                let db = redb::Database::create(&path).unwrap();
                (Box::new(Redb(db, true, redb::Durability::Immediate)), path)
            }
            2 => {
                let path = dir.path().join("db.redb");
                let db = redb::Database::create(&path).unwrap();
                (Box::new(Redb(db, false, redb::Durability::None)), path)
            }
            _ => (Box::new(open_parity(dir.path())), dir.path().to_path_buf()),
        };
        let name = store.name();
        let figures = run(store, &path, seed);
        // Reopen time (recovery path after a clean close).
        let start = Instant::now();
        match which {
            0..=2 => drop(redb::Database::open(&path).unwrap()),
            _ => drop(open_parity(&path)),
        }
        let reopen = start.elapsed();
        results.push((name, figures, reopen));
    }
    let base = &results[0].1;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    for (name, f, reopen) in &results {
        println!("== {name}");
        println!("  fill: {:?} (x{:.2})", f.fill, ratio(f.fill, base.fill));
        for ((nodes, d), (_, b)) in f.commits.iter().zip(&base.commits) {
            println!(
                "  commit {nodes} nodes: {d:?}/block (x{:.2})",
                ratio(*d, *b)
            );
        }
        println!("  close/flush: {:?}", f.close);
        println!(
            "  node reads: {:?} (x{:.2}), flat reads: {:?} (x{:.2})",
            f.node_reads / READS as u32,
            ratio(f.node_reads, base.node_reads),
            f.flat_reads / READS as u32,
            ratio(f.flat_reads, base.flat_reads)
        );
        println!("  size on disk: {} MiB, reopen: {reopen:?}", f.size >> 20);
    }
}
