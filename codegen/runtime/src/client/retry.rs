//! When a failed call is tried again, and after how long.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::Operation;

/// A retry policy: opt-in on the client builder (`.retry(Retry::new())`),
/// overridable per request (`.retry(..)` on a request builder).
///
/// - Retried: `408`, `429`, `502`, `503`, `504` and connection failures.
/// - Only requests that are safe to repeat: idempotent methods, and a
///   `POST`/`PATCH` only when the operation declares an idempotency-key
///   header and the request carries it.
/// - The wait is what `Retry-After` asks (seconds or an HTTP date), else
///   exponential backoff with full jitter: a random time in
///   `0..=min(cap, base * 2^retry)`.
/// - At most `max_attempts` attempts (the first included), and no wait that
///   would end after `budget` from the first attempt.
///
/// ```
/// use std::time::Duration;
/// use codegen_runtime::client::Retry;
/// let policy = Retry::new()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(50), Duration::from_secs(2))
///     .budget(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    max_attempts: u32,
    base: Duration,
    cap: Duration,
    budget: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry::new()
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A response with this status arrived.
    Status(u16),
    /// The connection could not be made or broke before a response.
    Connection,
}

impl Retry {
    /// 3 attempts, backoff from 100 ms capped at 5 s, a 30 s budget.
    pub fn new() -> Self {
        Retry {
            max_attempts: 3,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(5),
            budget: Duration::from_secs(30),
        }
    }

    /// No retries: one attempt.
    pub fn never() -> Self {
        Retry {
            max_attempts: 1,
            ..Retry::new()
        }
    }

    /// At most `attempts` attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff from `base`, doubling per retry, never above `cap`.
    pub fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base = base;
        self.cap = cap.max(base);
        self
    }

    /// The time from the first attempt after which no retry starts.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The maximum number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether this failure is worth another attempt of this request.
    pub fn retryable(&self, op: &Operation, request: &HeaderMap, failure: Failure) -> bool {
        let transient = match failure {
            Failure::Status(status) => matches!(status, 408 | 429 | 502 | 503 | 504),
            Failure::Connection => true,
        };
        let repeatable = op.is_idempotent()
            || op
                .idempotency_key
                .is_some_and(|header| request.contains_key(header));
        transient && repeatable
    }

    /// The wait before attempt `done + 1` after `done` attempts, given the
    /// failed response's headers and the time spent so far; `None` when
    /// the policy gives up (no attempts left, or the wait would end after
    /// the budget).
    pub fn wait(
        &self,
        done: u32,
        response: Option<&HeaderMap>,
        elapsed: Duration,
        random: f64,
    ) -> Option<Duration> {
        if done >= self.max_attempts {
            return None;
        }
        let asked = response.and_then(|h| retry_after(h, SystemTime::now()));
        let wait = asked.unwrap_or_else(|| self.jittered(done, random));
        (elapsed + wait <= self.budget).then_some(wait)
    }

    /// Full jitter: `random` (in `0..1`) of the capped exponential step.
    fn jittered(&self, done: u32, random: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(done.saturating_sub(1)));
        exp.min(self.cap).mul_f64(random.clamp(0.0, 1.0))
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date
/// (RFC 9110 §10.2.3); a date in the past is no wait, a malformed value is
/// ignored.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            retry_after(&headers("2"), now),
            Some(Duration::from_secs(2))
        );
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        let date = headers("Sun, 06 Nov 1994 08:49:47 GMT");
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(10)));
        let past = headers("Sun, 06 Nov 1994 08:49:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn only_transient_failures_of_repeatable_requests_are_retried() {
        let policy = Retry::new();
        let get = Operation::new("a", "GET", "/");
        let post = Operation::new("a", "POST", "/");
        let keyed = post.with_idempotency_key("Idempotency-Key");
        let none = HeaderMap::new();
        for status in [408, 429, 502, 503, 504] {
            assert!(policy.retryable(&get, &none, Failure::Status(status)));
        }
        for status in [400, 401, 404, 500, 501] {
            assert!(!policy.retryable(&get, &none, Failure::Status(status)));
        }
        assert!(policy.retryable(&get, &none, Failure::Connection));
        assert!(!policy.retryable(&post, &none, Failure::Status(503)));
        assert!(!policy.retryable(&keyed, &none, Failure::Status(503)));
        let key = headers("1");
        let mut with_key = HeaderMap::new();
        with_key.insert("idempotency-key", key[RETRY_AFTER].clone());
        assert!(policy.retryable(&keyed, &with_key, Failure::Status(503)));
    }

    #[test]
    fn backoff_is_capped_full_jitter_and_respects_attempts_and_budget() {
        let policy = Retry::new()
            .max_attempts(4)
            .backoff(Duration::from_millis(100), Duration::from_millis(250))
            .budget(Duration::from_secs(1));
        let at = |done, random| policy.wait(done, None, Duration::ZERO, random);
        assert_eq!(at(1, 1.0), Some(Duration::from_millis(100)));
        assert_eq!(at(2, 1.0), Some(Duration::from_millis(200)));
        assert_eq!(at(3, 1.0), Some(Duration::from_millis(250)));
        assert_eq!(at(3, 0.5), Some(Duration::from_millis(125)));
        assert_eq!(at(1, 0.0), Some(Duration::ZERO));
        assert_eq!(at(4, 1.0), None, "no attempt after the fourth");
        let late = policy.wait(1, Some(&headers("2")), Duration::ZERO, 0.0);
        assert_eq!(late, None, "a 2 s Retry-After ends after the 1 s budget");
        let asked = Retry::new().wait(1, Some(&headers("2")), Duration::ZERO, 0.0);
        assert_eq!(
            asked,
            Some(Duration::from_secs(2)),
            "Retry-After wins over backoff"
        );
    }

    proptest::proptest! {
        #[test]
        fn a_wait_never_exceeds_the_cap_nor_the_budget(done in 1u32..40, random in 0.0f64..1.0, spent in 0u64..40_000) {
            let policy = Retry::new().max_attempts(50);
            if let Some(wait) = policy.wait(done, None, Duration::from_millis(spent), random) {
                proptest::prop_assert!(wait <= Duration::from_secs(5));
                proptest::prop_assert!(Duration::from_millis(spent) + wait <= Duration::from_secs(30));
            }
        }
    }
}
