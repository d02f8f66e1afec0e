//! Constructs generated in a reduced form warn on the path by default
//! (denied here, to show it); with `unsupported = "error"` they fail.

#![deny(deprecated)]

use macros::token_api;

#[token_api("tests/ui/specs/unsupported.yaml", unsupported = "error")]
pub mod strict {}

#[token_api("tests/ui/specs/unsupported.yaml")]
pub mod lenient {}

fn main() {}
