//! How long `#[token_api("specs/tokens.yaml")]` spends in the generator: the
//! library calls the macro makes (`codegen::build::generate_relative`, then
//! the module's tokens), timed outside rustc, median of several runs.
//!
//! ```sh
//! cargo run -p macros --example expansion_time            # opt-level 0, as cargo builds proc macros by default
//! cargo run -p macros --example expansion_time --release  # optimized
//! ```
//!
//! Inside rustc the tokens cross the proc-macro bridge as well; the README's
//! "CLI, macro or build script" section has that measurement too.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Path::new("specs/tokens.yaml");
    let settings = codegen::Settings::new();
    let runs = 15;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let generated = codegen::build::generate_relative(&root, spec, &settings)
                .expect("specs/tokens.yaml generates");
            let tokens = generated.module.body_tokens();
            std::hint::black_box(tokens.into_iter().count());
            start.elapsed()
        })
        .collect();
    times.sort();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "{spec}: median {:.1} ms over {runs} runs (min {:.1}, max {:.1}; {profile} build)",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
        spec = spec.display(),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
