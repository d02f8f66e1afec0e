//! One span per client call (feature `tracing`).

use std::future::Future;

use tracing::field::Empty;
use tracing::Instrument;

use super::Error;
use crate::Operation;

/// Runs a call's attempts inside a span naming the operation, and records
/// its status, attempts and latency. Only spec-given names and numbers go
/// into fields: never a URL (it may hold an API key), a header or a body.
pub(super) async fn call<R: Answered, F>(op: Operation, attempts: F) -> Result<R, Error>
where
    F: Future<Output = Result<(R, u32), Error>>,
{
    let span = tracing::info_span!(
        "client call",
        otel.kind = "client",
        operation_id = op.id,
        http.request.method = op.method,
        http.route = op.route,
        http.response.status_code = Empty,
        attempts = Empty,
        latency_ms = Empty,
        error = Empty,
    );
    let started = std::time::Instant::now();
    let result = attempts.instrument(span.clone()).await;
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    match &result {
        Ok((answer, attempts)) => {
            span.record("http.response.status_code", answer.status());
            span.record("attempts", attempts);
        }
        Err(e) => {
            if let Some(status) = e.status() {
                span.record("http.response.status_code", status);
            }
            span.record("error", tracing::field::display(e));
        }
    }
    result.map(|(read, _)| read)
}

/// What a call's attempts end with: a response read whole, or one whose
/// body is still to be read.
pub(super) trait Answered {
    fn status(&self) -> u16;
}

impl Answered for super::decode::Read {
    fn status(&self) -> u16 {
        self.0
    }
}

impl Answered for reqwest::Response {
    fn status(&self) -> u16 {
        reqwest::Response::status(self).as_u16()
    }
}
