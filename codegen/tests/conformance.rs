//! `codegen --conformance` on the token spec: every operation passes
//! against the generated server; a deliberately wrong server (answering
//! every request with a body the spec does not allow) and a deliberately
//! wrong client (sending a value the spec forbids) are each caught.
//!
//! One test, in steps: they share the conformance crate (built once, in
//! the tests' own directory, target/conformance-tests).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dir() -> PathBuf {
    root().join("target/conformance-tests")
}

fn conformance(extra: &[&str]) -> Output {
    conformance_of("specs/tokens.yaml", extra)
}

fn conformance_of(spec: &str, extra: &[&str]) -> Output {
    let dir = dir();
    let mut args = vec![
        "--conformance",
        "--runtime-path",
        "codegen/runtime",
        "--verify-dir",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    args.push(spec);
    common::codegen(&args, &root())
}

/// A server that answers every request `200 {"id": 5}`: no documented
/// answer of the token spec has that shape.
fn wrong_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{\"id\": 5}";
            let _ = reader.get_mut().write_all(answer.as_bytes());
        }
    });
    format!("http://{addr}")
}

/// The negative cases of a `--conformance-report`: (field, breaks, outcome).
fn negatives_in(report: &Path) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    report[0]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["negatives"].as_array().unwrap())
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap().to_string();
            (text("field"), text("breaks"), text("outcome"))
        })
        .collect()
}

fn last_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_token_spec_passes_and_a_wrong_server_and_a_wrong_client_are_caught() {
    // 1. Every operation against the generated server, with the report.
    let report = tempfile::NamedTempFile::new().unwrap();
    let out = conformance(&["--conformance-report", report.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        last_line(&out),
        "conformance: 11/11 operations pass",
        "{stderr}"
    );
    assert!(
        stderr.contains("ok: specs/tokens.yaml:39:5: `userApiToken.get` (GET /me/tokens/{apiTokenId}): 6 call(s) pass"),
        "{stderr}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(report.path()).unwrap()).unwrap();
    let ops = report[0]["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 11);
    // Every documented answer of `userApiToken.get` was asked for and decoded.
    let get = &ops[0];
    let statuses: Vec<u64> = get["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["answer"]["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [401, 403, 200, 400, 404, 200], "{get}");
    // Every negative case was refused by the server, naming its input.
    let negatives: Vec<&Value> = ops
        .iter()
        .flat_map(|o| o["negatives"].as_array().unwrap())
        .collect();
    assert!(negatives.len() >= 30, "{negatives:?}");
    assert!(
        negatives.iter().all(|n| n["outcome"] == "refused"),
        "{negatives:?}"
    );
    assert!(negatives
        .iter()
        .any(|n| n["field"] == "query.page" && n["breaks"] == "minimum 1"));

    // 2. A wrong server: its answers do not decode as documented.
    let out = conformance(&["--against", &wrong_server()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the answer was not decoded as documented"),
        "{stderr}"
    );
    let last = last_line(&out);
    assert!(
        last.starts_with("conformance: ") && last.ends_with("/11 operations pass"),
        "{last}"
    );
    assert_ne!(last, "conformance: 11/11 operations pass");

    // 3. A wrong client: the call with every input of
    // `personalAccessTokens.list` sends `per_page=0`, which its pattern
    // forbids; the generated server refuses it before the operation runs.
    let krate = dir().join("crates/tokens");
    let calls_path = krate.join("calls.json");
    let mut calls: Value =
        serde_json::from_str(&std::fs::read_to_string(&calls_path).unwrap()).unwrap();
    let tampered = calls
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| {
            c["operation"] == "personalAccessTokens.list" && c["inputs"].get("p:per_page").is_some()
        })
        .expect("a call with every input");
    tampered["inputs"]["p:per_page"] = serde_json::json!(["0"]);
    let id = tampered["id"].as_u64().unwrap();
    std::fs::write(&calls_path, calls.to_string()).unwrap();
    let run = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", dir().join("target"))
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&run.stdout);
    let line: Value = lines
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["call"].as_u64() == Some(id))
        .unwrap_or_else(|| {
            panic!(
                "no line for call {id}: {lines}\n{}",
                String::from_utf8_lossy(&run.stderr)
            )
        });
    assert_eq!(line["outcome"], "server-refused", "{line}");
}

/// The class `--conformance` found in lichess: an enum that answers carry
/// is open (unlisted values decode), and the server took unlisted values
/// in requests. In a parameter and in a body they are refused, and so is
/// an enum every `oneOf` alternative shares (lob's `mail_type`).
#[test]
fn open_enums_refuse_unlisted_request_values() {
    let report = tempfile::NamedTempFile::new().unwrap();
    let out = conformance_of(
        "tests/fixtures/edge/open-enums.yaml",
        &["--conformance-report", report.path().to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // `pay` sends the example `{"type": "bank"}`, which the first
    // alternative decodes through its catch-all: it must still pass.
    assert_eq!(
        last_line(&out),
        "conformance: 3/3 operations pass",
        "{stderr}"
    );
    let negatives = negatives_in(report.path());
    for field in ["query.size", "body.size", "query.currency"] {
        assert!(
            negatives.contains(&(field.into(), "enum".into(), "refused".into())),
            "{negatives:?}"
        );
    }
}

/// An operation documenting a 3xx answer gets it as its typed variant,
/// `Location` included: the client's default HTTP client used to follow
/// it (oxide's login routes), ending at whatever the header named.
#[test]
fn documented_redirects_are_answers_not_followed() {
    let out = conformance_of("tests/fixtures/edge/redirects.yaml", &[]);
    assert_eq!(
        last_line(&out),
        "conformance: 2/2 operations pass",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Requests the generated code could not carry, one class per fixture: a
/// form body with list properties (reqwest's `form` and serde_urlencoded
/// refuse lists), parameters whose type is an alias of a nullable number,
/// boolean or date (the server read them as JSON strings), operations
/// told apart only by a header of one value (AWS's `X-Amz-Target`: the
/// router gave them all to the first), templates that write part of the
/// query (`/rest?method=..`, `/alerts?lat={lat}`: the server answered 404).
#[test]
fn requests_of_every_class_found_get_through() {
    for (spec, operations) in [
        ("tests/fixtures/edge/form-lists.yaml", 1),
        ("tests/fixtures/edge/scalar-aliases.yaml", 1),
        ("tests/fixtures/edge/header-told.yaml", 3),
        ("tests/fixtures/edge/query-in-template.yaml", 6),
        // Lists of objects in the query, as JSON text each (AWS's query
        // APIs; autoscaling's `TrafficSources`).
        ("tests/fixtures/formats/parameter-styles-undefined.yaml", 1),
        // A literal segment starting with `:` (adafruit), an optional form
        // body that encodes as nothing (twilio).
        ("tests/fixtures/edge/literal-colon.yaml", 2),
    ] {
        let out = conformance_of(spec, &[]);
        assert_eq!(
            last_line(&out),
            format!("conformance: {operations}/{operations} operations pass"),
            "{spec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `multipleOf` and `minProperties`/`maxProperties`, which the server did
/// not check: each broken by a negative case the server refuses; and a
/// form body that is a union of structs with number fields (lichess's
/// seeks), which the server could not read.
#[test]
fn steps_and_member_counts_are_checked_and_form_unions_read() {
    let report = tempfile::NamedTempFile::new().unwrap();
    let out = conformance_of(
        "tests/fixtures/edge/counts-and-steps.yaml",
        &["--conformance-report", report.path().to_str().unwrap()],
    );
    assert_eq!(
        last_line(&out),
        "conformance: 3/3 operations pass",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let negatives = negatives_in(report.path());
    for (field, breaks) in [
        ("query.size", "multipleOf 10"),
        ("body.quantity", "multipleOf 5"),
        ("body.price", "multipleOf 0.25"),
        ("body", "minProperties 2"),
        ("body", "maxProperties 4"),
        ("body.labels", "minProperties 1"),
        ("body.labels", "maxProperties 2"),
    ] {
        assert!(
            negatives.contains(&(field.into(), breaks.into(), "refused".into())),
            "{field} {breaks}: {negatives:?}"
        );
    }
}
