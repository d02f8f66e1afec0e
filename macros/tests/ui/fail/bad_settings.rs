use macros::token_api;

// A format mapped outside the documented set: located in the inline TOML.
#[token_api("specs/tokens.yaml", settings = "formats = { uuid = \"my::Uuid\" }")]
pub mod bad_format {}

// An unknown key in a settings file: located in the file.
#[token_api("specs/tokens.yaml", config = "tests/ui/specs/bad-codegen.toml")]
pub mod bad_file {}

// A settings file that does not list the spec.
#[token_api("specs/tokens.yaml", config = "tests/ui/specs/other-codegen.toml")]
pub mod not_listed {}

fn main() {}
