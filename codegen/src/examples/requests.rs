//! The requests of the server-side check: one per request-body example
//! (the example as the body) and one per response example the stub can
//! answer with (the operation's first request example as the body, if it
//! needs one). Each carries the inputs the operation requires besides the
//! body, made up from their schemas (an enum's first value, the spec's
//! example or default, else a value within the constraints), and
//! credentials for the first way in the spec offers that the server
//! reads.

use serde_json::{json, Value};

use super::collect::{Example, Place};
use super::stub::answers_with;
use super::values::{made_up_json, sample};
use crate::emit::variants::variants;
use crate::ir::{Api, Operation, ParamStyle, ParameterLocation, SecurityKind, Segment, StatusCode};
use crate::plan::Plan;

/// The exchanges to send (runtime `verify::serve::Exchange`s, each with
/// the index of its example as `id`), and the examples none is sent for,
/// with why.
pub fn exchanges(
    api: &Api,
    plan: &Plan,
    examples: &[Example],
) -> (Vec<Value>, Vec<(usize, String)>) {
    let ops: Vec<&Operation> = api.resources.iter().flat_map(|r| &r.operations).collect();
    let shadowed = api.shadowed_operations();
    let mut out = Vec::new();
    let mut not_sent = Vec::new();
    for (id, e) in examples.iter().enumerate() {
        let op = match &e.place {
            Place::Other => continue,
            Place::Request { op, .. } | Place::Response { op, .. } => ops.get(*op),
        };
        if let Some(winner) = op.and_then(|op| shadowed.get(&op.type_name)) {
            not_sent.push((
                id,
                format!("the server routes its requests to `{winner}` (E0050)"),
            ));
            continue;
        }
        let built = match &e.place {
            Place::Other => continue,
            Place::Request { op, media } => ops
                .get(*op)
                .ok_or_else(|| "no such operation".to_string())
                .and_then(|op| request(api, op, Some((media, &e.value)), None)),
            Place::Response {
                op,
                response,
                media,
            } => ops
                .get(*op)
                .ok_or_else(|| "no such operation".to_string())
                .and_then(|o| answer(api, plan, (*op, o), *response, media, &e.value, examples)),
        };
        match built {
            Ok(mut exchange) => {
                exchange["id"] = id.into();
                out.push(exchange);
            }
            Err(why) => not_sent.push((id, why)),
        }
    }
    (out, not_sent)
}

/// The exchange checking response example `value` of response `index`
/// of `op` (its index among the operations, and itself).
fn answer(
    api: &Api,
    plan: &Plan,
    (op_index, op): (usize, &Operation),
    index: usize,
    media: &str,
    value: &Value,
    examples: &[Example],
) -> Result<Value, String> {
    if op.method.as_str() == "HEAD" {
        return Err("an answer to `HEAD` has no body".into());
    }
    let all = variants(plan, op);
    let variant = all.get(index).ok_or("no such response")?;
    match answers_with(variant) {
        None => return Err("the answer has no JSON body".into()),
        Some(Some(rep)) if !rep.media.iter().any(|m| *m == crate::media::essence(media)) => {
            return Err(format!("`{media}` is not the answer's JSON representation"))
        }
        Some(_) => {}
    }
    let status = match variant.response.status {
        StatusCode::Code(c) => c,
        StatusCode::Range(x) => x * 100,
        StatusCode::Default => 500,
    };
    let made_up;
    let body = match &op.request_body {
        Some(b) if b.required => {
            // The operation's first request example (in a JSON media type)
            // gets it through; else one made up from the schema.
            let first = examples.iter().find_map(|e| match &e.place {
                Place::Request { op: i, media } if *i == op_index => {
                    Some((media.clone(), &e.value))
                }
                _ => None,
            });
            match first {
                Some(first) => Some(first),
                None => {
                    let (media, value) = b
                        .contents
                        .iter()
                        .filter(|c| {
                            crate::media::Media::of(&c.media_type) == crate::media::Media::Json
                                && !c.media_type.contains('*')
                        })
                        .find_map(|c| Some((c.media_type.clone(), made_up_json(api, c.schema.as_ref()?, 0)?)))
                        .ok_or("the operation needs a request body that has no JSON example, and none can be made up")?;
                    made_up = value;
                    Some((media, &made_up))
                }
            }
        }
        _ => None,
    };
    let mut exchange = request(api, op, body.as_ref().map(|(m, v)| (m, *v)), Some(media))?;
    exchange["answer"] = json!({"variant": index, "status": status, "body": value});
    Ok(exchange)
}

/// A request to `op` with `body`, its required inputs made up, accepting `accept`.
fn request(
    api: &Api,
    op: &Operation,
    body: Option<(&String, &Value)>,
    accept: Option<&str>,
) -> Result<Value, String> {
    let mut target = String::new();
    for segment in &op.path.segments {
        match segment {
            Segment::Literal(text) => target.push_str(text),
            Segment::Parameter(name) => {
                let p = op
                    .parameters
                    .iter()
                    .find(|p| p.location == ParameterLocation::Path && &p.name == name)
                    .ok_or_else(|| format!("path parameter `{name}` is not declared"))?;
                let v = encode(
                    &sample(api, &p.schema, p.example.as_ref(), p.default.as_ref())
                        .map_err(|why| format!("path parameter `{name}`: {why}"))?,
                );
                match p.style {
                    ParamStyle::Label => target.push_str(&format!(".{v}")),
                    ParamStyle::Matrix => target.push_str(&format!(";{}={v}", encode(name))),
                    _ => target.push_str(&v),
                }
            }
        }
    }
    // The template's own constant pairs (`/rest?method=...`) first.
    let mut query: Vec<String> = (op.path.query.iter())
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut cookies: Vec<String> = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let value = || {
            sample(api, &p.schema, p.example.as_ref(), p.default.as_ref())
                .map_err(|why| format!("parameter `{}`: {why}", p.name))
        };
        match p.location {
            ParameterLocation::Path => {}
            ParameterLocation::Query => {
                query.push(format!("{}={}", encode(&p.name), encode(&value()?)))
            }
            ParameterLocation::Header => headers.push((p.name.clone(), value()?)),
            ParameterLocation::Cookie => cookies.push(format!("{}={}", p.name, encode(&value()?))),
            ParameterLocation::QueryString => {
                return Err(format!("a required `querystring` parameter (`{}`)", p.name))
            }
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
    if let Some(accept) = accept {
        headers.push(("accept".into(), accept.to_string()));
    }
    let body = body.map(|(media, value)| {
        headers.push(("content-type".into(), media.clone()));
        value.to_string()
    });
    Ok(json!({
        "operation": op.id,
        "method": op.method.as_str(),
        "target": target,
        "headers": headers,
        "body": body,
        "answer": null,
    }))
}

/// The first alternative of the operation's security whose schemes the
/// server reads, presented.
pub(crate) fn credentials(
    api: &Api,
    op: &Operation,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<String>,
    cookies: &mut Vec<String>,
) {
    let readable = |name: &str| {
        api.security_schemes
            .iter()
            .find(|s| s.name == name)
            .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
    };
    let Some(alternative) = op
        .security
        .iter()
        .find(|a| a.schemes.iter().all(|(n, _)| readable(n).is_some()))
    else {
        return;
    };
    for (name, _) in &alternative.schemes {
        match readable(name).map(|s| &s.kind) {
            Some(SecurityKind::Bearer { .. }) => {
                headers.push(("authorization".into(), "Bearer verify-examples".into()))
            }
            // `user:password`.
            Some(SecurityKind::Basic) => {
                headers.push(("authorization".into(), "Basic dXNlcjpwYXNzd29yZA==".into()))
            }
            Some(SecurityKind::ApiKeyHeader { header }) => {
                headers.push((header.clone(), "verify-examples".into()))
            }
            Some(SecurityKind::ApiKeyQuery { parameter }) => {
                query.push(format!("{}=verify-examples", encode(parameter)))
            }
            Some(SecurityKind::ApiKeyCookie { cookie }) => {
                cookies.push(format!("{cookie}=verify-examples"))
            }
            _ => {}
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_but_unreserved_characters_is_escaped() {
        assert_eq!(encode("a b/c~d"), "a%20b%2Fc~d");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
