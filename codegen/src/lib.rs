//! OpenAPI (Swagger 2.0, 3.0, 3.1, 3.2) -> Rust code generator.
//!
//! ```text
//! spec file --loader--> openapiv3 + source --lower--> IR --emit--> tokens --format--> source
//! ```
//!
//! Every front end (the `codegen` CLI, the `#[token_api]` macro, `build.rs`
//! scripts) calls [`generate_file`] (or [`generate_str`]) with one
//! [`Settings`] value, and gets either a [`GeneratedModule`] or located
//! [`Diagnostics`]. [`build`] holds the build-script and macro front ends.

#![deny(missing_docs)]

mod attributes;
pub mod build;
pub mod config;
pub mod conformance;
mod diagnostic;
mod emit;
pub mod examples;
mod ir;
mod loader;
mod lower;
mod media;
mod module;
mod naming;
pub mod output;
mod plan;
mod pointer;
mod print;
mod repairs;
mod settings;
mod source;
pub mod stages;
mod timings;

use std::path::Path;

pub use diagnostic::{Diagnostic, DiagnosticKind, Diagnostics, Repair, Severity};
pub use module::GeneratedModule;
pub use settings::{
    FormatType, Layout, Parts, Renames, SerdeForm, Settings, UnsupportedPolicy, ALL_TYPES,
};
pub use source::Position;

/// The version of the `codegen-runtime` crate the generated code is written
/// for: generated modules state it (`codegen_runtime::require_version!`),
/// and a crate depending on an incompatible runtime gets one compile error
/// naming both versions. Kept equal to the runtime's `Cargo.toml` version by
/// a test.
pub const RUNTIME_VERSION: &str = "0.7.2";

/// The `[dependencies]` a crate needs for the modules generated with
/// `settings`: the runtime crate alone (generated code names no other
/// crate), with the features its parts and mapped formats use, as TOML to paste into
/// `Cargo.toml`. The CLI prints it with `--print-deps`.
///
/// ```
/// use codegen::{dependencies, Parts, Settings};
/// let toml = dependencies(&Settings::new().with_parts(Parts { types: true, client: true, server: false }));
/// assert!(toml.contains(r#"features = ["client"]"#));
/// ```
pub fn dependencies(settings: &Settings) -> String {
    let parts = settings.parts();
    let mut features: Vec<&str> = [(parts.client, "client"), (parts.server, "server")]
        .into_iter()
        .filter_map(|(wanted, name)| wanted.then_some(name))
        .collect();
    features.extend(settings.runtime_features());
    let features = toml_strings(&features);
    let names: Vec<&str> = [
        (parts.types, "types"),
        (parts.client || parts.server, "operations"),
        (parts.client, "client"),
        (parts.server, "server"),
    ]
    .into_iter()
    .filter_map(|(wanted, name)| wanted.then_some(name))
    .collect();
    format!(
        "# What the generated modules need (parts: {}); edition 2021 or later.\n\
         # Generated code names no other crate: the runtime re-exports serde, reqwest, axum...\n\
         [dependencies]\n\
         codegen-runtime = {{ version = \"{RUNTIME_VERSION}\", default-features = false, features = [{features}] }}\n",
        names.join(", ")
    )
}

/// `"a", "b"`: the inside of a TOML array of strings.
pub(crate) fn toml_strings(items: &[&str]) -> String {
    items
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems; each diagnostic says where.
    #[error("{0}")]
    Spec(#[from] Diagnostics),
    /// The generator produced tokens that do not parse: a bug in the generator.
    #[error("internal error: generated `{part}` does not parse as Rust: {message}")]
    InvalidOutput {
        /// The part (`types`, `client`, `server`, `mod.rs`).
        part: String,
        /// syn's message.
        message: String,
    },
}

/// A generated module and the warnings met on the way.
#[derive(Debug)]
pub struct Generated {
    /// The module's tokens, part by part.
    pub module: GeneratedModule,
    /// Located warnings (constructs generated in a simpler form, skipped ones).
    pub warnings: Vec<Diagnostic>,
}

/// Generates the module for the spec at `path`. The module is named after the
/// file stem (`specs/tokens.yaml` -> `tokens`).
pub fn generate_file(path: &Path, settings: &Settings) -> Result<Generated, GenerateError> {
    let doc = timings::time("load", || {
        loader::load_file_with_overlays(path, settings.overlays())
    })?;
    generate_document(doc, &module_name(path), settings)
}

/// The spec at `path` as the generator reads it: one OpenAPI 3.0 document
/// (JSON) with the settings' overlays applied, Swagger 2.0 converted,
/// 3.1/3.2 upgraded and every other file's referenced parts bundled in.
/// What is not generated (webhooks, 3.2's custom methods) is not in it;
/// loading's warnings are not reported.
pub fn read_as_openapi_3_0(path: &Path, settings: &Settings) -> Result<String, Diagnostics> {
    let doc = loader::load_file_with_overlays(path, settings.overlays())?;
    serde_json::to_string_pretty(&doc.openapi).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            DiagnosticKind::InvalidDocument {
                message: e.to_string(),
            },
            "",
        )])
    })
}

/// Like [`generate_file`] for a spec held in memory; `path` names it in
/// diagnostics and picks JSON (`.json`) or YAML.
pub fn generate_str(
    path: &Path,
    text: &str,
    settings: &Settings,
) -> Result<Generated, GenerateError> {
    let doc = loader::load_str_with_overlays(path, text.to_string(), settings.overlays())?;
    generate_document(doc, &module_name(path), settings)
}

fn generate_document(
    doc: loader::Document,
    module: &str,
    settings: &Settings,
) -> Result<Generated, GenerateError> {
    let lowered = timings::time("lower", || lower::lower(&doc, module, settings))?;
    // The document model is as large as the spec: gone before emission,
    // which needs memory of its own (the text stays, for diagnostics).
    timings::time("drop document", || drop(doc));
    Ok(Generated {
        module: GeneratedModule::new(lowered.api, settings),
        warnings: lowered.warnings,
    })
}

/// A module's formatted files and the warnings met on the way.
#[derive(Debug)]
pub struct GeneratedFiles {
    /// The module's name (the spec's file stem, as a Rust identifier).
    pub module: String,
    /// `<module>/mod.rs` and one file per part, relative to the output directory.
    pub files: Vec<output::OutputFile>,
    /// Located warnings (constructs generated in a simpler form, skipped ones).
    pub warnings: Vec<Diagnostic>,
}

/// What the CLI writes for the spec at `path`: [`generate_file`]'s module
/// as files ([`GeneratedModule::files`]).
pub fn generate_files(path: &Path, settings: &Settings) -> Result<GeneratedFiles, GenerateError> {
    let generated = generate_file(path, settings)?;
    let files = std::thread::scope(|scope| {
        // The warnings are rendered once the files exist; the source map
        // that places them (a scan of the whole text) is built meanwhile.
        let mut sources: Vec<&std::sync::Arc<source::SourceFile>> = Vec::new();
        for file in generated.warnings.iter().filter_map(|w| w.file.as_ref()) {
            if !sources.iter().any(|s| std::sync::Arc::ptr_eq(s, file)) {
                sources.push(file);
            }
        }
        let warnings = &generated.warnings;
        for file in sources {
            scope.spawn(move || {
                let pointers = warnings
                    .iter()
                    .filter(|w| {
                        w.file
                            .as_ref()
                            .is_some_and(|f| std::sync::Arc::ptr_eq(f, file))
                    })
                    .map(|w| w.pointer.as_str());
                timings::time("source map", || file.prepare(pointers));
            });
        }
        generated.module.files()
    })?;
    Ok(GeneratedFiles {
        module: generated.module.name().to_string(),
        files,
        warnings: generated.warnings,
    })
}

/// The Rust module name for a spec path: its file stem in `snake_case`.
pub fn module_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    naming::snake_name(&stem)
}
