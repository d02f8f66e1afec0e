use macros::token_api;

#[token_api("specs/tokens.yaml", parts = "types,clients")]
pub mod typo {}

#[token_api("specs/tokens.yaml", unsupported = "warn")]
pub mod mode {}

// The client refers to `super::types`.
#[token_api("specs/tokens.yaml", parts = "client")]
pub mod client_alone {}

#[token_api(specs)]
pub mod not_a_string {}

#[token_api]
pub mod no_path {}

fn main() {}
