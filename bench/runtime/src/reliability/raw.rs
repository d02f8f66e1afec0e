//! Raw HTTP/1.1 over a TCP stream: what hostile and slow clients send is
//! not something an HTTP client library would let us write.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The authenticated request every scenario uses as normal traffic.
pub fn normal_request() -> Vec<u8> {
    format!(
        "GET {}?perPage=10 HTTP/1.1\r\nHost: loopback\r\nAuthorization: Bearer {}\r\n\r\n",
        crate::ROUTE,
        crate::DEMO_TOKEN
    )
    .into_bytes()
}

/// One answer read off a connection.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The server said `Connection: close`.
    pub close: bool,
    pub body: Vec<u8>,
}

/// How an exchange ended when it did not end with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The server closed (or reset) the connection.
    Closed,
    /// Nothing came back before the deadline.
    TimedOut,
}

/// A keep-alive connection that reads answers one after another.
pub struct Conn {
    stream: TcpStream,
    buffered: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buffered: Vec::new(),
        })
    }

    /// Writes all of `bytes`; a failure means the server closed.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), Ended> {
        self.stream
            .write_all(bytes)
            .await
            .map_err(|_| Ended::Closed)
    }

    /// Sends `request` and reads its answer, within `timeout`.
    pub async fn exchange(&mut self, request: &[u8], timeout: Duration) -> Result<Answer, Ended> {
        let deadline = Instant::now() + timeout;
        // A server that refuses mid-request may close before reading it all.
        if self.send(request).await.is_err() {
            return self.read_answer(deadline).await;
        }
        self.read_answer(deadline).await
    }

    /// Reads bytes until the server closes or `deadline`; `true` if closed.
    pub async fn closed_by(&mut self, deadline: Instant) -> bool {
        let mut chunk = [0u8; 4096];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.stream.read(&mut chunk)).await {
                Err(_) => return false,
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => {}
            }
        }
    }

    async fn fill(&mut self, deadline: Instant) -> Result<(), Ended> {
        let mut chunk = [0u8; 16 * 1024];
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, self.stream.read(&mut chunk)).await {
            Err(_) => Err(Ended::TimedOut),
            Ok(Ok(0)) | Ok(Err(_)) => Err(Ended::Closed),
            Ok(Ok(n)) => {
                self.buffered.extend_from_slice(&chunk[..n]);
                Ok(())
            }
        }
    }

    /// Reads one answer: status line, headers, then a `Content-Length` or
    /// chunked body (or everything up to the close).
    pub async fn read_answer(&mut self, deadline: Instant) -> Result<Answer, Ended> {
        let head_end = loop {
            if let Some(at) = find(&self.buffered, b"\r\n\r\n") {
                break at + 4;
            }
            self.fill(deadline).await?;
        };
        let head = String::from_utf8_lossy(&self.buffered[..head_end]).into_owned();
        self.buffered.drain(..head_end);
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(Ended::Closed)?;
        let header = |name: &str| {
            head.lines().find_map(|line| {
                let (n, v) = line.split_once(':')?;
                n.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_ascii_lowercase())
            })
        };
        let close = header("connection").is_some_and(|v| v == "close");
        let body = if let Some(length) = header("content-length").and_then(|v| v.parse().ok()) {
            while self.buffered.len() < length {
                self.fill(deadline).await?;
            }
            self.buffered.drain(..length).collect()
        } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            self.chunked(deadline).await?
        } else {
            while self.fill(deadline).await.is_ok() {}
            std::mem::take(&mut self.buffered)
        };
        Ok(Answer {
            status,
            close,
            body,
        })
    }

    async fn chunked(&mut self, deadline: Instant) -> Result<Vec<u8>, Ended> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = find(&self.buffered, b"\r\n") {
                    break at;
                }
                self.fill(deadline).await?;
            };
            let size_text = String::from_utf8_lossy(&self.buffered[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| Ended::Closed)?;
            self.buffered.drain(..line_end + 2);
            while self.buffered.len() < size + 2 {
                self.fill(deadline).await?;
            }
            body.extend(self.buffered.drain(..size));
            self.buffered.drain(..2);
            if size == 0 {
                return Ok(body);
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
