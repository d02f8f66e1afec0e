//! The macro on specs/tokens.yaml: the whole generated module (types, client,
//! server) inline. The generated router, with a small implementation of two
//! operations, serves on loopback; the generated client calls it and gets
//! typed answers.

use std::sync::Arc;

use macros::token_api;

#[token_api("specs/tokens.yaml")]
pub mod tokens {
    /// Items written in the module are kept beside the generated ones.
    pub const DEMO_BEARER: &str = "demo-losant-token";

    pub fn token(id: &str, name: &str) -> types::ApiToken {
        types::ApiToken {
            id: Some(id.to_string()),
            name: Some(name.to_string()),
            ..Default::default()
        }
    }
}

use tokens::server::{
    Credentials, Outcome, PersonalAccessTokens, Problem, UserApiToken, UserApiTokenGetInput,
    UserApiTokens, UserApiTokensGetInput, UserToken,
};
use tokens::types::{ApiTokens, UserApiTokenGetResponse, UserApiTokensGetResponse};

struct Tokens;

fn authorized(credentials: &Credentials) -> Result<(), Problem> {
    match credentials {
        Credentials::LosantBearer(t) if t.0 == tokens::DEMO_BEARER => Ok(()),
        _ => Err(Problem::unauthorized("unknown token")),
    }
}

impl UserApiTokens for Tokens {
    async fn get(&self, input: UserApiTokensGetInput) -> Outcome<UserApiTokensGetResponse> {
        authorized(&input.credentials)?;
        let items = vec![
            tokens::token("5f0c0ffee0ddba11c0ffee01", "build-server"),
            tokens::token("5f0c0ffee0ddba11c0ffee02", "grafana-readonly"),
        ];
        Ok(UserApiTokensGetResponse::Ok(ApiTokens {
            count: Some(items.len() as i64),
            items: Some(items),
            filter: input.filter,
            ..Default::default()
        }))
    }
}

impl UserApiToken for Tokens {
    async fn get(&self, input: UserApiTokenGetInput) -> Outcome<UserApiTokenGetResponse> {
        authorized(&input.credentials)?;
        Ok(UserApiTokenGetResponse::Ok(tokens::token(
            &input.api_token_id,
            "build-server",
        )))
    }
}

// Not implemented: these answer 501.
impl PersonalAccessTokens for Tokens {}
impl UserToken for Tokens {}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = tokens::server::router(Arc::new(Tokens));
    tokio::spawn(async move { codegen_runtime::axum::serve(listener, app).await.unwrap() });

    let client = tokens::client::Client::builder(format!("http://{addr}"))
        .losant_bearer(tokens::DEMO_BEARER)
        .build();

    let listed = client
        .user_api_tokens()
        .get()
        .filter("b*")
        .send()
        .await
        .unwrap();
    let UserApiTokensGetResponse::Ok(page) = listed else {
        panic!("expected 200, got {listed:?}")
    };
    assert_eq!(page.count, Some(2));
    assert_eq!(page.filter.as_deref(), Some("b*"));
    let names: Vec<_> = page
        .items
        .unwrap()
        .into_iter()
        .filter_map(|t| t.name)
        .collect();
    assert_eq!(names, ["build-server", "grafana-readonly"]);

    let got = client
        .user_api_token()
        .get("5f0c0ffee0ddba11c0ffee01")
        .send()
        .await
        .unwrap();
    let UserApiTokenGetResponse::Ok(token) = got else {
        panic!("expected 200, got {got:?}")
    };
    assert_eq!(token.id.as_deref(), Some("5f0c0ffee0ddba11c0ffee01"));

    // The generated server validated the input before our code ran: 400.
    let bad = client
        .user_api_token()
        .get("not-an-id")
        .send()
        .await
        .unwrap();
    assert!(
        matches!(bad, UserApiTokenGetResponse::BadRequest(_)),
        "{bad:?}"
    );

    // Wrong credentials: our implementation's 401, typed.
    let stranger = tokens::client::Client::builder(format!("http://{addr}"))
        .losant_bearer("who-knows")
        .build();
    let denied = stranger.user_api_tokens().get().send().await.unwrap();
    assert!(
        matches!(denied, UserApiTokensGetResponse::Unauthorized(_)),
        "{denied:?}"
    );
}
