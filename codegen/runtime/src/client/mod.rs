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
/// `Debug` for a generated request builder: the builder's name and no
/// inputs, since some (an `authorization` header, an API key) are secrets.
///
/// ```
/// struct PingRequest<'a>(&'a str);
/// codegen_runtime::request_debug!(PingRequest);
/// assert_eq!(format!("{:?}", PingRequest("secret")), "PingRequest { .. }");
/// ```
#[macro_export]
macro_rules! request_debug {
    ($name:ident) => {
        impl ::core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(::core::stringify!($name))
                    .finish_non_exhaustive()
            }
        }
    };
}
