//! What reading another format costs, timed A/B: load + lower of a
//! document (A) and of the same API as one OpenAPI 3.0 file (B), the two
//! alternating round after round (AB, BA, AB...), so a machine that slows
//! down or speeds up mid-run weighs on both sides alike; medians per side.
//! Criterion's per-document groups run one after the other and drifted by
//! up to 1.6x between runs on this machine.
//!
//! Each side is timed on the thread's CPU clock where there is one (Unix):
//! on this shared 2-core VM, wall time also counts the moments the host
//! takes the CPU away, which moved ratios by a tenth between runs.
//!
//! ```text
//! CODEGEN_AB_PAIRS=a.yaml:a-as-3-0.yaml,b.json:b-as-3-0.json \
//!   cargo bench -p codegen --bench formats_ab       # 31 rounds
//! CODEGEN_AB_ROUNDS=1 ...                           # smoke
//! ```
//!
//! Prints one Markdown row per pair (`bench/formats.sh` makes the pairs):
//! the medians of each side, and the median and middle half of the
//! per-round ratios.

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::{module_name, stages, Settings};

// The CLI's allocator, as the CLI runs (see `src/main.rs`); the library
// alone (macro, build scripts) uses the system's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The thread's CPU time (wall time where there is no such clock).
#[cfg(unix)]
fn now() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the call's duration.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if !ok {
        return wall();
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(unix))]
fn now() -> Duration {
    wall()
}

fn wall() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

fn load_and_lower(path: &Path, text: &str, settings: &Settings) -> Duration {
    let started = now();
    let doc = stages::load(path, text.to_string())
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));
    let lowered = stages::lower(&doc, &module_name(path), settings)
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));
    let took = now().saturating_sub(started);
    drop(std::hint::black_box(lowered));
    took
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let pairs = std::env::var("CODEGEN_AB_PAIRS").unwrap_or_default();
    let rounds: usize = std::env::var("CODEGEN_AB_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31)
        .max(1);
    let settings = Settings::new();
    println!(
        "| document | load + lower (ms) | same API as one 3.0 file (ms) | ratio (median of rounds) | middle half of rounds |"
    );
    println!("|---|---:|---:|---:|---:|");
    for pair in pairs.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((a, b)) = pair.split_once(':') else {
            panic!("a pair is `original:twin`, got `{pair}`");
        };
        let (a, b) = (Path::new(a.trim()), Path::new(b.trim()));
        let read = |p: &Path| {
            std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let (ta, tb) = (read(a), read(b));
        // One warm-up each: page cache, allocator.
        load_and_lower(a, &ta, &settings);
        load_and_lower(b, &tb, &settings);
        let (mut sa, mut sb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (ta_, tb_) = if round % 2 == 0 {
                let x = load_and_lower(a, &ta, &settings);
                (x, load_and_lower(b, &tb, &settings))
            } else {
                let y = load_and_lower(b, &tb, &settings);
                (load_and_lower(a, &ta, &settings), y)
            };
            // A round's two runs are next to each other in time: their
            // ratio cancels what drifts slower than a round.
            ratios.push(ta_.as_secs_f64() / tb_.as_secs_f64().max(1e-9));
            sa.push(ta_);
            sb.push(tb_);
        }
        let (ma, mb) = (median(sa), median(sb));
        ratios.sort_by(f64::total_cmp);
        let q = |f: f64| ratios[((ratios.len() - 1) as f64 * f).round() as usize];
        let stem = a.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        println!(
            "| {stem} | {ma:.1} | {mb:.1} | {:.2}x | {:.2}x-{:.2}x |",
            q(0.5),
            q(0.25),
            q(0.75)
        );
    }
}
