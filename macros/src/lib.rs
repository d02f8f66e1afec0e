//! `#[token_api("specs/tokens.yaml")]`: the `codegen` generator, expanded
//! inline. A thin shim: all generation lives in the `codegen` library.
//!
//! Not implemented yet beyond this placeholder crate (see the macro issue);
//! the workspace keeps its place so the layout is final.
