//! Property tests: valid specs, mutated at random (keys dropped or retyped,
//! names and descriptions replaced with hostile text, near-duplicate names),
//! must yield code that parses or located diagnostics. Never a panic, never
//! Rust that does not parse (`GenerateError::InvalidOutput`).
//!
//! Bounded: `HOSTILE_CASES` cases per base spec (default 48), so CI stays
//! fast; raise it locally to search harder.

use std::path::Path;

use codegen::{generate_str, GenerateError, Settings, UnsupportedPolicy};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// Text that has broken code generators: comment and attribute breakers,
/// quotes, escapes, control characters, keywords, digits, unicode, length.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*/ /* #[doc = \"x\"] */".to_string()),
        Just("\"); panic!(\"escaped\"); (\"".to_string()),
        Just("\\\\ \\u{0} \\n \\\" ' `".to_string()),
        Just("line one\nline two\r\n\tthree\u{0}\u{7}\u{1b}[31m".to_string()),
        Just("```\nfn main() {}\n".to_string()),
        Just("self".to_string()),
        Just("Self".to_string()),
        Just("type".to_string()),
        Just("r#type".to_string()),
        Just("_".to_string()),
        Just(String::new()),
        Just("123abc".to_string()),
        Just("+1".to_string()),
        Just("active?".to_string()),
        Just("userApiToken.*".to_string()),
        Just("Ünïcødé 名前 🦀".to_string()),
        Just("\u{202e}rtl\u{200b}".to_string()),
        Just("x".repeat(5000)),
        "[a-zA-Z0-9_ .?*+@$-]{0,12}",
        any::<String>(),
    ]
}

/// A random JSON value, shallow, with hostile strings.
fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        hostile_text().prop_map(Value::String),
        Just(Value::String("#/components/schemas/DoesNotExist".into())),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((hostile_text(), inner), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node (a key of its object, an item of its array).
    Drop,
    /// Replace the node with another value (often of another type).
    Retype(Value),
    /// Rename the node's key.
    Rename(String),
    /// Add a sibling key: the node's name changed in case or punctuation.
    NearDuplicate(u8),
    /// Set `description` (or `title`, `summary`) of the node, if an object.
    Describe(u8, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Drop),
        hostile_value().prop_map(Mutation::Retype),
        hostile_text().prop_map(Mutation::Rename),
        any::<u8>().prop_map(Mutation::NearDuplicate),
        (any::<u8>(), hostile_text()).prop_map(|(k, t)| Mutation::Describe(k, t)),
    ]
}

/// JSON pointers' segments of every node below the root.
fn paths(value: &Value) -> Vec<Vec<String>> {
    fn walk(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    at.push(k.clone());
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(i.to_string());
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn parent_mut<'v>(root: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    let mut node = root;
    for segment in &path[..path.len() - 1] {
        node = match node {
            Value::Object(map) => map.get_mut(segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn near_duplicate(name: &str, how: u8) -> String {
    match how % 5 {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        2 => format!("{name}?"),
        3 => name.replace(['_', '-', '.'], ""),
        _ => format!("{name}_"),
    }
}

fn apply(root: &mut Value, path: &[String], m: &Mutation) {
    let Some(last) = path.last() else { return };
    let Some(parent) = parent_mut(root, path) else {
        return;
    };
    match (parent, m) {
        (Value::Object(map), Mutation::Drop) => {
            map.remove(last);
        }
        (Value::Array(items), Mutation::Drop) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        (Value::Object(map), Mutation::Retype(v)) => {
            map.insert(last.clone(), v.clone());
        }
        (Value::Array(items), Mutation::Retype(v)) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = v.clone();
            }
        }
        (Value::Object(map), Mutation::Rename(name)) => {
            if let Some(v) = map.remove(last) {
                map.insert(name.clone(), v);
            }
        }
        (Value::Object(map), Mutation::NearDuplicate(how)) => {
            if let Some(v) = map.get(last).cloned() {
                map.insert(near_duplicate(last, *how), v);
            }
        }
        (parent, Mutation::Describe(which, text)) => {
            let node = match parent {
                Value::Object(map) => map.get_mut(last),
                Value::Array(items) => last.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            };
            if let Some(Value::Object(map)) = node {
                let key = ["description", "title", "summary"][usize::from(*which) % 3];
                map.insert(key.into(), Value::String(text.clone()));
            }
        }
        _ => {}
    }
}

/// Generates the mutated spec (as YAML and as JSON) and checks the outcome.
fn check(name: &str, spec: &Value, as_json: bool) -> Result<(), TestCaseError> {
    let (file, text) = if as_json {
        (
            format!("{name}.json"),
            serde_json::to_string_pretty(spec).unwrap(),
        )
    } else {
        (format!("{name}.yaml"), serde_yaml::to_string(spec).unwrap())
    };
    for policy in [UnsupportedPolicy::Error, UnsupportedPolicy::Skip] {
        let settings = Settings::new().with_unsupported(policy);
        match generate_str(Path::new(&file), &text, &settings) {
            Ok(generated) => {
                // Formatting must not fail either (it re-parses every part).
                generated
                    .module
                    .files()
                    .map_err(|e| TestCaseError::fail(format!("{e}\n--- spec:\n{text}")))?;
            }
            Err(GenerateError::Spec(d)) => {
                // Rendering walks the source map: it must hold too.
                let rendered = d.render();
                prop_assert!(!rendered.is_empty());
            }
            Err(e @ GenerateError::InvalidOutput { .. }) => {
                return Err(TestCaseError::fail(format!("{e}\n--- spec:\n{text}")));
            }
        }
    }
    Ok(())
}

fn base(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_yaml::from_str(&text).unwrap()
}

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn fuzz(path: &str) {
    // The mutated text is named beside the original, so a multi-file
    // spec's relative references still reach its other files.
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let name = full.with_extension("").to_string_lossy().into_owned();
    let spec = base(path);
    let all = paths(&spec);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..5),
        any::<bool>(),
    );
    runner
        .run(&strategy, |(mutations, as_json)| {
            let mut spec = spec.clone();
            for (index, m) in &mutations {
                // Later mutations may target nodes an earlier one removed: the
                // paths are those of the original, and a miss is a no-op.
                apply(&mut spec, &all[index.index(all.len())], m);
            }
            check(&name, &spec, as_json)
        })
        .unwrap();
}

#[test]
fn mutated_token_spec() {
    fuzz("specs/tokens.yaml");
}

#[test]
fn mutated_edge_specs() {
    for spec in [
        "tests/fixtures/edge/collisions.yaml",
        "tests/fixtures/edge/keywords-and-punctuation.yaml",
        "tests/fixtures/edge/nested-inline.yaml",
        "tests/fixtures/edge/oneof-shapes.yaml",
        "tests/fixtures/edge/path-templates.yaml",
    ] {
        fuzz(spec);
    }
}

/// Swagger 2.0, 3.1, 3.2 and multi-file documents: conversion, upgrade and
/// bundling get the same mutations (a mutated root may point at other
/// files wrongly, or at none).
#[test]
fn mutated_other_formats() {
    for spec in [
        "tests/fixtures/formats/swagger-2.yaml",
        "tests/fixtures/formats/openapi-3-1.yaml",
        "tests/fixtures/formats/openapi-3-2.yaml",
        "tests/fixtures/formats/multi-file.yaml",
        "tests/fixtures/formats/lenient-repairs.yaml",
    ] {
        fuzz(spec);
    }
}

#[test]
fn mutated_petstore() {
    fuzz("../shared/corpus/petstore3.yaml");
}
