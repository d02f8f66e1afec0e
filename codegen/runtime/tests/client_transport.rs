//! The client transport against real loopback servers: retries (on tokio's
//! paused clock, so waits are exact and instant), credential refresh,
//! caller layers and, with the `tracing` feature, spans.
#![cfg(all(feature = "client", feature = "server"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use codegen_runtime::client::{Apply, Credential, ErrorKind, Retry, Token, TransportBuilder};
use codegen_runtime::Operation;
use tokio::time::Instant;

/// Request arrival times and a scripted answer per attempt (the last repeats).
#[derive(Clone)]
struct Script {
    answers: Arc<Vec<(u16, Option<&'static str>)>>,
    seen: Arc<Mutex<Vec<(Instant, HeaderMap)>>>,
}

impl Script {
    fn new(answers: &[(u16, Option<&'static str>)]) -> Self {
        Script {
            answers: Arc::new(answers.to_vec()),
            seen: Arc::default(),
        }
    }

    fn arrivals(&self) -> Vec<Instant> {
        self.seen.lock().unwrap().iter().map(|(t, _)| *t).collect()
    }
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

async fn scripted(script: &Script) -> String {
    let s = script.clone();
    serve(Router::new().route(
        "/{*rest}",
        any(move |headers: HeaderMap| {
            let s = s.clone();
            async move {
                let n = {
                    let mut seen = s.seen.lock().unwrap();
                    seen.push((Instant::now(), headers));
                    seen.len()
                };
                let (status, retry_after) = s.answers[(n - 1).min(s.answers.len() - 1)];
                let mut response = (StatusCode::from_u16(status).unwrap(), "{}").into_response();
                if let Some(ra) = retry_after {
                    response
                        .headers_mut()
                        .insert("retry-after", ra.parse().unwrap());
                }
                response
            }
        }),
    ))
    .await
}

/// A reqwest client without pool timers: on the paused clock, an idle
/// timer would let time jump while a response is on its way.
fn builder(base: &str) -> TransportBuilder {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    TransportBuilder::new(base).http_client(http)
}

const GET: Operation = Operation::new("things.list", "GET", "/things");
const POST: Operation = Operation::new("things.create", "POST", "/things");

#[tokio::test(start_paused = true)]
async fn retry_after_is_waited_for_exactly_then_the_answer_returned() {
    let script = Script::new(&[(503, Some("2")), (503, Some("2")), (200, None)]);
    let base = scripted(&script).await;
    let transport = builder(&base).retry(Retry::new().max_attempts(5)).build();
    let request = transport.request(reqwest::Method::GET, "/things");
    let (status, _, _) = transport.send(GET, request, &[], None).await.unwrap();
    assert_eq!(status, 200);
    let at = script.arrivals();
    assert_eq!(at.len(), 3, "two retries");
    assert_eq!(at[1] - at[0], Duration::from_secs(2));
    assert_eq!(at[2] - at[1], Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_only_with_its_declared_idempotency_key() {
    let script = Script::new(&[(503, Some("1")), (201, None)]);
    let base = scripted(&script).await;
    let transport = builder(&base).retry(Retry::new()).build();
    let request = transport.request(reqwest::Method::POST, "/things");
    let (status, _, _) = transport.send(POST, request, &[], None).await.unwrap();
    assert_eq!(
        (status, script.arrivals().len()),
        (503, 1),
        "no key: one attempt"
    );

    let keyed = POST.with_idempotency_key("Idempotency-Key");
    let request = transport.request(reqwest::Method::POST, "/things");
    transport.send(keyed, request, &[], None).await.unwrap();
    assert_eq!(
        script.arrivals().len(),
        2,
        "declared but not set: one attempt"
    );

    let script = Script::new(&[(503, Some("1")), (201, None)]);
    let base = scripted(&script).await;
    let transport = builder(&base).retry(Retry::new()).build();
    let request = transport
        .request(reqwest::Method::POST, "/things")
        .header("Idempotency-Key", "k1");
    let (status, _, _) = transport.send(keyed, request, &[], None).await.unwrap();
    assert_eq!((status, script.arrivals().len()), (201, 2));
}

#[tokio::test(start_paused = true)]
async fn the_time_budget_and_attempt_limit_are_honoured_and_per_request_policy_wins() {
    let script = Script::new(&[(503, Some("2"))]);
    let base = scripted(&script).await;
    let policy = Retry::new().max_attempts(10).budget(Duration::from_secs(5));
    let transport = builder(&base).retry(policy).build();
    let started = Instant::now();
    let request = transport.request(reqwest::Method::GET, "/things");
    let (status, _, _) = transport.send(GET, request, &[], None).await.unwrap();
    assert_eq!(status, 503, "the last answer is returned");
    assert_eq!(
        script.arrivals().len(),
        3,
        "waits at 2 s and 4 s; a third would end at 6 s"
    );
    assert!(started.elapsed() <= Duration::from_secs(5));

    let request = transport.request(reqwest::Method::GET, "/things");
    let once = Retry::never();
    transport
        .send(GET, request, &[], Some(&once))
        .await
        .unwrap();
    assert_eq!(
        script.arrivals().len(),
        4,
        "Retry::never() on the request: one attempt"
    );
}

#[tokio::test(start_paused = true)]
async fn connection_failures_are_retried_with_backoff() {
    // A port nothing listens on: bind, read the port, close.
    let addr = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let attempts = Arc::new(Mutex::new(0u32));
    let counter = attempts.clone();
    let count =
        tower::util::MapRequestLayer::new(move |r: codegen_runtime::client::HttpRequest| {
            *counter.lock().unwrap() += 1;
            r
        });
    let transport = builder(&format!("http://{addr}"))
        .retry(Retry::new().max_attempts(4))
        .layer(count)
        .build();
    let request = transport.request(reqwest::Method::GET, "/things");
    let err = transport.send(GET, request, &[], None).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(*attempts.lock().unwrap(), 4);
}

#[tokio::test]
async fn a_layer_sees_each_operation_and_can_add_headers() {
    let script = Script::new(&[(200, None)]);
    let base = scripted(&script).await;
    let ids = Arc::new(Mutex::new(Vec::new()));
    let seen = ids.clone();
    let record =
        tower::util::MapRequestLayer::new(move |mut r: codegen_runtime::client::HttpRequest| {
            let op = r.extensions().get::<Operation>().copied();
            seen.lock().unwrap().push(op.map(|o| o.id));
            r.headers_mut()
                .insert("x-operation", op.map_or("?", |o| o.id).parse().unwrap());
            r
        });
    let transport = builder(&base).layer(record).build();
    for op in [GET, POST] {
        let method = reqwest::Method::from_bytes(op.method.as_bytes()).unwrap();
        transport
            .send(op, transport.request(method, "/things"), &[], None)
            .await
            .unwrap();
    }
    assert_eq!(
        *ids.lock().unwrap(),
        [Some("things.list"), Some("things.create")]
    );
    let seen = script.seen.lock().unwrap();
    assert_eq!(seen[1].1["x-operation"], "things.create");
}

#[tokio::test]
async fn a_401_refreshes_a_provided_credential_once_and_retries() {
    let fetched = Arc::new(Mutex::new(0u32));
    let counter = fetched.clone();
    let credential = Credential::provider(move || {
        let n = {
            let mut c = counter.lock().unwrap();
            *c += 1;
            *c
        };
        async move { Ok::<_, std::io::Error>(Token::new(format!("t{n}"))) }
    });
    // Accepts only the second token.
    let base = serve(Router::new().route(
        "/me",
        any(|headers: HeaderMap| async move {
            match headers.get("authorization").and_then(|v| v.to_str().ok()) {
                Some("Bearer t2") => StatusCode::OK,
                _ => StatusCode::UNAUTHORIZED,
            }
        }),
    ))
    .await;
    let transport = builder(&base).build();
    let me = Operation::new("me.get", "GET", "/me");
    let request = transport.request(reqwest::Method::GET, "/me");
    let (status, _, _) = transport
        .send(me, request, &[Apply::Bearer(&credential)], None)
        .await
        .unwrap();
    assert_eq!(
        (status, *fetched.lock().unwrap()),
        (200, 2),
        "t1 refused, t2 fetched and accepted"
    );
    let request = transport.request(reqwest::Method::GET, "/me");
    let (status, _, _) = transport
        .send(me, request, &[Apply::Bearer(&credential)], None)
        .await
        .unwrap();
    assert_eq!(
        (status, *fetched.lock().unwrap()),
        (200, 2),
        "the cached token is reused"
    );

    let fixed: Credential = "t1".into();
    let request = transport.request(reqwest::Method::GET, "/me");
    let (status, _, _) = transport
        .send(me, request, &[Apply::Bearer(&fixed)], None)
        .await
        .unwrap();
    assert_eq!(status, 401, "a fixed secret is not refreshed");
}
