use macros::token_api;

#[token_api("tests/ui/specs/empty.yaml")]
pub mod api {}

fn main() {}
