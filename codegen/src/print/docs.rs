//! `#[doc = "..."]` attributes printed as `///` (or `//!`) lines, as a
//! reader expects to see them.

use proc_macro2::{Delimiter, TokenTree};

/// A doc attribute found at the start of a token sequence.
pub(super) struct Doc {
    /// How many token trees it spans (`#`, maybe `!`, the bracket group).
    pub consumed: usize,
    /// `#![doc]`: documents the enclosing item.
    pub inner: bool,
    /// The documentation, unescaped.
    pub text: String,
}

/// The doc attribute `trees` starts with, if it is one whose text a line
/// comment can hold (no carriage return: rustc refuses a bare one there).
pub(super) fn doc_attribute(trees: &[TokenTree]) -> Option<Doc> {
    let TokenTree::Punct(hash) = trees.first()? else {
        return None;
    };
    if hash.as_char() != '#' {
        return None;
    }
    let inner = matches!(trees.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
    let at = 1 + usize::from(inner);
    let TokenTree::Group(group) = trees.get(at)? else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let text = doc_text(group.stream().into_iter().collect())?;
    (!text.contains('\r')).then_some(Doc {
        consumed: at + 1,
        inner,
        text,
    })
}

/// The text of `doc = "..."`, unescaped.
fn doc_text(inside: Vec<TokenTree>) -> Option<String> {
    match inside.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(lit)]
            if name == "doc" && eq.as_char() == '=' =>
        {
            unescape(&lit.to_string())
        }
        _ => None,
    }
}

/// The value of a string literal as written (`"a\n\"b\""`, `r#"..."#`);
/// `None` for anything else (byte strings, suffixes, unknown escapes).
pub(super) fn unescape(literal: &str) -> Option<String> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return Some(body.strip_prefix('"')?.strip_suffix('"')?.to_string());
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(escaped(&mut chars)?);
    }
    Some(out)
}

/// The character an escape (after its `\`) stands for.
fn escaped(chars: &mut std::str::Chars<'_>) -> Option<char> {
    Some(match chars.next()? {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        '0' => '\0',
        '\\' => '\\',
        '\'' => '\'',
        '"' => '"',
        'x' => {
            let hex: String = chars.by_ref().take(2).collect();
            char::from(u8::from_str_radix(&hex, 16).ok().filter(u8::is_ascii)?)
        }
        'u' => {
            if chars.next()? != '{' {
                return None;
            }
            let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
            char::from_u32(u32::from_str_radix(&hex.replace('_', ""), 16).ok()?)?
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn trees(tokens: proc_macro2::TokenStream) -> Vec<TokenTree> {
        tokens.into_iter().collect()
    }

    #[test]
    fn a_doc_attribute_gives_its_text() {
        let text = "a \"quoted\"\nline \\ with \u{7f} and é";
        let doc = doc_attribute(&trees(quote!(#[doc = #text]))).expect("a doc");
        assert_eq!(doc.text, text);
        assert_eq!(doc.consumed, 2);
        assert!(!doc.inner);
        let inner = doc_attribute(&trees(quote!(#![doc = "x"]))).expect("a doc");
        assert!(inner.inner && inner.consumed == 3);
    }

    #[test]
    fn other_attributes_and_carriage_returns_are_not_docs() {
        assert!(doc_attribute(&trees(quote!(#[derive(Debug)]))).is_none());
        assert!(doc_attribute(&trees(quote!(#[doc = "a\rb"]))).is_none());
        assert_eq!(unescape("r#\"a\"b\"#").as_deref(), Some("a\"b"));
        assert_eq!(unescape("b\"x\""), None);
    }
}
