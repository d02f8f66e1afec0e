//! How the generated server decodes a query string (form rules: `+` is a
//! space, `%XY` a byte, a malformed escape stays as written, invalid UTF-8
//! becomes U+FFFD), checked on what reaches the implementation over HTTP.

use std::sync::{Arc, Mutex};

use generated::tokens::server::*;
use generated::tokens::types;

/// Keeps the `filter` and `page` values the handler passed on.
#[derive(Default)]
struct Echo(Mutex<Vec<(Option<String>, Option<String>)>>);

impl UserApiToken for Echo {}
impl PersonalAccessTokens for Echo {}
impl UserToken for Echo {}
impl UserApiTokens for Echo {
    async fn get(&self, input: UserApiTokensGetInput) -> Outcome<types::UserApiTokensGetResponse> {
        self.0
            .lock()
            .unwrap()
            .push((input.filter.clone(), input.page.clone()));
        let empty: types::ApiTokens = serde_json::from_value(serde_json::json!({})).unwrap();
        Ok(types::UserApiTokensGetResponse::Ok(empty))
    }
}

#[tokio::test]
async fn query_values_are_form_decoded() {
    let echo = Arc::new(Echo::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(echo.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let cases: [(&str, Option<&str>, Option<&str>); 7] = [
        ("filter=plain&page=2", Some("plain"), Some("2")),
        ("filter=a+b%2Ac&page=%31", Some("a b*c"), Some("1")),
        ("filter=100%zz%2", Some("100%zz%2"), None),
        ("filter=caf%C3%A9%FF", Some("caf\u{e9}\u{fffd}"), None),
        ("&&filter=&page", Some(""), Some("")),
        ("fil%74er=key+decoded", Some("key decoded"), None),
        ("other=1", None, None),
    ];
    for (query, filter, page) in cases {
        let response = http
            .get(format!("http://{addr}/me/tokens?{query}"))
            .bearer_auth("any")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "{query}: {}",
            response.text().await.unwrap()
        );
        let seen = echo.0.lock().unwrap().pop().expect("the handler ran");
        assert_eq!(
            seen,
            (filter.map(str::to_string), page.map(str::to_string)),
            "{query}"
        );
    }
}
