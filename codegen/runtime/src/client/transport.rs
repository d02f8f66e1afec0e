//! What every generated client call goes through: the base URL and
//! default settings, the caller's `tower` layers, credentials, retries and
//! (feature `tracing`) one span per call.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::time::Instant;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};

use super::auth::{Apply, BoxError};
use super::decode::{read, Read};
use super::retry::{Failure, Retry};
use super::{Error, ErrorKind};
use crate::Operation;

/// A request as the caller's layers see it: an `http` request whose
/// extensions hold the [`Operation`] it belongs to.
pub type HttpRequest = http::Request<reqwest::Body>;
/// A response as the caller's layers see it.
pub type HttpResponse = http::Response<reqwest::Body>;
/// The transport stack the caller's layers wrap: reqwest at the bottom.
pub type Stack = BoxCloneSyncService<HttpRequest, HttpResponse, BoxError>;

/// A `tower` layer the client can put around its transport: any
/// `Layer<Stack>` whose service takes an [`HttpRequest`], answers an
/// [`HttpResponse`] and fails with a [`BoxError`] (tower-http's
/// `SetRequestHeaderLayer`, `tower::util::MapRequestLayer`, your own...).
pub trait StackLayer: Send + 'static {
    /// `inner` wrapped in this layer.
    fn wrap(self, inner: Stack) -> Stack;
}

impl<L> StackLayer for L
where
    L: Layer<Stack> + Send + 'static,
    L::Service: Service<HttpRequest, Response = HttpResponse, Error = BoxError>
        + Clone
        + Send
        + Sync
        + 'static,
    <L::Service as Service<HttpRequest>>::Future: Send + 'static,
{
    fn wrap(self, inner: Stack) -> Stack {
        BoxCloneSyncService::new(self.layer(inner))
    }
}

type Wrap = Box<dyn FnOnce(Stack) -> Stack + Send>;

/// Settings of a [`Transport`]; a generated `ClientBuilder` holds one.
#[must_use]
pub struct TransportBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    headers: HeaderMap,
    timeout: Option<Duration>,
    retry: Option<Retry>,
    layers: Vec<Wrap>,
}

impl std::fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base_url", &self.base_url)
            .field("headers", &self.headers.len())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("layers", &self.layers.len())
            .finish()
    }
}

impl TransportBuilder {
    /// Settings for the API at `base_url`: no timeout, no retries, no layers.
    pub fn new(base_url: impl Into<String>) -> Self {
        TransportBuilder {
            base_url: base_url.into(),
            http: None,
            headers: HeaderMap::new(),
            timeout: None,
            retry: None,
            layers: Vec::new(),
        }
    }

    /// Fails any attempt that takes longer than this (request and response).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A header sent with every request (operation headers win).
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Use this `reqwest::Client` (its pool, proxy, TLS and redirect
    /// settings). The default client follows redirects, except for an
    /// operation that documents a 3xx answer, which gets that answer; with
    /// your own client, your redirect policy applies to every operation.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Retry failed calls by this policy (a request builder's `.retry(..)`
    /// overrides it for one call).
    pub fn retry(mut self, policy: Retry) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Wraps the transport in `layer`. Each attempt (a retry too) goes
    /// through the layers, the last added first; credentials are already
    /// on the request.
    pub fn layer(mut self, layer: impl StackLayer) -> Self {
        self.layers.push(Box::new(move |inner| layer.wrap(inner)));
        self
    }

    /// The transport.
    pub fn build(self) -> Transport {
        let http = match self.http {
            Some(http) => Clients::given(http),
            None => Clients::ours(),
        };
        let stack = (!self.layers.is_empty()).then(|| {
            let bottom: Stack = BoxCloneSyncService::new(Reqwest(http.clone()));
            self.layers
                .into_iter()
                .fold(bottom, |stack, wrap| wrap(stack))
        });
        Transport {
            base_url: self.base_url.trim_end_matches('/').into(),
            http,
            headers: self.headers,
            timeout: self.timeout,
            retry: self.retry,
            stack,
        }
    }
}

/// The reqwest clients a transport sends with: the caller's or a default
/// one, and, when the default is in use, one that follows no redirect,
/// built on first use, for operations that document a 3xx answer (their
/// typed answer is the redirect itself, which following would hide).
#[derive(Clone)]
struct Clients {
    http: reqwest::Client,
    unredirected: Option<Arc<OnceLock<reqwest::Client>>>,
}

impl Clients {
    fn given(http: reqwest::Client) -> Self {
        Clients {
            http,
            unredirected: None,
        }
    }

    fn ours() -> Self {
        Clients {
            http: reqwest::Client::default(),
            unredirected: Some(Arc::default()),
        }
    }

    /// The client that sends `op`'s requests.
    fn of(&self, op: Option<&Operation>) -> &reqwest::Client {
        match &self.unredirected {
            Some(cell) if op.is_some_and(|op| op.keeps_redirects) => cell.get_or_init(|| {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    // Building fails only where the default client's would.
                    .unwrap_or_else(|_| self.http.clone())
            }),
            _ => &self.http,
        }
    }
}

/// The bottom of the stack: reqwest.
#[derive(Clone)]
struct Reqwest(Clients);

impl Service<HttpRequest> for Reqwest {
    type Response = HttpResponse;
    type Error = BoxError;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<HttpResponse, BoxError>> + Send>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let client = self.0.of(request.extensions().get::<Operation>()).clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            Ok(client.execute(request).await?.into())
        })
    }
}

/// The shared part of a generated `Client`: cheap to clone (clones share
/// one connection pool and one stack).
#[derive(Clone)]
pub struct Transport {
    base_url: Arc<str>,
    http: Clients,
    headers: HeaderMap,
    timeout: Option<Duration>,
    retry: Option<Retry>,
    stack: Option<Stack>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("headers", &self.headers.len())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("layered", &self.stack.is_some())
            .finish()
    }
}

impl Transport {
    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A request to `path` (already percent-encoded) with the default
    /// headers and timeout.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .http
            .request(method, format!("{}{}", self.base_url, path))
            .headers(self.headers.clone());
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        request
    }

    /// Sends a generated call's request: credentials by `auth`, retries by
    /// `retry` (else the client's policy), through the caller's layers;
    /// reads the response whole.
    pub async fn send(
        &self,
        op: Operation,
        request: reqwest::RequestBuilder,
        auth: &[Apply<'_>],
        retry: Option<&Retry>,
    ) -> Result<Read, Error> {
        let request = request.build().map_err(Error::transport)?;
        self.execute(op, request, auth, retry).await
    }

    /// [`Transport::send`] for a request already built (the next page of
    /// a paginated call).
    pub async fn execute(
        &self,
        op: Operation,
        request: reqwest::Request,
        auth: &[Apply<'_>],
        retry: Option<&Retry>,
    ) -> Result<Read, Error> {
        let attempts = async {
            let (response, attempts) = self
                .attempts(op, request, auth, retry.or(self.retry.as_ref()))
                .await?;
            Ok((read(response).await?, attempts))
        };
        #[cfg(feature = "tracing")]
        {
            super::trace::call(op, attempts).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            attempts.await.map(|(read, _)| read)
        }
    }

    /// Like [`Transport::send`], but the body is left unread: for a call
    /// whose answer streams (the caller reads or drops it).
    pub async fn open(
        &self,
        op: Operation,
        request: reqwest::RequestBuilder,
        auth: &[Apply<'_>],
        retry: Option<&Retry>,
    ) -> Result<reqwest::Response, Error> {
        let request = request.build().map_err(Error::transport)?;
        let attempts = self.attempts(op, request, auth, retry.or(self.retry.as_ref()));
        #[cfg(feature = "tracing")]
        {
            super::trace::call(op, attempts).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            attempts.await.map(|(response, _)| response)
        }
    }

    /// Attempts until a response is final; returns it with the number of
    /// attempts made.
    async fn attempts(
        &self,
        op: Operation,
        request: reqwest::Request,
        auth: &[Apply<'_>],
        policy: Option<&Retry>,
    ) -> Result<(reqwest::Response, u32), Error> {
        let started = Instant::now();
        // A copy for a next attempt only when one could happen.
        let may_repeat = policy.is_some_and(|p| p.attempts() > 1)
            || auth
                .iter()
                .any(|a| a.credential().is_some_and(|c| c.refreshable()));
        let mut pending = Some(request);
        let mut attempt = 0;
        let mut refresh = false;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let Some(mut current) = pending.take() else {
                return Err(ErrorKind::InvalidRequest(
                    "the request body cannot be sent again".into(),
                )
                .into());
            };
            // A streamed body cannot be copied: such a request gets one attempt.
            pending = if may_repeat {
                current.try_clone()
            } else {
                None
            };
            for a in auth {
                a.apply(&mut current, std::mem::take(&mut refresh)).await?;
            }
            let headers = pending.as_ref().map(|p| p.headers());
            let outcome = self.attempt(op, current).await;
            let failure = match outcome {
                Ok(ref response) => Failure::Status(response.status().as_u16()),
                Err(ref e) if matches!(e.kind(), ErrorKind::Transport(e) if e.is_connect()) => {
                    Failure::Connection
                }
                Err(e) => return Err(e),
            };
            if failure == Failure::Status(401)
                && !refreshed
                && pending.is_some()
                && auth
                    .iter()
                    .any(|a| a.credential().is_some_and(|c| c.refreshable()))
            {
                refreshed = true;
                refresh = true;
                continue;
            }
            let wait = match (policy, headers) {
                (Some(policy), Some(headers)) if policy.retryable(&op, headers, failure) => {
                    let response = outcome.as_ref().ok().map(|r| r.headers());
                    policy.wait(attempt, response, started.elapsed(), fastrand::f64())
                }
                _ => None,
            };
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Ok((outcome?, attempt)),
            }
        }
    }

    /// One attempt: straight to reqwest, or through the caller's layers
    /// with the operation in the request's extensions.
    async fn attempt(
        &self,
        op: Operation,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, Error> {
        let Some(stack) = &self.stack else {
            let client = self.http.of(Some(&op));
            return client.execute(request).await.map_err(Error::transport);
        };
        let mut request = HttpRequest::try_from(request).map_err(Error::transport)?;
        request.extensions_mut().insert(op);
        match stack.clone().oneshot(request).await {
            Ok(response) => Ok(response.into()),
            Err(e) => Err(match e.downcast::<reqwest::Error>() {
                Ok(e) => Error::transport(*e),
                Err(e) => ErrorKind::Layer(e).into(),
            }),
        }
    }
}
