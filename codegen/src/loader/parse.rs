//! YAML or JSON text -> a JSON tree (YAML merge keys applied, non-string
//! keys such as `200:` turned into strings; see `yaml_tree`).

use std::sync::Arc;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::source::SourceFile;

/// Parses `file`'s text; JSON when its name ends in `.json`, YAML otherwise.
pub(crate) fn parse(file: &Arc<SourceFile>) -> Result<Value, Box<Diagnostic>> {
    let text = file.text();
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error(DiagnosticKind::Empty, "").in_file(file),
        ));
    }
    let is_json = file.name().to_ascii_lowercase().ends_with(".json");
    if is_json {
        return serde_json::from_str(text).map_err(|e| {
            let pos = file.position_at(e.line(), e.column());
            Box::new(
                Diagnostic::error(
                    DiagnosticKind::Malformed {
                        format: "JSON",
                        message: strip_position(&e.to_string()),
                    },
                    "",
                )
                .in_file(file)
                .at(pos),
            )
        });
    }
    let tree: Result<super::yaml_tree::Tree, _> =
        serde::Deserialize::deserialize(serde_yaml::Deserializer::from_str(text));
    let tree = tree.map_err(|e| {
        let mut d = Diagnostic::error(
            DiagnosticKind::Malformed {
                format: "YAML",
                message: strip_position(&e.to_string()),
            },
            "",
        )
        .in_file(file);
        if let Some(loc) = e.location() {
            d = d.at(file.position_at(loc.line(), loc.column()));
        }
        Box::new(d)
    })?;
    Ok(tree.0)
}

/// The name of a JSON value's kind, for messages.
pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
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

    /// Valid YAML (and JSON Schema) numbers beyond 64 bits: the nearest
    /// `f64`, as JSON parsers read them (serde_yaml's own model refused them).
    #[test]
    fn yaml_numbers_beyond_64_bits_are_read() {
        let file = std::sync::Arc::new(crate::source::SourceFile::new(
            "a.yaml",
            "max: 18446744073709552000\nmin: -9223372036854776000\nfits: 18446744073709551615\n"
                .into(),
        ));
        let v = super::parse(&file).unwrap();
        assert_eq!(v["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(v["min"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(v["fits"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn yaml_keys_become_strings_and_merges_apply() {
        let file = std::sync::Arc::new(crate::source::SourceFile::new(
            "a.yaml",
            "base: &b {x: 1}\nr:\n  200: ok\n  <<: *b\n".into(),
        ));
        let v = super::parse(&file).unwrap();
        assert_eq!(v["r"]["200"], "ok");
        assert_eq!(v["r"]["x"], 1);
    }
}
