//! The tolerant loader: a document that a JSON or YAML parser accepts and a
//! reader understands as OpenAPI is generated, whatever odd values it holds.
//!
//! Two passes. `forms` rewrites, by rule, what real documents commonly get
//! wrong (values of the wrong type, boolean schemas and draft 4 forms in
//! 2.0/3.0 documents); each rewrite is a located repair warning (R0012 to
//! R0014). `typed` then reads the 3.0 tree into the document model; where
//! the model still refuses a node, the node is found (descending through
//! the untagged enums that hide serde's path), converted or left out
//! (R0012, R0016), and reading resumes. Under `--strict` every repair is an
//! error, so nothing changes silently.

use serde_json::{json, Map, Value};

use super::swagger2::Note;
use super::walk::{visit_mut_children_first, Kind};
use crate::diagnostic::{join, Repair};

mod keywords;
mod typed;

pub(crate) use typed::typed;

fn note(pointer: &str, repair: Repair, message: impl Into<String>) -> Note {
    Note {
        pointer: pointer.to_string(),
        message: message.into(),
        repair: Some(repair),
    }
}

/// The rule-based rewrites. `draft4`: a Swagger 2.0 or OpenAPI 3.0
/// document, where boolean schemas and list forms are not OpenAPI (3.1
/// reads them itself, in `upgrade`).
pub(crate) fn forms(doc: &mut Value, swagger2: bool, draft4: bool, notes: &mut Vec<Note>) {
    keywords::document_fields(doc, notes);
    // Children first: a parent's rewrite (a type list becoming `oneOf`)
    // moves children that are already settled. Warnings in document order.
    let mut by_node: Vec<(usize, Vec<Note>)> = Vec::new();
    visit_mut_children_first(
        doc,
        Kind::Root,
        swagger2,
        &mut |pointer, kind, node, order| {
            let mut found = Vec::new();
            rewrite(node, kind, pointer, (swagger2, draft4), &mut found);
            if !found.is_empty() {
                by_node.push((order, found));
            }
        },
    );
    by_node.sort_by_key(|(order, _)| *order);
    notes.extend(by_node.into_iter().flat_map(|(_, found)| found));
}

/// The rewrites of one node of kind `kind`.
fn rewrite(
    node: &mut Value,
    kind: Kind,
    pointer: &str,
    (swagger2, draft4): (bool, bool),
    notes: &mut Vec<Note>,
) {
    match kind {
        Kind::Schema => {
            if draft4 {
                boolean_schema(node, pointer, notes);
            }
            if let Value::Object(m) = node {
                keywords::schema(m, pointer, (swagger2, draft4), notes);
                if draft4 {
                    draft4_forms(m, pointer, notes);
                }
            }
        }
        Kind::Root | Kind::Map(_) => {}
        other => {
            if let Value::Object(m) = node {
                keywords::object(other, m, pointer, notes);
                if !swagger2 && matches!(other, Kind::Parameter | Kind::Header) {
                    untyped_parameter(m, pointer, notes);
                }
            }
        }
    }
}

/// `true` and `false` as schemas: any value (`false`, no value at all, has
/// no type to generate). `additionalProperties: false` is valid 3.0.
fn boolean_schema(node: &mut Value, pointer: &str, notes: &mut Vec<Note>) {
    let Value::Bool(b) = node else {
        return;
    };
    // Valid 3.0 (`additionalProperties: false`), or settled by the
    // parent's draft 4 tuple (`additionalItems: false`).
    if pointer.ends_with("/additionalProperties") || pointer.ends_with("/additionalItems") {
        return;
    }
    let what = if *b {
        "the schema `true` (3.1) is any JSON value"
    } else {
        "the schema `false` (3.1: no value allowed) is generated as any JSON value"
    };
    notes.push(note(pointer, Repair::BooleanSchema, what));
    *node = json!({});
}

/// A 3.x parameter or header with neither `schema` nor `content` (the
/// model requires one): its value is read as the string the wire carries.
fn untyped_parameter(m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if m.contains_key("$ref") || m.contains_key("schema") || m.contains_key("content") {
        return;
    }
    let ty = m
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string")
        .to_string();
    m.insert("schema".into(), json!({ "type": ty }));
    notes.push(note(
        pointer,
        Repair::NotUnderstood,
        format!("neither `schema` nor `content`: read as `schema: {{type: {ty}}}`"),
    ));
}

/// `type: [string, "null"]` and `items: [..]`, JSON Schema draft 4, in a
/// document whose schema dialect has neither.
fn draft4_forms(m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if let Some(Value::Array(types)) = m.get("type") {
        let listed: Vec<String> = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        notes.push(note(
            &join(pointer, "type"),
            Repair::Draft4Form,
            format!(
                "`type` is a list ({}): read as {}",
                listed.join(", "),
                if listed.iter().filter(|t| *t != "null").count() > 1 {
                    "a union of those types"
                } else {
                    "one type, nullable where `null` is listed"
                }
            ),
        ));
        let mut moves = super::relocate::Relocations::default();
        super::upgrade::types(m, pointer, &mut moves);
        if m.get(super::upgrade::NULL_MARK).is_some() {
            // Only `null` listed: no type to generate.
            m.remove(super::upgrade::NULL_MARK);
        }
    }
    let Some(Value::Array(items)) = m.get("items") else {
        return;
    };
    if items.len() == 1 {
        notes.push(note(
            &join(pointer, "items"),
            Repair::Draft4Form,
            "`items` is a list of one schema: read as that schema",
        ));
        if let Some(Value::Array(mut items)) = m.remove("items") {
            m.insert("items".into(), items.pop().unwrap_or_else(|| json!({})));
        }
        return;
    }
    notes.push(note(
        &join(pointer, "items"),
        Repair::Draft4Form,
        "`items` is a list (a draft 4 tuple): read as a tuple when `additionalItems: false` or `maxItems` closes it, else as an array of any values",
    ));
    if let Some(items) = m.remove("items") {
        m.insert("prefixItems".into(), items);
    }
    match m.remove("additionalItems") {
        Some(Value::Bool(false)) => {
            m.insert("items".into(), Value::Bool(false));
        }
        Some(other) if other.is_object() => {
            m.insert("items".into(), other);
        }
        _ => {}
    }
    let mut moves = super::relocate::Relocations::default();
    let mut ignored = Vec::new();
    super::upgrade::tuple(m, pointer, &mut moves, &mut ignored);
    if m.get("items").is_some_and(Value::is_boolean) {
        m.remove("items");
    }
    if m.get("type").and_then(Value::as_str) == Some("array")
        && !m.contains_key("items")
        && !m.contains_key("x-codegen-tuple")
    {
        m.insert("items".into(), json!({}));
    }
}

#[cfg(test)]
mod tests;
