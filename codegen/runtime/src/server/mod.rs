//! What generated servers are made of: the [`Problem`] every rejection
//! answers with (and the [`Outcome`] a handler returns), the credentials a
//! handler receives ([`BearerToken`], [`ApiKey`], [`BasicCredentials`]),
//! and [`Limits`] and [`serve`], which keep a generated server answering
//! under load, slow clients and hostile HTTP. Request decoding, value
//! checks and replies, which only generated handlers call, are hidden from
//! these docs (see [`crate::__private`]).

// Decoders return the ready answer as their error; it goes straight back
// to the client, so boxing it would only cost an allocation.
#![allow(clippy::result_large_err)]

mod admission;
#[doc(hidden)]
pub mod body;
#[doc(hidden)]
pub mod checks;
#[doc(hidden)]
pub mod credentials;
mod deadline;
#[doc(hidden)]
pub mod form;
#[doc(hidden)]
pub mod headers;
mod inputs;
mod limits;
#[doc(hidden)]
pub mod multipart;
mod operation;
#[doc(hidden)]
pub mod parse;
#[doc(hidden)]
pub mod path;
mod peers;
mod presence;
mod problem;
#[doc(hidden)]
pub mod query;
#[doc(hidden)]
pub mod reply;
#[doc(hidden)]
pub mod rules;
mod serve;
#[doc(hidden)]
pub mod style;

pub use crate::{Accept, Style};
pub use credentials::{ApiKey, BasicCredentials, BearerToken};
#[doc(hidden)]
pub use inputs::{required, Inputs};
pub use limits::Limits;
pub use operation::OperationLayer;
#[doc(hidden)]
pub use operation::{Tag, Tagged};
#[doc(hidden)]
pub use path::Segment;
#[doc(hidden)]
pub use presence::Presence;
pub use problem::{violation, Outcome, Problem, Violation};
#[doc(hidden)]
pub use reply::{Answer, Raw};
pub use serve::serve;

#[doc(hidden)]
/// An empty route for a generated router to add its methods' handlers to.
pub fn methods<S: Clone + Send + Sync + 'static>() -> axum::routing::MethodRouter<S> {
    axum::routing::MethodRouter::new()
}

/// Largest request body a generated `router` accepts by default (1 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
