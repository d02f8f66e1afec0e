//! Unsupported constructs fail by default; with `unsupported = "skip"` they
//! are left out with a warning on the path (denied here, to show it).

#![deny(deprecated)]

use macros::token_api;

#[token_api("tests/ui/specs/unsupported.yaml")]
pub mod strict {}

#[token_api("tests/ui/specs/unsupported.yaml", unsupported = "skip")]
pub mod lenient {}

fn main() {}
