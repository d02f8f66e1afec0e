//! Constructors and setters of generated structs: `Type::new(required..)`
//! and a `with_<field>(value)` per optional property, so a caller names
//! only what it sets and a property the spec adds later breaks no caller.
//! (A struct without required properties derives `Default` instead of
//! taking a constructor.) Names are the plan's.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, StructType, TypeDef};
use crate::naming::ident;
use crate::plan::{setter_name, CONSTRUCTOR};

/// Above this many parameters clippy asks for a builder; the constructor
/// takes what the spec requires, however many.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// Names clippy's `disallowed_names` refuses by default.
const CLIPPY_PLACEHOLDERS: [&str; 3] = ["foo", "baz", "quux"];

/// The `impl` with the constructor and setters of struct `t`; `types`
/// holds each field's Rust type (as declared, before `Option` for an
/// optional one). Nothing for a struct without fields.
pub fn builders(t: &TypeDef, s: &StructType, types: &[TokenStream]) -> TokenStream {
    if s.fields.is_empty() {
        return quote! {};
    }
    let name = ident(&t.rust_name);
    let constructor = constructor(t, s, types);
    let setters = s
        .fields
        .iter()
        .zip(types)
        .filter(|(f, _)| !f.required)
        .map(|(f, ty)| setter(f, ty));
    // Deprecated properties are still set by the constructor and setters.
    let allow = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated)] });
    quote! {
        #allow
        impl #name { #constructor #(#setters)* }
    }
}

fn constructor(t: &TypeDef, s: &StructType, types: &[TokenStream]) -> Option<TokenStream> {
    let required: Vec<(&Field, &TokenStream)> = s
        .fields
        .iter()
        .zip(types)
        .filter(|(f, _)| f.required)
        .collect();
    if required.is_empty() {
        return None;
    }
    let params = required.iter().map(|(f, ty)| {
        let p = ident(&f.rust_name);
        quote! { #p: impl Into<#ty> }
    });
    let values = s.fields.iter().map(|f| {
        let p = ident(&f.rust_name);
        if f.required {
            quote! { #p: #p.into() }
        } else {
            quote! { #p: None }
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_field);
        quote! { #field: ::std::collections::BTreeMap::new(), }
    });
    let many = (required.len() > CLIPPY_MAX_ARGUMENTS)
        .then(|| quote! { #[allow(clippy::too_many_arguments)] });
    // Parameters are named after the properties, whatever they are called.
    let placeholder = required
        .iter()
        .any(|(f, _)| CLIPPY_PLACEHOLDERS.contains(&f.rust_name.as_str()))
        .then(|| quote! { #[allow(clippy::disallowed_names)] });
    let doc = format!(
        " A `{}` with its required properties, in the spec's order; the `with_` methods set the others.",
        t.rust_name
    );
    let new = ident(CONSTRUCTOR);
    Some(quote! {
        #[doc = #doc]
        #many
        #placeholder
        pub fn #new(#(#params),*) -> Self {
            Self { #(#values,)* #additional }
        }
    })
}

fn setter(f: &Field, ty: &TokenStream) -> TokenStream {
    let field = ident(&f.rust_name);
    let setter = ident(&setter_name(&f.rust_name));
    let doc = format!(" Sets `{}`.", f.spec_name.replace('`', "'"));
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
            self.#field = Some(value.into());
            self
        }
    }
}
