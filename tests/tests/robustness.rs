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
        ("swagger: '1.2'\n", "UnsupportedVersion"),
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

/// A versioned mapping that lacks what the model requires, or holds it
/// in the wrong type, is read as far as it says anything (an API without
/// operations here) with repair warnings, and refused when strict.
#[test]
fn hollow_documents_are_repaired_and_refused_when_strict() {
    let strict = Settings::default().with_unsupported(codegen::UnsupportedPolicy::Error);
    for text in [
        "openapi: 3.0.3\n",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
        "swagger: '2.0'\n",
        "openapi: 3.1.0\n",
        "openapi: 3.2.0\npaths: 7\n",
    ] {
        let generated = generate_str(Path::new("x.yaml"), text, &Settings::default())
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(
            generated
                .warnings
                .iter()
                .any(|w| ["R0012", "R0016"].contains(&w.kind.code())),
            "{text:?}: {:?}",
            generated.warnings
        );
        let k = kinds(generate_str(Path::new("x.yaml"), text, &strict));
        assert!(
            k.iter().any(|k| ["R0012", "R0016"].contains(&k.code())),
            "{text:?}: {k:?}"
        );
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// The first diagnostic's kind, code and rendering (which must not panic).
fn first(result: Result<codegen::Generated, GenerateError>) -> (DiagnosticKind, String) {
    match result {
        Err(GenerateError::Spec(d)) => (d.0[0].kind.clone(), d.render()),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("expected diagnostics"),
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    // Nine levels of nine-fold aliases: 9^9 (387 million) nodes once expanded.
    let mut text =
        format!("{HEAD}x-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9u8 {
        let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let refs = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    let (kind, rendered) = first(generate_str(
        Path::new("bomb.yaml"),
        &text,
        &Settings::default(),
    ));
    assert!(
        matches!(&kind, DiagnosticKind::Malformed { message, .. } if message.contains("repetition limit")),
        "{kind:?}"
    );
    assert!(rendered.contains("alias bomb"), "{rendered}");
}

#[test]
fn nesting_thousands_deep_is_refused_and_not_quoted() {
    let depth = 20_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    for (name, text) in [
        ("deep.yaml", format!("{HEAD}x-deep: {deep}\n")),
        (
            "deep.json",
            format!(
                r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"x-deep":{deep}}}"#
            ),
        ),
    ] {
        let (kind, rendered) = first(generate_str(Path::new(name), &text, &Settings::default()));
        assert!(
            matches!(&kind, DiagnosticKind::Malformed { message, .. } if message.contains("recursion limit")),
            "{name}: {kind:?}"
        );
        // The 40,000-character line is located and shown in part.
        assert!(
            rendered.contains("a long line; the part around column"),
            "{name}: {rendered}"
        );
        assert!(rendered.len() < 1000, "{name}: {} bytes", rendered.len());
    }
}

#[test]
fn deeply_nested_schemas_are_refused() {
    // 100 inline objects, each inside the previous one's properties.
    let mut text = format!("{HEAD}components:\n  schemas:\n    A:\n");
    let mut indent = "      ".to_string();
    for _ in 0..100 {
        text.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent}  p:\n"
        ));
        indent.push_str("    ");
    }
    text.push_str(&format!("{indent}type: string\n"));
    let (kind, _) = first(generate_str(
        Path::new("deep-schema.yaml"),
        &text,
        &Settings::default(),
    ));
    assert!(matches!(kind, DiagnosticKind::Malformed { .. }), "{kind:?}");
}

#[test]
fn a_ref_cycle_without_a_schema_is_located() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/C'}}\n    C: {{$ref: '#/components/schemas/A'}}\n"
    );
    let result = generate_str(Path::new("cycle.yaml"), &text, &Settings::default());
    let Err(GenerateError::Spec(d)) = result else {
        panic!("expected diagnostics")
    };
    let cycle = d
        .iter()
        .find(|d| matches!(d.kind, DiagnosticKind::RefCycle { .. }))
        .expect("a RefCycle diagnostic");
    assert_eq!(cycle.pointer, "/components/schemas/A");
    assert_eq!(cycle.position().map(|p| p.line), Some(6));
}

#[test]
fn a_recursive_schema_is_a_type_not_a_cycle() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/Node'}}\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n"
    );
    let generated = generate_str(Path::new("tree.yaml"), &text, &Settings::default())
        .expect("recursion through properties is fine");
    let files = generated.module.files().expect("the module formats");
    let source = &files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .expect("a types part")
        .contents;
    assert!(source.contains("Box<Node>"), "{source}");
}

/// Real descriptions reach 50 MB; the guard is against a mistaken path
/// (a disk image), at 1 GiB, checked before reading.
#[test]
fn a_document_over_a_gib_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: the length without writing it.
    let len = 1024 * 1024 * 1024 + 1;
    file.set_len(len).unwrap();
    let (kind, rendered) = first(generate_file(&path, &Settings::default()));
    assert!(
        matches!(kind, DiagnosticKind::TooLarge { bytes, .. } if bytes == len),
        "{kind:?}"
    );
    assert!(rendered.contains("1024.0 MiB"), "{rendered}");
}

#[test]
fn an_empty_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.yaml");
    std::fs::write(&path, "").unwrap();
    let (kind, _) = first(generate_file(&path, &Settings::default()));
    assert_eq!(kind, DiagnosticKind::Empty);
}
