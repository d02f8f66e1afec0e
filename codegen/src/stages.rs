//! The pipeline one stage at a time, for the per-stage benchmarks
//! (`cargo bench -p codegen`). Each stage's result is opaque: only the next
//! stage reads it. Not part of the supported API.

use std::path::Path;

use crate::output::OutputFile;
use crate::{Diagnostics, GenerateError, GeneratedModule, Settings};

/// A spec read and parsed, with its source map.
pub struct Loaded(crate::loader::Document);

/// A spec lowered into the IR.
pub struct Lowered(crate::ir::Api);

/// Reads and parses the spec text `text`, named `path` in diagnostics.
pub fn load(path: &Path, text: String) -> Result<Loaded, Diagnostics> {
    crate::loader::load_str(path, text).map(Loaded)
}

/// Lowers a loaded spec into the IR, as module `module`.
pub fn lower(doc: &Loaded, module: &str, settings: &Settings) -> Result<Lowered, Diagnostics> {
    crate::lower::lower(&doc.0, module, settings).map(|l| Lowered(l.api))
}

/// Plans names and emits every part's tokens (what the macro hands rustc).
pub fn emit(api: &Lowered, settings: &Settings) -> proc_macro2::TokenStream {
    GeneratedModule::new(api.0.clone(), settings).to_tokens()
}

/// What the CLI does after lowering: plan, emit, parse and format, one
/// thread per part.
pub fn render(api: &Lowered, settings: &Settings) -> Result<Vec<OutputFile>, GenerateError> {
    GeneratedModule::new(api.0.clone(), settings).files()
}
