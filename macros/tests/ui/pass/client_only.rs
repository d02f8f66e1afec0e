//! `parts = "types,client"`: no server (and no need for axum).

use macros::token_api;

#[token_api("specs/tokens.yaml", parts = "types,client")]
mod tokens {}

#[token_api("specs/tokens.yaml", parts = "types")]
mod models {}

fn main() {
    let client = tokens::client::Client::builder("https://api.losant.com")
        .losant_bearer("t")
        .build();
    let _request = client
        .user_api_tokens()
        .get()
        .sort_field(tokens::types::UserApiTokensGetSortField::Name);
    let parsed: models::types::ApiTokens = serde_json::from_str(r#"{"count": 1}"#).unwrap();
    assert_eq!(parsed.count, Some(1));
}
