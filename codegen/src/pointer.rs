//! JSON pointers (RFC 6901) as the stages build them: every stage that
//! locates a node (loading, source maps, lowering, diagnostics) uses these,
//! so they sit below all of them.

use std::fmt;

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_escaped(&mut out, segment);
    out
}

fn push_escaped(out: &mut String, segment: &str) {
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Appends `/` and an escaped segment to a pointer being built in place.
pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    push_escaped(pointer, segment);
}

/// Appends an escaped segment to a pointer.
pub(crate) fn join(pointer: &str, segment: impl fmt::Display) -> String {
    use fmt::Write;
    /// Escapes as the segment is written: one allocation per pointer
    /// (loading builds one for nearly every node).
    struct Escaping<'a>(&'a mut String);
    impl fmt::Write for Escaping<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            push_escaped(self.0, s);
            Ok(())
        }
    }
    let mut out = String::with_capacity(pointer.len() + 24);
    out.push_str(pointer);
    out.push('/');
    // Writing to a `String` cannot fail.
    let _ = write!(Escaping(&mut out), "{segment}");
    out
}
