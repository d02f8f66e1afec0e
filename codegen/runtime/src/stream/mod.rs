//! Bodies that are never held whole: bytes ([`ByteStream`]), server-sent
//! events ([`EventStream`]) and JSON sequences ([`JsonStream`]), the same
//! types on the client and the server side.
//!
//! A decoder holds at most one frame (one event, one JSON line) in memory,
//! and a frame larger than [`MAX_FRAME`] ends the stream with an error, so
//! a peer cannot make a reader buffer without bound.

mod bytes;
mod file;
mod frames;
mod seq;
mod sse;

pub use self::bytes::ByteStream;
pub use file::FilePart;
pub use seq::{Framing, JsonStream};
pub use sse::{Event, EventStream};

/// The largest event or JSON line a decoder buffers: 16 MiB.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// Any error a stream's source can fail with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a stream item could not be read: the transport failed, a frame was
/// too large, or an item did not decode (the stream goes on after that
/// one).
#[derive(Debug)]
pub struct StreamError {
    message: String,
    source: Option<BoxError>,
    too_large: bool,
}

impl StreamError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        StreamError {
            message: message.into(),
            source: None,
            too_large: false,
        }
    }

    /// The error of a body or frame over a size limit.
    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        StreamError {
            too_large: true,
            ..StreamError::new(message)
        }
    }

    /// Whether a size limit cut the stream.
    pub fn is_too_large(&self) -> bool {
        self.too_large
    }

    /// The source's error, wrapped.
    pub fn wrap(source: impl Into<BoxError>) -> Self {
        let source = source.into();
        StreamError {
            message: source.to_string(),
            source: Some(source),
            too_large: false,
        }
    }
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A boxed stream of results.
type Boxed<T> =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<T, StreamError>> + Send + 'static>>;
