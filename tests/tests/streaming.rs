//! Bodies that stream, over loopback (`tests/fixtures/edge/streaming.yaml`):
//! server-sent events with typed and text data, NDJSON and JSON text
//! sequences both ways, binary uploads and downloads, and the 4xx answers
//! of bodies that are missing, too large or malformed.

use std::sync::Mutex;

use codegen_runtime::server::{Limits, Outcome, Problem};
use codegen_runtime::{ByteStream, Event, EventStream, JsonStream};
use futures_util::StreamExt;
use generated::streaming::client::Client;
use generated::streaming::server::{
    router, router_with, Default as Streams, ExportThingsInput, GetFileInput, GetImageInput,
    ImportThingsInput, PutFileInput, PutImageInput, TailLogInput, WatchTicksInput,
};
use generated::streaming::types::*;
use tokio::sync::mpsc;

/// FNV-1a, 64 bits, as hex: what both sides compute over a body.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// `size` bytes of a fixed pattern, in chunks of at most 64 KiB.
fn pattern(size: u64) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    let chunk = bytes::Bytes::from((0..65_536u32).map(|i| (i % 251) as u8).collect::<Vec<_>>());
    let mut left = size;
    futures_util::stream::iter(std::iter::from_fn(move || {
        let n = left.min(chunk.len() as u64);
        left -= n;
        (n > 0).then(|| Ok(chunk.slice(..n as usize)))
    }))
}

fn pattern_checksum(size: u64) -> String {
    let chunk: Vec<u8> = (0..65_536u32).map(|i| (i % 251) as u8).collect();
    let mut h = Fnv::new();
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        h.feed(&chunk[..n]);
        left -= n as u64;
    }
    h.hex()
}

#[derive(Default)]
struct Service {
    /// One permit per tick the server may send.
    permits: Mutex<Option<mpsc::UnboundedReceiver<()>>>,
    images: Mutex<Vec<Option<Vec<u8>>>>,
}

impl Streams for Service {
    async fn watch_ticks(&self, input: WatchTicksInput) -> Outcome<WatchTicksResponse> {
        let permits = self.permits.lock().unwrap().take();
        let count = i64::from(input.count);
        let events =
            futures_util::stream::unfold((permits, 0i64), move |(mut permits, n)| async move {
                if n >= count {
                    return None;
                }
                // Without permits, free-running; with them, one tick per permit.
                if let Some(p) = &mut permits {
                    p.recv().await?;
                }
                let event = Event::new(Tick { n, note: None })
                    .id(n.to_string())
                    .event("tick");
                Some((event, (permits, n + 1)))
            });
        Ok(WatchTicksResponse::Ok(EventStream::new(events)))
    }

    async fn tail_log(&self, _: TailLogInput) -> Outcome<TailLogResponse> {
        Ok(TailLogResponse::Ok(EventStream::from_events([
            Event::new("started".to_string()),
            Event::new("two\nlines".to_string()).event("multi"),
            Event::new(String::new()).id("3"),
        ])))
    }

    async fn export_things(&self, _: ExportThingsInput) -> Outcome<ExportThingsResponse> {
        Ok(ExportThingsResponse::Ok(JsonStream::new(
            futures_util::stream::iter((0..1000).map(|id| Thing {
                id,
                name: format!("thing {id}\n"),
            })),
        )))
    }

    async fn import_things(&self, input: ImportThingsInput) -> Outcome<ImportThingsResponse> {
        let mut body = input.body;
        let mut back = Vec::new();
        while let Some(thing) = body.next().await {
            // A line that does not decode is the client's fault: 400.
            back.push(thing?);
        }
        Ok(ImportThingsResponse::Ok(JsonStream::from_items(back)))
    }

    async fn get_file(&self, input: GetFileInput) -> Outcome<GetFileResponse> {
        if input.name == "missing" {
            return Ok(GetFileResponse::NotFound(Stored {
                name: input.name,
                bytes: 0,
                checksum: String::new(),
            }));
        }
        Ok(GetFileResponse::Ok(ByteStream::new(pattern(
            input.size as u64,
        ))))
    }

    async fn put_file(&self, input: PutFileInput) -> Outcome<PutFileResponse> {
        let mut body = input.body;
        let (mut h, mut bytes) = (Fnv::new(), 0i64);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(Problem::from)?;
            h.feed(&chunk);
            bytes += chunk.len() as i64;
        }
        Ok(PutFileResponse::Ok(Stored {
            name: input.name,
            bytes,
            checksum: h.hex(),
        }))
    }

    async fn get_image(&self, input: GetImageInput) -> Outcome<GetImageResponse> {
        if input.name == "none" {
            return Ok(GetImageResponse::NoContent);
        }
        Ok(GetImageResponse::Status2xx {
            status: 206,
            headers: GetImage2XxHeaders {
                x_checksum: Some("abc".into()),
            },
            body: ByteStream::from(b"\x89PNG".to_vec()),
        })
    }

    async fn put_image(&self, input: PutImageInput) -> Outcome<PutImageResponse> {
        let body = match input.body {
            Some(b) => Some(b.collect().await?),
            None => None,
        };
        self.images.lock().unwrap().push(body);
        Ok(PutImageResponse::NoContent)
    }
}

async fn serve_with(limits: Option<Limits>) -> (String, std::sync::Arc<Service>) {
    let service = std::sync::Arc::new(Service::default());
    let app = match limits {
        Some(l) => router_with(service.clone(), &l),
        None => router(service.clone()),
    };
    (tests::serve_loopback(app).await, service)
}

#[tokio::test]
async fn ten_thousand_events_arrive_in_order_each_before_the_next_is_produced() {
    let (base, service) = serve_with(None).await;
    let (permit, permits) = mpsc::unbounded_channel();
    *service.permits.lock().unwrap() = Some(permits);
    let client = Client::new(&base);
    permit.send(()).unwrap();
    let WatchTicksResponse::Ok(mut events) = client
        .default()
        .watch_ticks(10_000)
        .send()
        .await
        .expect("the stream opens");
    // Lockstep: the server produces tick n+1 only after the client has
    // read tick n, so neither side can have buffered the body whole (it
    // would wait forever; the timeout says so).
    let read = async {
        let mut n = 0i64;
        while let Some(event) = events.next().await {
            let event = event.expect("an event");
            assert_eq!(event.data, Tick { n, note: None });
            assert_eq!(event.id.as_deref(), Some(n.to_string().as_str()));
            assert_eq!(event.event.as_deref(), Some("tick"));
            n += 1;
            let _ = permit.send(());
        }
        n
    };
    let got = tokio::time::timeout(std::time::Duration::from_secs(120), read)
        .await
        .expect("events stream one at a time");
    assert_eq!(got, 10_000);
}

#[tokio::test]
async fn text_events_keep_their_lines_and_fields_and_the_wire_is_an_event_stream() {
    let (base, _) = serve_with(None).await;
    let TailLogResponse::Ok(events) = Client::new(&base)
        .default()
        .tail_log()
        .send()
        .await
        .unwrap();
    let got: Vec<Event<String>> = events.map(Result::unwrap).collect().await;
    assert_eq!(
        got,
        vec![
            Event::new("started".to_string()),
            Event::new("two\nlines".to_string()).event("multi"),
            Event::new(String::new()).id("3"),
        ]
    );
    let raw = reqwest::get(format!("{base}/log")).await.unwrap();
    assert_eq!(raw.headers()["content-type"], "text/event-stream");
    assert_eq!(raw.headers()["cache-control"], "no-cache");
    assert_eq!(
        raw.text().await.unwrap(),
        "data: started\n\nevent: multi\ndata: two\ndata: lines\n\nid: 3\ndata: \n\n"
    );
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_stream_both_ways() {
    let (base, _) = serve_with(None).await;
    let client = Client::new(&base);
    let ExportThingsResponse::Ok(things) = client.default().export_things().send().await.unwrap();
    let things: Vec<Thing> = things.map(Result::unwrap).collect().await;
    assert_eq!(things.len(), 1000);
    assert_eq!(
        things[999],
        Thing {
            id: 999,
            name: "thing 999\n".into()
        }
    );

    // Sent from a stream (not a Vec), read back as RFC 7464 records.
    let sent: Vec<Thing> = things[..50].to_vec();
    let body = JsonStream::new(futures_util::stream::iter(sent.clone()));
    let ImportThingsResponse::Ok(back) = client.default().import_things(body).send().await.unwrap();
    let back: Vec<Thing> = back.map(Result::unwrap).collect().await;
    assert_eq!(back, sent);

    let raw = reqwest::Client::new()
        .post(format!("{base}/things"))
        .header("content-type", "application/jsonl")
        .body("{\"id\":1,\"name\":\"a\"}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-type"], "application/json-seq");
    assert_eq!(
        raw.bytes().await.unwrap().as_ref(),
        b"\x1e{\"id\":1,\"name\":\"a\"}\n"
    );

    // A line that is not a thing: the implementation's `?` answers 400.
    let raw = reqwest::Client::new()
        .post(format!("{base}/things"))
        .body("{\"id\":1,\"name\":\"a\"}\n{\"id\":\"x\"}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let problem: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(problem["error"], "body_unreadable", "{problem}");
}

#[tokio::test]
async fn binary_bodies_stream_up_and_down_with_their_headers() {
    let (base, service) = serve_with(None).await;
    let client = Client::new(&base);
    let size = 8 * 1024 * 1024 + 17;
    let PutFileResponse::Ok(stored) = client
        .default()
        .put_file("a.bin", ByteStream::new(pattern(size)))
        .send()
        .await
        .unwrap();
    assert_eq!(stored.bytes, size as i64);
    assert_eq!(stored.checksum, pattern_checksum(size));

    let GetFileResponse::Ok(mut body) = client
        .default()
        .get_file("a.bin", size as i64)
        .send()
        .await
        .unwrap()
    else {
        panic!("a file")
    };
    let mut h = Fnv::new();
    let mut got = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        got += chunk.len() as u64;
        h.feed(&chunk);
    }
    assert_eq!((got, h.hex()), (size, pattern_checksum(size)));

    // Other statuses of a streaming operation are read and decoded as usual.
    let missing = client
        .default()
        .get_file("missing", 1)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(missing, GetFileResponse::NotFound(Stored { ref name, .. }) if name == "missing")
    );

    // A `2XX` range with headers, and the code documented inside it.
    match client.default().get_image("logo").send().await.unwrap() {
        GetImageResponse::Status2xx {
            status,
            headers,
            body,
        } => {
            assert_eq!(status, 206);
            assert_eq!(headers.x_checksum.as_deref(), Some("abc"));
            assert_eq!(body.collect().await.unwrap(), b"\x89PNG");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.default().get_image("none").send().await.unwrap(),
        GetImageResponse::NoContent
    ));

    // An optional binary body: absent, or the bytes (with the spec's media type).
    client.default().put_image("x").send().await.unwrap();
    client
        .default()
        .put_image("x")
        .body(ByteStream::from("png"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        service.images.lock().unwrap().as_slice(),
        [None, Some(b"png".to_vec())]
    );
}

#[tokio::test]
async fn missing_and_oversized_streamed_bodies_are_4xx_problems() {
    let (base, _) = serve_with(Some(Limits::default().streamed_body(1000))).await;
    let http = reqwest::Client::new();
    let missing = http.put(format!("{base}/files/a")).send().await.unwrap();
    assert_eq!(missing.status(), 400);
    let problem: serde_json::Value = missing.json().await.unwrap();
    assert!(problem.to_string().contains("body"), "{problem}");

    // Declared too large: refused before the implementation runs.
    let declared = http
        .put(format!("{base}/files/a"))
        .body(vec![0u8; 2000])
        .send()
        .await
        .unwrap();
    assert_eq!(declared.status(), 413);

    // Chunked, and too large only once read: the stream fails, and `?`
    // in the implementation answers 413.
    let chunked = http
        .put(format!("{base}/files/a"))
        .body(reqwest::Body::wrap_stream(pattern(5000)))
        .send()
        .await
        .unwrap();
    assert_eq!(chunked.status(), 413);
    let problem: serde_json::Value = chunked.json().await.unwrap();
    assert_eq!(problem["error"], "payload_too_large", "{problem}");

    let client = Client::new(&base);
    let ok = client
        .default()
        .put_file("small", ByteStream::new(pattern(1000)))
        .send()
        .await
        .unwrap();
    assert!(matches!(
        ok,
        PutFileResponse::Ok(Stored { bytes: 1000, .. })
    ));
}
