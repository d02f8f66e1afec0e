//! `tag = ...`: only the operations of the named tags (resources). The
//! router needs only their traits.

use std::sync::Arc;

use macros::token_api;

#[token_api("specs/tokens.yaml", tag = "userToken")]
pub mod mindbody {}

#[token_api("specs/tokens.yaml", tag = ["userApiTokens", "userApiToken"], parts = "types,server")]
pub mod losant {}

struct Staff;
impl mindbody::server::UserToken for Staff {}

struct Users;
impl losant::server::UserApiTokens for Users {}
impl losant::server::UserApiToken for Users {}

fn main() {
    let _: codegen_runtime::axum::Router = mindbody::server::router(Arc::new(Staff));
    let _: codegen_runtime::axum::Router = losant::server::router(Arc::new(Users));
    let client = mindbody::client::Client::new("http://127.0.0.1:9");
    let _request = client.user_token().revoke("6", "-99");
}
