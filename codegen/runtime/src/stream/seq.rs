//! JSON sequences: `application/x-ndjson`, `application/jsonl` (one JSON
//! text per line) and `application/json-seq` (RFC 7464: each text after a
//! record separator).

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::frames::{too_large, Decode, Frames};
use super::{BoxError, Boxed, ByteStream, StreamError, MAX_FRAME};

/// How the JSON texts of a sequence are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One text per line (`application/x-ndjson`, `application/jsonl`).
    Lines,
    /// Each text after an ASCII record separator, 0x1E (`application/json-seq`).
    RecordSeparated,
}

impl Framing {
    const RS: u8 = 0x1E;

    fn delimiter(self) -> u8 {
        match self {
            Framing::Lines => b'\n',
            Framing::RecordSeparated => Self::RS,
        }
    }
}

/// A JSON sequence body as a stream of `T`s, read as they arrive (client)
/// or produced as the implementation goes (server).
pub struct JsonStream<T> {
    inner: Boxed<T>,
}

impl<T> std::fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonStream(..)")
    }
}

impl<T: Send + 'static> Default for JsonStream<T> {
    /// No items.
    fn default() -> Self {
        Self::from_items(Vec::new())
    }
}

impl<T: Send + 'static> JsonStream<T> {
    /// The items of `items`, in order.
    pub fn new<S>(items: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        JsonStream {
            inner: Box::pin(futures_util::StreamExt::map(items, Ok)),
        }
    }

    /// The items of `items`; an error ends the body where it happens.
    pub fn try_new<S, E>(items: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        JsonStream {
            inner: Box::pin(futures_util::StreamExt::map(items, |r| {
                r.map_err(StreamError::wrap)
            })),
        }
    }

    /// These items.
    pub fn from_items<I>(items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        Self::new(futures_util::stream::iter(items))
    }

    /// The next item, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<T, StreamError>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<T: DeserializeOwned + Send + 'static> JsonStream<T> {
    /// The items of a sequence body; an item that does not decode is an
    /// error item and the stream goes on.
    pub fn decode(body: ByteStream, framing: Framing) -> Self {
        let texts = Decode::new(
            body,
            Splitter {
                framing,
                text: Vec::new(),
            },
        );
        JsonStream {
            inner: Box::pin(futures_util::StreamExt::map(texts, |r| {
                r.and_then(|text: Vec<u8>| {
                    serde_json::from_slice(&text)
                        .map_err(|e| StreamError::new(format!("an item does not decode: {e}")))
                })
            })),
        }
    }
}

impl<T: Serialize + Send + 'static> JsonStream<T> {
    /// This stream as a sequence body.
    pub fn encode(self, framing: Framing) -> ByteStream {
        ByteStream::new(futures_util::StreamExt::map(self.inner, move |r| {
            r.and_then(|item| {
                let mut out = Vec::with_capacity(64);
                if framing == Framing::RecordSeparated {
                    out.push(Framing::RS);
                }
                serde_json::to_writer(&mut out, &item).map_err(StreamError::wrap)?;
                out.push(b'\n');
                Ok(bytes::Bytes::from(out))
            })
        }))
    }
}

impl<T> Stream for JsonStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}

/// Cuts a body at its delimiter; texts that are only whitespace are
/// skipped (blank lines, the LF that ends a json-seq text).
struct Splitter {
    framing: Framing,
    text: Vec<u8>,
}

impl Splitter {
    fn emit(&mut self, out: &mut VecDeque<Result<Vec<u8>, StreamError>>) {
        let text = std::mem::take(&mut self.text);
        if !text.iter().all(u8::is_ascii_whitespace) {
            out.push_back(Ok(text));
        }
    }
}

impl Frames for Splitter {
    type Item = Vec<u8>;

    fn push(&mut self, chunk: &[u8], out: &mut VecDeque<Result<Vec<u8>, StreamError>>) {
        let delimiter = self.framing.delimiter();
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|&b| b == delimiter) {
            self.text.extend_from_slice(&rest[..at]);
            rest = &rest[at + 1..];
            self.emit(out);
        }
        self.text.extend_from_slice(rest);
        if self.text.len() > MAX_FRAME {
            self.text = Vec::new();
            out.push_back(Err(too_large("an item")));
        }
    }

    fn finish(&mut self, out: &mut VecDeque<Result<Vec<u8>, StreamError>>) {
        // The last line of NDJSON may lack its LF.
        self.emit(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{FutureExt, StreamExt};
    use serde_json::{json, Value};

    fn decode(body: &'static str, framing: Framing) -> Vec<Result<Value, StreamError>> {
        JsonStream::decode(ByteStream::from(body), framing)
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap()
    }

    #[test]
    fn lines_with_crlf_blank_lines_and_no_final_newline() {
        let got = decode("{\"a\":1}\r\n\n[2]\n3", Framing::Lines);
        let got: Vec<Value> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(got, vec![json!({"a": 1}), json!([2]), json!(3)]);
    }

    #[test]
    fn record_separated_texts_and_a_bad_one_in_between() {
        let got = decode(
            "\x1e{\"a\":1}\n\x1e{oops\n\x1e\"x\"\n",
            Framing::RecordSeparated,
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().unwrap(), &json!({"a": 1}));
        assert!(got[1].is_err());
        assert_eq!(got[2].as_ref().unwrap(), &json!("x"));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_without_panicking(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            rs in proptest::prelude::any::<bool>(),
        ) {
            let framing = if rs { Framing::RecordSeparated } else { Framing::Lines };
            let items: Vec<Result<Value, StreamError>> =
                JsonStream::decode(ByteStream::from(bytes), framing)
                    .collect::<Vec<_>>()
                    .now_or_never()
                    .unwrap();
            proptest::prop_assert!(items.len() <= 201);
        }
    }

    #[test]
    fn both_framings_round_trip_in_any_chunking() {
        let items = vec![json!({"text": "a\nb"}), json!(null), json!([1, "\u{1e}"])];
        for framing in [Framing::Lines, Framing::RecordSeparated] {
            let body = JsonStream::from_items(items.clone())
                .encode(framing)
                .collect()
                .now_or_never()
                .unwrap()
                .unwrap();
            for cut in 0..body.len() {
                let parts: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
                    Ok(bytes::Bytes::copy_from_slice(&body[..cut])),
                    Ok(bytes::Bytes::copy_from_slice(&body[cut..])),
                ];
                let got: Vec<Value> =
                    JsonStream::decode(ByteStream::new(futures_util::stream::iter(parts)), framing)
                        .map(Result::unwrap)
                        .collect::<Vec<_>>()
                        .now_or_never()
                        .unwrap();
                assert_eq!(got, items, "{framing:?} cut at {cut}");
            }
        }
    }
}
