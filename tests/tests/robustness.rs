//! Inputs that are not specs at all still get diagnostics, never panics.

use std::path::Path;

use codegen::{generate_file, generate_str, DiagnosticKind, GenerateError, Settings};

fn kinds(result: Result<codegen::Generated, GenerateError>) -> Vec<DiagnosticKind> {
    match result {
        Err(GenerateError::Spec(d)) => d.iter().map(|d| d.kind.clone()).collect(),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("expected diagnostics"),
    }
}

#[test]
fn a_directory_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let k = kinds(generate_file(dir.path(), &Settings::default()));
    assert!(
        matches!(&k[..], [DiagnosticKind::Unreadable { reason }] if reason.contains("directory")),
        "{k:?}"
    );
}

#[test]
fn a_missing_file_is_unreadable() {
    let k = kinds(generate_file(
        Path::new("does/not/exist.yaml"),
        &Settings::default(),
    ));
    assert!(
        matches!(&k[..], [DiagnosticKind::Unreadable { .. }]),
        "{k:?}"
    );
}

#[test]
fn non_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n").unwrap();
    let err = generate_file(&path, &Settings::default()).expect_err("rejected");
    let GenerateError::Spec(d) = err else {
        panic!()
    };
    assert!(
        matches!(d.0[0].kind, DiagnosticKind::NotUtf8 { offset: 33 }),
        "{:?}",
        d.0[0].kind
    );
    assert_eq!(d.0[0].position().map(|p| (p.line, p.column)), Some((3, 13)));
}

#[test]
fn scalars_and_odd_roots_are_rejected() {
    for (text, want) in [
        ("42", "RootNotMapping"),
        ("- a\n- b\n", "RootNotMapping"),
        ("   \n\n", "Empty"),
        ("openapi: 3.0.3\n", "InvalidDocument"),
        (
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
            "InvalidDocument",
        ),
        ("swagger: '2.0'\n", "Swagger2"),
        ("openapi: 3.1.0\n", "OpenApi31"),
        ("openapi: 2.5.0\n", "UnsupportedVersion"),
        ("info: {}\n", "MissingVersion"),
        ("a: [1, 2\n", "Malformed"),
    ] {
        let k = kinds(generate_str(
            Path::new("x.yaml"),
            text,
            &Settings::default(),
        ));
        assert!(format!("{:?}", k[0]).starts_with(want), "{text:?}: {k:?}");
    }
}
