//! What the options leave out is really not there.

use macros::token_api;

#[token_api("specs/tokens.yaml", parts = "types,client")]
pub mod client_only {}

#[token_api("specs/tokens.yaml", parts = "types,client", tag = "userToken")]
pub mod mindbody {}

fn main() {
    let _ = client_only::server::router;
    let client = mindbody::client::Client::new("http://127.0.0.1:9");
    let _ = client.user_api_tokens();
}
