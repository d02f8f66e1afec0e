//! One tracing span per operation on client and server (runtime feature
//! `tracing`). Its own test binary: tracing caches per callsite whether
//! anyone listens, and tests on other threads without this subscriber
//! would race it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use generated::tokens::client::Client;
use token_server::TokenService;

async fn serve() -> String {
    let app = generated::tokens::server::router(Arc::new(TokenService::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

fn authorized(base: String) -> generated::tokens::client::ClientBuilder {
    Client::builder(base)
        .losant_bearer("demo-losant-token")
        .foreman_basic("admin", "changeme")
        .mindbody_api_key("demo-api-key")
}

/// A span's name and its fields as text.
type Span = (String, BTreeMap<String, String>);

/// An event's fields as text.
type Event = BTreeMap<String, String>;

/// Spans as a subscriber sees them, and every event.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<Span>>>, Arc<Mutex<Vec<Event>>>);

/// The tests take turns: tracing caches per callsite whether any
/// subscriber listens, so they must not register and drop theirs at once.
static SERIAL: Mutex<()> = Mutex::new(());

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_string(),
            format!("{value:?}").trim_matches('"').to_string(),
        );
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap();
        spans.push((span.metadata().name().to_string(), fields));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, fields)) = spans.get_mut(id.into_u64() as usize - 1) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.1.lock().unwrap().push(fields);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn one_span_per_operation_on_client_and_server_without_secrets() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let c = authorized(serve().await).build();
        c.user_api_tokens().get().send().await.unwrap();
        let _ = c.user_token().revoke("6", "-99").send().await.unwrap();
    });
    let spans = spans.0.lock().unwrap();
    let find = |name: &str, id: &str| {
        spans
            .iter()
            .find(|(n, f)| n == name && f.get("operation_id").map(String::as_str) == Some(id))
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| panic!("no {name} span for {id}: {spans:?}"))
    };
    for kind in ["client call", "server request"] {
        let list = find(kind, "userApiTokens.get");
        assert_eq!(list["http.request.method"], "GET");
        assert_eq!(list["http.route"], "/me/tokens");
        assert_eq!(list["http.response.status_code"], "200");
        assert!(list["latency_ms"].parse::<f64>().is_ok());
        let revoke = find(kind, "userToken.revoke");
        assert_eq!(revoke["http.request.method"], "DELETE");
    }
    assert_eq!(find("client call", "userApiTokens.get")["attempts"], "1");
    let all = format!("{spans:?}");
    for secret in ["demo-losant-token", "demo-api-key", "changeme"] {
        assert!(!all.contains(secret), "a secret in a span field");
    }
}

/// Panics `listEvents` of the pagination fixture's server.
struct Panicky;

impl generated::pagination::server::Default for Panicky {
    async fn list_events(
        &self,
        _: generated::pagination::server::ListEventsInput,
    ) -> generated::pagination::server::Outcome<generated::pagination::types::ListEventsResponse>
    {
        panic!("an implementation bug")
    }
}

#[test]
fn a_panic_is_logged_as_an_error_event() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        let app = generated::pagination::server::router(Arc::new(Panicky));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        reqwest::get(format!("http://{addr}/events"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 500);
    let events = spans.1.lock().unwrap();
    let logged = events
        .iter()
        .find(|e| e.get("panic").map(String::as_str) == Some("an implementation bug"));
    let logged = logged.unwrap_or_else(|| panic!("no panic event: {events:?}"));
    assert_eq!(logged["message"], "a handler panicked; answered 500");
}
