//! The `codegen` binary, run as a user would.

use std::path::{Path, PathBuf};

mod common;
use common::codegen;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(name)
}

const SMALL: &str = "openapi: 3.0.3
info: {title: Small, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

#[test]
fn help_lists_every_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = codegen(&["--help"], dir.path());
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--out",
        "--check",
        "--parts",
        "--tag",
        "--unsupported",
        "--quiet",
        "<SPEC>",
    ] {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
}

#[test]
fn writes_registers_then_checks_clean_and_detects_staleness() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.yaml"), SMALL).unwrap();
    let out = codegen(&["--out", "gen", "small.yaml"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let types = std::fs::read_to_string(dir.path().join("gen/small/types.rs")).unwrap();
    assert!(types.starts_with("// @generated"));
    assert!(types.contains("pub struct Thing"));
    let lib = std::fs::read_to_string(dir.path().join("gen/lib.rs")).unwrap();
    assert!(lib.contains("pub mod small;"));

    // Up to date: --check passes and a second run writes nothing.
    let out = codegen(&["--out", "gen", "--check", "small.yaml"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = codegen(&["--out", "gen", "small.yaml"], dir.path());
    assert!(
        String::from_utf8_lossy(&out.stderr).trim().is_empty(),
        "rewrote unchanged files"
    );

    // The spec changes: --check fails with a readable summary and writes nothing.
    std::fs::write(
        dir.path().join("small.yaml"),
        SMALL.replace("name: {type: string}", "label: {type: string}"),
    )
    .unwrap();
    let out = codegen(&["--out", "gen", "--check", "small.yaml"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("gen/small/types.rs: stale"), "{stderr}");
    assert!(stderr.contains("+    pub label"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gen/small/types.rs")).unwrap(),
        types
    );
}

#[test]
fn parts_select_what_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.yaml"), SMALL).unwrap();
    let out = codegen(
        &["--out", "gen", "--parts", "types", "small.yaml"],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(dir.path().join("gen/small/types.rs").exists());
    assert!(!dir.path().join("gen/small/client.rs").exists());
    assert!(!dir.path().join("gen/small/server.rs").exists());
    let out = codegen(
        &["--out", "gen", "--parts", "types,server", "small.yaml"],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(dir.path().join("gen/small/server.rs").exists());
}

#[test]
fn a_tag_filter_matching_no_operation_is_an_error_naming_the_tags() {
    let dir = tempfile::tempdir().unwrap();
    let tagged = SMALL.replace(
        "operationId: getThing",
        "operationId: getThing\n      tags: [things]",
    );
    std::fs::write(dir.path().join("small.yaml"), tagged).unwrap();
    let out = codegen(
        &["--out", "gen", "--tag", "thing", "small.yaml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tag `thing` (from the tag filter) matches no operation"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the operations' tags are: things"),
        "{stderr}"
    );
    assert!(!dir.path().join("gen").exists());
    let out = codegen(
        &["--out", "gen", "--tag", "things", "small.yaml"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn several_specs_in_one_call() {
    let dir = tempfile::tempdir().unwrap();
    let a = corpus("oai-petstore.yaml");
    let b = corpus("petstore3.yaml");
    let out = codegen(
        &["--out", "gen", a.to_str().unwrap(), b.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lib = std::fs::read_to_string(dir.path().join("gen/lib.rs")).unwrap();
    assert!(
        lib.contains("pub mod oai_petstore;") && lib.contains("pub mod petstore3;"),
        "{lib}"
    );
}

#[test]
fn bad_spec_exits_nonzero_with_located_diagnostic_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = SMALL.replace("#/components/schemas/Thing", "#/components/schemas/Nope");
    std::fs::write(dir.path().join("bad.yaml"), bad).unwrap();
    // By default a dangling reference is repaired, with a located warning.
    let out = codegen(&["--out", "lenient", "bad.yaml"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning[R0005]") && stderr.contains("bad.yaml:14:24"),
        "{stderr}"
    );
    // `--strict` refuses it.
    let out = codegen(&["--strict", "--out", "gen", "bad.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[R0005]: $ref `#/components/schemas/Nope` points at nothing"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.yaml:14:24"), "{stderr}");
    assert!(
        stderr.contains("$ref: '#/components/schemas/Nope'"),
        "no source excerpt: {stderr}"
    );
    assert!(!dir.path().join("gen").exists());
}

#[test]
fn missing_file_and_directory_are_diagnostics_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    for arg in ["nope.yaml", "."] {
        let out = codegen(&["--out", "gen", arg], dir.path());
        assert_eq!(out.status.code(), Some(1), "{arg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot read the spec"), "{arg}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn print_deps_names_the_runtime_with_the_parts_features() {
    let dir = tempfile::tempdir().unwrap();
    let out = codegen(&["--print-deps"], dir.path());
    assert!(out.status.success(), "{out:?}");
    let all = String::from_utf8(out.stdout).unwrap();
    let line = format!(
        "codegen-runtime = {{ version = \"{}\", default-features = false, features = [\"client\", \"server\"] }}",
        codegen::RUNTIME_VERSION
    );
    assert!(all.contains("[dependencies]\n"), "{all}");
    assert!(all.contains(&line), "{all}");
    // Nothing is generated.
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

    let out = codegen(&["--print-deps", "--parts", "types"], dir.path());
    let types_only = String::from_utf8(out.stdout).unwrap();
    assert!(types_only.contains("features = [] }"), "{types_only}");
    assert!(types_only.contains("(parts: types)"), "{types_only}");
    let out = codegen(&["--print-deps", "--parts", "types,server"], dir.path());
    let server = String::from_utf8(out.stdout).unwrap();
    assert!(server.contains("features = [\"server\"] }"), "{server}");
    assert!(
        server.contains("(parts: types, operations, server)"),
        "{server}"
    );
}
