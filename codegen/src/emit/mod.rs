//! IR -> Rust tokens -> formatted source. One submodule per output part.

pub mod docs;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::naming::ident;
use crate::settings::Settings;

/// One part of a generated module (`types`; `client` and `server` later).
#[derive(Debug, Clone)]
pub struct Part {
    pub name: &'static str,
    pub tokens: TokenStream,
}

/// Everything generated for one spec.
#[derive(Debug, Clone)]
pub struct GeneratedModule {
    /// The module's name (the spec's file stem, as a Rust identifier).
    pub name: String,
    /// The spec's file name, for headers.
    pub source: String,
    /// The module's own doc attributes (inner).
    pub docs: TokenStream,
    pub parts: Vec<Part>,
}

impl GeneratedModule {
    /// The whole module as one item, `pub mod <name> { ... }`, for the macro.
    pub fn to_tokens(&self) -> TokenStream {
        let name = ident(&self.name);
        let body = self.body_tokens();
        quote! { pub mod #name { #body } }
    }

    /// The module's contents with every part inline.
    pub fn body_tokens(&self) -> TokenStream {
        let docs = &self.docs;
        let parts = self.parts.iter().map(|p| {
            let name = ident(p.name);
            let tokens = &p.tokens;
            quote! { pub mod #name { #tokens } }
        });
        quote! { #docs #(#parts)* }
    }
}

/// Emits every part the settings ask for.
pub fn module(api: &Api, settings: &Settings) -> GeneratedModule {
    let mut paragraphs: Vec<String> = vec![format!("{} (version {})", api.title, api.version)];
    if let Some(d) = &api.description {
        paragraphs.push(d.clone());
    }
    paragraphs.push(format!("Generated from `{}` by `codegen`.", file_name(&api.source)));
    let docs = docs::inner_attrs(paragraphs.iter().map(String::as_str));
    let mut parts = Vec::new();
    if settings.parts().types {
        parts.push(Part { name: "types", tokens: types::types(api) });
    }
    GeneratedModule { name: api.module.clone(), source: file_name(&api.source), docs, parts }
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string())
}
