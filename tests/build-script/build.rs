//! Generates the token API's types and client into `OUT_DIR/tokens.rs`,
//! and the settings fixture's module into `OUT_DIR/pets.rs` with the
//! settings of its `codegen.toml` entry. A problem in a spec or the
//! settings fails the build with the located diagnostics; editing either
//! reruns this script.

use codegen::{Parts, Settings};

fn main() {
    codegen::build::Builder::new("../../specs/tokens.yaml")
        .settings(Settings::new().with_parts(Parts {
            types: true,
            client: true,
            server: false,
        }))
        .run();
    codegen::build::Builder::new("../fixtures/settings/pets.yaml")
        .config("../fixtures/settings/codegen.toml")
        .run();
}
