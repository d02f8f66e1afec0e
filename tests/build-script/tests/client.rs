//! The build-script-generated client and types, used like any others: the
//! client calls a hand-written Axum route on loopback and decodes its answer
//! into the generated types.

use axum::routing::get;
use axum::Json;
use build_script::tokens::client::Client;
use build_script::tokens::types::{
    ApiToken, ApiTokens, UserApiTokensGetResponse, UserApiTokensGetSortField,
};

#[tokio::test]
async fn the_generated_client_decodes_a_typed_answer() {
    let app = axum::Router::new().route(
        "/me/tokens",
        get(|| async {
            Json(serde_json::json!({
                "items": [{"id": "5f0c0ffee0ddba11c0ffee01", "name": "build-server", "status": "active"}],
                "count": 1,
                "totalCount": 1
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = Client::builder(format!("http://{addr}"))
        .losant_bearer("any")
        .build();
    let answer = client
        .user_api_tokens()
        .get()
        .sort_field(UserApiTokensGetSortField::Name)
        .send()
        .await
        .unwrap();
    let UserApiTokensGetResponse::Ok(ApiTokens {
        items: Some(items),
        count,
        ..
    }) = answer
    else {
        panic!("expected 200 with items: {answer:?}")
    };
    assert_eq!(count, Some(1));
    let [ApiToken { name, .. }] = &items[..] else {
        panic!("one token: {items:?}")
    };
    assert_eq!(name.as_deref(), Some("build-server"));
}

#[test]
fn the_generated_types_round_trip() {
    let parsed: ApiTokens =
        serde_json::from_str(r#"{"items":[{"name":"a"}],"perPage":100}"#).unwrap();
    assert_eq!(parsed.per_page, Some(100));
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        back,
        serde_json::json!({"items":[{"name":"a"}],"perPage":100})
    );
}
