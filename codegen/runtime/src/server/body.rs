//! Request bodies: JSON and form decoding with violations that name the
//! field, and the JSON shape checks serde's derives do not make.

use super::Presence;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{headers, reply, violation, Violation};

/// What serde's derived decoding does not check: a struct also decodes
/// from a JSON array, and an `Option` field also from `null`. Each `bool`
/// says whether the value there may be `null`.
#[derive(Debug)]
pub enum Shape {
    /// Nothing beyond what serde checks.
    Any,
    /// A JSON object; its known properties (name, nullable, shape).
    Object(&'static [(&'static str, bool, &'static Shape)]),
    /// A JSON array of values that may be `null` or not, of this shape.
    Array(bool, &'static Shape),
    /// A JSON object whose values may be `null` or not, of this shape.
    Map(bool, &'static Shape),
    /// A JSON object that must hold these properties, then of this shape:
    /// required properties that may be `null` (serde reads an absent one
    /// as `null`).
    Present(&'static [&'static str], &'static Shape),
}

/// How an operation takes its body.
#[derive(Debug)]
pub struct BodyRule<'s> {
    /// It accepts JSON (`application/json`, `*+json`).
    pub json: bool,
    /// It accepts `application/x-www-form-urlencoded`.
    pub form: bool,
    /// The media types, for the `415` message.
    pub accepted: &'static str,
    /// A body must be sent.
    pub required: bool,
    /// Whether a JSON `null` is a value.
    pub nullable: bool,
    /// The JSON shape to check before serde decodes.
    pub shape: &'s Shape,
}

/// serde_json's message without " at line X column Y": the field says where.
pub fn serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn body_field(path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    match path.as_str() {
        "." => "body".to_string(),
        // A top-level array: `body[1].name`.
        index if index.starts_with('[') => format!("body{index}"),
        _ => format!("body.{path}"),
    }
}

/// A JSON body: parsed, its shape checked, then decoded as `T`; every
/// problem is a violation naming its field (`body.items[0].name`).
pub fn decode_json<T: serde::de::DeserializeOwned>(
    body: &[u8],
    nullable: bool,
    shape: &Shape,
    out: &mut Vec<Violation>,
) -> Option<T> {
    let raw: serde_json::Value = match serde_json::from_slice(body) {
        Ok(raw) => raw,
        Err(e) => {
            out.push(violation("body", serde_message(&e)));
            return None;
        }
    };
    let before = out.len();
    check_shape(&raw, nullable, shape, "body", out);
    if out.len() > before {
        return None;
    }
    match serde_path_to_error::deserialize(raw) {
        Ok(value) => Some(value),
        Err(e) => {
            let message = serde_message(e.inner());
            let mut field = body_field(e.path());
            // serde names a missing or unknown key in the message; name it in
            // the field (the path already ends with an unknown key, never
            // with a missing one).
            for marker in ["missing field `", "unknown field `"] {
                if let Some(key) = message
                    .strip_prefix(marker)
                    .and_then(|r| r.split('`').next())
                {
                    if !field.ends_with(&format!(".{key}")) {
                        field = format!("{field}.{key}");
                    }
                }
            }
            out.push(violation(&field, message));
            None
        }
    }
}

/// Checks `value` against `shape` (see [`Shape`]), naming fields from `at`.
pub fn check_shape(
    value: &serde_json::Value,
    nullable: bool,
    shape: &Shape,
    at: &str,
    out: &mut Vec<Violation>,
) {
    use serde_json::Value;
    if value.is_null() {
        if !nullable {
            out.push(violation(
                at,
                "invalid type: null, expected a value (not nullable)",
            ));
        }
        return;
    }
    match (shape, value) {
        (Shape::Any, _) => {}
        (Shape::Object(properties), Value::Object(map)) => {
            for (name, nullable, shape) in properties.iter() {
                if let Some(value) = map.get(*name) {
                    check_shape(value, *nullable, shape, &format!("{at}.{name}"), out);
                }
            }
        }
        (Shape::Object(_), other) => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_f64() => "floating point",
                _ => "integer",
            };
            out.push(violation(
                at,
                format!("invalid type: {kind}, expected a JSON object"),
            ));
        }
        (Shape::Array(nullable, shape), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_shape(item, *nullable, shape, &format!("{at}[{i}]"), out);
            }
        }
        (Shape::Map(nullable, shape), Value::Object(map)) => {
            for (key, value) in map {
                check_shape(value, *nullable, shape, &format!("{at}.{key}"), out);
            }
        }
        (Shape::Present(names, shape), value) => {
            if let Value::Object(map) = value {
                for name in names.iter().filter(|n| !map.contains_key(**n)) {
                    out.push(violation(
                        &format!("{at}.{name}"),
                        "missing required property",
                    ));
                }
            }
            check_shape(value, false, shape, at, out);
        }
        // Wrong JSON types are serde's to report, with what it expected.
        _ => {}
    }
}

/// A form body decoded as `T`.
pub fn decode_form<T: serde::de::DeserializeOwned>(
    body: &[u8],
    out: &mut Vec<Violation>,
) -> Option<T> {
    match super::form::from_bytes(body) {
        Ok(value) => Some(value),
        Err(e) => {
            out.push(violation("body", e.to_string()));
            None
        }
    }
}

/// The body decoded by its `Content-Type` (JSON or form, as `rule` allows),
/// `None` when absent, or the `415` answer to any other type. An empty form
/// is the empty object; an empty JSON body is no body.
pub fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    headers: &HeaderMap,
    rule: &BodyRule<'_>,
    out: &mut Vec<Violation>,
) -> Result<Option<T>, Response> {
    let media = headers::media_type(headers);
    let form = rule.form && media.as_deref() == Some("application/x-www-form-urlencoded");
    if bytes.is_empty() && !form {
        if rule.required {
            out.push(violation("body", "is required"));
        }
        return Ok(None);
    }
    match media.as_deref() {
        Some(m) if rule.json && (m == "application/json" || m.ends_with("+json")) => {
            Ok(decode_json(bytes, rule.nullable, rule.shape, out))
        }
        Some(_) if form => Ok(decode_form(bytes, out)),
        _ => Err(reply::unsupported_media_type(rule.accepted)),
    }
}

/// Whether a body that is not JSON or a form counts as absent: it is empty,
/// unless it is an (empty) form the operation also accepts.
pub fn is_absent(bytes: &[u8], headers: &HeaderMap, accepts_form: bool) -> bool {
    bytes.is_empty()
        && !(accepts_form
            && headers::media_type(headers).as_deref() == Some("application/x-www-form-urlencoded"))
}

/// How an operation takes a body it reads whole but does not decode
/// (text, bytes).
#[derive(Clone, Copy, Debug)]
pub struct WholeRule {
    /// It also accepts `application/x-www-form-urlencoded`, whose empty
    /// body is a value (the empty form), not an absent body.
    pub accepts_form: bool,
    /// Whether it must be sent.
    pub presence: Presence,
}

/// A body of any other media type: absent, or its bytes; a required one
/// that is absent is a violation.
pub fn raw(
    bytes: &[u8],
    headers: &HeaderMap,
    rule: &WholeRule,
    out: &mut Vec<Violation>,
) -> Option<Vec<u8>> {
    let (accepts_form, required) = (rule.accepts_form, rule.presence.is_required());
    if is_absent(bytes, headers, accepts_form) {
        if required {
            out.push(violation("body", "is required"));
        }
        return None;
    }
    Some(bytes.to_vec())
}

/// A streamed body: absent when the request says it has none
/// (`Content-Length: 0`, or neither a length nor a chunked encoding);
/// a required one that is absent is a violation.
pub fn stream(
    body: crate::ByteStream,
    headers: &HeaderMap,
    presence: Presence,
    out: &mut Vec<Violation>,
) -> Option<crate::ByteStream> {
    let required = presence.is_required();
    let chunked = headers.contains_key(axum::http::header::TRANSFER_ENCODING);
    let absent = match headers::content_length(headers) {
        Some(length) => length == 0,
        None => !chunked,
    };
    if absent {
        if required {
            out.push(violation("body", "is required"));
        }
        return None;
    }
    Some(body)
}

/// A `text/*` body: like [`raw`], and it must be UTF-8.
pub fn text(
    bytes: &[u8],
    headers: &HeaderMap,
    rule: &WholeRule,
    out: &mut Vec<Violation>,
) -> Option<String> {
    let bytes = raw(bytes, headers, rule, out)?;
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(_) => {
            out.push(violation("body", "must be UTF-8 text"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: String,
        note: Option<String>,
    }

    static ITEM: Shape =
        Shape::Object(&[("name", false, &Shape::Any), ("note", false, &Shape::Any)]);
    static ITEMS: Shape = Shape::Array(false, &ITEM);

    #[test]
    fn violations_name_the_field() {
        let mut out = Vec::new();
        let got: Option<Vec<Item>> =
            decode_json(br#"[{"name":"a"},{"nam":"b"}]"#, false, &ITEMS, &mut out);
        assert_eq!(got, None);
        assert_eq!(out[0].field, "body[1].nam");
        out.clear();
        let _: Option<Vec<Item>> =
            decode_json(br#"[{"name":"a","note":null}]"#, false, &ITEMS, &mut out);
        assert_eq!(
            out,
            [violation(
                "body[0].note",
                "invalid type: null, expected a value (not nullable)"
            )]
        );
        out.clear();
        let _: Option<Vec<Item>> = decode_json(br#"[["a"]]"#, false, &ITEMS, &mut out);
        assert_eq!(
            out,
            [violation(
                "body[0]",
                "invalid type: array, expected a JSON object"
            )]
        );
        out.clear();
        let _: Option<Item> = decode_json(br#"{}"#, false, &ITEM, &mut out);
        assert_eq!(out[0].field, "body.name");
    }

    #[test]
    fn required_properties_that_may_be_null_must_be_present() {
        static LABELLED: Shape =
            Shape::Present(&["label"], &Shape::Object(&[("label", true, &Shape::Any)]));
        let check = |json: &str| {
            let mut out = Vec::new();
            check_shape(
                &serde_json::from_str(json).unwrap(),
                false,
                &LABELLED,
                "body",
                &mut out,
            );
            out
        };
        assert_eq!(check(r#"{"label":null}"#), []);
        assert_eq!(check(r#"{"label":"a"}"#), []);
        assert_eq!(
            check(r#"{}"#),
            [violation("body.label", "missing required property")]
        );
        assert_eq!(
            check(r#"[]"#)[0].message,
            "invalid type: array, expected a JSON object"
        );
    }

    #[test]
    fn empty_bodies_and_media_types() {
        let rule = BodyRule {
            json: true,
            form: true,
            accepted: "application/json",
            required: true,
            nullable: false,
            shape: &Shape::Any,
        };
        let mut headers = HeaderMap::new();
        let mut out = Vec::new();
        assert!(matches!(
            decode::<serde_json::Value>(b"", &headers, &rule, &mut out),
            Ok(None)
        ));
        assert_eq!(out, [violation("body", "is required")]);
        assert!(
            decode::<serde_json::Value>(b"{}", &headers, &rule, &mut out).is_err(),
            "no media type: 415"
        );
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        out.clear();
        let form: Option<std::collections::BTreeMap<String, String>> =
            decode(b"", &headers, &rule, &mut out).unwrap();
        assert_eq!(
            form,
            Some(Default::default()),
            "an empty form is the empty object"
        );
        let rule = WholeRule {
            accepts_form: false,
            presence: Presence::Required,
        };
        assert_eq!(text(&[0xff], &headers, &rule, &mut out), None);
        assert_eq!(out, [violation("body", "must be UTF-8 text")]);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut out = Vec::new();
            let _: Option<Vec<Item>> = decode_json(&bytes, false, &ITEMS, &mut out);
            let _: Option<Item> = decode_form(&bytes, &mut out);
        }

        #[test]
        fn shape_checks_accept_every_valid_value(name in ".*", note in proptest::option::of(".*")) {
            let value = serde_json::json!([{ "name": name, "note": note }]);
            let mut out = Vec::new();
            let nullable_note: Shape = Shape::Any;
            let _ = nullable_note;
            static LOOSE_ITEM: Shape = Shape::Object(&[("name", false, &Shape::Any), ("note", true, &Shape::Any)]);
            static LOOSE: Shape = Shape::Array(false, &LOOSE_ITEM);
            check_shape(&value, false, &LOOSE, "body", &mut out);
            prop_assert!(out.is_empty());
            let bytes = serde_json::to_vec(&value).unwrap();
            let decoded: Option<Vec<Item>> = decode_json(&bytes, false, &LOOSE, &mut out);
            prop_assert_eq!(decoded, Some(vec![Item { name, note }]));
        }
    }
}
