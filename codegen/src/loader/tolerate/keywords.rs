//! Values of the wrong type, by field: each field OpenAPI gives a type is
//! converted to it where the value says the same thing in another type
//! (`title: 7`, `nullable: "true"`, `maxLength: "10"`, `enum: a`), and
//! ignored where it cannot be (R0012).

use serde_json::{Map, Number, Value};

use super::{note, Note};
use crate::diagnostic::{join, Repair};
use crate::loader::walk::Kind;

/// The type a field must have.
#[derive(Clone, Copy)]
enum Expect {
    Str,
    Bool,
    Number,
    /// A non-negative integer (lengths, counts).
    Count,
    /// A list of strings (`required`, `tags`); one string is a list of one.
    Strings,
    /// A list of anything (`enum`); one value is a list of one.
    List,
    /// A list of schemas; one schema is a list of one.
    Schemas,
    /// A mapping.
    Object,
    /// A schema or a boolean (`additionalProperties`, `items`).
    SchemaOrBool,
}

use Expect::*;

const SCHEMA_FIELDS: &[(&str, Expect)] = &[
    ("title", Str),
    ("description", Str),
    ("format", Str),
    ("pattern", Str),
    ("multipleOf", Number),
    ("maximum", Number),
    ("minimum", Number),
    ("maxLength", Count),
    ("minLength", Count),
    ("maxItems", Count),
    ("minItems", Count),
    ("maxProperties", Count),
    ("minProperties", Count),
    ("uniqueItems", Bool),
    ("nullable", Bool),
    ("readOnly", Bool),
    ("writeOnly", Bool),
    ("deprecated", Bool),
    ("enum", List),
    ("allOf", Schemas),
    ("oneOf", Schemas),
    ("anyOf", Schemas),
    ("properties", Object),
    ("externalDocs", Object),
    ("xml", Object),
    ("additionalProperties", SchemaOrBool),
];

/// Fields of the non-schema objects, by kind (those 2.0 and 3.x share).
fn object_fields(kind: Kind) -> &'static [(&'static str, Expect)] {
    match kind {
        Kind::Operation => &[
            ("operationId", Str),
            ("summary", Str),
            ("description", Str),
            ("deprecated", Bool),
            ("tags", Strings),
        ],
        Kind::PathItem => &[("summary", Str), ("description", Str)],
        Kind::Parameter | Kind::Header => &[
            ("name", Str),
            ("in", Str),
            ("description", Str),
            ("style", Str),
            ("required", Bool),
            ("deprecated", Bool),
            ("allowEmptyValue", Bool),
            ("explode", Bool),
            ("allowReserved", Bool),
        ],
        Kind::Response => &[("description", Str)],
        Kind::RequestBody => &[("description", Str), ("required", Bool)],
        Kind::Example => &[
            ("summary", Str),
            ("description", Str),
            ("externalValue", Str),
        ],
        Kind::Link => &[
            ("operationId", Str),
            ("operationRef", Str),
            ("description", Str),
        ],
        Kind::SecurityScheme => &[
            ("type", Str),
            ("description", Str),
            ("name", Str),
            ("in", Str),
            ("scheme", Str),
            ("bearerFormat", Str),
            ("openIdConnectUrl", Str),
        ],
        _ => &[],
    }
}

/// The document's own fields: `info`, `tags`, `servers`, `externalDocs`.
pub(super) fn document_fields(doc: &mut Value, notes: &mut Vec<Note>) {
    let Value::Object(root) = doc else {
        return;
    };
    let info: &[(&str, Expect)] = &[
        ("title", Str),
        ("version", Str),
        ("description", Str),
        ("termsOfService", Str),
        ("contact", Object),
        ("license", Object),
    ];
    if let Some(Value::Object(m)) = root.get_mut("info") {
        fields(m, "/info", info, notes);
        let named: &[(&str, Expect)] = &[("name", Str), ("url", Str), ("email", Str)];
        for part in ["contact", "license"] {
            if let Some(Value::Object(c)) = m.get_mut(part) {
                fields(c, &join("/info", part), named, notes);
            }
        }
    }
    let described: &[(&str, Expect)] = &[("name", Str), ("url", Str), ("description", Str)];
    for list in ["tags", "servers"] {
        if let Some(Value::Array(items)) = root.get_mut(list) {
            for (i, item) in items.iter_mut().enumerate() {
                if let Value::Object(m) = item {
                    fields(m, &join(&join("", list), i), described, notes);
                }
            }
        }
    }
    if let Some(Value::Object(m)) = root.get_mut("externalDocs") {
        fields(m, "/externalDocs", described, notes);
    }
}

/// A schema's keywords.
pub(super) fn schema(
    m: &mut Map<String, Value>,
    pointer: &str,
    (swagger2, draft4): (bool, bool),
    notes: &mut Vec<Note>,
) {
    fields(m, pointer, SCHEMA_FIELDS, notes);
    if draft4 {
        // 3.1's numeric bounds are read by the upgrade.
        exclusive_bounds(m, pointer, notes);
    }
    draft3_required(m, pointer, notes);
    match m.get("required") {
        // A property's own `required: true` (draft 3) is its parent's to read.
        Some(Value::Bool(_)) if is_property(pointer) => {}
        Some(_) => fields(m, pointer, &[("required", Strings)], notes),
        None => {}
    }
    if let Some(d) = m.get_mut("discriminator") {
        if let Value::String(name) = d {
            // Swagger 2.0's own form, converted with the rest of it.
            if !swagger2 {
                *d = serde_json::json!({ "propertyName": name });
                notes.push(note(
                    &join(pointer, "discriminator"),
                    Repair::OffTypeValue,
                    "`discriminator` is a string (Swagger 2.0's form): read as its `propertyName`",
                ));
            }
        } else if let Value::Object(dm) = d {
            let at = join(pointer, "discriminator");
            fields(
                dm,
                &at,
                &[("propertyName", Str), ("mapping", Object)],
                notes,
            );
        }
    }
    if let Some(items) = m.get("items") {
        if !(items.is_object() || items.is_boolean() || items.is_array()) {
            m.remove("items");
            notes.push(ignored(&join(pointer, "items"), "a schema"));
        }
    }
    if let Some(t) = m.get("type") {
        if !(t.is_string() || t.is_array()) {
            m.remove("type");
            notes.push(ignored(&join(pointer, "type"), "a type name"));
        }
    }
}

/// A non-schema object's fields.
pub(super) fn object(kind: Kind, m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if m.contains_key("$ref") {
        return;
    }
    fields(m, pointer, object_fields(kind), notes);
}

/// `pointer` names a member of a `properties` map.
fn is_property(pointer: &str) -> bool {
    pointer
        .rsplit_once('/')
        .is_some_and(|(parent, _)| parent.ends_with("/properties"))
}

/// Draft 3's `required: true` on a property: the parent's `required` list.
fn draft3_required(m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(properties)) = m.get_mut("properties") else {
        return;
    };
    let mut named = Vec::new();
    for (name, property) in properties.iter_mut() {
        if let Some(Value::Bool(b)) = property.get("required").cloned() {
            if let Value::Object(p) = property {
                p.remove("required");
            }
            notes.push(note(
                &join(&join(&join(pointer, "properties"), name), "required"),
                Repair::OffTypeValue,
                format!("`required: {b}` on a property (JSON Schema draft 3): read as the object's `required` list"),
            ));
            if b {
                named.push(Value::String(name.clone()));
            }
        }
    }
    if named.is_empty() {
        return;
    }
    let required = m
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !required.is_array() {
        *required = Value::Array(Vec::new());
    }
    if let Value::Array(list) = required {
        for n in named {
            if !list.contains(&n) {
                list.push(n);
            }
        }
    }
}

/// `exclusiveMinimum: 5` (draft 6 and 3.1) in a 3.0 schema, where it is a
/// boolean beside `minimum`; 3.1 documents were upgraded before this.
fn exclusive_bounds(m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let at = join(pointer, exclusive);
        match m.get(exclusive).cloned() {
            None | Some(Value::Bool(_)) => {}
            Some(Value::Number(n)) => {
                m.insert(bound.into(), Value::Number(n));
                m.insert(exclusive.into(), Value::Bool(true));
                notes.push(note(
                    &at,
                    Repair::OffTypeValue,
                    format!("`{exclusive}` is a number (JSON Schema draft 6): read as `{bound}` with `{exclusive}: true`"),
                ));
            }
            Some(other) => match as_bool(&other) {
                Some(b) => {
                    m.insert(exclusive.into(), Value::Bool(b));
                    notes.push(converted(&at, &other, "a boolean"));
                }
                None => {
                    m.remove(exclusive);
                    notes.push(ignored(&at, "a boolean"));
                }
            },
        }
    }
}

fn fields(
    m: &mut Map<String, Value>,
    pointer: &str,
    table: &[(&str, Expect)],
    notes: &mut Vec<Note>,
) {
    // One pass over the object's own keys (most hold few): looking each
    // table entry up instead cost a hash per keyword per schema.
    let misfits: Vec<(String, Expect)> = m
        .iter()
        .filter_map(|(k, v)| {
            let (_, expect) = table.iter().find(|(name, _)| name == k)?;
            (!fits(v, *expect)).then(|| (k.clone(), *expect))
        })
        .collect();
    for (name, expect) in misfits {
        let Some(value) = m.get_mut(&name) else {
            continue;
        };
        let at = join(pointer, &name);
        match convert(value, expect) {
            Some(new) => {
                notes.push(converted(&at, value, describe(expect)));
                *value = new;
            }
            None => {
                notes.push(ignored(&at, describe(expect)));
                m.shift_remove(&name);
            }
        }
    }
}

fn fits(v: &Value, expect: Expect) -> bool {
    match expect {
        Str => v.is_string(),
        Bool => v.is_boolean(),
        Number => v.is_number(),
        Count => v.is_u64(),
        Strings => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        List => v.is_array(),
        Schemas => v
            .as_array()
            .is_some_and(|a| a.iter().all(|s| s.is_object() || s.is_boolean())),
        Object => v.is_object(),
        SchemaOrBool => v.is_object() || v.is_boolean(),
    }
}

fn describe(expect: Expect) -> &'static str {
    match expect {
        Str => "a string",
        Bool => "a boolean",
        Number => "a number",
        Count => "a non-negative integer",
        Strings => "a list of strings",
        List => "a list",
        Schemas => "a list of schemas",
        Object => "a mapping",
        SchemaOrBool => "a schema or a boolean",
    }
}

/// The value as `expect`, when it says the same thing in another type.
fn convert(v: &Value, expect: Expect) -> Option<Value> {
    match expect {
        Str => scalar_text(v).map(Value::String),
        Bool => as_bool(v).map(Value::Bool),
        Number => as_number(v).map(Value::Number),
        Count => as_number(v)
            .and_then(|n| {
                n.as_u64().or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                        .map(|f| f as u64)
                })
            })
            .map(Value::from),
        Strings => match v {
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .filter_map(scalar_text)
                    .map(Value::String)
                    .collect(),
            )),
            other => scalar_text(other).map(|s| Value::Array(vec![Value::String(s)])),
        },
        List => (!v.is_null()).then(|| Value::Array(vec![v.clone()])),
        Schemas => match v {
            Value::Object(_) => Some(Value::Array(vec![v.clone()])),
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .filter(|s| s.is_object() || s.is_boolean())
                    .cloned()
                    .collect(),
            )),
            _ => None,
        },
        Object => None,
        SchemaOrBool => as_bool(v).map(Value::Bool),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) if n.as_u64() == Some(1) => Some(true),
        Value::Number(n) if n.as_u64() == Some(0) => Some(false),
        _ => None,
    }
}

fn as_number(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                return Some(Number::from(i));
            }
            if let Ok(u) = s.parse::<u64>() {
                return Some(Number::from(u));
            }
            s.parse::<f64>().ok().and_then(Number::from_f64)
        }
        _ => None,
    }
}

fn converted(at: &str, from: &Value, to: &str) -> Note {
    note(
        at,
        Repair::OffTypeValue,
        format!(
            "{} where {to} is due: converted",
            crate::loader::parse::kind_name(from)
        ),
    )
}

fn ignored(at: &str, expected: &str) -> Note {
    note(
        at,
        Repair::OffTypeValue,
        format!("a value that is not {expected} (and says nothing as one): ignored"),
    )
}
