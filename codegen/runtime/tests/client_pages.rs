//! Pagination against small loopback servers: Link headers, cursors (in
//! the query and in the body), next URLs, offsets, and a repeated cursor.
#![cfg(all(feature = "client", feature = "server"))]

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use codegen_runtime::client::page::{self, Pager, Scheme};
use codegen_runtime::client::{Error, ErrorKind, Stream, TransportBuilder};
use codegen_runtime::Operation;
use futures_util::TryStreamExt;
use serde_json::{json, Value};

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

/// Items 0..7 in pages of 3, the page picked by `pick(query)` (0-based).
fn slice(from: usize) -> Vec<u32> {
    (from..(from + 3).min(7)).map(|i| i as u32).collect()
}

const LIST: Operation = Operation::new("things.list", "GET", "/things");

async fn all<S: Stream<Item = Result<u32, Error>>>(s: S) -> Result<Vec<u32>, Error> {
    s.try_collect().await
}

#[tokio::test]
async fn link_headers_are_followed_to_the_last_page() {
    let base = serve(Router::new().route(
        "/things",
        get(|Query(q): Query<HashMap<String, usize>>| async move {
            let from = q.get("from").copied().unwrap_or(0);
            let mut headers = HeaderMap::new();
            if from + 3 < 7 {
                let link = format!("</things?from={}>; rel=\"next\"", from + 3);
                headers.insert("link", link.parse().unwrap());
            }
            (headers, Json(json!({ "data": slice(from) })))
        }),
    ))
    .await;
    let transport = TransportBuilder::new(&base).build();
    static PAGER: Pager = Pager::new(Scheme::Link, &["data"]);
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/things"),
        Vec::new(),
    ));
    let items = all(page::items(LIST, first, None, &PAGER)).await.unwrap();
    assert_eq!(items, [0, 1, 2, 3, 4, 5, 6]);
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/things"),
        Vec::new(),
    ));
    let pages: Vec<Value> = page::pages(LIST, first, None, &PAGER)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
}

#[tokio::test]
async fn query_and_body_cursors_end_at_a_missing_cursor_and_stop_on_a_repeated_one() {
    let base = serve(
        Router::new()
            .route(
                "/things",
                get(|Query(q): Query<HashMap<String, String>>| async move {
                    let from: usize = q
                        .get("cursor")
                        .map_or(0, |c| c.trim_start_matches('c').parse().unwrap());
                    let next = (from + 3 < 7).then(|| format!("c{}", from + 3));
                    Json(json!({ "items": slice(from), "meta": { "next": next } }))
                }),
            )
            .route(
                "/search",
                post(|Json(body): Json<Value>| async move {
                    assert_eq!(body["q"], "x", "the other properties are kept");
                    let from: usize = body["after"].as_str().map_or(0, |c| c.parse().unwrap());
                    let next = if from + 3 < 7 {
                        (from + 3).to_string()
                    } else {
                        String::new()
                    };
                    Json(json!({ "items": slice(from), "next": next }))
                }),
            )
            .route(
                "/loop",
                get(|| async { Json(json!({ "items": [1], "next": "same" })) }),
            ),
    )
    .await;
    let transport = TransportBuilder::new(&base).build();

    static QUERY: Pager = Pager::new(
        Scheme::Cursor {
            param: "cursor",
            in_body: false,
            next: &["meta", "next"],
        },
        &["items"],
    );
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/things"),
        Vec::new(),
    ));
    assert_eq!(
        all(page::items(LIST, first, None, &QUERY)).await.unwrap(),
        [0, 1, 2, 3, 4, 5, 6]
    );

    static BODY: Pager = Pager::new(
        Scheme::Cursor {
            param: "after",
            in_body: true,
            next: &["next"],
        },
        &["items"],
    );
    let search = Operation::new("things.search", "POST", "/search");
    let first = Ok(transport.call(
        search,
        transport
            .request(reqwest::Method::POST, "/search")
            .json(&json!({"q": "x"})),
        Vec::new(),
    ));
    assert_eq!(
        all(page::items(LIST, first, None, &BODY)).await.unwrap(),
        [0, 1, 2, 3, 4, 5, 6]
    );

    static LOOP: Pager = Pager::new(
        Scheme::Cursor {
            param: "c",
            in_body: false,
            next: &["next"],
        },
        &["items"],
    );
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/loop"),
        Vec::new(),
    ));
    let got: Vec<Result<u32, Error>> =
        futures_util::StreamExt::collect(page::items(LIST, first, None, &LOOP)).await;
    assert_eq!(got.len(), 3, "two items, then the error: {got:?}");
    assert!(
        matches!(got[2], Err(ref e) if matches!(e.kind(), ErrorKind::RepeatedCursor(_)) && e.operation() == Some(&LIST))
    );
}

#[tokio::test]
async fn offsets_and_next_urls_advance_and_a_failing_page_ends_with_its_status() {
    let base = serve(
        Router::new()
            .route(
                "/things",
                get(|Query(q): Query<HashMap<String, usize>>| async move {
                    let from = q.get("offset").copied().unwrap_or(0);
                    assert_eq!(q.get("limit"), Some(&3));
                    Json(json!({ "items": slice(from) }))
                }),
            )
            .route(
                "/urls",
                get(|Query(q): Query<HashMap<String, usize>>| async move {
                    let from = q.get("from").copied().unwrap_or(0);
                    let next = (from + 3 < 7).then(|| format!("/urls?from={}", from + 3));
                    Json(json!({ "items": slice(from), "links": { "next": next } }))
                }),
            )
            .route(
                "/broken",
                get(|Query(q): Query<HashMap<String, usize>>| async move {
                    match q.get("page") {
                        Some(2) => (axum::http::StatusCode::BAD_GATEWAY, "down").into_response(),
                        _ => Json(json!({ "items": [1, 2] })).into_response(),
                    }
                }),
            ),
    )
    .await;
    let transport = TransportBuilder::new(&base).build();

    static OFFSET: Pager = Pager::new(
        Scheme::Offset {
            param: "offset",
            limit: Some("limit"),
        },
        &["items"],
    );
    let first = Ok(transport.call(
        LIST,
        transport
            .request(reqwest::Method::GET, "/things")
            .query(&[("limit", 3)]),
        Vec::new(),
    ));
    assert_eq!(
        all(page::items(LIST, first, None, &OFFSET)).await.unwrap(),
        [0, 1, 2, 3, 4, 5, 6]
    );

    static URLS: Pager = Pager::new(
        Scheme::NextUrl {
            next: &["links", "next"],
        },
        &["items"],
    );
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/urls"),
        Vec::new(),
    ));
    assert_eq!(
        all(page::items(LIST, first, None, &URLS)).await.unwrap(),
        [0, 1, 2, 3, 4, 5, 6]
    );

    static PAGES: Pager = Pager::new(
        Scheme::Page {
            param: "page",
            size: None,
            start: 1,
        },
        &["items"],
    );
    let first = Ok(transport.call(
        LIST,
        transport.request(reqwest::Method::GET, "/broken"),
        Vec::new(),
    ));
    let got: Vec<Result<u32, Error>> =
        futures_util::StreamExt::collect(page::items(LIST, first, None, &PAGES)).await;
    assert_eq!(got.len(), 3);
    assert!(
        matches!(got[2], Err(ref e) if matches!(e.kind(), ErrorKind::Page { status: 502, .. })),
        "{:?}",
        got[2]
    );
}
