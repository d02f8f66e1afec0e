//! `codegen --conformance`: every operation of each spec called through
//! the generated client; one located line per operation, the last line
//! `conformance: P/N operations pass`, and a JSON report
//! (`--conformance-report`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::conformance::{check_conformance, ConformanceOptions, ConformanceReport};
use codegen::examples::VerifyOptions;
use codegen::Settings;
use serde_json::{json, Value};

/// What the flags ask of a conformance run.
pub struct Conformance<'a> {
    pub dir: Option<&'a Path>,
    pub runtime: Option<&'a Path>,
    pub against: Option<String>,
    pub listen: Option<String>,
    pub report: Option<&'a Path>,
    pub quiet: bool,
}

impl Conformance<'_> {
    pub fn run(&self, jobs: &[(PathBuf, Settings)]) -> ExitCode {
        let base = self
            .dir
            .map_or_else(|| PathBuf::from("target/conformance"), Path::to_path_buf);
        let (mut passed, mut total, mut failed) = (0, 0, false);
        let mut reports = Vec::new();
        for (spec, settings) in jobs {
            let options = ConformanceOptions {
                build: VerifyOptions {
                    dir: base.join("crates").join(codegen::module_name(spec)),
                    target: base.join("target"),
                    runtime: self.runtime.map(Path::to_path_buf),
                    lockfile: Some(PathBuf::from("Cargo.lock")).filter(|p| p.is_file()),
                    server: true,
                },
                against: self.against.clone(),
                listen: self.listen.clone(),
            };
            match check_conformance(spec, settings, &options) {
                Ok(report) => {
                    self.print(&report);
                    let (p, n) = report.counts();
                    eprintln!("{}: {p}/{n} operations pass", spec.display());
                    passed += p;
                    total += n;
                    reports.push(to_json(spec, &report));
                }
                Err(e) => {
                    eprintln!("error: {}: {e}", spec.display());
                    if let codegen::examples::VerifyError::Generate(codegen::GenerateError::Spec(
                        d,
                    )) = &e
                    {
                        eprint!("{}", d.render());
                    }
                    failed = true;
                }
            }
        }
        if let Some(path) = self.report {
            let text = serde_json::to_string_pretty(&Value::Array(reports)).unwrap_or_default();
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                failed = true;
            }
        }
        println!("conformance: {passed}/{total} operations pass");
        if failed || passed < total {
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    }

    fn print(&self, report: &ConformanceReport) {
        for o in &report.operations {
            if o.passed {
                if !self.quiet {
                    eprintln!("ok: {}: {}", o.place.location(), o.place.kind);
                }
            } else {
                eprint!("{}", o.place.render());
            }
        }
    }
}

fn to_json(spec: &Path, report: &ConformanceReport) -> Value {
    let operations: Vec<Value> = report
        .operations
        .iter()
        .map(|o| {
            let calls: Vec<Value> = o
                .calls
                .iter()
                .map(|c| {
                    json!({"outcome": c.outcome, "message": c.message,
                        "inputs": c.inputs, "answer": c.answer})
                })
                .collect();
            let negatives: Vec<Value> = o
                .negatives
                .iter()
                .map(|n| {
                    json!({"field": n.field, "breaks": n.breaks, "outcome": n.outcome,
                        "message": n.message})
                })
                .collect();
            json!({
                "operation": o.operation,
                "location": o.place.location(),
                "pointer": o.place.pointer,
                "passed": o.passed,
                "summary": o.place.kind.to_string(),
                "calls": calls,
                "negatives": negatives,
                "uncovered": o.uncovered,
            })
        })
        .collect();
    let (passed, total) = report.counts();
    json!({
        "spec": spec.display().to_string(),
        "passed": passed,
        "operations_total": total,
        "operations": operations,
    })
}
