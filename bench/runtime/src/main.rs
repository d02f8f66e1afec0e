//! Runtime benchmarks, driven by `bench/run.sh` (see `BENCHMARKS.md`).
//!
//! ```text
//! bench-runtime serve --kind generated|handwritten --addr 127.0.0.1:0 --threads 1
//! bench-runtime load --url http://127.0.0.1:PORT/me/tokens -H 'Authorization: Bearer demo-losant-token' \
//!     --concurrency 16 --duration 5 --warmup 1
//! bench-runtime client --base-url http://127.0.0.1:PORT --calls 2000 --rounds 5
//! bench-runtime reliability --server target/release/token-server [--quick]
//! ```
//!
//! `serve` prints `listening on http://ADDR` and serves until SIGTERM or
//! Ctrl-C; `load` and `client` print one JSON object on stdout. Every request
//! goes to the address given (loopback in the scripts), and every loop is
//! bounded in time and in count.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

mod client;
mod handwritten;
mod load;
mod reliability;

/// The route every runtime benchmark exercises: list the caller's Losant API
/// tokens, with the query a dashboard would send.
pub const ROUTE: &str = "/me/tokens";
/// The query string sent with [`ROUTE`].
pub const QUERY: [(&str, &str); 4] = [
    ("sortField", "name"),
    ("sortDirection", "asc"),
    ("page", "0"),
    ("perPage", "10"),
];
/// The demo bearer token both servers accept.
pub const DEMO_TOKEN: &str = "demo-losant-token";

#[derive(Debug, Parser)]
#[command(
    name = "bench-runtime",
    about = "Loopback runtime benchmarks of the generated server and client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve `GET /me/tokens` (and, for `generated`, every other route of specs/tokens.yaml).
    Serve {
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
        /// Tokio worker threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Keep-alive HTTP/1.1 load at a fixed concurrency for a bounded time.
    Load(load::Args),
    /// Per-call latency of the generated client against plain reqwest.
    Client(client::Args),
    /// The token server under load, slow clients and hostile HTTP.
    Reliability(reliability::Args),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    /// The generated `tokens` router serving `token_server::TokenService`.
    Generated,
    /// A hand-written Axum handler doing the same work for `GET /me/tokens`.
    Handwritten,
    /// The same handler, copying every string into its answer as the
    /// generated traits' owned response types require.
    HandwrittenOwned,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve {
            kind,
            addr,
            threads,
        } => serve(kind, addr, threads),
        Command::Load(args) => current_thread().and_then(|rt| rt.block_on(load::run(args))),
        Command::Client(args) => current_thread().and_then(|rt| rt.block_on(client::run(args))),
        Command::Reliability(args) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start tokio: {e}"))
            .and_then(|rt| rt.block_on(reliability::run(args))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

fn current_thread() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))
}

fn serve(kind: Kind, addr: SocketAddr, threads: usize) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(async move {
        let app = match kind {
            Kind::Generated => {
                generated::tokens::server::router(Arc::new(token_server::TokenService::new()))
            }
            Kind::Handwritten => handwritten::router(false),
            Kind::HandwrittenOwned => handwritten::router(true),
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{local}");
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
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
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// The `p`-th percentile (0..=100) of sorted samples, nearest rank.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50.0), 50);
        assert_eq!(percentile(&samples, 99.0), 99);
        assert_eq!(percentile(&samples, 100.0), 100);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 99.0), 0);
    }
}
