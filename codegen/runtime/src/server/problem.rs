//! The JSON answer of every request the server itself rejects.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// One reason a request was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Where: `path.id`, `query.sortField`, `header.siteId`, `body.personal_access_token.name`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A [`Violation`] of `field`.
pub fn violation(field: &str, message: impl Into<String>) -> Violation {
    Violation {
        field: field.to_string(),
        message: message.into(),
    }
}

/// The JSON body of every answer the server itself gives (400, 401, 403, 404, 501...).
///
/// ```
/// use codegen_runtime::server::{violation, Problem};
/// let problem = Problem::invalid(vec![violation("query.page", "must be an integer")]);
/// assert_eq!(problem.status, 400);
/// assert_eq!(problem.message, "query.page: must be an integer");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The HTTP status.
    pub status: u16,
    /// A stable, machine-readable kind (`invalid_request`, `unauthorized`, `not_implemented`...).
    pub error: String,
    /// A sentence for people.
    pub message: String,
    /// Each invalid input, for `invalid_request`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
}

impl Problem {
    /// A problem with this status, kind and message.
    pub fn new(status: u16, error: &str, message: impl Into<String>) -> Self {
        Problem {
            status,
            error: error.to_string(),
            message: message.into(),
            violations: Vec::new(),
        }
    }

    /// `400`: the request breaks the spec.
    pub fn invalid(violations: Vec<Violation>) -> Self {
        let message = match violations.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} inputs are invalid", many.len()),
        };
        Problem {
            violations,
            ..Problem::new(400, "invalid_request", message)
        }
    }

    /// `401`: credentials are missing or malformed.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Problem::new(401, "unauthorized", message)
    }

    /// `403`: the credentials do not allow this operation.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Problem::new(403, "forbidden", message)
    }

    /// `501`: the implementation does not provide this operation yet.
    pub fn not_implemented(operation: &str) -> Self {
        Problem::new(
            501,
            "not_implemented",
            format!("operation `{operation}` is not implemented"),
        )
    }
}

/// The answer with this status and the problem as JSON. A `401` gets its
/// `WWW-Authenticate` challenge from the generated router's layer
/// ([`crate::server::reply::challenge_layer`]).
/// A request body that failed while the implementation read it: `413`
/// over the streamed-body limit, else `400` (so `?` on a body stream
/// answers the client, never `500`).
impl From<crate::stream::StreamError> for Problem {
    fn from(e: crate::stream::StreamError) -> Self {
        if e.is_too_large() {
            Problem::new(413, "payload_too_large", e.to_string())
        } else {
            Problem::new(
                400,
                "body_unreadable",
                format!("the request body could not be read: {e}"),
            )
        }
    }
}

impl Problem {
    /// The problem for a request axum's extractors rejected (a body too
    /// large, cut short, a bad path).
    pub fn rejected(status: StatusCode, message: String) -> Self {
        let error = match status.as_u16() {
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            _ => "invalid_request",
        };
        Problem::new(status.as_u16(), error, message)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self)).into_response()
    }
}

/// What an operation answers: its documented response, or a [`Problem`].
pub type Outcome<T> = Result<T, Problem>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_violations_are_counted_in_the_message() {
        let p = Problem::invalid(vec![violation("a", "x"), violation("b", "y")]);
        assert_eq!(p.message, "2 inputs are invalid");
        assert_eq!(p.error, "invalid_request");
    }

    #[test]
    fn a_problem_answers_its_status_as_json() {
        let response = Problem::forbidden("no").into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers()[axum::http::header::CONTENT_TYPE],
            "application/json"
        );
        // A status HTTP cannot carry is a 500, never a panic.
        let response = Problem::new(1000, "odd", "odd").into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn empty_violations_are_not_serialized() {
        let text = serde_json::to_string(&Problem::not_implemented("x")).unwrap();
        assert!(!text.contains("violations"), "{text}");
    }
}
