//! What generated clients are made of: the [`Transport`] every call goes
//! through (layers, credentials, retries, tracing) and the [`Error`] every
//! call returns. Request encoding, response decoding and pagination, which
//! only generated request builders call, are hidden from these docs (see
//! [`crate::__private`]).

mod auth;
mod call;
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod encode;
mod error;
mod excerpt;
mod flat;
#[doc(hidden)]
pub mod multipart;
#[doc(hidden)]
pub mod page;
mod retry;
#[cfg(feature = "tracing")]
mod trace;
mod transport;

pub use crate::{Accept, Style};
#[doc(hidden)]
pub use auth::Apply;
pub use auth::{BoxError, Credential, Token};
pub use call::Call;
pub use error::{Error, ErrorKind};
pub use futures_util::stream::Stream;
pub use retry::{retry_after, Failure, Retry};
pub use transport::{HttpRequest, HttpResponse, Stack, StackLayer, Transport, TransportBuilder};
/// The settings every generated `ClientBuilder` passes to its
/// [`TransportBuilder`] (a `transport` field): `timeout`, `default_header`,
/// `http_client`, `retry` and `layer`, written once here instead of in
/// every generated module. The builder's credential setters and `build`
/// depend on the spec and stay generated.
///
/// ```
/// use codegen_runtime::client::{Retry, TransportBuilder};
///
/// struct ClientBuilder {
///     transport: TransportBuilder,
/// }
/// codegen_runtime::client_builder!(ClientBuilder);
///
/// let builder = ClientBuilder { transport: TransportBuilder::new("http://127.0.0.1:1") }
///     .timeout(std::time::Duration::from_secs(5))
///     .retry(Retry::never());
/// assert_eq!(builder.transport.build().base_url(), "http://127.0.0.1:1");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! client_builder {
    ($name:ident) => {
        impl $name {
            /// Fails any attempt that takes longer than this (whole request and response).
            pub fn timeout(mut self, timeout: ::core::time::Duration) -> Self {
                self.transport = self.transport.timeout(timeout);
                self
            }

            /// A header sent with every request (operation headers win).
            pub fn default_header(
                mut self,
                name: $crate::reqwest::header::HeaderName,
                value: $crate::reqwest::header::HeaderValue,
            ) -> Self {
                self.transport = self.transport.default_header(name, value);
                self
            }

            /// Use this `reqwest::Client` (its pool, proxy and TLS settings).
            pub fn http_client(mut self, http: $crate::reqwest::Client) -> Self {
                self.transport = self.transport.http_client(http);
                self
            }

            /// Retry failed calls by `policy` (off by default; a request's
            /// `.retry(..)` overrides it). See [`Retry`](::codegen_runtime::client::Retry).
            pub fn retry(mut self, policy: $crate::client::Retry) -> Self {
                self.transport = self.transport.retry(policy);
                self
            }

            /// Wraps the transport in a `tower` layer; each request it sees
            /// carries its [`Operation`](::codegen_runtime::Operation) in its
            /// extensions. See [`StackLayer`](::codegen_runtime::client::StackLayer).
            pub fn layer(mut self, layer: impl $crate::client::StackLayer) -> Self {
                self.transport = self.transport.layer(layer);
                self
            }
        }
    };
}

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
#[doc(hidden)]
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
