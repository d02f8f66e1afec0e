//! Cutting a byte stream into frames (events, JSON texts) as it arrives.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{ByteStream, StreamError};

/// A frame decoder: fed chunks as they come, it queues whole frames.
pub(super) trait Frames: Send + 'static {
    type Item: Send + Unpin + 'static;
    /// Takes one chunk; queues the frames it completes.
    fn push(&mut self, chunk: &[u8], out: &mut VecDeque<Result<Self::Item, StreamError>>);
    /// The body ended; queues what the last bytes complete.
    fn finish(&mut self, out: &mut VecDeque<Result<Self::Item, StreamError>>);
}

/// The frames of a byte stream. A decoder's error (a frame too large)
/// ends the stream after it; an item's own decoding error does not.
pub(super) struct Decode<F: Frames> {
    body: ByteStream,
    frames: F,
    queue: VecDeque<Result<F::Item, StreamError>>,
    done: bool,
}

impl<F: Frames> Decode<F> {
    pub(super) fn new(body: ByteStream, frames: F) -> Self {
        Decode {
            body,
            frames,
            queue: VecDeque::new(),
            done: false,
        }
    }
}

impl<F: Frames + Unpin> Stream for Decode<F> {
    type Item = Result<F::Item, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.queue.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.body).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    this.frames.push(&chunk, &mut this.queue);
                    // A decoder's error (a frame too large) is the last item.
                    if let Some(at) = this.queue.iter().position(Result::is_err) {
                        this.queue.truncate(at + 1);
                        this.done = true;
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    this.frames.finish(&mut this.queue);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// The error of a frame over [`super::MAX_FRAME`].
pub(super) fn too_large(what: &str) -> StreamError {
    StreamError::too_large(format!(
        "{what} is larger than {} bytes: the stream is cut here",
        super::MAX_FRAME
    ))
}
