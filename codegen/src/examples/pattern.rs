//! A string a regular expression matches, from its syntax tree
//! (`regex-syntax`, the parser of the `regex` crate the generated server
//! checks patterns with): literals as written, a class's first member, a
//! repetition's least count (one for `+`), an alternation's first
//! branch, anchors and word boundaries as nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A match of `pattern`, or `None` when it does not parse (look-around,
/// back-references) or nests deeper than 64 levels.
pub fn sample(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = String::new();
    write(&hir, &mut out, 0).then_some(out)
}

fn write(hir: &Hir, out: &mut String, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(c)) => match member(c) {
            Some(ch) => {
                out.push(ch);
                true
            }
            None => false,
        },
        HirKind::Class(Class::Bytes(c)) => match c.iter().next() {
            Some(range) if range.start().is_ascii() => {
                out.push(char::from(range.start()));
                true
            }
            _ => false,
        },
        HirKind::Repetition(r) => {
            let count = r.min.max(1);
            (0..count).all(|_| write(&r.sub, out, depth + 1))
        }
        HirKind::Capture(c) => write(&c.sub, out, depth + 1),
        HirKind::Concat(parts) => parts.iter().all(|p| write(p, out, depth + 1)),
        HirKind::Alternation(branches) => {
            branches.first().is_some_and(|b| write(b, out, depth + 1))
        }
    }
}

/// A member of the class a reader (and a validator's error header) takes
/// well: `a`, `A` or `0` where the class has one, else its first printable
/// ASCII member, else a printable bound (`[^\x00-\x7F]` starts at U+0080,
/// a control character); `.` is not U+10FFFF.
fn member(c: &regex_syntax::hir::ClassUnicode) -> Option<char> {
    let within = |ch: char| c.iter().any(|r| r.start() <= ch && ch <= r.end());
    if let Some(ch) = ['a', 'A', '0'].into_iter().find(|&ch| within(ch)) {
        return Some(ch);
    }
    let ascii = c.iter().find_map(|r| {
        let (lo, hi) = (r.start().max('!'), r.end().min('~'));
        (lo <= hi).then_some(lo)
    });
    let first = c.iter().next()?.start();
    ascii
        .or_else(|| {
            c.iter()
                .flat_map(|r| [r.start(), r.end()])
                .find(|ch| !ch.is_control() && *ch != ' ')
        })
        .or(Some(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_match_their_patterns() {
        for pattern in [
            r"^[A-Fa-f\d]{24}$",
            r"^([1-9][0-9]*|all)$",
            r"([a-z0-9-_ ]|[^\\x00-\\x7F])+",
            r"\/(versions|branches)\/((v{0,1})(stable|([0-9]+)(?:\.([0-9]+))?)(-.*)?)\/(guides|reference)\/(([a-z0-9-_ ])+)",
            r"^(?:#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6})$",
            r"^\+?[1-9]\d{1,14}$",
        ] {
            let text = sample(pattern).unwrap_or_else(|| panic!("no sample of {pattern}"));
            assert!(
                regex::Regex::new(pattern).unwrap().is_match(&text),
                "{pattern}: {text:?}"
            );
        }
        assert_eq!(sample("(?=a)b"), None);
    }

    #[test]
    fn samples_are_printable_ascii_where_the_pattern_allows() {
        assert_eq!(
            sample(r"^https:\/\/.{5,247}$").as_deref(),
            Some("https://aaaaa")
        );
        assert_eq!(sample(r"^[^\s]+$").as_deref(), Some("a"));
        assert_eq!(sample(r"[b-z]").as_deref(), Some("b"));
        assert_eq!(sample(r"[^\x00-\x7F]").map(|s| s.is_ascii()), Some(false));
    }
}
