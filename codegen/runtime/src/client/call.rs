//! A generated call, prepared: what its request builder's `prepare`
//! returns, so that `send`, a stream's `open` and pagination all take one
//! value instead of four arguments repeated in every generated call.

use super::auth::Apply;
use super::decode::Read;
use super::retry::Retry;
use super::{Error, Transport};
use crate::Operation;

/// A request with everything the transport needs to send it: the
/// operation it belongs to (for layers, retries and tracing) and the
/// credentials that go on it.
///
/// ```
/// use codegen_runtime::client::{Call, TransportBuilder};
/// use codegen_runtime::{reqwest::Method, Operation};
///
/// let transport = TransportBuilder::new("http://127.0.0.1:1").build();
/// let request = transport.request(Method::GET, "/pets");
/// let call: Call<'_> = transport.call(Operation::new("pets.list", "GET", "/pets"), request, Vec::new());
/// assert_eq!(call.operation().id, "pets.list");
/// ```
#[must_use = "a call does nothing until it is sent"]
#[derive(Debug)]
pub struct Call<'a> {
    pub(super) transport: &'a Transport,
    pub(super) op: Operation,
    pub(super) request: reqwest::RequestBuilder,
    pub(super) auth: Vec<Apply<'a>>,
}

impl<'a> Call<'a> {
    /// The operation this call belongs to.
    pub fn operation(&self) -> Operation {
        self.op
    }

    /// Sends the call (retries by `retry`, else the client's policy) and
    /// reads the response whole.
    pub async fn send(self, retry: Option<&Retry>) -> Result<Read, Error> {
        self.transport
            .send(self.op, self.request, &self.auth, retry)
            .await
            .map_err(|e| e.in_operation(self.op))
    }

    /// Like [`Call::send`], but leaves the body unread: for an answer that
    /// streams.
    pub async fn open(self, retry: Option<&Retry>) -> Result<reqwest::Response, Error> {
        self.transport
            .open(self.op, self.request, &self.auth, retry)
            .await
            .map_err(|e| e.in_operation(self.op))
    }
}

impl Transport {
    /// `request`, for the operation `op`, with the credentials `auth`.
    pub fn call<'a>(
        &'a self,
        op: Operation,
        request: reqwest::RequestBuilder,
        auth: Vec<Apply<'a>>,
    ) -> Call<'a> {
        Call {
            transport: self,
            op,
            request,
            auth,
        }
    }
}
