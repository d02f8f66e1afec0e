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
//! - `config = "codegen.toml"`: the settings of this spec's `[[spec]]` entry
//!   in a settings file (relative to the crate's directory; its paths are
//!   relative to the file): format mappings, replacements, derives,
//!   attributes, renames, overlays. See `codegen::config`.
//! - `settings = "..."`: the same keys inline, as TOML (without `path`):
//!   `settings = r#"formats = { uuid = "uuid::Uuid" }"#`.
//!
//! `parts`, `tag`, `unsupported` and `strict` override what `config` or
//! `settings` say, as the CLI's flags override its settings file.
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
use codegen::config::Config;
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
    let settings = match args.settings(base) {
        Ok(s) => s,
        Err(e) => return with_item(e, item),
    };
    let generated = match generate_relative(base, Path::new(&spec), &settings) {
        Ok(g) => g,
        Err(e) => return with_item(errors(&args.spec, &e), item),
    };

    // Unused constants holding the spec's, the settings file's and the
    // overlays' bytes: rustc records the files as dependencies of the
    // crate, so editing one rebuilds it.
    let tracked = std::iter::once(base.join(&spec))
        .chain(args.config.iter().map(|c| base.join(c.value())))
        .chain(settings.overlays().iter().map(|o| base.join(o)))
        .map(|p| p.display().to_string());
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
            #(const _: &[u8] = ::core::include_bytes!(#tracked);)*
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

/// A settings problem as `compile_error!`s on the literal that named them.
fn diagnostics_at(lit: &LitStr, d: &codegen::Diagnostics) -> TokenStream {
    d.iter()
        .map(|d| {
            let m = message(d);
            quote_spanned! {lit.span()=> ::core::compile_error! { #m } }
        })
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

const OPTIONS: &str = "`parts = \"types,client,server\"`, `tag = \"...\"` (repeatable, or `tag = [\"...\", ...]`), `unsupported = \"error\" | \"skip\"`, `strict = true | false`, `config = \"codegen.toml\"`, `settings = \"<TOML>\"`";
const PARTS: [&str; 3] = ["types", "client", "server"];

/// The attribute's arguments: the spec path, then `name = value` options.
struct Args {
    spec: LitStr,
    parts: Option<(Parts, LitStr)>,
    tags: Option<Vec<String>>,
    unsupported: Option<UnsupportedPolicy>,
    /// A settings file, relative to the crate.
    config: Option<LitStr>,
    /// Inline settings (TOML).
    inline: Option<LitStr>,
}

impl Args {
    /// The settings file's entry (or the inline settings, or the
    /// defaults) with the inline options laid over it.
    fn settings(&self, base: &Path) -> Result<Settings, TokenStream> {
        let spec = base.join(self.spec.value());
        let mut settings = match (&self.config, &self.inline) {
            (Some(file), _) => {
                let config = Config::load_from(base, Path::new(&file.value()))
                    .map_err(|d| diagnostics_at(file, &d))?;
                match config.spec(&spec) {
                    Some(entry) => entry.settings.clone(),
                    None => {
                        let listed: Vec<String> = config
                            .specs
                            .iter()
                            .map(|s| format!("`{}`", s.written))
                            .collect();
                        let message = format!(
                            "{} lists no `[[spec]]` for this spec (it lists: {}); add one with `path = ...` relative to the file",
                            file.value(),
                            listed.join(", ")
                        );
                        return Err(syn::Error::new(file.span(), message).to_compile_error());
                    }
                }
            }
            (None, Some(text)) => codegen::config::parse_settings(
                Path::new("settings = \"...\""),
                &text.value(),
                base,
            )
            .map_err(|d| diagnostics_at(text, &d))?,
            (None, None) => Settings::new(),
        };
        if let Some(policy) = self.unsupported {
            settings = settings.with_unsupported(policy);
        }
        if let Some((parts, _)) = self.parts {
            settings = settings.with_parts(parts);
        }
        if let Some(tags) = &self.tags {
            settings = settings.with_tags(tags.iter().cloned());
        }
        Ok(settings)
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
            unsupported: None,
            config: None,
            inline: None,
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
            let known = [
                "parts",
                "tag",
                "unsupported",
                "strict",
                "config",
                "settings",
            ];
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
                    args.unsupported = Some(match lit.value().as_str() {
                        "error" => UnsupportedPolicy::Error,
                        "skip" => UnsupportedPolicy::Skip,
                        other => {
                            return Err(syn::Error::new(
                                lit.span(),
                                format!("unknown `unsupported` mode `{other}`; valid modes: \"error\", \"skip\" (the default)"),
                            ))
                        }
                    });
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
                    args.unsupported = Some(if lit.value {
                        UnsupportedPolicy::Error
                    } else {
                        UnsupportedPolicy::Skip
                    });
                }
                "config" | "settings" => {
                    let lit: LitStr = input.parse()?;
                    if args.config.is_some() || args.inline.is_some() {
                        return Err(syn::Error::new(
                            name.span(),
                            "give `config` or `settings` once, not both",
                        ));
                    }
                    if name == "config" {
                        args.config = Some(lit);
                    } else {
                        args.inline = Some(lit);
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
