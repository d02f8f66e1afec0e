//! One accessor struct per resource, one method per operation that starts
//! its request builder.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{docs, BodyKind, TypeRenderer};
use crate::ir::{Operation, Resource};
use crate::naming::ident;
use crate::plan::Plan;

use super::requests::{
    accepted, arg_type, has_encoding_choice, multipart_media, request_builder, request_type, slots,
    ParamSlot,
};

pub(super) fn resource_accessor(plan: &Plan, index: usize, res: &Resource) -> TokenStream {
    let (method, ty) = plan.accessor(index);
    let (f, ty) = (ident(method), ident(ty));
    let line = format!("Operations of the `{}` resource.", res.tag);
    let doc = docs::attrs([line.as_str(), res.description.as_deref().unwrap_or("")]);
    quote! {
        #doc
        pub fn #f(&self) -> #ty<'_> {
            #ty { client: self }
        }
    }
}

pub(super) fn resource(
    plan: &Plan,
    index: usize,
    res: &Resource,
    r: &TypeRenderer<'_>,
    schemes: &[&crate::ir::SecurityScheme],
    scheme_methods: &[String],
) -> TokenStream {
    let (method, ty) = plan.accessor(index);
    let ty = ident(ty);
    // Our own text with an intra-doc link: not through `docs`, which escapes
    // the brackets of spec prose. The tag sits in a code span, control
    // characters removed.
    let tag: String = res
        .tag
        .chars()
        .filter(|c| !c.is_control() && *c != '`')
        .collect();
    let doc_line = format!(" Operations of the `{tag}` resource; see [`Client::{method}`].");
    let doc = quote! { #[doc = #doc_line] };
    let methods = res
        .operations
        .iter()
        .map(|op| operation_method(plan, op, r));
    let requests = res
        .operations
        .iter()
        .map(|op| request_builder(plan, op, r, schemes, scheme_methods));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        // Methods are named as the spec names operations (`new`, `into_x`...).
        #[allow(clippy::new_ret_no_self, clippy::should_implement_trait, clippy::wrong_self_convention)]
        impl<'a> #ty<'a> {
            #(#methods)*
        }

        #(#requests)*
    }
}

pub(super) fn operation_doc(op: &Operation) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(s) = &op.summary {
        paragraphs.push(s.clone());
    }
    if let Some(d) = &op.description {
        if op.summary.as_deref() != Some(d.as_str()) {
            paragraphs.push(d.clone());
        }
    }
    paragraphs.push(format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path.raw,
        op.id
    ));
    let body_example = op
        .request_body
        .iter()
        .flat_map(|b| &b.contents)
        .filter(|c| crate::media::Media::of(&c.media_type) == crate::media::Media::Json)
        .find_map(|c| c.example.as_ref())
        .and_then(|e| docs::example("Example body (from the spec):", e));
    paragraphs.extend(body_example);
    if !op.accepted_scopes.is_empty() {
        let scopes: Vec<String> = op
            .accepted_scopes
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        paragraphs.push(format!("Accepted scopes (any one): {}.", scopes.join(", ")));
    }
    docs::attrs(paragraphs.iter().map(String::as_str))
}

pub(super) fn operation_method(plan: &Plan, op: &Operation, r: &TypeRenderer<'_>) -> TokenStream {
    let name = ident(&plan.operation(op).method);
    let req = request_type(plan, op);
    let doc = operation_doc(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let slots = slots(plan, op);
    let required: Vec<&ParamSlot> = slots.iter().filter(|s| s.param.required).collect();
    let args = required.iter().map(|s| {
        let f = &s.field;
        let (t, _) = arg_type(s.param, r);
        quote! { #f: #t }
    });
    let body = op
        .request_body
        .as_ref()
        .map(|b| (b, crate::emit::form::request_kind(r.api(), b)));
    let body_arg = body.as_ref().and_then(|(b, kind)| {
        let t = r.body_type(kind)?;
        Some(if b.required {
            quote! { body: #t }
        } else {
            quote! {}
        })
    });
    let body_required = body
        .as_ref()
        .is_some_and(|(b, k)| b.required && !matches!(k, BodyKind::None));
    let mut inits: Vec<TokenStream> = Vec::new();
    for s in &slots {
        let f = &s.field;
        let (_, into) = arg_type(s.param, r);
        inits.push(match (s.param.required, into) {
            (true, true) => quote! { #f: #f.into() },
            (true, false) => quote! { #f },
            (false, _) => quote! { #f: None },
        });
    }
    if body
        .as_ref()
        .is_some_and(|(_, k)| !matches!(k, BodyKind::None))
    {
        let streams = body.as_ref().is_some_and(|(_, k)| k.streams());
        inits.push(if body_required && streams {
            quote! { body: Some(body) }
        } else if body_required {
            quote! { body }
        } else {
            quote! { body: None }
        });
    }
    if has_encoding_choice(op) {
        inits.push(quote! { encoding: RequestEncoding::Json });
    }
    if multipart_media(r.api(), op).is_some() {
        inits.push(quote! { content_type: None });
    }
    if accepted(op).is_some() {
        inits.push(quote! { accept: None });
    }
    inits.push(quote! { retry: None });
    let comma_body = body_arg.filter(|t| !t.is_empty()).map(|t| quote! { , #t });
    quote! {
        #doc
        #deprecated
        pub fn #name(&self #(, #args)* #comma_body) -> #req<'a> {
            #req { client: self.client, #(#inits,)* }
        }
    }
}
