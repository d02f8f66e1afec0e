//! Code generated for another runtime than the crate depends on: one error
//! naming both versions, not a cascade of type errors.

codegen_runtime::require_version!(0, 8, 0);

fn main() {}
