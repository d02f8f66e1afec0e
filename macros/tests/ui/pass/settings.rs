//! Inline settings (the keys of a codegen.toml `[[spec]]` entry): a tag
//! and an operation renamed, a type renamed, an attribute added.

use macros::token_api;

#[token_api(
    "specs/tokens.yaml",
    parts = "types,client",
    settings = r##"
        rename.tags = { userApiTokens = "tokens" }
        rename.operations = { "userApiTokens.get" = "list_all" }
        rename.types = { apiTokens = "TokenPage" }
        attributes = { TokenPage = ['#[doc(alias = "ApiTokens")]'] }
    "##
)]
mod tokens {}

fn main() {
    let client = tokens::client::Client::builder("https://api.losant.com")
        .losant_bearer("t")
        .build();
    let _request = client.tokens().list_all();
    let parsed: tokens::types::TokenPage = serde_json::from_str(r#"{"count": 1}"#).unwrap();
    assert_eq!(parsed.count, Some(1));
}
