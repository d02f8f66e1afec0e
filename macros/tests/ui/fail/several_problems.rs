//! Every problem of the spec is reported, each on the path literal (under
//! `strict`, repairs are problems too).

use macros::token_api;

#[token_api("tests/ui/specs/several-problems.yaml", strict = true)]
pub mod api {}

fn main() {}
