//! Per-stage generation cost: load (parse YAML/JSON into `openapiv3` and the
//! source map), lower (to the IR), emit (plan and tokens for every part),
//! render (plan, emit, `syn` and prettyplease: the files the CLI writes), and `expand`:
//! `codegen::generate_file` plus `GeneratedModule::to_tokens`, the library
//! call the `#[token_api]` macro makes, i.e. its expansion cost without the
//! compiler's own work on the tokens.
//!
//! ```text
//! cargo bench -p codegen --bench stages                    # specs/tokens.yaml
//! CODEGEN_BENCH_SPECS=a.yaml,b.yaml cargo bench -p codegen --bench stages
//! cargo test -p codegen --bench stages                     # run each once (smoke)
//! ```
//!
//! Results land in `target/criterion/<spec>/<stage>/`; `bench/run.sh` reads them.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use codegen::{module_name, stages, Settings};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};

fn specs() -> Vec<PathBuf> {
    match std::env::var("CODEGEN_BENCH_SPECS") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect(),
        _ => vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/tokens.yaml")],
    }
}

fn stages(c: &mut Criterion) {
    let settings = Settings::new();
    for path in specs() {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let name = module_name(&path);
        let doc = stages::load(&path, text.clone())
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));
        let lowered = stages::lower(&doc, &name, &settings)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()));

        let mut group = c.benchmark_group(&name);
        // Specs of a few hundred KB take a second per iteration or more.
        if text.len() > 200_000 {
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_secs(1));
        }
        group.bench_function("load", |b| {
            b.iter(|| stages::load(&path, black_box(text.clone())).map(drop))
        });
        group.bench_function("lower", |b| {
            b.iter(|| stages::lower(black_box(&doc), &name, &settings).map(drop))
        });
        group.bench_function("emit", |b| {
            b.iter(|| drop(stages::emit(black_box(&lowered), &settings)))
        });
        // What the CLI does after lowering: emit + parse + format, one thread per part.
        group.bench_function("render", |b| {
            b.iter(|| stages::render(black_box(&lowered), &settings).map(drop))
        });
        group.bench_function("expand", |b| {
            b.iter(|| {
                codegen::generate_file(black_box(&path), &settings)
                    .map(|g| g.module.to_tokens())
                    .map(drop)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
