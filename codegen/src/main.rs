//! `codegen`: generate Rust modules from API descriptions (Swagger 2.0, OpenAPI 3.0, 3.1, 3.2).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use codegen::output::{register_module, stale_summary, write_if_changed};
use codegen::{generate_files, GenerateError, Parts, Settings, UnsupportedPolicy};

// The binary's allocator only (the library leaves the choice to its users).
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
    override_usage = "codegen [OPTIONS] <SPEC>...\n       codegen --print-deps [--parts <PART>]"
)]
struct Cli {
    /// API descriptions (YAML or JSON); references to other files are followed.
    #[arg(required_unless_present = "print_deps", value_name = "SPEC")]
    specs: Vec<PathBuf>,

    /// Source directory of the crate that receives the modules.
    #[arg(long, value_name = "DIR", default_value = "generated/src")]
    out: PathBuf,

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

    /// What to do with constructs generated in a reduced form (a fallback
    /// type, a keyword not checked) or left out.
    #[arg(long, value_enum, default_value_t = UnsupportedArg::Skip)]
    unsupported: UnsupportedArg,

    /// Refuse instead of repairing or approximating: every repair (R0001...)
    /// and every reduced construct (E0024) is an error. Same as
    /// `--unsupported=error`.
    #[arg(long)]
    strict: bool,

    /// Print nothing but diagnostics.
    #[arg(long, short)]
    quiet: bool,

    /// Generate nothing: write the single SPEC as the generator reads it
    /// (one OpenAPI 3.0 JSON document: Swagger 2.0 converted, 3.1/3.2
    /// upgraded, other files bundled in) to FILE.
    #[arg(long, value_name = "FILE")]
    emit_openapi: Option<PathBuf>,

    /// Generate nothing: print the `[dependencies]` the generated modules
    /// need (the runtime crate, with the features of the chosen --parts) as
    /// TOML for the receiving crate's Cargo.toml.
    #[arg(long)]
    print_deps: bool,
}

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

impl From<UnsupportedArg> for UnsupportedPolicy {
    fn from(a: UnsupportedArg) -> Self {
        match a {
            UnsupportedArg::Error => UnsupportedPolicy::Error,
            UnsupportedArg::Skip => UnsupportedPolicy::Skip,
        }
    }
}

impl Cli {
    fn settings(&self) -> Settings {
        let policy = if self.strict {
            UnsupportedPolicy::Error
        } else {
            self.unsupported.into()
        };
        let mut settings = Settings::new().with_unsupported(policy);
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
        settings
    }
}

fn emit_openapi(specs: &[PathBuf], target: &std::path::Path) -> ExitCode {
    let [spec] = specs else {
        eprintln!("error: --emit-openapi takes exactly one SPEC");
        return ExitCode::FAILURE;
    };
    match codegen::read_as_openapi_3_0(spec) {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.print_deps {
        print!("{}", codegen::dependencies(&cli.settings()));
        return ExitCode::SUCCESS;
    }
    if let Some(target) = &cli.emit_openapi {
        return emit_openapi(&cli.specs, target);
    }

    let settings = cli.settings();
    let mut failed = false;
    let mut stale = String::new();
    let lib_rs = cli.out.join("lib.rs");
    let mut lib_text = std::fs::read_to_string(&lib_rs).ok();
    let original_lib = lib_text.clone();

    for spec in &cli.specs {
        let generated = match generate_files(spec, &settings) {
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
        for w in &generated.warnings {
            eprint!("{}", w.render());
        }
        for file in generated.files {
            let path = cli.out.join(&file.path);
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
            "error: generated code is stale; run `cargo run -p codegen -- {}`",
            cli.specs
                .iter()
                .map(|s| s.display().to_string())
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
