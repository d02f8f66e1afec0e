//! An absolute path would build on one machine only: rejected. (`..` is
//! allowed: workspace members share a spec at the workspace root.)

use macros::token_api;

#[token_api("/work/specs/tokens.yaml")]
pub mod api {}

fn main() {}
