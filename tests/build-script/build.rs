//! Generates the token API's types and client into `OUT_DIR/tokens.rs`.
//! A problem in the spec fails the build with the located diagnostics;
//! editing the spec reruns this script.

use codegen::{Parts, Settings};

fn main() {
    codegen::build::Builder::new("../../specs/tokens.yaml")
        .settings(Settings::new().with_parts(Parts {
            types: true,
            client: true,
            server: false,
        }))
        .run();
}
