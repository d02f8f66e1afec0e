//! A 256 MiB binary upload and download through the generated client and
//! server on loopback, with the test process's peak RSS measured around
//! it (`tests/fixtures/edge/streaming.yaml`). Bodies stream: the peak must
//! stay far below the body size. Its own test binary, so nothing else
//! runs in the process while it measures. The figure is printed:
//! `cargo test -p tests --test stream_memory -- --nocapture`.

use codegen_runtime::server::{Limits, Outcome};
use codegen_runtime::ByteStream;
use futures_util::StreamExt;
use generated::streaming::client::Client;
use generated::streaming::server::{router_with, Default as Streams, GetFileInput, PutFileInput};
use generated::streaming::types::{GetFileResponse, PutFileResponse, Stored};

const SIZE: u64 = 256 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// The byte at `offset` of the pattern both sides agree on.
fn byte_at(offset: u64) -> u8 {
    ((offset % CHUNK as u64) % 251) as u8
}

fn pattern(size: u64) -> ByteStream {
    let chunk = bytes::Bytes::from((0..CHUNK as u64).map(byte_at).collect::<Vec<_>>());
    let mut left = size;
    ByteStream::new(futures_util::stream::iter(std::iter::from_fn(move || {
        let n = left.min(CHUNK as u64);
        left -= n;
        (n > 0).then(|| Ok::<_, std::io::Error>(chunk.slice(..n as usize)))
    })))
}

/// Bytes read, and whether every 4096th byte is the pattern's.
async fn drain(mut body: ByteStream) -> (u64, bool) {
    let (mut offset, mut same) = (0u64, true);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("a chunk");
        let first = offset.div_ceil(4096) * 4096;
        let mut at = first;
        while at < offset + chunk.len() as u64 {
            same &= chunk[(at - offset) as usize] == byte_at(at);
            at += 4096;
        }
        offset += chunk.len() as u64;
    }
    (offset, same)
}

struct Files;

impl Streams for Files {
    async fn get_file(&self, input: GetFileInput) -> Outcome<GetFileResponse> {
        Ok(GetFileResponse::Ok(pattern(input.size as u64)))
    }

    async fn put_file(&self, input: PutFileInput) -> Outcome<PutFileResponse> {
        let (bytes, same) = drain(input.body).await;
        Ok(PutFileResponse::Ok(Stored {
            name: input.name,
            bytes: bytes as i64,
            checksum: same.to_string(),
        }))
    }
}

/// Peak resident set size of this process so far, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_256_mib_upload_and_download_stay_far_below_the_body_size_in_memory() {
    let limits = Limits::default()
        .handler_timeout(std::time::Duration::from_secs(600))
        .body_read_timeout(std::time::Duration::from_secs(600));
    let app = router_with(std::sync::Arc::new(Files), &limits);
    let client = Client::new(tests::serve_loopback(app).await);
    // Warm up the connection and both sides' buffers before the baseline.
    let _ = client
        .default()
        .put_file("warm", pattern(1 << 20))
        .send()
        .await
        .unwrap();
    let before = peak_rss_kib();

    let PutFileResponse::Ok(stored) = client
        .default()
        .put_file("big", pattern(SIZE))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (stored.bytes as u64, stored.checksum.as_str()),
        (SIZE, "true")
    );
    let GetFileResponse::Ok(body) = client
        .default()
        .get_file("big", SIZE as i64)
        .send()
        .await
        .unwrap()
    else {
        panic!("the file")
    };
    assert_eq!(drain(body).await, (SIZE, true));

    let after = peak_rss_kib();
    let grew = after.saturating_sub(before);
    eprintln!("256 MiB up and down: peak RSS {before} KiB before, {after} KiB after (+{grew} KiB)");
    // Streaming holds a few chunks per side; buffering would need 256 MiB.
    assert!(grew < 32 * 1024, "peak RSS grew by {grew} KiB");
}
