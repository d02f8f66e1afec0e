//! insta snapshots: generated code for every spec in `specs/` and every
//! edge-case fixture, and rendered diagnostics (strict policy) for every
//! bad-spec fixture.

use std::path::{Path, PathBuf};

use codegen::{generate_file, GenerateError, Settings};

/// Paths in snapshots are relative to this crate, so they read the same everywhere.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// All files of a module, concatenated with a marker line per file.
fn render_module(spec: &Path) -> String {
    let generated = generate_file(spec, &Settings::default())
        .unwrap_or_else(|e| panic!("{} should generate: {e}", spec.display()));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let mut out = String::new();
    for file in generated.module.files().expect("format") {
        syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path.display()));
        out.push_str(&format!(
            "===== {} =====\n{}",
            file.path.display(),
            file.contents
        ));
    }
    out
}

#[test]
fn generated_code_of_shipped_specs() {
    insta::glob!("../../specs", "*.yaml", |path| {
        insta::assert_snapshot!(render_module(&relative(path)));
    });
}

#[test]
fn generated_code_of_edge_case_specs() {
    insta::glob!("../fixtures/edge", "*.yaml", |path| {
        insta::assert_snapshot!(render_module(&relative(path)));
    });
}

/// Bad fixtures whose problems the repair policy mends by default (with
/// `R00xx` warnings); every bad fixture is refused under the strict policy.
const REPAIRED_BY_DEFAULT: &[&str] = &[
    "01-unresolved-schema-ref.yaml",
    "02-unresolved-parameter-ref.yaml",
    "03-unresolved-response-ref.yaml",
    "05-duplicate-operation-id.yaml",
    "06-undeclared-path-parameter.yaml",
    "07-path-parameter-not-in-template.yaml",
    "13-unknown-type.yaml",
    "14-missing-info.yaml",
    "15-wrong-kind.yaml",
    "19-json-unresolved-ref.json",
    "22-multiple-problems.yaml",
    "27-dotdot-loop.yaml",
    "28-three-files-deep.yaml",
    "30-swagger-2-unresolved.yaml",
];

#[test]
fn bad_specs_are_refused_or_repaired_by_default() {
    insta::glob!("../fixtures/bad", "*.{yaml,json}", |path| {
        let rel = relative(path);
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        match generate_file(&rel, &Settings::default()) {
            Ok(g) if REPAIRED_BY_DEFAULT.contains(&name) => {
                assert!(!g.warnings.is_empty(), "{name}: repaired without a warning");
                for w in &g.warnings {
                    assert!(w.kind.code().starts_with('R'), "{name}: {}", w.render());
                }
            }
            Ok(_) => panic!("{name} should be rejected"),
            Err(_) if REPAIRED_BY_DEFAULT.contains(&name) => {
                panic!("{name} should be repaired by default")
            }
            Err(_) => {}
        }
    });
}

#[test]
fn diagnostics_of_bad_specs() {
    let strict = Settings::default().with_unsupported(codegen::UnsupportedPolicy::Error);
    insta::glob!("../fixtures/bad", "*.{yaml,json}", |path| {
        let rel = relative(path);
        let rendered = match generate_file(&rel, &strict) {
            Ok(_) => panic!("{} should be rejected", rel.display()),
            Err(GenerateError::Spec(diagnostics)) => {
                for d in diagnostics.iter() {
                    assert!(
                        d.file_name().is_some(),
                        "{}: diagnostic without a file",
                        rel.display()
                    );
                }
                diagnostics.render()
            }
            Err(other) => panic!("{}: not a spec diagnostic: {other}", rel.display()),
        };
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn generation_is_deterministic() {
    for spec in ["../specs/tokens.yaml", "../../shared/corpus/petstore3.yaml"] {
        assert_eq!(
            render_module(Path::new(spec)),
            render_module(Path::new(spec)),
            "{spec}"
        );
    }
}

/// `cargo test` proves the checked-in crate is what the CLI writes today.
#[test]
fn checked_in_output_is_current() {
    let generated =
        generate_file(Path::new("../specs/tokens.yaml"), &Settings::default()).expect("generate");
    for file in generated.module.files().expect("format") {
        let on_disk = Path::new("../generated/src").join(&file.path);
        let current = std::fs::read_to_string(&on_disk).unwrap_or_default();
        assert!(
            current == file.contents,
            "{} is stale: run `cargo run -p codegen -- specs/tokens.yaml`",
            on_disk.display()
        );
    }
    let lib = std::fs::read_to_string("../generated/src/lib.rs").expect("lib.rs");
    assert!(lib.contains("pub mod tokens;"));
}
