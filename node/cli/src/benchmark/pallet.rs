//! `folio-node benchmark pallet`: measures every dispatchable in wasm and writes each pallet's
//! `weights.rs`.
//!
//! For each benchmark the runtime lists (`FolioBenchmark_list`), at each end of its component:
//! the runtime's setup runs once over the dev genesis (`FolioBenchmark_setup`), its changes are
//! committed to an in-memory backend, and then `repeat` times, each time over a fresh overlay
//! on that same state, `FolioBenchmark_dispatch` is timed through the executor while a
//! wrapper around the externalities counts the distinct keys read and written. The median of
//! an empty dispatch (same instantiation and entry, nothing to run) is subtracted from the
//! median of each. The weight is that time plus `READ`/`WRITE` per key (what the in-memory
//! state cannot show: the database). `base_extrinsic` (applying a signed extrinsic beyond its
//! call) and `base_block` (an empty block) are measured the same way and printed for the
//! runtime's block limits (docs/benchmarks.md, "Measured weights").

use crate::cli::PalletArgs;
use anyhow::{bail, Context};
use folio_executor::{Executor, ExecutorConfig, RuntimeCode};
use folio_primitives::externalities::{
    apply_changes, InMemoryBackend, KeyCounting, Overlay, OverlayedExt, RuntimeVersionReader,
};
use folio_primitives::hash::H256;
use folio_runtime::benchmarks::{client, BenchmarkListing, PENDING};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// Repetitions in `--smoke` mode: enough to exercise every path, too few to mean anything.
const SMOKE_REPEAT: u32 = 2;

/// The generator keeps everything after this line of an existing `weights.rs` (hand-set
/// weights of hooks and bounds that no benchmark measures).
pub const HAND_SET_MARKER: &str =
    "// ---- Hand-set below: not measured, kept by the generator ----";

type State = BTreeMap<Vec<u8>, Vec<u8>>;
/// Keys whose access a call is not charged for (the runtime names them at setup).
type Whitelist = BTreeSet<Vec<u8>>;

/// One measurement point: a benchmark at one value of its component.
#[derive(Clone, Debug)]
pub struct Point {
    pub n: u32,
    /// Median time of the dispatch, the baseline not yet subtracted.
    pub raw: Duration,
    /// The same minus the median of the empty dispatches timed beside it.
    pub time: Duration,
    pub reads: u64,
    pub writes: u64,
}

/// A benchmark's measurements.
#[derive(Clone, Debug)]
pub struct Measured {
    pub listing: BenchmarkListing,
    pub points: Vec<Point>,
}

/// Everything one run measured.
#[derive(Clone, Debug)]
pub struct Report {
    pub repeat: u32,
    pub baseline: Duration,
    pub benchmarks: Vec<Measured>,
    /// Applying a signed `System.remark([])` minus the remark's own dispatch, and the distinct
    /// keys it reads and writes beyond the event log.
    pub base_extrinsic: Duration,
    pub base_extrinsic_reads: u64,
    pub base_extrinsic_writes: u64,
    /// Initialising an empty block, its timestamp inherent and finalising it.
    pub base_block: Duration,
}

pub fn run(args: &PalletArgs) -> anyhow::Result<()> {
    let report = measure(args)?;
    print!("{}", render_table(&report));
    if args.dry_run || args.smoke {
        return Ok(());
    }
    for (folder, file) in render_files(&report, &machine(), &today())? {
        let path = args
            .workspace
            .join("pallets")
            .join(&folder)
            .join("src/weights.rs");
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, with_hand_set_tail(&file, &existing))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if args.pallet.is_none() {
        let path = args.workspace.join("runtime/src/block_weights.rs");
        std::fs::write(&path, render_block_weights(&report, &machine(), &today()))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Runs every benchmark (or those of `args.pallet`).
pub fn measure(args: &PalletArgs) -> anyhow::Result<Report> {
    let repeat = if args.smoke {
        SMOKE_REPEAT
    } else {
        args.repeat.max(1)
    };
    let wasm = folio_runtime::WASM_BINARY.context("the runtime was built without its wasm")?;
    let code = RuntimeCode::new(wasm.to_vec());
    let executor = Executor::new(ExecutorConfig::default())?;
    let mut genesis = crate::specs::genesis_storage(&crate::specs::load("dev")?, &executor)?;
    let candidate = candidate_code(args)?;
    if let Some(candidate) = &candidate {
        genesis.insert(client::CANDIDATE_CODE.to_vec(), candidate.clone());
    }
    let genesis = InMemoryBackend(genesis);
    let bench = Bench {
        executor,
        code,
        repeat,
    };

    let listed = bench.call_once(
        &genesis,
        &mut Overlay::default(),
        "FolioBenchmark_list",
        &[],
    )?;
    let listings = client::decode_list(&listed).context("FolioBenchmark_list does not decode")?;
    let listings: Vec<_> = listings
        .into_iter()
        .filter(|l| args.pallet.as_deref().is_none_or(|p| p == l.pallet))
        .collect();
    let upgrades_listed = listings.iter().any(needs_candidate);
    // Only a run that writes System's weights needs the candidate: `--pallet Invoices` does not.
    if candidate.is_none() && upgrades_listed && !(args.dry_run || args.smoke) {
        bail!(
            "System.set_code and apply_authorized_upgrade need a candidate runtime to write \
             weights: pass --candidate-wasm <file> or build with --features upgrade-test-runtime"
        );
    }
    let listings: Vec<_> = listings
        .into_iter()
        .filter(|l| candidate.is_some() || !needs_candidate(l))
        .collect();
    if candidate.is_none() && upgrades_listed {
        println!(
            "System.set_code and apply_authorized_upgrade skipped: no candidate runtime \
             (--candidate-wasm, or the upgrade-test-runtime feature)"
        );
    }
    if listings.is_empty() {
        bail!("no benchmarks for pallet {:?}", args.pallet);
    }

    let baseline = bench
        .time_dispatch(&genesis, &genesis, &Whitelist::new())?
        .0;
    let mut benchmarks = Vec::new();
    for listing in listings {
        let ends = match &listing.component {
            Some((_, min, max)) if min < max => vec![*min, *max],
            Some((_, min, _)) => vec![*min],
            None => vec![0],
        };
        let mut points = Vec::new();
        for n in ends {
            let (state, whitelist) = bench
                .setup(&genesis, &listing, n)
                .with_context(|| format!("{}::{} (n = {n})", listing.pallet, listing.call))?;
            let (raw, base, reads, writes) = bench
                .time_dispatch(&state, &genesis, &whitelist)
                .with_context(|| format!("{}::{} (n = {n})", listing.pallet, listing.call))?;
            points.push(Point {
                n,
                raw,
                time: raw.saturating_sub(base),
                reads,
                writes,
            });
        }
        benchmarks.push(Measured { listing, points });
    }

    let remark_time = benchmarks
        .iter()
        .find(|m| m.listing.pallet == "System" && m.listing.call == "remark")
        .and_then(|m| m.points.first())
        .map_or(Duration::ZERO, |p| p.time);
    // A fresh baseline: the one from the start may be minutes old on a busy machine.
    let baseline_now = bench
        .time_dispatch(&genesis, &genesis, &Whitelist::new())?
        .0;
    let overheads = bench.block_overheads(&genesis, baseline_now)?;
    Ok(Report {
        repeat,
        baseline,
        benchmarks,
        base_extrinsic: overheads.extrinsic.saturating_sub(remark_time),
        base_extrinsic_reads: overheads.extrinsic_reads,
        base_extrinsic_writes: overheads.extrinsic_writes,
        base_block: overheads.block,
    })
}

/// The candidate runtime for the upgrade benchmarks: `--candidate-wasm`, else the one linked in.
fn candidate_code(args: &PalletArgs) -> anyhow::Result<Option<Vec<u8>>> {
    match &args.candidate_wasm {
        Some(path) => std::fs::read(path)
            .map(Some)
            .with_context(|| format!("reading the candidate runtime {}", path.display())),
        None => Ok(folio_runtime::WASM_BINARY_UPGRADE_TEST.map(<[u8]>::to_vec)),
    }
}

/// The benchmarks that upgrade the runtime and so need a candidate.
fn needs_candidate(listing: &BenchmarkListing) -> bool {
    listing.pallet == "System"
        && ["set_code", "apply_authorized_upgrade"].contains(&listing.call.as_str())
}

/// What [`Bench::block_overheads`] measures.
struct Overheads {
    extrinsic: Duration,
    extrinsic_reads: u64,
    extrinsic_writes: u64,
    block: Duration,
}

struct Bench {
    executor: Executor,
    code: RuntimeCode,
    repeat: u32,
}

/// Reads candidate versions with a fresh executor each time, so `set_code`'s benchmark pays
/// for compiling the candidate on every repetition, as a chain would once.
fn uncached_version_reader() -> RuntimeVersionReader {
    Box::new(|code: &[u8]| {
        Executor::new(ExecutorConfig::default())
            .ok()?
            .runtime_version(code)
            .ok()
    })
}

impl Bench {
    fn call_once(
        &self,
        backend: &InMemoryBackend,
        overlay: &mut Overlay,
        method: &str,
        input: &[u8],
    ) -> anyhow::Result<Vec<u8>> {
        let reader = uncached_version_reader();
        let mut ext = OverlayedExt::new(backend, overlay, Some(&reader));
        Ok(self
            .executor
            .call_code(&self.code, method, input, &mut ext)?)
    }

    /// The state after the benchmark's setup, committed, and the keys not to count.
    fn setup(
        &self,
        genesis: &InMemoryBackend,
        listing: &BenchmarkListing,
        n: u32,
    ) -> anyhow::Result<(InMemoryBackend, Whitelist)> {
        let mut overlay = Overlay::default();
        let input = client::setup_input(&listing.pallet, &listing.call, n);
        let out = self.call_once(genesis, &mut overlay, "FolioBenchmark_setup", &input)?;
        let whitelist = match client::decode_setup(&out) {
            Some(Ok(keys)) => keys.into_iter().collect(),
            Some(Err(error)) => bail!("setup failed: {error:?}"),
            None => bail!("FolioBenchmark_setup's answer does not decode"),
        };
        Ok((commit(genesis, overlay), whitelist))
    }

    /// Median time, distinct reads and writes of `FolioBenchmark_dispatch` over `state`.
    ///
    /// Each repetition first times an empty dispatch over `empty` (a state with nothing
    /// pending), so the baseline is measured in the same moments as the call and drifts of
    /// a shared machine cancel out. Returns `(call, baseline, reads, writes)`.
    fn time_dispatch(
        &self,
        state: &InMemoryBackend,
        empty: &InMemoryBackend,
        whitelist: &Whitelist,
    ) -> anyhow::Result<(Duration, Duration, u64, u64)> {
        let mut times = Vec::new();
        let mut baselines = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..self.repeat {
            let mut overlay = Overlay::default();
            let start = Instant::now();
            self.call_once(empty, &mut overlay, "FolioBenchmark_dispatch", &[])?;
            baselines.push(start.elapsed());
            let mut overlay = Overlay::default();
            let reader = uncached_version_reader();
            let mut inner = OverlayedExt::new(state, &mut overlay, Some(&reader));
            let mut ext = KeyCounting::new(&mut inner, whitelist, PENDING);
            let start = Instant::now();
            let out =
                self.executor
                    .call_code(&self.code, "FolioBenchmark_dispatch", &[], &mut ext)?;
            times.push(start.elapsed());
            counts = ext.counts();
            match client::decode_dispatch(&out) {
                Some(Some(Ok(()))) | Some(None) => {}
                Some(Some(Err(error))) => bail!("the benchmarked call failed: {error:?}"),
                None => bail!("FolioBenchmark_dispatch's answer does not decode"),
            }
        }
        Ok((
            median(&mut times),
            median(&mut baselines),
            counts.0,
            counts.1,
        ))
    }

    /// Applying a signed empty remark, and an empty block, each minus the baseline per call.
    fn block_overheads(
        &self,
        genesis: &InMemoryBackend,
        baseline: Duration,
    ) -> anyhow::Result<Overheads> {
        let parent = H256([0x42; 32]);
        let header = client::header(1, parent);
        let inherent = client::timestamp_inherent(6_000);
        let mut block_times = Vec::new();
        let mut after_inherent = None;
        for _ in 0..self.repeat {
            let mut overlay = Overlay::default();
            let mut total = Duration::ZERO;
            for (method, input) in [
                ("Core_initialize_block", header.as_slice()),
                ("BlockBuilder_apply_extrinsic", inherent.as_slice()),
            ] {
                let start = Instant::now();
                let out = self.call_once(genesis, &mut overlay, method, input)?;
                total += start.elapsed().saturating_sub(baseline);
                if method == "BlockBuilder_apply_extrinsic" && !client::applied_ok(&out) {
                    bail!("the timestamp inherent did not apply");
                }
            }
            let mid_block = overlay.clone();
            let start = Instant::now();
            self.call_once(genesis, &mut overlay, "BlockBuilder_finalize_block", &[])?;
            total += start.elapsed().saturating_sub(baseline);
            block_times.push(total);
            after_inherent = Some(commit(genesis, mid_block));
        }
        let state = after_inherent.context("no repetition ran")?;
        let remark = client::signed_empty_remark(parent, 0);
        let whitelist: Whitelist = client::extrinsic_whitelist().into_iter().collect();
        let mut xt_times = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..self.repeat {
            let mut overlay = Overlay::default();
            let reader = uncached_version_reader();
            let mut inner = OverlayedExt::new(&state, &mut overlay, Some(&reader));
            let mut ext = KeyCounting::new(&mut inner, &whitelist, PENDING);
            let start = Instant::now();
            let out = self.executor.call_code(
                &self.code,
                "BlockBuilder_apply_extrinsic",
                &remark,
                &mut ext,
            )?;
            xt_times.push(start.elapsed().saturating_sub(baseline));
            counts = ext.counts();
            if !client::applied_ok(&out) {
                bail!("the signed remark did not apply");
            }
        }
        Ok(Overheads {
            extrinsic: median(&mut xt_times),
            extrinsic_reads: counts.0,
            extrinsic_writes: counts.1,
            block: median(&mut block_times),
        })
    }
}

fn commit(base: &InMemoryBackend, mut overlay: Overlay) -> InMemoryBackend {
    let mut state: State = base.0.clone();
    apply_changes(&mut state, overlay.drain());
    InMemoryBackend(state)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// `1234567` → `1_234_567`, as rustfmt and clippy like literals.
fn literal(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
}

fn picos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos().saturating_mul(1_000)).unwrap_or(u64::MAX)
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `(base, slope)` of a linear fit through the two ends (slope rounded up for counts).
fn fit(points: &[Point], value: impl Fn(&Point) -> u64, round_up: bool) -> (u64, u64) {
    match points {
        [lo, hi, ..] if hi.n > lo.n => {
            let span = u64::from(hi.n - lo.n);
            let rise = value(hi).saturating_sub(value(lo));
            let slope = if round_up {
                rise.div_ceil(span)
            } else {
                rise / span
            };
            (
                value(lo).saturating_sub(slope.saturating_mul(u64::from(lo.n))),
                slope,
            )
        }
        [only, ..] => (value(only), 0),
        [] => (0, 0),
    }
}

/// The printed table: one line per measured point.
pub fn render_table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "benchmark pallet: {} repetitions, empty-dispatch baseline {:.1} µs at the start (each \
         call's own, timed beside it, is subtracted)",
        report.repeat,
        micros(report.baseline)
    );
    let _ = writeln!(
        out,
        "{:<14} {:<30} {:>8} {:>12} {:>12} {:>6} {:>6}",
        "pallet", "call", "n", "raw µs", "time µs", "reads", "writes"
    );
    for m in &report.benchmarks {
        for p in &m.points {
            let _ = writeln!(
                out,
                "{:<14} {:<30} {:>8} {:>12.2} {:>12.2} {:>6} {:>6}",
                m.listing.pallet,
                m.listing.call,
                p.n,
                micros(p.raw),
                micros(p.time),
                p.reads,
                p.writes
            );
        }
    }
    let _ = writeln!(
        out,
        "base_extrinsic {:.2} µs, reads {}, writes {} (a signed extrinsic applied, beyond its call)",
        micros(report.base_extrinsic),
        report.base_extrinsic_reads,
        report.base_extrinsic_writes
    );
    let _ = writeln!(
        out,
        "base_block {:.2} µs (initialise, timestamp inherent, finalise an empty block)",
        micros(report.base_block)
    );
    out
}

/// `(pallet folder, weights.rs text)` for every pallet in the report.
pub fn render_files(
    report: &Report,
    machine: &str,
    date: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut by_folder: BTreeMap<&str, (&str, Vec<&Measured>)> = BTreeMap::new();
    for m in &report.benchmarks {
        by_folder
            .entry(m.listing.folder.as_str())
            .or_insert_with(|| (m.listing.pallet.as_str(), Vec::new()))
            .1
            .push(m);
    }
    let mut files = Vec::new();
    for (folder, (pallet, measured)) in by_folder {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "//! Weights of the {pallet} pallet's calls, measured in wasm.\n\
             //!\n\
             //! GENERATED by `folio-node benchmark pallet` (`cargo run --release -p folio-node --\n\
             //! benchmark pallet`): edit only below the hand-set marker, if there is one.\n\
             //! Machine: {machine}.\n\
             //! Date: {date}. Repetitions: {} (median kept).\n\
             //!\n\
             //! Each weight: the median dispatch time in wasm minus an empty dispatch's, plus\n\
             //! `READ`/`WRITE` per distinct storage key read/written (the database cost the in-memory\n\
             //! measurement cannot see). Calls with a component weigh `base + slope × n`, fitted\n\
             //! through its two ends. See docs/benchmarks.md, \"Measured weights\".\n",
            report.repeat
        );
        let _ = writeln!(out, "use folio_pallet_support::prelude::*;");
        let _ = writeln!(out, "use folio_pallet_support::weights::reads_writes;");
        for m in measured {
            out.push('\n');
            out.push_str(&render_fn(m));
        }
        files.push((folder.to_string(), out));
    }
    Ok(files)
}

/// `runtime/src/block_weights.rs`: the measured overheads the runtime's block limits use.
pub fn render_block_weights(report: &Report, machine: &str, date: &str) -> String {
    format!(
        "//! The overheads of a block and of an extrinsic, measured in wasm.\n\
         //!\n\
         //! GENERATED by `folio-node benchmark pallet` (`cargo run --release -p folio-node --\n\
         //! benchmark pallet`). Machine: {machine}.\n\
         //! Date: {date}. Repetitions: {repeat} (median kept).\n\
         //! How the block limits follow from them: docs/benchmarks.md, \"Measured weights\".\n\
         \n\
         use folio_pallet_support::weights::reads_writes;\n\
         use folio_primitives::weight::Weight;\n\
         \n\
         /// Applying a signed extrinsic beyond its call (decoding, the signature check, nonce, fee\n\
         /// withdrawal and settlement, events): {xt:.2} µs; reads {r}, writes {w}.\n\
         pub const EXTRINSIC_BASE_WEIGHT: Weight =\n    \
         Weight::from_parts({xt_ps}, 0).saturating_add(reads_writes({r}, {w}));\n\
         \n\
         /// An empty block: initialising it, its timestamp inherent and finalising it (the state\n\
         /// root included): {block:.2} µs.\n\
         pub const BLOCK_BASE_WEIGHT: Weight = Weight::from_parts({block_ps}, 0);\n",
        repeat = report.repeat,
        xt = micros(report.base_extrinsic),
        xt_ps = literal(picos(report.base_extrinsic)),
        r = report.base_extrinsic_reads,
        w = report.base_extrinsic_writes,
        block = micros(report.base_block),
        block_ps = literal(picos(report.base_block)),
    )
}

fn render_fn(m: &Measured) -> String {
    let (time, time_slope) = fit(&m.points, |p| picos(p.time), false);
    let (reads, read_slope) = fit(&m.points, |p| p.reads, true);
    let (writes, write_slope) = fit(&m.points, |p| p.writes, true);
    let call = &m.listing.call;
    let mut out = String::new();
    match &m.listing.component {
        Some((name, min, max)) => {
            let _ = writeln!(
                out,
                "/// `{call}`: {:.2} µs + {:.4} µs per `{name}` ({min}..={max}); reads {reads} + \
                 {read_slope}/`{name}`, writes {writes} + {write_slope}/`{name}`.",
                time as f64 / 1e6,
                time_slope as f64 / 1e6,
            );
            let _ = writeln!(out, "pub fn {call}({name}: u32) -> Weight {{");
            let _ = writeln!(out, "    let {name} = u64::from({name});");
            let _ = writeln!(out, "    Weight::from_parts({}, 0)", literal(time));
            let _ = writeln!(
                out,
                "        .saturating_add(Weight::from_parts({}, 0).saturating_mul({name}))",
                literal(time_slope)
            );
            let _ = writeln!(
                out,
                "        .saturating_add(reads_writes({reads}, {writes}))"
            );
            let _ = writeln!(
                out,
                "        .saturating_add(reads_writes({read_slope}, {write_slope}).saturating_mul({name}))"
            );
            let _ = writeln!(out, "}}");
        }
        None => {
            let _ = writeln!(
                out,
                "/// `{call}`: {:.2} µs; reads {reads}, writes {writes}.",
                time as f64 / 1e6
            );
            let _ = writeln!(out, "pub fn {call}() -> Weight {{");
            let _ = writeln!(
                out,
                "    Weight::from_parts({}, 0).saturating_add(reads_writes({reads}, {writes}))",
                literal(time)
            );
            let _ = writeln!(out, "}}");
        }
    }
    out
}

/// The generated text followed by the hand-set tail of the existing file, if it has one.
pub fn with_hand_set_tail(generated: &str, existing: &str) -> String {
    match existing.find(HAND_SET_MARKER) {
        Some(at) => format!("{generated}\n{}", &existing[at..]),
        None => generated.to_string(),
    }
}

/// The CPU model and core count, for the generated header.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} cores")
}

/// Today's UTC date as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smoke_args() -> PalletArgs {
        PalletArgs {
            pallet: None,
            repeat: 1,
            workspace: ".".into(),
            dry_run: true,
            smoke: true,
            candidate_wasm: None,
        }
    }

    /// CI's smoke run: the real command path, every benchmark of every pallet, no files and
    /// no timing asserted beyond "something was measured".
    #[test]
    fn smoke_run_measures_every_dispatchable_of_every_pallet() {
        let report = measure(&smoke_args()).unwrap();
        let table = render_table(&report);
        assert_eq!(
            report.benchmarks.len(),
            folio_runtime::benchmarks::list().len()
        );
        for (pallet, _) in folio_runtime::benchmarks::PALLETS {
            assert!(
                report
                    .benchmarks
                    .iter()
                    .any(|m| m.listing.pallet == *pallet),
                "{pallet} has no benchmarks"
            );
        }
        for m in &report.benchmarks {
            assert!(
                table.contains(&m.listing.call),
                "{} missing from the output",
                m.listing.call
            );
            for p in &m.points {
                assert!(
                    p.raw > Duration::ZERO,
                    "{}::{}",
                    m.listing.pallet,
                    m.listing.call
                );
            }
        }
        assert!(report.base_extrinsic > Duration::ZERO);
        assert!(report.base_block > Duration::ZERO);
        let block = render_block_weights(&report, "test machine", "2000-01-01");
        assert!(block.contains("pub const EXTRINSIC_BASE_WEIGHT"));
        assert!(block.contains("pub const BLOCK_BASE_WEIGHT"));
        let files = render_files(&report, "test machine", "2000-01-01").unwrap();
        assert_eq!(files.len(), folio_runtime::benchmarks::PALLETS.len());
    }

    #[test]
    fn hand_set_tail_survives_regeneration() {
        let existing = format!("old generated\n{HAND_SET_MARKER}\npub fn hook() {{}}\n");
        let new = with_hand_set_tail("new generated\n", &existing);
        assert!(new.starts_with("new generated\n"));
        assert!(new.ends_with(&format!("{HAND_SET_MARKER}\npub fn hook() {{}}\n")));
        assert_eq!(with_hand_set_tail("only\n", "no marker"), "only\n");
    }

    #[test]
    fn linear_fit_goes_through_both_ends() {
        let point = |n, micros: u64, reads| Point {
            n,
            raw: Duration::from_micros(micros),
            time: Duration::from_micros(micros),
            reads,
            writes: 0,
        };
        let points = [point(1, 12, 3), point(101, 212, 204)];
        assert_eq!(
            fit(&points, |p| picos(p.time), false),
            (10_000_000, 2_000_000)
        );
        // The slope of counts rounds up, so the fit stays above both ends.
        let (base, slope) = fit(&points, |p| p.reads, true);
        assert_eq!((base, slope), (0, 3));
        assert!(base + slope >= 3 && base + slope * 101 >= 204);
        assert_eq!(today().len(), 10);
        assert_eq!(literal(1_234_567), "1_234_567");
        assert_eq!(literal(123), "123");
    }
}
