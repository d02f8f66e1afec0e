//! `codegen --verify-examples` on `tests/fixtures/examples/examples.yaml`,
//! which has an example of every kind and outcome: the binary builds the
//! verification crate with cargo, serves the generated server on
//! loopback, and prints one located result per example and check.
//!
//! The crate builds in the CLI's default verification directory,
//! `target/verify-examples`, with its own target directory (a cargo run
//! nested in `cargo test` must not wait on the outer build's lock); the
//! examples cross-check builds there too, so the runtime's dependencies
//! compile once for both.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `codegen --verify-examples` on `spec` with `extra` flags, in the
/// workspace, building in the tests' own verification directory.
fn verify(extra: &[&str], spec: &str) -> Output {
    let dir = root().join("target/verify-examples");
    let mut args = vec![
        "--verify-examples",
        "--runtime-path",
        "codegen/runtime",
        "--verify-dir",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    args.push(spec);
    common::codegen(&args, &root())
}

#[test]
fn every_example_gets_a_located_result_and_rejections_fail_the_run() {
    let report = tempfile::NamedTempFile::new().unwrap();
    let run = |extra: &[&str]| verify(extra, "tests/fixtures/examples/examples.yaml");
    let out = run(&["--examples-report", report.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The spec bug (an object where the schema says array) fails the run.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "ok: tests/fixtures/examples/examples.yaml:35:9: example (parameter `sensor` of `listReadings`)",
        // `type: string` decides, though `items` is beside it.
        "ok: tests/fixtures/examples/examples.yaml:56:11: example (parameter `ids` of `listReadings`)",
        // `note: null` for a nullable component's type.
        "ok: tests/fixtures/examples/examples.yaml:67:17: example `two` (response 200 of `listReadings`)",
        // 0.68 as an f32, and a date-time with `+02:00`: the same on the wire.
        "ok: tests/fixtures/examples/examples.yaml:278:7: example (schema `Reading`)",
        "error[E0044]: example `wrongShape` (response 200 of `listReadings`) does not decode: at `.`: invalid type: map, expected a sequence",
        "examples.yaml:69:17",
        "warning[E0043]: example `withNote` (request body of `addReading`): decoded, but re-encoded differently:\n  /remark: dropped \"calibrated\"",
        "warning[E0045]: example not checked: `text/csv` is not decoded as JSON",
        "warning[E0045]: example not checked: `externalValue` is not fetched",
        "tests/fixtures/examples/examples.yaml: 16 example(s): 14 round-tripped, 1 with differences, 1 rejected; 2 not checked",
        // The server side: a request example reaches its operation, a
        // response example comes back unchanged, with its status.
        "example `withNote` (request body of `addReading`): the generated server accepted it",
        "example `two` (response 200 of `listReadings`): the generated server answered it unchanged",
        // OAuth 2 only: a bearer token satisfies it (it answered 401 to everything).
        "example (request body of `calibrate`): the generated server accepted it",
        "example (response 200 of `calibrate`): the generated server answered it unchanged",
        "example (response 4XX of `calibrate`): the generated server answered it unchanged",
        // `{}` among the alternatives: no credentials needed.
        "example (response 200 of `status`): the generated server answered it unchanged",
        // A body made up from the schema gets `resetSensor` reached.
        "example (response 202 of `resetSensor`): the generated server answered it unchanged",
        // The route another operation has (its server panicked at startup).
        "example (request body of `calibrateByName`): not checked on the server: the server routes its requests to `calibrate` (E0050)",
        // Same-type alternatives: any one's constraints make the value valid.
        "example (request body of `setArtwork`): the generated server accepted it",
        // The spec bug is decoded only.
        "warning[E0049]: example `wrongShape` (response 200 of `listReadings`): not checked on the server: the stub cannot decode the example",
        "tests/fixtures/examples/examples.yaml: on the generated server: 8 taken as documented, 0 answered differently, 0 refused; 2 not checked",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    // The report holds each example with its schema's place in the
    // document as read, for an independent validator.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.path()).unwrap()).unwrap();
    let examples = report[0]["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 16);
    let wrong = examples.iter().find(|e| e["name"] == "wrongShape").unwrap();
    assert_eq!(wrong["outcome"], "rejected");
    let pointer = wrong["schema"].as_str().unwrap();
    assert_eq!(
        report[0]["document"].pointer(pointer).unwrap()["type"],
        "array"
    );
    let served = examples.iter().find(|e| e["name"] == "withNote").unwrap();
    assert_eq!(served["server"]["outcome"], "accepted");

    let allowed = run(&["-q", "--allow-example-failures"]);
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&allowed.stderr).contains("ok: "),
        "-q hides clean round trips"
    );
}

#[test]
fn every_item_of_a_3_1_schemas_examples_is_checked_where_it_is_written() {
    let out = verify(
        &["--types-only"],
        "tests/fixtures/examples/examples-3-1.yaml",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "ok: tests/fixtures/examples/examples-3-1.yaml:20:11: example (schema `Size`)",
        "ok: tests/fixtures/examples/examples-3-1.yaml:21:11: example (schema `Size`)",
        "error[E0044]: example (schema `Size`) does not decode: at `width`: invalid type: string \"wide\", expected i64",
        "examples-3-1.yaml:23:11",
        "examples-3-1.yaml: 3 example(s): 2 round-tripped, 0 with differences, 1 rejected; 0 not checked",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}
