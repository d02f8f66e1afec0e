//! Server-sent events (`text/event-stream`, WHATWG HTML "Server-sent
//! events"), read and written.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::frames::{too_large, Decode, Frames};
use super::{BoxError, Boxed, ByteStream, StreamError, MAX_FRAME};

/// One server-sent event: its data and the fields sent with it.
///
/// `id` is the `id` field of this event's block only (the browser API
/// carries the last one seen forward; the wire is what is reported here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<T> {
    /// The `data` lines (joined by `\n`), decoded as the spec says.
    pub data: T,
    /// The `event` field: the event's type.
    pub event: Option<String>,
    /// The `id` field.
    pub id: Option<String>,
    /// The `retry` field: the reconnection time in milliseconds.
    pub retry: Option<u64>,
}

impl<T> Event<T> {
    /// An event carrying `data` and no other field.
    pub fn new(data: T) -> Self {
        Event {
            data,
            event: None,
            id: None,
            retry: None,
        }
    }

    /// With this event type.
    #[must_use]
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// With this id.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// A `text/event-stream` body as a stream of typed events, read as they
/// arrive (the client side) or produced as the implementation goes (the
/// server side). Each event's `data` is JSON of `T`, or the text itself
/// for `EventStream<String>`.
pub struct EventStream<T> {
    inner: Boxed<Event<T>>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream(..)")
    }
}

impl<T: Send + 'static> Default for EventStream<T> {
    /// No events.
    fn default() -> Self {
        Self::from_events(Vec::new())
    }
}

impl<T: Send + 'static> EventStream<T> {
    /// The events of `events`, in order.
    pub fn new<S>(events: S) -> Self
    where
        S: Stream<Item = Event<T>> + Send + 'static,
    {
        EventStream {
            inner: Box::pin(futures_util::StreamExt::map(events, Ok)),
        }
    }

    /// The events of `events`; an error ends the body where it happens.
    pub fn try_new<S, E>(events: S) -> Self
    where
        S: Stream<Item = Result<Event<T>, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        EventStream {
            inner: Box::pin(futures_util::StreamExt::map(events, |r| {
                r.map_err(StreamError::wrap)
            })),
        }
    }

    /// These events.
    pub fn from_events<I>(events: I) -> Self
    where
        I: IntoIterator<Item = Event<T>>,
        I::IntoIter: Send + 'static,
    {
        Self::new(futures_util::stream::iter(events))
    }

    /// The next event, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Event<T>, StreamError>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// The events of a `text/event-stream` body, each `data` decoded as
    /// JSON; an event whose data does not decode is an error item and the
    /// stream goes on.
    pub fn decode_json(body: ByteStream) -> Self {
        let events = Decode::new(body, Parser::default());
        EventStream {
            inner: Box::pin(futures_util::StreamExt::map(events, |r| {
                r.and_then(|e: Event<String>| {
                    let data = serde_json::from_str(&e.data).map_err(|err| {
                        StreamError::new(format!("an event's data does not decode: {err}"))
                    })?;
                    Ok(Event {
                        data,
                        event: e.event,
                        id: e.id,
                        retry: e.retry,
                    })
                })
            })),
        }
    }
}

impl<T: Serialize + Send + 'static> EventStream<T> {
    /// This stream as a `text/event-stream` body, each `data` as JSON.
    pub fn encode_json(self) -> ByteStream {
        ByteStream::new(futures_util::StreamExt::map(self.inner, |r| {
            r.and_then(|e| {
                let data = serde_json::to_string(&e.data).map_err(StreamError::wrap)?;
                Ok(encode(&e, &data))
            })
        }))
    }
}

impl EventStream<String> {
    /// The events of a `text/event-stream` body, data as text.
    pub fn decode_text(body: ByteStream) -> Self {
        EventStream {
            inner: Box::pin(Decode::new(body, Parser::default())),
        }
    }

    /// This stream as a `text/event-stream` body, data as text.
    pub fn encode_text(self) -> ByteStream {
        ByteStream::new(futures_util::StreamExt::map(self.inner, |r| {
            r.map(|e| encode(&e, &e.data))
        }))
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}

/// One event on the wire. Line breaks in `event` and `id` cannot be
/// sent and are dropped; each line of `data` is one `data:` field.
fn encode<T>(e: &Event<T>, data: &str) -> bytes::Bytes {
    let mut out = String::with_capacity(data.len() + 16);
    let one_line = |s: &str| s.replace(['\r', '\n'], "");
    if let Some(event) = &e.event {
        out.push_str("event: ");
        out.push_str(&one_line(event));
        out.push('\n');
    }
    if let Some(id) = &e.id {
        out.push_str("id: ");
        out.push_str(&one_line(id));
        out.push('\n');
    }
    if let Some(retry) = e.retry {
        out.push_str(&format!("retry: {retry}\n"));
    }
    let data = data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.into()
}

/// The event-stream parser: lines end in CRLF, LF or CR; a blank line
/// dispatches the event; an event without `data` is not dispatched; what
/// follows the last blank line at the end of the body is dropped.
#[derive(Default)]
struct Parser {
    line: Vec<u8>,
    /// The line so far ended in CR: a LF next is part of that line break.
    after_cr: bool,
    started: bool,
    data: Option<String>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
}

impl Parser {
    fn field(&mut self, line: &[u8]) {
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return; // a comment
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match name {
            // Lines of one event's data are joined by LF.
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    /// A line ended: a field, or (blank) the end of an event.
    fn end_line(&mut self, out: &mut VecDeque<Result<Event<String>, StreamError>>) {
        let mut line = std::mem::take(&mut self.line);
        if !self.started {
            self.started = true;
            if line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
        }
        if !line.is_empty() {
            self.field(&line);
            line.clear();
            self.line = line;
            return;
        }
        self.line = line;
        let event = self.event.take();
        let id = self.id.take();
        let retry = self.retry.take();
        if let Some(data) = self.data.take() {
            out.push_back(Ok(Event {
                data,
                event,
                id,
                retry,
            }));
        }
    }

    fn pending(&self) -> usize {
        self.line.len() + self.data.as_ref().map_or(0, String::len)
    }
}

impl Frames for Parser {
    type Item = Event<String>;

    fn push(&mut self, chunk: &[u8], out: &mut VecDeque<Result<Event<String>, StreamError>>) {
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(stripped) = rest.strip_prefix(b"\n") {
                rest = stripped;
            }
        }
        while let Some(at) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..at]);
            let cr = rest[at] == b'\r';
            rest = &rest[at + 1..];
            self.end_line(out);
            if cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(rest);
        if self.pending() > MAX_FRAME {
            self.line = Vec::new();
            self.data = None;
            out.push_back(Err(too_large("an event")));
        }
    }

    fn finish(&mut self, _: &mut VecDeque<Result<Event<String>, StreamError>>) {
        // An event not ended by a blank line is not dispatched.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{FutureExt, StreamExt};

    fn parse(chunks: &[&'static str]) -> Vec<Event<String>> {
        let parts: Vec<Result<bytes::Bytes, std::io::Error>> = chunks
            .iter()
            .map(|c| Ok(bytes::Bytes::from_static(c.as_bytes())))
            .collect();
        let body = ByteStream::new(futures_util::stream::iter(parts));
        EventStream::decode_text(body)
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap()
    }

    #[test]
    fn the_html_specs_examples_parse() {
        // The examples of the WHATWG text, "Event stream interpretation".
        let events = parse(&["data: YHOO\ndata: +2\ndata: 10\n\n"]);
        assert_eq!(events, vec![Event::new("YHOO\n+2\n10".to_string())]);
        let events = parse(&[": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"]);
        assert_eq!(
            events,
            vec![
                Event::new("first event".to_string()).id("1"),
                Event::new("second event".to_string()).id(""),
                Event::new(" third event".to_string()),
            ]
        );
        let events = parse(&["data\n\ndata\ndata\n\ndata:"]);
        assert_eq!(
            events,
            vec![Event::new(String::new()), Event::new("\n".to_string())]
        );
    }

    #[test]
    fn every_line_break_and_any_chunking_give_the_same_events() {
        let text = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n";
        let whole = parse(&[text]);
        assert_eq!(
            whole,
            vec![
                Event::new("1".to_string()).event("a"),
                Event::new("2".to_string()).event("b"),
                Event::new("3".to_string()),
            ]
        );
        for cut in 1..text.len() {
            let (a, b) = text.split_at(cut);
            let a: &'static str = Box::leak(a.to_string().into_boxed_str());
            let b: &'static str = Box::leak(b.to_string().into_boxed_str());
            assert_eq!(parse(&[a, b]), whole, "cut at {cut}");
        }
    }

    #[test]
    fn retry_bom_and_unknown_fields() {
        let events = parse(&["\u{feff}retry: 1500\nfoo: bar\ndata: x\n\nretry: 1x\ndata: y\n\n"]);
        assert_eq!(events[0].retry, Some(1500));
        assert_eq!(events[0].data, "x");
        assert_eq!(events[1].retry, None);
    }

    #[test]
    fn json_events_round_trip_and_a_bad_one_does_not_end_the_stream() {
        let sent = vec![
            Event::new(serde_json::json!({"n": 1, "text": "a\nb"}))
                .event("tick")
                .id("1"),
            Event::new(serde_json::json!([1, 2])),
        ];
        let body = EventStream::from_events(sent.clone()).encode_json();
        let got: Vec<_> = EventStream::<serde_json::Value>::decode_json(body)
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap();
        assert_eq!(got, sent);

        let body = ByteStream::from("data: {\n\ndata: 2\n\n");
        let got: Vec<_> = EventStream::<u32>::decode_json(body)
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap();
        assert!(got[0].is_err());
        assert_eq!(got[1].as_ref().unwrap().data, 2);
    }

    #[test]
    fn text_with_line_breaks_round_trips() {
        let sent = vec![Event::new("a\r\nb\nc".to_string()).event("x\ny")];
        let body = EventStream::from_events(sent).encode_text();
        let got = EventStream::decode_text(body)
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap();
        assert_eq!(got, vec![Event::new("a\nb\nc".to_string()).event("xy")]);
    }

    fn chunked(bytes: &[u8], cuts: &[usize]) -> ByteStream {
        let mut parts = Vec::new();
        let mut at = 0;
        for &c in cuts {
            let c = c.min(bytes.len());
            if c > at {
                parts.push(Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(
                    &bytes[at..c],
                )));
                at = c;
            }
        }
        parts.push(Ok(bytes::Bytes::copy_from_slice(&bytes[at..])));
        ByteStream::new(futures_util::stream::iter(parts))
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_in_any_chunks_parse_without_panicking_and_alike(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            mut cuts in proptest::collection::vec(0usize..300, 0..6),
        ) {
            cuts.sort_unstable();
            let whole: Vec<_> = EventStream::decode_text(ByteStream::from(bytes.clone()))
                .collect::<Vec<_>>()
                .now_or_never()
                .unwrap()
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect();
            let split: Vec<_> = EventStream::decode_text(chunked(&bytes, &cuts))
                .collect::<Vec<_>>()
                .now_or_never()
                .unwrap()
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect();
            proptest::prop_assert_eq!(whole, split);
        }

        #[test]
        fn any_text_events_round_trip(
            events in proptest::collection::vec(("[^\r]{0,20}", proptest::option::of("[a-z]{1,5}"), proptest::option::of("[0-9]{1,3}")), 0..5),
        ) {
            let sent: Vec<Event<String>> = events
                .into_iter()
                .map(|(data, event, id)| Event { data, event, id, retry: None })
                .collect();
            let body = EventStream::from_events(sent.clone()).encode_text();
            let got: Vec<Event<String>> = EventStream::decode_text(body)
                .map(|r| r.unwrap())
                .collect::<Vec<_>>()
                .now_or_never()
                .unwrap();
            proptest::prop_assert_eq!(got, sent);
        }
    }

    #[test]
    fn an_endless_line_is_cut_at_the_frame_limit() {
        let chunk = bytes::Bytes::from(vec![b'a'; 1024 * 1024]);
        let body = ByteStream::new(futures_util::stream::iter(
            std::iter::repeat_n(chunk, 20).map(Ok::<_, std::io::Error>),
        ));
        let got = EventStream::decode_text(body)
            .collect::<Vec<_>>()
            .now_or_never()
            .unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("larger than"));
    }
}
