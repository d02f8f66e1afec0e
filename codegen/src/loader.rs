//! Reads a spec (YAML or JSON; Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; one
//! file or many) into an `openapiv3::OpenAPI`, keeping every file's text and
//! where each node came from for located diagnostics.
//!
//! The steps, each on a JSON tree: parse -> bundle other files in ->
//! convert Swagger 2.0 / upgrade 3.1 and 3.2 -> hoist references that
//! point outside `components` -> deserialize. The 3.0 model holds what
//! 3.1 adds through `x-codegen-*` extensions that lowering reads.

mod bundle;
mod hoist;
mod jsonpath;
mod origins;
mod overlay;
mod parse;
mod pointer;
mod relocate;
mod repair;
mod rule_refs;
mod swagger2;
mod tolerate;
mod upgrade;
mod walk;
mod yaml_tree;

/// Marks a 3.2 `in: querystring` parameter, which the loader rewrites as
/// `in: query` (the 3.0 model has no such location) for lowering to read.
pub(crate) const QUERYSTRING_MARKER: &str = "x-codegen-querystring";
/// Marks a 3.2 cookie parameter of `style: cookie` (the 3.0 model allows
/// `form` only; the marker keeps the parameter where it is).
pub(crate) const COOKIE_STYLE_MARKER: &str = "x-codegen-cookie-style";
/// Where a 3.2 media type's `itemSchema` travels to lowering (the 3.0
/// model keeps only extensions beside `schema`).
pub(crate) const ITEM_SCHEMA: &str = "x-codegen-item-schema";
pub(crate) use upgrade::{
    CONDITIONAL_REQUIRED, DEPENDENT_REQUIRED, MORE_EXAMPLES, NULL_MARK, RULES,
};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostic::{escape_segment, Diagnostic, DiagnosticKind, Diagnostics, Severity};
use crate::source::SourceFile;
pub(crate) use origins::Origins;
use relocate::Relocations;
use swagger2::Note;

/// A loaded spec: the 3.0 document, the root file, where every node came
/// from, and the warnings loading raised.
#[derive(Debug)]
pub struct Document {
    pub openapi: openapiv3::OpenAPI,
    pub source: Arc<SourceFile>,
    pub origins: Origins,
    pub warnings: Vec<Diagnostic>,
}

/// The largest spec read, in bytes: a guard against a mistaken path (a disk
/// image, a log), not a limit on real descriptions. The largest public ones
/// are about 50 MB (Microsoft Graph); generation takes about 10 bytes of
/// memory per byte of JSON (BENCHMARKS.md, "Scaling"), so this bounds a run
/// at roughly 10 GB.
pub const MAX_SPEC_BYTES: u64 = 1024 * 1024 * 1024;

fn too_large(path: &Path, bytes: u64) -> Diagnostics {
    let file = Arc::new(SourceFile::new(path, String::new()));
    one(Diagnostic::error(
        DiagnosticKind::TooLarge {
            bytes,
            limit: MAX_SPEC_BYTES,
        },
        "",
    )
    .in_file(&file))
}

/// Reads and parses the spec at `path` (no overlays; tests read specs so).
#[cfg(test)]
pub fn load_file(path: &Path) -> Result<Document, Diagnostics> {
    load_file_with_overlays(path, &[])
}

/// Reads and parses the spec at `path`, with the Overlay 1.0 documents at
/// `overlays` applied in order to its tree as written (see `overlay.rs`).
pub fn load_file_with_overlays(path: &Path, overlays: &[PathBuf]) -> Result<Document, Diagnostics> {
    // Checked before reading: a huge file costs nothing.
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > MAX_SPEC_BYTES {
            return Err(too_large(path, meta.len()));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let reason = if path.is_dir() {
            "it is a directory".to_string()
        } else {
            e.to_string()
        };
        let file = Arc::new(SourceFile::new(path, String::new()));
        Diagnostics(vec![Diagnostic::error(
            DiagnosticKind::Unreadable { reason },
            "",
        )
        .in_file(&file)])
    })?;
    load_bytes(path, bytes, overlays)
}

/// Parses a spec from memory, with the overlays at `overlays` applied
/// (see [`load_str_with_overlays`]); `path` names it in diagnostics and
/// decides JSON (`.json`) or YAML (anything else).
pub fn load_bytes(
    path: &Path,
    bytes: Vec<u8>,
    overlays: &[PathBuf],
) -> Result<Document, Diagnostics> {
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = Arc::new(SourceFile::new(path, lossy));
            let pos = file.position_of_offset(offset);
            return Err(one(Diagnostic::error(
                DiagnosticKind::NotUtf8 { offset },
                "",
            )
            .in_file(&file)
            .at(pos)));
        }
    };
    load_str_with_overlays(path, text, overlays)
}

/// Parses a spec held in a string, follows its references to other files,
/// and brings any version into the OpenAPI 3.0 model lowering reads.
pub fn load_str(path: &Path, text: String) -> Result<Document, Diagnostics> {
    load_str_with_overlays(path, text, &[])
}

/// [`load_str`] with the Overlay 1.0 documents at `overlays` applied, in
/// order, to the root document's tree right after parsing: they see the
/// document as written (any version), before bundling and conversion.
pub fn load_str_with_overlays(
    path: &Path,
    text: String,
    overlays: &[PathBuf],
) -> Result<Document, Diagnostics> {
    if text.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(path, text.len() as u64));
    }
    let file = Arc::new(SourceFile::new(path, text));
    // Most documents read straight into the model, which then takes the
    // tree's strings without copying them; one it refuses is loaded again
    // and repaired where refused (the tree is consumed by the first try).
    match load_text(&file, overlays, Reading::Direct)? {
        Some(doc) => Ok(doc),
        None => load_text(&file, overlays, Reading::Repairing)?.ok_or_else(|| {
            one(Diagnostic::error(
                DiagnosticKind::InvalidDocument {
                    message: "the document model refused the document".into(),
                },
                "",
            )
            .in_file(&file))
        }),
    }
}

/// How the final tree becomes the document model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Consumed by the model; `None` if it refuses any node.
    Direct,
    /// Read by reference, refused nodes repaired (`tolerate::typed`).
    Repairing,
}

fn load_text(
    file: &Arc<SourceFile>,
    overlays: &[PathBuf],
    reading: Reading,
) -> Result<Option<Document>, Diagnostics> {
    let file = Arc::clone(file);
    let err = |kind, pointer: &str| one(Diagnostic::error(kind, pointer).in_file(&file));
    let mut value = crate::timings::time("parse", || parse::parse(&file)).map_err(|d| one(*d))?;
    let overlay_warnings = overlay::apply_files(&mut value, overlays)?;
    let Value::Object(root) = &value else {
        return Err(err(
            DiagnosticKind::RootNotMapping {
                found: parse::kind_name(&value),
            },
            "",
        ));
    };
    let version = Version::of(root).map_err(|(kind, pointer)| err(kind, pointer))?;
    let swagger2 = version == Version::Swagger2;

    let bundled = crate::timings::time("bundle", || {
        bundle::bundle(Arc::clone(&file), value, swagger2)
    });
    let (errors, mut warnings): (Vec<_>, Vec<_>) = bundled
        .diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    warnings.splice(0..0, overlay_warnings);
    let mut origins = Origins {
        files: bundled.files,
        bundled: bundled.bundled,
        steps: Vec::new(),
    };
    let mut doc = bundled.doc;
    let mut step =
        |name: &str,
         origins: &mut Origins,
         warnings: &mut Vec<Diagnostic>,
         run: &mut dyn FnMut(&mut Value, &mut Relocations, &mut Vec<Note>)| {
            let mut moves = Relocations::default();
            let mut notes = Vec::new();
            crate::timings::time(name, || run(&mut doc, &mut moves, &mut notes));
            let before = origins.steps.len();
            for n in notes {
                let kind = match n.repair {
                    Some(repair) => DiagnosticKind::Repaired {
                        repair,
                        what: n.message,
                    },
                    None => DiagnosticKind::Approximated { what: n.message },
                };
                let d = Diagnostic::warning(kind, n.pointer);
                warnings.push(origins.place_before(d, before));
            }
            origins.steps.push(moves);
        };
    // Off-type values and draft 4 forms, in the document as written.
    step(
        "tolerate forms",
        &mut origins,
        &mut warnings,
        &mut |doc, _, notes| {
            let draft4 = matches!(version, Version::Swagger2 | Version::V30);
            tolerate::forms(doc, swagger2, draft4, notes)
        },
    );
    if swagger2 {
        step(
            "convert 2.0",
            &mut origins,
            &mut warnings,
            &mut |doc, moves, notes| {
                let (converted, n) = swagger2::convert(std::mem::take(doc), moves);
                *doc = converted;
                notes.extend(n);
            },
        );
    }
    if matches!(version, Version::V31 | Version::V32) {
        step(
            "upgrade 3.1",
            &mut origins,
            &mut warnings,
            &mut |doc, moves, notes| upgrade::upgrade(doc, version == Version::V32, moves, notes),
        );
    }
    step(
        "hoist",
        &mut origins,
        &mut warnings,
        &mut |doc, moves, notes| hoist::hoist(doc, moves, notes),
    );
    step(
        "repair",
        &mut origins,
        &mut warnings,
        &mut |doc, moves, notes| repair::repair(doc, moves, notes),
    );
    // After every step that moves schemas: references are final here.
    step(
        "inline rule refs",
        &mut origins,
        &mut warnings,
        &mut |doc, _, _| rule_refs::inline(doc),
    );
    if version == Version::V32 {
        step(
            "expose operations",
            &mut origins,
            &mut warnings,
            &mut |doc, moves, _| upgrade::expose_additional_operations(doc, moves),
        );
    }

    // The document model, with what it refuses repaired (R0012, R0016).
    let mut leftovers = Vec::new();
    let mut read = Err((String::new(), "the document was not read".to_string()));
    let mut refused = false;
    step(
        "typed model",
        &mut origins,
        &mut warnings,
        &mut |doc, _, notes| {
            leftovers = repair::swagger2_leftovers(doc);
            if !leftovers.is_empty() {
                return;
            }
            match reading {
                Reading::Direct => match serde::Deserialize::deserialize(std::mem::take(doc)) {
                    Ok(openapi) => read = Ok(openapi),
                    Err(_) => refused = true,
                },
                Reading::Repairing => read = tolerate::typed(doc, notes),
            }
        },
    );
    if refused {
        return Ok(None);
    }
    if !leftovers.is_empty() {
        return Err(Diagnostics(
            leftovers
                .into_iter()
                .map(|(pointer, at)| {
                    origins.place(Diagnostic::error(
                        DiagnosticKind::InvalidDocument {
                            message: format!("`in: {at}` is Swagger 2.0; an OpenAPI 3 operation describes its body with `requestBody`"),
                        },
                        pointer,
                    ))
                })
                .collect(),
        ));
    }
    let openapi = read.map_err(|(pointer, message)| {
        one(origins.place(Diagnostic::error(
            DiagnosticKind::InvalidDocument { message },
            pointer,
        )))
    })?;
    Ok(Some(Document {
        openapi,
        source: file,
        origins,
        warnings,
    }))
}

/// The format versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Swagger2,
    V30,
    V31,
    V32,
}

impl Version {
    fn of(root: &serde_json::Map<String, Value>) -> Result<Self, (DiagnosticKind, &'static str)> {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => parse::kind_name(other).to_string(),
        };
        if let Some(v) = root.get("swagger") {
            let version = text(v);
            return if version == "2.0" || version == "2" {
                Ok(Version::Swagger2)
            } else {
                Err((DiagnosticKind::UnsupportedVersion { version }, "/swagger"))
            };
        }
        let Some(v) = root.get("openapi") else {
            return Err((DiagnosticKind::MissingVersion, ""));
        };
        let version = text(v);
        let is = |minor: &str| version == minor || version.starts_with(&format!("{minor}."));
        if is("3.0") {
            Ok(Version::V30)
        } else if is("3.1") {
            Ok(Version::V31)
        } else if is("3.2") {
            Ok(Version::V32)
        } else {
            Err((DiagnosticKind::UnsupportedVersion { version }, "/openapi"))
        }
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
