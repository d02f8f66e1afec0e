//! A request body's total deadline and its minimum data rate.
//!
//! `tower_http`'s body timeout restarts on every frame, so a client that
//! drips a byte at a time is never cut off by it (the R.U.D.Y. attack).
//! Here the clock starts at the body's first read and never restarts: the
//! whole body (a streamed one: its first [`Limits::body`] bytes) must
//! arrive within [`Limits::body_read_timeout`]; and past a
//! grace period it must average at least [`Limits::body_min_rate`] bytes
//! a second, so a large upload on a good link is not cut off while a drip
//! is (as nginx's and Apache's `mod_reqtimeout` `MinRate` do).
//!
//! [`Limits::body_read_timeout`]: super::Limits::body_read_timeout
//! [`Limits::body_min_rate`]: super::Limits::body_min_rate
//! [`Limits::body`]: super::Limits::body

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use tokio::time::{Instant, Sleep};

/// The error a body read ends with when the client was too slow; the
/// server answers `408` (see `limits::is_body_timeout`).
#[derive(Debug)]
pub(crate) struct BodyTooSlow {
    why: String,
}

impl std::fmt::Display for BodyTooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

impl std::error::Error for BodyTooSlow {}

/// The policy: a total time, and a rate that holds after a grace period
/// (`min_rate` 0: no rate).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pace {
    pub(crate) total: Duration,
    /// The bytes the total deadline covers: a streamed body may be far
    /// larger than any deadline fits, so past these only the rate holds.
    pub(crate) covers: u64,
    pub(crate) min_rate: u64,
    pub(crate) grace: Duration,
}

/// `inner` read under `pace`.
pub(crate) struct DeadlineBody {
    inner: Body,
    pace: Pace,
    /// Set at the first read.
    started: Option<Instant>,
    deadline: Option<Pin<Box<Sleep>>>,
    /// Wakes the reader at the end of the grace period, when a body that
    /// sent nothing since must be judged by its rate.
    grace_check: Option<Pin<Box<Sleep>>>,
    received: u64,
}

impl DeadlineBody {
    pub(crate) fn new(inner: Body, pace: Pace) -> Self {
        DeadlineBody {
            inner,
            pace,
            started: None,
            deadline: None,
            grace_check: None,
            received: 0,
        }
    }

    fn too_slow(&self, now: Instant) -> Option<BodyTooSlow> {
        let start = self.started?;
        let elapsed = now.saturating_duration_since(start);
        if elapsed >= self.pace.total && self.received < self.pace.covers {
            return Some(BodyTooSlow {
                why: format!(
                    "the body did not arrive within {} ms",
                    self.pace.total.as_millis()
                ),
            });
        }
        if self.pace.min_rate == 0 || elapsed < self.pace.grace {
            return None;
        }
        let due = (self.pace.min_rate as f64 * elapsed.as_secs_f64()) as u64;
        (self.received < due).then(|| BodyTooSlow {
            why: format!(
                "the body arrived at {} bytes in {} ms, under the {} bytes a second required",
                self.received,
                elapsed.as_millis(),
                self.pace.min_rate
            ),
        })
    }
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let now = Instant::now();
        let start = *this.started.get_or_insert(now);
        let total = this.pace.total;
        let deadline = this
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(start + total)));
        let deadline_passed = deadline.as_mut().poll(cx).is_ready();
        if this.pace.min_rate > 0 && this.pace.grace < total {
            let grace = this.pace.grace;
            let check = this
                .grace_check
                .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(start + grace)));
            // Registers the wake-up; its passing is judged below.
            let _ = check.as_mut().poll(cx);
        }
        if deadline_passed && this.received < this.pace.covers {
            let slow = this.too_slow(start + total).unwrap_or_else(|| BodyTooSlow {
                why: "the body was too slow".to_string(),
            });
            return Poll::Ready(Some(Err(slow.into())));
        }
        if let Some(slow) = this.too_slow(now) {
            return Poll::Ready(Some(Err(slow.into())));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
