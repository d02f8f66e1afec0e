//! A body as a stream of byte chunks.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::{BoxError, Boxed, StreamError};

/// A binary body (`application/octet-stream`, `image/*`, `format:
/// binary`...) as the chunks it travels in: a download is read as it
/// arrives, an upload sent as it is produced, and neither is held whole.
///
/// Build one from bytes you have (`ByteStream::from(vec)`: such a body can
/// be sent again when a call is retried) or from any stream of chunks
/// ([`ByteStream::new`]: sent once).
///
/// ```
/// # use codegen_runtime::ByteStream;
/// # tokio_test_block_on(async {
/// let body = ByteStream::from(b"hello".to_vec());
/// assert_eq!(body.collect().await.unwrap(), b"hello");
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     futures_util::FutureExt::now_or_never(f).unwrap()
/// # }
/// ```
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    Full(Bytes),
    Stream(Boxed<Bytes>),
    Done,
}

impl ByteStream {
    /// The chunks of `stream`, in order; its first error ends the body.
    pub fn new<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Stream(Box::pin(futures_util::StreamExt::map(stream, |r| {
                r.map_err(StreamError::wrap)
            }))),
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        ByteStream { inner: Inner::Done }
    }

    /// The whole body when it was built from bytes (it can be sent again),
    /// else the stream itself back.
    pub fn into_bytes(self) -> Result<Bytes, Self> {
        match self.inner {
            Inner::Full(bytes) => Ok(bytes),
            Inner::Done => Ok(Bytes::new()),
            inner @ Inner::Stream(_) => Err(ByteStream { inner }),
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(self) -> Result<Vec<u8>, StreamError> {
        let mut this = self;
        let mut out = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut this).poll_next(cx)).await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// This body, failing once more than `max` bytes have come.
    pub fn limit(self, max: u64) -> Self {
        match self.inner {
            Inner::Full(bytes) if bytes.len() as u64 > max => {
                ByteStream::new(Once(Some(Err(StreamError::too_large(too_large(max))))))
            }
            Inner::Stream(stream) => ByteStream {
                inner: Inner::Stream(Box::pin(Limit {
                    stream,
                    left: max,
                    max,
                })),
            },
            inner => ByteStream { inner },
        }
    }
}

fn too_large(max: u64) -> String {
    format!("the body is larger than {max} bytes")
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::empty()
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            Inner::Full(bytes) => write!(f, "ByteStream({} bytes)", bytes.len()),
            Inner::Stream(_) => f.write_str("ByteStream(..)"),
            Inner::Done => f.write_str("ByteStream(0 bytes)"),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match &mut this.inner {
            Inner::Full(bytes) => {
                let bytes = std::mem::take(bytes);
                this.inner = Inner::Done;
                Poll::Ready((!bytes.is_empty()).then_some(Ok(bytes)))
            }
            Inner::Stream(stream) => match stream.as_mut().poll_next(cx) {
                Poll::Ready(None) => {
                    this.inner = Inner::Done;
                    Poll::Ready(None)
                }
                Poll::Ready(Some(Err(e))) => {
                    // The first error ends the body.
                    this.inner = Inner::Done;
                    Poll::Ready(Some(Err(e)))
                }
                other => other,
            },
            Inner::Done => Poll::Ready(None),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream {
            inner: Inner::Full(bytes),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

/// One item, then the end.
struct Once(Option<Result<Bytes, StreamError>>);

impl Stream for Once {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.take())
    }
}

/// Fails once more than `max` bytes have come.
struct Limit {
    stream: Boxed<Bytes>,
    left: u64,
    max: u64,
}

impl Stream for Limit {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let len = chunk.len() as u64;
                if len > this.left {
                    this.left = 0;
                    return Poll::Ready(Some(Err(StreamError::too_large(too_large(this.max)))));
                }
                this.left -= len;
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{stream, FutureExt, StreamExt};

    fn chunks(parts: &[&'static str]) -> ByteStream {
        let parts: Vec<Result<Bytes, std::io::Error>> = parts
            .iter()
            .map(|p| Ok(Bytes::from_static(p.as_bytes())))
            .collect();
        ByteStream::new(stream::iter(parts))
    }

    #[test]
    fn bytes_are_read_once_and_whole() {
        let body = ByteStream::from("abc");
        assert_eq!(body.collect().now_or_never().unwrap().unwrap(), b"abc");
        assert_eq!(
            chunks(&["a", "b", "c"])
                .collect()
                .now_or_never()
                .unwrap()
                .unwrap(),
            b"abc"
        );
        assert!(ByteStream::empty()
            .collect()
            .now_or_never()
            .unwrap()
            .unwrap()
            .is_empty());
    }

    #[test]
    fn only_bytes_can_be_sent_again() {
        assert_eq!(ByteStream::from("x").into_bytes().unwrap(), "x");
        assert!(chunks(&["x"]).into_bytes().is_err());
    }

    #[test]
    fn a_limit_fails_the_chunk_that_crosses_it_and_ends_the_body() {
        let mut body = chunks(&["ab", "cd", "ef"]).limit(3);
        let first = body.next().now_or_never().unwrap().unwrap().unwrap();
        assert_eq!(first, "ab");
        let second = body.next().now_or_never().unwrap().unwrap();
        assert!(second.unwrap_err().to_string().contains("larger than 3"));
        assert!(body.next().now_or_never().unwrap().is_none());
        assert!(ByteStream::from("abcd")
            .limit(3)
            .collect()
            .now_or_never()
            .unwrap()
            .is_err());
        assert!(ByteStream::from("abc")
            .limit(3)
            .collect()
            .now_or_never()
            .unwrap()
            .is_ok());
    }

    #[test]
    fn a_source_error_ends_the_body() {
        let parts: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"a")),
            Err(std::io::Error::other("reset")),
            Ok(Bytes::from_static(b"b")),
        ];
        let mut body = ByteStream::new(stream::iter(parts));
        assert!(body.next().now_or_never().unwrap().unwrap().is_ok());
        let e = body.next().now_or_never().unwrap().unwrap().unwrap_err();
        assert_eq!(e.to_string(), "reset");
        assert!(std::error::Error::source(&e).is_some());
        assert!(body.next().now_or_never().unwrap().is_none());
    }
}
