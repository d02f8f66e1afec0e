//! `codegen --verify-examples`: each spec's examples through its generated
//! types, one located line per example, a summary per spec, and the JSON
//! report an independent validator reads (`--examples-report`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::examples::{verify_examples, ExampleOutcome, ExampleReport, Served, VerifyOptions};
use codegen::Settings;
use serde_json::{json, Value};

/// What the flags ask of a verification run.
pub struct Verify<'a> {
    pub dir: Option<&'a Path>,
    pub runtime: Option<&'a Path>,
    pub allow_failures: bool,
    pub report: Option<&'a Path>,
    pub quiet: bool,
    /// Also check body examples against the generated server.
    pub server: bool,
}

impl Verify<'_> {
    pub fn run(&self, jobs: &[(PathBuf, Settings)]) -> ExitCode {
        let mut reports = Vec::new();
        let mut failed = false;
        let mut rejected = 0;
        for (spec, settings) in jobs {
            let module = codegen::module_name(spec);
            let base = self.dir.map_or_else(
                || PathBuf::from("target/verify-examples"),
                Path::to_path_buf,
            );
            let options = VerifyOptions {
                // One crate per spec beside one shared build directory.
                dir: base.join("crates").join(&module),
                target: base.join("target"),
                runtime: self.runtime.map(Path::to_path_buf),
                lockfile: Some(PathBuf::from("Cargo.lock")).filter(|p| p.is_file()),
                server: self.server,
            };
            match verify_examples(spec, settings, &options) {
                Ok(report) => {
                    self.print(spec, &report);
                    rejected += report.counts().2 + report.served_counts().2;
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
            let text = serde_json::to_string(&Value::Array(reports)).unwrap_or_default();
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                failed = true;
            }
        }
        if failed || (rejected > 0 && !self.allow_failures) {
            if rejected > 0 && !self.allow_failures {
                eprintln!("error: {rejected} example(s) do not decode or are refused by the generated server (--allow-example-failures to exit 0)");
            }
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    }

    fn print(&self, spec: &Path, report: &ExampleReport) {
        for r in &report.results {
            match r.outcome {
                ExampleOutcome::RoundTripped if self.quiet => {}
                ExampleOutcome::RoundTripped => {
                    eprintln!("ok: {}: {}", r.place.location(), r.place.kind)
                }
                _ => eprint!("{}", r.place.render()),
            }
            if let Some(s) = &r.served {
                let passed = matches!(s.outcome, Served::Accepted | Served::Answered);
                let unchecked = matches!(s.outcome, Served::NotChecked(_));
                if self.quiet && (passed || unchecked) {
                    // -q: problems only.
                } else if passed {
                    eprintln!("ok: {}: {}", s.place.location(), s.place.kind);
                } else {
                    eprint!("{}", s.place.render());
                }
            }
        }
        if !self.quiet {
            for s in &report.skipped {
                eprint!("{}", s.render());
            }
        }
        let (ok, differ, rejected) = report.counts();
        eprintln!(
            "{}: {} example(s): {ok} round-tripped, {differ} with differences, {rejected} rejected; {} not checked",
            spec.display(),
            report.results.len(),
            report.skipped.len()
        );
        if self.server {
            let (ok, differ, refused, unchecked) = report.served_counts();
            eprintln!(
                "{}: on the generated server: {ok} taken as documented, {differ} answered differently, {refused} refused; {unchecked} not checked",
                spec.display()
            );
        }
    }
}

fn to_json(spec: &Path, report: &ExampleReport) -> Value {
    let examples: Vec<Value> = report
        .results
        .iter()
        .map(|r| {
            let mut v = json!({
                "location": r.place.location(),
                "pointer": r.place.pointer,
                "of": r.of,
                "name": r.name,
                "value": r.value,
                "schema": r.schema,
            });
            match &r.outcome {
                ExampleOutcome::RoundTripped => v["outcome"] = "round-tripped".into(),
                ExampleOutcome::Differences(d) => {
                    v["outcome"] = "differences".into();
                    v["differences"] = json!(d);
                }
                ExampleOutcome::Rejected { path, message } => {
                    v["outcome"] = "rejected".into();
                    v["path"] = path.clone().into();
                    v["message"] = message.clone().into();
                }
            }
            if let Some(s) = &r.served {
                v["server"] = match &s.outcome {
                    Served::Accepted => json!({"outcome": "accepted"}),
                    Served::Answered => json!({"outcome": "answered"}),
                    Served::Differences(d) => json!({"outcome": "differences", "differences": d}),
                    Served::Refused(m) => json!({"outcome": "refused", "message": m}),
                    Served::NotChecked(m) => json!({"outcome": "not-checked", "message": m}),
                };
            }
            v
        })
        .collect();
    json!({
        "spec": spec.display().to_string(),
        "document": report.document,
        "examples": examples,
        "skipped": report.skipped.len(),
    })
}
