//! Admission: a request's body is read before the request takes one of
//! the [`Limits::concurrency`] handler slots, so a client that trickles
//! its body (the R.U.D.Y. attack) waits in a budget of its own instead of
//! holding a slot normal requests need.
//!
//! - What arrived with the headers is taken at once, without a budget: a
//!   fast client's body is never shed.
//! - A body still arriving waits in one of [`Limits::body_readers`]
//!   places, read under its deadline and minimum rate; when all are taken,
//!   the newest slow request is shed with `503` and `Retry-After`.
//! - At most [`Limits::body`] bytes are read ahead; a larger (streamed)
//!   body goes on to its handler as a replay of those bytes followed by
//!   the rest, so streaming still streams.
//! - A body cut off for slowness answers `408` here, with
//!   `Connection: close`, and never reaches a handler.
//!
//! [`Limits::concurrency`]: super::Limits::concurrency
//! [`Limits::body_readers`]: super::Limits::body_readers
//! [`Limits::body`]: super::Limits::body

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::sync::Semaphore;
use tower::{Layer, Service, ServiceExt as _};

use super::deadline::{BodyTooSlow, DeadlineBody, Pace};
use super::peers::PeerCounts;
use super::Problem;

/// What admission needs to know, shared by every route's copy.
#[derive(Debug)]
pub(crate) struct Policy {
    pub(crate) pace: Pace,
    /// Bytes read ahead of the handler.
    pub(crate) read_ahead: usize,
    pub(crate) readers: Semaphore,
    /// Requests in flight per peer, when capped.
    pub(crate) per_peer: Option<Arc<PeerCounts>>,
    /// Whole seconds, for a shed request's `Retry-After`.
    pub(crate) retry_after: u64,
}

/// The layer [`Limits::apply`](super::Limits::apply) puts outside the
/// concurrency limit.
#[derive(Debug, Clone)]
pub(crate) struct AdmissionLayer(pub(crate) Arc<Policy>);

impl<S> Layer<S> for AdmissionLayer {
    type Service = Admission<S>;

    fn layer(&self, inner: S) -> Admission<S> {
        Admission {
            inner,
            policy: self.0.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Admission<S> {
    inner: S,
    policy: Arc<Policy>,
}

impl<S> Service<Request> for Admission<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Readiness is the inner service's, asked in `call` (it sheds
        // rather than waits).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let inner = self.inner.clone();
        let policy = self.policy.clone();
        Box::pin(async move { Ok(admit(policy, inner, request).await) })
    }
}

async fn admit<S>(policy: Arc<Policy>, inner: S, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let _peer_slot = match (&policy.per_peer, peer_of(&request)) {
        (Some(counts), Some(peer)) => match counts.enter(peer) {
            Some(slot) => Some(slot),
            None => {
                return overloaded(
                    policy.retry_after,
                    "this client has as many requests in flight as it may; retry later",
                )
            }
        },
        _ => None,
    };
    let (parts, body) = request.into_parts();
    let body = match read_ahead(&policy, body).await {
        Gathered::Ready(body) => body,
        Gathered::Shed => {
            return overloaded(
                policy.retry_after,
                "the server is waiting for as many request bodies as it can; retry later",
            )
        }
        Gathered::TooSlow(slow) => return too_slow(&slow),
    };
    match inner.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The client's address, where [`serve`](super::serve) recorded it.
fn peer_of(request: &Request) -> Option<std::net::IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

enum Gathered {
    Ready(Body),
    Shed,
    TooSlow(String),
}

/// Reads up to the read-ahead limit of `body` under its pace; see the
/// module's rules.
async fn read_ahead(policy: &Policy, body: Body) -> Gathered {
    if body.is_end_stream() {
        return Gathered::Ready(body);
    }
    let mut replay = Replay::new(DeadlineBody::new(body, policy.pace), policy.read_ahead);
    std::future::poll_fn(|cx| {
        replay.pull(cx);
        Poll::Ready(())
    })
    .await;
    if !replay.done() {
        let Ok(_place) = policy.readers.try_acquire() else {
            return Gathered::Shed;
        };
        std::future::poll_fn(|cx| {
            replay.pull(cx);
            if replay.done() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
    match replay.too_slow() {
        Some(why) => Gathered::TooSlow(why),
        None => Gathered::Ready(Body::new(replay)),
    }
}

/// A body's first frames, read ahead, then the rest as it comes: to the
/// handler, the body as the client sent it.
struct Replay {
    frames: VecDeque<Frame<Bytes>>,
    buffered: usize,
    read_ahead: usize,
    rest: Option<DeadlineBody>,
    error: Option<axum::BoxError>,
}

impl Replay {
    fn new(body: DeadlineBody, read_ahead: usize) -> Replay {
        Replay {
            frames: VecDeque::new(),
            buffered: 0,
            read_ahead,
            rest: Some(body),
            error: None,
        }
    }

    /// Whether reading ahead is over: the body ended or failed, or the
    /// read-ahead limit is reached.
    fn done(&self) -> bool {
        self.rest.is_none() || self.error.is_some() || self.buffered >= self.read_ahead
    }

    /// Reads what is ready, until the body would wait or reading ahead is
    /// over.
    fn pull(&mut self, cx: &mut Context<'_>) {
        while !self.done() {
            let Some(rest) = self.rest.as_mut() else {
                return;
            };
            match Pin::new(rest).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    self.buffered += frame.data_ref().map_or(0, Bytes::len);
                    self.frames.push_back(frame);
                }
                Poll::Ready(Some(Err(e))) => self.error = Some(e),
                Poll::Ready(None) => self.rest = None,
                Poll::Pending => return,
            }
        }
    }

    /// Why reading stopped, if the client was too slow.
    fn too_slow(&self) -> Option<String> {
        self.error
            .as_deref()
            .and_then(|e| e.downcast_ref::<BodyTooSlow>())
            .map(ToString::to_string)
    }
}

impl HttpBody for Replay {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(frame) = this.frames.pop_front() {
            return Poll::Ready(Some(Ok(frame)));
        }
        if let Some(error) = this.error.take() {
            this.rest = None;
            return Poll::Ready(Some(Err(error)));
        }
        match this.rest.as_mut() {
            Some(rest) => Pin::new(rest).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.frames.is_empty()
            && self.error.is_none()
            && self.rest.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let ahead: u64 = self
            .frames
            .iter()
            .filter_map(|f| f.data_ref().map(|d| d.len() as u64))
            .sum();
        let rest = self
            .rest
            .as_ref()
            .map_or_else(|| http_body::SizeHint::with_exact(0), HttpBody::size_hint);
        let mut hint = http_body::SizeHint::new();
        hint.set_lower(rest.lower().saturating_add(ahead));
        if let Some(upper) = rest.upper() {
            hint.set_upper(upper.saturating_add(ahead));
        }
        hint
    }
}

/// `503` `overloaded`, with `Retry-After`.
pub(crate) fn overloaded(retry_after: u64, detail: &str) -> Response {
    let mut response = Problem::new(503, "overloaded", detail).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// `408` for a body cut off for slowness; the connection cannot be reused
/// (the rest of the body would be read as the next request).
fn too_slow(why: &str) -> Response {
    let mut response = Problem::new(408, "timeout", why).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
