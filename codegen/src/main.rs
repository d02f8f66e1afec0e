//! `codegen`: generate Rust modules from API descriptions (Swagger 2.0, OpenAPI 3.0, 3.1, 3.2).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use codegen::config::{self, Config, SpecConfig};
use codegen::output::{register_module, stale_summary, write_if_changed};
use codegen::{generate_files, GenerateError, Layout, Parts, Settings, UnsupportedPolicy};

#[path = "cli/conformance.rs"]
mod conformance;
#[path = "cli/verify.rs"]
mod verify;

// The binary's allocator only (the library leaves the choice to its users).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate a typed Rust module (types, client, server) from API descriptions (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; one file or many).
///
/// Each spec becomes a module named after its file stem, written as
/// `<OUT>/<stem>/` and registered in `<OUT>/lib.rs`. Files are rewritten
/// only when their bytes change.
#[derive(Debug, Parser)]
#[command(
    name = "codegen",
    version,
    about,
    long_about,
    override_usage = "codegen [OPTIONS] <SPEC>...\n       codegen [OPTIONS]                 (the specs of ./codegen.toml)\n       codegen --print-deps [--parts <PART>]",
    after_long_help = AFTER_HELP
)]
struct Cli {
    /// API descriptions (YAML or JSON); references to other files are
    /// followed. Without any, the specs the settings file lists.
    #[arg(value_name = "SPEC")]
    specs: Vec<PathBuf>,

    /// The settings file (TOML: each spec's parts, tags, overlays, format
    /// mappings, replacements, derives, attributes and renames). Default:
    /// ./codegen.toml if it exists. Flags given here override its values.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Source directory of the crate that receives the modules (default:
    /// the settings file's `out`, else generated/src).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Write nothing; exit with status 1 and a diff summary if the files in
    /// OUT are not exactly what generation would write.
    #[arg(long)]
    check: bool,

    /// Parts to emit (comma-separated). Default: every part.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PART")]
    parts: Vec<PartArg>,

    /// Keep only operations with these tags (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,

    /// Apply this OpenAPI Overlay 1.0 document to every spec before
    /// reading it (repeatable; applied in order, after the settings
    /// file's overlays).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,

    /// What to do with constructs generated in a reduced form (a fallback
    /// type, a keyword not checked) or left out [default: skip].
    #[arg(long, value_enum)]
    unsupported: Option<UnsupportedArg>,

    /// Refuse instead of repairing or approximating: every repair (R0001...)
    /// and every reduced construct (E0024) is an error. Same as
    /// `--unsupported=error`.
    #[arg(long)]
    strict: bool,

    /// How the files are laid out: `pretty` (prettyplease, wrapped at 100
    /// columns), `lines` (one pass, several times faster: one statement,
    /// field or arm per line, not wrapped), `auto` (lines for an API of
    /// more than 500 operations or 2,000 types, else pretty) [default: auto].
    #[arg(long, value_enum)]
    layout: Option<LayoutArg>,

    /// Print nothing but diagnostics.
    #[arg(long, short)]
    quiet: bool,

    /// Generate nothing: write the single SPEC as the generator reads it
    /// (one OpenAPI 3.0 JSON document: overlays applied, Swagger 2.0
    /// converted, 3.1/3.2 upgraded, other files bundled in) to FILE.
    #[arg(long, value_name = "FILE")]
    emit_openapi: Option<PathBuf>,

    /// Generate nothing: print the `[dependencies]` the generated modules
    /// need (the runtime crate, with the features of the chosen parts and
    /// format mappings) as TOML for the receiving crate's Cargo.toml.
    #[arg(long)]
    print_deps: bool,

    /// Generate nothing into OUT: decode every example of each spec
    /// (responses, request bodies, parameters, schemas) with its generated
    /// type, re-encode it and compare; then send every request-body
    /// example to the generated server on loopback (it must reach its
    /// operation) and have a stub answer with every response example (it
    /// must come back unchanged). Prints one located result per example
    /// and check. Builds a small crate with cargo (see --verify-dir).
    /// Exits with 1 if an example does not decode or the server refuses one.
    #[arg(long)]
    verify_examples: bool,

    /// With --verify-examples: only decode; send nothing to the generated server.
    #[arg(long, requires = "verify_examples")]
    types_only: bool,

    /// With --verify-examples: exit 0 even when examples do not decode.
    #[arg(long, requires = "verify_examples")]
    allow_example_failures: bool,

    /// With --verify-examples or --conformance: where the checking crates
    /// go [default: target/verify-examples, target/conformance]. Kept
    /// between runs; a new one starts from ./Cargo.lock when there is one.
    #[arg(long, value_name = "DIR")]
    verify_dir: Option<PathBuf>,

    /// With --verify-examples or --conformance: the codegen-runtime crate's
    /// directory [default: the runtime this codegen was built with, carried
    /// inside it and written beside the checking crates].
    #[arg(long, value_name = "DIR")]
    runtime_path: Option<PathBuf>,

    /// With --verify-examples: write every result, with the spec as read
    /// (OpenAPI 3.0) and each example's schema pointer, as JSON to FILE
    /// (what tests/examples-check/cross-check.sh gives a JSON Schema validator).
    #[arg(long, value_name = "FILE", requires = "verify_examples")]
    examples_report: Option<PathBuf>,

    /// Generate nothing into OUT: call every operation of each spec through
    /// the generated client, against the generated server on loopback whose
    /// stub answers each documented status in turn (or against --against),
    /// and check every answer decodes into its documented variant. Prints
    /// one located line per operation and `conformance: P/N operations
    /// pass`; exits with 1 if any operation fails. Builds a crate with cargo.
    #[arg(long, conflicts_with = "verify_examples")]
    conformance: bool,

    /// With --conformance: send every call to URL instead (a mock of the
    /// same spec, a staging deployment); with --listen, a proxy at URL
    /// stands in front of the generated server.
    #[arg(long, value_name = "URL", requires = "conformance")]
    against: Option<String>,

    /// With --conformance: serve the generated server on ADDR (host:port).
    #[arg(long, value_name = "ADDR", requires = "conformance")]
    listen: Option<String>,

    /// With --conformance: write every operation's calls and outcomes as JSON to FILE.
    #[arg(long, value_name = "FILE", requires = "conformance")]
    conformance_report: Option<PathBuf>,
}

const AFTER_HELP: &str = "\
Examples:
  codegen specs/pets.yaml                      write generated/src/pets/ and register it in lib.rs
  codegen --out src/api --parts types,client specs/pets.yaml
  codegen --overlay specs/fixes.overlay.yaml specs/vendor.json
  codegen                                      generate every spec listed in ./codegen.toml
  codegen --check                              CI: fail if the checked-in output is stale
  codegen --print-deps                         the [dependencies] line for the receiving crate
  codegen --verify-examples specs/pets.yaml    decode every example of the spec with its generated type
  codegen --conformance specs/pets.yaml        call every operation through the generated client and server

Exit status: 0 on success (warnings included), 1 if a spec or the settings
file has errors (each printed with file, line, JSON pointer and a hint) or
--check found stale files, 2 on a command-line error.

Settings file keys (codegen.toml; the book: docs/src/settings.md):
  out = \"generated/src\"
  [[spec]]  path, parts, tags, unsupported, strict, serde, layout, overlays,
            formats  (format -> String | chrono::DateTime<chrono::Utc> | chrono::NaiveDate |
                      uuid::Uuid | url::Url | rust_decimal::Decimal | std::net::IpAddr |
                      std::net::Ipv4Addr | std::net::Ipv6Addr),
            replace  (schema -> your type), derive, attributes (type or \"*\" -> list),
            rename.operations / rename.tags / rename.types / rename.properties (\"Schema.property\")";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PartArg {
    /// Data types, one per schema.
    Types,
    /// The async HTTP client.
    Client,
    /// The Axum server stubs.
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UnsupportedArg {
    /// Refuse with a located error (strict).
    Error,
    /// Generate the fallback (or leave the construct out) with a located warning.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    /// Pretty unless the API is large (over 500 operations or 2,000 types).
    Auto,
    /// syn + prettyplease: rustfmt's style.
    Pretty,
    /// One statement, field or arm per line; not wrapped; several times faster.
    Lines,
}

impl From<LayoutArg> for Layout {
    fn from(a: LayoutArg) -> Self {
        match a {
            LayoutArg::Auto => Layout::Auto,
            LayoutArg::Pretty => Layout::Pretty,
            LayoutArg::Lines => Layout::Lines,
        }
    }
}

impl From<UnsupportedArg> for UnsupportedPolicy {
    fn from(a: UnsupportedArg) -> Self {
        match a {
            UnsupportedArg::Error => UnsupportedPolicy::Error,
            UnsupportedArg::Skip => UnsupportedPolicy::Skip,
        }
    }
}

impl Cli {
    /// `base` (a spec's settings from the file, or the defaults) with the
    /// flags given on the command line laid over it.
    fn settings(&self, base: Settings) -> Settings {
        let mut settings = base;
        if self.strict {
            settings = settings.with_unsupported(UnsupportedPolicy::Error);
        } else if let Some(policy) = self.unsupported {
            settings = settings.with_unsupported(policy.into());
        }
        if !self.parts.is_empty() {
            settings = settings.with_parts(Parts {
                types: self.parts.contains(&PartArg::Types),
                client: self.parts.contains(&PartArg::Client),
                server: self.parts.contains(&PartArg::Server),
            });
        }
        if !self.tags.is_empty() {
            settings = settings.with_tags(self.tags.iter().cloned());
        }
        if let Some(layout) = self.layout {
            settings = settings.with_layout(layout.into());
        }
        settings.with_overlays(self.overlays.iter().cloned())
    }

    /// The settings file: `--config`, else `./codegen.toml` when it
    /// exists. `Err` when it was asked for or found and has problems.
    fn config(&self) -> Result<Option<Config>, ExitCode> {
        let path = match &self.config {
            Some(p) => p.clone(),
            None if Path::new(config::FILE_NAME).is_file() => PathBuf::from(config::FILE_NAME),
            None => return Ok(None),
        };
        Config::load(&path).map(Some).map_err(|d| {
            eprint!("{}", d.render());
            eprintln!(
                "error: {} has {} problem(s); nothing generated",
                path.display(),
                d.0.len()
            );
            ExitCode::FAILURE
        })
    }
}

/// What to generate: each spec with its settings and, when the settings
/// file lists it, its entry (to locate warnings about its settings).
fn jobs<'c>(
    cli: &Cli,
    config: Option<&'c Config>,
) -> Vec<(PathBuf, Settings, Option<&'c SpecConfig>)> {
    if cli.specs.is_empty() {
        return config
            .map(|c| {
                c.specs
                    .iter()
                    .map(|s| (s.path.clone(), cli.settings(s.settings.clone()), Some(s)))
                    .collect()
            })
            .unwrap_or_default();
    }
    cli.specs
        .iter()
        .map(|spec| {
            let entry = config.and_then(|c| c.spec(spec));
            let base = entry.map(|e| e.settings.clone()).unwrap_or_default();
            (spec.clone(), cli.settings(base), entry)
        })
        .collect()
}

/// One `[dependencies]` line for every job: parts and features united.
fn union(jobs: &[(PathBuf, Settings, Option<&SpecConfig>)], cli: &Cli) -> Settings {
    let Some((_, first, _)) = jobs.first() else {
        return cli.settings(Settings::new());
    };
    let mut parts = first.parts();
    let mut all = first.clone();
    for (_, s, _) in &jobs[1..] {
        let p = s.parts();
        parts.types |= p.types;
        parts.client |= p.client;
        parts.server |= p.server;
        for (format, ty) in s.formats() {
            all = all.with_format(format.clone(), *ty);
        }
    }
    all.with_parts(parts)
}

fn emit_openapi(jobs: &[(PathBuf, Settings, Option<&SpecConfig>)], target: &Path) -> ExitCode {
    let [(spec, settings, _)] = jobs else {
        eprintln!("error: --emit-openapi takes exactly one SPEC");
        return ExitCode::FAILURE;
    };
    match codegen::read_as_openapi_3_0(spec, settings) {
        Ok(text) => match std::fs::write(target, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", target.display());
                ExitCode::FAILURE
            }
        },
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render());
            ExitCode::FAILURE
        }
    }
}

/// Transparent huge pages (`always` on many Linux hosts) make the kernel
/// zero 2 MiB at a time for memory the generator touches once and frees a
/// chunk later: on the largest documents that was 6 s of system time out of
/// 28, and a sixth of the peak memory of an 11 MB one (220 MB against 184).
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and sets a flag of
    // this process only; a kernel without it returns an error, ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    no_huge_pages();
    let cli = Cli::parse();
    let config = match cli.config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let jobs = jobs(&cli, config.as_ref());
    if cli.print_deps {
        print!("{}", codegen::dependencies(&union(&jobs, &cli)));
        return ExitCode::SUCCESS;
    }
    if jobs.is_empty() {
        eprintln!(
            "error: no SPEC given and no {} here; name a spec (codegen specs/api.yaml) or write a settings file (the book: docs/src/settings.md)",
            config::FILE_NAME
        );
        return ExitCode::from(2);
    }
    if let Some(target) = &cli.emit_openapi {
        return emit_openapi(&jobs, target);
    }
    if cli.conformance {
        let jobs: Vec<(PathBuf, Settings)> = jobs.into_iter().map(|(p, s, _)| (p, s)).collect();
        return conformance::Conformance {
            dir: cli.verify_dir.as_deref(),
            runtime: cli.runtime_path.as_deref(),
            against: cli.against.clone(),
            listen: cli.listen.clone(),
            report: cli.conformance_report.as_deref(),
            quiet: cli.quiet,
        }
        .run(&jobs);
    }
    if cli.verify_examples {
        let jobs: Vec<(PathBuf, Settings)> = jobs.into_iter().map(|(p, s, _)| (p, s)).collect();
        return verify::Verify {
            dir: cli.verify_dir.as_deref(),
            runtime: cli.runtime_path.as_deref(),
            allow_failures: cli.allow_example_failures,
            report: cli.examples_report.as_deref(),
            quiet: cli.quiet,
            server: !cli.types_only,
        }
        .run(&jobs);
    }

    let out = cli
        .out
        .clone()
        .or_else(|| config.as_ref().and_then(|c| c.out.clone()))
        .unwrap_or_else(|| PathBuf::from("generated/src"));
    let mut failed = false;
    let mut stale = String::new();
    let lib_rs = out.join("lib.rs");
    let mut lib_text = std::fs::read_to_string(&lib_rs).ok();
    let original_lib = lib_text.clone();

    for (spec, settings, entry) in &jobs {
        let generated = match generate_files(spec, settings) {
            Ok(g) => g,
            Err(GenerateError::Spec(diagnostics)) => {
                eprint!("{}", diagnostics.render());
                eprintln!(
                    "error: {} has {} problem(s); nothing generated for it",
                    spec.display(),
                    diagnostics.0.len()
                );
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("error: {}: {e}", spec.display());
                failed = true;
                continue;
            }
        };
        for w in generated.warnings {
            let w = match (&config, entry) {
                (Some(c), Some(e)) => c.locate(e, w),
                _ => w,
            };
            eprint!("{}", w.render());
        }
        for file in generated.files {
            let path = out.join(&file.path);
            if cli.check {
                if let Some(summary) = stale_summary(&path, &file.contents) {
                    stale.push_str(&summary);
                }
            } else {
                match write_if_changed(&path, &file.contents) {
                    Ok(true) if !cli.quiet => eprintln!("wrote {}", path.display()),
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("error: cannot write {}: {e}", path.display());
                        failed = true;
                    }
                }
            }
        }
        lib_text = Some(register_module(lib_text.as_deref(), &generated.module));
    }

    if let Some(lib) = &lib_text {
        if cli.check {
            if original_lib.as_deref() != Some(lib.as_str()) {
                stale.push_str(&stale_summary(&lib_rs, lib).unwrap_or_default());
            }
        } else {
            match write_if_changed(&lib_rs, lib) {
                Ok(true) if !cli.quiet => eprintln!("wrote {}", lib_rs.display()),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", lib_rs.display());
                    failed = true;
                }
            }
        }
    }

    if !stale.is_empty() {
        eprint!("{stale}");
        eprintln!(
            "error: generated code is stale; run `cargo run -p codegen -- {}{}`",
            // The settings file is part of what generated them.
            cli.config
                .as_ref()
                .map(|c| format!("--config {} ", c.display()))
                .unwrap_or_default(),
            jobs.iter()
                .map(|(s, _, _)| s.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
        return ExitCode::FAILURE;
    }
    if failed {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
