use macros::token_api;

#[token_api("tests/ui/specs/unresolved-ref.yaml")]
pub mod api {}

fn main() {}
