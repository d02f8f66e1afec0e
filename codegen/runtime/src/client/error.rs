//! The error of every generated client call.

use std::any::Any;

use reqwest::header::HeaderMap;

use crate::{ErrorResponse, ResponseEnum};

/// Why a call failed. Every case keeps what is needed to diagnose it.
/// Nothing prints credentials: a transport error's URL loses its query
/// (where API keys go) and user info. No body is printed, except that
/// `Display` of an undocumented status shows an excerpt of its body (most
/// often the server's own account of the failure): at most 200
/// characters, the values of JSON keys that name secrets (`token`,
/// `password`, `secret`, `authorization`...) redacted.
#[non_exhaustive]
pub enum Error {
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
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::Page { status, .. }
            | Error::Response { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The raw response body, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::UnexpectedStatus { body, .. }
            | Error::Decode { body, .. }
            | Error::Page { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl Error {
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
        Error::Transport(error)
    }

    /// The documented answer an [`Error::Response`] holds, as the
    /// operation's response enum `R` (`None` for another error or type).
    pub fn response<R: 'static>(&self) -> Option<&R> {
        match self {
            Error::Response { response, .. } => response.downcast_ref(),
            _ => None,
        }
    }
}

impl<R: ResponseEnum + Send + Sync + 'static> From<ErrorResponse<R>> for Error {
    fn from(error: ErrorResponse<R>) -> Self {
        Error::Response {
            status: error.status(),
            message: error.message().map(str::to_string),
            response: error.into_boxed(),
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::Layer(e) => f.debug_tuple("Layer").field(e).finish(),
            Error::Credential(e) => f.debug_tuple("Credential").field(e).finish(),
            Error::Page { status, body } => f
                .debug_struct("Page")
                .field("status", status)
                .field("body_bytes", &body.len())
                .finish(),
            Error::RepeatedCursor(_) => f.debug_tuple("RepeatedCursor").finish_non_exhaustive(),
            Error::Response {
                status, message, ..
            } => f
                .debug_struct("Response")
                .field("status", status)
                .field("message", message)
                .finish_non_exhaustive(),
            Error::UnexpectedStatus {
                status,
                headers,
                body,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("headers", &headers.len())
                .field("body_bytes", &body.len())
                .finish(),
            Error::Decode {
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

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Layer(e) => write!(f, "client layer error: {e}"),
            Error::Credential(e) => write!(f, "credentials provider error: {e}"),
            Error::Page { status, body } => {
                write!(
                    f,
                    "a page answered status {status} ({} body bytes)",
                    body.len()
                )
            }
            Error::RepeatedCursor(_) => f.write_str("the API repeated a pagination cursor"),
            Error::UnexpectedStatus { status, body, .. } => {
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
            Error::Decode { status, reason, .. } => {
                write!(f, "status {status}: body does not match the spec: {reason}")
            }
            Error::Response {
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
        match self {
            Error::Transport(e) => Some(e),
            Error::Layer(e) | Error::Credential(e) => Some(&**e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_print_the_body() {
        let e = Error::Decode {
            status: 200,
            headers: Box::default(),
            body: b"secret".to_vec(),
            reason: "Data error at line 1 column 2".into(),
        };
        assert!(!format!("{e:?}{e}").contains("secret"));
        assert_eq!(e.status(), Some(200));
        assert_eq!(e.body(), Some(&b"secret"[..]));
    }
}
