//! `--verify-examples`: every example of a spec decoded with the generated
//! type for its place (response by status and media type, request body,
//! parameter, schema), through the same serde path the generated client
//! and server use, re-encoded and compared (`codegen_runtime::verify`
//! documents the normalisation). Large public descriptions carry
//! thousands of examples taken from their real APIs: they are the best
//! oracle for "decodes what the real API sends".
//!
//! Decoding needs the generated code compiled, so [`verify_examples`]
//! writes a small crate (the module's `types` part and a `main` holding
//! the examples), runs it with `cargo run`, and reads one result per
//! example back, each located in the user's file.
//!
//! With [`VerifyOptions::server`], the crate also holds the `server` part,
//! and the program serves its router on loopback with a stub behind
//! every operation (`stub.rs`): each request-body example is sent as
//! its operation's body (the other inputs made up, `requests.rs`) and
//! must reach the operation; each response example is handed to the stub
//! and must come back unchanged (`codegen_runtime::verify::serve`).

mod collect;
pub(crate) mod harness;
mod pattern;
pub(crate) mod requests;
mod runtime;
pub(crate) mod stub;
pub(crate) mod values;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::module::GeneratedModule;
use crate::output::{format_tokens, write_if_changed};
use crate::settings::{Parts, Settings};
use crate::GenerateError;

/// Where and against what the verification crate is built.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The crate's directory (created; reused between runs, so its
    /// `Cargo.lock` stays).
    pub dir: PathBuf,
    /// Cargo's target directory for the build, which several specs'
    /// crates may share. It must not contain `dir`: cargo does not track
    /// the sources of a package inside its own target directory.
    pub target: PathBuf,
    /// The `codegen-runtime` crate's directory; `None`: the runtime this
    /// generator carries (written beside `dir`), else the published
    /// version the generated code requires.
    pub runtime: Option<PathBuf>,
    /// A `Cargo.lock` to start from when the directory has none (your
    /// workspace's: the versions you already build with).
    pub lockfile: Option<PathBuf>,
    /// Also send the body examples to the generated server over loopback.
    pub server: bool,
}

/// Why verification could not run (a spec whose examples fail is not an
/// error: see [`ExampleReport`]).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The spec does not generate.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// The crate could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `cargo run` failed (the generated types did not build, or cargo is missing).
    #[error("building or running the verification crate in {} failed: {message}", dir.display())]
    Cargo {
        /// The crate's directory.
        dir: PathBuf,
        /// Cargo's last lines of output.
        message: String,
    },
}

/// What became of one example.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleOutcome {
    /// Decoded and re-encoded to the same JSON (after normalisation).
    RoundTripped,
    /// Decoded; re-encoded differently: one line per difference
    /// (`/pointer: dropped "x"`).
    Differences(Vec<String>),
    /// The generated type refused it: serde's path and message.
    Rejected {
        /// Where in the example (`items[0].id`; `.` is the example itself).
        path: String,
        /// serde's message.
        message: String,
    },
}

/// One checked example.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    /// Where it is, in the user's file: a diagnostic whose kind says the
    /// outcome (warnings for differences, errors for rejections; `None`
    /// for a clean round trip, which is still located through `place`).
    pub place: Diagnostic,
    /// What it is an example of (`response 200 of getPet`).
    pub of: String,
    /// Its name under `examples`.
    pub name: Option<String>,
    /// The example.
    pub value: Value,
    /// The schema it must match, as a pointer into [`ExampleReport::document`].
    pub schema: String,
    /// The outcome.
    pub outcome: ExampleOutcome,
    /// The server check of a body example, when it ran.
    pub served: Option<ServerCheck>,
}

/// What the generated server did with a body example.
#[derive(Debug, Clone, PartialEq)]
pub enum Served {
    /// A request example reached its operation.
    Accepted,
    /// A response example came back unchanged, with its status.
    Answered,
    /// A response example came back otherwise: one line per difference.
    Differences(Vec<String>),
    /// A request example the server refused (a `400` naming the body, a
    /// `415`), or a request the router sent elsewhere: the server's answer.
    Refused(String),
    /// Not checked: the other inputs could not be made up, or the server
    /// refused them.
    NotChecked(String),
}

/// The server check of one example, located.
#[derive(Debug, Clone)]
pub struct ServerCheck {
    /// A diagnostic whose kind says the outcome (an error for a refusal).
    pub place: Diagnostic,
    /// The outcome.
    pub outcome: Served,
}

/// Every example of a spec, checked.
#[derive(Debug, Clone)]
pub struct ExampleReport {
    /// The checked examples, in document order (operations, then schemas).
    pub results: Vec<ExampleResult>,
    /// Examples not checked (not JSON, `externalValue`), located, as warnings.
    pub skipped: Vec<Diagnostic>,
    /// The spec as the generator read it (OpenAPI 3.0, JSON): what
    /// [`ExampleResult::schema`] points into, for an independent validator.
    pub document: Value,
}

impl ExampleReport {
    /// How many body examples the server took as documented, answered
    /// differently, refused, and did not check.
    pub fn served_counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for s in self.results.iter().filter_map(|r| r.served.as_ref()) {
            match s.outcome {
                Served::Accepted | Served::Answered => c.0 += 1,
                Served::Differences(_) => c.1 += 1,
                Served::Refused(_) => c.2 += 1,
                Served::NotChecked(_) => c.3 += 1,
            }
        }
        c
    }

    /// How many round-tripped, differed, were rejected.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for r in &self.results {
            match r.outcome {
                ExampleOutcome::RoundTripped => c.0 += 1,
                ExampleOutcome::Differences(_) => c.1 += 1,
                ExampleOutcome::Rejected { .. } => c.2 += 1,
            }
        }
        c
    }
}

/// Checks every example of the spec at `path` (see the module docs).
pub fn verify_examples(
    path: &Path,
    settings: &Settings,
    options: &VerifyOptions,
) -> Result<ExampleReport, VerifyError> {
    let doc = crate::loader::load_file_with_overlays(path, settings.overlays())
        .map_err(GenerateError::Spec)?;
    // The types are all a decoder needs; the server check serves the server.
    let settings = settings.clone().with_parts(Parts {
        types: true,
        client: false,
        server: options.server,
    });
    let lowered = crate::lower::lower(&doc, &crate::module_name(path), &settings)
        .map_err(GenerateError::Spec)?;
    let document = serde_json::to_value(&doc.openapi).unwrap_or(Value::Null);
    let (examples, skipped) = collect::collect(&document, &lowered.api);
    if examples.is_empty() {
        // Nothing to decode: no crate to build.
        return Ok(ExampleReport {
            results: Vec::new(),
            skipped: skipped
                .into_iter()
                .map(|s| {
                    doc.origins.place(Diagnostic::warning(
                        DiagnosticKind::ExampleSkipped { why: s.why },
                        &s.pointer,
                    ))
                })
                .collect(),
            document,
        });
    }
    let (exchanges, not_sent) = if options.server {
        requests::exchanges(&lowered.api, &crate::plan::plan(&lowered.api), &examples)
    } else {
        (Vec::new(), Vec::new())
    };
    // No exchange: no server to build.
    let settings = settings.with_parts(Parts {
        types: true,
        client: false,
        server: !exchanges.is_empty(),
    });
    let module = GeneratedModule::new(lowered.api, &settings);
    let server = (!exchanges.is_empty()).then(|| module.plan());
    let (main, inputs) = harness::program(module.api(), &examples, server);
    let exchanges = Value::Array(exchanges).to_string();
    let data = [
        ("examples.json", inputs.as_str()),
        ("exchanges.json", exchanges.as_str()),
    ];
    write_crate(&module, &main, &data, &settings, options, "verify-examples")?;
    let lines = run(&options.dir, &options.target, &[])?;

    let mut outcomes: Vec<Option<ExampleOutcome>> = vec![None; examples.len()];
    let mut served: Vec<Option<Served>> = vec![None; examples.len()];
    for (id, why) in not_sent {
        if let Some(slot) = served.get_mut(id) {
            *slot = Some(Served::NotChecked(why));
        }
    }
    for line in lines.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(id) = v.get("id").and_then(Value::as_u64) {
            if let Some(slot) = outcomes.get_mut(id as usize) {
                *slot = Some(outcome(&v));
            }
        } else if let Some(id) = v.get("exchange").and_then(Value::as_u64) {
            if let Some(slot) = served.get_mut(id as usize) {
                *slot = Some(served_outcome(&v));
            }
        }
    }
    let results = examples
        .into_iter()
        .zip(outcomes)
        .zip(served)
        .map(|((e, outcome), served)| {
            let outcome = outcome.unwrap_or(ExampleOutcome::Rejected {
                path: ".".into(),
                message: "the verification program gave no result".into(),
            });
            let what = match &e.name {
                Some(n) => format!("example `{n}` ({})", e.of),
                None => format!("example ({})", e.of),
            };
            let kind = match &outcome {
                ExampleOutcome::RoundTripped => {
                    DiagnosticKind::ExampleChecked { what: what.clone() }
                }
                ExampleOutcome::Differences(d) => DiagnosticKind::ExampleDiffers {
                    what: what.clone(),
                    differences: d.clone(),
                },
                ExampleOutcome::Rejected { path, message } => DiagnosticKind::ExampleRejected {
                    what: what.clone(),
                    path: path.clone(),
                    message: message.clone(),
                },
            };
            let d = match outcome {
                ExampleOutcome::Rejected { .. } => Diagnostic::error(kind, &e.pointer),
                _ => Diagnostic::warning(kind, &e.pointer),
            };
            let served = served.map(|s| ServerCheck {
                place: doc.origins.place(server_diagnostic(&what, &s, &e.pointer)),
                outcome: s,
            });
            ExampleResult {
                place: doc.origins.place(d),
                of: e.of,
                name: e.name,
                value: e.value,
                schema: e.schema,
                outcome,
                served,
            }
        })
        .collect();
    let skipped = skipped
        .into_iter()
        .map(|s| {
            doc.origins.place(Diagnostic::warning(
                DiagnosticKind::ExampleSkipped { why: s.why },
                &s.pointer,
            ))
        })
        .collect();
    Ok(ExampleReport {
        results,
        skipped,
        document,
    })
}

fn outcome(v: &Value) -> ExampleOutcome {
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match v.get("outcome").and_then(Value::as_str) {
        Some("round-tripped") => ExampleOutcome::RoundTripped,
        Some("differences") => ExampleOutcome::Differences(
            v.get("differences")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(difference).collect())
                .unwrap_or_default(),
        ),
        _ => ExampleOutcome::Rejected {
            path: text("path"),
            message: text("message"),
        },
    }
}

/// A result line of the server check (`verify::serve`).
fn served_outcome(v: &Value) -> Served {
    let message = v
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match v.get("outcome").and_then(Value::as_str) {
        Some("accepted") => Served::Accepted,
        Some("answered") => Served::Answered,
        Some("differences") => {
            let mut lines: Vec<String> = v
                .get("differences")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(difference).collect())
                .unwrap_or_default();
            if !message.is_empty() {
                lines.insert(0, message);
            }
            Served::Differences(lines)
        }
        Some("refused") => Served::Refused(message),
        Some("misrouted") => Served::Refused(format!("misrouted: {message}")),
        _ => Served::NotChecked(message),
    }
}

fn server_diagnostic(what: &str, s: &Served, pointer: &str) -> Diagnostic {
    let what = what.to_string();
    match s {
        Served::Accepted => Diagnostic::warning(
            DiagnosticKind::ExampleServed {
                what,
                how: "the generated server accepted it".into(),
            },
            pointer,
        ),
        Served::Answered => Diagnostic::warning(
            DiagnosticKind::ExampleServed {
                what,
                how: "the generated server answered it unchanged".into(),
            },
            pointer,
        ),
        Served::Differences(differences) => Diagnostic::warning(
            DiagnosticKind::ExampleAnsweredDifferently {
                what,
                differences: differences.clone(),
            },
            pointer,
        ),
        Served::Refused(message) => Diagnostic::error(
            DiagnosticKind::ExampleRefusedByServer {
                what,
                message: message.clone(),
            },
            pointer,
        ),
        Served::NotChecked(why) => Diagnostic::warning(
            DiagnosticKind::ExampleNotServed {
                what,
                why: why.clone(),
            },
            pointer,
        ),
    }
}

fn difference(d: &Value) -> String {
    let at = d.get("pointer").and_then(Value::as_str).unwrap_or_default();
    let at = if at.is_empty() { "(the example)" } else { at };
    let short = |v: &Value| {
        let s = v.to_string();
        if s.chars().count() > 60 {
            format!("{}...", s.chars().take(57).collect::<String>())
        } else {
            s
        }
    };
    if let Some(v) = d.get("dropped") {
        format!("{at}: dropped {} (the type has no place for it)", short(v))
    } else if let Some(v) = d.get("added") {
        format!("{at}: added {}", short(v))
    } else {
        let (o, e) = (
            d.get("original").unwrap_or(&Value::Null),
            d.get("encoded").unwrap_or(&Value::Null),
        );
        format!("{at}: {} came back as {}", short(o), short(e))
    }
}

fn write(path: &Path, text: &str) -> Result<(), VerifyError> {
    write_if_changed(path, text)
        .map(|_| ())
        .map_err(|source| VerifyError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Writes the crate of a checking program: `Cargo.toml` (package
/// `<tool>-<module>`), the module's files in a library, `main` and the
/// `data` files (name, contents) the program includes.
pub(crate) fn write_crate(
    module: &GeneratedModule,
    main: &proc_macro2::TokenStream,
    data: &[(&str, &str)],
    settings: &Settings,
    options: &VerifyOptions,
    tool: &str,
) -> Result<(), VerifyError> {
    let dir = &options.dir;
    let mut features = vec!["verify"];
    if settings.parts().server {
        // The router, and the client that calls it.
        features.extend(["server", "client"]);
    }
    features.extend(settings.runtime_features());
    let features = crate::toml_strings(&features);
    let carried = match &options.runtime {
        Some(_) => None,
        None => runtime::write_beside(dir.parent().unwrap_or(dir))?,
    };
    let source = match options.runtime.as_ref().or(carried.as_ref()) {
        Some(p) => {
            let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            format!("path = {:?}", p.display().to_string())
        }
        None => format!("version = \"{}\"", crate::RUNTIME_VERSION),
    };
    write(
        &dir.join("Cargo.toml"),
        &format!(
            // A package name per module: verification crates sharing a
            // target directory must not share a binary.
            "# Written by `codegen`'s {tool} check; rewritten each run.\n[package]\nname = \"{tool}-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\nname = \"{}\"\npath = \"src/lib.rs\"\n\n[dependencies]\ncodegen-runtime = {{ {source}, default-features = false, features = [{features}] }}\n\n# Run once and thrown away: no debug info (a large spec's types made\n# binaries of a hundred megabytes).\n[profile.dev]\ndebug = false\n\n[workspace]\n",
            module.name().replace('_', "-"),
            harness::CRATE,
        ),
    )?;
    if let Some(lock) = &options.lockfile {
        let target = dir.join("Cargo.lock");
        if !target.exists() {
            std::fs::copy(lock, &target).map_err(|source| VerifyError::Write {
                path: target.clone(),
                source,
            })?;
        }
    }
    let name = module.name();
    write(
        &dir.join("src/lib.rs"),
        &format!("//! The spec's generated module, for `codegen`'s {tool} check.\n#![allow(warnings)]\npub mod {name};\n"),
    )?;
    for file in module.files()? {
        write(&dir.join("src").join(&file.path), &file.contents)?;
    }
    let main = format_tokens(main.clone(), "main.rs")?;
    write(&dir.join("src/main.rs"), &main)?;
    for (name, contents) in data {
        write(&dir.join(name), contents)?;
    }
    Ok(())
}

/// `cargo run` in the crate, passing the program `args`; its stdout.
pub(crate) fn run(dir: &Path, target: &Path, args: &[String]) -> Result<String, VerifyError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    if !args.is_empty() {
        command.arg("--").args(args);
    }
    let output = command.output().map_err(|e| VerifyError::Cargo {
        dir: dir.to_path_buf(),
        message: format!("cannot run cargo: {e}"),
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        return Err(VerifyError::Cargo {
            dir: dir.to_path_buf(),
            message: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
