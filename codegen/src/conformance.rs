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
            "refused" | "both-accept" | "unjudged" | "judge-blind"
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
    let calls = numbered(callers.iter().enumerate().flat_map(|(n, &i)| {
        coverage[i].calls.iter().map(move |call| {
            let mut call = call.clone();
            call["caller"] = n.into();
            (i, call)
        })
    }));
    // Negatives are sent only to a served router.
    let negatives = numbered(
        coverage
            .iter()
            .enumerate()
            .filter(|(_, c)| serves && !shadowed.contains_key(&c.op.type_name))
            .flat_map(|(i, c)| {
                negatives::negatives(api, c.op)
                    .into_iter()
                    .map(move |n| (i, n))
            }),
    );
    let lines = if calls.is_empty() && negatives.is_empty() {
        Lines::default()
    } else {
        let main = program::program(api, plan, &coverage, &callers);
        run_program(&module, &main, (&calls, &negatives), &settings, options)?
    };
    let (per_op, per_op_negatives) = results(coverage.len(), &calls, &negatives, &lines);
    let operations = coverage
        .iter()
        .zip(per_op.into_iter().zip(per_op_negatives))
        .map(|(c, (calls, negatives))| {
            let place = doc.origins.place(located(c, &calls, &negatives));
            OperationResult {
                passed: matches!(place.kind, DiagnosticKind::ConformancePassed { .. }),
                place,
                operation: c.op.id.clone(),
                calls,
                negatives,
                uncovered: c.uncovered.clone(),
            }
        })
        .collect();
    Ok(ConformanceReport { operations })
}

/// Each item with its `id`, its index in the list, beside the index of
/// its operation.
fn numbered(items: impl Iterator<Item = (usize, Value)>) -> Vec<(usize, Value)> {
    items
        .enumerate()
        .map(|(id, (i, mut v))| {
            v["id"] = id.into();
            (i, v)
        })
        .collect()
}

/// Calls or negative cases, each beside the index of its operation.
type Listed = [(usize, Value)];

/// The program's result lines, by call and by negative case.
#[derive(Default)]
struct Lines {
    calls: BTreeMap<usize, Value>,
    negatives: BTreeMap<usize, Value>,
}

/// Writes the program's crate and runs it with the options' arguments.
fn run_program(
    module: &GeneratedModule,
    main: &proc_macro2::TokenStream,
    (calls, negatives): (&Listed, &Listed),
    settings: &Settings,
    options: &ConformanceOptions,
) -> Result<Lines, VerifyError> {
    let list =
        |items: &Listed| Value::Array(items.iter().map(|(_, v)| v.clone()).collect()).to_string();
    let (calls, negatives) = (list(calls), list(negatives));
    let mut build = options.build.clone();
    build.server = true;
    let data = [
        ("calls.json", calls.as_str()),
        ("negatives.json", negatives.as_str()),
    ];
    write_crate(module, main, &data, settings, &build, "conformance")?;
    let mut args = Vec::new();
    for (flag, value) in [
        ("--against", &options.against),
        ("--listen", &options.listen),
    ] {
        if let Some(v) = value {
            args.extend([flag.to_string(), v.clone()]);
        }
    }
    let mut lines = Lines::default();
    for line in run(&build.dir, &build.target, &args)?.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(id) = v.get("call").and_then(Value::as_u64) {
            lines.calls.insert(id as usize, v);
        } else if let Some(id) = v.get("negative").and_then(Value::as_u64) {
            lines.negatives.insert(id as usize, v);
        }
    }
    Ok(lines)
}

fn text(line: Option<&Value>, key: &str) -> String {
    line.and_then(|l| l.get(key))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn outcome(line: Option<&Value>) -> String {
    Some(text(line, "outcome"))
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| "no-result".into())
}

/// The calls' and the negative cases' results, by operation.
fn results(
    count: usize,
    calls: &Listed,
    negatives: &Listed,
    lines: &Lines,
) -> (Vec<Vec<CallResult>>, Vec<Vec<NegativeResult>>) {
    let mut per_op: Vec<Vec<CallResult>> = vec![Vec::new(); count];
    for (id, (i, call)) in calls.iter().enumerate() {
        let line = lines.calls.get(&id);
        per_op[*i].push(CallResult {
            outcome: outcome(line),
            message: text(line, "message"),
            inputs: call["inputs"].clone(),
            answer: call["answer"].clone(),
        });
    }
    let mut per_op_negatives: Vec<Vec<NegativeResult>> = vec![Vec::new(); count];
    for (id, (i, n)) in negatives.iter().enumerate() {
        let line = lines.negatives.get(&id);
        per_op_negatives[*i].push(NegativeResult {
            field: text(Some(n), "field"),
            breaks: text(Some(n), "breaks"),
            outcome: outcome(line),
            message: text(line, "message"),
        });
    }
    (per_op, per_op_negatives)
}

/// The located line of one operation: passed, or its first failure.
fn located(
    c: &calls::Coverage<'_>,
    calls: &[CallResult],
    negatives: &[NegativeResult],
) -> Diagnostic {
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
    match (&c.blocked, failed) {
        (Some(why), _) => Diagnostic::error(
            DiagnosticKind::ConformanceFailed {
                what,
                outcome: "not called".into(),
                message: why.clone(),
            },
            &c.op.pointer,
        ),
        (None, Some((outcome, message))) => Diagnostic::error(
            DiagnosticKind::ConformanceFailed {
                what,
                outcome: described(outcome).into(),
                message,
            },
            &c.op.pointer,
        ),
        (None, None) => Diagnostic::warning(
            DiagnosticKind::ConformancePassed {
                what,
                calls: calls.len(),
                negatives: negatives.len(),
            },
            &c.op.pointer,
        ),
    }
}
