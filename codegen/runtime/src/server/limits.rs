//! How much a generated server accepts and for how long: [`Limits`], the
//! builder the generated `router_with` and [`serve`](super::serve) read.
//!
//! Request-level limits are tower and tower-http layers ([`Limits::apply`]);
//! connection-level ones are hyper's settings, applied by
//! [`serve`](super::serve).

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::BoxError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use super::Problem;

/// The limits of a generated server. Every one has a default chosen to
/// keep a server answering under load and hostile clients; change them with
/// the chained setters:
///
/// ```
/// use std::time::Duration;
/// use codegen_runtime::server::Limits;
///
/// let limits = Limits::default()
///     .body(8 * 1024 * 1024)
///     .handler_timeout(Duration::from_secs(5))
///     .concurrency(64);
/// assert_eq!(limits.body_limit(), 8 * 1024 * 1024);
/// ```
///
/// | limit | default | when exceeded |
/// |---|---|---|
/// | [`body`](Limits::body) | 1 MiB, or less where the spec bounds an operation's body | `413` |
/// | [`streamed_body`](Limits::streamed_body) | 1 GiB for a body that streams (binary, JSON sequences) | `413`, or the stream fails where it crosses the limit |
/// | [`max_headers`](Limits::max_headers) | 100 | `431`, connection closed |
/// | [`header_bytes`](Limits::header_bytes) | 64 KiB (request line and headers) | `431` or `414`, connection closed |
/// | [`header_read_timeout`](Limits::header_read_timeout) | 10 s to send the request line and headers (also the idle time of a kept-alive connection) | connection closed |
/// | [`body_read_timeout`](Limits::body_read_timeout) | 15 s to send the body | `408` |
/// | [`handler_timeout`](Limits::handler_timeout) | 30 s from the request's headers to the answer | `503` `timeout` |
/// | [`concurrency`](Limits::concurrency) | 1,024 requests in handlers at once | `503` `overloaded` with `Retry-After` |
/// | [`max_connections`](Limits::max_connections) | 10,000 open connections | new connections wait in the listen backlog |
/// | [`shutdown_grace`](Limits::shutdown_grace) | 30 s for in-flight requests after shutdown starts | remaining connections closed |
///
/// A handler that panics answers `500` `internal` and the server keeps
/// serving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    body: usize,
    streamed_body: u64,
    max_headers: usize,
    header_bytes: usize,
    header_read_timeout: Duration,
    body_read_timeout: Duration,
    handler_timeout: Duration,
    concurrency: usize,
    retry_after: Duration,
    max_connections: usize,
    shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body: super::DEFAULT_BODY_LIMIT,
            streamed_body: DEFAULT_STREAMED_BODY,
            max_headers: 100,
            header_bytes: 64 * 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(15),
            handler_timeout: Duration::from_secs(30),
            concurrency: 1024,
            retry_after: Duration::from_secs(1),
            max_connections: 10_000,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// The default of [`Limits::streamed_body`]: 1 GiB.
pub(crate) const DEFAULT_STREAMED_BODY: u64 = 1024 * 1024 * 1024;

/// [`Limits::streamed_body`], as the handlers find it in a request's
/// extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamLimit(pub(crate) u64);

/// hyper refuses a read buffer smaller than this.
const MIN_HEADER_BYTES: usize = 8192;

impl Limits {
    /// Largest request body in bytes; an operation whose spec bounds its
    /// body (a string body's `maxLength`...) gets the smaller of the two.
    pub fn body(mut self, bytes: usize) -> Self {
        self.body = bytes;
        self
    }

    /// Largest request body in bytes of an operation whose body streams
    /// (binary, JSON sequences): it is read as it arrives, so it may be
    /// far larger than [`body`](Limits::body).
    pub fn streamed_body(mut self, bytes: u64) -> Self {
        self.streamed_body = bytes;
        self
    }

    /// Most request headers (HTTP/1.1).
    pub fn max_headers(mut self, count: usize) -> Self {
        self.max_headers = count;
        self
    }

    /// Most bytes of request line and headers (at least 8 KiB, hyper's
    /// smallest read buffer).
    pub fn header_bytes(mut self, bytes: usize) -> Self {
        self.header_bytes = bytes.max(MIN_HEADER_BYTES);
        self
    }

    /// Time a client has to send the request line and headers, counted
    /// from the first byte of the request or from the end of the previous
    /// answer on a kept-alive connection: the slow-loris defence.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Time a client has to send the body once the handler reads it.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Time from a request's headers to its answer, body read included.
    pub fn handler_timeout(mut self, timeout: Duration) -> Self {
        self.handler_timeout = timeout;
        self
    }

    /// Most requests in handlers at once; more are shed with `503` (zero
    /// counts as one).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// The `Retry-After` of a shed request (whole seconds, at least one).
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = after;
        self
    }

    /// Most open connections (zero counts as one).
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Time in-flight requests have to finish once shutdown starts.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// The body limit.
    pub fn body_limit(&self) -> usize {
        self.body
    }

    /// The body limit of an operation whose spec bounds its body to
    /// `spec_bound` bytes: the smaller of the two.
    pub fn body_within(&self, spec_bound: usize) -> DefaultBodyLimit {
        DefaultBodyLimit::max(self.body.min(spec_bound))
    }

    pub(crate) fn header_count(&self) -> usize {
        self.max_headers
    }

    pub(crate) fn header_buffer(&self) -> usize {
        self.header_bytes
    }

    pub(crate) fn header_timeout(&self) -> Duration {
        self.header_read_timeout
    }

    pub(crate) fn connections(&self) -> usize {
        self.max_connections
    }

    pub(crate) fn grace(&self) -> Duration {
        self.shutdown_grace
    }

    /// Wraps a generated router's routes in the request-level limits, from
    /// the outside in: a panic answers `500`; more than
    /// [`concurrency`](Limits::concurrency) requests are shed with `503`
    /// and `Retry-After`; a handler slower than
    /// [`handler_timeout`](Limits::handler_timeout) answers `503`; a body
    /// slower than [`body_read_timeout`](Limits::body_read_timeout) `408`;
    /// a body over [`body`](Limits::body) `413`.
    pub fn apply(&self, routes: axum::Router) -> axum::Router {
        let retry_after = self.retry_after.as_secs().max(1);
        let timeout = self.handler_timeout;
        routes
            .layer(DefaultBodyLimit::max(self.body))
            .layer(axum::Extension(StreamLimit(self.streamed_body)))
            .layer(RequestBodyTimeoutLayer::new(self.body_read_timeout))
            .layer(
                tower::ServiceBuilder::new()
                    .layer(HandleErrorLayer::new(move |error: BoxError| async move {
                        refusal(&*error, retry_after, timeout)
                    }))
                    .load_shed()
                    .layer(GlobalConcurrencyLimitLayer::new(self.concurrency))
                    .timeout(self.handler_timeout),
            )
            .layer(CatchPanicLayer::custom(panicked))
    }
}

/// The answer to a request the limits stopped before it got one.
fn refusal(
    error: &(dyn std::error::Error + 'static),
    retry_after: u64,
    timeout: Duration,
) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        let mut response = Problem::new(
            503,
            "overloaded",
            "the server is answering as many requests as it can; retry later",
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        response
    } else if error.is::<tower::timeout::error::Elapsed>() {
        Problem::new(
            503,
            "timeout",
            format!("no answer within {} ms", timeout.as_millis()),
        )
        .into_response()
    } else {
        Problem::new(500, "internal", "the server could not answer").into_response()
    }
}

/// A handler's panic: a `500` that says nothing about the panic itself.
fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The client gets no panic text (it may quote data); the operator does.
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-text panic payload");
    #[cfg(feature = "tracing")]
    tracing::error!(panic = message, "a handler panicked; answered 500");
    #[cfg(not(feature = "tracing"))]
    eprintln!("codegen-runtime: a handler panicked; answered 500: {message}");
    let mut response =
        Problem::new(500, "internal", "the server failed while answering").into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

/// Whether a body read failed because the client was slower than
/// [`Limits::body_read_timeout`] (anywhere in the error's source chain).
pub(crate) fn is_body_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut at = Some(error);
    while let Some(e) = at {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        at = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::Request;
    use axum::routing::get;
    use tower::ServiceExt as _;

    async fn call(router: &axum::Router, request: Request) -> Response {
        match router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }

    async fn problem(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_slow_handler_answers_503_timeout() {
        let routes = axum::Router::new().route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        );
        let router = Limits::default()
            .handler_timeout(Duration::from_millis(50))
            .apply(routes);
        let response = call(&router, Request::get("/slow").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(problem(response).await["error"], "timeout");
    }

    #[tokio::test]
    async fn requests_over_the_concurrency_limit_are_shed_with_retry_after() {
        let (entered, mut wait) = tokio::sync::mpsc::channel::<()>(1);
        let release = std::sync::Arc::new(tokio::sync::Notify::new());
        let held = release.clone();
        let routes = axum::Router::new().route(
            "/hold",
            get(move || {
                let entered = entered.clone();
                let held = held.clone();
                async move {
                    let _ = entered.send(()).await;
                    held.notified().await;
                    "done"
                }
            }),
        );
        let router = Limits::default()
            .concurrency(1)
            .retry_after(Duration::from_secs(3))
            .apply(routes);
        let first = tokio::spawn({
            let router = router.clone();
            async move { call(&router, Request::get("/hold").body(Body::empty()).unwrap()).await }
        });
        wait.recv().await.unwrap();
        let shed = call(&router, Request::get("/hold").body(Body::empty()).unwrap()).await;
        assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(shed.headers()[header::RETRY_AFTER], "3");
        assert_eq!(problem(shed).await["error"], "overloaded");
        release.notify_one();
        assert_eq!(first.await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_router_keeps_serving() {
        let routes = axum::Router::new()
            .route("/panic", get(|| async { panic!("boom") as &str }))
            .route("/ok", get(|| async { "ok" }));
        let router = Limits::default().apply(routes);
        let response = call(&router, Request::get("/panic").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = problem(response).await;
        assert_eq!(body["error"], "internal");
        assert!(!body.to_string().contains("boom"));
        let ok = call(&router, Request::get("/ok").body(Body::empty()).unwrap()).await;
        assert_eq!(ok.status(), StatusCode::OK);
    }

    #[test]
    fn setters_keep_hypers_floor_and_at_least_one() {
        let limits = Limits::default()
            .header_bytes(10)
            .concurrency(0)
            .max_connections(0);
        assert_eq!(limits.header_buffer(), MIN_HEADER_BYTES);
        assert_eq!(limits.connections(), 1);
    }
}
