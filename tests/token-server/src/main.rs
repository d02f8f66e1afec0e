//! The token server: the generated `tokens` router serving the
//! hand-written in-memory [`token_server::TokenService`].
//!
//! ```text
//! cargo run -p token-server -- --addr 127.0.0.1:8080
//! ```
//!
//! Prints the address it listens on to stdout, one line per request to
//! stderr (method, path, status, duration: never headers, query strings or
//! bodies), and exits 0 on Ctrl-C or SIGTERM after in-flight requests finish.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use clap::Parser;
use token_server::TokenService;

/// Serve the Losant, Foreman and Mindbody token APIs from memory, with demo data.
#[derive(Debug, Parser)]
#[command(name = "token-server")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let app = generated::tokens::server::router(Arc::new(TokenService::new()))
        .layer(middleware::from_fn(log_request));
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("token-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.addr);
    println!("token-server listening on http://{addr}");
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
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
