//! Where `$ref`s and schemas sit in a document, by the structure of its
//! version (Swagger 2.0 or OpenAPI 3.x): which object kind each node is.
//!
//! Bundling, hoisting and the 3.1 upgrade all need to know what a `$ref`
//! points at (a schema goes to `components/schemas`, a parameter to
//! `components/parameters`...), and that is decided by where it sits.

use serde_json::Value;

use crate::diagnostic::{join, push_segment};

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
/// The pointer is built in one buffer as the walk goes down and up, so
/// visiting allocates nothing per node.
pub(crate) fn visit(
    node: &Value,
    kind: Kind,
    pointer: &str,
    swagger2: bool,
    f: &mut dyn FnMut(&str, Kind, &Value),
) {
    let mut path = String::with_capacity(pointer.len() + 256);
    path.push_str(pointer);
    descend(node, kind, &mut path, swagger2, f);
}

fn descend(
    node: &Value,
    kind: Kind,
    path: &mut String,
    swagger2: bool,
    f: &mut dyn FnMut(&str, Kind, &Value),
) {
    f(path, kind, node);
    children(node, kind, swagger2, &mut |segments, child_kind, child| {
        let len = path.len();
        for segment in segments {
            match segment {
                Segment::Key(key) => push_segment(path, key),
                Segment::Index(i) => {
                    use std::fmt::Write as _;
                    // Writing to a `String` cannot fail.
                    let _ = write!(path, "/{i}");
                }
            }
        }
        descend(child, child_kind, path, swagger2, f);
        path.truncate(len);
    });
}

/// Calls `f(pointer, kind, node, order)` for every node of a known kind
/// under `node`, children before their parent (siblings in rule order),
/// with mutable access: a rewrite of a node sees its children rewritten
/// already. `order` is the node's place in [`visit`]'s order (parents
/// first), for callers that report in document order. Each node is
/// reached from its parent, never from the root again by its pointer.
pub(crate) fn visit_mut_children_first(
    node: &mut Value,
    kind: Kind,
    swagger2: bool,
    f: &mut dyn FnMut(&str, Kind, &mut Value, usize),
) {
    let mut path = String::with_capacity(256);
    let mut order = 0;
    descend_mut(node, kind, &mut path, swagger2, &mut order, f);
}

fn descend_mut(
    node: &mut Value,
    kind: Kind,
    path: &mut String,
    swagger2: bool,
    order: &mut usize,
    f: &mut dyn FnMut(&str, Kind, &mut Value, usize),
) {
    let mine = *order;
    *order += 1;
    let mut steps: Vec<(Vec<Step>, Kind)> = Vec::new();
    children(node, kind, swagger2, &mut |segments, child_kind, _| {
        let owned = segments
            .iter()
            .map(|s| match s {
                Key(k) => Step::Key((*k).to_string()),
                Index(i) => Step::Index(*i),
            })
            .collect();
        steps.push((owned, child_kind));
    });
    for (segments, child_kind) in steps {
        let len = path.len();
        let mut child = Some(&mut *node);
        for segment in &segments {
            child = child.and_then(|c| match (segment, c) {
                (Step::Key(k), Value::Object(m)) => m.get_mut(k.as_str()),
                (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
                _ => None,
            });
            match segment {
                Step::Key(k) => push_segment(path, k),
                Step::Index(i) => {
                    use std::fmt::Write as _;
                    // Writing to a `String` cannot fail.
                    let _ = write!(path, "/{i}");
                }
            }
        }
        if let Some(child) = child {
            descend_mut(child, child_kind, path, swagger2, order, f);
        }
        path.truncate(len);
    }
    f(path, kind, node, mine);
}

/// An owned [`Segment`], held while its node is borrowed mutably.
enum Step {
    Key(String),
    Index(usize),
}

/// One step of a pointer, unescaped.
#[derive(Clone, Copy)]
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

use Segment::{Index, Key};

/// What [`children`] calls for each child: the steps from the node to it,
/// its kind, the child.
type Child<'a, 'v> = dyn FnMut(&[Segment<'_>], Kind, &'v Value) + 'a;

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

type Object = serde_json::Map<String, Value>;

/// Calls `out` for each child of a known kind of `node`, in document
/// order of the rules below.
fn children<'v>(node: &'v Value, kind: Kind, swagger2: bool, out: &mut Child<'_, 'v>) {
    let Some(map) = node.as_object() else {
        return;
    };
    // A reference's siblings are not followed, except in schemas (3.1
    // applies them; `properties` beside `$ref` is still a schema).
    if map.contains_key("$ref") && kind != Kind::Schema {
        return;
    }
    match kind {
        Kind::Root => root(map, swagger2, out),
        Kind::PathItem => {
            members(map, "parameters", Kind::Parameter, out);
            for m in METHODS {
                each(map, m, Kind::Operation, out);
            }
            members(map, "additionalOperations", Kind::Operation, out);
        }
        Kind::Operation => {
            each(map, "requestBody", Kind::RequestBody, out);
            members(map, "parameters", Kind::Parameter, out);
            members(map, "responses", Kind::Response, out);
            members(map, "callbacks", Kind::Callback, out);
        }
        Kind::Callback => entries(map, Kind::PathItem, out),
        Kind::Parameter | Kind::Header => {
            each(map, "schema", Kind::Schema, out);
            if swagger2 {
                each(map, "items", Kind::Schema, out);
            }
            members(map, "content", Kind::MediaType, out);
            members(map, "examples", Kind::Example, out);
        }
        Kind::RequestBody => members(map, "content", Kind::MediaType, out),
        Kind::Response => {
            each(map, "schema", Kind::Schema, out);
            members(map, "headers", Kind::Header, out);
            if !swagger2 {
                members(map, "content", Kind::MediaType, out);
                members(map, "links", Kind::Link, out);
            }
        }
        Kind::MediaType => media_type(map, out),
        Kind::Schema => schema(map, out),
        Kind::Map(inner) => entries(map, *inner, out),
        Kind::Example | Kind::Link | Kind::SecurityScheme => {}
    }
}

/// `map[key]`, of kind `kind`.
fn each<'v>(map: &'v Object, key: &str, kind: Kind, out: &mut Child<'_, 'v>) {
    if let Some(v) = map.get(key) {
        out(&[Key(key)], kind, v);
    }
}

/// Every entry of `map` but extensions, of kind `kind`.
fn entries<'v>(map: &'v Object, kind: Kind, out: &mut Child<'_, 'v>) {
    for (k, v) in map {
        if !k.starts_with("x-") {
            out(&[Key(k)], kind, v);
        }
    }
}

/// The members of the map or list `map[key]`, each of kind `kind`; or the
/// whole of it where a `$ref` stands for it.
fn members<'v>(map: &'v Object, key: &str, kind: Kind, out: &mut Child<'_, 'v>) {
    if let Some(v) = map.get(key) {
        members_of(key, v, kind, out);
    }
}

/// [`members`] for the value `v` found at `key`.
fn members_of<'v>(key: &str, v: &'v Value, kind: Kind, out: &mut Child<'_, 'v>) {
    match v {
        Value::Object(m) if m.contains_key("$ref") && kind != Kind::Schema => {
            out(&[Key(key)], map_of(kind), v);
        }
        // `properties: {$ref: ...}` (some bundlers write it): the whole
        // map by reference; a property named `$ref` would be a schema,
        // never a string.
        Value::Object(m)
            if SCHEMA_MAPS.contains(&key)
                && m.len() == 1
                && m.get("$ref").is_some_and(Value::is_string) =>
        {
            out(&[Key(key)], map_of(kind), v);
        }
        Value::Object(m) => {
            for (k, v) in m {
                if !k.starts_with("x-") {
                    out(&[Key(key), Key(k)], kind, v);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                out(&[Key(key), Index(i)], kind, v);
            }
        }
        _ => {}
    }
}

fn root<'v>(map: &'v Object, swagger2: bool, out: &mut Child<'_, 'v>) {
    if swagger2 {
        members(map, "paths", Kind::PathItem, out);
        members(map, "definitions", Kind::Schema, out);
        members(map, "parameters", Kind::Parameter, out);
        members(map, "responses", Kind::Response, out);
        return;
    }
    members(map, "paths", Kind::PathItem, out);
    members(map, "webhooks", Kind::PathItem, out);
    if let Some(c) = map.get("components") {
        components(c, out);
    }
}

fn media_type<'v>(map: &'v Object, out: &mut Child<'_, 'v>) {
    each(map, "schema", Kind::Schema, out);
    each(map, "itemSchema", Kind::Schema, out);
    members(map, "examples", Kind::Example, out);
    if let Some(Value::Object(enc)) = map.get("encoding") {
        for (name, e) in enc {
            if let Some(Value::Object(h)) = e.get("headers") {
                for (hn, hv) in h {
                    out(
                        &[Key("encoding"), Key(name), Key("headers"), Key(hn)],
                        Kind::Header,
                        hv,
                    );
                }
            }
        }
    }
}

/// Keywords whose value is one schema (or a boolean one).
const SUBSCHEMAS: [&str; 10] = [
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
];

/// Keywords whose value is a map or list of schemas.
const SCHEMA_MEMBERS: [&str; 10] = [
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
];

/// A schema's children. One pass over its keys finds the keywords (a
/// schema has few keys; looking each of the 20-odd keywords up would hash
/// them all, on every schema of every walk), then the children go out in
/// the keywords' order, whatever the document's.
fn schema<'v>(map: &'v Object, out: &mut Child<'_, 'v>) {
    let mut found: [Option<&'v Value>; KEYWORDS] = [None; KEYWORDS];
    for (k, v) in map {
        if let Some(slot) = keyword_slot(k) {
            found[slot] = Some(v);
        }
    }
    for (slot, key) in SUBSCHEMAS.iter().enumerate() {
        if let Some(v) = found[slot].filter(|v| v.is_object() || v.is_boolean()) {
            out(&[Key(key)], Kind::Schema, v);
        }
    }
    // `items` is a schema, or (draft 4 tuples) a list of them.
    match found[ITEMS] {
        Some(v @ Value::Array(_)) => members_of("items", v, Kind::Schema, out),
        Some(v) => out(&[Key("items")], Kind::Schema, v),
        None => {}
    }
    for (slot, key) in SCHEMA_MEMBERS.iter().enumerate() {
        if let Some(v) = found[MEMBERS + slot] {
            members_of(key, v, Kind::Schema, out);
        }
    }
    // `properties` keys are names, not extensions: `x-foo` is a property.
    for key in ["properties", "$defs", "definitions"] {
        if let Some(Value::Object(m)) = keyword_slot(key).and_then(|slot| found[slot]) {
            for (k, v) in m {
                if k.starts_with("x-") {
                    out(&[Key(key), Key(k)], Kind::Schema, v);
                }
            }
        }
    }
}

/// Slots of [`schema`]'s keywords: the [`SUBSCHEMAS`], `items`, the
/// [`SCHEMA_MEMBERS`].
const ITEMS: usize = SUBSCHEMAS.len();
const MEMBERS: usize = ITEMS + 1;
const KEYWORDS: usize = MEMBERS + SCHEMA_MEMBERS.len();

fn keyword_slot(key: &str) -> Option<usize> {
    if key == "items" {
        return Some(ITEMS);
    }
    if let Some(i) = SUBSCHEMAS.iter().position(|k| *k == key) {
        return Some(i);
    }
    SCHEMA_MEMBERS
        .iter()
        .position(|k| *k == key)
        .map(|i| MEMBERS + i)
}

/// The sections of `components`, each a map by name (or a `$ref` standing
/// for the whole map).
fn components<'v>(components: &'v Value, out: &mut Child<'_, 'v>) {
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
        match components.get(section) {
            Some(v @ Value::Object(m)) if m.contains_key("$ref") => {
                out(&[Key("components"), Key(section)], map_of(k), v);
            }
            Some(Value::Object(m)) => {
                for (name, v) in m {
                    out(&[Key("components"), Key(section), Key(name)], k, v);
                }
            }
            _ => {}
        }
    }
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
