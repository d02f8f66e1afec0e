//! `--conformance`: every operation of a spec called through the
//! generated client, against the generated server on loopback (its stub
//! answering each documented status in turn) or any server
//! (`--against`), each answer checked to land in its documented variant.
//!
//! Like `--verify-examples`, it needs the generated code compiled: it
//! writes a crate (the module, and a `main` with one caller per
//! operation, `program.rs`), runs it with cargo, and reads one result
//! per call back (`codegen_runtime::verify::conform` documents the
//! outcomes). The calls and their made-up inputs are `calls.rs`.

mod calls;
mod program;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::examples::{run, write_crate, VerifyError, VerifyOptions};
use crate::module::GeneratedModule;
use crate::settings::{Parts, Settings};
use crate::GenerateError;

/// Where the calls go, besides how the crate is built.
#[derive(Debug, Clone)]
pub struct ConformanceOptions {
    /// The crate and its build (`server` is ignored: the server is always built).
    pub build: VerifyOptions,
    /// Send every call here instead of to the generated server.
    pub against: Option<String>,
    /// Serve the generated server on this address (with `against`: a
    /// proxy at `against` stands in front of it).
    pub listen: Option<String>,
}

/// One call and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    /// The runtime's outcome (`pass`, `server-refused`...).
    pub outcome: String,
    /// What happened, when it did not pass.
    pub message: String,
    /// The inputs sent, by name.
    pub inputs: Value,
    /// The answer the stub gave (variant, status, body).
    pub answer: Value,
}

/// What became of one operation.
#[derive(Debug, Clone)]
pub struct OperationResult {
    /// Located at the operation; its kind says the outcome.
    pub place: Diagnostic,
    /// The operation's id.
    pub operation: String,
    /// Every call of it passed (and there was one).
    pub passed: bool,
    /// Its calls.
    pub calls: Vec<CallResult>,
    /// Answers no call asked for, and why.
    pub uncovered: Vec<String>,
}

/// Every operation of a spec, in spec order.
#[derive(Debug, Clone)]
pub struct ConformanceReport {
    /// One per operation the spec has.
    pub operations: Vec<OperationResult>,
}

impl ConformanceReport {
    /// How many operations pass, of how many.
    pub fn counts(&self) -> (usize, usize) {
        let passed = self.operations.iter().filter(|o| o.passed).count();
        (passed, self.operations.len())
    }
}

/// The outcome's words, for the located line.
fn described(outcome: &str) -> &str {
    match outcome {
        "input" => "the made-up inputs do not fit the generated client",
        "judge-refused-request" => "the judge refused the request the client sent",
        "judge-rejected-answer" => "the judge rejected the server's answer",
        "server-refused" => "the server refused a valid request",
        "not-decoded" => "the answer was not decoded as documented",
        "wrong-variant" => "the answer decoded into another variant",
        "misrouted" => "another operation answered",
        "unreached" => "no answer",
        "no-result" => "the program gave no result",
        other => other,
    }
}

/// Calls every operation of the spec at `path` (see the module docs).
pub fn check_conformance(
    path: &Path,
    settings: &Settings,
    options: &ConformanceOptions,
) -> Result<ConformanceReport, VerifyError> {
    let doc = crate::loader::load_file_with_overlays(path, settings.overlays())
        .map_err(GenerateError::Spec)?;
    let settings = settings.clone().with_parts(Parts {
        types: true,
        client: true,
        server: true,
    });
    let lowered = crate::lower::lower(&doc, &crate::module_name(path), &settings)
        .map_err(GenerateError::Spec)?;
    let module = GeneratedModule::new(lowered.api, &settings);
    let (api, plan) = (module.api(), module.plan());
    let coverage = calls::coverage(api, plan);
    let callers: Vec<usize> = (0..coverage.len())
        .filter(|&i| coverage[i].blocked.is_none() && !coverage[i].calls.is_empty())
        .collect();
    // Each call's id is its index in this list; it names its caller.
    let mut listed: Vec<(usize, Value)> = Vec::new();
    for (n, &i) in callers.iter().enumerate() {
        for call in &coverage[i].calls {
            let mut call = call.clone();
            call["id"] = listed.len().into();
            call["caller"] = n.into();
            listed.push((i, call));
        }
    }
    let mut results: BTreeMap<usize, String> = BTreeMap::new();
    if !listed.is_empty() {
        let main = program::program(api, plan, &coverage, &callers);
        let text = Value::Array(listed.iter().map(|(_, c)| c.clone()).collect()).to_string();
        let mut build = options.build.clone();
        build.server = true;
        write_crate(&module, &main, &[("calls.json", &text)], &settings, &build, "conformance")?;
        let mut args = Vec::new();
        for (flag, value) in [("--against", &options.against), ("--listen", &options.listen)] {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        for line in run(&build.dir, &build.target, &args)?.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let Some(id) = v.get("call").and_then(Value::as_u64) {
                results.insert(id as usize, line.to_string());
            }
        }
    }
    let mut per_op: Vec<Vec<CallResult>> = vec![Vec::new(); coverage.len()];
    for (id, (i, call)) in listed.iter().enumerate() {
        let line: Value = results
            .get(&id)
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or(Value::Null);
        let text = |k: &str| line.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let outcome = Some(text("outcome"))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| "no-result".into());
        per_op[*i].push(CallResult {
            outcome,
            message: text("message"),
            inputs: call["inputs"].clone(),
            answer: call["answer"].clone(),
        });
    }
    let operations = coverage
        .iter()
        .zip(per_op)
        .map(|(c, calls)| {
            let what = format!("`{}` ({} {})", c.op.id, c.op.method.as_str(), c.op.path.raw);
            let failed = calls.iter().find(|r| r.outcome != "pass");
            let kind = match (&c.blocked, failed) {
                (Some(why), _) => DiagnosticKind::ConformanceFailed {
                    what,
                    outcome: "not called".into(),
                    message: why.clone(),
                },
                (None, Some(f)) => DiagnosticKind::ConformanceFailed {
                    what,
                    outcome: described(&f.outcome).into(),
                    message: f.message.clone(),
                },
                (None, None) => DiagnosticKind::ConformancePassed {
                    what,
                    calls: calls.len(),
                },
            };
            let passed = matches!(kind, DiagnosticKind::ConformancePassed { .. });
            let d = if passed {
                Diagnostic::warning(kind, &c.op.pointer)
            } else {
                Diagnostic::error(kind, &c.op.pointer)
            };
            OperationResult {
                place: doc.origins.place(d),
                operation: c.op.id.clone(),
                passed,
                calls,
                uncovered: c.uncovered.clone(),
            }
        })
        .collect();
    Ok(ConformanceReport { operations })
}
