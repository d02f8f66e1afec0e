//! Constructors and setters of generated structs: `Type::new(required..)`
//! and a `with_<field>(value)` per optional property, so a caller names
//! only what it sets and a property the spec adds later breaks no caller.
//! (A struct without required properties derives `Default` instead of
//! taking a constructor.) One call of the runtime's `builders!` per
//! struct; the method names are the plan's.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::runtime;
use crate::ir::{Field, StructType, TypeDef};
use crate::naming::ident;
use crate::plan::setter_name;

/// The `builders!` call of struct `t`; `types` holds each field's Rust
/// type (as declared, before `Option` for an optional one). Nothing for a
/// struct without fields.
pub fn builders(t: &TypeDef, s: &StructType, types: &[TokenStream]) -> TokenStream {
    if s.fields.is_empty() {
        return quote! {};
    }
    let name = ident(&t.rust_name);
    let required = s
        .fields
        .iter()
        .zip(types)
        .filter(|(f, _)| f.required)
        .map(|(f, ty)| {
            let p = ident(&f.rust_name);
            quote! { #p: #ty }
        });
    let map = s.additional.as_ref().map(|_| ident(&s.additional_field));
    let setters = s
        .fields
        .iter()
        .zip(types)
        .filter(|(f, _)| !f.required)
        .map(|(f, ty)| setter(f, ty));
    let builders = runtime::macros::builders();
    quote! {
        #builders! {
            #name,
            new(#(#required),*),
            map(#map),
            set(#(#setters);*)
        }
    }
}

fn setter(f: &Field, ty: &TokenStream) -> TokenStream {
    let field = ident(&f.rust_name);
    let setter = ident(&setter_name(&f.rust_name));
    let spec = Literal::string(&f.spec_name);
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    quote! { #deprecated #field #setter #spec: #ty }
}
