//! What client and server users ask for, against the generated token
//! client and server over loopback: pagination streams over the seeds'
//! list operations, caller layers that see operation ids on both sides, a
//! panic answered with 500 (spans: `tracing_spans.rs`).

use std::sync::{Arc, Mutex};

use codegen_runtime::client::{ErrorKind, HttpRequest};
use codegen_runtime::server::Limits;
use codegen_runtime::Operation;
use futures_util::{StreamExt, TryStreamExt};
use generated::tokens::client::Client;
use generated::tokens::types::*;
use token_server::TokenService;

async fn serve_app(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

async fn serve() -> String {
    serve_app(generated::tokens::server::router(Arc::new(
        TokenService::new(),
    )))
    .await
}

fn authorized(base: String) -> generated::tokens::client::ClientBuilder {
    Client::builder(base)
        .losant_bearer("demo-losant-token")
        .foreman_basic("admin", "changeme")
        .mindbody_api_key("demo-api-key")
}

fn losant_token(name: &str) -> ApiTokenPost {
    serde_json::from_value(serde_json::json!({"name": name, "scope": ["all.User"]})).expect("body")
}

#[tokio::test]
async fn every_losant_token_streams_over_three_pages() {
    let c = authorized(serve().await).build();
    let UserApiTokensGetResponse::Ok(first) = c.user_api_tokens().get().send().await.unwrap()
    else {
        panic!("list")
    };
    let seeded = first.total_count.expect("totalCount");
    for i in seeded..7 {
        c.user_api_tokens()
            .post(losant_token(&format!("t{i}")))
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<ApiTokens> = c
        .user_api_tokens()
        .get()
        .per_page("3")
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.items.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [3, 3, 1], "pages 0, 1 and 2 of 7 tokens");
    assert_eq!(
        pages.iter().map(|p| p.page).collect::<Vec<_>>(),
        [Some(0), Some(1), Some(2)]
    );

    let tokens: Vec<ApiToken> = c
        .user_api_tokens()
        .get()
        .per_page("3")
        .items()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<String> = tokens.iter().map(|t| t.id.clone().expect("id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7, "every token once");

    // A filter the pages keep: the request as built is every page's base.
    let named: Vec<ApiToken> = c
        .user_api_tokens()
        .get()
        .per_page("1")
        .filter_field(UserApiTokensGetFilterField::Name)
        .filter("t*")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(named
        .iter()
        .all(|t| t.name.as_deref().is_some_and(|n| n.starts_with('t'))));
}

#[tokio::test]
async fn every_foreman_token_streams_over_three_pages() {
    let c = authorized(serve().await).build();
    let PersonalAccessTokensListResponse::Ok(first) =
        c.personal_access_tokens().list("1").send().await.unwrap()
    else {
        panic!("list")
    };
    for i in first.subtotal..7 {
        let body = PersonalAccessTokenCreate {
            personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
                name: format!("ci{i}"),
                expires_at: Some(None),
            },
        };
        c.personal_access_tokens()
            .create("1", body)
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<PersonalAccessTokenList> = c
        .personal_access_tokens()
        .list("1")
        .per_page("3")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| (p.page, p.results.len()))
            .collect::<Vec<_>>(),
        [(1, 3), (2, 3), (3, 1)]
    );
    let tokens: Vec<PersonalAccessToken> = c
        .personal_access_tokens()
        .list("1")
        .per_page("3")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tokens.len(), 7);

    // A failing page ends the stream with its status.
    let got: Vec<_> = c
        .personal_access_tokens()
        .list("999")
        .items()
        .collect()
        .await;
    assert!(
        matches!(
            got.as_slice(),
            [Err(e)] if matches!(e.kind(), ErrorKind::Page { status: 404, .. })
        ),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_client_layer_sees_each_operation_id() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let layer = tower::util::MapRequestLayer::new(move |request: HttpRequest| {
        let id = request.extensions().get::<Operation>().map(|op| op.id);
        record.lock().unwrap().push(id);
        request
    });
    let c = authorized(serve().await).layer(layer).build();
    c.user_api_tokens().get().send().await.unwrap();
    c.personal_access_tokens().list("1").send().await.unwrap();
    let _ = c.user_token().revoke("6", "-99").send().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Some("userApiTokens.get"),
            Some("personalAccessTokens.list"),
            Some("userToken.revoke")
        ]
    );
}

#[tokio::test]
async fn client_and_server_carry_the_same_operation_constant() {
    use generated::tokens::operations;
    let server_seen = Arc::new(Mutex::new(Vec::new()));
    let record = server_seen.clone();
    let gate = axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let record = record.clone();
            async move {
                record
                    .lock()
                    .unwrap()
                    .push(request.extensions().get::<Operation>().copied());
                next.run(request).await
            }
        },
    );
    let app = generated::tokens::server::router_layered(
        Arc::new(TokenService::new()),
        &Limits::default(),
        gate,
    );
    let client_seen = Arc::new(Mutex::new(Vec::new()));
    let record = client_seen.clone();
    let layer = tower::util::MapRequestLayer::new(move |request: HttpRequest| {
        record
            .lock()
            .unwrap()
            .push(request.extensions().get::<Operation>().copied());
        request
    });
    let c = authorized(serve_app(app).await).layer(layer).build();
    c.user_api_tokens().get().send().await.unwrap();
    let _ = c.user_token().revoke("6", "-99").send().await.unwrap();
    let want = [
        Some(operations::USER_API_TOKENS_GET),
        Some(operations::USER_TOKEN_REVOKE),
    ];
    assert_eq!(*client_seen.lock().unwrap(), want);
    assert_eq!(*server_seen.lock().unwrap(), want);
    // A route with several methods refuses another, naming them.
    let response = reqwest::Client::new()
        .put(format!("{}/me/tokens", c.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
}

#[tokio::test]
async fn a_server_layer_rejects_one_operation_by_id_and_a_panic_answers_500() {
    let gate = axum::middleware::from_fn(
        |request: axum::extract::Request, next: axum::middleware::Next| async move {
            let id = request.extensions().get::<Operation>().map(|op| op.id);
            match id {
                Some("userApiTokens.post") => axum::http::StatusCode::FORBIDDEN.into_response_(),
                Some("userApiToken.delete") => panic!("a handler bug"),
                _ => next.run(request).await,
            }
        },
    );
    let service = Arc::new(TokenService::new());
    let app = generated::tokens::server::router_layered(service, &Limits::default(), gate);
    let base = serve_app(app).await;
    let c = authorized(base).build();

    assert!(matches!(
        c.user_api_tokens().get().send().await.unwrap(),
        UserApiTokensGetResponse::Ok(_)
    ));
    let refused = c
        .user_api_tokens()
        .post(losant_token("x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        refused.status(),
        Some(403),
        "only that operation is refused: {refused:?}"
    );

    let panicked = c
        .user_api_token()
        .delete("aaaaaaaaaaaaaaaaaaaaaaaa")
        .send()
        .await
        .unwrap_err();
    assert_eq!(panicked.status(), Some(500));
    assert!(
        matches!(
            c.user_api_tokens().get().send().await.unwrap(),
            UserApiTokensGetResponse::Ok(_)
        ),
        "still serving"
    );
}

trait IntoResponseExt {
    fn into_response_(self) -> axum::response::Response;
}

impl IntoResponseExt for axum::http::StatusCode {
    fn into_response_(self) -> axum::response::Response {
        axum::response::IntoResponse::into_response(self)
    }
}

/// Small hand-written servers for the pagination fixture's schemes: the
/// generated client follows each as its extension declares.
#[tokio::test]
async fn the_fixture_follows_speakeasy_cursors_link_headers_and_body_cursors() {
    use axum::extract::Query;
    use axum::routing::{get, post};
    use axum::Json;
    use generated::pagination::{client::Client, types::SearchEventsBody};
    use serde_json::{json, Value};
    use std::collections::HashMap;

    let events = |from: usize| -> Vec<Value> {
        (from..(from + 2).min(5))
            .map(|i| json!({"id": format!("e{i}")}))
            .collect()
    };
    let app = axum::Router::new()
        .route(
            "/events",
            get(move |Query(q): Query<HashMap<String, usize>>| async move {
                let from = q.get("cursor").copied().unwrap_or(0);
                let next = (from + 2 < 5).then_some(from + 2).map(|n| n.to_string());
                Json(json!({"data": events(from), "meta": {"next": next}}))
            }),
        )
        .route(
            "/commits",
            get(move |Query(q): Query<HashMap<String, usize>>| async move {
                let from = q.get("from").copied().unwrap_or(0);
                let mut headers = axum::http::HeaderMap::new();
                if from + 2 < 5 {
                    let link = format!("</commits?from={}&per_page=2>; rel=\"next\"", from + 2);
                    headers.insert("link", link.parse().unwrap());
                }
                (headers, Json(events(from)))
            }),
        )
        .route(
            "/search",
            post(
                move |headers: axum::http::HeaderMap, Json(body): Json<Value>| async move {
                    assert_eq!(body["query"], "x");
                    assert_eq!(headers["idempotency-key"], "k");
                    let from: usize = body["after"].as_str().map_or(0, |a| a.parse().unwrap());
                    let next = if from == 2 {
                        "2".to_string()
                    } else {
                        (from + 2).to_string()
                    };
                    Json(json!({"hits": events(from), "next": next}))
                },
            ),
        );
    let c = Client::new(serve_app(app).await);
    let ids = |events: Vec<generated::pagination::types::Event>| {
        events.into_iter().map(|e| e.id).collect::<Vec<_>>()
    };

    let listed = c
        .default()
        .list_events()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(listed), ["e0", "e1", "e2", "e3", "e4"]);
    let commits = c
        .default()
        .list_commits()
        .per_page(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(commits), ["e0", "e1", "e2", "e3", "e4"]);

    // The server repeats cursor "2": the stream stops with an error after
    // the items it did get, instead of looping.
    let body = SearchEventsBody {
        query: Some("x".into()),
        after: None,
    };
    let got: Vec<_> = c
        .default()
        .search_events(body)
        .idempotency_key("k")
        .items()
        .collect()
        .await;
    let ok: Vec<String> = got
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(ok, ["e0", "e1", "e2", "e3"]);
    assert!(matches!(
        got.last(),
        Some(Err(e)) if matches!(e.kind(), ErrorKind::RepeatedCursor(_))
    ));
}

/// An implementation whose `listEvents` panics; every other operation
/// answers 501 (the traits' defaults).
pub struct Panicky;

impl generated::pagination::server::Default for Panicky {
    async fn list_events(
        &self,
        _: generated::pagination::server::ListEventsInput,
    ) -> generated::pagination::server::Outcome<generated::pagination::types::ListEventsResponse>
    {
        panic!("an implementation bug")
    }
}

#[tokio::test]
async fn a_panicking_implementation_answers_500_and_the_server_keeps_serving() {
    let base = serve_app(generated::pagination::server::router(Arc::new(Panicky))).await;
    let http = reqwest::Client::new();
    let panicked = http.get(format!("{base}/events")).send().await.unwrap();
    assert_eq!(panicked.status(), 500);
    let problem: serde_json::Value = panicked.json().await.unwrap();
    assert_eq!(problem["error"], "internal");
    assert!(
        !problem.to_string().contains("implementation bug"),
        "the panic text stays on the server"
    );
    let next = http.get(format!("{base}/logs")).send().await.unwrap();
    assert_eq!(next.status(), 501, "still serving");
}

/// A server that answers `503` with `Retry-After: 0` `failures` times,
/// then an empty token list; counts the calls.
async fn flaky(failures: u32) -> (String, Arc<std::sync::atomic::AtomicU32>) {
    use std::sync::atomic::{AtomicU32, Ordering};
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let app = axum::Router::new().route(
        "/me/tokens",
        axum::routing::get(move || {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            async move {
                use axum::response::IntoResponse;
                if n < failures {
                    (
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        [("retry-after", "0")],
                    )
                        .into_response()
                } else {
                    axum::Json(serde_json::json!({"items": [], "count": 0})).into_response()
                }
            }
        }),
    );
    (serve_app(app).await, calls)
}

#[tokio::test]
async fn the_generated_client_retries_by_its_policy_and_a_request_overrides_it() {
    use codegen_runtime::client::Retry;
    use std::sync::atomic::Ordering;
    let (base, calls) = flaky(2).await;
    let c = authorized(base).retry(Retry::new()).build();
    let answer = c.user_api_tokens().get().send().await.expect("retried");
    assert!(matches!(answer, UserApiTokensGetResponse::Ok(_)));
    assert_eq!(calls.load(Ordering::SeqCst), 3, "two 503s, then 200");

    let (base, calls) = flaky(2).await;
    let c = authorized(base).retry(Retry::new()).build();
    let error = c
        .user_api_tokens()
        .get()
        .retry(Retry::never())
        .send()
        .await
        .expect_err("an undocumented 503");
    assert_eq!(error.status(), Some(503), "no retry for this request");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
