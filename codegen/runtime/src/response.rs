//! Documented error answers as error values: what a generated response
//! enum's `into_result()` gives when the server answered one of the
//! operation's documented errors.

use std::fmt;

use crate::Operation;

/// A generated response enum: one variant per documented status.
/// Implemented by generated code; [`ErrorResponse`] reads it.
pub trait ResponseEnum: fmt::Debug {
    /// The HTTP status of this answer.
    fn status_code(&self) -> u16;

    /// The message the answer's body carries, where the spec names a
    /// field for one (`message`, `detail`, `error_description`...).
    fn message(&self) -> Option<&str> {
        None
    }

    /// The operation this answers (generated enums say).
    fn operation(&self) -> Option<Operation> {
        None
    }
}

/// A documented answer that is not a success (a documented `4xx`, a
/// `default` answer with an error status...), as an error value: it holds
/// the whole answer (status, decoded body, headers) as the response enum.
///
/// It implements [`std::error::Error`], so `?` carries it into a
/// `Box<dyn Error>`, and, with the `client` feature, into the client's
/// [`Error`](crate::client::Error) (whose
/// [`response`](crate::client::Error::response) gives the answer back).
///
/// ```
/// use codegen_runtime::{ErrorResponse, ResponseEnum};
///
/// #[derive(Debug)]
/// enum GetPetResponse {
///     Ok(String),
///     NotFound { message: String },
/// }
/// impl ResponseEnum for GetPetResponse {
///     fn status_code(&self) -> u16 {
///         match self { Self::Ok(_) => 200, Self::NotFound { .. } => 404 }
///     }
///     fn message(&self) -> Option<&str> {
///         match self { Self::NotFound { message } => Some(message), _ => None }
///     }
/// }
///
/// let error = ErrorResponse::new(GetPetResponse::NotFound { message: "no such pet".into() });
/// assert_eq!(error.status(), 404);
/// assert_eq!(error.to_string(), "the server answered 404: no such pet");
/// assert!(matches!(error.into_response(), GetPetResponse::NotFound { .. }));
/// ```
#[derive(Clone, PartialEq)]
pub struct ErrorResponse<R> {
    // Boxed: the enum holds the success body too, and a `Result` is as
    // large as its larger side.
    response: Box<R>,
}

impl<R: ResponseEnum> ErrorResponse<R> {
    /// Wraps a documented answer that is not a success.
    pub fn new(response: R) -> Self {
        ErrorResponse {
            response: Box::new(response),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status_code()
    }

    /// The body's message, where the spec names a field for one.
    pub fn message(&self) -> Option<&str> {
        self.response.message()
    }

    /// The answer, to match on its variant.
    pub fn response(&self) -> &R {
        &self.response
    }

    /// The answer, owned.
    pub fn into_response(self) -> R {
        *self.response
    }

    #[cfg(feature = "client")]
    pub(crate) fn into_boxed(self) -> Box<R> {
        self.response
    }
}

impl<R: ResponseEnum> fmt::Debug for ErrorResponse<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ErrorResponse")
            .field(&self.response)
            .finish()
    }
}

impl<R: ResponseEnum> fmt::Display for ErrorResponse<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.response.operation() {
            write!(f, "`{}` ({} {}): ", op.id, op.method, op.route)?;
        }
        write!(f, "the server answered {}", self.status())?;
        match self.message() {
            Some(message) => write!(f, ": {}", excerpt(message)),
            None => Ok(()),
        }
    }
}

impl<R: ResponseEnum> std::error::Error for ErrorResponse<R> {}

/// At most 300 characters of a server's message: a message is for a
/// person reading a log line, not a place to dump a page.
pub(crate) fn excerpt(message: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 300;
    match message.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &message[..cut]).into(),
        None => message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Answer(u16, Option<String>);

    impl ResponseEnum for Answer {
        fn status_code(&self) -> u16 {
            self.0
        }
        fn message(&self) -> Option<&str> {
            self.1.as_deref()
        }
    }

    #[test]
    fn display_names_the_status_and_a_bounded_message() {
        let plain = ErrorResponse::new(Answer(503, None));
        assert_eq!(plain.to_string(), "the server answered 503");
        let long = ErrorResponse::new(Answer(400, Some("x".repeat(1000))));
        let text = long.to_string();
        assert!(text.ends_with("...") && text.len() < 350, "{text}");
    }

    #[derive(Debug)]
    struct Named;

    impl ResponseEnum for Named {
        fn status_code(&self) -> u16 {
            404
        }
        fn operation(&self) -> Option<Operation> {
            Some(Operation::new("pets.get", "GET", "/pets/{id}"))
        }
    }

    #[test]
    fn display_names_the_operation_when_the_enum_says() {
        assert_eq!(
            ErrorResponse::new(Named).to_string(),
            "`pets.get` (GET /pets/{id}): the server answered 404"
        );
    }

    #[test]
    fn boxes_as_a_std_error() {
        fn fails() -> Result<(), Box<dyn std::error::Error>> {
            Err(ErrorResponse::new(Answer(404, Some("gone".into()))))?;
            Ok(())
        }
        assert_eq!(
            fails().unwrap_err().to_string(),
            "the server answered 404: gone"
        );
    }
}
