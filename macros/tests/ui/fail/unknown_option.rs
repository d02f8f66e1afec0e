use macros::token_api;

#[token_api("specs/tokens.yaml", part = "types")]
pub mod api {}

#[token_api("specs/tokens.yaml", tags = ["userToken"])]
pub mod other {}

fn main() {}
