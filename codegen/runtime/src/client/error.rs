//! The error of every generated client call.

use reqwest::header::HeaderMap;

/// Why a call failed. Every case keeps what is needed to diagnose it; none
/// prints credentials or response bodies in `Debug` or `Display`.
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
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The raw response body, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
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
            Error::UnexpectedStatus { status, body, .. } => {
                write!(
                    f,
                    "undocumented status {status} ({} body bytes)",
                    body.len()
                )
            }
            Error::Decode { status, reason, .. } => {
                write!(f, "status {status}: body does not match the spec: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
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
