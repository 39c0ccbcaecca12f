//! Forwards the runtime's log lines (`ext_logging_log_v1`) to `tracing` under the target
//! `runtime::<target>`, so `RUST_LOG=runtime::bills=debug` filters them like node logs.
//!
//! `tracing` targets are normally fixed at compile time; the runtime's are strings known only
//! when it logs. Each distinct (target, level) pair therefore gets one leaked, registered
//! callsite. The set is capped, so a runtime logging under ever-new targets costs at most
//! [`MAX_CALLSITES`] small allocations; beyond the cap lines go to the target `runtime` with the
//! runtime's target as a field.

use folio_primitives::io::LogLevel;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use tracing::callsite::{Callsite, Identifier};
use tracing::field::{FieldSet, Value};
use tracing::metadata::Kind;
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata};

/// How many (target, level) callsites may be created.
const MAX_CALLSITES: usize = 256;

const FIELDS: &[&str] = &["message"];

/// A callsite created at run time for one runtime target and level.
struct RuntimeCallsite {
    metadata: OnceLock<Metadata<'static>>,
}

impl Callsite for RuntimeCallsite {
    // Runtime log lines are rare enough that asking the subscriber each time is fine.
    fn set_interest(&self, _interest: Interest) {}

    // The callsite is registered only after its metadata is set (`callsite`), so this
    // cannot fail on any input; `Callsite` leaves no way to return an error.
    #[allow(clippy::expect_used)]
    fn metadata(&self) -> &Metadata<'_> {
        self.metadata
            .get()
            .expect("metadata is set before the callsite is shared")
    }
}

fn level_of(level: LogLevel) -> Level {
    match level {
        LogLevel::Error => Level::ERROR,
        LogLevel::Warn => Level::WARN,
        LogLevel::Info => Level::INFO,
        LogLevel::Debug => Level::DEBUG,
        LogLevel::Trace => Level::TRACE,
    }
}

/// The callsite for `runtime::<target>` at `level`, or `None` once the cap is reached.
fn callsite(target: &str, level: Level) -> Option<&'static RuntimeCallsite> {
    static CALLSITES: OnceLock<Mutex<BTreeMap<(String, Level), &'static RuntimeCallsite>>> =
        OnceLock::new();
    let mut callsites = CALLSITES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let key = (target.to_owned(), level);
    if let Some(callsite) = callsites.get(&key) {
        return Some(callsite);
    }
    if callsites.len() >= MAX_CALLSITES {
        return None;
    }
    let callsite: &'static RuntimeCallsite = Box::leak(Box::new(RuntimeCallsite {
        metadata: OnceLock::new(),
    }));
    let full_target: &'static str = Box::leak(format!("runtime::{target}").into_boxed_str());
    let metadata = Metadata::new(
        "runtime log",
        full_target,
        level,
        None,
        None,
        None,
        FieldSet::new(FIELDS, Identifier(callsite)),
        Kind::EVENT,
    );
    // The callsite was just created and is not shared yet: the cell is empty.
    let _ = callsite.metadata.set(metadata);
    tracing::callsite::register(callsite);
    callsites.insert(key, callsite);
    Some(callsite)
}

/// Emits one runtime log line.
pub(crate) fn forward(level: LogLevel, target: &str, message: &str) {
    let level = level_of(level);
    if level > tracing::level_filters::LevelFilter::current() {
        return;
    }
    let Some(callsite) = callsite(target, level) else {
        return fallback(level, target, message);
    };
    let metadata = callsite.metadata();
    if !tracing::dispatcher::get_default(|dispatch| dispatch.enabled(metadata)) {
        return;
    }
    let fields = metadata.fields();
    let Some(field) = fields.field("message") else {
        return;
    };
    let message = format_args!("{message}");
    let values = [(&field, Some(&message as &dyn Value))];
    Event::dispatch(metadata, &fields.value_set(&values));
}

/// Past the callsite cap: a fixed target, the runtime's target as a field.
fn fallback(level: Level, target: &str, message: &str) {
    macro_rules! emit {
        ($level:expr) => {
            tracing::event!(target: "runtime", $level, runtime_target = target, "{message}")
        };
    }
    match level {
        Level::ERROR => emit!(Level::ERROR),
        Level::WARN => emit!(Level::WARN),
        Level::INFO => emit!(Level::INFO),
        Level::DEBUG => emit!(Level::DEBUG),
        _ => emit!(Level::TRACE),
    }
}
