//! [`serve`]: the connection loop of a generated server, with the
//! connection-level [`Limits`] that `axum::serve` does not expose (header
//! count, size and read timeout, connection count) and a graceful
//! shutdown bounded in time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::Limits;

/// Serves `router` on `listener` over HTTP/1.1 until `shutdown` resolves, then stops accepting, lets
/// in-flight requests finish for up to [`Limits::shutdown_grace`], closes
/// what remains and returns.
///
/// `router` is usually a generated `router_with(service, &limits)` built
/// from the same `limits`.
///
/// ```no_run
/// # async fn run(router: codegen_runtime::axum::Router) -> std::io::Result<()> {
/// use codegen_runtime::server::{serve, Limits};
///
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// let limits = Limits::default();
/// serve(listener, router, &limits, async {
///     let _ = tokio::signal::ctrl_c().await;
/// })
/// .await
/// # }
/// ```
pub async fn serve<F>(
    listener: TcpListener,
    router: axum::Router,
    limits: &Limits,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout())
        .max_headers(limits.header_count())
        .max_buf_size(limits.header_buffer());
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.connections()));
    let per_peer = limits.peer_connections();
    let retry_after = limits.retry_after_secs();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum
                    // does, instead of spinning; a failed handshake of one
                    // connection is no reason to stop.
                    if !is_per_connection(&e) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let peer_slot = match &per_peer {
            Some(counts) => match counts.enter(peer.ip()) {
                Some(slot) => Some(slot),
                None => {
                    tokio::spawn(refuse(stream, retry_after));
                    continue;
                }
            },
            None => None,
        };
        // Answers go out as soon as they are written.
        let _ = stream.set_nodelay(true);
        // The peer's address, for per-peer caps and for handlers that ask
        // for axum's `ConnectInfo`.
        let service = TowerToHyperService::new(tower::util::MapRequest::new(
            router.clone(),
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            },
        ));
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are the client's (reset, timeout, malformed
            // request) and end only its connection.
            let _ = connection.await;
            drop(peer_slot);
            drop(permit);
        });
    }
    drop(listener);
    // Past the grace period the remaining connections are dropped with the
    // runtime's tasks; the caller returns either way.
    let _ = tokio::time::timeout(limits.grace(), graceful.shutdown()).await;
    Ok(())
}

/// Answers a connection over its peer's cap `503` before reading
/// anything, then closes it; a client that does not read is given a
/// second, no more.
async fn refuse(mut stream: tokio::net::TcpStream, retry_after: u64) {
    use tokio::io::AsyncWriteExt as _;
    let problem = super::Problem::new(
        503,
        "overloaded",
        "this client has as many connections open as it may; retry later",
    );
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: {retry_after}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;
    use axum::routing::{get, post};
    use std::time::Instant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    /// Serves `router` with `limits` on a free port; the sender stops it.
    async fn start(
        router: axum::Router,
        limits: Limits,
    ) -> (
        String,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let router = limits.apply(router);
            serve(listener, router, &limits, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        (addr, stop, task)
    }

    /// Writes `request`, then reads until the server closes or `wait`
    /// passes; returns what was read.
    async fn exchange(addr: &str, request: &[u8], wait: Duration) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let _ = stream.write_all(request).await;
        let mut out = Vec::new();
        let _ = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    fn routes() -> axum::Router {
        axum::Router::new()
            .route("/ok", get(|| async { "ok" }))
            .route(
                "/echo",
                // As generated handlers read bodies.
                post(|raw: crate::server::Raw| async move {
                    match raw.read_with_body(&[]).await {
                        Ok((_, _, _, body)) => body.len().to_string().into_response(),
                        Err(answer) => answer,
                    }
                }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "slow"
                }),
            )
    }

    #[tokio::test]
    async fn a_slow_loris_is_closed_after_the_header_read_timeout() {
        let limits = Limits::default().header_read_timeout(Duration::from_millis(200));
        let (addr, _stop, _task) = start(routes(), limits).await;
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream.write_all(b"GET /ok HTTP/1.1\r\n").await.unwrap();
        let started = Instant::now();
        let mut closed = false;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if stream.write_all(b"X-A: b\r\n").await.is_err() {
                closed = true;
                break;
            }
            let mut byte = [0u8; 1];
            if let Ok(Ok(0)) =
                tokio::time::timeout(Duration::from_millis(1), stream.read(&mut byte)).await
            {
                closed = true;
                break;
            }
        }
        assert!(closed, "still open after {:?}", started.elapsed());
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn a_body_that_never_ends_answers_408() {
        let limits = Limits::default().body_read_timeout(Duration::from_millis(200));
        let (addr, _stop, _task) = start(routes(), limits).await;
        let answer = exchange(
            &addr,
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly this",
            Duration::from_secs(3),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("\"error\":\"timeout\""), "{answer}");
    }

    #[tokio::test]
    async fn connections_over_the_cap_wait_until_one_closes() {
        let limits = Limits::default().max_connections(1);
        let (addr, _stop, _task) = start(routes(), limits).await;
        let held = TcpStream::connect(&addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let waiting = tokio::spawn({
            let addr = addr.clone();
            async move {
                let sent = Instant::now();
                let answer = exchange(
                    &addr,
                    b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    Duration::from_secs(5),
                )
                .await;
                (sent.elapsed(), answer)
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "answered while the cap was full");
        drop(held);
        let (waited, answer) = waiting.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
    }

    #[tokio::test]
    async fn connections_over_a_peers_cap_are_answered_503_and_closed() {
        let limits = Limits::default().per_peer_connections(1);
        let (addr, _stop, _task) = start(routes(), limits).await;
        let held = TcpStream::connect(&addr).await.unwrap();
        // Let the server count the first before the second arrives.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let refused = exchange(
            &addr,
            b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n",
            Duration::from_secs(3),
        )
        .await;
        assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
        assert!(refused.contains("\"error\":\"overloaded\""), "{refused}");
        drop(held);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let fine = exchange(
            &addr,
            b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(3),
        )
        .await;
        assert!(fine.starts_with("HTTP/1.1 200"), "{fine}");
    }

    #[tokio::test]
    async fn too_many_headers_and_header_bytes_are_refused() {
        let limits = Limits::default().max_headers(10).header_bytes(8192);
        let (addr, _stop, _task) = start(routes(), limits).await;
        let mut many = String::from("GET /ok HTTP/1.1\r\nHost: x\r\n");
        for i in 0..20 {
            many.push_str(&format!("X-{i}: v\r\n"));
        }
        many.push_str("\r\n");
        let answer = exchange(&addr, many.as_bytes(), Duration::from_secs(3)).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
        let big = format!(
            "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "a".repeat(20_000)
        );
        let answer = exchange(&addr, big.as_bytes(), Duration::from_secs(3)).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
        let fine = exchange(
            &addr,
            b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(3),
        )
        .await;
        assert!(fine.starts_with("HTTP/1.1 200"), "{fine}");
    }

    #[tokio::test]
    async fn shutdown_finishes_in_flight_requests_and_refuses_new_ones() {
        let (addr, stop, task) = start(routes(), Limits::default()).await;
        let in_flight = tokio::spawn({
            let addr = addr.clone();
            async move {
                exchange(
                    &addr,
                    b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    Duration::from_secs(5),
                )
                .await
            }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        let answer = in_flight.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("slow"), "{answer}");
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("serve returns once in-flight requests are done")
            .unwrap();
        assert!(TcpStream::connect(&addr).await.is_err());
    }

    #[tokio::test]
    async fn the_grace_period_bounds_shutdown() {
        let limits = Limits::default()
            .shutdown_grace(Duration::from_millis(100))
            .handler_timeout(Duration::from_secs(60));
        let routes = axum::Router::new().route(
            "/forever",
            get(|| async {
                std::future::pending::<()>().await;
                "never"
            }),
        );
        let (addr, stop, task) = start(routes, limits).await;
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(3), task)
            .await
            .expect("serve returns after the grace period")
            .unwrap();
    }
}
