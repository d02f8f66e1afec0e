//! What generated servers are made of: the [`Problem`] every rejection
//! answers with, request decoding ([`query`], [`path`], [`headers`],
//! [`body`]), value [`checks`], parameter [`parse`]rs, [`credentials`]
//! extraction and the [`reply`] helpers. A generated handler is a list of
//! calls into these modules. [`Limits`] and [`serve`] keep a generated
//! server answering under load, slow clients and hostile HTTP.

// Decoders return the ready answer as their error; it goes straight back
// to the client, so boxing it would only cost an allocation.
#![allow(clippy::result_large_err)]

mod admission;
pub mod body;
pub mod checks;
pub mod credentials;
mod deadline;
pub mod headers;
mod inputs;
mod limits;
pub mod multipart;
mod operation;
pub mod parse;
pub mod path;
mod peers;
mod problem;
pub mod query;
pub mod reply;
pub mod rules;
mod serve;
pub mod style;

pub use crate::{Accept, Style};
pub use credentials::{ApiKey, BasicCredentials, BearerToken};
pub use inputs::{required, Inputs};
pub use limits::Limits;
pub use operation::{OperationLayer, Tag, Tagged};
pub use problem::{violation, Outcome, Problem, Violation};
pub use reply::{Answer, Raw};
pub use serve::serve;

/// An empty route for a generated router to add its methods' handlers to.
pub fn methods<S: Clone + Send + Sync + 'static>() -> axum::routing::MethodRouter<S> {
    axum::routing::MethodRouter::new()
}

/// Largest request body a generated `router` accepts by default (1 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
