//! What generated clients are made of: the [`Error`] every call returns,
//! request encoding ([`encode`]) and response decoding ([`decode`]).

pub mod decode;
pub mod encode;
mod error;

pub use error::Error;
