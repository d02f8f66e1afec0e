//! The negative cases of `--conformance`: for an operation, a valid raw
//! request (its required inputs made up, credentials presented), and
//! from it one request per constraint the spec states on an input, each
//! breaking exactly that one (runtime `verify::conform::Negative`).
//!
//! Covered: a required parameter or body left out; a scalar parameter of
//! the wrong type, out of its enum, below `minimum` or above `maximum`,
//! not a multiple of its `multipleOf`, shorter than `minLength` or longer
//! than `maxLength`, against its `pattern` (a guess: not sure without a
//! judge) or its format; a list parameter with fewer than `minItems` or
//! more than `maxItems` items; an object body sent as an array (first of
//! the body's: it probes whether the judge reads the body at all); a JSON
//! body that is not JSON, sent as an undocumented media type, with a
//! member fewer than `minProperties` or one more than `maxProperties`,
//! missing a required property, with a property of the wrong type or
//! outside its enum, with an undeclared property under
//! `additionalProperties: false`, or with a property breaking its bounds,
//! `multipleOf`, lengths, pattern, format, `minItems`, `maxItems`,
//! `uniqueItems`, `minProperties` or `maxProperties`. A form body gets
//! the same breaks, encoded as a form, but for the JSON syntax and the
//! array probe. Not covered: properties below the body's top level, and
//! multipart bodies.

use serde_json::{json, Map, Value};

use crate::emit::form::request_kind;
use crate::emit::BodyKind;
use crate::examples::requests::{credentials, encode};
use crate::examples::values::{made_up_json, sample};
use crate::ir::{
    Api, Operation, ParamShape, ParamStyle, Parameter, ParameterLocation, Segment, StringFormat,
    Tell, Ty, TypeExpr, TypeKind,
};
use crate::media::is_form;

/// Breaks Prism 5.16.0, the judge the scripts use, gets wrong, so none is
/// sent to it (the generated server's refusal stands alone); the list is
/// also in tests/conformance/judge-defects.txt.
pub const JUDGE_DEFECTS: [&str; 3] = [
    // It never answers a request whose JSON body does not parse.
    "not JSON",
    // It crashes on a required list header left out.
    "required (list header)",
    // It reads an empty query, header or cookie value as absent, so
    // `minLength` does not apply to it.
    "minLength",
];

/// One input's value in a request: its text, or absent.
type Values = Vec<(usize, Option<String>)>;

/// A negative case before it is sent: which parameter values to use
/// instead of the valid ones, and which body.
struct Break {
    field: String,
    breaks: String,
    sure: bool,
    /// Sent to the judge too (see [`JUDGE_DEFECTS`]).
    judged: bool,
    /// The whole body of the wrong JSON type: a judge that accepts it
    /// validates none of the body (runtime `Negative::probe`).
    probe: bool,
    /// (parameter index, its text or `None` to leave it out).
    param: Option<(usize, Option<String>)>,
    /// The body (media type, text) instead of the valid one; `Some(None)`: none.
    body: Option<Option<(String, String)>>,
}

/// The negative cases of `op` (runtime `Negative`s without `id`); none
/// when no valid request can be made up for it.
pub fn negatives(api: &Api, op: &Operation) -> Vec<Value> {
    let Some((values, body)) = valid(api, op) else {
        return Vec::new();
    };
    let mut breaks = Vec::new();
    for (i, p) in op.parameters.iter().enumerate() {
        param_breaks(api, i, p, &mut breaks);
    }
    if let Some(b) = &op.request_body {
        body_breaks(api, op, b.required, &mut breaks);
    }
    // Without the input that tells the operation apart from others of its
    // path, the request is another operation's: not a broken one of this.
    let told: Vec<String> = match &op.told_by {
        Some(Tell::Header { name, .. }) => vec![format!("header.{name}")],
        Some(Tell::Query { name, .. }) => vec![format!("query.{name}")],
        Some(Tell::QueryKeys(keys)) => keys.iter().map(|k| format!("query.{k}")).collect(),
        None => Vec::new(),
    };
    breaks.retain(|b| {
        !(b.breaks.starts_with("required") && told.iter().any(|t| t.eq_ignore_ascii_case(&b.field)))
    });
    breaks
        .into_iter()
        .filter_map(|b| {
            let mut values = values.clone();
            if let Some((i, text)) = &b.param {
                match values.iter_mut().find(|(j, _)| j == i) {
                    Some(slot) => slot.1 = text.clone(),
                    None => values.push((*i, text.clone())),
                }
            }
            let body = b.body.clone().unwrap_or_else(|| body.clone());
            let mut request = request(api, op, &values, body.as_ref())?;
            request["field"] = b.field.into();
            request["breaks"] = b.breaks.into();
            request["sure"] = b.sure.into();
            request["judged"] = b.judged.into();
            request["probe"] = b.probe.into();
            Some(request)
        })
        .collect()
}

/// The valid request's parameter values (the required ones) and body.
fn valid(api: &Api, op: &Operation) -> Option<(Values, Option<(String, String)>)> {
    let mut values = Vec::new();
    for (i, p) in op.parameters.iter().enumerate().filter(|(_, p)| p.required) {
        if p.location == ParameterLocation::QueryString
            || p.shape != ParamShape::Scalar && p.shape != ParamShape::List
        {
            return None;
        }
        let mut text = sample(api, &p.schema, p.example.as_ref(), p.default.as_ref()).ok()?;
        if text.is_empty() && p.location == ParameterLocation::Path {
            // An empty segment never reaches the route: another member.
            text = enum_values(api, &p.schema)
                .into_iter()
                .find(|v| !v.is_empty())?;
        }
        values.push((i, Some(text)));
    }
    let body = match &op.request_body {
        Some(b) if b.required => Some(encoded(&made_body(api, op)?)),
        _ => None,
    };
    Some((values, body))
}

/// A body made up from the schema of the first JSON media type, or of
/// the form (`application/x-www-form-urlencoded`) the operation takes:
/// its media type and value.
fn made_body(api: &Api, op: &Operation) -> Option<(String, Value)> {
    let b = op.request_body.as_ref()?;
    let (schema, kind) = match request_kind(api, b) {
        BodyKind::Json(schema) => (schema, crate::media::Media::Json),
        BodyKind::Form(schema) => (Some(schema), crate::media::Media::Form),
        _ => return None,
    };
    let media = b
        .contents
        .iter()
        .find(|c| crate::media::Media::of(&c.media_type) == kind && !c.media_type.contains('*'))?;
    let value = match schema {
        Some(s) => made_up_json(api, s, 0)?,
        None => json!({}),
    };
    Some((media.media_type.clone(), value))
}

/// The body's text in its media type: JSON, or a form as OpenAPI's
/// default encoding writes it (a list's items as the name repeated, a
/// nested value as its JSON text).
fn encoded((media, value): &(String, Value)) -> (String, String) {
    if !is_form(media) {
        return (media.clone(), value.to_string());
    }
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut pairs = Vec::new();
    for (name, v) in value.as_object().into_iter().flatten() {
        match v {
            Value::Null => {}
            Value::Array(items) => pairs.extend(
                items
                    .iter()
                    .map(|i| format!("{}={}", encode(name), encode(&text(i)))),
            ),
            v => pairs.push(format!("{}={}", encode(name), encode(&text(v)))),
        }
    }
    (media.clone(), pairs.join("&"))
}

fn location_name(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
        ParameterLocation::QueryString => "querystring",
    }
}

/// The breaks of one parameter's constraints.
fn param_breaks(api: &Api, i: usize, p: &Parameter, out: &mut Vec<Break>) {
    if p.location == ParameterLocation::QueryString || p.schema.nullable {
        return;
    }
    let field = format!("{}.{}", location_name(p.location), p.name);
    let mut add = |breaks: String, sure: bool, text: Option<String>| {
        out.push(Break {
            judged: !JUDGE_DEFECTS.iter().any(|d| breaks.starts_with(d)),
            probe: false,
            field: field.clone(),
            breaks,
            sure,
            param: Some((i, text)),
            body: None,
        })
    };
    if p.required && p.location != ParameterLocation::Path {
        // Prism 5.16.0 crashes (a TypeError in its `simple` style reader)
        // on a list header left out: not asked (judge-defects.txt).
        let crashes_judge = p.location == ParameterLocation::Header && p.shape == ParamShape::List;
        add(
            if crashes_judge {
                "required (list header)"
            } else {
                "required"
            }
            .into(),
            true,
            None,
        );
    }
    match p.shape {
        ParamShape::Scalar => {
            for (breaks, sure, text) in scalar_breaks(api, &p.schema, p.location) {
                add(breaks, sure, Some(text));
            }
        }
        ParamShape::List if p.location == ParameterLocation::Query => {
            let Ty::Array(item) = &p.schema.ty else {
                return;
            };
            let Ok(one) = sample(api, item, None, None) else {
                return;
            };
            if let Some(min) = p.schema.constraints.min_items.filter(|m| *m > 1) {
                // One item fewer than allowed; none at all would be absence.
                let items: Vec<String> = (1..min).map(|_| one.clone()).collect();
                if !p.explode || p.style != ParamStyle::Form {
                    add(
                        format!("minItems {min}"),
                        true,
                        Some(items.join(list_separator(p))),
                    );
                }
            }
            if let Some(max) = p.schema.constraints.max_items {
                let items: Vec<String> = (0..=max).map(|_| one.clone()).collect();
                if !p.explode || p.style != ParamStyle::Form {
                    add(
                        format!("maxItems {max}"),
                        true,
                        Some(items.join(list_separator(p))),
                    );
                }
            }
            if !p.explode {
                for (breaks, sure, text) in scalar_breaks(api, item, p.location) {
                    add(format!("items: {breaks}"), sure, Some(text));
                }
            }
        }
        _ => {}
    }
}

/// How a list parameter's style joins its items in one value (the exploded
/// form repeats the name instead, and is not broken this way).
fn list_separator(p: &Parameter) -> &'static str {
    match p.style {
        ParamStyle::SpaceDelimited => " ",
        ParamStyle::PipeDelimited => "|",
        _ => ",",
    }
}

/// Values that break one constraint of a scalar schema each: (what, sure, text).
fn scalar_breaks(
    api: &Api,
    schema: &TypeExpr,
    location: ParameterLocation,
) -> Vec<(String, bool, String)> {
    let mut out = Vec::new();
    let c = &schema.constraints;
    let ty = resolved(api, schema);
    let enum_values = enum_values(api, schema);
    if !enum_values.is_empty() {
        let outside = "zz-not-a-member".to_string();
        if !enum_values.contains(&outside) {
            out.push(("enum".into(), true, outside));
        }
        return out;
    }
    match ty {
        Some(Ty::Integer(_)) => {
            out.push(("type integer".into(), true, "x".into()));
            if let Some(min) = c.minimum {
                let v = if c.exclusive_minimum { min } else { min - 1.0 };
                out.push((format!("minimum {min}"), true, number(v.floor())));
            }
            if let Some(max) = c.maximum {
                let v = if c.exclusive_maximum { max } else { max + 1.0 };
                out.push((format!("maximum {max}"), true, number(v.ceil())));
            }
            out.extend(not_multiple(c, true));
        }
        Some(Ty::Number(_)) => {
            out.push(("type number".into(), true, "x".into()));
            if let Some(min) = c.minimum {
                out.push((format!("minimum {min}"), true, number(min - 1.0)));
            }
            if let Some(max) = c.maximum {
                out.push((format!("maximum {max}"), true, number(max + 1.0)));
            }
            out.extend(not_multiple(c, false));
        }
        Some(Ty::Boolean) => out.push(("type boolean".into(), true, "maybe".into())),
        Some(Ty::String(format)) => {
            match format {
                StringFormat::DateTime => {
                    out.push(("format date-time".into(), true, "not-a-date-time".into()))
                }
                StringFormat::Date => out.push(("format date".into(), true, "not-a-date".into())),
                _ => {}
            }
            // An empty path segment does not reach the route at all.
            if c.min_length.is_some_and(|m| m > 0) && location != ParameterLocation::Path {
                out.push((
                    format!("minLength {}", c.min_length.unwrap_or(0)),
                    false,
                    String::new(),
                ));
            }
            if let Some(max) = c.max_length.filter(|m| *m < 4096) {
                out.push((format!("maxLength {max}"), true, "a".repeat(max + 1)));
            }
            if let Some(pattern) = &c.pattern {
                out.push((format!("pattern `{pattern}`"), false, "~ ~".into()));
            }
        }
        _ => {}
    }
    out
}

/// A number within the bounds that is not a multiple of `multipleOf`:
/// half a step past the first multiple at or above the minimum (one past,
/// for integers). None where every value in bounds is a multiple (an
/// integer's step of 1 or less) or the bounds leave no room.
fn not_multiple(c: &crate::ir::Constraints, integer: bool) -> Option<(String, bool, String)> {
    let m = c.multiple_of.filter(|m| *m > 0.0 && m.is_finite())?;
    if integer && (m <= 1.0 || m.fract() != 0.0) {
        return None;
    }
    let low = c.minimum.unwrap_or(0.0);
    let first = (low / m).ceil() * m;
    let v = if integer {
        first + 1.0
    } else {
        first + m / 2.0
    };
    let in_bounds =
        c.maximum.is_none_or(|max| v < max) && (v > low || (v == low && !c.exclusive_minimum));
    in_bounds.then(|| (format!("multipleOf {m}"), true, number(v)))
}

/// The values a scalar schema lists (its enum), as text.
fn enum_values(api: &Api, schema: &TypeExpr) -> Vec<String> {
    match &schema.ty {
        Ty::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Enum(e) => e.variants.iter().map(|v| v.value.clone()).collect(),
            _ => Vec::new(),
        },
        _ => schema
            .constraints
            .allowed
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect(),
    }
}

/// The type a schema stands for, through aliases.
fn resolved<'a>(api: &'a Api, schema: &'a TypeExpr) -> Option<&'a Ty> {
    let mut e = schema;
    for _ in 0..16 {
        match &e.ty {
            Ty::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(inner) => e = inner,
                _ => return Some(&e.ty),
            },
            t => return Some(t),
        }
    }
    None
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// The breaks of a JSON or form request body.
fn body_breaks(api: &Api, op: &Operation, required: bool, out: &mut Vec<Break>) {
    let made = made_body(api, op);
    let form = made.as_ref().is_some_and(|(media, _)| is_form(media));
    let valid = made.as_ref().map(encoded);
    // First: the judge's answer to it says whether the judge reads this body.
    if let Some((media, text)) = valid.as_ref().filter(|_| !form) {
        if object_body(api, op) && text.trim_start().starts_with('{') {
            out.push(Break {
                probe: true,
                ..body_break(
                    "body",
                    "type (an array for an object)",
                    Some((media.clone(), "[]".into())),
                )
            });
        }
    }
    let mut add = |field: String, breaks: &str, sure: bool, body: Option<(String, String)>| {
        out.push(Break {
            sure,
            ..body_break(&field, breaks, body)
        })
    };
    if required {
        add("body".into(), "required", true, None);
    }
    let (Some((media, text)), Some((_, value))) = (valid, made) else {
        return;
    };
    if !form {
        add(
            "body".into(),
            "not JSON",
            true,
            Some((media.clone(), "{".into())),
        );
    }
    let accepts_text = op.request_body.iter().flat_map(|b| &b.contents).any(|c| {
        let m = c.media_type.to_ascii_lowercase();
        m.starts_with("text/") || m.contains('*')
    });
    // An empty body is no body, whatever its media type.
    if !accepts_text && !text.is_empty() {
        add(
            "body".into(),
            "media type",
            true,
            Some(("text/plain".into(), text.clone())),
        );
    }
    let Value::Object(object) = value else {
        return;
    };
    // The body with `changed` for its object, in its media type.
    let body =
        |changed: Map<String, Value>| Some(encoded(&(media.clone(), Value::Object(changed))));
    for (breaks, changed) in count_breaks(api, op, &object) {
        add("body".into(), &breaks, true, body(changed));
    }
    let Some(s) = struct_body(api, op) else {
        return;
    };
    let in_request = |f: &&crate::ir::Field| (f.required && !f.read_only) || f.request_required;
    if let Some(f) = s
        .fields
        .iter()
        .find(|f| in_request(f) && object.contains_key(&f.spec_name))
    {
        let mut without = object.clone();
        without.remove(&f.spec_name);
        add(
            format!("body.{}", f.spec_name),
            "required",
            true,
            body(without),
        );
    }
    let listed = s.fields.iter().find(|f| {
        !f.read_only && matches!(&f.schema.ty, Ty::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Enum(_)))
    });
    if let Some(f) = listed {
        let mut changed = object.clone();
        changed.insert(f.spec_name.clone(), json!("zz-not-a-member"));
        add(format!("body.{}", f.spec_name), "enum", true, body(changed));
    }
    let wrong_type = s.fields.iter().find(|f| {
        !f.read_only
            && !f.schema.nullable
            && matches!(
                resolved(api, &f.schema),
                Some(Ty::Integer(_) | Ty::Number(_) | Ty::Boolean)
            )
    });
    if let Some(f) = wrong_type {
        let mut changed = object.clone();
        changed.insert(f.spec_name.clone(), json!("x"));
        add(format!("body.{}", f.spec_name), "type", true, body(changed));
    }
    if s.deny_unknown && s.additional.is_none() {
        let mut changed = object.clone();
        changed.insert(EXTRA.into(), json!(1));
        add(
            format!("body.{EXTRA}"),
            "additionalProperties false",
            true,
            body(changed),
        );
    }
    let fields = s
        .fields
        .iter()
        .filter(|f| !f.read_only && !f.schema.nullable);
    let each = fields.flat_map(|f| {
        field_breaks(api, &f.schema)
            .into_iter()
            .map(move |b| (f, b))
    });
    // A form has no empty list: it would be the property left out.
    let each = each.filter(|(_, (_, _, value))| !(form && *value == json!([])));
    for (f, (breaks, sure, value)) in each.take(MAX_FIELD_BREAKS) {
        let mut changed = object.clone();
        changed.insert(f.spec_name.clone(), value);
        add(
            format!("body.{}", f.spec_name),
            &breaks,
            sure,
            body(changed),
        );
    }
}

/// A sure break of the body (the judge asked unless it is known wrong).
fn body_break(field: &str, breaks: &str, body: Option<(String, String)>) -> Break {
    Break {
        judged: !JUDGE_DEFECTS.iter().any(|d| breaks.starts_with(d)),
        probe: false,
        field: field.into(),
        breaks: breaks.into(),
        sure: true,
        param: None,
        body: Some(body),
    }
}

/// The schema of `op`'s JSON or form request body, if it has one.
fn body_schema<'a>(api: &'a Api, op: &'a Operation) -> Option<&'a TypeExpr> {
    match op.request_body.as_ref().map(|b| request_kind(api, b)) {
        Some(BodyKind::Json(Some(schema)) | BodyKind::Form(schema)) => Some(schema),
        _ => None,
    }
}

/// The valid body `object` with one property too many for its
/// `maxProperties` (absent properties filled in first, then undeclared
/// ones where they are allowed) and one too few for its `minProperties`
/// (optional ones left out).
fn count_breaks(
    api: &Api,
    op: &Operation,
    object: &Map<String, Value>,
) -> Vec<(String, Map<String, Value>)> {
    let Some(schema) = body_schema(api, op) else {
        return Vec::new();
    };
    let c = &schema.constraints;
    let s = struct_body(api, op);
    let fields = s.map_or(&[][..], |s| &s.fields[..]);
    let open = s.is_none_or(|s| !s.deny_unknown || s.additional.is_some());
    let member = match resolved(api, schema) {
        Some(Ty::Map(item)) => made_up_json(api, item, 1),
        _ => Some(json!(1)),
    };
    let mut out = Vec::new();
    if let Some(max) = c.max_properties.filter(|m| *m < 1000 && object.len() <= *m) {
        let mut more = object.clone();
        let absent = fields
            .iter()
            .filter(|f| !f.read_only && !object.contains_key(&f.spec_name));
        for f in absent {
            if more.len() > max {
                break;
            }
            if let Some(value) = made_up_json(api, &f.schema, 1) {
                more.insert(f.spec_name.clone(), value);
            }
        }
        let mut i = 0;
        while more.len() <= max && open {
            more.insert(format!("{EXTRA}{i}"), member.clone().unwrap_or(json!(1)));
            i += 1;
        }
        if more.len() > max {
            out.push((format!("maxProperties {max}"), more));
        }
    }
    if let Some(min) = c.min_properties.filter(|m| *m > 0 && object.len() >= *m) {
        let required = |k: &String| {
            fields
                .iter()
                .any(|f| &f.spec_name == k && (f.required || f.request_required))
        };
        let mut fewer = object.clone();
        let optional: Vec<String> = object.keys().filter(|k| !required(k)).cloned().collect();
        for key in optional {
            if fewer.len() < min {
                break;
            }
            fewer.remove(&key);
        }
        if fewer.len() < min {
            out.push((format!("minProperties {min}"), fewer));
        }
    }
    out
}

/// The struct a JSON or form request body of `op` decodes into, if it is one.
fn struct_body<'a>(api: &'a Api, op: &'a Operation) -> Option<&'a crate::ir::StructType> {
    let schema = body_schema(api, op)?;
    let Some(Ty::Named(id)) = resolved(api, schema) else {
        return None;
    };
    match &api.types.get(*id).kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// Whether the JSON body is an object whatever it holds: a struct, a map,
/// or a union of those (adyen's `oneOf` bodies): an array is then wrong
/// for every alternative, so it can probe the judge.
fn object_body(api: &Api, op: &Operation) -> bool {
    let Some(BodyKind::Json(Some(schema))) = op.request_body.as_ref().map(|b| request_kind(api, b))
    else {
        return false;
    };
    is_object(api, schema, 0)
}

fn is_object(api: &Api, schema: &TypeExpr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match resolved(api, schema) {
        Some(Ty::Map(_) | Ty::Object) => true,
        Some(Ty::Named(id)) => match &api.types.get(*id).kind {
            TypeKind::Struct(_) => true,
            TypeKind::OneOf(u) => {
                !u.variants.is_empty()
                    && u.variants
                        .iter()
                        .all(|v| is_object(api, &v.schema, depth + 1))
            }
            _ => false,
        },
        _ => false,
    }
}

/// A property no schema declares, for `additionalProperties: false`.
const EXTRA: &str = "zz_undeclared";

/// Bounds the body's property breaks per operation (a body of hundreds of
/// constrained properties would otherwise send hundreds of requests).
const MAX_FIELD_BREAKS: usize = 32;

/// Values breaking one constraint each of a body property beyond its type
/// and enum (those have their own cases): bounds, lengths, pattern and
/// format of a scalar; `minItems`, `maxItems`, `uniqueItems` of a list.
fn field_breaks(api: &Api, schema: &TypeExpr) -> Vec<(String, bool, Value)> {
    match &schema.ty {
        Ty::Array(item) => return list_breaks(api, schema, item),
        Ty::Map(item) => return member_breaks(schema, made_up_json(api, item, 1)),
        Ty::Object => return member_breaks(schema, Some(json!(1))),
        _ => {}
    }
    let numeric = matches!(resolved(api, schema), Some(Ty::Integer(_) | Ty::Number(_)));
    scalar_breaks(api, schema, ParameterLocation::Query)
        .into_iter()
        .filter(|(breaks, _, _)| breaks != "enum" && !breaks.starts_with("type "))
        .filter_map(|(breaks, sure, text)| {
            let value = if numeric {
                serde_json::from_str::<serde_json::Number>(&text)
                    .ok()?
                    .into()
            } else {
                Value::String(text)
            };
            Some((breaks, sure, value))
        })
        .collect()
}

/// A map property's member counts broken (`minProperties`,
/// `maxProperties`), with copies of one made-up member value.
fn member_breaks(schema: &TypeExpr, member: Option<Value>) -> Vec<(String, bool, Value)> {
    let (c, Some(member)) = (&schema.constraints, member) else {
        return Vec::new();
    };
    let members = |n: usize| -> Value {
        let map: Map<String, Value> = (0..n).map(|i| (format!("k{i}"), member.clone())).collect();
        Value::Object(map)
    };
    let mut out = Vec::new();
    if let Some(min) = c.min_properties.filter(|m| *m > 0) {
        out.push((format!("minProperties {min}"), true, members(min - 1)));
    }
    if let Some(max) = c.max_properties.filter(|m| *m < 1000) {
        out.push((format!("maxProperties {max}"), true, members(max + 1)));
    }
    out
}

/// A list property's item counts broken, with copies of one made-up item.
fn list_breaks(api: &Api, schema: &TypeExpr, item: &TypeExpr) -> Vec<(String, bool, Value)> {
    let c = &schema.constraints;
    let Some(one) = made_up_json(api, item, 1) else {
        return Vec::new();
    };
    let copies = |n: usize| Value::Array(vec![one.clone(); n]);
    // Copies of one item repeat it: with `uniqueItems` only a list of one
    // breaks a count and nothing else.
    let repeats_ok = |n: usize| !c.unique_items || n <= 1;
    let mut out = Vec::new();
    if let Some(min) = c.min_items.filter(|m| *m > 0 && repeats_ok(m - 1)) {
        out.push((format!("minItems {min}"), true, copies(min - 1)));
    }
    if let Some(max) = c.max_items.filter(|m| *m < 1000 && repeats_ok(m + 1)) {
        out.push((format!("maxItems {max}"), true, copies(max + 1)));
    }
    let twice = c.min_items.unwrap_or(0).max(2);
    if c.unique_items && c.max_items.is_none_or(|m| m >= twice) {
        out.push(("uniqueItems".into(), true, copies(twice)));
    }
    out
}

/// A raw request to `op` with these parameter values and body.
fn request(
    api: &Api,
    op: &Operation,
    values: &Values,
    body: Option<&(String, String)>,
) -> Option<Value> {
    let text_of = |p: &Parameter| {
        let i = op.parameters.iter().position(|q| std::ptr::eq(q, p))?;
        values
            .iter()
            .find(|(j, _)| *j == i)
            .and_then(|(_, t)| t.clone())
    };
    let mut target = String::new();
    for segment in &op.path.segments {
        match segment {
            Segment::Literal(text) => target.push_str(text),
            Segment::Parameter(name) => {
                let p = op
                    .parameters
                    .iter()
                    .find(|p| p.location == ParameterLocation::Path && &p.name == name)?;
                let v = encode(&text_of(p)?);
                match p.style {
                    ParamStyle::Label => target.push_str(&format!(".{v}")),
                    ParamStyle::Matrix => target.push_str(&format!(";{}={v}", encode(name))),
                    _ => target.push_str(&v),
                }
            }
        }
    }
    let (mut query, mut headers, mut cookies) = (Vec::new(), Vec::new(), Vec::new());
    // The template's own constant pairs (`/rest?method=...`) tell the
    // operation apart from others of its path.
    for (name, value) in &op.path.query {
        query.push(format!("{}={}", encode(name), encode(value)));
    }
    for p in &op.parameters {
        let Some(text) = text_of(p) else {
            continue;
        };
        match p.location {
            ParameterLocation::Query => {
                query.push(format!("{}={}", encode(&p.name), encode(&text)))
            }
            ParameterLocation::Header => headers.push((p.name.clone(), text)),
            ParameterLocation::Cookie => cookies.push(format!("{}={}", p.name, encode(&text))),
            _ => {}
        }
    }
    credentials(api, op, &mut headers, &mut query, &mut cookies);
    if !cookies.is_empty() {
        headers.push(("cookie".into(), cookies.join("; ")));
    }
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query.join("&"));
    }
    let body = body.map(|(media, text)| {
        headers.push(("content-type".into(), media.clone()));
        text.clone()
    });
    Some(json!({
        "operation": op.id,
        "method": op.method.as_str(),
        "target": target,
        "headers": headers,
        "body": body,
    }))
}
