//! What reading another format costs, timed A/B: load + lower of a
//! document (A) and of the same API as one OpenAPI 3.0 file (B), the two
//! alternating round after round (AB, BA, AB...), so a machine that slows
//! down or speeds up mid-run weighs on both sides alike; medians per side.
//! Criterion's per-document groups run one after the other and drifted by
//! up to 1.6x between runs on this machine.
//!
//! ```text
//! CODEGEN_AB_PAIRS=a.yaml:a-as-3-0.yaml,b.json:b-as-3-0.json \
//!   cargo bench -p codegen --bench formats_ab       # 15 rounds
//! CODEGEN_AB_ROUNDS=1 ...                           # smoke
//! ```
//!
//! Prints one Markdown row per pair (`bench/formats.sh` makes the pairs).

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::{module_name, stages, Settings};

fn load_and_lower(path: &Path, text: &str, settings: &Settings) -> Duration {
    let started = Instant::now();
    let doc = stages::load(path, text.to_string())
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));
    let lowered = stages::lower(&doc, &module_name(path), settings)
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));
    let took = started.elapsed();
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
        .unwrap_or(15)
        .max(1);
    let settings = Settings::new();
    println!("| document | load + lower (ms) | same API as one 3.0 file (ms) | ratio |");
    println!("|---|---:|---:|---:|");
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
        let (mut sa, mut sb) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            if round % 2 == 0 {
                sa.push(load_and_lower(a, &ta, &settings));
                sb.push(load_and_lower(b, &tb, &settings));
            } else {
                sb.push(load_and_lower(b, &tb, &settings));
                sa.push(load_and_lower(a, &ta, &settings));
            }
        }
        let (ma, mb) = (median(sa), median(sb));
        let stem = a.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        println!("| {stem} | {ma:.1} | {mb:.1} | {:.2}x |", ma / mb);
    }
}
