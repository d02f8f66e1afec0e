//! A tag filter naming a tag no operation has is a typo, not an empty module.

use macros::token_api;

#[token_api("specs/tokens.yaml", tag = "userTokens")]
pub mod api {}

fn main() {}
