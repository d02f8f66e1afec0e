//! The settings file through the `codegen` binary: read by default,
//! overridden by flags, and every bad settings file a located diagnostic
//! (snapshots of the whole stderr, one per `tests/fixtures/settings/bad/`
//! file).

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

mod common;
use common::codegen;

#[test]
fn bad_settings_files_are_located_diagnostics() {
    insta::glob!("../../tests/fixtures/settings/bad", "*.toml", |path| {
        let out_dir = tempfile::tempdir().unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let config = format!("tests/fixtures/settings/bad/{name}");
        let out = codegen(
            &[
                "--quiet",
                "--out",
                out_dir.path().to_str().unwrap(),
                "--config",
                &config,
            ],
            &workspace(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr)
            .replace(&out_dir.path().display().to_string(), "<out>");
        assert!(!stderr.contains("panicked"), "{stderr}");
        // A problem in the file stops everything; unused settings only warn.
        let expected = if name == "unused.toml" { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(expected), "{stderr}");
        insta::assert_snapshot!(stderr);
    });
}

const SPEC: &str = "openapi: 3.0.3
info: {title: Small, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '204': {description: ok}
  /internal:
    get:
      operationId: ping
      responses:
        '204': {description: ok}
";

const OVERLAY: &str = "overlay: 1.0.0
info: {title: Fixes, version: '1'}
actions:
  - target: $.paths['/internal']
    remove: true
";

#[test]
fn codegen_toml_is_read_when_no_spec_is_given_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::write(dir.path().join("specs/small.yaml"), SPEC).unwrap();
    std::fs::write(dir.path().join("specs/fixes.yaml"), OVERLAY).unwrap();
    std::fs::write(
        dir.path().join("codegen.toml"),
        "out = \"gen/src\"\n[[spec]]\npath = \"specs/small.yaml\"\noverlays = [\"specs/fixes.yaml\"]\nformats = { uuid = \"uuid::Uuid\" }\nrename.operations = { getThing = \"fetch\" }\n",
    )
    .unwrap();
    let out = codegen(&["--quiet"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client = std::fs::read_to_string(dir.path().join("gen/src/small/client.rs")).unwrap();
    assert!(
        client.contains("pub fn fetch(&self, id: ::codegen_runtime::uuid::Uuid)"),
        "{client}"
    );
    // The overlay removed `/internal`.
    assert!(!client.contains("ping"), "{client}");

    // The dependency line carries the mapped format's feature.
    let deps = codegen(&["--print-deps"], dir.path());
    let deps = String::from_utf8(deps.stdout).unwrap();
    assert!(
        deps.contains("features = [\"client\", \"server\", \"uuid\"]"),
        "{deps}"
    );

    // A flag overrides the file: --parts for every spec it lists.
    let out = codegen(
        &["--quiet", "--parts", "types", "--out", "types-only"],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(dir.path().join("types-only/small/types.rs").exists());
    assert!(!dir.path().join("types-only/small/client.rs").exists());
}

#[test]
fn the_overlay_flag_applies_to_the_named_spec() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.yaml"), SPEC).unwrap();
    std::fs::write(dir.path().join("fixes.yaml"), OVERLAY).unwrap();
    let out = codegen(
        &[
            "--quiet",
            "--out",
            "gen",
            "--overlay",
            "fixes.yaml",
            "small.yaml",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = std::fs::read_to_string(dir.path().join("gen/small/server.rs")).unwrap();
    assert!(server.contains("\"/things/{"), "{server}");
    assert!(!server.contains("\"/internal\""), "{server}");
}

#[test]
fn no_spec_and_no_settings_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = codegen(&[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no SPEC given and no codegen.toml here"),
        "{stderr}"
    );
}
