//! Credentials a generated client sends: fixed secrets, or a provider the
//! client asks before each request (cached, refreshed once on a `401`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The error a credentials provider returns.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type Fetch =
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send>> + Send + Sync;

/// A secret from a provider, with how long it stays valid.
#[derive(Clone)]
pub struct Token {
    secret: String,
    expires_in: Option<Duration>,
}

impl Token {
    /// A secret valid until the server refuses it.
    pub fn new(secret: impl Into<String>) -> Self {
        Token {
            secret: secret.into(),
            expires_in: None,
        }
    }

    /// The same secret, valid for `lifetime` (e.g. an OAuth2 `expires_in`);
    /// the client fetches a new one shortly before then.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("secret", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// A token, API key or password for one security scheme: fixed, or asked
/// of a provider before each request.
///
/// A provider's token is cached until shortly before it expires; a `401`
/// answer makes the client fetch a new one and retry the request once.
/// Concurrent requests share one fetch.
///
/// ```
/// use codegen_runtime::client::{Credential, Token};
/// let fixed: Credential = "s3cret".into();
/// let rotating = Credential::provider(|| async {
///     // e.g. an OAuth2 client-credentials exchange
///     Ok::<_, std::io::Error>(Token::new("fresh").expires_in(std::time::Duration::from_secs(3600)))
/// });
/// assert_eq!(format!("{fixed:?}"), "Credential(<redacted>)");
/// # drop(rotating);
/// ```
#[derive(Clone)]
pub struct Credential(Source);

#[derive(Clone)]
enum Source {
    Fixed(Arc<str>),
    Provided(Arc<Provider>),
}

struct Provider {
    fetch: Box<Fetch>,
    cached: Mutex<Option<(String, Option<Instant>)>>,
}

/// How long before its expiry a cached token is replaced.
const EARLY: Duration = Duration::from_secs(30);

impl Credential {
    /// A credential fetched by `fetch` when none is cached or the cached
    /// one expired or was refused.
    pub fn provider<F, Fut, E>(fetch: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Token, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let fetch: Box<Fetch> = Box::new(move || {
            let fut = fetch();
            Box::pin(async move { fut.await.map_err(Into::into) })
        });
        Credential(Source::Provided(Arc::new(Provider {
            fetch,
            cached: Mutex::new(None),
        })))
    }

    /// Whether a `401` is worth a refresh (the secret is not fixed).
    pub fn refreshable(&self) -> bool {
        matches!(self.0, Source::Provided(_))
    }

    /// The secret to send; `refresh` discards a cached one first.
    pub async fn secret(&self, refresh: bool) -> Result<Arc<str>, BoxError> {
        match &self.0 {
            Source::Fixed(s) => Ok(s.clone()),
            Source::Provided(p) => p.secret(refresh).await.map(Arc::from),
        }
    }
}

impl Provider {
    async fn secret(&self, refresh: bool) -> Result<String, BoxError> {
        let mut cached = self.cached.lock().await;
        let fresh = |until: &Option<Instant>| until.is_none_or(|t| Instant::now() + EARLY < t);
        if !refresh {
            if let Some((secret, until)) = cached.as_ref() {
                if fresh(until) {
                    return Ok(secret.clone());
                }
            }
        }
        let token = (self.fetch)().await?;
        let until = token.expires_in.map(|d| Instant::now() + d);
        *cached = Some((token.secret.clone(), until));
        Ok(token.secret)
    }
}

impl From<String> for Credential {
    fn from(secret: String) -> Self {
        Credential(Source::Fixed(secret.into()))
    }
}

impl From<&str> for Credential {
    fn from(secret: &str) -> Self {
        Credential(Source::Fixed(secret.into()))
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credential(<redacted>)")
    }
}

/// How one credential goes on a request.
#[derive(Clone, Copy, Debug)]
pub enum Apply<'a> {
    /// `Authorization: Bearer <secret>`.
    Bearer(&'a Credential),
    /// `Authorization: Basic ...` from a user name and password.
    Basic(&'a str, &'a str),
    /// The secret as this header's value.
    Header(&'static str, &'a Credential),
    /// The secret as this query parameter.
    Query(&'static str, &'a Credential),
    /// The secret as this cookie (added to any `Cookie` header already set).
    Cookie(&'static str, &'a Credential),
}

impl Apply<'_> {
    /// The credential a `401` could refresh.
    pub(crate) fn credential(&self) -> Option<&Credential> {
        match self {
            Apply::Bearer(c) | Apply::Header(_, c) | Apply::Query(_, c) | Apply::Cookie(_, c) => {
                Some(c)
            }
            Apply::Basic(..) => None,
        }
    }

    /// Puts the credential on `request`; secrets are marked sensitive so
    /// that no `Debug` of the request prints them.
    pub(crate) async fn apply(
        &self,
        request: &mut reqwest::Request,
        refresh: bool,
    ) -> Result<(), super::Error> {
        use reqwest::header::{HeaderValue, AUTHORIZATION};
        let secret = match self.credential() {
            Some(c) => Some(
                c.secret(refresh)
                    .await
                    .map_err(super::ErrorKind::Credential)?,
            ),
            None => None,
        };
        let secret = secret.as_deref().unwrap_or_default();
        let header = |value: String| {
            HeaderValue::try_from(value)
                .map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
                .map_err(|_| {
                    super::Error::from(super::ErrorKind::InvalidRequest(
                        "a credential is not a valid header value".into(),
                    ))
                })
        };
        match self {
            Apply::Bearer(_) => {
                let value = header(format!("Bearer {secret}"))?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Apply::Basic(user, password) => {
                use base64::Engine;
                let raw = format!("{user}:{password}");
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                let value = header(format!("Basic {encoded}"))?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Apply::Header(name, _) => {
                let value = header(secret.to_string())?;
                request.headers_mut().insert(*name, value);
            }
            Apply::Query(name, _) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, secret);
            }
            Apply::Cookie(name, _) => {
                use reqwest::header::COOKIE;
                let pair = format!("{name}={secret}");
                let value = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(set) if !set.is_empty() => format!("{set}; {pair}"),
                    _ => pair,
                };
                let value = header(value)?;
                request.headers_mut().insert(COOKIE, value);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counting() -> (Credential, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        let credential = Credential::provider(move || {
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                Ok::<_, std::io::Error>(
                    Token::new(format!("t{n}")).expires_in(Duration::from_secs(60)),
                )
            }
        });
        (credential, calls)
    }

    #[tokio::test(start_paused = true)]
    async fn a_provider_is_cached_until_shortly_before_expiry_or_a_refresh() {
        let (credential, calls) = counting();
        assert_eq!(&*credential.secret(false).await.unwrap(), "t1");
        assert_eq!(&*credential.secret(false).await.unwrap(), "t1");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(31)).await;
        assert_eq!(
            &*credential.secret(false).await.unwrap(),
            "t2",
            "within 30 s of expiry"
        );
        assert_eq!(
            &*credential.secret(true).await.unwrap(),
            "t3",
            "a refresh fetches"
        );
        assert!(credential.refreshable());
        assert!(!Credential::from("fixed").refreshable());
    }

    #[tokio::test]
    async fn credentials_go_where_the_scheme_says_and_are_sensitive() {
        let client = reqwest::Client::new();
        let mut request = client.get("http://h/p?a=1").build().unwrap();
        let key: Credential = "k 1".into();
        Apply::Bearer(&key)
            .apply(&mut request, false)
            .await
            .unwrap();
        Apply::Query("api_key", &key)
            .apply(&mut request, false)
            .await
            .unwrap();
        Apply::Header("X-Key", &key)
            .apply(&mut request, false)
            .await
            .unwrap();
        assert_eq!(request.url().query(), Some("a=1&api_key=k+1"));
        assert_eq!(request.headers()["authorization"], "Bearer k 1");
        assert!(request.headers()["authorization"].is_sensitive());
        assert_eq!(request.headers()["x-key"], "k 1");
        Apply::Basic("u", "p")
            .apply(&mut request, false)
            .await
            .unwrap();
        assert_eq!(request.headers()["authorization"], "Basic dTpw");
        // A cookie joins the ones already set.
        let session: Credential = "s1".into();
        Apply::Cookie("sid", &session)
            .apply(&mut request, false)
            .await
            .unwrap();
        assert_eq!(request.headers()["cookie"], "sid=s1");
        Apply::Cookie("csrf", &key)
            .apply(&mut request, false)
            .await
            .unwrap();
        assert_eq!(request.headers()["cookie"], "sid=s1; csrf=k 1");
        assert!(request.headers()["cookie"].is_sensitive());
    }
}
