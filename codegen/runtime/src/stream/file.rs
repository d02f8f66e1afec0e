//! A file part of a `multipart/*` body.

use super::ByteStream;

/// One file of a multipart body (a property of `format: binary`): its
/// bytes as a stream, with the file name and media type it was sent with.
///
/// On the server, a file larger than [`FilePart::IN_MEMORY`] is kept in
/// an anonymous temporary file while the rest of the body is read, so a
/// large upload never sits in memory.
#[derive(Debug, Default)]
pub struct FilePart {
    /// The part's `filename`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub body: ByteStream,
}

impl FilePart {
    /// Bytes of a file part a server holds in memory; a larger one goes to
    /// a temporary file.
    pub const IN_MEMORY: usize = 256 * 1024;

    /// A file of these bytes (or this stream), without a name or type.
    pub fn new(body: impl Into<ByteStream>) -> Self {
        FilePart {
            file_name: None,
            content_type: None,
            body: body.into(),
        }
    }

    /// With this file name.
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// With this media type.
    #[must_use]
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}
