//! Spec text -> `#[doc]` attributes. Always through string literals, so no
//! description can break out into code.

use proc_macro2::TokenStream;
use quote::quote;

/// Lines of a doc comment for a spec description, made safe for rustdoc:
/// `\r\n` normalized, code fences without a language marked `text` (so they
/// are not compiled as doctests), deep indentation trimmed (it would be an
/// indented code block, hence a doctest).
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line: String = raw
            .chars()
            .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
            .collect();
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !in_fence && (info.trim().is_empty() || info.trim() == "rust") {
                out.push("```text".to_string());
            } else {
                out.push(trimmed.to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line);
            continue;
        }
        let indent = line.len() - trimmed.len();
        out.push(format!(
            "{}{}",
            " ".repeat(indent.min(3)),
            escape_brackets(trimmed.trim_end())
        ));
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
}

/// Spec prose is Markdown, not rustdoc: `[text]` there is no intra-doc link
/// (and may name an unrelated Rust item). Escapes brackets outside code spans,
/// except those of an inline link `[text](url)`.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut keep = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code => open.push(i),
            ']' if !in_code => {
                if let Some(start) = open.pop() {
                    if chars.get(i + 1) == Some(&'(') {
                        keep[start] = true;
                        keep[i] = true;
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(line.len());
    in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' {
            in_code = !in_code;
        }
        if (c == '[' || c == ']') && !in_code && !keep[i] {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `#[doc = " line"]` attributes for the given paragraphs (blank line between).
/// Examples longer than this (pretty-printed) are left out of docs: a page
/// of JSON buries the prose, and the spec has it.
const EXAMPLE_LINES: usize = 24;

/// The spec's example as a paragraph holding a JSON code block (rustdoc
/// compiles only Rust blocks), or `None` when it is too long to show.
pub fn example(intro: &str, value: &serde_json::Value) -> Option<String> {
    let pretty = serde_json::to_string_pretty(value).ok()?;
    if pretty.lines().count() > EXAMPLE_LINES || pretty.contains("```") {
        return None;
    }
    Some(format!("{intro}\n\n```json\n{pretty}\n```"))
}

pub fn attrs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let mut all: Vec<String> = Vec::new();
    for p in paragraphs {
        let ls = lines(p);
        if ls.is_empty() {
            continue;
        }
        if !all.is_empty() {
            all.push(String::new());
        }
        all.extend(ls);
    }
    let all = all
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote! { #( #[doc = #all] )* }
}

/// Inner `#![doc]` attributes (module docs).
pub fn inner_attrs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let mut all: Vec<String> = Vec::new();
    for p in paragraphs {
        let ls = lines(p);
        if ls.is_empty() {
            continue;
        }
        if !all.is_empty() {
            all.push(String::new());
        }
        all.extend(ls);
    }
    let all = all
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote! { #( #![doc = #all] )* }
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn brackets_are_text_unless_a_link_or_code() {
        assert_eq!(
            super::escape_brackets("#[attributes], [a link](https://x), `v[0]`, a[1]"),
            "#\\[attributes\\], [a link](https://x), `v[0]`, a\\[1\\]"
        );
    }

    #[test]
    fn fences_and_indentation_cannot_become_doctests() {
        let got = lines(
            "Intro\r\n\r\n```\nlet x = 1;\n```\n\n        indented code\n```ruby\nputs 1\n```\n",
        );
        assert_eq!(
            got,
            [
                "Intro",
                "",
                "```text",
                "let x = 1;",
                "```",
                "",
                "   indented code",
                "```ruby",
                "puts 1",
                "```"
            ]
        );
        assert_eq!(
            lines("open ```\n```\nno close"),
            ["open ```", "```text", "no close", "```"]
        );
    }
}
