//! OpenAPI 3.1 and 3.2 -> the 3.0 model lowering reads.
//!
//! Schemas are rewritten bottom-up (children first, so a parent sees its
//! members already in 3.0 form): type arrays become `nullable` or a
//! `oneOf` per type, `const` a one-value `enum`, numeric exclusive bounds
//! the 3.0 boolean form, `$ref` with sibling keywords an `allOf` of the
//! reference (so a description stays on the use site), `{type: "null"}`
//! members of `oneOf`/`anyOf` a `nullable`. What the 3.0 model cannot hold
//! and generated code does not need to decode a value (`if`/`then`/`else`,
//! `dependentRequired`...) is dropped with a located warning.

use serde_json::{json, Map, Value};

use super::pointer::segments;
use super::relocate::Relocations;
use super::swagger2::Note;
use super::walk::{visit, Kind};
use crate::diagnostic::join;

/// Marks a schema that admits only `null` so its parent can drop it (and
/// lowering, where it stays, knows its one value).
pub(crate) const NULL_MARK: &str = "x-codegen-null";

pub(crate) fn upgrade(doc: &mut Value, v32: bool, moves: &mut Relocations, notes: &mut Vec<Note>) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    root.entry("paths").or_insert_with(|| json!({}));
    mutual_tls(doc, notes);
    if v32 {
        v32_constructs(doc, moves, notes);
    }
    let mut schemas: Vec<(String, usize)> = Vec::new();
    let mut responses: Vec<String> = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, _| match k {
        Kind::Schema => schemas.push((p.to_string(), segments(p).len())),
        Kind::Response => responses.push(p.to_string()),
        _ => {}
    });
    schemas.sort_by_key(|(_, depth)| std::cmp::Reverse(*depth));
    for (pointer, _) in &schemas {
        if let Some(node) = doc.pointer_mut(pointer) {
            schema(node, pointer, moves, notes);
        }
    }
    // 3.2 made a response's description optional; 3.0 requires it.
    for pointer in responses {
        if let Some(Value::Object(m)) = doc.pointer_mut(&pointer) {
            if !m.contains_key("$ref") {
                m.entry("description").or_insert_with(|| json!(""));
            }
        }
    }
    webhooks(doc, moves);
}

/// The resource webhook operations are grouped in (trait `WebhookReceivers`,
/// client accessor `webhook_receivers()`).
pub(crate) const WEBHOOK_TAG: &str = "webhook receivers";

const HOOK_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Webhooks are what a receiver implements: each becomes an operation of
/// the `webhook receivers` resource, routed at `/<webhook name>` (mount the
/// router under your own prefix), so the server part is the receiver and
/// the client part a sender (for tests and for providers). A webhook
/// requires only the security its own operation declares.
fn webhooks(doc: &mut Value, moves: &mut Relocations) {
    let Some(Value::Object(hooks)) = doc.as_object_mut().and_then(|r| r.remove("webhooks")) else {
        return;
    };
    for (name, item) in hooks {
        if name.starts_with("x-") {
            continue;
        }
        // Tags go on the operations, so a referenced path item is read now.
        let mut item = match item.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => {
                super::pointer::find(doc, &r[1..]).cloned().unwrap_or(item)
            }
            _ => item,
        };
        let segment: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._~-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if let Value::Object(m) = &mut item {
            for (method, op) in m.iter_mut() {
                if let (true, Value::Object(op)) = (HOOK_METHODS.contains(&method.as_str()), op) {
                    op.insert("tags".into(), json!([WEBHOOK_TAG]));
                    op.insert("x-codegen-webhook".into(), json!(name));
                    // The API's own `security` is for calls into the API;
                    // the provider calling a receiver does not hold it.
                    op.entry("security").or_insert_with(|| json!([]));
                }
            }
        }
        let Some(paths) = super::pointer::ensure_object(doc, "/paths") else {
            return;
        };
        let mut path = format!("/{segment}");
        while paths.contains_key(&path) {
            path = format!("/webhooks{path}");
        }
        moves.record(join("/paths", &path), join("/webhooks", &name));
        paths.insert(path, item);
    }
}

fn note(pointer: &str, message: impl Into<String>) -> Note {
    Note {
        pointer: pointer.to_string(),
        message: message.into(),
        repair: None,
    }
}

/// `mutualTLS` is settled by the TLS layer, below generated code: the
/// scheme is removed, and requirements naming it no longer do.
fn mutual_tls(doc: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(schemes)) = doc.pointer_mut("/components/securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(n, _)| n.clone())
        .collect();
    for name in &names {
        schemes.remove(name);
        notes.push(note(
            &join("/components/securitySchemes", name),
            format!("security scheme `{name}` is mutual TLS: configure the client certificate on the HTTP client and the server's TLS terminator; generated code does not check it"),
        ));
    }
    if names.is_empty() {
        return;
    }
    let strip = |req: &mut Value| {
        if let Value::Array(list) = req {
            for r in list.iter_mut() {
                if let Value::Object(m) = r {
                    for n in &names {
                        m.remove(n);
                    }
                }
            }
        }
    };
    if let Some(s) = doc.get_mut("security") {
        strip(s);
    }
    let mut ops = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, _| {
        if k == Kind::Operation {
            ops.push(p.to_string());
        }
    });
    for p in ops {
        if let Some(s) = doc.pointer_mut(&p).and_then(|o| o.get_mut("security")) {
            strip(s);
        }
    }
}

/// What 3.2 adds that the 3.0 model has no place for: dropped, each with a
/// warning naming it.
/// Methods with their own path item field; `additionalOperations` may not
/// repeat them (nor `query`, a field since 3.2).
const FIXED_METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// `additionalOperations` (3.2; `query` joins them in `v32_constructs`)
/// become the `x-codegen-operations` extension once every step has
/// walked them as operations, since the 3.0 model keeps only extensions.
pub(crate) fn expose_additional_operations(doc: &mut Value, moves: &mut Relocations) {
    let mut items = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, v| {
        if k == Kind::PathItem && v.get("additionalOperations").is_some() {
            items.push(p.to_string());
        }
    });
    for p in items {
        if let Some(Value::Object(item)) = doc.pointer_mut(&p) {
            if let Some(extra) = item.remove("additionalOperations") {
                moves.record(
                    join(&p, "x-codegen-operations"),
                    join(&p, "additionalOperations"),
                );
                item.insert("x-codegen-operations".into(), extra);
            }
        }
    }
}

fn v32_constructs(doc: &mut Value, moves: &mut Relocations, notes: &mut Vec<Note>) {
    let mut items = Vec::new();
    let mut params = Vec::new();
    let mut media = Vec::new();
    let mut cookies = Vec::new();
    visit(doc, Kind::Root, "", false, &mut |p, k, v| match k {
        Kind::PathItem => items.push(p.to_string()),
        Kind::Parameter if v.get("in").and_then(Value::as_str) == Some("querystring") => {
            params.push(p.to_string())
        }
        Kind::Parameter if v.get("style").and_then(Value::as_str) == Some("cookie") => {
            cookies.push(p.to_string())
        }
        Kind::MediaType if v.get("itemSchema").is_some() => media.push(p.to_string()),
        _ => {}
    });
    for p in items {
        let Some(Value::Object(item)) = doc.pointer_mut(&p) else {
            continue;
        };
        if let Some(Value::Object(extra)) = item.get_mut("additionalOperations") {
            extra.retain(|method, _| {
                let token = crate::ir::Method::is_token(method);
                // Methods are case-sensitive: `PUT` is `put`'s; `Put` is another.
                let fixed = FIXED_METHODS.iter().any(|m| m.to_ascii_uppercase() == *method);
                if !token || fixed {
                    notes.push(note(
                        &join(&join(&p, "additionalOperations"), method),
                        if fixed {
                            format!("`{method}` has a fixed field of the path item (OpenAPI 3.2 forbids it here): this operation is left out")
                        } else {
                            format!("`{method}` is not an HTTP method token: this operation is left out")
                        },
                    ));
                }
                token && !fixed
            });
        }
        // `query` is one more additional operation: the QUERY method.
        if let Some(query) = item.remove("query") {
            let extra = item
                .entry("additionalOperations")
                .or_insert_with(|| json!({}));
            if let Value::Object(extra) = extra {
                if extra.contains_key("QUERY") {
                    notes.push(note(&join(&p, "query"), "`query` and `additionalOperations/QUERY` both describe the QUERY method: `query` is left out"));
                } else {
                    moves.record(
                        join(&join(&p, "additionalOperations"), "QUERY"),
                        join(&p, "query"),
                    );
                    extra.insert("QUERY".into(), query);
                }
            }
        }
    }
    // The 3.0 model has no `querystring` location: a query parameter
    // described by `content` with a marker carries it to lowering, which
    // reads the marker (the parameter keeps its place, so `$ref`s to it and
    // its diagnostics' locations still hold).
    for p in params {
        if let Some(Value::Object(param)) = doc.pointer_mut(&p) {
            param.insert("in".into(), json!("query"));
            param.insert(super::QUERYSTRING_MARKER.into(), json!(true));
        }
    }
    for p in cookies {
        if let Some(Value::Object(param)) = doc.pointer_mut(&p) {
            param.remove("style");
            param.insert(super::COOKIE_STYLE_MARKER.into(), json!(true));
        }
    }
    for p in media {
        let media_type = super::pointer::segments(&p).pop().unwrap_or_default();
        if crate::media::Media::of(&media_type).is_sequential() {
            if let Some(Value::Object(m)) = doc.pointer_mut(&p) {
                if let Some(item) = m.remove("itemSchema") {
                    m.insert(super::ITEM_SCHEMA.into(), item);
                    moves.record(join(&p, super::ITEM_SCHEMA), join(&p, "itemSchema"));
                }
            }
        } else {
            notes.push(note(&join(&p, "itemSchema"), format!("`itemSchema` on `{media_type}`, which is not a sequential media type this generator streams (server-sent events, JSON lines or sequences): it is left out")));
        }
    }
}

/// Where a 3.1 `dependentRequired` travels to lowering (the 3.0 model has
/// no such keyword; schema extensions survive it).
pub(crate) const DEPENDENT_REQUIRED: &str = "x-codegen-dependent-required";

/// Where the common form of 3.1 `if`/`then`/`else` travels to lowering
/// (see [`conditional_required`]).
pub(crate) const CONDITIONAL_REQUIRED: &str = "x-codegen-conditional-required";

/// Where the keywords a type cannot express travel to lowering, as
/// written (see [`RULE_KEYWORDS`]): the server checks them on the JSON value.
pub(crate) const RULES: &str = "x-codegen-rules";
/// A 3.1 schema's `examples` after the first (which becomes `example`):
/// kept for `--verify-examples`, which checks them all.
pub(crate) const MORE_EXAMPLES: &str = "x-codegen-examples";

/// Keywords that constrain values beyond their shape, checked on the JSON
/// value by the generated server (`codegen_runtime::server::rules`).
const RULE_KEYWORDS: [&str; 8] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Keywords that constrain values beyond their shape and are not checked:
/// generated code decodes the same values without them (a malformed
/// `dependentRequired` included).
const NOT_CHECKED: [&str; 3] = ["dependentRequired", "unevaluatedItems", "not"];

/// Keywords that may sit beside `$ref` without changing the type.
const REF_NEUTRAL: [&str; 5] = ["$comment", "$id", "$schema", "$anchor", "$dynamicAnchor"];

fn schema(node: &mut Value, pointer: &str, moves: &mut Relocations, notes: &mut Vec<Note>) {
    if let Value::Bool(b) = *node {
        boolean_schema(node, b, pointer, notes);
        return;
    }
    let Some(m) = node.as_object_mut() else {
        return;
    };
    if m.contains_key("$ref") && !ref_with_siblings(m, pointer, moves) {
        return;
    }
    values_3_0(m);
    content_keywords(m);
    if m.get("enum")
        .and_then(Value::as_array)
        .is_some_and(|e| e.iter().any(Value::is_null))
    {
        m.insert("nullable".into(), json!(true));
    }
    tuple(m, pointer, moves, notes);
    types(m, pointer, moves);
    null_members(m, pointer, moves);
    // `items` is optional since 3.1 (any items); 3.0 requires it (R0007).
    if m.get("type").and_then(Value::as_str) == Some("array")
        && !m.contains_key("items")
        && !m.contains_key("x-codegen-tuple")
    {
        m.insert("items".into(), json!({}));
    }
    additional_properties(m, pointer, moves);
    dependent_required(m, pointer, moves);
    conditional_required(m, pointer, moves);
    rules(m, pointer, moves);
    for keyword in NOT_CHECKED {
        // `not` is 3.0 too, but lowering cannot express it either.
        if keyword == "not" {
            continue;
        }
        if m.remove(keyword).is_some() {
            notes.push(note(
                &join(pointer, keyword),
                format!("`{keyword}` is not checked by generated code (values are decoded by their other keywords)"),
            ));
        }
    }
}

/// A boolean schema: `additionalProperties: false` is 3.0 too, `items` is
/// settled by its array (a closed tuple); elsewhere `false` (no value
/// allowed) has no type, and `true` is any value.
fn boolean_schema(node: &mut Value, value: bool, pointer: &str, notes: &mut Vec<Note>) {
    if pointer.ends_with("/additionalProperties")
        || pointer.ends_with("/unevaluatedProperties")
        || pointer.ends_with("/items")
    {
        return;
    }
    if !value {
        notes.push(note(
            pointer,
            "the `false` schema (no value allowed) is generated as any value",
        ));
    }
    *node = json!({});
}

/// A `$ref` with siblings that change the type becomes one member of an
/// `allOf` beside them. `false`: a plain reference, nothing more to do.
fn ref_with_siblings(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) -> bool {
    let siblings = m
        .keys()
        .any(|k| k != "$ref" && !REF_NEUTRAL.contains(&k.as_str()));
    if !siblings {
        return false;
    }
    if let Some(r) = m.remove("$ref") {
        let all_of = m.entry("allOf").or_insert_with(|| json!([]));
        if let Value::Array(parts) = all_of {
            moves.record(
                join(&join(pointer, "allOf"), parts.len()),
                pointer.to_string(),
            );
            parts.push(json!({ "$ref": r }));
        }
    }
    true
}

/// `const`, `examples` and numeric exclusive bounds in their 3.0 forms.
fn values_3_0(m: &mut Map<String, Value>) {
    if let Some(c) = m.remove("const") {
        m.entry("enum").or_insert_with(|| json!([c]));
    }
    if let Some(Value::Array(ex)) = m.get("examples") {
        let (first, rest) = (
            ex.first().cloned(),
            ex.iter().skip(1).cloned().collect::<Vec<_>>(),
        );
        if let Some(first) = first {
            if !m.contains_key("example") {
                m.insert("example".into(), first);
                if !rest.is_empty() {
                    m.insert(MORE_EXAMPLES.into(), Value::Array(rest));
                }
            }
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = m.get(exclusive).cloned() {
            m.insert(bound.into(), Value::Number(n));
            m.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `patternProperties` (one pattern) and `unevaluatedProperties` as 3.0's
/// `additionalProperties`.
fn additional_properties(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    if let Some(Value::Object(patterns)) = m.remove("patternProperties") {
        if !m.contains_key("additionalProperties") {
            let value = if patterns.len() == 1 {
                let (pattern, schema) = patterns.into_iter().next().unwrap_or_default();
                moves.record(
                    join(pointer, "additionalProperties"),
                    join(&join(pointer, "patternProperties"), pattern),
                );
                schema
            } else {
                json!({})
            };
            m.insert("additionalProperties".into(), value);
        }
    }
    if let Some(u) = m.remove("unevaluatedProperties") {
        if !m.contains_key("additionalProperties") {
            moves.record(
                join(pointer, "additionalProperties"),
                join(pointer, "unevaluatedProperties"),
            );
            m.insert("additionalProperties".into(), u);
        }
    }
}

/// A well-formed `dependentRequired` (property -> list of properties) is
/// checked by the generated server: lowering reads it from here.
fn dependent_required(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    let well_formed = m.get("dependentRequired").is_some_and(|d| {
        d.as_object().is_some_and(|d| {
            d.values().all(|v| {
                v.as_array()
                    .is_some_and(|names| names.iter().all(Value::is_string))
            })
        })
    });
    if well_formed {
        if let Some(d) = m.remove("dependentRequired") {
            moves.record(
                join(pointer, DEPENDENT_REQUIRED),
                join(pointer, "dependentRequired"),
            );
            m.insert(DEPENDENT_REQUIRED.into(), d);
        }
    }
}

/// The keywords the generated server checks as rules, gathered under
/// [`RULES`] when they say something.
fn rules(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    let mut rules = Map::new();
    for keyword in RULE_KEYWORDS {
        if let Some(v) = m.remove(keyword) {
            if rules.is_empty() {
                moves.record(join(pointer, RULES), join(pointer, keyword));
            }
            rules.insert(keyword.to_string(), v);
        }
    }
    // `then`/`else` without `if`, or `minContains` without `contains`, say nothing.
    let meaningful = rules.contains_key("if")
        || rules.contains_key("dependentSchemas")
        || rules.contains_key("contains")
        || rules.contains_key("propertyNames");
    if meaningful {
        m.insert(RULES.into(), Value::Object(rules));
    }
}

/// The common form of 3.1 `if`/`then`/`else`, required properties that
/// depend on one property's value:
///
/// ```yaml
/// if: {properties: {kind: {const: card}}, required: [kind]}
/// then: {required: [number]}
/// else: {required: [iban]}
/// ```
///
/// becomes `x-codegen-conditional-required` (`property`, `value`,
/// `required`: whether `if` requires the property, `then`, `else`) for the
/// server to check. Any other `if` stays for the not-checked warning.
fn conditional_required(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    let names = |v: Option<&Value>| -> Option<Vec<Value>> {
        match v {
            None => Some(Vec::new()),
            Some(Value::Object(o)) if o.keys().all(|k| k == "required") => o
                .get("required")
                .and_then(Value::as_array)
                .filter(|a| a.iter().all(Value::is_string))
                .cloned(),
            Some(_) => None,
        }
    };
    let Some(Value::Object(condition)) = m.get("if") else {
        return;
    };
    if !condition
        .keys()
        .all(|k| matches!(k.as_str(), "properties" | "required" | "type"))
    {
        return;
    }
    let Some(Value::Object(properties)) = condition.get("properties") else {
        return;
    };
    let [(property, Value::Object(test))] = properties.iter().collect::<Vec<_>>()[..] else {
        return;
    };
    // `const` became a one-value `enum` when the `if` schema was upgraded.
    let value = match (test.get("const"), test.get("enum")) {
        (Some(v), None) => v.clone(),
        (None, Some(Value::Array(values))) if values.len() == 1 => values[0].clone(),
        _ => return,
    };
    if value.is_object()
        || value.is_array()
        || !test
            .keys()
            .all(|k| matches!(k.as_str(), "const" | "enum" | "type"))
    {
        return;
    }
    let required = condition
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(property)));
    let (Some(then), Some(otherwise)) = (names(m.get("then")), names(m.get("else"))) else {
        return;
    };
    let carried = json!({
        "property": property,
        "value": value,
        "required": required,
        "then": then,
        "else": otherwise,
    });
    for keyword in ["if", "then", "else"] {
        m.remove(keyword);
    }
    moves.record(join(pointer, CONDITIONAL_REQUIRED), join(pointer, "if"));
    m.insert(CONDITIONAL_REQUIRED.into(), carried);
}

/// `prefixItems` with nothing after them (`items: false`, or `maxItems`
/// equal to their number) is a tuple (`x-codegen-tuple`, read by
/// lowering); with more items allowed it stays an array of any value.
pub(super) fn tuple(
    m: &mut Map<String, Value>,
    pointer: &str,
    moves: &mut Relocations,
    notes: &mut Vec<Note>,
) {
    let items = m.get("items").cloned();
    if let Some(Value::Bool(_)) = items {
        m.remove("items");
    }
    let Some(Value::Array(prefix)) = m.remove("prefixItems") else {
        if items == Some(Value::Bool(false)) {
            notes.push(note(&join(pointer, "items"), "`items: false` without `prefixItems` (only empty arrays) is generated as an array of any values"));
        }
        return;
    };
    m.entry("type").or_insert_with(|| json!("array"));
    let len = prefix.len();
    let closed = items == Some(Value::Bool(false))
        || (items.is_none() && m.get("maxItems").and_then(Value::as_u64) == Some(len as u64));
    if closed && len > 0 {
        moves.record(
            join(pointer, "x-codegen-tuple"),
            join(pointer, "prefixItems"),
        );
        m.insert("x-codegen-tuple".into(), Value::Array(prefix));
    } else {
        notes.push(note(
            &join(pointer, "prefixItems"),
            "`prefixItems` with more items allowed after them is generated as an array of any values (a tuple needs `items: false`)",
        ));
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a binary
/// `contentMediaType` without an encoding is `format: binary`.
fn content_keywords(m: &mut Map<String, Value>) {
    if m.contains_key("format") {
        return;
    }
    let encoding = m.get("contentEncoding").and_then(Value::as_str);
    let media = m.get("contentMediaType").and_then(Value::as_str);
    let format = match (encoding, media) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(mt))
            if !mt.starts_with("text/") && !mt.contains("json") && !mt.contains("xml") =>
        {
            "binary"
        }
        _ => return,
    };
    m.insert("format".into(), json!(format));
    m.entry("type").or_insert_with(|| json!("string"));
}

/// Keywords that belong to one JSON type, moved into that type's member
/// when a type array becomes a `oneOf`.
fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &[
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "x-codegen-prefix-items",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

pub(super) fn types(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    let listed: Vec<String> = match m.get("type") {
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".into()],
        _ => return,
    };
    let had_null = listed.iter().any(|t| t == "null");
    let mut rest: Vec<String> = listed.into_iter().filter(|t| t != "null").collect();
    rest.dedup();
    if had_null {
        m.insert("nullable".into(), json!(true));
    }
    match rest.len() {
        0 => {
            m.remove("type");
            m.insert(NULL_MARK.into(), json!(true));
        }
        1 => {
            m.insert("type".into(), json!(rest[0]));
        }
        _ => {
            m.remove("type");
            let mut alternatives = Vec::new();
            for (i, t) in rest.iter().enumerate() {
                let mut alt = Map::new();
                alt.insert("type".into(), json!(t));
                for k in keywords_of(t) {
                    // `format` is shared by strings and numbers: copied.
                    if let Some(v) = m.get(*k) {
                        alt.insert((*k).to_string(), v.clone());
                        moves.record(join(&join(&join(pointer, "oneOf"), i), k), join(pointer, k));
                    }
                }
                if let Some(Value::Array(values)) = m.get("enum") {
                    let of_type: Vec<Value> = values
                        .iter()
                        .filter(|v| is_of_type(v, t))
                        .cloned()
                        .collect();
                    if !of_type.is_empty() {
                        alt.insert("enum".into(), Value::Array(of_type));
                    }
                }
                alternatives.push(Value::Object(alt));
            }
            for t in &rest {
                for k in keywords_of(t) {
                    m.remove(*k);
                }
            }
            m.remove("enum");
            m.insert("oneOf".into(), Value::Array(alternatives));
        }
    }
}

fn is_of_type(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get(NULL_MARK) == Some(&json!(true))
        || v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_null())
}

/// `oneOf: [X, {type: "null"}]` is a nullable `X`.
fn null_members(m: &mut Map<String, Value>, pointer: &str, moves: &mut Relocations) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alts)) = m.get_mut(key) else {
            continue;
        };
        if !alts.iter().any(is_null_schema) {
            continue;
        }
        let kept: Vec<(usize, Value)> = std::mem::take(alts)
            .into_iter()
            .enumerate()
            .filter(|(_, a)| !is_null_schema(a))
            .collect();
        m.insert("nullable".into(), json!(true));
        let list = join(pointer, key);
        if let [(i, _)] = kept.as_slice() {
            let i = *i;
            let only = kept.into_iter().next().map(|(_, v)| v).unwrap_or_default();
            m.remove(key);
            let parts = m.entry("allOf").or_insert_with(|| json!([]));
            if let Value::Array(parts) = parts {
                moves.record(join(&join(pointer, "allOf"), parts.len()), join(&list, i));
                parts.push(only);
            }
        } else if kept.is_empty() {
            m.remove(key);
        } else {
            let mut out = Vec::new();
            for (new, (old, v)) in kept.into_iter().enumerate() {
                if new != old {
                    moves.record(join(&list, new), join(&list, old));
                }
                out.push(v);
            }
            m.insert(key.into(), Value::Array(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(doc: Value) -> (Value, Vec<Note>) {
        let mut doc = doc;
        let mut notes = Vec::new();
        upgrade(&mut doc, false, &mut Relocations::default(), &mut notes);
        (doc, notes)
    }

    fn s(schema: Value) -> Value {
        let (doc, _) = up(json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}}));
        doc["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_arrays() {
        assert_eq!(
            s(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        let two = s(json!({"type": ["string", "integer"], "minLength": 1, "minimum": 0}));
        assert_eq!(
            two,
            json!({"oneOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}]})
        );
    }

    #[test]
    fn null_members_make_nullable() {
        let one = s(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            one,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn keywords() {
        assert_eq!(s(json!({"const": "a"})), json!({"enum": ["a"]}));
        assert_eq!(
            s(json!({"type": "number", "exclusiveMinimum": 0})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            s(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            s(json!({"type": "string", "contentEncoding": "base64"}))["format"],
            "byte"
        );
        let nested = s(
            json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}, "b": true}}),
        );
        assert_eq!(
            nested["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(nested["properties"]["b"], json!({}));
    }

    #[test]
    fn query_and_custom_methods_become_additional_operations() {
        let mut doc = json!({"openapi": "3.2.0", "paths": {"/a": {
            "query": {"responses": {}},
            "additionalOperations": {
                "COPY": {"responses": {}},
                "PUT": {"responses": {}},
                "NOT A TOKEN": {"responses": {}},
                "Put": {"responses": {}}
            }
        }}});
        let mut notes = Vec::new();
        let mut moves = Relocations::default();
        upgrade(&mut doc, true, &mut moves, &mut notes);
        let extra = &doc["paths"]["/a"]["additionalOperations"];
        let methods: Vec<&String> = extra.as_object().expect("kept").keys().collect();
        assert_eq!(methods, ["COPY", "Put", "QUERY"]);
        assert!(doc["paths"]["/a"].get("query").is_none());
        assert_eq!(
            notes.len(),
            2,
            "{:?}",
            notes.iter().map(|n| &n.message).collect::<Vec<_>>()
        );
        assert!(notes[0].message.contains("fixed field"));
        assert!(notes[1].message.contains("not an HTTP method token"));

        expose_additional_operations(&mut doc, &mut moves);
        assert!(doc["paths"]["/a"].get("additionalOperations").is_none());
        assert_eq!(
            doc["paths"]["/a"]["x-codegen-operations"]["QUERY"],
            json!({"responses": {}})
        );
    }

    #[test]
    fn unchecked_keywords_are_reported_and_rules_travel_to_lowering() {
        let (doc, notes) = up(json!({"openapi": "3.1.0", "components": {"schemas": {
            "S": {"unevaluatedItems": {}, "dependentRequired": {"a": 1}},
            "R": {"if": {}, "then": {}, "contains": {}, "minContains": 2}}}}));
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/S/dependentRequired",
                "/components/schemas/S/unevaluatedItems"
            ]
        );
        assert_eq!(
            doc["components"]["schemas"]["R"][RULES],
            json!({"if": {}, "then": {}, "contains": {}, "minContains": 2})
        );
        // A `then` without its `if` says nothing: no rules.
        let (doc, _) =
            up(json!({"openapi": "3.1.0", "components": {"schemas": {"T": {"then": {}}}}}));
        assert!(doc["components"]["schemas"]["T"].get(RULES).is_none());
    }

    #[test]
    fn dependent_required_travels_to_lowering_unless_malformed() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Good": {"dependentRequired": {"a": ["b"]}},
            "Bad": {"dependentRequired": {"a": "b"}}}}});
        let mut moves = Relocations::default();
        let mut notes = Vec::new();
        upgrade(&mut doc, false, &mut moves, &mut notes);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Good"][DEPENDENT_REQUIRED], json!({"a": ["b"]}));
        assert_eq!(
            moves.back("/components/schemas/Good/x-codegen-dependent-required/a"),
            "/components/schemas/Good/dependentRequired/a"
        );
        assert!(schemas["Bad"].get("dependentRequired").is_none());
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/Bad/dependentRequired"
        );
    }

    #[test]
    fn conditional_required_travels_to_lowering_in_its_common_form() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Common": {
                "if": {"properties": {"kind": {"const": "card"}}, "required": ["kind"]},
                "then": {"required": ["number"]},
                "else": {"required": ["iban"]}},
            "Other": {"if": {"properties": {"a": {"minimum": 1}}}, "then": {"required": ["b"]}}}}});
        let mut moves = Relocations::default();
        let mut notes = Vec::new();
        upgrade(&mut doc, false, &mut moves, &mut notes);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Common"][CONDITIONAL_REQUIRED],
            json!({"property": "kind", "value": "card", "required": true,
                   "then": ["number"], "else": ["iban"]})
        );
        assert!(schemas["Common"].get("if").is_none());
        assert_eq!(
            moves.back("/components/schemas/Common/x-codegen-conditional-required"),
            "/components/schemas/Common/if"
        );
        // Any other form travels as rules, checked on the JSON value.
        assert!(schemas["Other"].get(CONDITIONAL_REQUIRED).is_none());
        assert_eq!(schemas["Other"][RULES]["then"], json!({"required": ["b"]}));
        assert_eq!(
            moves.back("/components/schemas/Other/x-codegen-rules"),
            "/components/schemas/Other/if"
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn webhooks_become_receiver_operations() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/itemCreated": {}}, "webhooks": {
            "itemCreated": {"post": {"operationId": "itemCreated", "tags": ["items"], "responses": {}}}}});
        let mut moves = Relocations::default();
        upgrade(&mut doc, false, &mut moves, &mut Vec::new());
        let op = &doc["paths"]["/webhooks/itemCreated"]["post"];
        assert_eq!(op["tags"], json!([WEBHOOK_TAG]));
        assert_eq!(op["x-codegen-webhook"], "itemCreated");
        assert!(doc.get("webhooks").is_none());
        assert_eq!(
            moves.back("/paths/~1webhooks~1itemCreated/post"),
            "/webhooks/itemCreated/post"
        );
    }

    #[test]
    fn mutual_tls_leaves_requirements() {
        let (doc, notes) = up(json!({"openapi": "3.1.0", "security": [{"m": [], "k": []}],
            "components": {"securitySchemes": {"m": {"type": "mutualTLS"}, "k": {"type": "apiKey", "in": "header", "name": "k"}}}}));
        assert_eq!(doc["security"], json!([{"k": []}]));
        assert!(doc["components"]["securitySchemes"].get("m").is_none());
        assert_eq!(notes.len(), 1);
    }
}
