//! How much a generated server accepts and for how long: [`Limits`], the
//! builder the generated `router_with` and [`serve`](super::serve) read.
//!
//! Request-level limits are tower and tower-http layers ([`Limits::apply`]);
//! connection-level ones are hyper's settings, applied by
//! [`serve`](super::serve).

use std::time::Duration;

use std::sync::Arc;

use super::admission::{overloaded, AdmissionLayer, Policy};
use super::deadline::{BodyTooSlow, Pace};
use super::peers::PeerCounts;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::BoxError;
use tower_http::catch_panic::CatchPanicLayer;

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
/// | [`body_read_timeout`](Limits::body_read_timeout) | 15 s to send the whole body (a streamed body: its first [`body`](Limits::body) bytes), from its first read, however it is chunked | `408`, connection closed |
/// | [`body_min_rate`](Limits::body_min_rate) | 500 bytes a second on average, once [`body_rate_grace`](Limits::body_rate_grace) (5 s) has passed since the body's first read | `408`, connection closed |
/// | [`body_readers`](Limits::body_readers) | 4,096 requests whose body is still arriving, read before they take a handler slot | the newest slow one: `503` `overloaded` with `Retry-After` |
/// | [`handler_timeout`](Limits::handler_timeout) | 30 s from the request's admission (its body read, up to [`body`](Limits::body) bytes) to the answer | `503` `timeout` |
/// | [`concurrency`](Limits::concurrency) | 1,024 requests in handlers at once | `503` `overloaded` with `Retry-After` |
/// | [`per_peer_requests`](Limits::per_peer_requests) | none; when set, requests in flight from one client address, body read included | `503` `overloaded` with `Retry-After` |
/// | [`max_connections`](Limits::max_connections) | 10,000 open connections | new connections wait in the listen backlog |
/// | [`per_peer_connections`](Limits::per_peer_connections) | none; when set, open connections from one client address | `503` `overloaded`, connection closed |
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
    body_min_rate: u64,
    body_rate_grace: Duration,
    body_readers: usize,
    handler_timeout: Duration,
    concurrency: usize,
    per_peer_requests: usize,
    retry_after: Duration,
    max_connections: usize,
    per_peer_connections: usize,
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
            // Apache's mod_reqtimeout default (`MinRate=500`).
            body_min_rate: 500,
            body_rate_grace: Duration::from_secs(5),
            body_readers: 4096,
            handler_timeout: Duration::from_secs(30),
            concurrency: 1024,
            per_peer_requests: 0,
            retry_after: Duration::from_secs(1),
            max_connections: 10_000,
            per_peer_connections: 0,
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

    /// Time a client has to send the whole body, counted from the body's
    /// first read and never restarted (a client that drips a byte at a
    /// time is cut off like one that sends nothing). A body that streams
    /// has this long for its first [`body`](Limits::body) bytes; past
    /// them only [`body_min_rate`](Limits::body_min_rate) holds, so a
    /// large upload is never cut off for its size alone.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Least average data rate of a body, in bytes a second, once
    /// [`body_rate_grace`](Limits::body_rate_grace) has passed since its
    /// first read (zero: no rate, only the total deadline).
    pub fn body_min_rate(mut self, bytes_per_second: u64) -> Self {
        self.body_min_rate = bytes_per_second;
        self
    }

    /// Time a body may take before its average rate is held to
    /// [`body_min_rate`](Limits::body_min_rate).
    pub fn body_rate_grace(mut self, grace: Duration) -> Self {
        self.body_rate_grace = grace;
        self
    }

    /// Most requests whose body is still arriving. A body is read (up to
    /// [`body`](Limits::body) bytes) before its request takes one of the
    /// [`concurrency`](Limits::concurrency) handler slots, so a client
    /// that trickles its body waits here instead of in a slot others
    /// need. A body that arrived with its headers needs no place; when
    /// every place is taken, the newest slow request is shed with `503`
    /// (zero counts as one).
    pub fn body_readers(mut self, requests: usize) -> Self {
        self.body_readers = requests.max(1);
        self
    }

    /// Time from a request's admission (its body read, up to
    /// [`body`](Limits::body) bytes; see
    /// [`body_readers`](Limits::body_readers)) to its answer.
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

    /// Most requests in flight from one client address, body read
    /// included; more are shed with `503` (zero: no cap, the default).
    /// The address is the TCP peer's, as [`serve`](super::serve) sees
    /// it: behind a proxy every client is one peer, so leave it off
    /// there.
    pub fn per_peer_requests(mut self, requests: usize) -> Self {
        self.per_peer_requests = requests;
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

    /// Most open connections from one client address; a connection over
    /// it is answered `503` and closed (zero: no cap, the default; see
    /// [`per_peer_requests`](Limits::per_peer_requests) on proxies).
    pub fn per_peer_connections(mut self, connections: usize) -> Self {
        self.per_peer_connections = connections;
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

    pub(crate) fn peer_connections(&self) -> Option<Arc<PeerCounts>> {
        (self.per_peer_connections > 0).then(|| PeerCounts::new(self.per_peer_connections))
    }

    pub(crate) fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs().max(1)
    }

    fn admission(&self) -> AdmissionLayer {
        AdmissionLayer(Arc::new(Policy {
            pace: Pace {
                total: self.body_read_timeout,
                covers: self.body as u64,
                min_rate: self.body_min_rate,
                grace: self.body_rate_grace,
            },
            read_ahead: self.body,
            readers: tokio::sync::Semaphore::new(self.body_readers),
            per_peer: (self.per_peer_requests > 0).then(|| PeerCounts::new(self.per_peer_requests)),
            retry_after: self.retry_after_secs(),
        }))
    }

    /// Wraps a generated router's routes in the request-level limits, from
    /// the outside in: a panic answers `500`; admission reads the body
    /// under [`body_read_timeout`](Limits::body_read_timeout) and
    /// [`body_min_rate`](Limits::body_min_rate) (`408`) in one of
    /// [`body_readers`](Limits::body_readers) places, and
    /// [`per_peer_requests`](Limits::per_peer_requests) caps each client
    /// (`503`); then more than [`concurrency`](Limits::concurrency)
    /// requests are shed with `503` and `Retry-After`; a handler slower
    /// than [`handler_timeout`](Limits::handler_timeout) answers `503`; a
    /// body over [`body`](Limits::body) `413`.
    pub fn apply(&self, routes: axum::Router) -> axum::Router {
        let retry_after = self.retry_after_secs();
        let timeout = self.handler_timeout;
        routes
            .layer(DefaultBodyLimit::max(self.body))
            .layer(axum::Extension(StreamLimit(self.streamed_body)))
            .layer(
                tower::ServiceBuilder::new()
                    .layer(HandleErrorLayer::new(move |error: BoxError| async move {
                        refusal(&*error, retry_after, timeout)
                    }))
                    .load_shed()
                    .layer(GlobalConcurrencyLimitLayer::new(self.concurrency))
                    .timeout(self.handler_timeout),
            )
            .layer(self.admission())
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
        overloaded(
            retry_after,
            "the server is answering as many requests as it can; retry later",
        )
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
        if e.is::<BodyTooSlow>() {
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
    use axum::body::Bytes;
    use axum::extract::Request;
    use axum::http::header;
    use axum::routing::get;
    use futures_util::StreamExt as _;
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

    /// A body that sends `byte` every `every`, `count` times.
    fn drip(every: Duration, count: usize) -> Body {
        let stream = futures_util::stream::unfold(0, move |sent| async move {
            if sent == count {
                return None;
            }
            tokio::time::sleep(every).await;
            Some((Ok::<_, std::io::Error>(Bytes::from_static(b"x")), sent + 1))
        });
        Body::from_stream(stream)
    }

    /// Reads its body as generated handlers do (`reply::extract`): a body
    /// cut off for slowness is a `408`.
    fn reads_its_body() -> axum::Router {
        axum::Router::new().route(
            "/upload",
            axum::routing::post(|request: Request| async move {
                match <Bytes as axum::extract::FromRequest<()>>::from_request(request, &()).await {
                    Ok(body) => (StatusCode::OK, body.len().to_string()),
                    Err(r) if is_body_timeout(&r) => (StatusCode::REQUEST_TIMEOUT, String::new()),
                    Err(r) => (r.status(), r.body_text()),
                }
            }),
        )
    }

    /// The deadline is total: frames that keep coming do not restart it
    /// (`tower_http`'s body timeout restarted on every frame).
    #[tokio::test(start_paused = true)]
    async fn a_trickled_body_is_cut_off_at_the_total_deadline() {
        let router = Limits::default()
            .body_read_timeout(Duration::from_secs(15))
            .body_min_rate(0)
            .apply(reads_its_body());
        let started = tokio::time::Instant::now();
        let request = Request::post("/upload")
            .body(drip(Duration::from_millis(500), 100))
            .unwrap();
        let response = call(&router, request).await;
        let took = started.elapsed();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(
            took >= Duration::from_secs(15) && took < Duration::from_millis(15_600),
            "{took:?}"
        );
    }

    /// Past the grace period a body must keep the minimum rate on
    /// average: a drip is cut off long before the total deadline, a body
    /// that keeps the rate arrives whole.
    #[tokio::test(start_paused = true)]
    async fn a_body_under_the_minimum_rate_is_cut_off_after_the_grace_period() {
        let router = Limits::default()
            .body_read_timeout(Duration::from_secs(15))
            .body_min_rate(500)
            .body_rate_grace(Duration::from_secs(5))
            .apply(reads_its_body());
        let started = tokio::time::Instant::now();
        let request = Request::post("/upload")
            .body(drip(Duration::from_secs(1), 100))
            .unwrap();
        let response = call(&router, request).await;
        let took = started.elapsed();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(
            took >= Duration::from_secs(5) && took < Duration::from_millis(6_100),
            "{took:?}"
        );
        // 1,000 bytes a second for 8 s: over the rate, under the deadline.
        let request = Request::post("/upload")
            .body(drip(Duration::from_millis(1), 8_000))
            .unwrap();
        let response = call(&router, request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], b"8000");
    }

    /// `count` requests dripping a byte a second into `/upload`, spawned.
    fn drippers(router: &axum::Router, count: usize) -> Vec<tokio::task::JoinHandle<Response>> {
        (0..count)
            .map(|_| {
                let router = router.clone();
                tokio::spawn(async move {
                    let request = Request::post("/upload")
                        .body(drip(Duration::from_secs(1), 1000))
                        .unwrap();
                    call(&router, request).await
                })
            })
            .collect()
    }

    /// Waits (in paused time) until the spawned requests have been polled.
    async fn settle() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    fn reads_its_body_and_answers() -> axum::Router {
        reads_its_body().route("/ok", get(|| async { "ok" }))
    }

    /// The R.U.D.Y. attack: bodies trickled into every handler slot used to
    /// shed every normal request with `503`. Bodies are read before the
    /// slot is taken, so drippers wait in their own budget and are cut off
    /// by the rate, while normal requests are answered.
    #[tokio::test(start_paused = true)]
    async fn trickled_bodies_do_not_take_the_handler_slots() {
        let router = Limits::default()
            .concurrency(2)
            .apply(reads_its_body_and_answers());
        let slow = drippers(&router, 10);
        settle().await;
        let ok = call(&router, Request::get("/ok").body(Body::empty()).unwrap()).await;
        assert_eq!(ok.status(), StatusCode::OK);
        let posted = call(
            &router,
            Request::post("/upload").body(Body::from("whole")).unwrap(),
        )
        .await;
        assert_eq!(posted.status(), StatusCode::OK);
        for dripper in slow {
            let cut = dripper.await.unwrap();
            assert_eq!(cut.status(), StatusCode::REQUEST_TIMEOUT);
            assert_eq!(cut.headers()[header::CONNECTION], "close");
            assert_eq!(problem(cut).await["error"], "timeout");
        }
    }

    /// When every reader's place is taken, the newest slow request is
    /// shed; a request whose body has already arrived is never shed.
    #[tokio::test(start_paused = true)]
    async fn the_newest_slow_body_is_shed_never_a_whole_one() {
        let router = Limits::default()
            .body_readers(1)
            .retry_after(Duration::from_secs(2))
            .apply(reads_its_body_and_answers());
        let first = drippers(&router, 1);
        settle().await;
        let second = drippers(&router, 1).remove(0).await.unwrap();
        assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(second.headers()[header::RETRY_AFTER], "2");
        assert_eq!(problem(second).await["error"], "overloaded");
        let whole = call(
            &router,
            Request::post("/upload").body(Body::from("whole")).unwrap(),
        )
        .await;
        assert_eq!(whole.status(), StatusCode::OK);
        for dripper in first {
            assert_eq!(dripper.await.unwrap().status(), StatusCode::REQUEST_TIMEOUT);
        }
    }

    /// A body larger than the read-ahead (a streamed upload) reaches its
    /// handler whole and in order, and the total deadline covers only its
    /// read-ahead bytes: past them the rate alone holds.
    #[tokio::test(start_paused = true)]
    async fn a_streamed_body_passes_the_read_ahead_and_outlives_the_deadline() {
        let routes = axum::Router::new().route(
            "/stream",
            axum::routing::post(|request: Request| async move {
                let body = axum::body::to_bytes(request.into_body(), usize::MAX).await;
                match body {
                    Ok(bytes) => (StatusCode::OK, String::from_utf8_lossy(&bytes).into_owned()),
                    Err(e) if is_body_timeout(&e) => (StatusCode::REQUEST_TIMEOUT, String::new()),
                    Err(e) => (StatusCode::BAD_REQUEST, e.to_string()),
                }
            }),
        );
        let router = Limits::default()
            .body(16)
            .body_read_timeout(Duration::from_secs(1))
            .body_min_rate(0)
            .apply(routes);
        let chunks: Vec<String> = (0..30).map(|i| format!("{i:03}")).collect();
        let expected = chunks.concat();
        let stream = futures_util::stream::iter(chunks).then(|chunk| async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok::<_, std::io::Error>(Bytes::from(chunk))
        });
        let started = tokio::time::Instant::now();
        let request = Request::post("/stream")
            .body(Body::from_stream(stream))
            .unwrap();
        let response = call(&router, request).await;
        assert!(started.elapsed() >= Duration::from_secs(3));
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    /// A client address holds at most `per_peer_requests` requests in
    /// flight; others are not held back by it.
    #[tokio::test(start_paused = true)]
    async fn one_peer_is_capped_others_are_not() {
        let router = Limits::default()
            .per_peer_requests(1)
            .apply(reads_its_body_and_answers());
        let from = |ip: &str, request: axum::http::request::Builder| {
            let peer: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
            request
                .extension(axum::extract::ConnectInfo(peer))
                .body(drip(Duration::from_secs(1), 1000))
                .unwrap()
        };
        let first = tokio::spawn({
            let router = router.clone();
            let request = from("10.0.0.1", Request::post("/upload"));
            async move { call(&router, request).await }
        });
        settle().await;
        let again = call(&router, from("10.0.0.1", Request::post("/upload"))).await;
        assert_eq!(again.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(problem(again).await["error"], "overloaded");
        let other = call(&router, from("10.0.0.2", Request::post("/upload"))).await;
        assert_eq!(
            other.status(),
            StatusCode::REQUEST_TIMEOUT,
            "cut by the rate, not capped"
        );
        assert_eq!(first.await.unwrap().status(), StatusCode::REQUEST_TIMEOUT);
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
