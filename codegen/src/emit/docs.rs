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
            trimmed.trim_end()
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

/// `#[doc = " line"]` attributes for the given paragraphs (blank line between).
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
