//! The `$ref`s inside rules (`x-codegen-rules`: the keywords a type cannot
//! express, checked by the server on the JSON value) are replaced by the
//! schemas they name, so that the server decides them instead of letting
//! them pass.
//!
//! A target is copied only when the copy means what the schema means to
//! the evaluator: a target holding another `x-codegen-*` marker (a meaning
//! moved out of JSON Schema's words) stays a `$ref`, and so does anything
//! past [`MAX_DEPTH`] or the [`BUDGET`] (recursive schemas). A `$ref` left
//! in a rule is undecided and never refuses a value.

use serde_json::{Map, Value};

use super::pointer::{find, split_ref};
use super::RULES;

/// How deep references are followed inside one rule.
const MAX_DEPTH: usize = 8;
/// How many targets one rule may copy in all.
const BUDGET: usize = 64;

/// Keys whose values are data, not schemas: a `$ref` key there is not a
/// reference.
const DATA: [&str; 6] = [
    "enum",
    "const",
    "default",
    "example",
    "examples",
    super::upgrade::MORE_EXAMPLES,
];

pub(crate) fn inline(doc: &mut Value) {
    let mut holders = Vec::new();
    find_rules(doc, &mut Vec::new(), &mut holders);
    for pointer in holders {
        let Some(rules) = doc.pointer(&pointer).and_then(|h| h.get(RULES)) else {
            continue;
        };
        let mut budget = BUDGET;
        let resolved = resolve(rules, doc, 0, &mut budget);
        if let Some(Value::Object(holder)) = doc.pointer_mut(&pointer) {
            holder.insert(RULES.into(), resolved);
        }
    }
}

/// Pointers of every object that holds rules (the path is kept as
/// segments and written out only for a holder: most documents have none).
fn find_rules<'v>(node: &'v Value, at: &mut Vec<Segment<'v>>, out: &mut Vec<String>) {
    match node {
        Value::Object(m) => {
            if m.contains_key(RULES) {
                out.push(at.iter().fold(String::new(), |mut p, s| {
                    p.push('/');
                    match s {
                        Segment::Key(k) => p.push_str(&k.replace('~', "~0").replace('/', "~1")),
                        Segment::Index(i) => p.push_str(&i.to_string()),
                    }
                    p
                }));
            }
            for (k, v) in m {
                if k != RULES && (v.is_object() || v.is_array()) {
                    at.push(Segment::Key(k));
                    find_rules(v, at, out);
                    at.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() || v.is_array() {
                    at.push(Segment::Index(i));
                    find_rules(v, at, out);
                    at.pop();
                }
            }
        }
        _ => {}
    }
}

enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

fn resolve(node: &Value, doc: &Value, depth: usize, budget: &mut usize) -> Value {
    match node {
        Value::Object(m) => {
            if let Some(target) = m.get("$ref").and_then(Value::as_str) {
                if let Some(copy) = target_copy(target, doc, depth, budget) {
                    let siblings: Map<String, Value> = m
                        .iter()
                        .filter(|(k, _)| *k != "$ref")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if siblings.is_empty() {
                        return copy;
                    }
                    let rest = resolve(&Value::Object(siblings), doc, depth, budget);
                    return serde_json::json!({ "allOf": [copy, rest] });
                }
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let v = if DATA.contains(&k.as_str()) {
                            v.clone()
                        } else {
                            resolve(v, doc, depth, budget)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve(v, doc, depth, budget))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The schema a local reference names, its own rules folded in, its own
/// references resolved; `None` where it must stay a reference.
fn target_copy(reference: &str, doc: &Value, depth: usize, budget: &mut usize) -> Option<Value> {
    if depth >= MAX_DEPTH || *budget == 0 || !reference.starts_with('#') {
        return None;
    }
    let (_, pointer) = split_ref(reference)?;
    let target = find(doc, &pointer)?;
    if !matches!(target, Value::Object(_) | Value::Bool(_)) || has_marker(target) {
        return None;
    }
    *budget -= 1;
    let mut copy = target.clone();
    if let Value::Object(m) = &mut copy {
        if let Some(rules) = m.remove(RULES) {
            copy = serde_json::json!({ "allOf": [copy, rules] });
        }
    }
    Some(resolve(&copy, doc, depth + 1, budget))
}

/// Whether `node` holds an `x-codegen-*` marker other than rules (whose
/// meaning the evaluator would not see).
fn has_marker(node: &Value) -> bool {
    match node {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k.starts_with("x-codegen-") && k != RULES && !DATA.contains(&k.as_str()))
                || (!DATA.contains(&k.as_str()) && k != RULES && has_marker(v))
        }),
        Value::Array(items) => items.iter().any(has_marker),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(doc: &Value) -> &Value {
        &doc["components"]["schemas"]
    }

    #[test]
    fn references_in_rules_become_their_schemas() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", RULES: {"not": {"properties": {"e": {"$ref": "#/components/schemas/B"}}}}},
            "B": {"type": "string", "enum": ["x"], RULES: {"not": {"const": "y"}}},
            "C": {"type": "object", RULES: {"if": {"$ref": "#/components/schemas/D", "required": ["k"]}}},
            "D": {"minProperties": 1}
        }}});
        inline(&mut doc);
        assert_eq!(
            schemas(&doc)["A"][RULES]["not"]["properties"]["e"],
            json!({"allOf": [{"type": "string", "enum": ["x"]}, {"not": {"const": "y"}}]})
        );
        assert_eq!(
            schemas(&doc)["C"][RULES]["if"],
            json!({"allOf": [{"minProperties": 1}, {"required": ["k"]}]})
        );
    }

    #[test]
    fn what_cannot_be_copied_faithfully_stays_a_reference() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", RULES: {"not": {"$ref": "#/components/schemas/M"}}},
            "M": {"type": "object", "x-codegen-dependent-required": {"a": ["b"]}},
            "R": {"type": "object", RULES: {"not": {"$ref": "#/components/schemas/R"}}},
            "E": {"type": "object", RULES: {"enum": [{"$ref": "#/components/schemas/M"}], "not": {"$ref": "other.yaml"}}}
        }}});
        inline(&mut doc);
        let s = schemas(&doc);
        assert_eq!(
            s["A"][RULES]["not"],
            json!({"$ref": "#/components/schemas/M"})
        );
        assert_eq!(
            s["E"][RULES]["enum"][0],
            json!({"$ref": "#/components/schemas/M"})
        );
        assert_eq!(s["E"][RULES]["not"], json!({"$ref": "other.yaml"}));
        // A recursive rule is unrolled to the depth limit, then undecided.
        let mut depth = 0;
        let mut node = &s["R"][RULES];
        while let Some(inner) = node.get("not") {
            node = inner.get("allOf").map_or(inner, |a| &a[1]);
            depth += 1;
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
        assert!(node.get("$ref").is_some() || node.get("type").is_some());
    }
}
