//! Turning outcomes into responses, and the handlers' shared first step
//! ([`extract`]).

use axum::extract::{RawPathParams, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::{headers, path, violation, Outcome, Problem, Violation};

/// A problem as a response.
pub fn problem(problem: Problem) -> Response {
    problem.into_response()
}

/// `415` naming the accepted media types.
pub fn unsupported_media_type(accepted: &str) -> Response {
    problem(Problem::new(
        415,
        "unsupported_media_type",
        format!("send the body as {accepted}"),
    ))
}

/// The answer to a request axum's extractors rejected (a body too large,
/// cut short, a bad path), as a problem.
pub fn rejected(status: StatusCode, message: String) -> Response {
    problem(Problem::rejected(status, message))
}

/// `405` with the route's `Allow` header.
pub fn method_not_allowed(allow: &str) -> Response {
    let mut response = problem(Problem::new(
        405,
        "method_not_allowed",
        format!("allowed methods: {allow}"),
    ));
    if let Ok(value) = HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// `404` for a path no route matches.
pub fn not_found() -> Response {
    problem(Problem::new(404, "not_found", "no such route"))
}

/// `401` for a request without the credentials an operation needs.
pub fn unauthorized(message: &str) -> Response {
    problem(Problem::unauthorized(message))
}

/// `400` with these violations.
pub fn invalid(violations: Vec<Violation>) -> Response {
    problem(Problem::invalid(violations))
}

/// `400` naming one missing input.
pub fn missing(field: &str) -> Response {
    invalid(vec![violation(field, "is required")])
}

/// A status and body as a response; a status HTTP cannot carry is a `500`.
pub fn reply(status: u16, body: impl IntoResponse) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, body).into_response()
}

/// A status without a body.
pub fn empty(status: u16) -> Response {
    reply(status, ())
}

/// A status and a JSON body.
pub fn json<T: serde::Serialize>(status: u16, body: T) -> Response {
    reply(status, axum::Json(body))
}

/// A status and a JSON body sent as this (JSON) media type.
pub fn json_as<T: serde::Serialize>(status: u16, media_type: &'static str, body: T) -> Response {
    typed(status, media_type, axum::Json(body))
}

/// A status and a body of this media type.
pub fn typed(status: u16, media_type: &'static str, body: impl IntoResponse) -> Response {
    reply(status, ([(header::CONTENT_TYPE, media_type)], body))
}

/// A status and a multipart body (`multipart/mixed`...) the handler
/// wrote, parts and delimiters. Multipart media types require a
/// `boundary` parameter; where the documented type has none, the one the
/// body's first delimiter line (`--boundary`) names is added.
///
/// ```
/// use codegen_runtime::server::reply::multipart;
/// let body = b"--b1\r\n\r\none\r\n--b1--\r\n".to_vec();
/// let response = multipart(200, "multipart/mixed", body);
/// assert_eq!(response.headers()["content-type"], "multipart/mixed; boundary=b1");
/// ```
pub fn multipart(status: u16, media_type: &'static str, body: Vec<u8>) -> Response {
    let named = media_type.to_ascii_lowercase().contains("boundary=");
    match first_boundary(&body).filter(|_| !named) {
        Some(boundary) => {
            let media_type = format!("{media_type}; boundary={boundary}");
            reply(status, ([(header::CONTENT_TYPE, media_type)], body))
        }
        None => typed(status, media_type, body),
    }
}

/// The boundary the body's first line names (`--boundary`), quoted where
/// it holds characters a bare parameter value cannot (RFC 2046 allows
/// `'()+_,-./:=?` and inner spaces); `None` when the body does not open
/// with a delimiter.
fn first_boundary(body: &[u8]) -> Option<String> {
    let rest = body.strip_prefix(b"--")?;
    let end = rest.iter().position(|b| *b == b'\r' || *b == b'\n')?;
    let boundary = std::str::from_utf8(&rest[..end]).ok()?.trim_end();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
    if boundary.is_empty() || boundary.len() > 70 || !boundary.chars().all(allowed) {
        return None;
    }
    let token = boundary
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "'+_-.".contains(c));
    Some(if token {
        boundary.to_string()
    } else {
        format!("\"{boundary}\"")
    })
}

/// A status and a streamed body of this media type, sent as the stream
/// produces it. An event stream is also marked `Cache-Control: no-cache`
/// (proxies must not hold it back).
pub fn stream(status: u16, media_type: &'static str, body: crate::ByteStream) -> Response {
    let body = axum::body::Body::from_stream(body);
    if media_type.eq_ignore_ascii_case("text/event-stream") {
        reply(
            status,
            (
                [
                    (header::CONTENT_TYPE, media_type),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                body,
            ),
        )
    } else {
        typed(status, media_type, body)
    }
}

/// The answer of a trait method the implementation does not provide: a
/// `501` [`Problem::not_implemented`] (the input is dropped).
pub fn not_implemented<I, T: Send>(
    operation: &'static str,
    input: I,
) -> impl std::future::Future<Output = Outcome<T>> + Send {
    drop(input);
    std::future::ready(Err(Problem::not_implemented(operation)))
}

/// What a trait method returned, as a response.
pub fn respond<R: IntoResponse>(outcome: Outcome<R>) -> Response {
    match outcome {
        Ok(response) => response.into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// Sets a documented response header; a name or value HTTP cannot carry is left out.
pub fn set_header(response: &mut Response, name: &str, value: String) {
    if let (Ok(name), Ok(value)) = (
        header::HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&value),
    ) {
        response.headers_mut().insert(name, value);
    }
}

/// Adds `WWW-Authenticate: challenge` to every `401` that has none (RFC
/// 9110: every `401` carries one): the generated router's outermost layer.
pub fn with_challenge(router: axum::Router, challenge: &'static str) -> axum::Router {
    let value = HeaderValue::from_str(challenge).unwrap_or(HeaderValue::from_static("Bearer"));
    router.layer(axum::middleware::map_response(
        move |mut response: Response| {
            let value = value.clone();
            async move {
                if response.status() == StatusCode::UNAUTHORIZED {
                    response
                        .headers_mut()
                        .entry(header::WWW_AUTHENTICATE)
                        .or_insert(value);
                }
                response
            }
        },
    ))
}

/// What a generated handler answers: `Err` is an early answer (a `400`,
/// `401`, `404`...), so every step can end the handler with `?`.
pub type Answer = Result<Response, Response>;

/// The request as a generated handler takes it: axum's path parameters (or
/// why they could not be read) and the request itself, read by
/// [`Raw::read_with_body`] or [`Raw::read_without_body`] once the handler knows what it needs.
pub struct Raw {
    params: path::Params,
    request: Request,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Raw {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let params = <RawPathParams as axum::extract::FromRequestParts<S>>::from_request_parts(
            &mut parts, state,
        )
        .await;
        Ok(Raw {
            params,
            request: Request::from_parts(parts, body),
        })
    }
}

impl Raw {
    /// Whether the path fits a template's segments: each `(capture,
    /// literals)` names a URL segment axum captured and the literals
    /// around its parameters there (see [`path::split_segment`]). The
    /// router asks it of templates that share an axum route
    /// (`/pulls/{index}.{diffType}` and `/pulls/{index}`), most literal first.
    pub fn fits(&self, segments: &[(&str, &[&str])]) -> bool {
        let Ok(params) = &self.params else {
            return false;
        };
        segments.iter().all(|(capture, literals)| {
            let last = literals.len().saturating_sub(2);
            params
                .iter()
                .find(|(k, _)| k == capture)
                .is_some_and(|(_, raw)| path::split_segment(raw, literals, last).is_some())
        })
    }

    /// Whether header `name` holds exactly `value`: the router asks it of
    /// operations that share a path and are told apart by a header of one
    /// value (AWS's `X-Amz-Target`).
    pub fn header_is(&self, name: &str, value: &str) -> bool {
        self.request
            .headers()
            .get(name)
            .is_some_and(|v| v.as_bytes() == value.as_bytes())
    }

    /// Whether the query holds the pair `name=value`: the router asks it
    /// of operations that share a path and are told apart by a constant
    /// of their template's query part (flickr's `/rest?method=...`).
    pub fn query_is(&self, name: &str, value: &str) -> bool {
        super::query::pairs(self.request.uri().query())
            .iter()
            .any(|(k, v)| k == name && v == value)
    }

    /// Whether the query has every key of `keys`: the router asks it of
    /// operations that share a path and are told apart by the keys of
    /// their template's query part (`/airquality?lat={lat}&lon={lon}`).
    pub fn query_has(&self, keys: &[&str]) -> bool {
        let pairs = super::query::pairs(self.request.uri().query());
        keys.iter().all(|key| pairs.iter().any(|(k, _)| k == key))
    }

    /// The path parameters, URI and headers, and the body read whole (up
    /// to the operation's limit); see [`extract`].
    pub async fn read_with_body(self, segments: &[(&str, &str)]) -> Result<Extracted, Response> {
        extract(self.params, segments, self.request, true).await
    }

    /// The path parameters, URI and headers of an operation that takes no
    /// body (what was sent is not read; the bytes are empty).
    pub async fn read_without_body(self, segments: &[(&str, &str)]) -> Result<Extracted, Response> {
        extract(self.params, segments, self.request, false).await
    }
}

impl Raw {
    /// Like [`Raw::read_with_body`], but the body is left to stream: the operation
    /// reads it as it arrives, up to [`Limits::streamed_body`]
    /// (`super::Limits`) bytes.
    pub fn open(self, segments: &[(&str, &str)]) -> Result<Opened, Response> {
        let params = path::params(self.params, segments)?;
        let (mut parts, body) = self.request.into_parts();
        let uri = std::mem::take(&mut parts.uri);
        let headers = std::mem::take(&mut parts.headers);
        let limit = parts
            .extensions
            .get::<super::limits::StreamLimit>()
            .map_or(super::limits::DEFAULT_STREAMED_BODY, |l| l.0);
        if let Some(length) = headers::content_length(&headers) {
            if length > limit {
                return Err(rejected(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than {limit} bytes"),
                ));
            }
        }
        let body = crate::ByteStream::new(body.into_data_stream()).limit(limit);
        Ok((params, uri, headers, body))
    }
}

/// The parts of a request whose body streams.
pub type Opened = (RawPathParams, Uri, HeaderMap, crate::ByteStream);

/// What a trait method returned, as a handler's answer.
pub fn answer<R: IntoResponse>(outcome: Outcome<R>) -> Answer {
    Ok(respond(outcome))
}

/// The parts of a request a handler reads.
pub type Extracted = (RawPathParams, Uri, HeaderMap, axum::body::Bytes);

/// The path parameters, URI, headers and (when the operation takes a body)
/// the body, or the answer to a request axum could not read (see
/// [`path::params`]; a body too large or cut short). The URI and headers
/// are moved out of the request, not copied as axum's extractors would.
pub async fn extract(
    params: path::Params,
    segments: &[(&str, &str)],
    request: Request,
    read_body: bool,
) -> Result<Extracted, Response> {
    let params = path::params(params, segments)?;
    let (mut parts, body) = request.into_parts();
    let uri = std::mem::take(&mut parts.uri);
    let headers = std::mem::take(&mut parts.headers);
    let bytes = if read_body {
        // Through axum's extractor, so the router's body limit (kept in the
        // request's extensions) applies.
        let request = Request::from_parts(parts, body);
        <axum::body::Bytes as axum::extract::FromRequest<()>>::from_request(request, &())
            .await
            .map_err(|rejection| {
                if super::limits::is_body_timeout(&rejection) {
                    problem(Problem::new(
                        408,
                        "timeout",
                        "the request body was not sent in time",
                    ))
                } else {
                    rejected(rejection.status(), rejection.body_text())
                }
            })?
    } else {
        axum::body::Bytes::new()
    };
    Ok((params, uri, headers, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_401_gets_the_challenge() {
        let router = axum::Router::new()
            .route("/a", axum::routing::get(|| async { unauthorized("no") }))
            .route("/b", axum::routing::get(|| async { "ok" }));
        let router = with_challenge(router, "Basic, Bearer");
        let app = tower_service(router);
        let a = app(Request::get("/a").body(axum::body::Body::empty()).unwrap()).await;
        assert_eq!(a.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(a.headers()[header::WWW_AUTHENTICATE], "Basic, Bearer");
        let b = app(Request::get("/b").body(axum::body::Body::empty()).unwrap()).await;
        assert!(b.headers().get(header::WWW_AUTHENTICATE).is_none());
    }

    fn tower_service(
        router: axum::Router,
    ) -> impl Fn(Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response>>> {
        move |request| {
            let router = router.clone();
            Box::pin(async move {
                use tower::ServiceExt as _;
                match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            })
        }
    }

    #[test]
    fn bad_statuses_and_headers_do_not_panic() {
        assert_eq!(reply(99, ()).status(), StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = reply(200, ());
        set_header(&mut response, "bad name", "v".into());
        set_header(&mut response, "x-ok", "line\nbreak".into());
        assert!(response.headers().is_empty());
        assert_eq!(
            method_not_allowed("GET, POST").headers()[header::ALLOW],
            "GET, POST"
        );
    }
}
