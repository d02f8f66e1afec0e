//! Every format version and multi-file specs: one fixture per construct
//! (tests/fixtures/formats/), its generated types and warnings snapshotted;
//! a 3.1 document and its 3.0 twin generate identical code.

use std::path::{Path, PathBuf};

use codegen::{generate_file, generate_str, Diagnostic, Settings};

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn warning_lines(warnings: &[Diagnostic]) -> String {
    warnings
        .iter()
        .map(|w| {
            format!(
                "{} {} [{}]: {}\n",
                w.location(),
                w.pointer,
                w.kind.code(),
                w.kind
            )
        })
        .collect()
}

/// The warnings, then the generated types (what a construct became).
#[test]
fn format_fixtures_generate() {
    insta::glob!("../fixtures/formats", "*.yaml", |path| {
        let rel = relative(path);
        let generated = generate_file(&rel, &Settings::default())
            .unwrap_or_else(|e| panic!("{} should generate: {e}", rel.display()));
        let files = generated.module.files().expect("format");
        let types = files
            .iter()
            .find(|f| f.path.ends_with("types.rs"))
            .expect("a types part");
        insta::assert_snapshot!(format!(
            "===== warnings =====\n{}===== types.rs =====\n{}",
            warning_lines(&generated.warnings),
            types.contents
        ));
    });
}

#[test]
fn a_3_1_document_generates_the_same_code_as_its_3_0_twin() {
    let dir = Path::new("fixtures/pairs");
    let render = |file: &str| {
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
        // One name for both, so headers and module names agree.
        let generated =
            generate_str(Path::new("pair.yaml"), &text, &Settings::default()).expect("generates");
        assert!(
            generated.warnings.is_empty(),
            "{file}: {:?}",
            generated.warnings
        );
        generated
            .module
            .files()
            .expect("format")
            .into_iter()
            .map(|f| (f.path, f.contents))
            .collect::<Vec<_>>()
    };
    let (v30, v31) = (render("api-3-0.yaml"), render("api-3-1.yaml"));
    assert_eq!(v30.len(), v31.len());
    for ((p30, c30), (_, c31)) in v30.iter().zip(&v31) {
        assert!(
            c30 == c31,
            "{} differs between 3.0 and 3.1:\n{}",
            p30.display(),
            first_difference(c30, c31)
        );
    }
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n  3.0: {x}\n  3.1: {y}", i + 1))
        .unwrap_or_else(|| "one is a prefix of the other".into())
}

/// The multi-file fixture's diagnostics point into the file where each node
/// was written, and a file reached by two routes is one type.
#[test]
fn multi_file_types_are_defined_once() {
    let generated = generate_file(
        Path::new("fixtures/formats/multi-file.yaml"),
        &Settings::default(),
    )
    .expect("generates");
    let files = generated.module.files().expect("format");
    let types = &files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .expect("types")
        .contents;
    assert_eq!(types.matches("pub struct Pet {").count(), 1, "{types}");
    assert_eq!(types.matches("pub struct Owner {").count(), 1, "{types}");
    // The cycle Pet -> Owner -> Vec<Pet> is finite through the Vec; Pet's owner is boxed or optional.
    assert!(types.contains("pub owner: Option<"), "{types}");
}

#[test]
fn a_diagnostic_three_files_deep_names_the_third_file_and_line() {
    // An unknown type is repaired (R0006) by default; strict refuses it.
    let strict = Settings::default().with_unsupported(codegen::UnsupportedPolicy::Error);
    let err = match generate_file(Path::new("fixtures/bad/28-three-files-deep.yaml"), &strict) {
        Ok(_) => panic!("should be rejected"),
        Err(codegen::GenerateError::Spec(d)) => d,
        Err(other) => panic!("{other}"),
    };
    let d = err.iter().next().expect("one diagnostic");
    assert_eq!(d.kind.code(), "R0006");
    assert!(
        d.file_name()
            .is_some_and(|f| f.ends_with("deeper/third.yaml")),
        "{:?}",
        d.file_name()
    );
    assert_eq!(d.pointer, "/properties/broken/type");
    assert_eq!(d.position().map(|p| p.line), Some(4));
}

#[test]
fn a_swagger_2_diagnostic_points_into_the_2_0_text() {
    // A dangling reference is repaired (R0005) by default; strict refuses it.
    let strict = Settings::default().with_unsupported(codegen::UnsupportedPolicy::Error);
    let err = match generate_file(
        Path::new("fixtures/bad/30-swagger-2-unresolved.yaml"),
        &strict,
    ) {
        Ok(_) => panic!("should be rejected"),
        Err(codegen::GenerateError::Spec(d)) => d,
        Err(other) => panic!("{other}"),
    };
    let d = err.iter().next().expect("one diagnostic");
    assert_eq!(d.pointer, "/paths/~1things/get/responses/200/schema/$ref");
    assert_eq!(d.position().map(|p| p.line), Some(15));
}

/// Each repair of the repair policy has a case in the lenient fixture: it is
/// a located warning by default and an error under the strict policy.
#[test]
fn every_repair_is_a_warning_and_refused_when_strict() {
    use codegen::{GenerateError, Repair, Severity, UnsupportedPolicy};
    let spec = Path::new("fixtures/formats/lenient-repairs.yaml");
    let generated = generate_file(spec, &Settings::default()).expect("generates");
    let text = std::fs::read_to_string(spec).expect("fixture");
    for repair in Repair::ALL {
        let found: Vec<&Diagnostic> = generated
            .warnings
            .iter()
            .filter(|w| w.kind.code() == repair.code())
            .collect();
        assert!(!found.is_empty(), "no {repair:?} ({repair}) in the fixture");
        for w in found {
            // Located at a line of the fixture, beside the comment naming it.
            let at = w.location();
            let line: usize = at
                .strip_prefix("fixtures/formats/lenient-repairs.yaml:")
                .and_then(|rest| rest.split(':').next())
                .and_then(|l| l.parse().ok())
                .unwrap_or_else(|| panic!("{repair}: not located in the fixture: {at}"));
            let nearby = text.lines().skip(line.saturating_sub(6)).take(6);
            assert!(
                nearby.clone().any(|l| l.contains(repair.code())),
                "{repair} at {at}: no comment naming it just above"
            );
            assert_eq!(w.severity, Severity::Warning);
        }
    }
    let strict = Settings::default().with_unsupported(UnsupportedPolicy::Error);
    let Err(GenerateError::Spec(errors)) = generate_file(spec, &strict) else {
        panic!("strict generation must refuse the repairs");
    };
    for repair in Repair::ALL {
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.kind.code() == repair.code() && e.severity == Severity::Error),
            "{repair} is not refused under the strict policy"
        );
    }
}
