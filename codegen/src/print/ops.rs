//! What a token is to the printer's spacing: operators assembled from
//! joint punctuation, and the role each plays where it stands.

/// A word that starts a construct: an operator after it is a prefix
/// (`return &x`, `in &list`, `if !x`, `move |x|`), and a `(` after it is
/// not a call. `pub` is not one here: `pub(crate)` is written touching.
pub(super) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}

/// The item keywords after which `name<` opens generics (`fn get<T>`).
pub(super) fn declares_generics(word: &str) -> bool {
    matches!(word, "fn" | "struct" | "enum" | "type" | "trait" | "union")
}

/// A keyword whose brace group is laid out as lines however short: an
/// item's body or a control flow's.
pub(super) fn opens_block(word: &str) -> bool {
    matches!(
        word,
        "fn" | "impl"
            | "struct"
            | "enum"
            | "trait"
            | "mod"
            | "union"
            | "match"
            | "if"
            | "else"
            | "loop"
            | "while"
            | "for"
    )
}

/// The role an operator plays where it stands; it decides the spaces
/// around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// `a + b`, `x = y`, `=>`, `->`: a space on each side.
    Binary,
    /// `&x`, `!x`, `-1`, `*p`, `#[..]`, a lifetime's `'`: nothing after.
    Prefix,
    /// `a::b`: nothing on either side (a space before after a keyword).
    Path,
    /// `a.b`, `a..b`: nothing on either side.
    Dot,
    /// `,`, `;`, `:`: nothing before, a space (or a line end) after.
    Separator,
    /// `x?`: nothing before.
    Postfix,
    /// `vec![`: nothing on either side.
    MacroBang,
    /// `Vec<`: nothing on either side.
    GenericOpen,
    /// `u8>`: nothing before.
    GenericClose,
    /// The `|` that opens a closure's parameters: nothing after.
    ClosureOpen,
    /// The `|` that closes them: nothing before.
    ClosureClose,
}

/// The role of an operator that does not depend on its neighbours, if any.
pub(super) fn fixed_role(op: &str) -> Option<Role> {
    Some(match op {
        "::" => Role::Path,
        "." | ".." | "..=" => Role::Dot,
        "," | ";" | ":" => Role::Separator,
        "?" => Role::Postfix,
        "#" | "'" => Role::Prefix,
        _ => return None,
    })
}

/// Whether `op` may stand in prefix position (`&x`, `*p`, `-1`, `!ok`,
/// `&&x`).
pub(super) fn can_be_prefix(op: &str) -> bool {
    matches!(op, "&" | "&&" | "*" | "-" | "!")
}

/// Two operators printed with nothing between them must not lex as one
/// longer operator (`=` `=` is not `==`); `>` `>` closing two generic lists
/// is the exception the caller allows.
pub(super) fn would_fuse(left: &str, right: &str) -> bool {
    let (Some(l), Some(r)) = (left.chars().last(), right.chars().next()) else {
        return false;
    };
    matches!(
        (l, r),
        ('&', '&' | '=')
            | ('|', '|' | '=')
            | ('<', '<' | '=' | '-')
            | ('>', '>' | '=')
            | ('+' | '-' | '*' | '/' | '%' | '^' | '!' | '=', '=')
            | (':', ':')
            | ('-' | '=', '>')
            | ('.', '.')
            | ('/', '/' | '*')
            | ('*', '/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_that_lex_as_one_are_kept_apart() {
        assert!(would_fuse("=", "="));
        assert!(would_fuse("-", ">"));
        assert!(would_fuse("/", "/"));
        assert!(!would_fuse("&", "'"));
        assert!(!would_fuse(",", "&"));
    }

    #[test]
    fn roles_that_need_no_context() {
        assert_eq!(fixed_role("::"), Some(Role::Path));
        assert_eq!(fixed_role(".."), Some(Role::Dot));
        assert_eq!(fixed_role("&"), None);
    }
}
