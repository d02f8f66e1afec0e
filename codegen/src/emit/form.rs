//! `multipart/form-data` request bodies as typed forms: the properties of
//! the body's object schema, files (`format: binary`) as streamed parts.

use proc_macro2::TokenStream;
use quote::quote;

use super::{body_kind, docs, runtime, BodyKind, TypeRenderer};
use crate::ir::{Api, RequestBody, StringFormat, Ty, TypeExpr, TypeKind};
use crate::naming::ident;

/// One property of a form.
pub struct FormField<'a> {
    /// The part's name on the wire.
    pub wire: &'a str,
    pub rust: &'a str,
    pub kind: FormKind<'a>,
    pub required: bool,
    pub description: Option<&'a str>,
}

pub enum FormKind<'a> {
    File,
    Files,
    /// A value part: text when `as_text`, else JSON.
    Value(&'a TypeExpr, bool),
    /// One value part per item.
    Values(&'a TypeExpr, bool),
}

/// How a request body travels: as [`body_kind`] says, except that a
/// `multipart/form-data` body whose schema is an object is a typed form.
pub fn request_kind<'a>(api: &'a Api, b: &'a RequestBody) -> BodyKind<'a> {
    let kind = body_kind(&b.contents);
    match (kind, &b.form_type) {
        (BodyKind::Multipart(_), Some(name)) if form_fields(api, b).is_some() => {
            BodyKind::Parts(name)
        }
        _ => kind,
    }
}

/// The fields of a body's form, when its preferred media type is
/// `multipart/form-data` and its schema an object with properties.
pub fn form_fields<'a>(api: &'a Api, b: &'a RequestBody) -> Option<Vec<FormField<'a>>> {
    let c = *crate::media::representations(&b.contents).first()?;
    if crate::media::essence(&c.media_type) != "multipart/form-data" {
        return None;
    }
    let mut expr = c.schema.as_ref()?;
    let s = loop {
        let Ty::Named(id) = &expr.ty else {
            return None;
        };
        match &api.types.get(*id).kind {
            TypeKind::Struct(s) => break s,
            TypeKind::Alias(e) => expr = e,
            _ => return None,
        }
    };
    let fields: Vec<FormField<'a>> = s
        .fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| {
            let kind = match &f.schema.ty {
                Ty::String(StringFormat::Binary) => FormKind::File,
                Ty::Array(item) if item.ty == Ty::String(StringFormat::Binary) => FormKind::Files,
                Ty::Array(item) => FormKind::Values(item, as_text(api, item)),
                _ => FormKind::Value(&f.schema, as_text(api, &f.schema)),
            };
            FormField {
                wire: &f.spec_name,
                rust: &f.rust_name,
                kind,
                required: f.required || f.request_required,
                description: f.description.as_deref(),
            }
        })
        .collect();
    (!fields.is_empty()).then_some(fields)
}

/// A value the schema calls a string (or a string enum) travels as its
/// text; anything else as JSON.
fn as_text(api: &Api, e: &TypeExpr) -> bool {
    match &e.ty {
        Ty::String(_) => true,
        Ty::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => as_text(api, inner),
            _ => false,
        },
        _ => false,
    }
}

/// The form struct of a body (in the types module: the client builds it,
/// the server hands it over).
pub fn form_struct(api: &Api, b: &RequestBody, r: &TypeRenderer<'_>) -> Option<TokenStream> {
    let BodyKind::Parts(name) = request_kind(api, b) else {
        return None;
    };
    let fields = form_fields(api, b)?;
    let name = ident(name);
    let fields = fields.iter().map(|f| {
        let rust = ident(f.rust);
        let ty = match f.kind {
            FormKind::File => runtime::file_part(),
            FormKind::Files => {
                let part = runtime::file_part();
                quote! { Vec<#part> }
            }
            FormKind::Value(e, _) => r.ty(e),
            FormKind::Values(e, _) => {
                let t = r.ty(e);
                quote! { Vec<#t> }
            }
        };
        let ty = match f.kind {
            FormKind::File | FormKind::Value(..) if !f.required => quote! { Option<#ty> },
            _ => ty,
        };
        let wire = format!("The `{}` part.", f.wire);
        let doc = docs::attrs([f.description.unwrap_or(""), wire.as_str()]);
        quote! { #doc pub #rust: #ty }
    });
    let doc = docs::attrs([b
        .description
        .as_deref()
        .unwrap_or("A `multipart/form-data` body: files stream, values are text or JSON.")]);
    Some(quote! {
        #doc
        #[derive(Debug)]
        pub struct #name { #(#fields,)* }
    })
}
