//! The calls of the conformance driver: for every operation, one call per
//! documented answer the stub can give (only the required inputs set),
//! and one more with every optional input set too. Inputs are lists of
//! candidates, the spec's example first, then its default, then a value
//! made up from the schema: the program takes the first that decodes.

use serde_json::{json, Value};

use crate::emit::form::{form_fields, request_kind, FormField, FormKind};
use crate::emit::variants::{variants, Variant};
use crate::emit::BodyKind;
use crate::examples::stub::{answers_empty, stub_body};
use crate::examples::values::{
    made_up_answer, made_up_answer_from_schema, made_up_from_schema, made_up_json,
};
use crate::ir::{Api, Operation, Parameter, ParameterLocation, StatusCode, Ty, TypeKind};
use crate::plan::Plan;

/// What the driver can do with one operation.
pub struct Coverage<'a> {
    pub op: &'a Operation,
    /// The calls (runtime `verify::conform::Call`s without `id` and
    /// `caller`), each with the index of the variant it expects.
    pub calls: Vec<Value>,
    /// Answers no call asks for, and why (a streamed body, an answer
    /// with no JSON representation).
    pub uncovered: Vec<String>,
    /// Why the operation cannot be called at all, if it cannot.
    pub blocked: Option<String>,
}

/// The request input names the program uses: `p:<field>` for a
/// parameter (its request builder field), `body` for the body.
pub fn param_key(field: &str) -> String {
    format!("p:{field}")
}

/// The coverage of every operation, in the order of `api.resources`.
pub fn coverage<'a>(api: &'a Api, plan: &Plan) -> Vec<Coverage<'a>> {
    api.resources
        .iter()
        .flat_map(|r| &r.operations)
        .map(|op| operation(api, plan, op))
        .collect()
}

fn operation<'a>(api: &'a Api, plan: &Plan, op: &'a Operation) -> Coverage<'a> {
    let mut coverage = Coverage {
        op,
        calls: Vec::new(),
        uncovered: Vec::new(),
        blocked: None,
    };
    let fields = &plan.operation(op).request_fields;
    let (required, all) = match inputs(api, op, fields, &mut coverage.uncovered) {
        Ok(inputs) => inputs,
        Err(why) => {
            coverage.blocked = Some(why);
            return coverage;
        }
    };
    let statuses = documented(op);
    // The call with every input expects a success where there is one.
    let mut first: Option<Value> = None;
    for (index, v) in variants(plan, op).iter().enumerate() {
        match canned(api, op, index, v, &statuses) {
            Ok(answer) => {
                let success = (200..300).contains(&answer["status"].as_u64().unwrap_or(0));
                let first_success = first
                    .as_ref()
                    .is_some_and(|f| (200..300).contains(&f["status"].as_u64().unwrap_or(0)));
                if first.is_none() || (success && !first_success) {
                    first = Some(answer.clone());
                }
                coverage
                    .calls
                    .push(json!({"operation": op.id, "inputs": required, "answer": answer}));
            }
            Err(why) => coverage
                .uncovered
                .push(format!("answer `{}`: {why}", v.name)),
        }
    }
    match first {
        Some(answer) if all != required => coverage
            .calls
            .push(json!({"operation": op.id, "inputs": all, "answer": answer})),
        Some(_) => {}
        None => {
            let why = coverage.uncovered.first().cloned().unwrap_or_default();
            coverage.blocked = Some(format!(
                "no documented answer can be given by the stub ({why})"
            ));
        }
    }
    coverage
}

/// The inputs of the call with the required ones only, and of the call
/// with every one; an optional input none can be made for is noted in
/// `uncovered` and left unset.
fn inputs(
    api: &Api,
    op: &Operation,
    fields: &[String],
    uncovered: &mut Vec<String>,
) -> Result<(Value, Value), String> {
    let mut required = serde_json::Map::new();
    let mut all = serde_json::Map::new();
    for (p, field) in op.parameters.iter().zip(fields) {
        let values = param_candidates(api, p);
        if values.is_empty() {
            let why = format!("no value can be made up for parameter `{}`", p.name);
            if p.required {
                return Err(why);
            }
            uncovered.push(why);
            continue;
        }
        if p.required {
            required.insert(param_key(field), Value::Array(values.clone()));
        }
        all.insert(param_key(field), Value::Array(values));
    }
    if let Some(b) = &op.request_body {
        if let Some(fields) =
            form_fields(api, b).filter(|_| matches!(request_kind(api, b), BodyKind::Parts(_)))
        {
            return parts_inputs(api, b.required, &fields, (required, all));
        }
        let values = match body_candidates(api, op) {
            Ok(values) => values,
            Err(why) if !b.required => {
                uncovered.push(format!("the optional body: {why}"));
                Vec::new()
            }
            Err(why) => return Err(why),
        };
        // No values: a body that is not sent (`BodyKind::None`), or not made.
        if !values.is_empty() {
            if b.required {
                required.insert("body".into(), Value::Array(values.clone()));
            }
            all.insert("body".into(), Value::Array(values));
        }
    }
    Ok((Value::Object(required), Value::Object(all)))
}

/// The inputs of a `multipart/form-data` body (a form struct): `body`
/// marks that it is sent; `f:<part>` holds each part's candidates (a
/// file's text; a list's one item), required parts in both calls.
fn parts_inputs(
    api: &Api,
    required_body: bool,
    fields: &[FormField<'_>],
    (mut required, mut all): (
        serde_json::Map<String, Value>,
        serde_json::Map<String, Value>,
    ),
) -> Result<(Value, Value), String> {
    if required_body {
        required.insert("body".into(), json!([true]));
    }
    all.insert("body".into(), json!([true]));
    for f in fields {
        let value = match f.kind {
            FormKind::File => json!("text"),
            FormKind::Files => json!(["text"]),
            FormKind::Value(e, _) => made_up_json(api, e, 1)
                .ok_or_else(|| format!("no value can be made up for part `{}`", f.wire))?,
            FormKind::Values(e, _) => json!([made_up_json(api, e, 1)
                .ok_or_else(|| format!("no value can be made up for part `{}`", f.wire))?]),
        };
        let key = part_key(f.wire);
        if f.required {
            required.insert(key.clone(), json!([value.clone()]));
        }
        all.insert(key, json!([value]));
    }
    Ok((Value::Object(required), Value::Object(all)))
}

/// The input name of a form part.
pub fn part_key(wire: &str) -> String {
    format!("f:{wire}")
}

/// A parameter's candidates: its example, its default, a made-up value
/// (an array of one item: an empty one is not sent at all).
fn param_candidates(api: &Api, p: &Parameter) -> Vec<Value> {
    let mut out: Vec<Value> = p.example.iter().chain(&p.default).cloned().collect();
    // A list as its schema makes it (`minItems` items: va.gov's `bbox[]`
    // takes exactly 4), but never empty.
    let listed = |whole: Option<Value>, item: Option<Value>| match whole {
        Some(Value::Array(items)) if !items.is_empty() => Some(Value::Array(items)),
        _ => item.map(|v| Value::Array(vec![v])),
    };
    let made_up = match &p.schema.ty {
        Ty::Array(item) => listed(made_up_json(api, &p.schema, 0), made_up_json(api, item, 1)),
        _ => made_up_json(api, &p.schema, 0),
    };
    let schema_only = match &p.schema.ty {
        Ty::Array(item) => listed(
            made_up_from_schema(api, &p.schema),
            made_up_from_schema(api, item),
        ),
        _ => made_up_from_schema(api, &p.schema),
    };
    for v in made_up.into_iter().chain(schema_only) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    // An empty object or list in a parameter is not sent at all (or sent
    // as an empty string no schema reads): no value.
    out.retain(|v| !matches!(v, Value::Object(m) if m.is_empty()));
    if p.location == ParameterLocation::Header {
        out = header_safe(out);
    }
    if p.location == ParameterLocation::Path {
        // An empty segment never reaches the route (brex's `dataset` lists
        // `""` first): another member of the enum instead.
        out.retain(|v| v.as_str() != Some(""));
        if let Ty::Named(id) = &p.schema.ty {
            if let TypeKind::Enum(e) = &api.types.get(*id).kind {
                let member = e.variants.iter().find(|v| !v.value.is_empty());
                out.extend(member.map(|v| Value::String(v.value.clone())));
                out.dedup();
            }
        }
    }
    out
}

/// Header candidates a header can carry: strings trimmed (a header
/// value's surrounding whitespace is not part of it, RFC 9110; an example
/// written as a YAML block ends in a newline), and those still holding
/// characters outside visible ASCII, space and tab left out (the client
/// refuses to send them: openbankingproject.ch's `Signature`).
fn header_safe(values: Vec<Value>) -> Vec<Value> {
    fn trimmed(v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.trim().to_string()),
            Value::Array(items) => Value::Array(items.into_iter().map(trimmed).collect()),
            other => other,
        }
    }
    fn sendable(v: &Value) -> bool {
        match v {
            Value::String(s) => s.chars().all(|c| c == '\t' || (' '..='~').contains(&c)),
            Value::Array(items) => items.iter().all(sendable),
            Value::Object(m) => m.values().all(sendable),
            _ => true,
        }
    }
    let mut out: Vec<Value> = Vec::with_capacity(values.len());
    for v in values.into_iter().map(trimmed).filter(sendable) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A request body's candidates, for the body kinds the program can make.
fn body_candidates(api: &Api, op: &Operation) -> Result<Vec<Value>, String> {
    let Some(b) = &op.request_body else {
        return Ok(Vec::new());
    };
    let examples = b.contents.iter().filter_map(|c| c.example.clone());
    let kind = request_kind(api, b);
    let made_up = match kind {
        BodyKind::Json(Some(schema)) | BodyKind::Form(schema) => made_up_json(api, schema, 0),
        BodyKind::Json(None) => Some(json!({})),
        BodyKind::Text | BodyKind::Binary(_) => Some(json!("text")),
        BodyKind::None => return Ok(Vec::new()),
        other => {
            return Err(format!(
                "a request body of kind {} is not made up yet",
                kind_name(&other)
            ))
        }
    };
    // Last, a value of the schema alone: a spec's example may not fit it.
    let schema_only = match kind {
        BodyKind::Json(Some(schema)) | BodyKind::Form(schema) => made_up_from_schema(api, schema),
        _ => None,
    };
    let mut out: Vec<Value> = examples.chain(made_up).collect();
    // `readOnly` properties are not sent in requests (OpenAPI; Prism
    // refuses them): an example's, or a type's own example's, are left out.
    if let BodyKind::Json(Some(schema)) | BodyKind::Form(schema) = kind {
        for v in &mut out {
            strip_read_only(api, schema, v, 0);
        }
    }
    if let Some(v) = schema_only.filter(|v| !out.contains(v)) {
        out.push(v);
    }
    if out.is_empty() {
        return Err("no request body can be made up".into());
    }
    Ok(out)
}

/// The request body kinds the program makes: decoded from JSON (the
/// generated types of these derive `Deserialize`), or bytes from a string.
pub fn makes_body(kind: &BodyKind<'_>) -> bool {
    matches!(
        kind,
        BodyKind::Json(_) | BodyKind::Form(_) | BodyKind::Text | BodyKind::Binary(_)
    )
}

fn kind_name(kind: &BodyKind<'_>) -> &'static str {
    match kind {
        BodyKind::Events(_) => "text/event-stream",
        BodyKind::JsonSeq(..) => "JSON sequence",
        BodyKind::Multipart(_) => "multipart (encoded by the caller)",
        BodyKind::Binary(_) => "bytes",
        BodyKind::Parts(_) => "multipart/form-data",
        _ => "other",
    }
}

/// `value` without the properties `schema` marks `readOnly`, at any depth
/// (up to 16 levels).
fn strip_read_only(api: &Api, schema: &crate::ir::TypeExpr, value: &mut Value, depth: usize) {
    if depth > 16 {
        return;
    }
    match (&schema.ty, value) {
        (Ty::Named(id), value) => match &api.types.get(*id).kind {
            crate::ir::TypeKind::Struct(s) => {
                let Value::Object(map) = value else { return };
                for f in &s.fields {
                    if f.read_only {
                        map.remove(&f.spec_name);
                    } else if let Some(v) = map.get_mut(&f.spec_name) {
                        strip_read_only(api, &f.schema, v, depth + 1);
                    }
                }
            }
            crate::ir::TypeKind::Alias(inner) => strip_read_only(api, inner, value, depth + 1),
            _ => {}
        },
        (Ty::Array(item), Value::Array(items)) => {
            for v in items {
                strip_read_only(api, item, v, depth + 1);
            }
        }
        _ => {}
    }
}

/// The statuses the operation documents, as codes and ranges.
struct Documented {
    codes: Vec<u16>,
    ranges: Vec<u16>,
}

fn documented(op: &Operation) -> Documented {
    let mut d = Documented {
        codes: Vec::new(),
        ranges: Vec::new(),
    };
    for r in &op.responses {
        match r.status {
            StatusCode::Code(c) => d.codes.push(c),
            StatusCode::Range(x) => d.ranges.push(x),
            StatusCode::Default => {}
        }
    }
    d
}

/// The status the stub answers a variant with: its code; for a range,
/// the first of the range no code of the operation takes; for `default`,
/// the first status nothing else documented takes (500 first).
fn status_of(status: StatusCode, d: &Documented) -> Option<u16> {
    let free = |s: &u16| !d.codes.contains(s);
    match status {
        StatusCode::Code(c) => Some(c),
        StatusCode::Range(x) => (x * 100..x * 100 + 100).find(free),
        StatusCode::Default => (500..600)
            .chain(400..500)
            .chain(200..300)
            .find(|s| free(s) && !d.ranges.contains(&(s / 100))),
    }
}

/// The answer the stub gives for variant `index`: `{variant, status, body}`.
fn canned(
    api: &Api,
    op: &Operation,
    index: usize,
    v: &Variant<'_>,
    statuses: &Documented,
) -> Result<Value, String> {
    let status = status_of(v.response.status, statuses).ok_or("no status is free for it")?;
    if status < 200 {
        return Err(format!(
            "a {status} answer is not a final answer (a protocol switch)"
        ));
    }
    // The documented headers, each with a value made up from its schema
    // (a list of one item: an empty one is no header at all).
    let headers: serde_json::Map<String, Value> = v
        .response
        .headers
        .iter()
        .filter_map(|h| {
            let value = match &h.schema.ty {
                Ty::Array(item) => made_up_answer(api, item, 1).map(|v| json!([v])),
                _ => made_up_answer(api, &h.schema, 1),
            };
            Some((h.name.clone(), value?))
        })
        .collect();
    if answers_empty(v) {
        return Ok(json!({"variant": index, "status": status, "body": null, "headers": headers}));
    }
    let (rep, kind) = stub_body(v).ok_or("its body has no representation the stub can make")?;
    if op.method.as_str() == "HEAD" {
        // The answer's body is never sent: text or bytes decode as empty.
        return match kind {
            BodyKind::Text | BodyKind::Binary(_) if rep.is_none() => {
                Ok(json!({"variant": index, "status": status, "body": "", "headers": headers}))
            }
            _ => Err("a JSON answer to `HEAD` has no body to decode".into()),
        };
    }
    if matches!(status, 204 | 205 | 304) {
        return Err(format!("a {status} answer has no body"));
    }
    let example = || {
        v.response
            .contents
            .iter()
            .filter(|c| rep.is_none_or(|r| r.media.contains(&crate::media::essence(&c.media_type))))
            .find_map(|c| c.example.clone())
    };
    let item = |schema: Option<&crate::ir::TypeExpr>| match schema {
        Some(s) => made_up_answer(api, s, 1).map(|item| json!([item])),
        None => Some(json!([{}])),
    };
    // Made up from the schema first: the schema accepts it by construction.
    let body = match kind {
        BodyKind::Json(Some(s)) => made_up_answer(api, s, 0).or_else(example),
        BodyKind::Json(None) => example().or(Some(json!({}))),
        BodyKind::Text | BodyKind::Binary(_) => Some(json!("text")),
        BodyKind::JsonSeq(_, schema) => item(*schema),
        BodyKind::Events(Some(schema)) => item(Some(schema)),
        BodyKind::Events(None) => Some(json!(["text"])),
        BodyKind::Multipart(media) => Some(json!(multipart_text(media))),
        _ => None,
    }
    .ok_or("no body can be made up for it")?;
    // The types' own examples went into `body`; one may not fit its schema.
    let fallback = match kind {
        BodyKind::Json(Some(s)) => made_up_answer_from_schema(api, s).filter(|f| *f != body),
        _ => None,
    };
    Ok(json!({
        "variant": index, "status": status, "body": body, "headers": headers, "fallback": fallback,
    }))
}

/// A multipart body of one text part, delimited by the boundary the
/// server names in its `Content-Type` (runtime `reply::multipart`).
fn multipart_text(media: &str) -> String {
    let head = if crate::media::essence(media) == "multipart/form-data" {
        "Content-Disposition: form-data; name=\"part\""
    } else {
        "Content-Type: text/plain"
    };
    format!("--conformance\r\n{head}\r\n\r\ntext\r\n--conformance--\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_default_take_a_status_nothing_else_documents() {
        let d = Documented {
            codes: vec![200, 400, 500],
            ranges: vec![4],
        };
        assert_eq!(status_of(StatusCode::Code(404), &d), Some(404));
        assert_eq!(status_of(StatusCode::Range(4), &d), Some(401));
        assert_eq!(status_of(StatusCode::Default, &d), Some(501));
        let all = Documented {
            codes: (200..600).collect(),
            ranges: vec![],
        };
        assert_eq!(status_of(StatusCode::Default, &all), None);
    }

    #[test]
    fn header_candidates_are_trimmed_and_those_a_header_cannot_carry_left_out() {
        let values = vec![
            json!("keyId=\"SN=9FA1\", signature=\"Base64(x)\"\n"),
            json!("caf\u{e9}"),
            json!(["a b", "c\td"]),
            json!("keyId=\"SN=9FA1\", signature=\"Base64(x)\""),
            json!(3),
        ];
        assert_eq!(
            header_safe(values),
            [
                json!("keyId=\"SN=9FA1\", signature=\"Base64(x)\""),
                json!(["a b", "c\td"]),
                json!(3)
            ]
        );
    }

    #[test]
    fn a_list_parameter_gets_its_minimum_of_items_and_never_none() {
        use crate::ir::{Api, NumberFormat, ParamShape, ParamStyle, TypeExpr};
        let item = TypeExpr::new(Ty::Number(NumberFormat::Float));
        let mut list = TypeExpr::new(Ty::Array(Box::new(item)));
        list.constraints.min_items = Some(4);
        let mut p = Parameter {
            name: "bbox[]".into(),
            rust_name: "bbox".into(),
            location: ParameterLocation::Query,
            required: false,
            description: None,
            deprecated: false,
            schema: list,
            default: None,
            example: None,
            style: ParamStyle::Form,
            explode: true,
            allow_reserved: false,
            shape: ParamShape::List,
        };
        let api = Api::default();
        let first = |p: &Parameter| param_candidates(&api, p)[0].as_array().map(Vec::len);
        assert_eq!(first(&p), Some(4));
        p.schema.constraints.min_items = None;
        assert_eq!(first(&p), Some(1));
    }
}
