use serde_json::{json, Value};

use super::{forms, typed, Note};
use crate::diagnostic::Repair;

fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn codes(notes: &[Note]) -> Vec<(&str, &'static str)> {
    notes
        .iter()
        .map(|n| (n.pointer.as_str(), n.repair.map_or("E0024", Repair::code)))
        .collect()
}

#[test]
fn off_type_scalars_are_converted_where_the_field_has_a_type() {
    let mut d = json!({
        "openapi": "3.0.3",
        "info": {"title": 7, "version": 1.0, "description": 0},
        "paths": {"/a": {"get": {"operationId": 12, "summary": false,
            "parameters": [{"name": "q", "in": "query", "required": "true", "schema": {"type": "string"}}],
            "responses": {"200": {"description": 200}}}}},
        "components": {"schemas": {"S": {"type": "string", "maxLength": "10", "nullable": "true",
            "enum": "a", "description": 5, "minimum": "1.5", "uniqueItems": "maybe"}}}
    });
    let mut notes = Vec::new();
    forms(&mut d, false, true, &mut notes);
    assert_eq!(d["info"]["title"], "7");
    assert_eq!(d["info"]["version"], "1.0");
    assert_eq!(d["paths"]["/a"]["get"]["operationId"], "12");
    assert_eq!(d["paths"]["/a"]["get"]["parameters"][0]["required"], true);
    assert_eq!(
        d["paths"]["/a"]["get"]["responses"]["200"]["description"],
        "200"
    );
    let s = &d["components"]["schemas"]["S"];
    assert_eq!(s["maxLength"], 10);
    assert_eq!(s["nullable"], true);
    assert_eq!(s["enum"], json!(["a"]));
    assert_eq!(s["minimum"], 1.5);
    assert!(s.get("uniqueItems").is_none(), "{s}");
    assert!(codes(&notes).contains(&("/info/title", "R0012")));
    assert!(codes(&notes).contains(&("/components/schemas/S/uniqueItems", "R0012")));
    let api = typed(&mut d, &mut notes).expect("reads");
    assert_eq!(api.info.title, "7");
}

#[test]
fn boolean_schemas_and_draft4_forms_in_3_0() {
    let mut d = doc(
        json!({}),
        json!({"S": {"type": "object", "properties": {
            "a": true, "b": false,
            "c": {"type": ["string", "null"]},
            "d": {"type": "array", "items": [{"type": "string"}]},
            "e": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
            "f": {"type": ["string", "integer"]},
            "g": {"type": "string", "required": true}
        }, "additionalProperties": false}}),
    );
    let mut notes = Vec::new();
    forms(&mut d, false, true, &mut notes);
    let p = &d["components"]["schemas"]["S"]["properties"];
    assert_eq!(p["a"], json!({}));
    assert_eq!(p["b"], json!({}));
    assert_eq!(p["c"], json!({"type": "string", "nullable": true}));
    assert_eq!(p["d"]["items"], json!({"type": "string"}));
    assert!(p["e"].get("x-codegen-tuple").is_some(), "{}", p["e"]);
    assert!(p["f"].get("oneOf").is_some(), "{}", p["f"]);
    assert_eq!(d["components"]["schemas"]["S"]["required"], json!(["g"]));
    assert_eq!(
        d["components"]["schemas"]["S"]["additionalProperties"],
        false
    );
    let found = codes(&notes);
    for (at, code) in [
        ("/components/schemas/S/properties/a", "R0013"),
        ("/components/schemas/S/properties/b", "R0013"),
        ("/components/schemas/S/properties/c/type", "R0014"),
        ("/components/schemas/S/properties/d/items", "R0014"),
        ("/components/schemas/S/properties/g/required", "R0012"),
    ] {
        assert!(found.contains(&(at, code)), "{at} {code}: {found:?}");
    }
    typed(&mut d, &mut notes).expect("reads");
}

#[test]
fn what_the_model_still_refuses_is_found_and_left_out_not_the_document() {
    // A parameter without `in` and a response that is a number: the
    // model refuses both; serde's path stops at the untagged enums above.
    let mut d = doc(
        json!({"/a": {"get": {
            "parameters": [{"name": "q", "schema": {"type": "string"}}, {"name": "r", "in": "query"}],
            "responses": {"200": 5, "201": {"description": "ok"}}}}}),
        json!({"S": {"type": "object", "properties": {"x": {"type": "string", "format": ["x"]}}}}),
    );
    let mut notes = Vec::new();
    forms(&mut d, false, true, &mut notes);
    let api = typed(&mut d, &mut notes).expect("reads");
    let found = codes(&notes);
    assert!(
        found.contains(&("/paths/~1a/get/parameters/0", "R0016")),
        "{found:?}"
    );
    assert!(
        found.contains(&("/paths/~1a/get/parameters/1", "R0016")),
        "{found:?}"
    );
    assert!(
        found.contains(&("/paths/~1a/get/responses/200", "R0016")),
        "{found:?}"
    );
    let item = api.paths.paths["/a"].as_item().expect("item");
    let op = item.get.as_ref().expect("get");
    assert_eq!(op.parameters.len(), 1);
    assert_eq!(op.responses.responses.len(), 1);
}

#[test]
fn even_the_root_s_own_fields_are_repaired_not_refused() {
    let mut d = json!({"openapi": "3.0.3", "info": 5, "paths": 5});
    let mut notes = Vec::new();
    let api = typed(&mut d, &mut notes).expect("reads");
    assert!(api.paths.paths.is_empty());
    let found = codes(&notes);
    assert!(found.contains(&("/paths", "R0016")), "{found:?}");
    assert!(found.iter().any(|(at, _)| at.is_empty()), "{found:?}");
}
