//! The `server` part: one trait per resource with a default `501` per
//! operation, `router(service)` wiring every route, and handlers that
//! extract, parse and validate every input before calling the trait.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::responses::{carries_status, header_repr, variants, HeaderRepr};
use super::{body_kind, docs, is_form, is_json, BodyKind, TypeRenderer};
use crate::ir::{
    Api, Constraints, Operation, Parameter, ParameterLocation, SecurityKind, SecurityScheme,
    StatusCode, StringFormat, Ty, TypeExpr, TypeId, TypeKind,
};
use crate::naming::{compose, ident, snake_name, Namespace};

/// The part in chunks of whole items (the first holds the inner attributes).
/// Handlers request validators, shapes and patterns as they are emitted, so
/// the chunks are built together, then formatted one at a time.
pub fn server(api: &Api) -> Vec<TokenStream> {
    let r = TypeRenderer::new(api, quote! { super::types:: });
    let schemes: Vec<&SecurityScheme> = api
        .security_schemes
        .iter()
        .filter(|s| !matches!(s.kind, SecurityKind::Other { .. }))
        .collect();
    let mut ctx = Ctx {
        api,
        r,
        patterns: BTreeMap::new(),
        validators: BTreeSet::new(),
        shapes: BTreeSet::new(),
        schemes,
    };

    let challenge = challenge(&ctx.schemes);
    let credentials = ctx.credentials();
    let inputs: Vec<TokenStream> = ops(api).map(|op| ctx.input_struct(op)).collect();
    let traits: Vec<TokenStream> = api
        .resources
        .iter()
        .map(|res| ctx.resource_trait(res))
        .collect();
    let handlers: Vec<TokenStream> = api
        .resources
        .iter()
        .flat_map(|res| res.operations.iter().map(move |op| (res, op)))
        .map(|(res, op)| ctx.handler(res, op))
        .collect();
    let router = ctx.router();
    let into_responses: Vec<TokenStream> = ops(api).map(|op| ctx.response_impl(op)).collect();
    // Validators are requested while emitting handlers; emit them (and what they request) until none is new.
    let mut emitted = BTreeSet::new();
    let mut validators = Vec::new();
    loop {
        let pending: Vec<TypeId> = ctx.validators.difference(&emitted).copied().collect();
        if pending.is_empty() {
            break;
        }
        for id in pending {
            emitted.insert(id);
            validators.push(ctx.validator(id));
        }
    }
    let mut shapes = Vec::new();
    let mut emitted = BTreeSet::new();
    loop {
        let pending: Vec<TypeId> = ctx.shapes.difference(&emitted).copied().collect();
        if pending.is_empty() {
            break;
        }
        for id in pending {
            emitted.insert(id);
            shapes.push(ctx.shape_static(id));
        }
    }
    let patterns = ctx.patterns.iter().map(|(pattern, name)| {
        let name = ident(name);
        quote! {
            static #name: ::std::sync::LazyLock<::std::option::Option<::regex::Regex>> =
                ::std::sync::LazyLock::new(|| ::regex::Regex::new(#pattern).ok());
        }
    });
    let head = quote! {
        #![doc = " Axum server stubs: implement one trait per resource (every method"]
        #![doc = " defaults to `501 Not Implemented`), then serve [`router`]. Every input"]
        #![doc = " is parsed and validated against the spec before a method is called;"]
        #![doc = " a rejected request gets a JSON [`Problem`] and the method never runs."]
        // Docs quote the spec's Markdown as written.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        /// Largest request body [`router`] accepts (1 MiB); see [`router_with_limit`].
        pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

        /// One reason a request was rejected.
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct Violation {
            /// Where: `path.id`, `query.sortField`, `header.siteId`, `body.personal_access_token.name`.
            pub field: ::std::string::String,
            /// What is wrong.
            pub message: ::std::string::String,
        }

        /// The JSON body of every answer the server itself gives (400, 401, 403, 404, 501...).
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct Problem {
            /// The HTTP status.
            pub status: u16,
            /// A stable, machine-readable kind (`invalid_request`, `unauthorized`, `not_implemented`...).
            pub error: ::std::string::String,
            /// A sentence for people.
            pub message: ::std::string::String,
            /// Each invalid input, for `invalid_request`.
            #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
            pub violations: ::std::vec::Vec<Violation>,
        }

        impl Problem {
            /// A problem with this status, kind and message.
            pub fn new(status: u16, error: &str, message: impl ::std::convert::Into<::std::string::String>) -> Self {
                Problem { status, error: error.to_string(), message: message.into(), violations: ::std::vec::Vec::new() }
            }

            /// `400`: the request breaks the spec.
            pub fn invalid(violations: ::std::vec::Vec<Violation>) -> Self {
                let message = match violations.as_slice() {
                    [one] => format!("{}: {}", one.field, one.message),
                    many => format!("{} inputs are invalid", many.len()),
                };
                Problem { violations, ..Problem::new(400, "invalid_request", message) }
            }

            /// `401`: credentials are missing or malformed.
            pub fn unauthorized(message: impl ::std::convert::Into<::std::string::String>) -> Self {
                Problem::new(401, "unauthorized", message)
            }

            /// `403`: the credentials do not allow this operation.
            pub fn forbidden(message: impl ::std::convert::Into<::std::string::String>) -> Self {
                Problem::new(403, "forbidden", message)
            }

            /// `501`: the implementation does not provide this operation yet.
            pub fn not_implemented(operation: &str) -> Self {
                Problem::new(501, "not_implemented", format!("operation `{operation}` is not implemented"))
            }
        }

        impl ::axum::response::IntoResponse for Problem {
            fn into_response(self) -> ::axum::response::Response {
                let status = ::axum::http::StatusCode::from_u16(self.status).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                let unauthorized = self.status == 401;
                let mut response = ::axum::response::IntoResponse::into_response((status, ::axum::Json(self)));
                if unauthorized {
                    challenge(&mut response);
                }
                response
            }
        }

        /// The `WWW-Authenticate` challenge of a `401`: one per security scheme of the spec.
        pub const AUTHENTICATE_CHALLENGE: &str = #challenge;

        /// Adds `WWW-Authenticate` (RFC 9110: every `401` carries one).
        fn challenge(response: &mut ::axum::response::Response) {
            response.headers_mut().insert(
                ::axum::http::header::WWW_AUTHENTICATE,
                ::axum::http::HeaderValue::from_static(AUTHENTICATE_CHALLENGE),
            );
        }

        /// What an operation answers: its documented response, or a [`Problem`].
        pub type Outcome<T> = ::std::result::Result<T, Problem>;

        #credentials
    };
    let tail = quote! {
        use support::*;

        /// Parsing, checking and extraction helpers shared by the handlers.
        mod support {
            // A fixed set: a small spec does not need every helper.
            #![allow(dead_code)]
            // Handlers return a ready response as the error: it is not passed on.
            #![allow(clippy::result_large_err)]
            use super::{ApiKey, BasicCredentials, BearerToken, Problem, Violation};

        pub(super) fn violation(field: &str, message: impl ::std::convert::Into<::std::string::String>) -> Violation {
            Violation { field: field.to_string(), message: message.into() }
        }

        /// Query pairs, form-decoded (`+` is a space, bad UTF-8 is replaced);
        /// borrowed from the URI unless a component needs decoding.
        pub(super) fn query_pairs(uri: &::axum::http::Uri) -> ::std::vec::Vec<(::std::borrow::Cow<'_, str>, ::std::borrow::Cow<'_, str>)> {
            uri.query()
                .unwrap_or("")
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (form_decode(key), form_decode(value))
                })
                .collect()
        }

        fn form_decode(text: &str) -> ::std::borrow::Cow<'_, str> {
            if !text.contains(['%', '+']) {
                return ::std::borrow::Cow::Borrowed(text);
            }
            let bytes = text.as_bytes();
            let mut out = ::std::vec::Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let hex = |b: u8| (b as char).to_digit(16);
                match bytes[i] {
                    b'+' => out.push(b' '),
                    b'%' => {
                        match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                            (::std::option::Option::Some(high), ::std::option::Option::Some(low)) => {
                                out.push((high * 16 + low) as u8);
                                i += 2;
                            }
                            _ => out.push(b'%'),
                        }
                    }
                    byte => out.push(byte),
                }
                i += 1;
            }
            ::std::borrow::Cow::Owned(::std::string::String::from_utf8_lossy(&out).into_owned())
        }

        /// The values given for one query parameter.
        pub(super) fn query_values<'q>(pairs: &'q [(::std::borrow::Cow<'q, str>, ::std::borrow::Cow<'q, str>)], name: &'q str) -> impl ::std::iter::Iterator<Item = &'q str> + 'q {
            pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_ref())
        }

        pub(super) fn header_text<'h>(headers: &'h ::axum::http::HeaderMap, name: &str, out: &mut ::std::vec::Vec<Violation>) -> ::std::option::Option<&'h str> {
            let value = headers.get(name)?;
            match value.to_str() {
                ::std::result::Result::Ok(text) => ::std::option::Option::Some(text),
                ::std::result::Result::Err(_) => {
                    out.push(violation(&format!("header.{name}"), "must be visible ASCII"));
                    ::std::option::Option::None
                }
            }
        }

        /// The value of the `index`th parameter of the URL segment `{segment}`,
        /// whose literals around its parameters are `literals` (each parameter
        /// ends at the first occurrence of the literal after it). `None`: the
        /// path does not match.
        pub(super) fn path_value(params: &::axum::extract::RawPathParams, segment: &str, literals: &[&str], index: usize) -> ::std::option::Option<::std::string::String> {
            let raw = params.iter().find(|(k, _)| *k == segment).map(|(_, v)| v)?;
            let mut rest = raw.strip_prefix(*literals.first()?)?;
            let count = literals.len() - 1;
            for (i, next) in literals.iter().skip(1).enumerate() {
                let value = if i + 1 == count {
                    let value = rest.strip_suffix(*next)?;
                    rest = "";
                    value
                } else {
                    let at = if next.is_empty() { rest.len() } else { rest.find(*next)? };
                    let value = &rest[..at];
                    rest = &rest[at + next.len()..];
                    value
                };
                if i == index {
                    return ::std::option::Option::Some(value.to_string());
                }
            }
            ::std::option::Option::None
        }

        pub(super) fn check_length(value: &str, field: &str, min: ::std::option::Option<usize>, max: ::std::option::Option<usize>, out: &mut ::std::vec::Vec<Violation>) {
            let n = value.chars().count();
            if let ::std::option::Option::Some(min) = min {
                if n < min {
                    out.push(violation(field, format!("must be at least {min} {} long", if min == 1 { "character" } else { "characters" })));
                }
            }
            if let ::std::option::Option::Some(max) = max {
                if n > max {
                    out.push(violation(field, format!("must be at most {max} {} long", if max == 1 { "character" } else { "characters" })));
                }
            }
        }

        pub(super) fn check_pattern(value: &str, field: &str, regex: &::std::option::Option<::regex::Regex>, pattern: &str, out: &mut ::std::vec::Vec<Violation>) {
            if let ::std::option::Option::Some(regex) = regex {
                if !regex.is_match(value) {
                    out.push(violation(field, format!("must match the pattern `{pattern}`")));
                }
            }
        }

        pub(super) fn check_range(value: f64, field: &str, min: ::std::option::Option<(f64, bool)>, max: ::std::option::Option<(f64, bool)>, out: &mut ::std::vec::Vec<Violation>) {
            if let ::std::option::Option::Some((min, exclusive)) = min {
                if value < min || (exclusive && value == min) {
                    out.push(violation(field, format!("must be {} {min}", if exclusive { "greater than" } else { "at least" })));
                }
            }
            if let ::std::option::Option::Some((max, exclusive)) = max {
                if value > max || (exclusive && value == max) {
                    out.push(violation(field, format!("must be {} {max}", if exclusive { "less than" } else { "at most" })));
                }
            }
        }

        pub(super) fn check_items<T: ::serde::Serialize>(items: &[T], field: &str, min: ::std::option::Option<usize>, max: ::std::option::Option<usize>, unique: bool, out: &mut ::std::vec::Vec<Violation>) {
            if let ::std::option::Option::Some(min) = min {
                if items.len() < min {
                    out.push(violation(field, format!("must have at least {min} {}", if min == 1 { "item" } else { "items" })));
                }
            }
            if let ::std::option::Option::Some(max) = max {
                if items.len() > max {
                    out.push(violation(field, format!("must have at most {max} items")));
                }
            }
            if unique {
                let values: ::std::vec::Vec<::serde_json::Value> = items.iter().filter_map(|i| ::serde_json::to_value(i).ok()).collect();
                if values.iter().enumerate().any(|(i, v)| values[..i].contains(v)) {
                    out.push(violation(field, "must not repeat items"));
                }
            }
        }

        /// Drops serde_json's " at line X column Y": the field name says where.
        pub(super) fn serde_message(error: &::serde_json::Error) -> ::std::string::String {
            let text = error.to_string();
            match text.find(" at line ") {
                ::std::option::Option::Some(i) => text[..i].to_string(),
                ::std::option::Option::None => text,
            }
        }

        pub(super) fn body_field(path: &::serde_path_to_error::Path) -> ::std::string::String {
            let path = path.to_string();
            if path == "." { "body".to_string() } else { format!("body.{path}") }
        }

        pub(super) fn decode_json<T: ::serde::de::DeserializeOwned>(body: &[u8], nullable: bool, shape: &Shape, out: &mut ::std::vec::Vec<Violation>) -> ::std::option::Option<T> {
            let raw: ::serde_json::Value = match ::serde_json::from_slice(body) {
                ::std::result::Result::Ok(raw) => raw,
                ::std::result::Result::Err(e) => {
                    out.push(violation("body", serde_message(&e)));
                    return ::std::option::Option::None;
                }
            };
            let before = out.len();
            check_shape(&raw, nullable, shape, "body", out);
            if out.len() > before {
                return ::std::option::Option::None;
            }
            match ::serde_path_to_error::deserialize(raw) {
                ::std::result::Result::Ok(value) => value,
                ::std::result::Result::Err(e) => {
                    let message = serde_message(e.inner());
                    let mut field = body_field(e.path());
                    // serde names a missing or unknown key in the message; name it in the field.
                    // (serde_path_to_error's path already ends with an unknown key, never with a missing one).
                    for marker in ["missing field `", "unknown field `"] {
                        if let ::std::option::Option::Some(rest) = message.strip_prefix(marker) {
                            if let ::std::option::Option::Some(key) = rest.split('`').next() {
                                if !field.ends_with(&format!(".{key}")) {
                                    field = format!("{field}.{key}");
                                }
                            }
                        }
                    }
                    out.push(violation(&field, message));
                    ::std::option::Option::None
                }
            }
        }



        /// What serde's derived decoding does not check: a struct also decodes
        /// from a JSON array, and an `Option` field also from `null`. Each
        /// `bool` says whether the value there may be `null`.
        pub(super) enum Shape {
            /// Nothing beyond what serde checks.
            Any,
            /// A JSON object; its known properties.
            Object(&'static [(&'static str, bool, &'static Shape)]),
            Array(bool, &'static Shape),
            Map(bool, &'static Shape),
        }

        pub(super) fn check_shape(value: &::serde_json::Value, nullable: bool, shape: &Shape, at: &str, out: &mut ::std::vec::Vec<Violation>) {
            if value.is_null() {
                if !nullable {
                    out.push(violation(at, "invalid type: null, expected a value (not nullable)"));
                }
                return;
            }
            match (shape, value) {
                (Shape::Any, _) => {}
                (Shape::Object(properties), ::serde_json::Value::Object(map)) => {
                    for (name, nullable, shape) in properties.iter() {
                        if let ::std::option::Option::Some(value) = map.get(*name) {
                            check_shape(value, *nullable, shape, &format!("{at}.{name}"), out);
                        }
                    }
                }
                (Shape::Object(_), other) => {
                    let kind = match other {
                        ::serde_json::Value::Array(_) => "array",
                        ::serde_json::Value::String(_) => "string",
                        ::serde_json::Value::Bool(_) => "boolean",
                        ::serde_json::Value::Number(n) if n.is_f64() => "floating point",
                        _ => "integer",
                    };
                    out.push(violation(at, format!("invalid type: {kind}, expected a JSON object")));
                }
                (Shape::Array(nullable, shape), ::serde_json::Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        check_shape(item, *nullable, shape, &format!("{at}[{i}]"), out);
                    }
                }
                (Shape::Map(nullable, shape), ::serde_json::Value::Object(map)) => {
                    for (key, value) in map {
                        check_shape(value, *nullable, shape, &format!("{at}.{key}"), out);
                    }
                }
                // Wrong JSON types are serde's to report, with what it expected.
                _ => {}
            }
        }

        pub(super) fn decode_form<T: ::serde::de::DeserializeOwned>(body: &[u8], out: &mut ::std::vec::Vec<Violation>) -> ::std::option::Option<T> {
            match ::serde_urlencoded::from_bytes(body) {
                ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                ::std::result::Result::Err(e) => {
                    out.push(violation("body", e.to_string()));
                    ::std::option::Option::None
                }
            }
        }

        pub(super) fn media_type(headers: &::axum::http::HeaderMap) -> ::std::option::Option<::std::string::String> {
            let value = headers.get(::axum::http::header::CONTENT_TYPE)?.to_str().ok()?;
            ::std::option::Option::Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        }

        pub(super) fn unsupported_media_type(accepted: &str) -> ::axum::response::Response {
            ::axum::response::IntoResponse::into_response(Problem::new(415, "unsupported_media_type", format!("send the body as {accepted}")))
        }

        pub(super) fn rejected(status: ::axum::http::StatusCode, message: ::std::string::String) -> ::axum::response::Response {
            let error = match status.as_u16() {
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                _ => "invalid_request",
            };
            ::axum::response::IntoResponse::into_response(Problem::new(status.as_u16(), error, message))
        }

        pub(super) fn method_not_allowed(allow: &'static str) -> ::axum::response::Response {
            let mut response = ::axum::response::IntoResponse::into_response(Problem::new(405, "method_not_allowed", format!("allowed methods: {allow}")));
            response.headers_mut().insert(::axum::http::header::ALLOW, ::axum::http::HeaderValue::from_static(allow));
            response
        }

        /// Sets a documented response header; a name or value HTTP cannot carry is left out.
        pub(super) fn set_header(response: &mut ::axum::response::Response, name: &str, value: ::std::string::String) {
            if let (::std::result::Result::Ok(name), ::std::result::Result::Ok(value)) = (
                ::axum::http::HeaderName::from_bytes(name.as_bytes()),
                ::axum::http::HeaderValue::from_str(&value),
            ) {
                response.headers_mut().insert(name, value);
            }
        }

        pub(super) fn not_found() -> ::axum::response::Response {
            ::axum::response::IntoResponse::into_response(Problem::new(404, "not_found", "no such route"))
        }

        // The handlers' shared steps live here, once, so that each handler is
        // a list of calls: generated code stays small and quick to compile.

        /// The `401` of a request without the credentials an operation needs.
        pub(super) fn unauthorized(message: &str) -> ::axum::response::Response {
            ::axum::response::IntoResponse::into_response(Problem::unauthorized(message))
        }

        /// The `400` of a request with these violations.
        pub(super) fn invalid(violations: ::std::vec::Vec<Violation>) -> ::axum::response::Response {
            ::axum::response::IntoResponse::into_response(Problem::invalid(violations))
        }

        /// A `400` naming one missing input.
        pub(super) fn missing(field: &str) -> ::axum::response::Response {
            ::axum::response::IntoResponse::into_response(Problem::invalid(::std::vec![violation(field, "is required")]))
        }

        /// A status and body as a response; a status HTTP cannot carry is a `500`.
        pub(super) fn reply(status: u16, body: impl ::axum::response::IntoResponse) -> ::axum::response::Response {
            let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            ::axum::response::IntoResponse::into_response((status, body))
        }

        /// A `401` with the spec's `WWW-Authenticate` challenge.
        pub(super) fn reply_unauthorized(body: impl ::axum::response::IntoResponse) -> ::axum::response::Response {
            let mut response = reply(401, body);
            super::challenge(&mut response);
            response
        }

        /// What a trait method returned, as a response.
        pub(super) fn respond<R: ::axum::response::IntoResponse>(outcome: super::Outcome<R>) -> ::axum::response::Response {
            match outcome {
                ::std::result::Result::Ok(response) => ::axum::response::IntoResponse::into_response(response),
                ::std::result::Result::Err(problem) => ::axum::response::IntoResponse::into_response(problem),
            }
        }

        /// The path parameters, or the answer to a path axum could not decode.
        /// `segments` pairs each URL segment's marker (`` `s0` ``) with the field
        /// its first parameter names: axum names the segment only in its message.
        pub(super) fn path_params(
            params: ::std::result::Result<::axum::extract::RawPathParams, ::axum::extract::rejection::RawPathParamsRejection>,
            segments: &[(&str, &str)],
        ) -> ::std::result::Result<::axum::extract::RawPathParams, ::axum::response::Response> {
            match params {
                ::std::result::Result::Ok(params) => ::std::result::Result::Ok(params),
                ::std::result::Result::Err(::axum::extract::rejection::RawPathParamsRejection::InvalidUtf8InPathParam(rejection)) if !segments.is_empty() => {
                    let text = rejection.body_text();
                    let field = segments.iter().find(|(marker, _)| text.contains(marker)).map_or("path", |(_, field)| field);
                    ::std::result::Result::Err(::axum::response::IntoResponse::into_response(Problem::invalid(::std::vec![violation(field, "must be UTF-8 once percent-decoded")])))
                }
                ::std::result::Result::Err(rejection) => ::std::result::Result::Err(rejected(rejection.status(), rejection.body_text())),
            }
        }

        /// How an operation takes its body.
        pub(super) struct BodyRule<'s> {
            pub(super) json: bool,
            pub(super) form: bool,
            /// The media types, for the `415` message.
            pub(super) accepted: &'static str,
            pub(super) required: bool,
            /// Whether a JSON `null` is a value.
            pub(super) nullable: bool,
            pub(super) shape: &'s Shape,
        }

        /// The body decoded by its `Content-Type` (JSON or form, as `rule`
        /// allows), `None` when absent, or the `415` answer to any other type.
        /// An empty form is the empty object; an empty JSON body is no body.
        pub(super) fn decode_body<T: ::serde::de::DeserializeOwned>(
            bytes: &[u8],
            headers: &::axum::http::HeaderMap,
            rule: &BodyRule<'_>,
            out: &mut ::std::vec::Vec<Violation>,
        ) -> ::std::result::Result<::std::option::Option<T>, ::axum::response::Response> {
            let media = media_type(headers);
            let form = rule.form && media.as_deref() == ::std::option::Option::Some("application/x-www-form-urlencoded");
            if bytes.is_empty() && !form {
                if rule.required {
                    out.push(violation("body", "is required"));
                }
                return ::std::result::Result::Ok(::std::option::Option::None);
            }
            match media.as_deref() {
                ::std::option::Option::Some(m) if rule.json && (m == "application/json" || m.ends_with("+json")) => {
                    ::std::result::Result::Ok(decode_json(bytes, rule.nullable, rule.shape, out))
                }
                ::std::option::Option::Some(_) if form => ::std::result::Result::Ok(decode_form(bytes, out)),
                _ => ::std::result::Result::Err(unsupported_media_type(rule.accepted)),
            }
        }

        /// What axum's path extractor gives a handler.
        pub(super) type PathParams = ::std::result::Result<::axum::extract::RawPathParams, ::axum::extract::rejection::RawPathParamsRejection>;
        /// The parts of a request a handler reads.
        pub(super) type Extracted = (::axum::extract::RawPathParams, ::axum::http::Uri, ::axum::http::HeaderMap, ::axum::body::Bytes);

        /// The path parameters, URI, headers and (when the operation takes a
        /// body) the body, or the answer to a request axum could not read (see
        /// [`path_params`]; a body too large or cut short). The URI and headers
        /// are moved out of the request, not copied as axum's extractors would.
        pub(super) async fn extracted(
            params: PathParams,
            segments: &[(&str, &str)],
            request: ::axum::extract::Request,
            read_body: bool,
        ) -> ::std::result::Result<Extracted, ::axum::response::Response> {
            let params = path_params(params, segments)?;
            let (mut parts, body) = request.into_parts();
            let uri = ::std::mem::take(&mut parts.uri);
            let headers = ::std::mem::take(&mut parts.headers);
            let bytes = if read_body {
                // Through axum's extractor, so the router's body limit (kept in
                // the request's extensions) applies.
                let request = ::axum::extract::Request::from_parts(parts, body);
                <::axum::body::Bytes as ::axum::extract::FromRequest<()>>::from_request(request, &())
                    .await
                    .map_err(|rejection| rejected(rejection.status(), rejection.body_text()))?
            } else {
                ::axum::body::Bytes::new()
            };
            ::std::result::Result::Ok((params, uri, headers, bytes))
        }

        /// A header's values: one, or none (a value that is not text is a violation).
        pub(super) fn header_values<'h>(headers: &'h ::axum::http::HeaderMap, name: &str, out: &mut ::std::vec::Vec<Violation>) -> ::std::option::Option<&'h str> {
            header_text(headers, name, out)
        }

        /// A list header's comma-separated items.
        pub(super) fn header_items<'h>(headers: &'h ::axum::http::HeaderMap, name: &str, out: &mut ::std::vec::Vec<Violation>) -> ::std::vec::Vec<&'h str> {
            header_text(headers, name, out).map(|v| v.split(',').map(str::trim).collect()).unwrap_or_default()
        }

        /// A value parsed by `parse`; a failure is a violation of `field`.
        pub(super) fn parse_one<T>(raw: &str, field: &str, out: &mut ::std::vec::Vec<Violation>, parse: impl ::std::ops::FnOnce(&str) -> ::std::result::Result<T, ::std::string::String>) -> ::std::option::Option<T> {
            match parse(raw) {
                ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                ::std::result::Result::Err(message) => {
                    out.push(violation(field, message));
                    ::std::option::Option::None
                }
            }
        }

        /// The value of a parameter given at most once, parsed.
        pub(super) fn single<'r, T>(raws: impl ::std::iter::IntoIterator<Item = &'r str>, field: &str, out: &mut ::std::vec::Vec<Violation>, parse: impl ::std::ops::FnOnce(&str) -> ::std::result::Result<T, ::std::string::String>) -> ::std::option::Option<T> {
            let mut raws = raws.into_iter();
            let first = raws.next()?;
            if raws.next().is_some() {
                out.push(violation(field, "must be given once"));
            }
            parse_one(first, field, out, parse)
        }

        /// Flags a required input that is absent (unless already flagged as invalid).
        pub(super) fn require(present: bool, field: &str, out: &mut ::std::vec::Vec<Violation>) {
            if !present && !out.iter().any(|v| v.field == field) {
                out.push(violation(field, "is required"));
            }
        }

        // Parsers of parameter values, by type.
        pub(super) fn text(raw: &str) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            ::std::result::Result::Ok(raw.to_string())
        }

        pub(super) fn integer<T: ::std::str::FromStr>(raw: &str) -> ::std::result::Result<T, ::std::string::String> {
            raw.parse::<T>().map_err(|_| "must be an integer".to_string())
        }

        pub(super) fn number<T: ::std::str::FromStr + ::std::convert::Into<f64> + ::std::marker::Copy>(raw: &str) -> ::std::result::Result<T, ::std::string::String> {
            raw.parse::<T>().ok().filter(|n| (*n).into().is_finite()).ok_or_else(|| "must be a number".to_string())
        }

        pub(super) fn boolean(raw: &str) -> ::std::result::Result<bool, ::std::string::String> {
            match raw {
                "true" => ::std::result::Result::Ok(true),
                "false" => ::std::result::Result::Ok(false),
                _ => ::std::result::Result::Err("must be `true` or `false`".to_string()),
            }
        }

        pub(super) fn date_time(raw: &str) -> ::std::result::Result<::chrono::DateTime<::chrono::Utc>, ::std::string::String> {
            ::chrono::DateTime::parse_from_rfc3339(raw).map(|d| d.with_timezone(&::chrono::Utc)).map_err(|_| "must be an RFC 3339 date-time".to_string())
        }

        pub(super) fn date(raw: &str) -> ::std::result::Result<::chrono::NaiveDate, ::std::string::String> {
            raw.parse::<::chrono::NaiveDate>().map_err(|_| "must be a date (YYYY-MM-DD)".to_string())
        }

        pub(super) fn bearer(headers: &::axum::http::HeaderMap) -> ::std::option::Option<BearerToken> {
            let value = headers.get(::axum::http::header::AUTHORIZATION)?.to_str().ok()?;
            let (scheme, token) = value.split_once(' ')?;
            let token = token.trim();
            (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| BearerToken(token.to_string()))
        }

        pub(super) fn basic(headers: &::axum::http::HeaderMap) -> ::std::option::Option<BasicCredentials> {
            use ::base64::Engine as _;
            let value = headers.get(::axum::http::header::AUTHORIZATION)?.to_str().ok()?;
            let (scheme, encoded) = value.split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return ::std::option::Option::None;
            }
            let decoded = ::base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
            let text = ::std::string::String::from_utf8(decoded).ok()?;
            let (username, password) = text.split_once(':')?;
            ::std::option::Option::Some(BasicCredentials { username: username.to_string(), password: password.to_string() })
        }

        pub(super) fn api_key(headers: &::axum::http::HeaderMap, name: &str) -> ::std::option::Option<ApiKey> {
            let value = headers.get(name)?.to_str().ok()?.trim();
            (!value.is_empty()).then(|| ApiKey(value.to_string()))
        }
        }
    };
    let mut chunks = vec![head];
    chunks.extend(inputs);
    chunks.extend(traits);
    chunks.push(router);
    chunks.extend(handlers);
    chunks.extend(into_responses);
    chunks.extend(validators);
    chunks.extend(shapes);
    chunks.extend(patterns);
    chunks.push(tail);
    chunks
}

fn ops(api: &Api) -> impl Iterator<Item = &Operation> {
    api.resources.iter().flat_map(|r| &r.operations)
}

/// `A + B + ...` of every resource trait.
fn trait_bound(api: &Api) -> TokenStream {
    let traits: Vec<_> = api.resources.iter().map(|r| ident(&r.type_name)).collect();
    if traits.is_empty() {
        // What `Router::with_state` needs of a service when no trait applies.
        quote! { ::std::marker::Send + ::std::marker::Sync + 'static }
    } else {
        quote! { #(#traits)+* }
    }
}

struct Ctx<'a> {
    api: &'a Api,
    r: TypeRenderer<'a>,
    /// Pattern -> name of its static.
    patterns: BTreeMap<String, String>,
    /// Types whose `validate_*` function is needed.
    validators: BTreeSet<TypeId>,
    /// Structs whose JSON shape a request body needs checked (`SHAPE_*` statics).
    shapes: BTreeSet<TypeId>,
    schemes: Vec<&'a SecurityScheme>,
}

fn input_type(op: &Operation) -> proc_macro2::Ident {
    ident(&compose(&op.type_name, "Input"))
}

fn handler_name(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("handle_{}", snake_name(&op.type_name)))
}

fn shape_name(api: &Api, id: TypeId) -> proc_macro2::Ident {
    ident(&format!(
        "SHAPE_{}",
        snake_name(&api.types.get(id).rust_name).to_uppercase()
    ))
}

/// Whether JSON `null` is a valid value of this type.
fn allows_null(api: &Api, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> bool {
    e.nullable
        || match &e.ty {
            Ty::Any => true,
            Ty::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(inner) if aliases.insert(*id) => allows_null(api, inner, aliases),
                _ => false,
            },
            _ => false,
        }
}

fn validator_name(api: &Api, id: TypeId) -> proc_macro2::Ident {
    ident(&format!(
        "validate_{}",
        snake_name(&api.types.get(id).rust_name)
    ))
}

/// Input fields: parameters (renamed away from `body`/`credentials`), then body, then credentials.
fn param_fields(op: &Operation) -> Vec<(&Parameter, proc_macro2::Ident)> {
    let mut names = Namespace::new();
    names.reserve(["body", "credentials"]);
    op.parameters
        .iter()
        .map(|p| (p, ident(&names.claim(p.rust_name.clone()))))
        .collect()
}

impl Ctx<'_> {
    fn scheme_variant(&self, s: &SecurityScheme) -> proc_macro2::Ident {
        ident(&crate::naming::type_name(&s.name))
    }

    fn credentials(&self) -> TokenStream {
        let variants = self.schemes.iter().map(|s| {
            let v = self.scheme_variant(s);
            let doc = format!(" The `{}` scheme.", s.name);
            let payload = match s.kind {
                SecurityKind::Bearer { .. } => quote! { BearerToken },
                SecurityKind::Basic => quote! { BasicCredentials },
                _ => quote! { ApiKey },
            };
            quote! { #[doc = #doc] #v(#payload) }
        });
        quote! {
            /// A bearer token from `Authorization: Bearer ...`. `Debug` hides it.
            #[derive(Clone, PartialEq, Eq)]
            pub struct BearerToken(pub ::std::string::String);

            impl ::std::fmt::Debug for BearerToken {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("BearerToken(<redacted>)")
                }
            }

            /// User name and password from `Authorization: Basic ...`. `Debug` hides the password.
            #[derive(Clone, PartialEq, Eq)]
            pub struct BasicCredentials {
                pub username: ::std::string::String,
                pub password: ::std::string::String,
            }

            impl ::std::fmt::Debug for BasicCredentials {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("BasicCredentials").field("username", &self.username).field("password", &"<redacted>").finish()
                }
            }

            /// An API key from its header. `Debug` hides it.
            #[derive(Clone, PartialEq, Eq)]
            pub struct ApiKey(pub ::std::string::String);

            impl ::std::fmt::Debug for ApiKey {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("ApiKey(<redacted>)")
                }
            }

            /// The credentials a request presented, by security scheme.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub enum Credentials {
                #(#variants,)*
                /// The operation requires no credentials.
                None,
            }
        }
    }

    fn input_struct(&mut self, op: &Operation) -> TokenStream {
        let name = input_type(op);
        let doc = format!(
            " Inputs of `{}` (`{} {}`), parsed and validated.",
            op.id,
            op.method.as_str(),
            op.path.raw
        );
        let fields = param_fields(op).into_iter().map(|(p, f)| {
            let t = self.r.ty(&p.schema);
            let t = if p.required {
                t
            } else {
                quote! { ::std::option::Option<#t> }
            };
            let mut paragraphs = vec![p
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", p.name))];
            paragraphs.push(format!(
                "From `{}` `{}`.",
                location_name(p.location),
                p.name
            ));
            if let Some(d) = &p.default {
                paragraphs.push(format!("When absent, the spec's default is `{d}`."));
            }
            let doc = docs::attrs(paragraphs.iter().map(String::as_str));
            quote! { #doc pub #f: #t }
        });
        let body = op.request_body.as_ref().and_then(|b| {
            let t = self.r.body_type(&body_kind(&b.contents))?;
            let doc = docs::attrs([b.description.as_deref().unwrap_or("The request body.")]);
            Some(if b.required {
                quote! { #doc pub body: #t, }
            } else {
                quote! { #doc pub body: ::std::option::Option<#t>, }
            })
        });
        let scopes = &op.accepted_scopes;
        let scopes_doc = if scopes.is_empty() {
            " The scopes of which a caller must hold one (`x-accepted-scopes`; none listed)."
                .to_string()
        } else {
            format!(
                " The scopes of which a caller must hold one: {}.",
                scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #name {
                #(#fields,)*
                #body
                /// The credentials that satisfied the operation's security.
                pub credentials: Credentials,
            }

            impl #name {
                #[doc = #scopes_doc]
                pub const ACCEPTED_SCOPES: &'static [&'static str] = &[#(#scopes),*];

                /// Whether a caller holding `held` scopes may call this operation
                /// (any one accepted scope suffices; no listed scopes: anyone).
                pub fn scopes_allow<S: ::std::convert::AsRef<str>>(held: &[S]) -> bool {
                    Self::ACCEPTED_SCOPES.is_empty() || held.iter().any(|h| Self::ACCEPTED_SCOPES.contains(&h.as_ref()))
                }
            }
        }
    }

    fn resource_trait(&self, res: &crate::ir::Resource) -> TokenStream {
        let name = ident(&res.type_name);
        let line = format!(
            "The `{}` resource. Every method defaults to `501 Not Implemented`.",
            res.tag
        );
        let doc = docs::attrs([line.as_str(), res.description.as_deref().unwrap_or("")]);
        let methods = res.operations.iter().map(|op| {
            let m = ident(&op.rust_name);
            let input = input_type(op);
            let response = ident(&op.response_type);
            let mut paragraphs: Vec<String> = Vec::new();
            if let Some(s) = &op.summary {
                paragraphs.push(s.clone());
            }
            if let Some(d) = &op.description {
                if op.summary.as_deref() != Some(d.as_str()) {
                    paragraphs.push(d.clone());
                }
            }
            paragraphs.push(format!("`{} {}` (operation `{}`).", op.method.as_str(), op.path.raw, op.id));
            let doc = docs::attrs(paragraphs.iter().map(String::as_str));
            let id = &op.id;
            quote! {
                #doc
                fn #m(&self, input: #input) -> impl ::std::future::Future<Output = Outcome<super::types::#response>> + ::std::marker::Send {
                    let _ = input;
                    async move { ::std::result::Result::Err(Problem::not_implemented(#id)) }
                }
            }
        });
        quote! {
            #doc
            pub trait #name: ::std::marker::Send + ::std::marker::Sync + 'static {
                #(#methods)*
            }
        }
    }

    fn router(&self) -> TokenStream {
        let bound = trait_bound(self.api);
        // Routes by axum path: every segment holding a parameter becomes `{sN}`.
        let mut routes: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for op in ops(self.api) {
            let route = route_path(&op.path.raw);
            if !routes.contains_key(&route) {
                order.push(route.clone());
            }
            routes.entry(route).or_default().push(op);
        }
        let registrations = order.iter().map(|route| {
            let mut chain = quote! { ::axum::routing::MethodRouter::new() };
            let mut allow: Vec<&str> = Vec::new();
            for op in &routes[route] {
                let method = ident(&op.method.as_str().to_ascii_lowercase());
                let handler = handler_name(op);
                chain = quote! { #chain.#method(#handler::<S>) };
                allow.push(op.method.as_str());
            }
            let allow = allow.join(", ");
            chain = quote! { #chain.fallback(|| async { method_not_allowed(#allow) }) };
            quote! { .route(#route, #chain) }
        });
        quote! {
            /// Every route of the spec, served by `service`, with a [`DEFAULT_BODY_LIMIT`] body limit.
            pub fn router<S: #bound>(service: ::std::sync::Arc<S>) -> ::axum::Router {
                router_with_limit(service, DEFAULT_BODY_LIMIT)
            }

            /// Like [`router`] with a body limit of `body_limit` bytes (larger bodies get `413`).
            pub fn router_with_limit<S: #bound>(service: ::std::sync::Arc<S>, body_limit: usize) -> ::axum::Router {
                ::axum::Router::new()
                    #(#registrations)*
                    .fallback(|| async { not_found() })
                    .layer(::axum::extract::DefaultBodyLimit::max(body_limit))
                    .with_state(service)
            }
        }
    }

    /// A parameter's parser and the checks of its parsed value (bound to
    /// `value`, a reference).
    fn param_parser(&mut self, p: &Parameter, field: &str) -> (TokenStream, TokenStream) {
        let parser = parse_scalar(self.api, &p.schema.ty, &self.r);
        let checks = self.scalar_checks(&p.schema, field, quote! { value });
        (parser, checks)
    }

    /// Constraint checks on a parsed scalar bound to `value` (by value or reference).
    /// `value` is a reference to the parsed scalar.
    fn scalar_checks(&mut self, e: &TypeExpr, field: &str, value: TokenStream) -> TokenStream {
        let c = &e.constraints;
        match &e.ty {
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let min = opt_usize(c.min_length);
                    let max = opt_usize(c.max_length);
                    quote! { check_length(#value, #field, #min, #max, &mut violations); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    quote! { check_pattern(#value, #field, &#stat, #pat, &mut violations); }
                });
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => range_check(
                c,
                field,
                quote! { *#value as f64 },
                quote! { &mut violations },
            ),
            _ => quote! {},
        }
    }

    fn pattern_static(&mut self, pattern: &str) -> proc_macro2::Ident {
        let n = self.patterns.len();
        let name = self
            .patterns
            .entry(pattern.to_string())
            .or_insert_with(|| format!("PATTERN_{n}"))
            .clone();
        ident(&name)
    }

    fn handler(&mut self, res: &crate::ir::Resource, op: &Operation) -> TokenStream {
        let name = handler_name(op);
        let input = input_type(op);
        let method = ident(&op.rust_name);
        let trait_name = ident(&res.type_name);
        let bound = trait_bound(self.api);
        let segments = url_segments(&op.path.raw);

        // Path parameters.
        let mut path_stmts = Vec::new();
        let mut field_inits = Vec::new();
        // Required inputs: `Option`s until the violation check, then bound.
        let mut required_binds: Vec<proc_macro2::Ident> = Vec::new();
        let fields = param_fields(op);
        for (p, f) in &fields {
            let field = format!("{}.{}", location_name(p.location), p.name);
            match p.location {
                ParameterLocation::Path => {
                    let Some((seg_name, literals, index)) = segments
                        .iter()
                        .find(|s| s.1 == p.name)
                        .map(|s| (s.0.clone(), s.2.clone(), s.3))
                    else {
                        continue;
                    };
                    let (parser, checks) = self.param_parser(p, &field);
                    let checks = checked(f, checks);
                    path_stmts.push(quote! {
                        let ::std::option::Option::Some(raw) = path_value(&params, #seg_name, &[#(#literals),*], #index) else {
                            return not_found();
                        };
                        let #f = parse_one(&raw, #field, &mut violations, #parser);
                        #checks
                    });
                    required_binds.push(f.clone());
                    field_inits.push(quote! { #f });
                }
                ParameterLocation::Query | ParameterLocation::Header => {
                    let name = &p.name;
                    let array = matches!(p.schema.ty, Ty::Array(_));
                    let values = match (p.location, array) {
                        (ParameterLocation::Query, false) => quote! { query_values(&query, #name) },
                        (ParameterLocation::Query, true) => {
                            quote! { query_values(&query, #name).collect::<::std::vec::Vec<_>>() }
                        }
                        (_, true) => quote! { header_items(&headers, #name, &mut violations) },
                        (_, false) => quote! { header_values(&headers, #name, &mut violations) },
                    };
                    let stmt = match &p.schema.ty {
                        Ty::Array(item) => {
                            let item_param = Parameter {
                                schema: (**item).clone(),
                                ..(*p).clone()
                            };
                            let item_field = format!("{field}[]");
                            let (parser, checks) = self.param_parser(&item_param, &item_field);
                            let parse =
                                quote! { parse_one(raw, #item_field, &mut violations, #parser) };
                            let each = if checks.is_empty() {
                                quote! { |raw| { #parse } }
                            } else {
                                quote! { |raw| {
                                    let item = #parse?;
                                    { let value = &item; #checks }
                                    ::std::option::Option::Some(item)
                                } }
                            };
                            let c = &p.schema.constraints;
                            let (min, max, unique) = (
                                opt_usize(c.min_items),
                                opt_usize(c.max_items),
                                c.unique_items,
                            );
                            quote! {
                                let #f = {
                                    let raws = #values;
                                    let items: ::std::vec::Vec<_> = raws.iter().filter_map(#each).collect();
                                    check_items(&items, #field, #min, #max, #unique, &mut violations);
                                    (!raws.is_empty()).then_some(items)
                                };
                            }
                        }
                        _ => {
                            let (parser, checks) = self.param_parser(p, &field);
                            let checks = checked(f, checks);
                            quote! {
                                let #f = single(#values, #field, &mut violations, #parser);
                                #checks
                            }
                        }
                    };
                    path_stmts.push(stmt);
                    if p.required {
                        path_stmts.push(quote! { require(#f.is_some(), #field, &mut violations); });
                        required_binds.push(f.clone());
                    }
                    field_inits.push(quote! { #f });
                }
                ParameterLocation::Cookie => {}
            }
        }

        // Body.
        let mut body_stmts = quote! {};
        if let Some(b) = &op.request_body {
            let kind = body_kind(&b.contents);
            let accepts_json = b.contents.iter().any(|c| is_json(&c.media_type));
            let accepts_form = b.contents.iter().any(|c| is_form(&c.media_type));
            let accepted: Vec<&str> = b.contents.iter().map(|c| c.media_type.as_str()).collect();
            let accepted = accepted.join(" or ");
            let validate = match kind {
                BodyKind::Json(Some(e)) | BodyKind::Form(e) => {
                    self.value_checks(e, "body", quote! { value })
                }
                _ => quote! {},
            };
            let required = b.required;
            if let (BodyKind::Json(_) | BodyKind::Form(_), Some(body_ty)) =
                (kind, self.r.body_type(&kind))
            {
                // The common case, JSON and/or form, is one call.
                let (nullable, shape) = match kind {
                    BodyKind::Json(Some(e)) => (
                        allows_null(self.api, e, &mut BTreeSet::new()),
                        self.shape_ref(e, &mut BTreeSet::new()),
                    ),
                    _ => (true, quote! { &Shape::Any }),
                };
                let validate = (!validate.is_empty()).then(
                    || quote! { if let ::std::option::Option::Some(value) = &body { #validate } },
                );
                body_stmts = quote! {
                    let body: ::std::option::Option<#body_ty> = match decode_body(&bytes, &headers, &BodyRule {
                        json: #accepts_json,
                        form: #accepts_form,
                        accepted: #accepted,
                        required: #required,
                        nullable: #nullable,
                        shape: #shape,
                    }, &mut violations) {
                        ::std::result::Result::Ok(body) => body,
                        ::std::result::Result::Err(response) => return response,
                    };
                    #validate
                };
                if required {
                    required_binds.push(ident("body"));
                }
                field_inits.push(quote! { body });
            }
            let decode = match kind {
                BodyKind::Json(_) | BodyKind::Form(_) => quote! {},
                BodyKind::Text => quote! {
                    match ::std::string::String::from_utf8(bytes.to_vec()) {
                        ::std::result::Result::Ok(text) => ::std::option::Option::Some(text),
                        ::std::result::Result::Err(_) => { violations.push(violation("body", "must be UTF-8 text")); ::std::option::Option::None }
                    }
                },
                BodyKind::Bytes(_) => quote! { ::std::option::Option::Some(bytes.to_vec()) },
                BodyKind::None => quote! { ::std::option::Option::<()>::None },
            };
            let other = matches!(kind, BodyKind::Text | BodyKind::Bytes(_));
            if let (true, Some(body_ty)) = (other, self.r.body_type(&kind)) {
                let empty_is_missing = if accepts_form {
                    quote! { bytes.is_empty() && media_type(&headers).as_deref() != ::std::option::Option::Some("application/x-www-form-urlencoded") }
                } else {
                    quote! { bytes.is_empty() }
                };
                body_stmts = quote! {
                    // An empty form is the empty object; an empty JSON body is no body.
                    let body = if #empty_is_missing {
                        if #required {
                            violations.push(violation("body", "is required"));
                        }
                        ::std::option::Option::None
                    } else {
                        let decoded: ::std::option::Option<#body_ty> = #decode;
                        if let ::std::option::Option::Some(value) = &decoded {
                            #validate
                        }
                        decoded
                    };
                };
                if required {
                    required_binds.push(ident("body"));
                }
                field_inits.push(quote! { body });
            }
        }

        // Credentials: the first alternative fully present.
        let alternatives: Vec<_> = op
            .security
            .iter()
            .filter(|a| !a.schemes.is_empty())
            .collect();
        let credentials = if alternatives.is_empty() {
            quote! { let credentials = Credentials::None; }
        } else {
            let tries = alternatives.iter().filter_map(|alt| {
                // Use the first scheme of an alternative as the presented credential.
                let (name, _) = alt.schemes.first()?;
                let s = self.schemes.iter().find(|s| &s.name == name)?;
                let v = self.scheme_variant(s);
                let extract = match &s.kind {
                    SecurityKind::Bearer { .. } => quote! { bearer(&headers) },
                    SecurityKind::Basic => quote! { basic(&headers) },
                    SecurityKind::ApiKeyHeader { header } => quote! { api_key(&headers, #header) },
                    SecurityKind::ApiKeyQuery { parameter } => quote! { query_values(&query, #parameter).next().filter(|v| !v.is_empty()).map(|v| ApiKey(v.to_string())) },
                    SecurityKind::Other { .. } => return None,
                };
                Some(quote! { .or_else(|| #extract.map(Credentials::#v)) })
            });
            let names: Vec<String> = alternatives
                .iter()
                .flat_map(|a| a.schemes.iter().map(|(n, _)| n.clone()))
                .collect();
            let message = format!("this operation needs credentials ({})", names.join(" or "));
            quote! {
                let ::std::option::Option::Some(credentials) = ::std::option::Option::None #(#tries)* else {
                    return unauthorized(#message);
                };
            }
        };

        let needs_query = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Query)
            || op.security.iter().flat_map(|a| &a.schemes).any(|(n, _)| {
                self.schemes
                    .iter()
                    .any(|s| &s.name == n && matches!(s.kind, SecurityKind::ApiKeyQuery { .. }))
            });
        let query = needs_query.then(|| quote! { let query = query_pairs(&uri); });
        let body_used = op
            .request_body
            .as_ref()
            .is_some_and(|b| !matches!(body_kind(&b.contents), BodyKind::None));
        let bytes_arg = if body_used {
            quote! { bytes }
        } else {
            quote! { _bytes }
        };
        let params_arg = if fields
            .iter()
            .any(|(p, _)| p.location == ParameterLocation::Path)
        {
            quote! { params }
        } else {
            quote! { _params }
        };
        // One (marker, field) pair per URL segment holding parameters, named by
        // its first parameter; a path without parameters cannot hold invalid UTF-8.
        let mut seen = BTreeSet::new();
        let first_per_segment: Vec<_> = segments.iter().filter(|s| seen.insert(&s.0)).collect();
        let markers = first_per_segment.iter().map(|(seg, ..)| format!("`{seg}`"));
        let segment_fields = first_per_segment
            .iter()
            .map(|(_, name, ..)| format!("path.{name}"));
        let uri_arg = if needs_query {
            quote! { uri }
        } else {
            quote! { _uri }
        };
        quote! {
            #[allow(unused_mut, unused_variables, clippy::let_unit_value)]
            async fn #name<S: #bound>(
                ::axum::extract::State(service): ::axum::extract::State<::std::sync::Arc<S>>,
                params: PathParams,
                request: ::axum::extract::Request,
            ) -> ::axum::response::Response {
                // Rejections of axum's own extractors become JSON problems too.
                let (#params_arg, #uri_arg, headers, #bytes_arg) = match extracted(params, &[#((#markers, #segment_fields)),*], request, #body_used).await {
                    ::std::result::Result::Ok(extracted) => extracted,
                    ::std::result::Result::Err(response) => return response,
                };
                let mut violations: ::std::vec::Vec<Violation> = ::std::vec::Vec::new();
                #query
                #(#path_stmts)*
                #body_stmts
                #credentials
                if !violations.is_empty() {
                    return invalid(violations);
                }
                #(
                    let ::std::option::Option::Some(#required_binds) = #required_binds else {
                        return missing(stringify!(#required_binds));
                    };
                )*
                let input = #input { #(#field_inits,)* credentials };
                respond(<S as #trait_name>::#method(&service, input).await)
            }
        }
    }

    /// Checks of a decoded value bound to `value` (a reference) at `field`.
    fn value_checks(&mut self, e: &TypeExpr, field: &str, value: TokenStream) -> TokenStream {
        let inner = match &e.ty {
            Ty::Named(id) => {
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    return quote! {};
                }
                self.validators.insert(*id);
                let f = validator_name(self.api, *id);
                quote! { #f(v, #field, &mut violations); }
            }
            Ty::String(_) | Ty::Integer(_) | Ty::Number(_) => {
                let checks = self.scalar_checks(
                    &TypeExpr {
                        nullable: false,
                        ..e.clone()
                    },
                    field,
                    quote! { v },
                );
                if checks.is_empty() {
                    return quote! {};
                }
                quote! { #checks }
            }
            Ty::Array(item) => {
                let c = &e.constraints;
                let (min, max, unique) = (
                    opt_usize(c.min_items),
                    opt_usize(c.max_items),
                    c.unique_items,
                );
                let item_field = format!("{field}[]");
                let item_checks = self.value_checks(item, &item_field, quote! { item });
                let each = (!item_checks.is_empty())
                    .then(|| quote! { for item in v.iter() { #item_checks } });
                quote! {
                    check_items(v, #field, #min, #max, #unique, &mut violations);
                    #each
                }
            }
            Ty::Map(item) => {
                let item_checks = self.value_checks(item, &format!("{field}.*"), quote! { item });
                if item_checks.is_empty() {
                    return quote! {};
                }
                quote! { for item in v.values() { #item_checks } }
            }
            _ => return quote! {},
        };
        let nullable = e.nullable && !matches!(e.ty, Ty::Any);
        if nullable {
            quote! { if let ::std::option::Option::Some(v) = (#value).as_ref() { #inner } }
        } else {
            quote! { { let v = &#value; #inner } }
        }
    }

    fn validator(&mut self, id: TypeId) -> TokenStream {
        let name = validator_name(self.api, id);
        let def = self.api.types.get(id);
        let ty = self.r.base_ty(&Ty::Named(id));
        let body = match &def.kind {
            TypeKind::Struct(s) => {
                let mut stmts = Vec::new();
                for f in &s.fields {
                    let fname = ident(&f.rust_name);
                    let spec = &f.spec_name;
                    let checks = self.value_checks_dyn(&f.schema, quote! { item });
                    if checks.is_empty() {
                        continue;
                    }
                    if f.required {
                        stmts.push(quote! { { let field = format!("{at}.{}", #spec); let item = &value.#fname; #checks } });
                    } else {
                        stmts.push(quote! {
                            if let ::std::option::Option::Some(item) = &value.#fname {
                                let field = format!("{at}.{}", #spec);
                                #checks
                            }
                        });
                    }
                }
                quote! { #(#stmts)* }
            }
            TypeKind::OneOf(o) => {
                let arms = o.variants.iter().map(|v| {
                    let vname = ident(&v.rust_name);
                    let checks = self.value_checks_dyn(&v.schema, quote! { item });
                    quote! { #ty::#vname(item) => { let field = at.to_string(); #checks } }
                });
                quote! {
                    #[allow(unreachable_patterns)]
                    match value { #(#arms)* }
                }
            }
            TypeKind::Alias(e) => {
                let checks = self.value_checks_dyn(e, quote! { item });
                quote! { let item = value; let field = at.to_string(); #checks }
            }
            TypeKind::Enum(_) => quote! {},
        };
        quote! {
            #[allow(unused_variables, clippy::needless_borrow, clippy::single_match)]
            fn #name(value: &#ty, at: &str, violations: &mut ::std::vec::Vec<Violation>) {
                #body
            }
        }
    }

    /// Like `value_checks`, but the field name is the runtime `field: String`.
    fn value_checks_dyn(&mut self, e: &TypeExpr, value: TokenStream) -> TokenStream {
        let c = &e.constraints;
        let inner = match &e.ty {
            Ty::Named(id) => {
                if !needs_validation(self.api, *id, &mut BTreeSet::new()) {
                    return quote! {};
                }
                self.validators.insert(*id);
                let f = validator_name(self.api, *id);
                quote! { #f(v, &field, violations); }
            }
            Ty::String(_) => {
                let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    quote! { check_length(v, &field, #min, #max, violations); }
                });
                let pattern = c.pattern.as_ref().map(|pat| {
                    let stat = self.pattern_static(pat);
                    quote! { check_pattern(v, &field, &#stat, #pat, violations); }
                });
                if length.is_none() && pattern.is_none() {
                    return quote! {};
                }
                quote! { #length #pattern }
            }
            Ty::Integer(_) | Ty::Number(_) => {
                if c.minimum.is_none() && c.maximum.is_none() {
                    return quote! {};
                }
                let check = range_check_dyn(c);
                quote! { #check }
            }
            Ty::Array(item) => {
                let (min, max, unique) = (
                    opt_usize(c.min_items),
                    opt_usize(c.max_items),
                    c.unique_items,
                );
                let item_checks = self.value_checks_dyn(item, quote! { element });
                let has_limits = c.min_items.is_some() || c.max_items.is_some() || unique;
                if item_checks.is_empty() && !has_limits {
                    return quote! {};
                }
                let each = (!item_checks.is_empty()).then(|| {
                    quote! {
                        for (i, element) in v.iter().enumerate() {
                            let field = format!("{field}[{i}]");
                            #item_checks
                        }
                    }
                });
                quote! {
                    check_items(v, &field, #min, #max, #unique, violations);
                    #each
                }
            }
            Ty::Map(item) => {
                let item_checks = self.value_checks_dyn(item, quote! { element });
                if item_checks.is_empty() {
                    return quote! {};
                }
                quote! {
                    for (key, element) in v.iter() {
                        let field = format!("{field}.{key}");
                        #item_checks
                    }
                }
            }
            _ => return quote! {},
        };
        if e.nullable && !matches!(e.ty, Ty::Any) {
            quote! { if let ::std::option::Option::Some(v) = (#value).as_ref() { #inner } }
        } else {
            quote! { { let v = #value; #inner } }
        }
    }

    /// `nullable, &shape` for a JSON value of this type.
    fn slot(&mut self, e: &TypeExpr) -> TokenStream {
        let nullable = allows_null(self.api, e, &mut BTreeSet::new());
        let shape = self.shape_ref(e, &mut BTreeSet::new());
        quote! { #nullable, #shape }
    }

    /// A `&'static Shape` expression for a JSON value of this type.
    fn shape_ref(&mut self, e: &TypeExpr, aliases: &mut BTreeSet<TypeId>) -> TokenStream {
        match &e.ty {
            Ty::Named(id) => match &self.api.types.get(*id).kind {
                TypeKind::Struct(_) => {
                    self.shapes.insert(*id);
                    let name = shape_name(self.api, *id);
                    quote! { &#name }
                }
                TypeKind::Alias(inner) if aliases.insert(*id) => self.shape_ref(inner, aliases),
                _ => quote! { &Shape::Any },
            },
            Ty::Array(item) => {
                let slot = self.slot(item);
                quote! { &Shape::Array(#slot) }
            }
            Ty::Map(item) => {
                let slot = self.slot(item);
                quote! { &Shape::Map(#slot) }
            }
            _ => quote! { &Shape::Any },
        }
    }

    fn shape_static(&mut self, id: TypeId) -> TokenStream {
        let name = shape_name(self.api, id);
        let properties: Vec<TokenStream> = match &self.api.types.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| {
                    let spec = &f.spec_name;
                    let slot = self.slot(&f.schema);
                    quote! { (#spec, #slot) }
                })
                .collect(),
            _ => Vec::new(),
        };
        quote! {
            static #name: Shape = Shape::Object(&[#(#properties),*]);
        }
    }

    fn response_impl(&self, op: &Operation) -> TokenStream {
        let name = ident(&op.response_type);
        let arms = variants(op).into_iter().map(|v| {
            let vname = ident(&v.name);
            let payload = match v.body {
                BodyKind::None => quote! { () },
                BodyKind::Json(_) | BodyKind::Form(_) => quote! { ::axum::Json(body) },
                BodyKind::Text => quote! {
                    ([(::axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
                },
                BodyKind::Bytes(media) => quote! {
                    ([(::axum::http::header::CONTENT_TYPE, #media)], body)
                },
            };
            let body = match v.response.status {
                StatusCode::Code(401) => quote! { reply_unauthorized(#payload) },
                StatusCode::Code(c) => quote! { reply(#c, #payload) },
                _ => quote! { reply(status, #payload) },
            };
            if v.response.headers_type.is_some() {
                let sets = v.response.headers.iter().map(|h| {
                    let f = ident(&h.rust_name);
                    let name = &h.name;
                    let text = match header_repr(self.api, h) {
                        HeaderRepr::Text => quote! { value.clone() },
                        HeaderRepr::Parsed => quote! { value.to_string() },
                        HeaderRepr::DateTime => quote! { value.to_rfc3339() },
                    };
                    quote! {
                        if let ::std::option::Option::Some(value) = &headers.#f {
                            set_header(&mut response, #name, #text);
                        }
                    }
                });
                let status = carries_status(v.response.status).then(|| quote! { status, });
                let body_field = (!matches!(v.body, BodyKind::None)).then(|| quote! { body, });
                return quote! {
                    Self::#vname { #status #body_field headers } => {
                        let mut response = #body;
                        #(#sets)*
                        response
                    }
                };
            }
            match (
                carries_status(v.response.status),
                matches!(v.body, BodyKind::None),
            ) {
                (false, true) => quote! { Self::#vname => #body },
                (false, false) => quote! { Self::#vname(body) => #body },
                (true, true) => quote! { Self::#vname { status } => #body },
                (true, false) => quote! { Self::#vname { status, body } => #body },
            }
        });
        let empty = variants(op).is_empty();
        let matcher = if empty {
            quote! { match self {} }
        } else {
            quote! { match self { #(#arms,)* } }
        };
        quote! {
            impl ::axum::response::IntoResponse for super::types::#name {
                fn into_response(self) -> ::axum::response::Response {
                    #matcher
                }
            }
        }
    }
}

/// Checks of an optional parsed value, bound as `value` when present.
fn checked(f: &proc_macro2::Ident, checks: TokenStream) -> TokenStream {
    if checks.is_empty() {
        return checks;
    }
    quote! { if let ::std::option::Option::Some(value) = &#f { #checks } }
}

/// `Bearer, Basic, ApiKey header="API-Key"`: every scheme a client may
/// answer a `401` with. API keys have no registered scheme; the name says
/// where the key goes.
fn challenge(schemes: &[&SecurityScheme]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in schemes {
        let part = match &s.kind {
            SecurityKind::Bearer { .. } => "Bearer".to_string(),
            SecurityKind::Basic => "Basic".to_string(),
            SecurityKind::ApiKeyHeader { header } => {
                format!("ApiKey header=\"{}\"", quotable(header))
            }
            SecurityKind::ApiKeyQuery { parameter } => {
                format!("ApiKey query=\"{}\"", quotable(parameter))
            }
            SecurityKind::Other { .. } => continue,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        // Nothing to name: still a valid challenge.
        parts.push("Bearer".to_string());
    }
    parts.join(", ")
}

/// What of a spec's name may sit in a quoted header parameter (the value
/// becomes a `HeaderValue::from_static`, which must not panic).
fn quotable(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect()
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    }
}

fn bound(v: Option<f64>, exclusive: bool) -> TokenStream {
    match v {
        Some(n) => quote! { ::std::option::Option::Some((#n, #exclusive)) },
        None => quote! { ::std::option::Option::None },
    }
}

fn range_check(c: &Constraints, field: &str, value: TokenStream, out: TokenStream) -> TokenStream {
    if c.minimum.is_none() && c.maximum.is_none() {
        return quote! {};
    }
    let (min, max) = (
        bound(c.minimum, c.exclusive_minimum),
        bound(c.maximum, c.exclusive_maximum),
    );
    quote! { check_range(#value, #field, #min, #max, #out); }
}

fn range_check_dyn(c: &Constraints) -> TokenStream {
    let (min, max) = (
        bound(c.minimum, c.exclusive_minimum),
        bound(c.maximum, c.exclusive_maximum),
    );
    quote! { check_range(*v as f64, &field, #min, #max, violations); }
}

/// Whether a named type (or anything it holds) carries a constraint the
/// server must check beyond what serde enforces.
fn needs_validation(api: &Api, id: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
    if !seen.insert(id) {
        return false;
    }
    let expr_needs =
        |e: &TypeExpr, seen: &mut BTreeSet<TypeId>| -> bool { expr_needs_validation(api, e, seen) };
    match &api.types.get(id).kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| expr_needs(&f.schema, seen))
                || s.additional.as_ref().is_some_and(|a| expr_needs(a, seen))
        }
        TypeKind::OneOf(o) => o.variants.iter().any(|v| expr_needs(&v.schema, seen)),
        TypeKind::Alias(e) => expr_needs(e, seen),
        TypeKind::Enum(_) => false,
    }
}

fn expr_needs_validation(api: &Api, e: &TypeExpr, seen: &mut BTreeSet<TypeId>) -> bool {
    let c = &e.constraints;
    let own = c.pattern.is_some()
        || c.min_length.is_some()
        || c.max_length.is_some()
        || c.minimum.is_some()
        || c.maximum.is_some()
        || c.min_items.is_some()
        || c.max_items.is_some()
        || c.unique_items;
    own || match &e.ty {
        Ty::Named(id) => needs_validation(api, *id, seen),
        Ty::Array(i) | Ty::Map(i) => expr_needs_validation(api, i, seen),
        _ => false,
    }
}

fn location_name(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// For each path parameter: (axum name `sN` of its URL segment, parameter,
/// the segment's literals around its parameters, the parameter's index
/// among them). `v{version}` is `["v", ""]`, `{base}...{head}` is
/// `["", "...", ""]`.
fn url_segments(path: &str) -> Vec<(String, String, Vec<String>, usize)> {
    let mut out = Vec::new();
    for (i, seg) in path.split('/').enumerate() {
        let mut literals = vec![String::new()];
        let mut names = Vec::new();
        let mut rest = seg;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                break;
            };
            if let Some(l) = literals.last_mut() {
                l.push_str(&rest[..open]);
            }
            names.push(rest[open + 1..close].to_string());
            literals.push(String::new());
            rest = &rest[close + 1..];
        }
        if names.is_empty() {
            continue;
        }
        if let Some(l) = literals.last_mut() {
            l.push_str(rest);
        }
        for (index, name) in names.into_iter().enumerate() {
            out.push((format!("s{i}"), name, literals.clone(), index));
        }
    }
    out
}

/// The axum route for a spec path: parameter segments become `{sN}`.
fn route_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(i, seg)| {
            if seg.contains('{') {
                format!("{{s{i}}}")
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `raw: &str` -> `Result<T, String>` for a parameter's type.
fn parse_scalar(api: &Api, ty: &Ty, r: &TypeRenderer<'_>) -> TokenStream {
    // A function from `&str` to `Result<T, String>`: a support parser, or a
    // closure. Closures get a block body: prettyplease adds one when it breaks
    // the line, and the macro's expansion must format as the CLI's file does.
    match ty {
        Ty::String(StringFormat::DateTime) => quote! { date_time },
        Ty::String(StringFormat::Date) => quote! { date },
        Ty::String(_) => quote! { text },
        Ty::Integer(f) => {
            let t = r.base_ty(&Ty::Integer(*f));
            quote! { integer::<#t> }
        }
        Ty::Number(f) => {
            let t = r.base_ty(&Ty::Number(*f));
            quote! { number::<#t> }
        }
        Ty::Boolean => quote! { boolean },
        Ty::Named(id) => {
            let t = r.base_ty(ty);
            match &api.types.get(*id).kind {
                TypeKind::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().map(|v| v.value.clone()).collect();
                    let message = format!("must be one of: {}", values.join(", "));
                    quote! { |raw: &str| { raw.parse::<#t>().map_err(|_| #message.to_string()) } }
                }
                _ => quote! {
                    |raw: &str| { ::serde_json::from_value::<#t>(::serde_json::Value::String(raw.to_string())).map_err(|e| e.to_string()) }
                },
            }
        }
        _ => {
            let t = r.base_ty(ty);
            quote! { |raw: &str| { ::serde_json::from_str::<#t>(raw).map_err(|_| "must be JSON".to_string()) } }
        }
    }
}
