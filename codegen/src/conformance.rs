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
mod negatives;
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

/// One negative case and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct NegativeResult {
    /// The input broken (`query.page`).
    pub field: String,
    /// The constraint broken.
    pub breaks: String,
    /// The runtime's outcome (`refused`, `accepted-invalid`...).
    pub outcome: String,
    /// What happened, when it did not pass.
    pub message: String,
}

impl NegativeResult {
    /// The server refused it, or agreed with the judge that it is valid.
    pub fn passed(&self) -> bool {
        matches!(
            self.outcome.as_str(),
            "refused" | "both-accept" | "unjudged"
        )
    }
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
    /// Its negative cases.
    pub negatives: Vec<NegativeResult>,
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
        "refused-valid" => "the server refused a request the judge calls valid",
        "refused-unnamed" => "the server's refusal does not name the broken input",
        "accepted-invalid" => "the server accepted an invalid request",
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
    let mut coverage = calls::coverage(api, plan);
    let shadowed = api.shadowed_operations();
    let serves = options.against.is_none() || options.listen.is_some();
    for c in coverage.iter_mut().filter(|_| serves) {
        if let Some(winner) = shadowed.get(&c.op.type_name) {
            // A spec defect: OpenAPI forbids two templates of one path.
            c.blocked = Some(format!(
                "its path is `{winner}`'s (E0050): the generated server sends its requests there"
            ));
            c.calls.clear();
        }
    }
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
    let mut negative_list: Vec<(usize, Value)> = Vec::new();
    for (i, c) in coverage.iter().enumerate() {
        if shadowed.contains_key(&c.op.type_name) {
            continue;
        }
        for mut n in negatives::negatives(api, c.op) {
            n["id"] = negative_list.len().into();
            negative_list.push((i, n));
        }
    }
    let mut results: BTreeMap<usize, Value> = BTreeMap::new();
    let mut negative_results: BTreeMap<usize, Value> = BTreeMap::new();
    if !listed.is_empty() || !negative_list.is_empty() {
        let main = program::program(api, plan, &coverage, &callers);
        let text = Value::Array(listed.iter().map(|(_, c)| c.clone()).collect()).to_string();
        let negative_text =
            Value::Array(negative_list.iter().map(|(_, n)| n.clone()).collect()).to_string();
        let mut build = options.build.clone();
        build.server = true;
        let data = [
            ("calls.json", text.as_str()),
            ("negatives.json", negative_text.as_str()),
        ];
        write_crate(&module, &main, &data, &settings, &build, "conformance")?;
        let mut args = Vec::new();
        for (flag, value) in [
            ("--against", &options.against),
            ("--listen", &options.listen),
        ] {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        for line in run(&build.dir, &build.target, &args)?.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let Some(id) = v.get("call").and_then(Value::as_u64) {
                results.insert(id as usize, v);
            } else if let Some(id) = v.get("negative").and_then(Value::as_u64) {
                negative_results.insert(id as usize, v);
            }
        }
    }
    let text = |line: Option<&Value>, k: &str| {
        line.and_then(|l| l.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut per_op_negatives: Vec<Vec<NegativeResult>> = vec![Vec::new(); coverage.len()];
    // Negatives only run against a served router.
    for (id, (i, n)) in negative_list.iter().enumerate().filter(|_| serves) {
        let line = negative_results.get(&id);
        let outcome = Some(text(line, "outcome"))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| "no-result".into());
        per_op_negatives[*i].push(NegativeResult {
            field: n["field"].as_str().unwrap_or_default().to_string(),
            breaks: n["breaks"].as_str().unwrap_or_default().to_string(),
            outcome,
            message: text(line, "message"),
        });
    }
    let mut per_op: Vec<Vec<CallResult>> = vec![Vec::new(); coverage.len()];
    for (id, (i, call)) in listed.iter().enumerate() {
        let line = results.get(&id);
        let outcome = Some(text(line, "outcome"))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| "no-result".into());
        per_op[*i].push(CallResult {
            outcome,
            message: text(line, "message"),
            inputs: call["inputs"].clone(),
            answer: call["answer"].clone(),
        });
    }
    let operations = coverage
        .iter()
        .zip(per_op.into_iter().zip(per_op_negatives))
        .map(|(c, (calls, negatives))| {
            let what = format!("`{}` ({} {})", c.op.id, c.op.method.as_str(), c.op.path.raw);
            let failed = calls
                .iter()
                .find(|r| r.outcome != "pass")
                .map(|r| (r.outcome.as_str(), r.message.clone()))
                .or_else(|| {
                    negatives.iter().find(|n| !n.passed()).map(|n| {
                        (
                            n.outcome.as_str(),
                            format!("{} ({}): {}", n.field, n.breaks, n.message),
                        )
                    })
                });
            let kind = match (&c.blocked, failed) {
                (Some(why), _) => DiagnosticKind::ConformanceFailed {
                    what,
                    outcome: "not called".into(),
                    message: why.clone(),
                },
                (None, Some((outcome, message))) => DiagnosticKind::ConformanceFailed {
                    what,
                    outcome: described(outcome).into(),
                    message,
                },
                (None, None) => DiagnosticKind::ConformancePassed {
                    what,
                    calls: calls.len(),
                    negatives: negatives.len(),
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
                negatives,
                uncovered: c.uncovered.clone(),
            }
        })
        .collect();
    Ok(ConformanceReport { operations })
}
