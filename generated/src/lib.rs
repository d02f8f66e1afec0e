//! Checked-in output of `codegen`: one module per spec in `specs/`.
//!
//! Regenerate with `cargo run -p codegen -- specs/tokens.yaml`; CI fails if
//! these files differ from what the generator writes.

// @generated modules: begin (maintained by `cargo run -p codegen`)
pub mod collisions;
pub mod content_negotiation;
pub mod cookie_style;
pub mod counts_and_steps;
pub mod deep_cycles;
pub mod form_lists;
pub mod fuzz_found;
pub mod happy_path;
pub mod header_told;
pub mod keywords_and_punctuation;
pub mod lenient_repairs;
pub mod literal_colon;
pub mod media_and_more;
pub mod multi_file;
pub mod multipart;
pub mod nested_inline;
pub mod no_operations;
pub mod oneof_shapes;
pub mod open_enums;
pub mod openapi_3_1;
pub mod openapi_3_2;
pub mod pagination;
pub mod pagination_unfollowable;
pub mod parameter_and_body_kinds;
pub mod parameter_styles;
pub mod parameter_styles_undefined;
pub mod path_templates;
pub mod pets;
pub mod query_in_template;
pub mod read_write_only;
pub mod redirects;
pub mod reserved_names;
pub mod scalar_aliases;
pub mod schema_rules;
pub mod shadowed_routes;
pub mod shared_shapes;
pub mod streaming;
pub mod swagger_2;
pub mod tokens;
pub mod wire_forms;
// @generated modules: end
