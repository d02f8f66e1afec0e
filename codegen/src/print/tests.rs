use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::print;

/// The printed text parses to the same syntax as the tokens did.
fn assert_same_syntax(tokens: TokenStream) -> String {
    let expected = syn::parse2::<syn::File>(tokens.clone())
        .expect("the input parses")
        .to_token_stream()
        .to_string();
    let text = print(tokens);
    let printed = syn::parse_file(&text)
        .unwrap_or_else(|e| panic!("printed text does not parse ({e}):\n{text}"))
        .to_token_stream()
        .to_string();
    assert_eq!(printed, expected, "printed:\n{text}");
    text
}

#[test]
fn items_statements_and_fields_each_get_a_line() {
    let text = assert_same_syntax(quote! {
        #[doc = " A pet."]
        #[derive(Debug, Clone)]
        pub struct Pet { #[serde(rename = "id")] pub id: Option<Vec<u8>>, pub name: ::std::string::String }
        impl<'a> Pet {
            pub fn new(name: &'a str) -> Result<Self, ::std::fmt::Error> {
                let list: Vec<(u8, u16)> = vec![(1, 2)];
                if !list.is_empty() && list.len() < 3 { return Err(::std::fmt::Error); }
                Ok(Self { id: None, name: name.to_string() })
            }
        }
    });
    let expected = "\
/// A pet.
#[derive(Debug, Clone)]
pub struct Pet {
    #[serde(rename = \"id\")]
    pub id: Option<Vec<u8>>,
    pub name: ::std::string::String
}
impl<'a> Pet {
    pub fn new(name: &'a str) -> Result<Self, ::std::fmt::Error> {
        let list: Vec<(u8, u16)> = vec![(1, 2)];
        if !list.is_empty() && list.len() < 3 {
            return Err(::std::fmt::Error);
        }
        Ok(Self { id: None, name: name.to_string() })
    }
}
";
    assert_eq!(text, expected);
}

#[test]
fn match_arms_closures_and_turbofish() {
    let text = assert_same_syntax(quote! {
        fn f(x: Option<u8>) -> u8 {
            let v = [1u8, 2].iter().map(|a| a + 1).collect::<Vec<_>>();
            let g = move || async move { 1 };
            match x {
                Some(0) | None => { drop(v); 0 }
                Some(n) if n > 2 => n,
                Some(n) => -(n as i8) as u8,
            }
        }
    });
    assert!(
        text.contains(".map(|a| a + 1).collect::<Vec<_>>();"),
        "{text}"
    );
    assert!(text.contains("let g = move || async move { 1 };"), "{text}");
    assert!(
        text.contains("\n        Some(n) if n > 2 => n,\n"),
        "{text}"
    );
}

#[test]
fn operators_never_fuse_into_longer_ones() {
    // Tokens built apart, as emitters interpolate them: `=` then `=`,
    // `<` then `-`, `>` closing generics then `=`.
    let inner = quote!(Vec<u8>);
    let value = quote!(-1);
    assert_same_syntax(quote! {
        fn f(a: i32, b: Option<#inner>) -> bool { let c: Option<#inner> = b; let _ = c; a < #value && a != -2 }
    });
}

#[test]
fn doc_attributes_become_line_comments_unless_a_line_comment_cannot_hold_them() {
    let text = print(quote! {
        #![doc = " Module."]
        #[doc = " first\n second"]
        #[doc = "carriage\rreturn"]
        pub struct A;
    });
    assert!(
        text.starts_with("//! Module.\n/// first\n/// second\n#[doc = \"carriage\\rreturn\"]\n"),
        "{text}"
    );
}

#[test]
fn use_trees_and_short_braces_stay_on_one_line() {
    let text = assert_same_syntax(quote! {
        use ::std::{fmt, io};
        struct Empty {}
        impl Empty { fn get(&self) -> u8 { 1 } }
    });
    assert!(text.contains("use ::std::{fmt, io};\n"), "{text}");
    assert!(text.contains("struct Empty {}\nimpl Empty {\n"), "{text}");
}

#[test]
fn a_block_after_a_block_starts_its_own_line() {
    // clippy's `possible_missing_else` reads `} {` as a forgotten `else`.
    let text = assert_same_syntax(quote! {
        fn f(a: Option<u8>) { if let Some(x) = a { drop(x); } { let y = 1; drop(y); } }
    });
    assert!(text.contains("    }\n    {\n"), "{text}");
}
