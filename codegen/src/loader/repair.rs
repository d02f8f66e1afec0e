//! Lenient repairs every version gets: what other tools accept and whose
//! meaning is clear is accepted here too, with a warning where the spec
//! says otherwise.

use serde_json::{json, Map, Value};

use super::relocate::Relocations;
use super::swagger2::Note;
use super::walk::{visit, Kind};
use crate::diagnostic::join;

pub(crate) fn repair(doc: &mut Value, moves: &mut Relocations, notes: &mut Vec<Note>) {
    let mut operations = Vec::new();
    let mut nots = Vec::new();
    let mut responses = Vec::new();
    let mut parameters = Vec::new();
    let mut callbacks = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, v| {
        if v.get("$ref").is_some() {
            return;
        }
        match k {
            Kind::Operation => operations.push(p.to_string()),
            Kind::Response => responses.push(p.to_string()),
            Kind::Parameter => parameters.push(p.to_string()),
            Kind::Callback => callbacks.push(p.to_string()),
            Kind::Schema if not_beside_assertions(v) => nots.push(p.to_string()),
            _ => {}
        }
    });
    for p in operations {
        if let Some(Value::Object(op)) = doc.pointer_mut(&p) {
            // Optional since 3.1; an operation without them answers unknown statuses.
            op.entry("responses").or_insert_with(|| json!({}));
        }
    }
    for p in responses {
        if let Some(Value::Object(r)) = doc.pointer_mut(&p) {
            r.entry("description").or_insert_with(|| json!(""));
        }
    }
    for p in parameters {
        if let Some(Value::Object(param)) = doc.pointer_mut(&p) {
            let in_path = param.get("in").and_then(Value::as_str) == Some("path");
            if in_path && param.get("required") != Some(&json!(true)) {
                param.insert("required".into(), json!(true));
                notes.push(Note {
                    pointer: join(&p, "required"),
                    message: "path parameter is not `required: true`; a path parameter is always required, so it is treated as required".into(),
                    repair: Some(crate::diagnostic::Repair::PathParameterRequired),
                });
            }
        }
    }
    for p in nots {
        // The 3.0 model reads a schema with `type` and drops its `not`;
        // as a rule, the server checks it on the JSON value.
        if let Some(Value::Object(schema)) = doc.pointer_mut(&p) {
            let Some(not) = schema.remove("not") else {
                continue;
            };
            let rules = schema
                .entry(super::RULES)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(rules) = rules {
                if rules.is_empty() {
                    moves.record(join(&p, super::RULES), join(&p, "not"));
                } else {
                    moves.record(join(&join(&p, super::RULES), "not"), join(&p, "not"));
                }
                rules.insert("not".into(), not);
            }
        }
    }
    for p in callbacks {
        // The 3.0 model reads every key of a callback as an expression.
        if let Some(Value::Object(c)) = doc.pointer_mut(&p) {
            c.retain(|k, _| !k.starts_with("x-"));
        }
    }
}

/// Keywords that describe a schema without constraining its values.
const ANNOTATIONS: [&str; 11] = [
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "$comment",
];

/// A schema whose `not` sits beside keywords that give it a type: the
/// 3.0 model keeps one or the other, never both. (A `not` alone is read
/// as it is, and lowering says what it becomes.)
fn not_beside_assertions(schema: &Value) -> bool {
    let Some(m) = schema.as_object() else {
        return false;
    };
    m.contains_key("not")
        && m.keys()
            .any(|k| k != "not" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k.as_str()))
}

/// Swagger 2.0 parameter locations in an OpenAPI 3 document: (pointer of
/// `in`, the location). They have no 3.x meaning, so they are errors.
pub(crate) fn swagger2_leftovers(doc: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, v| {
        if k == Kind::Parameter {
            if let Some(at @ ("body" | "formData")) = v.get("in").and_then(Value::as_str) {
                found.push((join(p, "in"), at.to_string()));
            }
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_what_3_0_requires() {
        let mut doc = json!({"paths": {"/a/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
            "callbacks": {"c": {"x-a": 1, "{$url}": {}}}
        }, "post": {"responses": {"200": {}}}}}});
        let mut notes = Vec::new();
        repair(&mut doc, &mut Relocations::default(), &mut notes);
        let item = &doc["paths"]["/a/{id}"];
        assert_eq!(item["get"]["responses"], json!({}));
        assert_eq!(item["get"]["parameters"][0]["required"], true);
        assert_eq!(item["get"]["callbacks"]["c"], json!({"{$url}": {}}));
        assert_eq!(item["post"]["responses"]["200"]["description"], "");
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].pointer,
            "/paths/~1a~1{id}/get/parameters/0/required"
        );
    }

    #[test]
    fn a_not_beside_a_type_becomes_a_rule() {
        let mut doc = json!({"components": {"schemas": {
            "Name": {"type": "object", "not": {"required": ["a", "b"]}},
            "Both": {"type": "object", "x-codegen-rules": {"if": {}}, "not": {"required": ["c"]}},
            "Alone": {"description": "d", "not": {"type": "string"}}
        }}});
        let mut moves = Relocations::default();
        repair(&mut doc, &mut moves, &mut Vec::new());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Name"]["x-codegen-rules"],
            json!({"not": {"required": ["a", "b"]}})
        );
        assert!(schemas["Name"].get("not").is_none());
        assert_eq!(
            schemas["Both"]["x-codegen-rules"]["not"],
            json!({"required": ["c"]})
        );
        assert_eq!(schemas["Alone"]["not"], json!({"type": "string"}));
        assert_eq!(
            moves.back("/components/schemas/Name/x-codegen-rules"),
            "/components/schemas/Name/not"
        );
    }

    #[test]
    fn a_3_0_document_keeps_its_not_as_a_rule() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Discount:
      type: object
      properties: {percent: {type: integer}, amount: {type: integer}}
      not: {required: [percent, amount]}
"#;
        let doc = crate::loader::load_str(std::path::Path::new("t.yaml"), text.into()).unwrap();
        let Some(openapiv3::ReferenceOr::Item(schema)) = doc
            .openapi
            .components
            .as_ref()
            .unwrap()
            .schemas
            .get("Discount")
        else {
            panic!("no Discount");
        };
        assert_eq!(
            schema.schema_data.extensions[super::super::RULES],
            json!({"not": {"required": ["percent", "amount"]}})
        );
        assert!(matches!(schema.schema_kind, openapiv3::SchemaKind::Type(_)));
    }
}
