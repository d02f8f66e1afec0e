//! A crate that generates its API client in a build script
//! (`codegen::build`) instead of checking generated files in or using the
//! `#[token_api]` macro. `build.rs` writes `OUT_DIR/tokens.rs`, one item:
//! `pub mod tokens { pub mod types {..} pub mod client {..} }`.

include!(concat!(env!("OUT_DIR"), "/tokens.rs"));

// The settings fixture, generated with its codegen.toml entry (format
// mappings, a replacement, derives, renames, an overlay).
include!(concat!(env!("OUT_DIR"), "/pets.rs"));
