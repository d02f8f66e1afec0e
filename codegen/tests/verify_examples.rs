//! `codegen --verify-examples` on `tests/fixtures/examples/examples.yaml`,
//! which has an example of every kind and outcome: the binary builds the
//! verification crate with cargo and prints one located result each.
//!
//! The crate builds in its own target directory (a cargo run nested in
//! `cargo test` must not wait on the outer build's lock), so the first run
//! compiles the runtime's dependencies once.

use std::path::Path;
use std::process::Command;

#[test]
fn every_example_gets_a_located_result_and_rejections_fail_the_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/verify-examples-test");
    let report = tempfile::NamedTempFile::new().unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["--verify-examples", "--runtime-path", "codegen/runtime"])
            .args(["--verify-dir", dir.to_str().unwrap()])
            .args(extra)
            .arg("tests/fixtures/examples/examples.yaml")
            .current_dir(&root)
            .output()
            .expect("run codegen")
    };
    let out = run(&["--examples-report", report.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The spec bug (an object where the schema says array) fails the run.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "ok: tests/fixtures/examples/examples.yaml:21:9: example (parameter `sensor` of `listReadings`)",
        // `type: string` decides, though `items` is beside it.
        "ok: tests/fixtures/examples/examples.yaml:42:11: example (parameter `ids` of `listReadings`)",
        // `note: null` for a nullable component's type.
        "ok: tests/fixtures/examples/examples.yaml:53:17: example `two` (response 200 of `listReadings`)",
        // 0.68 as an f32, and a date-time with `+02:00`: the same on the wire.
        "ok: tests/fixtures/examples/examples.yaml:100:7: example (schema `Reading`)",
        "error[E0044]: example `wrongShape` (response 200 of `listReadings`) does not decode: at `.`: invalid type: map, expected a sequence",
        "examples.yaml:55:17",
        "warning[E0043]: example `withNote` (request body of `addReading`): decoded, but re-encoded differently:\n  /remark: dropped \"calibrated\"",
        "warning[E0045]: example not checked: `text/csv` is not decoded as JSON",
        "warning[E0045]: example not checked: `externalValue` is not fetched",
        "tests/fixtures/examples/examples.yaml: 9 example(s): 7 round-tripped, 1 with differences, 1 rejected; 2 not checked",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    // The report holds each example with its schema's place in the
    // document as read, for an independent validator.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.path()).unwrap()).unwrap();
    let examples = report[0]["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 9);
    let wrong = examples.iter().find(|e| e["name"] == "wrongShape").unwrap();
    assert_eq!(wrong["outcome"], "rejected");
    let pointer = wrong["schema"].as_str().unwrap();
    assert_eq!(
        report[0]["document"].pointer(pointer).unwrap()["type"],
        "array"
    );

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
