//! trybuild UI tests of `#[token_api]`: crates that use the macro and must
//! compile and run (`ui/pass`), or fail to compile with exactly the
//! committed messages (`ui/fail/*.stderr`; `TRYBUILD=overwrite` rewrites them).
//!
//! trybuild compiles each case as a crate of its own, whose Cargo.toml (and
//! so `CARGO_MANIFEST_DIR`, which the macro resolves spec paths against) is
//! `<target>/tests/trybuild/macros/`. The specs are staged there first, so
//! that the cases name them as a crate of the workspace would:
//! `specs/tokens.yaml`, and `tests/ui/specs/*.yaml` for the bad fixtures.
//! Messages then show those short, relative paths on every machine.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    stage_specs();
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}

/// Copies the specs into the directory trybuild builds the cases in.
fn stage_specs() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = target_dir().join("tests").join("trybuild").join("macros");
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("create the directory");
        std::fs::copy(from, to)
            .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
    };
    copy(
        &manifest_dir.join("../specs/tokens.yaml"),
        &project.join("specs/tokens.yaml"),
    );
    let fixtures = Path::new("tests/ui/specs");
    for entry in std::fs::read_dir(manifest_dir.join(fixtures)).expect("tests/ui/specs") {
        let name = entry.expect("a directory entry").file_name();
        copy(
            &manifest_dir.join(fixtures).join(&name),
            &project.join(fixtures).join(&name),
        );
    }
}

/// Cargo's target directory, found as trybuild finds it (`cargo metadata`).
fn target_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version=1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    PathBuf::from(
        metadata["target_directory"]
            .as_str()
            .expect("target_directory in cargo metadata"),
    )
}
