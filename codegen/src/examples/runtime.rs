//! The runtime crate the generator was built with, carried inside it
//! (`build.rs`) and written beside the verification crates, so that
//! `--verify-examples` works wherever the installed CLI runs: no path into
//! a checkout, no published release.

use std::path::{Path, PathBuf};

use super::VerifyError;
use crate::output::write_if_changed;

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// Writes the carried runtime into `parent/codegen-runtime-<version>` and
/// returns that directory; `None` when the generator carries none (built
/// from a package without the runtime's sources). Files are written only
/// when they differ, so cargo's build of it stays fresh between runs.
pub(super) fn write_beside(parent: &Path) -> Result<Option<PathBuf>, VerifyError> {
    if RUNTIME_FILES.is_empty() {
        return Ok(None);
    }
    let dir = parent.join(format!("codegen-runtime-{}", crate::RUNTIME_VERSION));
    for (inside, bytes) in RUNTIME_FILES {
        let path = dir.join(inside);
        let text = String::from_utf8_lossy(bytes);
        write_if_changed(&path, &text).map_err(|source| VerifyError::Write { path, source })?;
    }
    Ok(Some(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_carried_runtime_is_whole_and_standalone() {
        let names: Vec<&str> = RUNTIME_FILES.iter().map(|(n, _)| *n).collect();
        assert!(names.contains(&"Cargo.toml"), "{names:?}");
        assert!(names.contains(&"src/lib.rs"));
        assert!(names.contains(&"src/server/admission.rs"));
        let manifest = RUNTIME_FILES
            .iter()
            .find(|(n, _)| *n == "Cargo.toml")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap();
        assert!(!manifest.contains("workspace"), "{manifest}");
        assert!(manifest.contains(&format!("version = \"{}\"", crate::RUNTIME_VERSION)));
        assert!(!manifest.contains("dev-dependencies"));
    }
}
