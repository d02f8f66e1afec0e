//! Stage timings on stderr when `CODEGEN_TIMINGS` is set: for profiling
//! large documents (`CODEGEN_TIMINGS=1 codegen spec.json`), never for tests.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CODEGEN_TIMINGS").is_some())
}

/// Runs `f`, printing how long it took as `stage` when timings are on.
pub(crate) fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    report(stage, start.elapsed());
    value
}

/// Prints one stage's time when timings are on.
pub(crate) fn report(stage: &str, took: Duration) {
    if enabled() {
        eprintln!(
            "timings: {stage:<24} {:>8.1} ms",
            took.as_secs_f64() * 1000.0
        );
    }
}
