//! Reads a spec file (YAML or JSON) into an `openapiv3::OpenAPI`, keeping the
//! text for located diagnostics.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{escape_segment, Diagnostic, DiagnosticKind, Diagnostics};
use crate::source::SourceFile;

/// A loaded spec: the parsed document and the file it came from.
#[derive(Debug)]
pub struct Document {
    pub openapi: openapiv3::OpenAPI,
    pub source: Arc<SourceFile>,
}

/// The largest spec read, in bytes. The largest public descriptions (GitHub's
/// whole REST API, Stripe) are about 10 MB; parsing costs ~50 bytes of memory
/// per byte of YAML, so this bounds memory at roughly 1.5 GB.
pub const MAX_SPEC_BYTES: u64 = 32 * 1024 * 1024;

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

/// Reads and parses the spec at `path`.
pub fn load_file(path: &Path) -> Result<Document, Diagnostics> {
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
    load_bytes(path, bytes)
}

/// Parses a spec from memory; `path` names it in diagnostics and decides
/// JSON (`.json`) or YAML (anything else).
pub fn load_bytes(path: &Path, bytes: Vec<u8>) -> Result<Document, Diagnostics> {
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
    load_str(path, text)
}

/// Parses a spec held in a string.
pub fn load_str(path: &Path, text: String) -> Result<Document, Diagnostics> {
    if text.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(path, text.len() as u64));
    }
    let file = Arc::new(SourceFile::new(path, text));
    let err = |kind, pointer: &str| one(Diagnostic::error(kind, pointer).in_file(&file));
    let text = file.text();
    if text.trim().is_empty() {
        return Err(err(DiagnosticKind::Empty, ""));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let value: serde_yaml::Value = if is_json {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            let pos = file.position_at(e.line(), e.column());
            one(Diagnostic::error(
                DiagnosticKind::Malformed {
                    format: "JSON",
                    message: strip_position(&e.to_string()),
                },
                "",
            )
            .in_file(&file)
            .at(pos))
        })?;
        serde_yaml::to_value(json).map_err(|e| {
            err(
                DiagnosticKind::Malformed {
                    format: "JSON",
                    message: e.to_string(),
                },
                "",
            )
        })?
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(
                DiagnosticKind::Malformed {
                    format: "YAML",
                    message: strip_position(&e.to_string()),
                },
                "",
            )
            .in_file(&file);
            if let Some(loc) = e.location() {
                d = d.at(file.position_at(loc.line(), loc.column()));
            }
            one(d)
        })?
    };

    let root = match &value {
        serde_yaml::Value::Mapping(m) => m,
        other => {
            return Err(err(
                DiagnosticKind::RootNotMapping {
                    found: kind_name(other),
                },
                "",
            ))
        }
    };
    if root.contains_key("swagger") {
        return Err(err(DiagnosticKind::Swagger2, "/swagger"));
    }
    match root.get("openapi") {
        None => return Err(err(DiagnosticKind::MissingVersion, "")),
        Some(serde_yaml::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(serde_yaml::Value::String(v)) if v.starts_with("3.1") => {
            return Err(err(
                DiagnosticKind::OpenApi31 { version: v.clone() },
                "/openapi",
            ))
        }
        Some(other) => {
            let version = match other {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Number(n) => n.to_string(),
                other => kind_name(other).to_string(),
            };
            return Err(err(
                DiagnosticKind::UnsupportedVersion { version },
                "/openapi",
            ));
        }
    }

    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        err(
            DiagnosticKind::InvalidDocument {
                message: e.inner().to_string(),
            },
            &pointer,
        )
    })?;
    Ok(Document {
        openapi,
        source: file,
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn kind_name(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a sequence",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

/// Drops the parser's own "at line X column Y" (the diagnostic shows the
/// position itself) but keeps context such as "while parsing a flow sequence
/// at line 10 column 13", which points at the cause.
fn strip_position(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[start + " at line ".len()..];
    let after_numbers = rest.find(", ").map(|i| &rest[i..]).unwrap_or("");
    format!("{}{after_numbers}", &message[..start])
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

#[cfg(test)]
mod tests {
    #[test]
    fn strip_position_keeps_context() {
        assert_eq!(
            super::strip_position("trailing comma at line 8 column 52"),
            "trailing comma"
        );
        assert_eq!(
            super::strip_position("did not find expected ',' or ']' at line 3 column 4, while parsing a flow sequence at line 2 column 6"),
            "did not find expected ',' or ']', while parsing a flow sequence at line 2 column 6"
        );
    }
}
