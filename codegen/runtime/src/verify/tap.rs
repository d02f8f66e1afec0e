//! The last answer's body, as it crossed the wire: a client layer for
//! `--conformance`. A judge (a validating proxy) that refuses a request or
//! replaces an answer says why in its own body; the generated client may
//! decode that body as a documented error type and drop the reason. The
//! tap keeps the bytes so the verdict can name it.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http_body::Body as _;
use tower::{Layer, Service};

use crate::client::{BoxError, HttpRequest, HttpResponse, Stack};

/// Holds the body of the last answer any client it is layered on got.
#[derive(Clone, Default)]
pub struct Tap(Arc<Mutex<Option<Vec<u8>>>>);

impl Tap {
    /// Forgets the last body (before a call).
    pub fn clear(&self) {
        if let Ok(mut last) = self.0.lock() {
            *last = None;
        }
    }

    /// The last body, if an answer came since [`Tap::clear`].
    pub fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().ok()?.take()
    }

    fn keep(&self, body: &[u8]) {
        if let Ok(mut last) = self.0.lock() {
            *last = Some(body.to_vec());
        }
    }
}

impl Layer<Stack> for Tap {
    type Service = Tapped;

    fn layer(&self, inner: Stack) -> Tapped {
        Tapped {
            inner,
            tap: self.clone(),
        }
    }
}

/// The transport with a [`Tap`] on its answers.
#[derive(Clone)]
pub struct Tapped {
    inner: Stack,
    tap: Tap,
}

type Answer = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

impl Service<HttpRequest> for Tapped {
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Answer {
        let answer = self.inner.call(request);
        let tap = self.tap.clone();
        Box::pin(async move {
            let (parts, mut body) = answer.await?.into_parts();
            // The whole body, then handed on unchanged: conformance answers
            // are finite (the stub's streams end).
            let mut bytes = Vec::new();
            while let Some(frame) =
                std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
            {
                if let Ok(data) = frame?.into_data() {
                    bytes.extend_from_slice(&data);
                }
            }
            tap.keep(&bytes);
            Ok(HttpResponse::from_parts(parts, reqwest::Body::from(bytes)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn the_tap_keeps_the_body_and_hands_it_on() {
        let inner: Stack =
            tower::util::BoxCloneSyncService::new(tower::service_fn(|_: HttpRequest| async {
                Ok::<_, BoxError>(HttpResponse::new(reqwest::Body::from("{\"a\":1}")))
            }));
        let tap = Tap::default();
        let answer = tap
            .layer(inner)
            .oneshot(HttpRequest::new(reqwest::Body::from("")))
            .await
            .unwrap();
        assert_eq!(tap.take().as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(tap.take(), None);
        let (_, mut body) = answer.into_parts();
        let mut handed_on = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            handed_on.extend_from_slice(&frame.unwrap().into_data().unwrap());
        }
        assert_eq!(handed_on, b"{\"a\":1}");
    }
}
