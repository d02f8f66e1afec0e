use macros::token_api;

#[token_api("specs/no-such-spec.yaml")]
pub mod api {}

fn main() {}
