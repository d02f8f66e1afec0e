//! `multipart/form-data` request bodies, written as they are sent: file
//! parts stream from their source, never read whole first.

use bytes::Bytes;
use serde::Serialize;

use super::{Error, ErrorKind};
use crate::{ByteStream, FilePart};

/// A `multipart/form-data` body being put together: values as text or
/// JSON parts, files as streamed parts.
///
/// ```
/// use codegen_runtime::client::multipart::Multipart;
/// use codegen_runtime::FilePart;
/// let mut form = Multipart::with_boundary("b");
/// form.text("caption", "hi").unwrap();
/// form.json("count", &2).unwrap();
/// form.file("file", FilePart::new("abc").file_name("a.txt"));
/// let (content_type, body) = form.finish();
/// assert_eq!(content_type, "multipart/form-data; boundary=b");
/// let body = futures_util::FutureExt::now_or_never(body.collect()).unwrap().unwrap();
/// assert_eq!(
///     String::from_utf8(body).unwrap(),
///     "--b\r\nContent-Disposition: form-data; name=\"caption\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n\
///      --b\r\nContent-Disposition: form-data; name=\"count\"\r\nContent-Type: application/json\r\n\r\n2\r\n\
///      --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n\
///      --b--\r\n"
/// );
/// ```
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
    /// What is written so far: text, and the files' streams between.
    segments: Vec<ByteStream>,
    pending: String,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty body with a random boundary.
    pub fn new() -> Self {
        Self::with_boundary(&format!(
            "codegen-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        ))
    }

    /// An empty body with this boundary (tests).
    pub fn with_boundary(boundary: &str) -> Self {
        Multipart {
            boundary: boundary.to_string(),
            segments: Vec::new(),
            pending: String::new(),
        }
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, content_type: &str) {
        self.pending.push_str("--");
        self.pending.push_str(&self.boundary);
        self.pending
            .push_str("\r\nContent-Disposition: form-data; name=\"");
        quoted(&mut self.pending, name);
        self.pending.push('"');
        if let Some(file_name) = file_name {
            self.pending.push_str("; filename=\"");
            quoted(&mut self.pending, file_name);
            self.pending.push('"');
        }
        self.pending.push_str("\r\nContent-Type: ");
        self.pending
            .push_str(&content_type.replace(['\r', '\n'], ""));
        self.pending.push_str("\r\n\r\n");
    }

    /// A value as one part, a string as its text (the schema says string),
    /// anything else as JSON; nothing for `None`.
    pub fn text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.value(name, true, value)
    }

    /// A value as one part, as JSON; nothing for `None`.
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.value(name, false, value)
    }

    /// Each item of a list as a part of its own, all named `name`, as
    /// [`Form::text`] writes it.
    pub fn texts<T: Serialize>(&mut self, name: &str, values: &[T]) -> Result<(), Error> {
        values.iter().try_for_each(|v| self.value(name, true, v))
    }

    /// Each item of a list as a JSON part of its own, all named `name`.
    pub fn json_values<T: Serialize>(&mut self, name: &str, values: &[T]) -> Result<(), Error> {
        values.iter().try_for_each(|v| self.value(name, false, v))
    }

    fn value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        as_text: bool,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::from(ErrorKind::InvalidRequest(format!("part `{name}`: {e}"))))?;
        let (text, content_type) = match value {
            serde_json::Value::Null => return Ok(()),
            serde_json::Value::String(s) if as_text => (s, "text/plain; charset=utf-8"),
            other => (other.to_string(), "application/json"),
        };
        self.head(name, None, content_type);
        self.pending.push_str(&text);
        self.pending.push_str("\r\n");
        Ok(())
    }

    /// A file as a part (its name defaults to the part's); nothing for
    /// `None`.
    pub fn file(&mut self, name: &str, file: impl Into<Option<FilePart>>) {
        let Some(file) = file.into() else {
            return;
        };
        let file_name = file.file_name.as_deref().unwrap_or(name).to_string();
        let content_type = file
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream")
            .to_string();
        self.head(name, Some(&file_name), &content_type);
        self.flush();
        self.segments.push(file.body);
        self.pending.push_str("\r\n");
    }

    /// Each file as a part, all named `name`.
    pub fn files(&mut self, name: &str, files: Vec<FilePart>) {
        for file in files {
            self.file(name, file);
        }
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.pending);
        if !text.is_empty() {
            self.segments.push(ByteStream::from(text));
        }
    }

    /// The `Content-Type` (with the boundary) and the body. A body without
    /// streamed files is one buffer, so the call can be retried.
    pub fn finish(mut self) -> (String, ByteStream) {
        self.pending.push_str("--");
        self.pending.push_str(&self.boundary);
        self.pending.push_str("--\r\n");
        self.flush();
        let content_type = format!("multipart/form-data; boundary={}", self.boundary);
        let mut whole = Vec::new();
        let mut streams = Vec::new();
        for segment in self.segments {
            match segment.into_bytes() {
                Ok(bytes) if streams.is_empty() => whole.extend_from_slice(&bytes),
                Ok(bytes) => streams.push(ByteStream::from(bytes)),
                Err(stream) => {
                    if !whole.is_empty() {
                        streams.push(ByteStream::from(std::mem::take(&mut whole)));
                    }
                    streams.push(stream);
                }
            }
        }
        if streams.is_empty() {
            return (content_type, ByteStream::from(Bytes::from(whole)));
        }
        let body = futures_util::StreamExt::flatten(futures_util::stream::iter(streams));
        (content_type, ByteStream::new(body))
    }

    /// `request` with this body.
    pub fn send(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let (content_type, body) = self.finish();
        super::encode::body(request, &content_type, body)
    }
}

/// A name in a quoted header parameter, as browsers write it: `"`, CR and
/// LF percent-encoded.
fn quoted(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
}
