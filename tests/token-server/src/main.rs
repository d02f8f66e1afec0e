//! The token server: the generated `tokens` router serving the
//! hand-written in-memory [`token_server::TokenService`].
//!
//! ```text
//! cargo run -p token-server -- --addr 127.0.0.1:8080
//! ```
//!
//! Prints the address it listens on to stdout, one line per request to
//! stderr (method, path, status, duration: never headers, query strings or
//! bodies; `--quiet` turns them off), and exits 0 on Ctrl-C or SIGTERM after
//! in-flight requests finish.
//!
//! Served with the runtime's default [`Limits`] (body size, header count and
//! size, read and handler timeouts, concurrency, shutdown grace); each has a
//! flag. `--delay-ms` makes every operation that much slower, to exercise the
//! handler timeout and graceful shutdown under load (`bench/reliability`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use clap::Parser;
use generated::tokens::server::{self, Limits};
use token_server::TokenService;

/// Serve the Losant, Foreman and Mindbody token APIs from memory, with demo data.
#[derive(Debug, Parser)]
#[command(name = "token-server")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// No line per request on stderr.
    #[arg(long)]
    quiet: bool,
    /// Largest request body in bytes [default: 1 MiB].
    #[arg(long)]
    body_limit: Option<usize>,
    /// Most request headers [default: 100].
    #[arg(long)]
    max_headers: Option<usize>,
    /// Most bytes of request line and headers [default: 64 KiB].
    #[arg(long)]
    header_bytes: Option<usize>,
    /// Milliseconds a client has to send the request line and headers [default: 10,000].
    #[arg(long)]
    header_timeout_ms: Option<u64>,
    /// Milliseconds a client has to send the body [default: 15,000].
    #[arg(long)]
    body_timeout_ms: Option<u64>,
    /// Least average body rate in bytes a second after 5 s; 0 turns it off [default: 500].
    #[arg(long)]
    body_min_rate: Option<u64>,
    /// Most requests whose body is still arriving; the newest slow one over it is shed with 503 [default: 4,096].
    #[arg(long)]
    body_readers: Option<usize>,
    /// Most requests in flight from one client address [default: no cap].
    #[arg(long)]
    per_peer_requests: Option<usize>,
    /// Most open connections from one client address [default: no cap].
    #[arg(long)]
    per_peer_connections: Option<usize>,
    /// Milliseconds from a request's admission (its body read) to its answer; slower answers are 503 [default: 30,000].
    #[arg(long)]
    handler_timeout_ms: Option<u64>,
    /// Most requests in handlers at once; more are shed with 503 [default: 1,024].
    #[arg(long)]
    concurrency: Option<usize>,
    /// Most open connections [default: 10,000].
    #[arg(long)]
    max_connections: Option<usize>,
    /// Milliseconds in-flight requests have to finish after SIGTERM or Ctrl-C [default: 30,000].
    #[arg(long)]
    shutdown_grace_ms: Option<u64>,
    /// Delay every operation's answer by this many milliseconds (load testing only).
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
}

impl Args {
    /// The runtime's defaults, with each flag given applied.
    fn limits(&self) -> Limits {
        let ms = Duration::from_millis;
        let mut limits = Limits::default();
        if let Some(v) = self.body_limit {
            limits = limits.body(v);
        }
        if let Some(v) = self.max_headers {
            limits = limits.max_headers(v);
        }
        if let Some(v) = self.header_bytes {
            limits = limits.header_bytes(v);
        }
        if let Some(v) = self.header_timeout_ms {
            limits = limits.header_read_timeout(ms(v));
        }
        if let Some(v) = self.body_timeout_ms {
            limits = limits.body_read_timeout(ms(v));
        }
        if let Some(v) = self.body_min_rate {
            limits = limits.body_min_rate(v);
        }
        if let Some(v) = self.body_readers {
            limits = limits.body_readers(v);
        }
        if let Some(v) = self.per_peer_requests {
            limits = limits.per_peer_requests(v);
        }
        if let Some(v) = self.per_peer_connections {
            limits = limits.per_peer_connections(v);
        }
        if let Some(v) = self.handler_timeout_ms {
            limits = limits.handler_timeout(ms(v));
        }
        if let Some(v) = self.concurrency {
            limits = limits.concurrency(v);
        }
        if let Some(v) = self.max_connections {
            limits = limits.max_connections(v);
        }
        if let Some(v) = self.shutdown_grace_ms {
            limits = limits.shutdown_grace(ms(v));
        }
        limits
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let limits = args.limits();
    let service = TokenService::new().with_delay(Duration::from_millis(args.delay_ms));
    let mut app = server::router_with(Arc::new(service), &limits);
    if !args.quiet {
        app = app.layer(middleware::from_fn(log_request));
    }
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("token-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.addr);
    println!("token-server listening on http://{addr}");
    match server::serve(listener, app, &limits, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("token-server: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("token-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One line per request: method, path (no query string), status, duration.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Resolves on Ctrl-C, or on SIGTERM on unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("token-server: cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(e) => {
                eprintln!("token-server: cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("token-server: shutting down");
}
