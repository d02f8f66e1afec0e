//! What only generated code calls, in one place: the modules the
//! generated parts import as `rt` and the macros generated types expand.
//!
//! Not part of the API for people, and hidden from the docs: its contract
//! is [`require_version!`](crate::require_version), which generated code
//! states with the exact release it was written for, not semver. The
//! generator's catalogue of runtime paths (`codegen/src/emit/runtime.rs`)
//! names nothing else here.

/// The generated client's `rt`: request encoding, response decoding,
/// pagination and credentials as they go on a request, beside the
/// client's public items.
#[cfg(feature = "client")]
pub mod client {
    pub use crate::client::*;
}

/// The generated server's `rt`: request decoding, value checks, body
/// rules, credential extraction and replies, beside the server's public
/// items.
#[cfg(feature = "server")]
pub mod server {
    pub use crate::server::*;
}

pub use crate::model::{
    collect, deserialize_some, field, object, optional, required, skip, unknown, Key, Object,
};
pub use crate::Styled;
pub use crate::{builders, object};
#[cfg(feature = "client")]
pub use crate::{client_builder, request_builder};
