//! What generated clients are made of: the [`Transport`] every call goes
//! through (layers, credentials, retries, tracing), the [`Error`] every
//! call returns, request encoding ([`encode`]) and response decoding
//! ([`decode`]).

mod auth;
pub mod decode;
pub mod encode;
mod error;
mod flat;
pub mod multipart;
pub mod page;
mod retry;
#[cfg(feature = "tracing")]
mod trace;
mod transport;

pub use crate::{Accept, Style};
pub use auth::{Apply, BoxError, Credential, Token};
pub use error::Error;
pub use futures_util::stream::Stream;
pub use retry::{retry_after, Failure, Retry};
pub use transport::{HttpRequest, HttpResponse, Stack, StackLayer, Transport, TransportBuilder};
/// What every generated request builder has besides its inputs: `Debug`
/// (the builder's name and no inputs, since some, an `authorization`
/// header or an API key, are secrets) and the `retry` setter of its
/// `retry: Option<Retry>` field. One line in each builder instead of the
/// same dozen.
///
/// ```
/// use codegen_runtime::client::Retry;
///
/// struct PingRequest<'a> {
///     secret: &'a str,
///     retry: Option<Retry>,
/// }
/// codegen_runtime::request_builder!(PingRequest);
///
/// let ping = PingRequest { secret: "s3cr3t", retry: None }.retry(Retry::never());
/// assert!(ping.retry.is_some());
/// assert_eq!(format!("{ping:?}"), "PingRequest { .. }");
/// ```
#[macro_export]
macro_rules! request_builder {
    ($name:ident) => {
        impl ::core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(::core::stringify!($name))
                    .finish_non_exhaustive()
            }
        }

        impl $name<'_> {
            /// Retries this call by `policy` instead of the client's.
            pub fn retry(mut self, policy: $crate::client::Retry) -> Self {
                self.retry = ::core::option::Option::Some(policy);
                self
            }
        }
    };
}
