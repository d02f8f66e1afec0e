//! Shared test support: a real Axum server on a loopback port that records
//! every request and answers with canned responses.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// A header's value as text (`None` if absent).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Canned {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Canned {
            status,
            content_type: "application/json",
            body: body.to_string().into_bytes(),
        }
    }

    pub fn raw(status: u16, content_type: &'static str, body: &[u8]) -> Self {
        Canned {
            status,
            content_type,
            body: body.to_vec(),
        }
    }
}

#[derive(Default)]
struct State {
    recorded: Vec<Recorded>,
    answers: VecDeque<Canned>,
}

/// A recording server, started on `127.0.0.1:0` by [`RecordingServer::start`].
#[derive(Clone)]
pub struct RecordingServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl RecordingServer {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let shared = Arc::clone(&shared);
                async move {
                    let mut state = shared.lock().expect("state");
                    state.recorded.push(Recorded {
                        method,
                        path: uri.path().to_string(),
                        query: uri.query().map(str::to_string),
                        headers,
                        body: body.to_vec(),
                    });
                    match state.answers.pop_front() {
                        Some(c) => respond(c),
                        None => (StatusCode::IM_A_TEAPOT, "no canned answer").into_response(),
                    }
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        RecordingServer { addr, state }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues the answer to the next request.
    pub fn answer(&self, canned: Canned) {
        self.state.lock().expect("state").answers.push_back(canned);
    }

    /// Takes the requests recorded so far.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.state.lock().expect("state").recorded)
    }

    /// The one request recorded since the last call.
    pub fn single(&self) -> Recorded {
        let mut all = self.take();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:?}");
        all.remove(0)
    }
}

fn respond(c: Canned) -> Response {
    let status = StatusCode::from_u16(c.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, c.content_type)],
        c.body,
    )
        .into_response()
}

/// Serves `app` (a generated router) on a fresh loopback port until the
/// test ends; its base URL.
pub async fn serve_loopback(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

/// The README's Rust examples compile (`cargo test` runs them as doctests).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The book's Rust examples compile too (`docs/src/`, one item per chapter
/// that holds Rust code; `cargo test` runs them as doctests).
#[cfg(doctest)]
#[doc = include_str!("../../docs/src/front-ends.md")]
pub struct FrontEndsChapterDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/src/client.md")]
pub struct ClientChapterDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/src/bodies.md")]
pub struct BodiesChapterDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/src/server.md")]
pub struct ServerChapterDoctests;
