//! Maps a pointer of the normalised document back to the file and pointer
//! where the node was written, so every diagnostic names its real place,
//! however many files deep and whatever the conversion moved.

use std::sync::Arc;

use super::relocate::{is_prefix, Relocations};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The files a document was read from and how its nodes moved.
#[derive(Debug)]
pub(crate) struct Origins {
    /// The root file first, then every referenced file in reading order.
    pub files: Vec<Arc<SourceFile>>,
    /// Subtrees of the bundled document that came from another file:
    /// (pointer in the bundle, file index, pointer in that file).
    pub bundled: Vec<(String, usize, String)>,
    /// The moves of each step after bundling, in order.
    pub steps: Vec<Relocations>,
}

impl Origins {
    pub(crate) fn root(&self) -> &Arc<SourceFile> {
        &self.files[0]
    }

    /// Where a pointer of the document as it was before step `step` ran
    /// (`0`: right after bundling) was written.
    pub(crate) fn locate_before(&self, pointer: &str, step: usize) -> (Arc<SourceFile>, String) {
        let mut p = pointer.to_string();
        for s in self.steps[..step.min(self.steps.len())].iter().rev() {
            p = s.back(&p);
        }
        let best = self
            .bundled
            .iter()
            .filter(|(to, _, _)| is_prefix(to, &p))
            .max_by_key(|(to, _, _)| to.len());
        match best {
            Some((to, file, from)) => (
                Arc::clone(&self.files[*file]),
                format!("{from}{}", &p[to.len()..]),
            ),
            None => (Arc::clone(self.root()), p),
        }
    }

    /// Places a diagnostic about the final document in its real file.
    pub(crate) fn place(&self, d: Diagnostic) -> Diagnostic {
        self.place_before(d, self.steps.len())
    }

    /// Places a diagnostic about the document before step `step`.
    pub(crate) fn place_before(&self, mut d: Diagnostic, step: usize) -> Diagnostic {
        if d.at.is_some() && d.file.is_some() {
            return d;
        }
        let (file, pointer) = self.locate_before(&d.pointer, step);
        d.pointer = pointer;
        d.in_file(&file)
    }
}
