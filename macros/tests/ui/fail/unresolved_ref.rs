use macros::token_api;

// A dangling $ref is repaired by default (R0005, a warning); `strict`
// refuses it.
#[token_api("tests/ui/specs/unresolved-ref.yaml", strict = true)]
pub mod api {}

fn main() {}
