//! What the CLI tests share.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `codegen` binary with `args` in `cwd`.
pub fn codegen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run codegen")
}
