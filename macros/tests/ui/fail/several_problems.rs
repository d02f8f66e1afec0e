//! Every problem of the spec is reported, each on the path literal.

use macros::token_api;

#[token_api("tests/ui/specs/several-problems.yaml")]
pub mod api {}

fn main() {}
