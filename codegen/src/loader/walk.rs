//! Where `$ref`s and schemas sit in a document, by the structure of its
//! version (Swagger 2.0 or OpenAPI 3.x): which object kind each node is.
//!
//! Bundling, hoisting and the 3.1 upgrade all need to know what a `$ref`
//! points at (a schema goes to `components/schemas`, a parameter to
//! `components/parameters`...), and that is decided by where it sits.

use serde_json::Value;

use crate::diagnostic::join;

/// The kind of object a node is, by its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Root,
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    Link,
    Callback,
    PathItem,
    Operation,
    MediaType,
    SecurityScheme,
    /// A mapping (or list) of objects of the inner kind, given by `$ref`
    /// (`content: {$ref: media.yaml}`, `schemas: {$ref: _index.yaml}`).
    Map(&'static Kind),
}

/// `Kind::Map` of `k`, with a `'static` inner kind.
fn map_of(k: Kind) -> Kind {
    Kind::Map(match k {
        Kind::Schema => &Kind::Schema,
        Kind::Parameter => &Kind::Parameter,
        Kind::Response => &Kind::Response,
        Kind::RequestBody => &Kind::RequestBody,
        Kind::Header => &Kind::Header,
        Kind::Example => &Kind::Example,
        Kind::Link => &Kind::Link,
        Kind::Callback => &Kind::Callback,
        Kind::PathItem => &Kind::PathItem,
        Kind::Operation => &Kind::Operation,
        Kind::MediaType => &Kind::MediaType,
        Kind::SecurityScheme => &Kind::SecurityScheme,
        Kind::Root | Kind::Map(_) => &Kind::Root,
    })
}

impl Kind {
    /// The section a referenced object of this kind is hoisted into, per version.
    pub(crate) fn section(self, swagger2: bool) -> Option<&'static str> {
        Some(match (self, swagger2) {
            (Kind::Schema, true) => "/definitions",
            (Kind::Parameter, true) => "/parameters",
            (Kind::Response, true) => "/responses",
            (Kind::Schema, false) => "/components/schemas",
            (Kind::Parameter, false) => "/components/parameters",
            (Kind::Response, false) => "/components/responses",
            (Kind::RequestBody, false) => "/components/requestBodies",
            (Kind::Header, false) => "/components/headers",
            (Kind::Example, false) => "/components/examples",
            (Kind::Link, false) => "/components/links",
            (Kind::Callback, false) => "/components/callbacks",
            (Kind::SecurityScheme, false) => "/components/securitySchemes",
            _ => return None,
        })
    }
}

/// Schema keywords whose value is a map of schemas by name.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Calls `f(pointer, kind, node)` for every node of a known kind under
/// `node` (which is of kind `kind` at `pointer`), parents before children.
pub(crate) fn visit(
    node: &Value,
    kind: Kind,
    pointer: &str,
    swagger2: bool,
    f: &mut dyn FnMut(&str, Kind, &Value),
) {
    f(pointer, kind, node);
    for (child_pointer, child_kind, child) in children(node, kind, pointer, swagger2) {
        visit(child, child_kind, &child_pointer, swagger2, f);
    }
}

/// Every `$ref` (its holder's pointer, the kind it must resolve to, the
/// reference string) under `node`.
pub(crate) fn refs(
    node: &Value,
    kind: Kind,
    pointer: &str,
    swagger2: bool,
) -> Vec<(String, Kind, String)> {
    let mut out = Vec::new();
    visit(node, kind, pointer, swagger2, &mut |p, k, v| {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            out.push((p.to_string(), k, r.to_string()));
        }
    });
    out
}

/// Every `discriminator.mapping` value of a schema under `node` that is a
/// reference (holds `/` or `#`; a bare schema name is not): its pointer
/// and the reference. Mapping values are references the `$ref` walk does
/// not see.
pub(crate) fn mapping_refs(
    node: &Value,
    kind: Kind,
    pointer: &str,
    swagger2: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    visit(node, kind, pointer, swagger2, &mut |p, k, v| {
        if k != Kind::Schema {
            return;
        }
        let Some(mapping) = v
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
        else {
            return;
        };
        for (key, value) in mapping {
            if let Some(r) = value.as_str().filter(|r| r.contains(['/', '#'])) {
                let at = join(&join(&join(p, "discriminator"), "mapping"), key);
                out.push((at, r.to_string()));
            }
        }
    });
    out
}

fn children<'v>(
    node: &'v Value,
    kind: Kind,
    pointer: &str,
    swagger2: bool,
) -> Vec<(String, Kind, &'v Value)> {
    let mut out = Vec::new();
    let Some(map) = node.as_object() else {
        return out;
    };
    // A reference's siblings are not followed, except in schemas (3.1
    // applies them; `properties` beside `$ref` is still a schema).
    if map.contains_key("$ref") && kind != Kind::Schema {
        return out;
    }
    let mut each = |key: &str, child_kind: Kind| {
        if let Some(v) = map.get(key) {
            out.push((join(pointer, key), child_kind, v));
        }
    };
    let members = |key: &str, child_kind: Kind, out: &mut Vec<(String, Kind, &'v Value)>| {
        let base = join(pointer, key);
        match map.get(key) {
            Some(v @ Value::Object(m)) if m.contains_key("$ref") && child_kind != Kind::Schema => {
                out.push((base, map_of(child_kind), v));
            }
            // `properties: {$ref: ...}` (some bundlers write it): the whole
            // map by reference; a property named `$ref` would be a schema,
            // never a string.
            Some(v @ Value::Object(m))
                if SCHEMA_MAPS.contains(&key)
                    && m.len() == 1
                    && m.get("$ref").is_some_and(Value::is_string) =>
            {
                out.push((base, map_of(child_kind), v));
            }
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    if !k.starts_with("x-") {
                        out.push((join(&base, k), child_kind, v));
                    }
                }
            }
            Some(Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    out.push((join(&base, i), child_kind, v));
                }
            }
            _ => {}
        }
    };
    match kind {
        Kind::Root if swagger2 => {
            members("paths", Kind::PathItem, &mut out);
            members("definitions", Kind::Schema, &mut out);
            members("parameters", Kind::Parameter, &mut out);
            members("responses", Kind::Response, &mut out);
        }
        Kind::Root => {
            members("paths", Kind::PathItem, &mut out);
            members("webhooks", Kind::PathItem, &mut out);
            if let Some(c) = map.get("components") {
                let base = join(pointer, "components");
                for (section, k) in [
                    ("schemas", Kind::Schema),
                    ("parameters", Kind::Parameter),
                    ("responses", Kind::Response),
                    ("requestBodies", Kind::RequestBody),
                    ("headers", Kind::Header),
                    ("examples", Kind::Example),
                    ("links", Kind::Link),
                    ("callbacks", Kind::Callback),
                    ("securitySchemes", Kind::SecurityScheme),
                    ("pathItems", Kind::PathItem),
                    ("mediaTypes", Kind::MediaType),
                ] {
                    match c.get(section) {
                        Some(v @ Value::Object(m)) if m.contains_key("$ref") => {
                            out.push((join(&base, section), map_of(k), v));
                        }
                        Some(Value::Object(m)) => {
                            let sb = join(&base, section);
                            for (name, v) in m {
                                out.push((join(&sb, name), k, v));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Kind::PathItem => {
            members("parameters", Kind::Parameter, &mut out);
            for m in METHODS {
                if let Some(v) = map.get(m) {
                    out.push((join(pointer, m), Kind::Operation, v));
                }
            }
            members("additionalOperations", Kind::Operation, &mut out);
        }
        Kind::Operation => {
            each("requestBody", Kind::RequestBody);
            members("parameters", Kind::Parameter, &mut out);
            members("responses", Kind::Response, &mut out);
            members("callbacks", Kind::Callback, &mut out);
        }
        Kind::Callback => {
            for (k, v) in map {
                if !k.starts_with("x-") {
                    out.push((join(pointer, k), Kind::PathItem, v));
                }
            }
        }
        Kind::Parameter | Kind::Header => {
            each("schema", Kind::Schema);
            if swagger2 {
                each("items", Kind::Schema);
            }
            members("content", Kind::MediaType, &mut out);
            members("examples", Kind::Example, &mut out);
        }
        Kind::RequestBody => {
            members("content", Kind::MediaType, &mut out);
        }
        Kind::Response => {
            each("schema", Kind::Schema);
            members("headers", Kind::Header, &mut out);
            if !swagger2 {
                members("content", Kind::MediaType, &mut out);
                members("links", Kind::Link, &mut out);
            }
        }
        Kind::MediaType => {
            each("schema", Kind::Schema);
            each("itemSchema", Kind::Schema);
            members("examples", Kind::Example, &mut out);
            if let Some(Value::Object(enc)) = map.get("encoding") {
                let base = join(pointer, "encoding");
                for (name, e) in enc {
                    let eb = join(&base, name);
                    if let Some(Value::Object(h)) = e.get("headers") {
                        let hb = join(&eb, "headers");
                        for (hn, hv) in h {
                            out.push((join(&hb, hn), Kind::Header, hv));
                        }
                    }
                }
            }
        }
        Kind::Schema => {
            for key in [
                "additionalProperties",
                "not",
                "if",
                "then",
                "else",
                "contains",
                "propertyNames",
                "unevaluatedProperties",
                "unevaluatedItems",
                "additionalItems",
            ] {
                if map
                    .get(key)
                    .is_some_and(|v| v.is_object() || v.is_boolean())
                {
                    each(key, Kind::Schema);
                }
            }
            // `items` is a schema, or (draft 4 tuples) a list of them.
            if map.get("items").is_some_and(|v| !v.is_array()) {
                each("items", Kind::Schema);
            }
            if map.get("items").is_some_and(Value::is_array) {
                members("items", Kind::Schema, &mut out);
            }
            for key in [
                "properties",
                "patternProperties",
                "allOf",
                "oneOf",
                "anyOf",
                "prefixItems",
                "x-codegen-tuple",
                "$defs",
                "definitions",
                "dependentSchemas",
            ] {
                members(key, Kind::Schema, &mut out);
            }
            // `properties` keys are names, not extensions: `x-foo` is a property.
            for key in ["properties", "$defs", "definitions"] {
                if let Some(Value::Object(m)) = map.get(key) {
                    let base = join(pointer, key);
                    for (k, v) in m {
                        if k.starts_with("x-") {
                            out.push((join(&base, k), Kind::Schema, v));
                        }
                    }
                }
            }
        }
        Kind::Map(inner) => {
            for (k, v) in map {
                if !k.starts_with("x-") {
                    out.push((join(pointer, k), *inner, v));
                }
            }
        }
        Kind::Example | Kind::Link | Kind::SecurityScheme => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_carry_the_kind_of_their_position() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {
                "parameters": [{"$ref": "p.yaml"}],
                "get": {"responses": {"200": {"$ref": "#/components/responses/R"},
                    "201": {"description": "", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"x-b": {"$ref": "s.yaml"}, "c": {"items": {"$ref": "#/$defs/T"}}}
                    }}}}}}
            }},
            "components": {"schemas": {"S": {"allOf": [{"$ref": "#/components/schemas/T"}]}}}
        });
        let found = refs(&doc, Kind::Root, "", false);
        let kinds: Vec<(&str, Kind)> = found.iter().map(|(p, k, _)| (p.as_str(), *k)).collect();
        assert!(kinds.contains(&("/paths/~1a/parameters/0", Kind::Parameter)));
        assert!(kinds.contains(&("/paths/~1a/get/responses/200", Kind::Response)));
        assert!(kinds.contains(&(
            "/paths/~1a/get/responses/201/content/application~1json/schema/properties/x-b",
            Kind::Schema
        )));
        assert!(kinds.contains(&(
            "/paths/~1a/get/responses/201/content/application~1json/schema/properties/c/items",
            Kind::Schema
        )));
        assert!(kinds.contains(&("/components/schemas/S/allOf/0", Kind::Schema)));
        assert_eq!(found.len(), 5);
    }

    #[test]
    fn swagger2_positions() {
        let doc = json!({"swagger": "2.0", "paths": {"/a": {"post": {
            "parameters": [{"in": "body", "name": "b", "schema": {"$ref": "#/definitions/B"}}],
            "responses": {"200": {"description": "", "schema": {"$ref": "x.json"}}}}}}});
        let found = refs(&doc, Kind::Root, "", true);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, k, _)| *k == Kind::Schema));
    }
}
