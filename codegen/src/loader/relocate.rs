//! Where a node of a rewritten document came from.
//!
//! Each normalisation step (bundling, Swagger 2.0 conversion, the 3.1
//! upgrade, hoisting) moves subtrees. A step records `(to, from)` pointer
//! pairs; mapping a pointer of the step's output back to its input takes the
//! longest recorded `to` that is a whole-segment prefix and swaps it for its
//! `from`. Pointers under no recorded prefix are unchanged.

/// The moves one step made.
#[derive(Debug, Default, Clone)]
pub(crate) struct Relocations {
    entries: Vec<(String, String)>,
}

impl Relocations {
    /// The subtree now at `to` was at `from` in the step's input.
    pub(crate) fn record(&mut self, to: impl Into<String>, from: impl Into<String>) {
        self.entries.push((to.into(), from.into()));
    }

    /// `pointer` (in the step's output) as a pointer in the step's input.
    pub(crate) fn back(&self, pointer: &str) -> String {
        let best = self
            .entries
            .iter()
            .filter(|(to, _)| is_prefix(to, pointer))
            .max_by_key(|(to, _)| to.len());
        match best {
            Some((to, from)) => format!("{from}{}", &pointer[to.len()..]),
            None => pointer.to_string(),
        }
    }
}

/// `prefix` is `pointer` or one of its ancestors (whole segments only).
pub(crate) fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_whole_segment_prefix_wins() {
        let mut r = Relocations::default();
        r.record("/components/schemas", "/definitions");
        r.record("/components/schemas/Pet", "/x/Pet");
        assert_eq!(
            r.back("/components/schemas/A/properties/b"),
            "/definitions/A/properties/b"
        );
        assert_eq!(r.back("/components/schemas/Pet/type"), "/x/Pet/type");
        assert_eq!(r.back("/components/schemas/Pets"), "/definitions/Pets");
        assert_eq!(r.back("/paths"), "/paths");
    }
}
