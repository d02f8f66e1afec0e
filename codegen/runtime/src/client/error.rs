//! The error of every generated client call.

use std::any::Any;
use std::fmt;

use reqwest::header::HeaderMap;

use crate::{ErrorResponse, Operation, ResponseEnum};

/// Why a call failed, and in which operation: [`Error::kind`] says how,
/// [`Error::operation`] which call of the spec (its `operationId`, method
/// and route), and `Display` both (`` `pets.get` (GET /pets/{id}): undocumented
/// status 500: ... ``).
///
/// Nothing prints credentials: a transport error's URL loses its query
/// (where API keys go) and user info. No body is printed, except that
/// `Display` of an undocumented status shows an excerpt of its body (most
/// often the server's own account of the failure): at most 200
/// characters, the values of JSON keys that name secrets (`token`,
/// `password`, `secret`, `authorization`...) redacted.
///
/// ```
/// use codegen_runtime::client::{Error, ErrorKind};
/// use codegen_runtime::Operation;
///
/// let error = Error::from(ErrorKind::InvalidRequest("bad header".into()))
///     .in_operation(Operation::new("pets.get", "GET", "/pets/{id}"));
/// assert_eq!(error.operation().map(|op| op.id), Some("pets.get"));
/// assert!(matches!(error.kind(), ErrorKind::InvalidRequest(_)));
/// assert_eq!(error.to_string(), "`pets.get` (GET /pets/{id}): invalid request: bad header");
/// ```
pub struct Error {
    // Boxed: a `Result` is as large as its larger side, and calls return
    // one at every step.
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<Operation>,
}

/// How a call failed. Every case keeps what is needed to diagnose it.
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be built (bad base URL or header value, body encoding).
    InvalidRequest(String),
    /// The request did not complete (connection refused, timeout, TLS, body read).
    Transport(reqwest::Error),
    /// A status the spec does not document for this operation.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The response's body.
        body: Vec<u8>,
    },
    /// A layer the caller added to the client failed the request.
    Layer(Box<dyn std::error::Error + Send + Sync>),
    /// The credentials provider failed.
    Credential(Box<dyn std::error::Error + Send + Sync>),
    /// A page of a paginated call answered a status other than success;
    /// the pages before it were delivered.
    Page {
        /// The HTTP status.
        status: u16,
        /// The response's body.
        body: Vec<u8>,
    },
    /// Pagination stopped because the API sent a cursor it had sent
    /// before: following it would loop forever.
    RepeatedCursor(String),
    /// A documented status whose body does not match the spec.
    Decode {
        /// The HTTP status.
        status: u16,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The response's body.
        body: Vec<u8>,
        /// What did not match, without the offending values.
        reason: String,
    },
    /// A documented answer that is not a success, carried here by `?`
    /// from a response enum's `into_result()` ([`ErrorResponse`]).
    /// [`Error::response`] gives the decoded answer back.
    Response {
        /// The HTTP status.
        status: u16,
        /// The body's message, where the spec names a field for one.
        message: Option<String>,
        /// The response enum, holding the answer.
        response: Box<dyn Any + Send + Sync>,
    },
}

impl Error {
    /// How the call failed.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// How the call failed, owned (to move a body out).
    pub fn into_kind(self) -> ErrorKind {
        self.inner.kind
    }

    /// The operation whose call failed, when the error arose in one (a
    /// generated call always says).
    pub fn operation(&self) -> Option<&Operation> {
        self.inner.operation.as_ref()
    }

    /// The same error, said to have arisen in `operation` (unless it
    /// already names one: the innermost call knows best).
    pub fn in_operation(mut self, operation: Operation) -> Self {
        self.inner.operation.get_or_insert(operation);
        self
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self.kind() {
            ErrorKind::UnexpectedStatus { status, .. }
            | ErrorKind::Decode { status, .. }
            | ErrorKind::Page { status, .. }
            | ErrorKind::Response { status, .. } => Some(*status),
            ErrorKind::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The raw response body, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        match self.kind() {
            ErrorKind::UnexpectedStatus { body, .. }
            | ErrorKind::Decode { body, .. }
            | ErrorKind::Page { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The documented answer an [`ErrorKind::Response`] holds, as the
    /// operation's response enum `R` (`None` for another error or type).
    pub fn response<R: 'static>(&self) -> Option<&R> {
        match self.kind() {
            ErrorKind::Response { response, .. } => response.downcast_ref(),
            _ => None,
        }
    }

    /// A transport error, its URL's query, fragment and user info removed:
    /// API keys travel in the query, and `Display` shows the URL.
    pub(crate) fn transport(mut error: reqwest::Error) -> Error {
        if let Some(url) = error.url_mut() {
            url.set_query(None);
            url.set_fragment(None);
            // Only fails for URLs that cannot have credentials anyway.
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        ErrorKind::Transport(error).into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                operation: None,
            }),
        }
    }
}

impl<R: ResponseEnum + Send + Sync + 'static> From<ErrorResponse<R>> for Error {
    fn from(error: ErrorResponse<R>) -> Self {
        let operation = error.response().operation();
        let error = Error::from(ErrorKind::Response {
            status: error.status(),
            message: error.message().map(str::to_string),
            response: error.into_boxed(),
        });
        match operation {
            Some(operation) => error.in_operation(operation),
            None => error,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("operation", &self.operation().map(|op| op.id))
            .field("kind", self.kind())
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.operation() {
            write!(f, "`{}` ({} {}): ", op.id, op.method, op.route)?;
        }
        fmt::Display::fmt(self.kind(), f)
    }
}

impl fmt::Debug for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            ErrorKind::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            ErrorKind::Layer(e) => f.debug_tuple("Layer").field(e).finish(),
            ErrorKind::Credential(e) => f.debug_tuple("Credential").field(e).finish(),
            ErrorKind::Page { status, body } => f
                .debug_struct("Page")
                .field("status", status)
                .field("body_bytes", &body.len())
                .finish(),
            ErrorKind::RepeatedCursor(_) => f.debug_tuple("RepeatedCursor").finish_non_exhaustive(),
            ErrorKind::Response {
                status, message, ..
            } => f
                .debug_struct("Response")
                .field("status", status)
                .field("message", message)
                .finish_non_exhaustive(),
            ErrorKind::UnexpectedStatus {
                status,
                headers,
                body,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("headers", &headers.len())
                .field("body_bytes", &body.len())
                .finish(),
            ErrorKind::Decode {
                status,
                headers,
                body,
                reason,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("headers", &headers.len())
                .field("body_bytes", &body.len())
                .field("reason", reason)
                .finish(),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            ErrorKind::Transport(e) => write!(f, "transport error: {e}"),
            ErrorKind::Layer(e) => write!(f, "client layer error: {e}"),
            ErrorKind::Credential(e) => write!(f, "credentials provider error: {e}"),
            ErrorKind::Page { status, body } => {
                write!(
                    f,
                    "a page answered status {status} ({} body bytes)",
                    body.len()
                )
            }
            ErrorKind::RepeatedCursor(_) => f.write_str("the API repeated a pagination cursor"),
            ErrorKind::UnexpectedStatus { status, body, .. } => {
                write!(
                    f,
                    "undocumented status {status} ({} body bytes)",
                    body.len()
                )?;
                match super::excerpt::body_excerpt(body) {
                    Some(excerpt) => write!(f, ": {excerpt}"),
                    None => Ok(()),
                }
            }
            ErrorKind::Decode { status, reason, .. } => {
                write!(f, "status {status}: body does not match the spec: {reason}")
            }
            ErrorKind::Response {
                status, message, ..
            } => {
                write!(f, "the server answered {status}")?;
                match message {
                    Some(message) => write!(f, ": {}", crate::response::excerpt(message)),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::Layer(e) | ErrorKind::Credential(e) => Some(&**e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_print_the_body() {
        let e = Error::from(ErrorKind::Decode {
            status: 200,
            headers: Box::default(),
            body: b"secret".to_vec(),
            reason: "Data error at line 1 column 2".into(),
        });
        assert!(!format!("{e:?}{e}").contains("secret"));
        assert_eq!(e.status(), Some(200));
        assert_eq!(e.body(), Some(&b"secret"[..]));
    }

    #[test]
    fn the_innermost_operation_is_kept_and_displayed() {
        let inner = Operation::new("pets.get", "GET", "/pets/{id}");
        let outer = Operation::new("pets.list", "GET", "/pets");
        let e = Error::from(ErrorKind::RepeatedCursor("c".into()))
            .in_operation(inner)
            .in_operation(outer);
        assert_eq!(e.operation(), Some(&inner));
        assert_eq!(
            e.to_string(),
            "`pets.get` (GET /pets/{id}): the API repeated a pagination cursor"
        );
        assert_eq!(
            format!("{e:?}"),
            "Error { operation: Some(\"pets.get\"), kind: RepeatedCursor(..) }"
        );
    }

    #[test]
    fn an_error_result_stays_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
