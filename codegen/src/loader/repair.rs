//! Lenient repairs every version gets: what other tools accept and whose
//! meaning is clear is accepted here too, with a warning where the spec
//! says otherwise.

use serde_json::{json, Value};

use super::swagger2::Note;
use super::walk::{visit, Kind};
use crate::diagnostic::join;

pub(crate) fn repair(doc: &mut Value, notes: &mut Vec<Note>) {
    let mut operations = Vec::new();
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
    for p in callbacks {
        // The 3.0 model reads every key of a callback as an expression.
        if let Some(Value::Object(c)) = doc.pointer_mut(&p) {
            c.retain(|k, _| !k.starts_with("x-"));
        }
    }
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
        repair(&mut doc, &mut notes);
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
}
