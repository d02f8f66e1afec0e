//! The `lines` layout (the one-pass printer large APIs get) means what the
//! tokens mean: for every fixture and shipped spec, and a sample of the
//! corpus, the printed module lexes back to the emitted tokens (operators
//! joined or apart as they were, docs with the same text) and parses as a
//! Rust file. Compiling and running it is the job of the checked-in
//! modules generated with `layout = "lines"` (tests/fixtures/settings).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{TokenStream, TokenTree};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn specs_in(dir: &Path, max_bytes: u64) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) && p.metadata().is_ok_and(|m| m.len() <= max_bytes)
        })
        .collect();
    specs.sort();
    specs
}

/// Strings by their value (a doc comment lexes as a string literal that
/// may be escaped differently), everything else by its text.
fn same_literal(a: &proc_macro2::Literal, b: &proc_macro2::Literal) -> bool {
    let (a, b) = (a.to_string(), b.to_string());
    a == b || matches!((unquote(&a), unquote(&b)), (Some(x), Some(y)) if x == y)
}

fn unquote(literal: &str) -> Option<String> {
    let tokens = format!("const _: &str = {literal};");
    let file = syn::parse_file(&tokens).ok()?;
    match file.items.first()? {
        syn::Item::Const(c) => match &*c.expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// Two punctuation characters that lex as one operator when joint (`=` `=`
/// is not `==`); `>` `>` is left out: it closes generics either way.
const FUSING: [&str; 22] = [
    "&&", "||", "<<", "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "==", "!=", ">=", "<=", "::",
    "->", "=>", "..", "<-", "//", "/*",
];

/// Token by token; a punctuation's spacing counts where it and the next
/// would lex as one operator.
fn assert_same_tokens(expected: TokenStream, printed: TokenStream, spec: &Path) {
    let (a, b): (Vec<TokenTree>, Vec<TokenTree>) = (
        expected.into_iter().collect(),
        printed.into_iter().collect(),
    );
    assert_eq!(
        a.len(),
        b.len(),
        "{}: a group's length differs",
        spec.display()
    );
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        match (x, y) {
            (TokenTree::Group(g), TokenTree::Group(h)) => {
                assert_eq!(g.delimiter(), h.delimiter(), "{}", spec.display());
                assert_same_tokens(g.stream(), h.stream(), spec);
            }
            (TokenTree::Punct(p), TokenTree::Punct(q)) => {
                assert_eq!(p.as_char(), q.as_char(), "{}", spec.display());
                let fusing = match a.get(i + 1) {
                    Some(TokenTree::Punct(n)) => {
                        FUSING.contains(&format!("{}{}", p.as_char(), n.as_char()).as_str())
                    }
                    _ => false,
                };
                if fusing {
                    assert_eq!(
                        p.spacing(),
                        q.spacing(),
                        "{}: `{}` followed by `{}`",
                        spec.display(),
                        p.as_char(),
                        a[i + 1]
                    );
                }
            }
            (TokenTree::Ident(p), TokenTree::Ident(q)) => {
                assert_eq!(p.to_string(), q.to_string(), "{}", spec.display())
            }
            (TokenTree::Literal(p), TokenTree::Literal(q)) => {
                assert!(same_literal(p, q), "{}: {p} is not {q}", spec.display())
            }
            _ => panic!("{}: {x} printed as {y}", spec.display()),
        }
    }
}

#[test]
fn printed_modules_mean_what_their_tokens_mean() {
    let root = workspace();
    let mut specs = Vec::new();
    for dir in [
        "specs",
        "tests/fixtures/edge",
        "tests/fixtures/formats",
        "tests/fixtures/settings",
    ] {
        specs.extend(specs_in(&root.join(dir), u64::MAX));
    }
    for dir in ["v2", "v30", "v31", "v32"] {
        specs.extend(specs_in(&root.join("../shared/corpus").join(dir), 200_000));
    }
    let mut checked = 0;
    for spec in &specs {
        let text = std::fs::read_to_string(spec).expect("readable");
        let Ok(loaded) = codegen::stages::load(spec, text) else {
            continue;
        };
        let Ok(lowered) = codegen::stages::lower(&loaded, "module", &codegen::Settings::new())
        else {
            continue;
        };
        let tokens = codegen::stages::emit(&lowered, &codegen::Settings::new());
        let printed = codegen::output::format_lines(tokens.clone());
        if let Err(e) = syn::parse_file(&printed) {
            panic!("{}: the printed module does not parse: {e}", spec.display());
        }
        let relexed = TokenStream::from_str(&printed).expect("the printed module lexes");
        assert_same_tokens(tokens, relexed, spec);
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} specs generated");
}
