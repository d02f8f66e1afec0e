use macros::token_api;

#[token_api("tests/ui/specs/invalid-yaml.yaml")]
pub mod api {}

fn main() {}
