//! Checked-in output of `codegen`: one module per spec in `specs/`.
//!
//! Regenerate with `cargo run -p codegen -- specs/tokens.yaml`; CI fails if
//! these files differ from what the generator writes.

// @generated modules: begin (maintained by `cargo run -p codegen`)
pub mod tokens;
// @generated modules: end
