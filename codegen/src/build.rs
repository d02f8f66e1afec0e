//! Generating inside a Cargo build: from a `build.rs` script ([`Builder`],
//! [`generate`]) or from the `#[token_api]` macro ([`generate_relative`]).
//!
//! Both resolve the spec against the crate's directory (`CARGO_MANIFEST_DIR`),
//! call [`crate::generate_file`] exactly as the CLI does, and report the same
//! located diagnostics, naming the spec as it was written (`specs/tokens.yaml`),
//! never by the absolute path it was read from.
//!
//! A build script writes the module as one formatted file into `OUT_DIR`:
//!
//! ```no_run
//! // In build.rs's `fn main`. The path is relative to the crate's Cargo.toml;
//! // the script reruns when the spec changes.
//! codegen::build::generate("specs/tokens.yaml");
//! ```
//!
//! and the crate includes it (the file holds one item, `pub mod tokens { ... }`):
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/tokens.rs"));
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::write_if_changed;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::{generate_file, GenerateError, Generated};

/// Generates the module for `spec`, read from `base.join(spec)` (an absolute
/// `spec` is read as is). Diagnostics and warnings name the file `spec`, as
/// written, so that messages are the same on every machine.
pub fn generate_relative(
    base: &Path,
    spec: &Path,
    settings: &Settings,
) -> Result<Generated, GenerateError> {
    match generate_file(&base.join(spec), settings) {
        Ok(mut generated) => {
            for w in &mut generated.warnings {
                rename(w, spec);
            }
            Ok(generated)
        }
        Err(GenerateError::Spec(Diagnostics(mut all))) => {
            for d in &mut all {
                rename(d, spec);
            }
            Err(GenerateError::Spec(Diagnostics(all)))
        }
        Err(e) => Err(e),
    }
}

/// Points a diagnostic at the same text under another name.
fn rename(d: &mut Diagnostic, shown: &Path) {
    if let Some(file) = &d.file {
        d.file = Some(Arc::new(SourceFile::new(shown, file.text().to_string())));
    }
}

/// Why a build-script generation failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The spec has problems (rendered by [`Diagnostics::render`]), or the
    /// generator failed.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// The settings file lists no entry for the spec.
    #[error("{} lists no `[[spec]]` for {}; add one with `path = ...` relative to the file", config.display(), spec.display())]
    NotListed {
        /// The spec asked for.
        spec: PathBuf,
        /// The settings file.
        config: PathBuf,
    },
    /// A variable Cargo sets for build scripts is missing: not run by Cargo?
    #[error("environment variable `{0}` is not set; run from a Cargo build script, or set it with `Builder::{1}`")]
    MissingEnv(&'static str, &'static str),
    /// The generated file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// What a successful build-script generation wrote.
#[derive(Debug)]
pub struct Output {
    /// The module's name (the spec's file stem): the item `include!` brings in.
    pub module: String,
    /// The file written, `<OUT_DIR>/<module>.rs`.
    pub path: PathBuf,
    /// Warnings (with [`crate::UnsupportedPolicy::Skip`]); already printed as
    /// `cargo::warning` lines.
    pub warnings: Vec<Diagnostic>,
}

/// Generates one spec from a build script. Defaults: every part, no tag
/// filter, unsupported constructs are errors, the spec relative to
/// `CARGO_MANIFEST_DIR`, output into `OUT_DIR`.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Settings,
    config: Option<PathBuf>,
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

impl Builder {
    /// `spec` is relative to the crate's directory (where its `Cargo.toml` is).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            settings: Settings::default(),
            config: None,
            manifest_dir: None,
            out_dir: None,
        }
    }

    /// Parts, tag filter and unsupported policy, as for the CLI.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Takes the settings from the spec's `[[spec]]` entry in this
    /// settings file (relative to the crate's directory; see
    /// [`crate::config`]) instead of [`Builder::settings`]. The script
    /// reruns when the file changes.
    pub fn config(mut self, file: impl Into<PathBuf>) -> Self {
        self.config = Some(file.into());
        self
    }

    /// Resolve the spec against this directory instead of `CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Write into this directory instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates and writes `<out_dir>/<module>.rs` (only if its bytes
    /// change), printing `cargo::rerun-if-changed` for the spec and a
    /// `cargo::warning` per warning.
    pub fn generate(self) -> Result<Output, BuildError> {
        let manifest_dir = match self.manifest_dir {
            Some(d) => d,
            None => env_dir("CARGO_MANIFEST_DIR", "manifest_dir")?,
        };
        let out_dir = match self.out_dir {
            Some(d) => d,
            None => env_dir("OUT_DIR", "out_dir")?,
        };
        println!(
            "cargo::rerun-if-changed={}",
            manifest_dir.join(&self.spec).display()
        );
        let settings = match &self.config {
            Some(file) => {
                println!(
                    "cargo::rerun-if-changed={}",
                    manifest_dir.join(file).display()
                );
                let config = Config::load_from(&manifest_dir, file).map_err(GenerateError::Spec)?;
                let file = file.clone();
                let spec = manifest_dir.join(&self.spec);
                match config.spec(&spec) {
                    Some(entry) => entry.settings.clone(),
                    None => return Err(BuildError::NotListed { spec, config: file }),
                }
            }
            None => self.settings.clone(),
        };
        for overlay in settings.overlays() {
            println!(
                "cargo::rerun-if-changed={}",
                manifest_dir.join(overlay).display()
            );
        }
        let generated = generate_relative(&manifest_dir, &self.spec, &settings)?;
        for w in &generated.warnings {
            println!("cargo::warning={w}");
        }
        let source = generated.module.source()?;
        let path = out_dir.join(format!("{}.rs", generated.module.name()));
        write_if_changed(&path, &source).map_err(|source| BuildError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(Output {
            module: generated.module.name().to_string(),
            path,
            warnings: generated.warnings,
        })
    }

    /// [`Builder::generate`] for `fn main` of a build script: on failure,
    /// prints the diagnostics rustc-style (Cargo shows a failed script's
    /// stderr) and exits with status 1.
    pub fn run(self) -> Output {
        let spec = self.spec.clone();
        match self.generate() {
            Ok(output) => output,
            Err(BuildError::Generate(GenerateError::Spec(diagnostics))) => {
                eprint!("{}", diagnostics.render());
                eprintln!(
                    "error: {} has {} problem(s); nothing generated for it",
                    spec.display(),
                    diagnostics.0.len()
                );
                std::process::exit(1);
            }
            Err(e) => {
                eprintln!("error: {}: {e}", spec.display());
                std::process::exit(1);
            }
        }
    }
}

/// `Builder::new(spec).run()`: every part, the spec relative to the crate,
/// the module written to `OUT_DIR/<stem>.rs`.
pub fn generate(spec: impl Into<PathBuf>) -> Output {
    Builder::new(spec).run()
}

fn env_dir(name: &'static str, setter: &'static str) -> Result<PathBuf, BuildError> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .ok_or(BuildError::MissingEnv(name, setter))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n";

    #[test]
    fn diagnostics_name_the_spec_as_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("specs")).unwrap();
        std::fs::write(dir.path().join("specs/api.yaml"), SPEC).unwrap();
        // The dangling reference is a repair: an error under the strict policy.
        let strict = Settings::new().with_unsupported(crate::UnsupportedPolicy::Error);
        let err = generate_relative(dir.path(), Path::new("specs/api.yaml"), &strict).unwrap_err();
        let GenerateError::Spec(d) = err else {
            panic!("expected diagnostics")
        };
        let rendered = d.render();
        assert!(rendered.contains("specs/api.yaml:8:"), "{rendered}");
        assert!(!rendered.contains(&dir.path().display().to_string()));
    }

    #[test]
    fn builder_writes_one_includable_item() {
        let dir = tempfile::tempdir().unwrap();
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Thing: {type: object, properties: {id: {type: string}}}\n";
        std::fs::write(dir.path().join("api.yaml"), spec).unwrap();
        let out = Builder::new("api.yaml")
            .manifest_dir(dir.path())
            .out_dir(dir.path().join("out"))
            .generate()
            .unwrap();
        assert_eq!(out.module, "api");
        let text = std::fs::read_to_string(&out.path).unwrap();
        let file = syn::parse_file(&text).unwrap();
        assert!(file.attrs.is_empty());
        assert!(matches!(&file.items[..], [syn::Item::Mod(m)] if m.ident == "api"));
        assert!(text.contains("pub struct Thing"));
    }

    #[test]
    fn missing_env_is_an_error_not_a_panic() {
        if std::env::var_os("OUT_DIR").is_some() {
            return;
        }
        let err = Builder::new("x.yaml")
            .manifest_dir(".")
            .generate()
            .unwrap_err();
        assert!(err.to_string().contains("OUT_DIR"), "{err}");
    }
}
