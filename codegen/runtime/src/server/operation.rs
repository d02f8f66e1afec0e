//! Every routed request carries its [`Operation`]; the caller's layers run
//! inside that, per route; with the `tracing` feature, one span per request.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, Route};
use tower::{Layer, Service};

use crate::Operation;

/// A `tower` layer a generated `router_layered` puts around every
/// operation's handler, inside the layer that tags requests with their
/// [`Operation`]: so it can read `request.extensions().get::<Operation>()`
/// and apply per-operation policies without matching paths.
///
/// Any layer axum's `MethodRouter::layer` takes whose service never fails
/// (as axum requires of a router) qualifies.
pub trait OperationLayer: Clone + Send + Sync + 'static {
    /// `route` wrapped in this layer.
    fn wrap<S: Clone + Send + Sync + 'static>(&self, route: MethodRouter<S>) -> MethodRouter<S>;
}

impl<L> OperationLayer for L
where
    L: Layer<Route> + Clone + Send + Sync + 'static,
    L::Service: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
    <L::Service as Service<Request>>::Response: IntoResponse + 'static,
    <L::Service as Service<Request>>::Future: Send + 'static,
{
    fn wrap<S: Clone + Send + Sync + 'static>(&self, route: MethodRouter<S>) -> MethodRouter<S> {
        route.layer(self.clone())
    }
}

/// The layer that tags each request of one path with the operation its
/// method selects (a path holds one operation per method).
#[derive(Clone, Copy, Debug)]
pub struct Tag {
    operations: &'static [Operation],
}

impl Tag {
    /// Tags requests of one path by method among `operations`.
    pub const fn new(operations: &'static [Operation]) -> Self {
        Tag { operations }
    }

    /// `route` with every request tagged, outside `layer`.
    pub fn around<S, L>(self, route: MethodRouter<S>, layer: &L) -> MethodRouter<S>
    where
        S: Clone + Send + Sync + 'static,
        L: OperationLayer,
    {
        layer.wrap(route).layer(self)
    }

    /// [`Tag::around`] for a route whose methods axum tells apart itself:
    /// any other method is answered `405` with an `Allow` header naming
    /// the operations' methods, in their order.
    pub fn route<S, L>(self, route: MethodRouter<S>, layer: &L) -> MethodRouter<S>
    where
        S: Clone + Send + Sync + 'static,
        L: OperationLayer,
    {
        let allow: Arc<str> = self
            .operations
            .iter()
            .map(|op| op.method)
            .collect::<Vec<_>>()
            .join(", ")
            .into();
        let route = route.fallback(move || async move { super::reply::method_not_allowed(&allow) });
        self.around(route, layer)
    }
}

impl<S> Layer<S> for Tag {
    type Service = Tagged<S>;

    fn layer(&self, inner: S) -> Tagged<S> {
        Tagged {
            inner,
            operations: self.operations,
        }
    }
}

/// A route whose requests carry their [`Operation`].
#[derive(Clone, Debug)]
pub struct Tagged<S> {
    inner: S,
    operations: &'static [Operation],
}

impl<S> Service<Request> for Tagged<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let method = request.method().as_str();
        let op = self
            .operations
            .iter()
            .find(|op| op.method == method)
            .copied();
        if let Some(op) = op {
            request.extensions_mut().insert(op);
        }
        let future = self.inner.call(request);
        #[cfg(feature = "tracing")]
        {
            Box::pin(trace(op, future))
        }
        #[cfg(not(feature = "tracing"))]
        {
            Box::pin(future)
        }
    }
}

/// One span per request of an operation: id, method, route, status and
/// latency; no URL, header or body (they may hold secrets).
#[cfg(feature = "tracing")]
async fn trace<F>(op: Option<Operation>, future: F) -> Result<Response, Infallible>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    use tracing::field::Empty;
    use tracing::Instrument;
    let Some(op) = op else {
        return future.await;
    };
    let span = tracing::info_span!(
        "server request",
        otel.kind = "server",
        operation_id = op.id,
        http.request.method = op.method,
        http.route = op.route,
        http.response.status_code = Empty,
        latency_ms = Empty,
    );
    let started = std::time::Instant::now();
    let result = future.instrument(span.clone()).await;
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    if let Ok(response) = &result {
        span.record("http.response.status_code", response.status().as_u16());
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    static OPS: [Operation; 2] = [
        Operation::new("pets.list", "GET", "/pets"),
        Operation::new("pets.create", "POST", "/pets"),
    ];

    async fn id(request: Request) -> String {
        request
            .extensions()
            .get::<Operation>()
            .map_or("none", |op| op.id)
            .to_string()
    }

    #[tokio::test]
    async fn each_method_of_a_path_is_tagged_with_its_operation() {
        let route = Tag::new(&OPS).around(get(id).post(id), &tower::layer::util::Identity::new());
        let app = axum::Router::new().route("/pets", route);
        for (method, want) in [("GET", "pets.list"), ("POST", "pets.create")] {
            let request = Request::builder()
                .method(method)
                .uri("/pets")
                .body(Body::empty())
                .unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            let body = axum::body::to_bytes(response.into_body(), 64)
                .await
                .unwrap();
            assert_eq!(body, want);
        }
    }

    #[tokio::test]
    async fn another_method_is_refused_naming_the_operations_methods() {
        let route = Tag::new(&OPS).route(get(id).post(id), &tower::layer::util::Identity::new());
        let app = axum::Router::new().route("/pets", route);
        let request = Request::builder()
            .method("DELETE")
            .uri("/pets")
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()["allow"], "GET, POST");
        // The methods it has still reach their handlers.
        let request = Request::builder().uri("/pets").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        let body = axum::body::to_bytes(response.into_body(), 64)
            .await
            .unwrap();
        assert_eq!(body, "pets.list");
    }
}
