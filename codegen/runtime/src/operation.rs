//! What a generated call or handler says about the operation it serves.

/// One operation of the spec, as generated code describes it to the
/// runtime: its id, method and route template.
///
/// The client puts a copy in the extensions of every request it sends and
/// the server in those of every request it routes, so a `tower` layer can
/// apply per-operation policies (metrics, rate limits, auth) without
/// matching paths:
///
/// ```
/// use codegen_runtime::Operation;
/// let mut request = http::Request::new(());
/// request.extensions_mut().insert(Operation::new("pets.list", "GET", "/pets"));
/// let id = request.extensions().get::<Operation>().map(|op| op.id);
/// assert_eq!(id, Some("pets.list"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId` (or the id the generator derived when it had none).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template as the spec writes it (`/pets/{petId}`).
    pub route: &'static str,
    /// The header that makes a non-idempotent request safe to repeat
    /// (`Idempotency-Key`), when the operation declares one: only then may
    /// a client retry a `POST` or `PATCH`.
    pub idempotency_key: Option<&'static str>,
    /// The operation documents a redirect (a 3xx answer): the client
    /// returns it as that answer instead of following it.
    pub keeps_redirects: bool,
}

impl Operation {
    /// An operation without an idempotency-key header.
    pub const fn new(id: &'static str, method: &'static str, route: &'static str) -> Self {
        Operation {
            id,
            method,
            route,
            idempotency_key: None,
            keeps_redirects: false,
        }
    }

    /// The same operation, documenting a 3xx answer: a client's default
    /// HTTP client does not follow its redirects (see
    /// [`Operation::keeps_redirects`]).
    pub const fn keeping_redirects(mut self) -> Self {
        self.keeps_redirects = true;
        self
    }

    /// The same operation, declaring `header` as its idempotency key.
    pub const fn with_idempotency_key(mut self, header: &'static str) -> Self {
        self.idempotency_key = Some(header);
        self
    }

    /// Whether repeating the request cannot change the outcome (RFC 9110
    /// §9.2.2): `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method,
            "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PUT" | "DELETE"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_and_idempotent_methods_are_idempotent() {
        assert!(Operation::new("a", "PUT", "/").is_idempotent());
        assert!(!Operation::new("a", "POST", "/").is_idempotent());
        let keyed = Operation::new("a", "POST", "/").with_idempotency_key("Idempotency-Key");
        assert_eq!(keyed.idempotency_key, Some("Idempotency-Key"));
        assert!(!keyed.is_idempotent());
    }

    #[test]
    fn only_an_operation_said_to_keep_redirects_keeps_them() {
        assert!(!Operation::new("a", "GET", "/").keeps_redirects);
        assert!(
            Operation::new("a", "GET", "/")
                .keeping_redirects()
                .keeps_redirects
        );
    }
}
