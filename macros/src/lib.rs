//! `#[token_api("specs/tokens.yaml")]`: the `codegen` generator, expanded
//! inline.
//!
//! ```ignore
//! #[macros::token_api("specs/tokens.yaml")]
//! pub mod tokens {
//!     // Items written here are kept beside the generated `types`, `client`
//!     // and `server` modules.
//! }
//! ```
//!
//! The module gets exactly what `cargo run -p codegen -- specs/tokens.yaml`
//! writes for that spec. This crate is a thin shim: it parses the attribute,
//! resolves the spec against the crate's directory (`CARGO_MANIFEST_DIR`),
//! calls the same library function as the CLI
//! ([`codegen::build::generate_relative`], which is [`codegen::generate_file`]
//! with diagnostics that name the spec as written) and returns its tokens.
//!
//! # Options
//!
//! After the path, mirroring the CLI's flags:
//!
//! - `parts = "types,client"`: which parts to emit (`types`, `client`,
//!   `server`; default: all three). `client` and `server` use `types`.
//! - `tag = "userApiToken"`, repeatable, or `tag = ["a", "b"]`: keep only the
//!   operations of these tags (resources).
//! - `unsupported = "error"`: refuse constructs the generator can only
//!   express in a reduced form (a fallback type, a keyword not checked) or
//!   must leave out, instead of generating them with a warning on the path
//!   (`"skip"`, the default).
//! - `strict = true`: the same as `unsupported = "error"`; repairs of common
//!   spec mistakes (`R0001`...) are refused too.
//!
//! # Errors
//!
//! Every problem in the spec becomes a `compile_error!` on the path literal
//! carrying the located diagnostic (file, line, column, the offending line,
//! JSON pointer, hint); all of them are reported together. Bad options are
//! errors on the option. The path must be relative (an absolute path builds
//! on one machine only); `..` is allowed, as workspace members share specs.
//!
//! The crate is rebuilt when the spec changes (the expansion includes the
//! spec's bytes in an unused constant, which makes it a dependency).

use std::path::{Path, PathBuf};

use codegen::build::generate_relative;
use codegen::{GenerateError, Parts, Settings, UnsupportedPolicy};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Item, ItemMod, LitStr, Token, UseTree};

/// Generates a typed module (types, client, server) from an API description (Swagger 2.0 or OpenAPI 3.x)
/// into the module it is put on. See the crate documentation for options.
#[proc_macro_attribute]
pub fn token_api(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(args.into(), item.into()).into()
}

/// The whole expansion, on `proc_macro2` tokens (testable outside rustc).
fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    expand_in(&base, args, item)
}

/// [`expand`] with the directory relative spec paths start from.
fn expand_in(base: &Path, args: TokenStream, item: TokenStream) -> TokenStream {
    let args = match syn::parse2::<Args>(args) {
        Ok(args) => args,
        Err(e) => return with_item(e.to_compile_error(), item),
    };
    let mut module = match syn::parse2::<ItemMod>(item.clone()) {
        Ok(m) => m,
        Err(_) => {
            let e = syn::Error::new(
                Span::call_site(),
                "#[token_api] goes on an inline module: `pub mod tokens {}`",
            );
            return with_item(e.to_compile_error(), item);
        }
    };
    let Some((_, user_items)) = &module.content else {
        let e = syn::Error::new(
            module.semi.span(),
            "#[token_api] needs an inline module, `mod name {}`: the generated items go inside its braces",
        );
        return e.to_compile_error();
    };
    if let Err(e) = args.check_parts(user_items) {
        return with_item(e.to_compile_error(), item);
    }

    let spec = args.spec.value();
    let generated = match generate_relative(base, Path::new(&spec), &args.settings()) {
        Ok(g) => g,
        Err(e) => return with_item(errors(&args.spec, &e), item),
    };

    // An unused constant holding the spec's bytes: rustc records the file as
    // a dependency of the crate, so editing the spec rebuilds it.
    let tracked = base.join(&spec).display().to_string();
    let warnings = generated.warnings.iter().map(|w| {
        let note = inline_hint(&w.to_string());
        quote_spanned! {args.spec.span()=>
            const _: () = {
                #[deprecated(note = #note)]
                const fn token_api_warning() {}
                token_api_warning();
            };
        }
    });
    let body = generated.module.body_tokens();
    let (inner, outer): (Vec<_>, Vec<_>) = module
        .attrs
        .drain(..)
        .partition(|a| matches!(a.style, syn::AttrStyle::Inner(_)));
    let (vis, unsafety, ident) = (&module.vis, &module.unsafety, &module.ident);
    quote! {
        #(#outer)*
        #vis #unsafety mod #ident {
            #(#inner)*
            #body
            const _: &[u8] = ::core::include_bytes!(#tracked);
            #(#warnings)*
            #(#user_items)*
        }
    }
}

/// Errors plus the item as written, so that the user's own items still exist
/// and only the errors that matter are reported.
fn with_item(errors: TokenStream, item: TokenStream) -> TokenStream {
    quote! { #errors #item }
}

/// One `compile_error!` per diagnostic, on the path literal.
fn errors(spec: &LitStr, error: &GenerateError) -> TokenStream {
    let messages = match error {
        GenerateError::Spec(diagnostics) => diagnostics.iter().map(message).collect(),
        other => vec![other.to_string()],
    };
    messages
        .into_iter()
        .map(|m| quote_spanned! {spec.span()=> ::core::compile_error! { #m } })
        .collect()
}

/// A diagnostic rendered rustc-style (location, offending line, JSON pointer,
/// hint), its first line rephrased to follow rustc's own `error: `.
fn message(d: &codegen::Diagnostic) -> String {
    let rendered = d.render();
    let rest = rendered.split_once('\n').map_or("", |(_, rest)| rest);
    let text = format!("{} [{}]\n{}", d.kind, d.kind.code(), rest.trim_end());
    inline_hint(&text)
}

/// Hints name the CLI's flag; inline, the option is spelled differently.
fn inline_hint(text: &str) -> String {
    text.replace("`--unsupported=skip`", "`unsupported = \"skip\"`")
        .replace("`--strict`", "`strict = true`")
}

const OPTIONS: &str = "`parts = \"types,client,server\"`, `tag = \"...\"` (repeatable, or `tag = [\"...\", ...]`), `unsupported = \"error\" | \"skip\"`, `strict = true | false`";
const PARTS: [&str; 3] = ["types", "client", "server"];

/// The attribute's arguments: the spec path, then `name = value` options.
struct Args {
    spec: LitStr,
    parts: Option<(Parts, LitStr)>,
    tags: Option<Vec<String>>,
    unsupported: UnsupportedPolicy,
}

impl Args {
    fn settings(&self) -> Settings {
        let mut settings = Settings::new().with_unsupported(self.unsupported);
        if let Some((parts, _)) = self.parts {
            settings = settings.with_parts(parts);
        }
        if let Some(tags) = &self.tags {
            settings = settings.with_tags(tags.iter().cloned());
        }
        settings
    }

    /// `client` and `server` refer to `super::types`: without the `types`
    /// part, the module body must bring its own.
    fn check_parts(&self, items: &[Item]) -> syn::Result<()> {
        let Some((parts, lit)) = &self.parts else {
            return Ok(());
        };
        if parts.types || !(parts.client || parts.server) || defines(items, "types") {
            return Ok(());
        }
        Err(syn::Error::new(
            lit.span(),
            format!(
                "the `client` and `server` parts use the `types` part: add it (parts = \"types,{}\"), or define `mod types` in the module body",
                lit.value().trim()
            ),
        ))
    }
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "expected the spec's path, relative to the crate's Cargo.toml: #[token_api(\"specs/tokens.yaml\")]",
            ));
        }
        let spec: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the spec's path as a string literal: #[token_api(\"specs/tokens.yaml\")]",
            )
        })?;
        let path = spec.value();
        if path.trim().is_empty() {
            return Err(syn::Error::new(spec.span(), "the spec's path is empty"));
        }
        let p = Path::new(&path);
        if p.is_absolute() || p.has_root() {
            return Err(syn::Error::new(
                spec.span(),
                "the spec's path is absolute, so the crate would build on this machine only: write it relative to the crate's directory (where Cargo.toml is), e.g. \"specs/tokens.yaml\"",
            ));
        }
        let mut args = Args {
            spec,
            parts: None,
            tags: None,
            unsupported: UnsupportedPolicy::Skip,
        };
        let mut seen_unsupported = false;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let name: syn::Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected an option; valid options: {OPTIONS}"),
                )
            })?;
            let known = ["parts", "tag", "unsupported", "strict"];
            if !known.contains(&name.to_string().as_str()) {
                return Err(syn::Error::new(
                    name.span(),
                    format!("unknown option `{name}`; valid options: {OPTIONS}"),
                ));
            }
            input.parse::<Token![=]>()?;
            match name.to_string().as_str() {
                "parts" => {
                    let lit: LitStr = input.parse()?;
                    if args.parts.is_some() {
                        return Err(syn::Error::new(name.span(), "`parts` is given twice"));
                    }
                    args.parts = Some((parse_parts(&lit)?, lit));
                }
                "tag" => {
                    let tags = args.tags.get_or_insert_with(Vec::new);
                    if input.peek(syn::token::Bracket) {
                        let list;
                        syn::bracketed!(list in input);
                        let lits = Punctuated::<LitStr, Token![,]>::parse_terminated(&list)?;
                        if lits.is_empty() {
                            return Err(syn::Error::new(
                                name.span(),
                                "`tag = []` would keep no operation; name at least one tag",
                            ));
                        }
                        tags.extend(lits.iter().map(LitStr::value));
                    } else {
                        tags.push(input.parse::<LitStr>()?.value());
                    }
                }
                "unsupported" => {
                    let lit: LitStr = input.parse()?;
                    if seen_unsupported {
                        return Err(syn::Error::new(
                            name.span(),
                            "`unsupported` or `strict` is given twice",
                        ));
                    }
                    seen_unsupported = true;
                    args.unsupported = match lit.value().as_str() {
                        "error" => UnsupportedPolicy::Error,
                        "skip" => UnsupportedPolicy::Skip,
                        other => {
                            return Err(syn::Error::new(
                                lit.span(),
                                format!("unknown `unsupported` mode `{other}`; valid modes: \"error\", \"skip\" (the default)"),
                            ))
                        }
                    };
                }
                "strict" => {
                    let lit: syn::LitBool = input.parse()?;
                    if seen_unsupported {
                        return Err(syn::Error::new(
                            name.span(),
                            "`unsupported` or `strict` is given twice",
                        ));
                    }
                    seen_unsupported = true;
                    if lit.value {
                        args.unsupported = UnsupportedPolicy::Error;
                    }
                }
                _ => unreachable!("checked against `known`"),
            }
        }
        Ok(args)
    }
}

/// `"types,client"` -> which parts.
fn parse_parts(lit: &LitStr) -> syn::Result<Parts> {
    let mut parts = Parts {
        types: false,
        client: false,
        server: false,
    };
    for name in lit.value().split(',').map(str::trim) {
        match name {
            "types" => parts.types = true,
            "client" => parts.client = true,
            "server" => parts.server = true,
            other => {
                let valid = PARTS.join(", ");
                let message = if other.is_empty() {
                    format!("empty part name; valid parts: {valid} (comma-separated)")
                } else {
                    format!("unknown part `{other}`; valid parts: {valid} (comma-separated)")
                };
                return Err(syn::Error::new(lit.span(), message));
            }
        }
    }
    Ok(parts)
}

/// Whether the module body defines or imports `name` (`mod name`, `use ... as name`).
fn defines(items: &[Item], name: &str) -> bool {
    fn in_tree(tree: &UseTree, name: &str) -> bool {
        match tree {
            UseTree::Path(p) => in_tree(&p.tree, name),
            UseTree::Name(n) => n.ident == name,
            UseTree::Rename(r) => r.rename == name,
            UseTree::Glob(_) => false,
            UseTree::Group(g) => g.items.iter().any(|t| in_tree(t, name)),
        }
    }
    items.iter().any(|item| match item {
        Item::Mod(m) => m.ident == name,
        Item::Use(u) => in_tree(&u.tree, name),
        _ => false,
    })
}

#[cfg(test)]
mod tests;
