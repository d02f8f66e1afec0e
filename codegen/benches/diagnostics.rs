//! How fast bad or odd input is answered: a spec with thousands of problems
//! (warnings under the default policy, errors under `--strict`), rendered as
//! the CLI prints them; and a large document of another version (Swagger 2.0,
//! `../shared/corpus/v2/docker-engine.yaml`, 473 KB) refused under
//! `--strict` for its six reduced constructs. The bar: well under a second.
//!
//! ```text
//! cargo bench -p codegen --bench diagnostics
//! cargo test -p codegen --bench diagnostics      # run each once (smoke)
//! ```

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use codegen::{generate_str, GenerateError, Settings, UnsupportedPolicy};
use criterion::{criterion_group, criterion_main, Criterion};

/// `count` schemas, each with a dangling `$ref`, a default its type
/// rejects and an array without items: three repairs apiece.
fn many_problems(count: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: many, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..count {
        let _ = write!(
            s,
            "    S{i}:\n      type: object\n      properties:\n        gone: {{$ref: '#/components/schemas/Gone{i}'}}\n        n: {{type: integer, default: ten}}\n        list: {{type: array}}\n"
        );
    }
    s
}

/// Generation, then every diagnostic rendered (what the CLI prints).
fn answer(path: &Path, text: &str, settings: &Settings) -> usize {
    match generate_str(path, text, settings) {
        Ok(g) => g.warnings.iter().map(|w| w.render().len()).sum(),
        Err(GenerateError::Spec(d)) => d.0.iter().map(|e| e.render().len()).sum(),
        Err(e) => panic!("{e}"),
    }
}

fn diagnostics(c: &mut Criterion) {
    let lenient = Settings::new();
    let strict = Settings::new().with_unsupported(UnsupportedPolicy::Error);
    let mut group = c.benchmark_group("diagnostics");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));

    let text = many_problems(1_000);
    let path = Path::new("many.yaml");
    group.bench_function("3000 warnings, rendered", |b| {
        b.iter(|| answer(path, black_box(&text), &lenient))
    });
    group.bench_function("3000 errors (strict), rendered", |b| {
        b.iter(|| answer(path, black_box(&text), &strict))
    });

    let docker =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/v2/docker-engine.yaml");
    if let Ok(text) = std::fs::read_to_string(&docker) {
        group.bench_function(
            "docker-engine (Swagger 2.0, 473 KB) refused when strict",
            |b| b.iter(|| answer(&docker, black_box(&text), &strict)),
        );
    }
    group.finish();
}

criterion_group!(benches, diagnostics);
criterion_main!(benches);
